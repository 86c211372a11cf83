// SHA-256 bindings (double: single, batch and merkle-level pairs; single over concatenated parts) on the
// OpenSSL that the running node binary already contains. One call hashes many inputs, which is where the addon wins over
// crypto.hash: the per-call cost of Node's API dominates for 32..250-byte inputs.
#include "args.h"
#include "bindings.h"

#include <array>
#include <cstdint>
#include <string>

// OpenSSL's low-level SHA-256 API, declared here because the addon is built without OpenSSL's
// headers: the symbols come from the node binary (or the libcrypto it links) at load time. They are
// weak so that a node without them still loads the addon; the hash functions are then not exported.
extern "C" {
struct SmithcoinSha256Ctx {
    // Layout of OpenSSL's SHA256_CTX (SHA_LONG is 32 bits on every platform we target).
    uint32_t h[8];
    uint32_t nl, nh;
    uint32_t data[16];
    uint32_t num, md_len;
};
int SHA256_Init(SmithcoinSha256Ctx* c) __attribute__((weak));
int SHA256_Update(SmithcoinSha256Ctx* c, const void* data, size_t len) __attribute__((weak));
int SHA256_Final(unsigned char* md, SmithcoinSha256Ctx* c) __attribute__((weak));
struct SmithcoinRipemd160Ctx {
    // Layout of OpenSSL's RIPEMD160_CTX (RIPEMD160_LONG is 32 bits on every platform we target).
    uint32_t A, B, C, D, E;
    uint32_t Nl, Nh;
    uint32_t data[16];
    uint32_t num;
};
int RIPEMD160_Init(SmithcoinRipemd160Ctx* c) __attribute__((weak));
int RIPEMD160_Update(SmithcoinRipemd160Ctx* c, const void* data, size_t len) __attribute__((weak));
int RIPEMD160_Final(unsigned char* md, SmithcoinRipemd160Ctx* c) __attribute__((weak));
}
static_assert(sizeof(SmithcoinSha256Ctx) == 112, "SHA256_CTX layout");
static_assert(sizeof(SmithcoinRipemd160Ctx) == 96, "RIPEMD160_CTX layout");

namespace smithcoin::crypto {
namespace {

bool HaveOpensslSha256()
{
    return SHA256_Init != nullptr && SHA256_Update != nullptr && SHA256_Final != nullptr;
}

bool HaveOpensslRipemd160()
{
    return RIPEMD160_Init != nullptr && RIPEMD160_Update != nullptr && RIPEMD160_Final != nullptr;
}

// `out` may overlap the input: it is written only after the input has been read.
void Sha256d(const uint8_t* data, size_t size, uint8_t* out)
{
    SmithcoinSha256Ctx c;
    std::array<uint8_t, 32> first;
    SHA256_Init(&c);
    SHA256_Update(&c, data, size);
    SHA256_Final(first.data(), &c);
    SHA256_Init(&c);
    SHA256_Update(&c, first.data(), first.size());
    SHA256_Final(out, &c);
}

// sha256d(data): 32 bytes.
Napi::Value Sha256dOne(const Napi::CallbackInfo& info)
{
    const ByteView data = BytesArg(info, 0, "data");
    uint8_t* out = nullptr;
    Napi::Uint8Array result = NewBytesUninit(info.Env(), 32, &out);
    Sha256d(data.data, data.size, out);
    return result;
}

// sha256dBatch(buffers[]): the digests of every buffer, concatenated (32 bytes each).
Napi::Value Sha256dBatch(const Napi::CallbackInfo& info)
{
    if (!info[0].IsArray()) throw Napi::TypeError::New(info.Env(), "buffers must be an array of Uint8Array");
    const Napi::Array buffers = info[0].As<Napi::Array>();
    const uint32_t count = buffers.Length();
    uint8_t* out = nullptr;
    Napi::Uint8Array result = NewBytesUninit(info.Env(), size_t{count} * 32, &out);
    napi_env env = info.Env();
    for (uint32_t i = 0; i < count; ++i) {
        napi_value item;
        bool is_typed_array = false;
        napi_typedarray_type type;
        size_t length = 0;
        void* data = nullptr;
        if (napi_get_element(env, buffers, i, &item) != napi_ok ||
            napi_is_typedarray(env, item, &is_typed_array) != napi_ok || !is_typed_array ||
            napi_get_typedarray_info(env, item, &type, &length, &data, nullptr, nullptr) != napi_ok ||
            type != napi_uint8_array) {
            throw Napi::TypeError::New(info.Env(), "buffers[" + std::to_string(i) + "] must be a Uint8Array");
        }
        Sha256d(NonNull(data), length, out + size_t{i} * 32);
    }
    return result;
}

// sha256dPairs(level): level holds 2k 32-byte nodes back to back; returns the k parents
// sha256d(left || right), back to back. One merkle tree level per call.
Napi::Value Sha256dPairs(const Napi::CallbackInfo& info)
{
    const ByteView level = BytesArg(info, 0, "level");
    if (level.size % 64 != 0) {
        throw Napi::TypeError::New(info.Env(), "level must hold an even number of 32-byte nodes");
    }
    const size_t pairs = level.size / 64;
    uint8_t* out = nullptr;
    Napi::Uint8Array result = NewBytesUninit(info.Env(), pairs * 32, &out);
    for (size_t i = 0; i < pairs; ++i) Sha256d(level.data + i * 64, 64, out + i * 32);
    return result;
}

// The SHA-256 of the Uint8Array arguments back to back, hashed again when `twice`.
std::array<uint8_t, 32> HashArgs(const Napi::CallbackInfo& info, bool twice)
{
    SmithcoinSha256Ctx c;
    SHA256_Init(&c);
    for (size_t i = 0; i < info.Length(); ++i) {
        const ByteView part = BytesArg(info, i, "part");
        SHA256_Update(&c, part.data, part.size);
    }
    std::array<uint8_t, 32> md;
    SHA256_Final(md.data(), &c);
    if (twice) {
        SHA256_Init(&c);
        SHA256_Update(&c, md.data(), md.size());
        SHA256_Final(md.data(), &c);
    }
    return md;
}

// A digest as a latin1 string, one char per byte: cheaper to hand back than a fresh Uint8Array (no
// ArrayBuffer), and what the salted caches key on; callers needing bytes copy the chars out.
Napi::Value Latin1Digest(const Napi::CallbackInfo& info, const uint8_t* md, size_t size)
{
    napi_value result;
    if (napi_create_string_latin1(info.Env(), reinterpret_cast<const char*>(md), size, &result) != napi_ok) {
        throw Napi::Error::New(info.Env(), "cannot create the digest string");
    }
    return Napi::Value(info.Env(), result);
}

// sha256Concat(...parts) and sha256dConcat(...parts): single and double SHA-256 of the parts back to back, as
// latin1 strings. They replace crypto.hash and the Uint8Array-returning sha256d on hot paths (sighashes, cache
// entries), where the per-call setup and the result allocation cost more than the hashing.
Napi::Value Sha256Concat(const Napi::CallbackInfo& info)
{
    const std::array<uint8_t, 32> md = HashArgs(info, false);
    return Latin1Digest(info, md.data(), md.size());
}

Napi::Value Sha256dConcat(const Napi::CallbackInfo& info)
{
    const std::array<uint8_t, 32> md = HashArgs(info, true);
    return Latin1Digest(info, md.data(), md.size());
}

// hash160(data): RIPEMD-160 of SHA-256 (Core's Hash160) as a 20-char latin1 string; every P2PKH and P2WPKH
// spend checks one.
Napi::Value Hash160(const Napi::CallbackInfo& info)
{
    const ByteView data = BytesArg(info, 0, "data");
    SmithcoinSha256Ctx c;
    std::array<uint8_t, 32> inner;
    SHA256_Init(&c);
    SHA256_Update(&c, data.data, data.size);
    SHA256_Final(inner.data(), &c);
    SmithcoinRipemd160Ctx r;
    std::array<uint8_t, 20> md;
    RIPEMD160_Init(&r);
    RIPEMD160_Update(&r, inner.data(), inner.size());
    RIPEMD160_Final(md.data(), &r);
    return Latin1Digest(info, md.data(), md.size());
}

} // namespace

void RegisterHash(Napi::Env env, Napi::Object exports)
{
    const bool available = HaveOpensslSha256();
    exports.Set("hasSha256", Napi::Boolean::New(env, available));
    if (!available) return;
    ExportFunction(env, exports, "sha256d", Sha256dOne);
    ExportFunction(env, exports, "sha256dBatch", Sha256dBatch);
    ExportFunction(env, exports, "sha256dPairs", Sha256dPairs);
    ExportFunction(env, exports, "sha256Concat", Sha256Concat);
    ExportFunction(env, exports, "sha256dConcat", Sha256dConcat);
    if (HaveOpensslRipemd160()) ExportFunction(env, exports, "hash160", Hash160);
}

} // namespace smithcoin::crypto
