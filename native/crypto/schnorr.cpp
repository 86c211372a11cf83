// BIP340 Schnorr and x-only key bindings: signing, verification, and the taproot tweak helpers.
#include "args.h"
#include "bindings.h"
#include "context.h"

#include <secp256k1.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>

#include <array>
#include <cstring>

namespace smithcoin::crypto {
namespace {

// Consensus callers always sign and verify 32-byte hashes, so the plain entry points insist on
// that size; the *Message variants take BIP340's arbitrary-length messages.
ByteView MessageArg(const Napi::CallbackInfo& info, size_t index, bool any_length)
{
    if (any_length) return BytesArg(info, index, "msg");
    return {FixedBytesArg(info, index, 32, "msg32"), 32};
}

Napi::Value Verify(const Napi::CallbackInfo& info, bool any_length)
{
    const uint8_t* sig = FixedBytesArg(info, 0, 64, "sig64");
    const ByteView msg = MessageArg(info, 1, any_length);
    const uint8_t* xonly = FixedBytesArg(info, 2, 32, "xonly32");
    const secp256k1_context* ctx = Context();
    secp256k1_xonly_pubkey pubkey;
    const bool ok = secp256k1_xonly_pubkey_parse(ctx, &pubkey, xonly) &&
                    secp256k1_schnorrsig_verify(ctx, sig, msg.data, msg.size, &pubkey);
    return Napi::Boolean::New(info.Env(), ok);
}

// (msg, seckey32, auxRand32 | undefined): null for an invalid secret key. A missing aux value
// means 32 zero bytes, as in libsecp256k1's BIP340 nonce function.
Napi::Value Sign(const Napi::CallbackInfo& info, bool any_length)
{
    const ByteView msg = MessageArg(info, 0, any_length);
    const uint8_t* seckey = FixedBytesArg(info, 1, 32, "seckey32");
    const uint8_t* aux = info[2].IsUndefined() ? nullptr : FixedBytesArg(info, 2, 32, "auxRand32");
    const secp256k1_context* ctx = Context();
    secp256k1_keypair keypair;
    if (!secp256k1_keypair_create(ctx, &keypair, seckey)) return info.Env().Null();
    secp256k1_schnorrsig_extraparams params = SECP256K1_SCHNORRSIG_EXTRAPARAMS_INIT;
    params.ndata = const_cast<uint8_t*>(aux); // only read by the default nonce function
    std::array<uint8_t, 64> sig;
    secp256k1_xonly_pubkey pubkey;
    // Checked after signing, as Core does, so a faulty computation never leaves the addon.
    const bool ok = secp256k1_schnorrsig_sign_custom(ctx, sig.data(), msg.data, msg.size, &keypair, &params) &&
                    secp256k1_keypair_xonly_pub(ctx, &pubkey, nullptr, &keypair) &&
                    secp256k1_schnorrsig_verify(ctx, sig.data(), msg.data, msg.size, &pubkey);
    std::memset(&keypair, 0, sizeof(keypair));
    if (!ok) throw Napi::Error::New(info.Env(), "Schnorr signature failed its own verification");
    return NewBytes(info.Env(), sig.data(), sig.size());
}

// schnorrVerify(sig64, msg32, xonly32)
Napi::Value SchnorrVerify(const Napi::CallbackInfo& info) { return Verify(info, false); }
// schnorrVerifyMessage(sig64, msg, xonly32)
Napi::Value SchnorrVerifyMessage(const Napi::CallbackInfo& info) { return Verify(info, true); }
// schnorrSign(msg32, seckey32, auxRand32?)
Napi::Value SchnorrSign(const Napi::CallbackInfo& info) { return Sign(info, false); }
// schnorrSignMessage(msg, seckey32, auxRand32?)
Napi::Value SchnorrSignMessage(const Napi::CallbackInfo& info) { return Sign(info, true); }

// isValidXOnly(xonly32): false for any other length.
Napi::Value IsValidXOnly(const Napi::CallbackInfo& info)
{
    const ByteView xonly = BytesArg(info, 0, "xonly32");
    secp256k1_xonly_pubkey pubkey;
    const bool ok = xonly.size == 32 && secp256k1_xonly_pubkey_parse(Context(), &pubkey, xonly.data);
    return Napi::Boolean::New(info.Env(), ok);
}

// xonlyTweakAddCheck(tweaked32, parity, internal32, tweak32): does tweaked32 (with that Y parity)
// equal internal + tweak*G? This is the taproot output key commitment check.
Napi::Value XOnlyTweakAddCheck(const Napi::CallbackInfo& info)
{
    const uint8_t* tweaked = FixedBytesArg(info, 0, 32, "tweaked32");
    const Napi::Value parity_value = info[1];
    if (!parity_value.IsNumber()) throw Napi::TypeError::New(info.Env(), "parity must be 0 or 1");
    const double parity = parity_value.As<Napi::Number>().DoubleValue();
    if (parity != 0 && parity != 1) throw Napi::TypeError::New(info.Env(), "parity must be 0 or 1");
    const uint8_t* internal = FixedBytesArg(info, 2, 32, "internal32");
    const uint8_t* tweak = FixedBytesArg(info, 3, 32, "tweak32");
    const secp256k1_context* ctx = Context();
    secp256k1_xonly_pubkey internal_key;
    const bool ok = secp256k1_xonly_pubkey_parse(ctx, &internal_key, internal) &&
                    secp256k1_xonly_pubkey_tweak_add_check(ctx, tweaked, static_cast<int>(parity), &internal_key, tweak);
    return Napi::Boolean::New(info.Env(), ok);
}

// xonlyTweakAdd(internal32, tweak32): 33 bytes (parity byte, then the output x) or null.
Napi::Value XOnlyTweakAdd(const Napi::CallbackInfo& info)
{
    const uint8_t* internal = FixedBytesArg(info, 0, 32, "internal32");
    const uint8_t* tweak = FixedBytesArg(info, 1, 32, "tweak32");
    const secp256k1_context* ctx = Context();
    secp256k1_xonly_pubkey internal_key;
    secp256k1_pubkey full;
    secp256k1_xonly_pubkey output;
    int parity = 0;
    if (!secp256k1_xonly_pubkey_parse(ctx, &internal_key, internal) ||
        !secp256k1_xonly_pubkey_tweak_add(ctx, &full, &internal_key, tweak) ||
        !secp256k1_xonly_pubkey_from_pubkey(ctx, &output, &parity, &full)) {
        return info.Env().Null();
    }
    std::array<uint8_t, 33> out;
    out[0] = static_cast<uint8_t>(parity);
    secp256k1_xonly_pubkey_serialize(ctx, out.data() + 1, &output);
    return NewBytes(info.Env(), out.data(), out.size());
}

// xonlyFromSeckey(seckey32): the BIP340 public key, or null for an invalid secret key.
Napi::Value XOnlyFromSeckey(const Napi::CallbackInfo& info)
{
    const uint8_t* seckey = FixedBytesArg(info, 0, 32, "seckey32");
    const secp256k1_context* ctx = Context();
    secp256k1_keypair keypair;
    secp256k1_xonly_pubkey pubkey;
    const bool ok = secp256k1_keypair_create(ctx, &keypair, seckey) &&
                    secp256k1_keypair_xonly_pub(ctx, &pubkey, nullptr, &keypair);
    std::memset(&keypair, 0, sizeof(keypair));
    if (!ok) return info.Env().Null();
    std::array<uint8_t, 32> out;
    secp256k1_xonly_pubkey_serialize(ctx, out.data(), &pubkey);
    return NewBytes(info.Env(), out.data(), out.size());
}

} // namespace

void RegisterSchnorr(Napi::Env env, Napi::Object exports)
{
    ExportFunction(env, exports, "schnorrVerify", SchnorrVerify);
    ExportFunction(env, exports, "schnorrSign", SchnorrSign);
    ExportFunction(env, exports, "schnorrVerifyMessage", SchnorrVerifyMessage);
    ExportFunction(env, exports, "schnorrSignMessage", SchnorrSignMessage);
    ExportFunction(env, exports, "isValidXOnly", IsValidXOnly);
    ExportFunction(env, exports, "xonlyTweakAddCheck", XOnlyTweakAddCheck);
    ExportFunction(env, exports, "xonlyTweakAdd", XOnlyTweakAdd);
    ExportFunction(env, exports, "xonlyFromSeckey", XOnlyFromSeckey);
}

} // namespace smithcoin::crypto
