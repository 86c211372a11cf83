// secp256k1 façade: the crypto addon (libsecp256k1) when the build has it, else @noble/curves.
// Everything that validates signatures or handles keys goes through these functions.
import type { Secp256k1Backend } from './secp256k1_backend.js';
import { nativeBackend } from './secp256k1_native.js';

export { Secp256k1Error } from './secp256k1_backend.js';
export type { Secp256k1Backend } from './secp256k1_backend.js';

// noble is only loaded when needed: the node itself always has the addon.
const backend: Secp256k1Backend = nativeBackend ?? (await import('./secp256k1_js.js')).jsBackend;

/** Which implementation is in use: 'js' only when the crypto addon was not built. */
export const secp256k1Backend: 'native' | 'js' = backend.name;

/** ECDSA verification exactly as Core's CPubKey::Verify (lax DER, low-S normalisation). */
export function ecdsaVerify(sigDer: Uint8Array, msg32: Uint8Array, pubkey: Uint8Array): boolean {
  return backend.ecdsaVerify(sigDer, msg32, pubkey);
}

/** True when libsecp256k1 parses the pubkey (compressed, uncompressed or hybrid). */
export function isValidPubKey(pubkey: Uint8Array): boolean {
  return backend.isValidPubKey(pubkey);
}

/** BIP340 Schnorr verification. */
export function schnorrVerify(sig64: Uint8Array, msg32: Uint8Array, xonly32: Uint8Array): boolean {
  return backend.schnorrVerify(sig64, msg32, xonly32);
}

/** BIP340 Schnorr signing (all-zero aux randomness when none is given). */
export function schnorrSign(msg32: Uint8Array, seckey32: Uint8Array, auxRand32?: Uint8Array): Uint8Array {
  return backend.schnorrSign(msg32, seckey32, auxRand32);
}

/** BIP340 verification of a message of any length (BIP340 allows it; consensus uses 32 bytes). */
export function schnorrVerifyMessage(sig64: Uint8Array, msg: Uint8Array, xonly32: Uint8Array): boolean {
  return backend.schnorrVerifyMessage(sig64, msg, xonly32);
}

/** BIP340 signing of a message of any length. */
export function schnorrSignMessage(msg: Uint8Array, seckey32: Uint8Array, auxRand32?: Uint8Array): Uint8Array {
  return backend.schnorrSignMessage(msg, seckey32, auxRand32);
}

/** True for the x coordinate of a curve point. */
export function isValidXOnly(xonly32: Uint8Array): boolean {
  return backend.isValidXOnly(xonly32);
}

/** Taproot commitment check (Core's XOnlyPubKey::CheckTapTweak, given the tweak). */
export function xonlyTweakAddCheck(tweaked32: Uint8Array, parity: 0 | 1, internal32: Uint8Array, tweak32: Uint8Array): boolean {
  return backend.xonlyTweakAddCheck(tweaked32, parity, internal32, tweak32);
}

/** internal32 + tweak32·G as an x-only key and parity (Core's XOnlyPubKey::CreateTapTweak). */
export function xonlyTweakAdd(internal32: Uint8Array, tweak32: Uint8Array): { output: Uint8Array; parity: 0 | 1 } | null {
  return backend.xonlyTweakAdd(internal32, tweak32);
}

/** Public key of a secret key; compressed by default. Throws Secp256k1Error for an invalid key. */
export function pubkeyCreate(seckey32: Uint8Array, compressed?: boolean): Uint8Array {
  return backend.pubkeyCreate(seckey32, compressed);
}

/** BIP340 x-only public key of a secret key. */
export function xonlyFromSeckey(seckey32: Uint8Array): Uint8Array {
  return backend.xonlyFromSeckey(seckey32);
}

/** pubkey + tweak32·G (BIP32 public derivation); serialized like the input by default. */
export function pubkeyTweakAdd(pubkey: Uint8Array, tweak32: Uint8Array, compressed?: boolean): Uint8Array | null {
  return backend.pubkeyTweakAdd(pubkey, tweak32, compressed);
}

/** (seckey + tweak) mod n (BIP32 private derivation); null when invalid. */
export function seckeyTweakAdd(seckey32: Uint8Array, tweak32: Uint8Array): Uint8Array | null {
  return backend.seckeyTweakAdd(seckey32, tweak32);
}

/** True for a 32-byte secret key in [1, n-1]. */
export function seckeyVerify(seckey32: Uint8Array): boolean {
  return backend.seckeyVerify(seckey32);
}

/** Re-serializes a pubkey compressed or uncompressed. Throws Secp256k1Error when it does not parse. */
export function pubkeyCompress(pubkey: Uint8Array, compressed: boolean): Uint8Array {
  return backend.pubkeyCompress(pubkey, compressed);
}

/** Core's CKey::Sign: DER, low-S, RFC6979, ground to low R unless `grind` is false. */
export function ecdsaSign(msg32: Uint8Array, seckey32: Uint8Array, grind?: boolean): Uint8Array {
  return backend.ecdsaSign(msg32, seckey32, grind);
}

/** 65-byte signed-message signature (header byte 27 + recid + (compressed ? 4 : 0)). */
export function ecdsaSignRecoverable(msg32: Uint8Array, seckey32: Uint8Array, compressed: boolean): Uint8Array {
  return backend.ecdsaSignRecoverable(msg32, seckey32, compressed);
}

/** The pubkey that made a 65-byte signed-message signature, in the header's compression, or null. */
export function ecdsaRecover(sig65: Uint8Array, msg32: Uint8Array): Uint8Array | null {
  return backend.ecdsaRecover(sig65, msg32);
}
