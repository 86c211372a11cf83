// support.node: glibc's heap report for getmemoryinfo "mallocinfo". The node's native allocations (V8's
// backing stores, LevelDB, the addons) go through glibc's malloc, as bitcoind's do, so its malloc_info
// describes this process as Core's does its own. Without glibc the function is not exported and the RPC
// answers as a Core build without HAVE_MALLOC_INFO.
// Also sameFile, the identity check of a kept blk/rev descriptor, made on every block write: fs.statSync builds
// a Stats object per call where one system call and a comparison do.
#include <napi.h>

#include <cerrno>
#include <cstdio>
#include <cstdint>
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

// sameFile(path, dev, ino): true when `path` names the file with that device and inode (BigInts, as
// fs.fstatSync(fd, { bigint: true }) gives them for a kept descriptor), false when nothing is at `path`; undefined
// on any other error, which the caller reports through its own stat.
Napi::Value SameFile(const Napi::CallbackInfo& info)
{
    Napi::Env env = info.Env();
    if (info.Length() != 3 || !info[0].IsString() || !info[1].IsBigInt() || !info[2].IsBigInt()) {
        throw Napi::TypeError::New(env, "sameFile(path, dev, ino) needs a path and two BigInts");
    }
    const std::string path = info[0].As<Napi::String>().Utf8Value();
    bool lossless = true;
    const uint64_t dev = info[1].As<Napi::BigInt>().Uint64Value(&lossless);
    if (!lossless) return Napi::Boolean::New(env, false);
    const uint64_t ino = info[2].As<Napi::BigInt>().Uint64Value(&lossless);
    if (!lossless) return Napi::Boolean::New(env, false);
    struct stat by_name {};
    if (stat(path.c_str(), &by_name) != 0) {
        if (errno == ENOENT) return Napi::Boolean::New(env, false);
        return env.Undefined();
    }
    return Napi::Boolean::New(env, static_cast<uint64_t>(by_name.st_dev) == dev && static_cast<uint64_t>(by_name.st_ino) == ino);
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
