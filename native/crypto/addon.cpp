// Entry point of crypto.node: libsecp256k1 signatures and keys, plus batched double SHA-256.
#include "bindings.h"
#include "context.h"

#include <napi.h>

namespace smithcoin::crypto {
namespace {

Napi::Object InitModule(Napi::Env env, Napi::Object exports)
{
    if (Context() == nullptr) {
        throw Napi::Error::New(env, "crypto addon: cannot create the secp256k1 context");
    }
    RegisterEcdsa(env, exports);
    RegisterSchnorr(env, exports);
    RegisterKeys(env, exports);
    RegisterHash(env, exports);
    return exports;
}

} // namespace
} // namespace smithcoin::crypto

// The registration macro pastes the function name into an identifier, so it must be unqualified.
static Napi::Object Init(Napi::Env env, Napi::Object exports)
{
    return smithcoin::crypto::InitModule(env, exports);
}

NODE_API_MODULE(crypto, Init)
