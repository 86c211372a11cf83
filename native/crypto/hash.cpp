// Double SHA-256 bindings (single, batch, and merkle-level pairs) on the OpenSSL that the running
// node binary already contains. One call hashes many inputs, which is where the addon wins over
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
}
static_assert(sizeof(SmithcoinSha256Ctx) == 112, "SHA256_CTX layout");

namespace smithcoin::crypto {
namespace {

bool HaveOpensslSha256()
{
    return SHA256_Init != nullptr && SHA256_Update != nullptr && SHA256_Final != nullptr;
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

} // namespace

void RegisterHash(Napi::Env env, Napi::Object exports)
{
    const bool available = HaveOpensslSha256();
    exports.Set("hasSha256", Napi::Boolean::New(env, available));
    if (!available) return;
    ExportFunction(env, exports, "sha256d", Sha256dOne);
    ExportFunction(env, exports, "sha256dBatch", Sha256dBatch);
    ExportFunction(env, exports, "sha256dPairs", Sha256dPairs);
}

} // namespace smithcoin::crypto
