// support.node: glibc's heap report for getmemoryinfo "mallocinfo". The node's native allocations (V8's
// backing stores, LevelDB, the addons) go through glibc's malloc, as bitcoind's do, so its malloc_info
// describes this process as Core's does its own. Without glibc the function is not exported and the RPC
// answers as a Core build without HAVE_MALLOC_INFO.
#include <napi.h>

#include <cstdio>
#include <cstdlib>
#include <string>

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

Napi::Object Init(Napi::Env env, Napi::Object exports)
{
#if defined(__GLIBC__)
    exports.Set("mallocInfo", Napi::Function::New(env, MallocInfo, "mallocInfo"));
#endif
    return exports;
}

} // namespace

NODE_API_MODULE(support, Init)
