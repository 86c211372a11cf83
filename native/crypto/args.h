// Argument, result and export helpers shared by the crypto addon's bindings (bytes are Uint8Arrays).
#ifndef SMITHCOIN_NATIVE_CRYPTO_ARGS_H
#define SMITHCOIN_NATIVE_CRYPTO_ARGS_H

#include <napi.h>

#include <cstddef>
#include <cstdint>

namespace smithcoin::crypto {

struct ByteView {
    const uint8_t* data;
    size_t size;
};

// `data`, or a valid dummy pointer when it is null (for empty arrays).
const uint8_t* NonNull(const void* data);

// Any Uint8Array (a Buffer is one); a TypeError naming `name` otherwise.
ByteView BytesArg(const Napi::CallbackInfo& info, size_t index, const char* name);

// A Uint8Array of exactly `size` bytes; a TypeError naming `name` otherwise.
const uint8_t* FixedBytesArg(const Napi::CallbackInfo& info, size_t index, size_t size, const char* name);

// A JS boolean; a TypeError naming `name` otherwise.
bool BoolArg(const Napi::CallbackInfo& info, size_t index, const char* name);

// A fresh Uint8Array holding a copy of `size` bytes.
Napi::Value NewBytes(Napi::Env env, const uint8_t* data, size_t size);

// A fresh zero-filled Uint8Array whose storage the caller writes into.
Napi::Uint8Array NewBytesUninit(Napi::Env env, size_t size, uint8_t** out);

// Sets exports[name] to a JS function of that name that runs `callback`.
void ExportFunction(Napi::Env env, Napi::Object exports, const char* name, Napi::Value (*callback)(const Napi::CallbackInfo&));

} // namespace smithcoin::crypto

#endif // SMITHCOIN_NATIVE_CRYPTO_ARGS_H
