// The secp256k1 operations Smithcoin needs, as one interface with a native (libsecp256k1 addon)
// and a pure-JS (@noble/curves) implementation that behave identically.

/** Raised for misuse that Core treats as a programming error (an invalid secret or public key). */
export class Secp256k1Error extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Secp256k1Error';
  }
}

/**
 * Fixed-size arguments (msg32, sig64, seckey32, tweak32, …) of the wrong size throw a TypeError.
 * Variable-size data (DER signatures, serialized pubkeys, 65-byte recoverable signatures) and the
 * is*() predicates give false or null instead, as Core's CPubKey does.
 */
export interface Secp256k1Backend {
  readonly name: 'native' | 'js';
  /** Core's CPubKey::Verify: lax DER parse, low-S normalisation, then verification. */
  ecdsaVerify(sigDer: Uint8Array, msg32: Uint8Array, pubkey: Uint8Array): boolean;
  /** libsecp256k1 parses it: 33-byte 02/03, 65-byte 04, or 65-byte hybrid 06/07 with matching parity. */
  isValidPubKey(pubkey: Uint8Array): boolean;
  /** BIP340 verification. */
  schnorrVerify(sig64: Uint8Array, msg32: Uint8Array, xonly32: Uint8Array): boolean;
  /** BIP340 signing; without auxRand32 the all-zero aux value is used (deterministic). */
  schnorrSign(msg32: Uint8Array, seckey32: Uint8Array, auxRand32?: Uint8Array): Uint8Array;
  /** BIP340 verification of a message of any length (the consensus rules only use 32 bytes). */
  schnorrVerifyMessage(sig64: Uint8Array, msg: Uint8Array, xonly32: Uint8Array): boolean;
  /** BIP340 signing of a message of any length. */
  schnorrSignMessage(msg: Uint8Array, seckey32: Uint8Array, auxRand32?: Uint8Array): Uint8Array;
  /** A 32-byte x coordinate of a curve point. */
  isValidXOnly(xonly32: Uint8Array): boolean;
  /** Taproot commitment check: is tweaked32 (with that Y parity) internal32 + tweak32·G? */
  xonlyTweakAddCheck(tweaked32: Uint8Array, parity: 0 | 1, internal32: Uint8Array, tweak32: Uint8Array): boolean;
  /** internal32 + tweak32·G as an x-only key and its Y parity; null if invalid or infinite. */
  xonlyTweakAdd(internal32: Uint8Array, tweak32: Uint8Array): { output: Uint8Array; parity: 0 | 1 } | null;
  /** The public key of a secret key (compressed unless asked otherwise). */
  pubkeyCreate(seckey32: Uint8Array, compressed?: boolean): Uint8Array;
  /** The BIP340 x-only public key of a secret key. */
  xonlyFromSeckey(seckey32: Uint8Array): Uint8Array;
  /** pubkey + tweak32·G, serialized like the input unless `compressed` says otherwise. */
  pubkeyTweakAdd(pubkey: Uint8Array, tweak32: Uint8Array, compressed?: boolean): Uint8Array | null;
  /** (seckey + tweak) mod n; null when either is out of range or the sum is zero. */
  seckeyTweakAdd(seckey32: Uint8Array, tweak32: Uint8Array): Uint8Array | null;
  /** 32 bytes, nonzero, below the group order. */
  seckeyVerify(seckey32: Uint8Array): boolean;
  /** Re-serializes a valid pubkey compressed (33 bytes) or uncompressed (65 bytes). */
  pubkeyCompress(pubkey: Uint8Array, compressed: boolean): Uint8Array;
  /**
   * Core's CKey::Sign: RFC6979 nonce, low S, DER. With `grind` (the default, as in Core) the nonce
   * is re-derived with a counter until R is below 2^255, so the signature is at most 71 bytes.
   */
  ecdsaSign(msg32: Uint8Array, seckey32: Uint8Array, grind?: boolean): Uint8Array;
  /** Core's CKey::SignCompact: header 27 + recid + (compressed ? 4 : 0), then R and S. */
  ecdsaSignRecoverable(msg32: Uint8Array, seckey32: Uint8Array, compressed: boolean): Uint8Array;
  /** Core's CPubKey::RecoverCompact: the signer's pubkey in the compression the header says, or null. */
  ecdsaRecover(sig65: Uint8Array, msg32: Uint8Array): Uint8Array | null;
}

export const INVALID_SECRET_KEY = 'invalid secret key';
export const INVALID_PUBLIC_KEY = 'invalid public key';
