// Plain secp256k1 key bindings: pubkey parsing and serialization, derivation, and tweaks (BIP32).
#include "args.h"
#include "bindings.h"
#include "context.h"

#include <secp256k1.h>

#include <array>
#include <cstring>

namespace smithcoin::crypto {
namespace {

Napi::Value SerializePubkey(Napi::Env env, const secp256k1_pubkey& pubkey, bool compressed)
{
    std::array<uint8_t, 65> out;
    size_t out_size = out.size();
    secp256k1_ec_pubkey_serialize(Context(), out.data(), &out_size, &pubkey,
                                  compressed ? SECP256K1_EC_COMPRESSED : SECP256K1_EC_UNCOMPRESSED);
    return NewBytes(env, out.data(), out_size);
}

// isValidPubKey(pubkey): compressed (02/03), uncompressed (04) or hybrid (06/07) and on the curve.
Napi::Value IsValidPubKey(const Napi::CallbackInfo& info)
{
    const ByteView pub = BytesArg(info, 0, "pubkey");
    secp256k1_pubkey pubkey;
    return Napi::Boolean::New(info.Env(), secp256k1_ec_pubkey_parse(Context(), &pubkey, pub.data, pub.size) == 1);
}

// pubkeyCompress(pubkey, compressed): re-serialized, or null when the pubkey does not parse.
Napi::Value PubkeyCompress(const Napi::CallbackInfo& info)
{
    const ByteView pub = BytesArg(info, 0, "pubkey");
    const bool compressed = BoolArg(info, 1, "compressed");
    secp256k1_pubkey pubkey;
    if (!secp256k1_ec_pubkey_parse(Context(), &pubkey, pub.data, pub.size)) return info.Env().Null();
    return SerializePubkey(info.Env(), pubkey, compressed);
}

// pubkeyCreate(seckey32, compressed): null for an invalid secret key.
Napi::Value PubkeyCreate(const Napi::CallbackInfo& info)
{
    const uint8_t* seckey = FixedBytesArg(info, 0, 32, "seckey32");
    const bool compressed = BoolArg(info, 1, "compressed");
    secp256k1_pubkey pubkey;
    if (!secp256k1_ec_pubkey_create(Context(), &pubkey, seckey)) return info.Env().Null();
    return SerializePubkey(info.Env(), pubkey, compressed);
}

// pubkeyTweakAdd(pubkey, tweak32, compressed): pubkey + tweak*G, or null (bad pubkey, tweak not
// below the group order, or the point at infinity).
Napi::Value PubkeyTweakAdd(const Napi::CallbackInfo& info)
{
    const ByteView pub = BytesArg(info, 0, "pubkey");
    const uint8_t* tweak = FixedBytesArg(info, 1, 32, "tweak32");
    const bool compressed = BoolArg(info, 2, "compressed");
    const secp256k1_context* ctx = Context();
    secp256k1_pubkey pubkey;
    if (!secp256k1_ec_pubkey_parse(ctx, &pubkey, pub.data, pub.size) ||
        !secp256k1_ec_pubkey_tweak_add(ctx, &pubkey, tweak)) {
        return info.Env().Null();
    }
    return SerializePubkey(info.Env(), pubkey, compressed);
}

// seckeyTweakAdd(seckey32, tweak32): (seckey + tweak) mod n, or null when invalid or zero.
Napi::Value SeckeyTweakAdd(const Napi::CallbackInfo& info)
{
    const uint8_t* seckey = FixedBytesArg(info, 0, 32, "seckey32");
    const uint8_t* tweak = FixedBytesArg(info, 1, 32, "tweak32");
    std::array<uint8_t, 32> out;
    std::memcpy(out.data(), seckey, out.size());
    // The library rejects an invalid input key itself, so no separate verify is needed.
    if (!secp256k1_ec_seckey_tweak_add(Context(), out.data(), tweak)) return info.Env().Null();
    Napi::Value result = NewBytes(info.Env(), out.data(), out.size());
    std::memset(out.data(), 0, out.size());
    return result;
}

// seckeyVerify(seckey32): 32 bytes, nonzero and below the group order.
Napi::Value SeckeyVerify(const Napi::CallbackInfo& info)
{
    const ByteView seckey = BytesArg(info, 0, "seckey32");
    const bool ok = seckey.size == 32 && secp256k1_ec_seckey_verify(Context(), seckey.data);
    return Napi::Boolean::New(info.Env(), ok);
}

} // namespace

void RegisterKeys(Napi::Env env, Napi::Object exports)
{
    ExportFunction(env, exports, "isValidPubKey", IsValidPubKey);
    ExportFunction(env, exports, "pubkeyCompress", PubkeyCompress);
    ExportFunction(env, exports, "pubkeyCreate", PubkeyCreate);
    ExportFunction(env, exports, "pubkeyTweakAdd", PubkeyTweakAdd);
    ExportFunction(env, exports, "seckeyTweakAdd", SeckeyTweakAdd);
    ExportFunction(env, exports, "seckeyVerify", SeckeyVerify);
}

} // namespace smithcoin::crypto
