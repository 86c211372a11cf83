// support.node: glibc's heap report for getmemoryinfo "mallocinfo". The node's native allocations (V8's
// backing stores, LevelDB, the addons) go through glibc's malloc, as bitcoind's do, so its malloc_info
// describes this process as Core's does its own. Without glibc the function is not exported and the RPC
// answers as a Core build without HAVE_MALLOC_INFO.
// Also sameFile, the identity check of a kept blk/rev descriptor, made on every block write: fs.statSync builds
// a Stats object per call where two system calls and a comparison do.
#include <napi.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <sys/stat.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace {

#if defined(__GLIBC__)
// mallocInfo(): malloc_info(0, …) written to a memory stream; "" when the stream cannot be opened.
Napi::Value MallocInfo(const Napi::CallbackInfo& info)
{
    char* buf = nullptr;
    size_t size = 0;
    std::string xml;
    FILE* stream = open_memstream(&buf, &size);
    if (stream != nullptr) {
        malloc_info(0, stream);
        std::fclose(stream);
        if (buf != nullptr) xml.assign(buf, size);
    }
    std::free(buf);
    return Napi::String::New(info.Env(), xml);
}
#endif

// sameFile(fd, path): true when `path` names the file open on `fd` (same device and inode), false when nothing
// is at `path`; undefined on any other error, which the caller reports through its own stat.
Napi::Value SameFile(const Napi::CallbackInfo& info)
{
    Napi::Env env = info.Env();
    if (info.Length() != 2 || !info[0].IsNumber() || !info[1].IsString()) {
        throw Napi::TypeError::New(env, "sameFile(fd, path) needs a file descriptor and a path");
    }
    const int fd = info[0].As<Napi::Number>().Int32Value();
    const std::string path = info[1].As<Napi::String>().Utf8Value();
    struct stat by_name {};
    if (stat(path.c_str(), &by_name) != 0) {
        if (errno == ENOENT) return Napi::Boolean::New(env, false);
        return env.Undefined();
    }
    struct stat by_fd {};
    if (fstat(fd, &by_fd) != 0) return env.Undefined();
    return Napi::Boolean::New(env, by_fd.st_dev == by_name.st_dev && by_fd.st_ino == by_name.st_ino);
}

Napi::Object Init(Napi::Env env, Napi::Object exports)
{
    exports.Set("sameFile", Napi::Function::New(env, SameFile, "sameFile"));
#if defined(__GLIBC__)
    exports.Set("mallocInfo", Napi::Function::New(env, MallocInfo, "mallocInfo"));
#endif
    return exports;
}

} // namespace

NODE_API_MODULE(support, Init)
