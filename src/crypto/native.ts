// The crypto addon (native/crypto → <jsroot>/native/crypto.node), loaded once, with its types.
import { loadNativeAddon } from '../util/native_addon.js';

/** What crypto.node exports. Functions that can fail on valid-looking input return null. */
export interface CryptoAddon {
  ecdsaVerify(sigDer: Uint8Array, msg32: Uint8Array, pubkey: Uint8Array): boolean;
  ecdsaSign(msg32: Uint8Array, seckey32: Uint8Array, grind: boolean): Uint8Array | null;
  ecdsaSignRecoverable(msg32: Uint8Array, seckey32: Uint8Array, compressed: boolean): Uint8Array | null;
  ecdsaRecover(sig65: Uint8Array, msg32: Uint8Array): Uint8Array | null;
  schnorrVerify(sig64: Uint8Array, msg32: Uint8Array, xonly32: Uint8Array): boolean;
  schnorrSign(msg32: Uint8Array, seckey32: Uint8Array, auxRand32: Uint8Array | undefined): Uint8Array | null;
  schnorrVerifyMessage(sig64: Uint8Array, msg: Uint8Array, xonly32: Uint8Array): boolean;
  schnorrSignMessage(msg: Uint8Array, seckey32: Uint8Array, auxRand32: Uint8Array | undefined): Uint8Array | null;
  isValidXOnly(xonly32: Uint8Array): boolean;
  xonlyTweakAddCheck(tweaked32: Uint8Array, parity: number, internal32: Uint8Array, tweak32: Uint8Array): boolean;
  /** 33 bytes: the parity byte, then the tweaked x-only key. */
  xonlyTweakAdd(internal32: Uint8Array, tweak32: Uint8Array): Uint8Array | null;
  xonlyFromSeckey(seckey32: Uint8Array): Uint8Array | null;
  isValidPubKey(pubkey: Uint8Array): boolean;
  pubkeyCompress(pubkey: Uint8Array, compressed: boolean): Uint8Array | null;
  pubkeyCreate(seckey32: Uint8Array, compressed: boolean): Uint8Array | null;
  pubkeyTweakAdd(pubkey: Uint8Array, tweak32: Uint8Array, compressed: boolean): Uint8Array | null;
  seckeyTweakAdd(seckey32: Uint8Array, tweak32: Uint8Array): Uint8Array | null;
  seckeyVerify(seckey32: Uint8Array): boolean;
  /** False when the node binary does not export OpenSSL's SHA256_* functions. */
  hasSha256: boolean;
  sha256d?(data: Uint8Array): Uint8Array;
  /** The digests of every buffer, back to back. */
  sha256dBatch?(buffers: Uint8Array[]): Uint8Array;
  /** sha256d(left || right) of each pair of 32-byte nodes in `level`, back to back. */
  sha256dPairs?(level: Uint8Array): Uint8Array;
  /** SHA-256 of the parts back to back, as a 32-char latin1 string. */
  sha256Concat?(...parts: Uint8Array[]): string;
  /** Double SHA-256 of the parts back to back, as a 32-char latin1 string. */
  sha256dConcat?(...parts: Uint8Array[]): string;
  /** RIPEMD-160 of SHA-256, as a 20-char latin1 string (absent when node has no RIPEMD160_* functions). */
  hash160?(data: Uint8Array): string;
}

/** The addon, or null when this build has none (pure-TS fallbacks are then used). */
export const cryptoAddon: CryptoAddon | null = loadNativeAddon<CryptoAddon>('crypto');
