// Registration functions of the crypto addon's binding groups (one per source file).
#ifndef SMITHCOIN_NATIVE_CRYPTO_BINDINGS_H
#define SMITHCOIN_NATIVE_CRYPTO_BINDINGS_H

#include <napi.h>

namespace smithcoin::crypto {

void RegisterEcdsa(Napi::Env env, Napi::Object exports);
void RegisterSchnorr(Napi::Env env, Napi::Object exports);
void RegisterKeys(Napi::Env env, Napi::Object exports);
void RegisterHash(Napi::Env env, Napi::Object exports);

} // namespace smithcoin::crypto

#endif // SMITHCOIN_NATIVE_CRYPTO_BINDINGS_H
