// The addon's one libsecp256k1 context, created once per process and blinded with fresh randomness.
#include "context.h"

#include <array>
#include <cstdint>
#include <cstring>
#include <random>

namespace smithcoin::crypto {
namespace {

#ifdef SECP256K1_CONTEXT_NONE
constexpr unsigned int kContextFlags = SECP256K1_CONTEXT_NONE;
#else
// Headers older than 0.2.0 still need the verify and sign tables to be asked for.
constexpr unsigned int kContextFlags = SECP256K1_CONTEXT_VERIFY | SECP256K1_CONTEXT_SIGN;
#endif

secp256k1_context* CreateContext()
{
    secp256k1_context* ctx = secp256k1_context_create(kContextFlags);
    if (ctx == nullptr) return nullptr;
    // Randomization blinds the signing and key-generation multiplications against side channels.
    // std::random_device reads the OS entropy source on every platform we build for.
    std::random_device rd;
    std::array<uint8_t, 32> seed;
    for (size_t i = 0; i < seed.size(); i += 4) {
        uint32_t word = rd();
        std::memcpy(seed.data() + i, &word, 4);
    }
    const int randomized = secp256k1_context_randomize(ctx, seed.data());
    std::memset(seed.data(), 0, seed.size());
    if (!randomized) {
        secp256k1_context_destroy(ctx);
        return nullptr;
    }
    return ctx;
}

} // namespace

const secp256k1_context* Context()
{
    // Never destroyed: worker threads may still be using it while the process exits.
    static const secp256k1_context* const ctx = CreateContext();
    return ctx;
}

} // namespace smithcoin::crypto
