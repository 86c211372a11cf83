// filelock.node: Core's directory lock (fsbridge::FileLock), an fcntl() write lock on an open file.
// Node has no fcntl/flock binding; an fcntl lock is what Bitcoin Core takes, so a Smithcoin node and a
// Core node on the same datadir also keep each other out. The lock lives as long as the fd stays open.
#include <napi.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string>

namespace {

// Core's SysErrorString: "<strerror text> (<errno>)".
std::string SysErrorString(int err)
{
    return std::string(std::strerror(err)) + " (" + std::to_string(err) + ")";
}

// tryLock(fd): undefined when the whole file is now write-locked by this process, else the reason.
Napi::Value TryLock(const Napi::CallbackInfo& info)
{
    Napi::Env env = info.Env();
    if (info.Length() != 1 || !info[0].IsNumber()) throw Napi::TypeError::New(env, "tryLock(fd) needs a file descriptor");
    int fd = info[0].As<Napi::Number>().Int32Value();
    struct flock lock;
    std::memset(&lock, 0, sizeof(lock));
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    lock.l_start = 0;
    lock.l_len = 0;
    if (fcntl(fd, F_SETLK, &lock) == -1) return Napi::String::New(env, SysErrorString(errno));
    return env.Undefined();
}

Napi::Object Init(Napi::Env env, Napi::Object exports)
{
    exports.Set("tryLock", Napi::Function::New(env, TryLock, "tryLock"));
    return exports;
}

} // namespace

NODE_API_MODULE(filelock, Init)
