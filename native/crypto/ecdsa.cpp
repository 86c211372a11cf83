// ECDSA bindings: verification as Bitcoin Core's CPubKey::Verify does it, signing as CKey::Sign
// does it (RFC6979 with low-R grinding), and signed-message (compact recoverable) signatures.
#include "args.h"
#include "bindings.h"
#include "context.h"
#include "der_lax.h"

#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include <array>
#include <cstring>

namespace smithcoin::crypto {
namespace {

constexpr size_t kMaxDerSize = 72;
constexpr size_t kCompactRecoverableSize = 65;

// ecdsaVerify(sigDer, msg32, pubkey): lax DER, then low-S normalisation, then verify.
Napi::Value EcdsaVerify(const Napi::CallbackInfo& info)
{
    const ByteView sig_der = BytesArg(info, 0, "sigDer");
    const uint8_t* msg = FixedBytesArg(info, 1, 32, "msg32");
    const ByteView pub = BytesArg(info, 2, "pubkey");
    const secp256k1_context* ctx = Context();
    secp256k1_pubkey pubkey;
    secp256k1_ecdsa_signature sig;
    if (!secp256k1_ec_pubkey_parse(ctx, &pubkey, pub.data, pub.size) ||
        !ParseDerLax(ctx, &sig, sig_der.data, sig_der.size)) {
        return Napi::Boolean::New(info.Env(), false);
    }
    // libsecp256k1 only accepts low-S; high-S signatures are valid consensus-wise.
    secp256k1_ecdsa_signature_normalize(ctx, &sig, &sig);
    return Napi::Boolean::New(info.Env(), secp256k1_ecdsa_verify(ctx, &sig, msg, &pubkey) == 1);
}

bool HasLowR(const secp256k1_context* ctx, const secp256k1_ecdsa_signature& sig)
{
    std::array<uint8_t, 64> compact;
    secp256k1_ecdsa_signature_serialize_compact(ctx, compact.data(), &sig);
    // R below 2^255 keeps its DER integer at 32 bytes, saving a byte.
    return compact[0] < 0x80;
}

void WriteLE32(uint8_t* out, uint32_t value)
{
    for (int i = 0; i < 4; ++i) out[i] = static_cast<uint8_t>(value >> (8 * i));
}

// ecdsaSign(msg32, seckey32, grind): DER, low-S; null for an invalid secret key.
Napi::Value EcdsaSign(const Napi::CallbackInfo& info)
{
    const uint8_t* msg = FixedBytesArg(info, 0, 32, "msg32");
    const uint8_t* seckey = FixedBytesArg(info, 1, 32, "seckey32");
    const bool grind = BoolArg(info, 2, "grind");
    const secp256k1_context* ctx = Context();
    secp256k1_ecdsa_signature sig;
    int ok = secp256k1_ecdsa_sign(ctx, &sig, msg, seckey, secp256k1_nonce_function_rfc6979, nullptr);
    // Core's grinding: retry with a little-endian counter as extra entropy until R is low.
    std::array<uint8_t, 32> extra{};
    uint32_t counter = 0;
    while (ok && grind && !HasLowR(ctx, sig)) {
        WriteLE32(extra.data(), ++counter);
        ok = secp256k1_ecdsa_sign(ctx, &sig, msg, seckey, secp256k1_nonce_function_rfc6979, extra.data());
    }
    if (!ok) return info.Env().Null();
    // Check the result before handing it out, as Core does, against a faulty computation.
    secp256k1_pubkey pubkey;
    if (!secp256k1_ec_pubkey_create(ctx, &pubkey, seckey) || !secp256k1_ecdsa_verify(ctx, &sig, msg, &pubkey)) {
        throw Napi::Error::New(info.Env(), "ECDSA signature failed its own verification");
    }
    std::array<uint8_t, kMaxDerSize> der;
    size_t der_size = der.size();
    secp256k1_ecdsa_signature_serialize_der(ctx, der.data(), &der_size, &sig);
    return NewBytes(info.Env(), der.data(), der_size);
}

// ecdsaSignRecoverable(msg32, seckey32, compressed): Core's CKey::SignCompact format,
// header byte 27 + recid + (compressed ? 4 : 0) then R and S; null for an invalid key.
Napi::Value EcdsaSignRecoverable(const Napi::CallbackInfo& info)
{
    const uint8_t* msg = FixedBytesArg(info, 0, 32, "msg32");
    const uint8_t* seckey = FixedBytesArg(info, 1, 32, "seckey32");
    const bool compressed = BoolArg(info, 2, "compressed");
    const secp256k1_context* ctx = Context();
    secp256k1_ecdsa_recoverable_signature sig;
    if (!secp256k1_ecdsa_sign_recoverable(ctx, &sig, msg, seckey, secp256k1_nonce_function_rfc6979, nullptr)) {
        return info.Env().Null();
    }
    std::array<uint8_t, kCompactRecoverableSize> out;
    int recid = 0;
    secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx, out.data() + 1, &recid, &sig);
    out[0] = static_cast<uint8_t>(27 + recid + (compressed ? 4 : 0));
    return NewBytes(info.Env(), out.data(), out.size());
}

// ecdsaRecover(sig65, msg32): the signer's pubkey, serialized as the header byte says, or null.
Napi::Value EcdsaRecover(const Napi::CallbackInfo& info)
{
    const ByteView sig65 = BytesArg(info, 0, "sig65");
    const uint8_t* msg = FixedBytesArg(info, 1, 32, "msg32");
    if (sig65.size != kCompactRecoverableSize) return info.Env().Null();
    const secp256k1_context* ctx = Context();
    // Same arithmetic as Core: out-of-range headers wrap instead of being rejected.
    const int header = sig65.data[0];
    const int recid = (header - 27) & 3;
    const bool compressed = ((header - 27) & 4) != 0;
    secp256k1_ecdsa_recoverable_signature sig;
    secp256k1_pubkey pubkey;
    if (!secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &sig, sig65.data + 1, recid) ||
        !secp256k1_ecdsa_recover(ctx, &pubkey, &sig, msg)) {
        return info.Env().Null();
    }
    std::array<uint8_t, 65> out;
    size_t out_size = out.size();
    secp256k1_ec_pubkey_serialize(ctx, out.data(), &out_size, &pubkey,
                                  compressed ? SECP256K1_EC_COMPRESSED : SECP256K1_EC_UNCOMPRESSED);
    return NewBytes(info.Env(), out.data(), out_size);
}

} // namespace

void RegisterEcdsa(Napi::Env env, Napi::Object exports)
{
    ExportFunction(env, exports, "ecdsaVerify", EcdsaVerify);
    ExportFunction(env, exports, "ecdsaSign", EcdsaSign);
    ExportFunction(env, exports, "ecdsaSignRecoverable", EcdsaSignRecoverable);
    ExportFunction(env, exports, "ecdsaRecover", EcdsaRecover);
}

} // namespace smithcoin::crypto
