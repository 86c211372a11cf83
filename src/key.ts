// Private keys (CKey), public key checks (CPubKey/XOnlyPubKey), WIF, and the EC operations keys need.
// Curve work goes through the crypto façade (libsecp256k1 addon, or its pure-JS twin without the addon).
import * as ec from './crypto/secp256k1.js';
import { decodeBase58Check, encodeBase58Check } from './util/base58.js';
import type { AddressParams } from './kernel/chainparams_base.js';

/** Serialized sizes of CPubKey. */
export const PUBKEY_SIZE = 65;
export const COMPRESSED_PUBKEY_SIZE = 33;

/** Expected serialized length for a pubkey header byte (CPubKey::GetLen), 0 if the header is unknown. */
export function pubkeyLenForHeader(header: number): number {
  if (header === 2 || header === 3) return COMPRESSED_PUBKEY_SIZE;
  if (header === 4 || header === 6 || header === 7) return PUBKEY_SIZE;
  return 0;
}

/** CPubKey::ValidSize / IsValid: a known header and the matching length; no curve check. */
export function pubkeyValidSize(pub: Uint8Array): boolean {
  return pub.length > 0 && pubkeyLenForHeader(pub[0]!) === pub.length;
}

/** CPubKey::IsValidNonHybrid: a valid size and a 02/03/04 header. */
export function pubkeyIsValidNonHybrid(pub: Uint8Array): boolean {
  return pubkeyValidSize(pub) && (pub[0] === 2 || pub[0] === 3 || pub[0] === 4);
}

export function pubkeyIsCompressed(pub: Uint8Array): boolean {
  return pub.length === COMPRESSED_PUBKEY_SIZE;
}

/** CPubKey::IsFullyValid: a well-formed encoding of a point on the curve (hybrid 06/07 included, as libsecp256k1 parses them). */
export function pubkeyIsFullyValid(pub: Uint8Array): boolean {
  return pubkeyValidSize(pub) && ec.isValidPubKey(pub);
}

/** CPubKey ordering (lexicographic on the serialization), used by sortedmulti. */
export function comparePubkeys(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** XOnlyPubKey(CPubKey): the 32 bytes after the header. */
export function xonlyFromPubkey(pub: Uint8Array): Uint8Array {
  return pub.slice(1, 33);
}

/** XOnlyPubKey::IsFullyValid: x is the coordinate of a curve point. */
export function xonlyIsFullyValid(x: Uint8Array): boolean {
  return x.length === 32 && ec.isValidXOnly(x);
}

/**
 * Taproot output key: lift_x(x) + t*G (secp256k1_xonly_pubkey_tweak_add). Null if x is not a valid
 * x-only key, t >= n or the result is infinity. `parity` is the odd-y bit of the result.
 */
export function xonlyTweakAdd(x: Uint8Array, tweak: Uint8Array): { x: Uint8Array; parity: number } | null {
  if (x.length !== 32) return null;
  const r = ec.xonlyTweakAdd(x, tweak);
  return r ? { x: r.output, parity: r.parity } : null;
}

/** A secret key is a 32-byte integer in [1, n-1]. */
export function secretIsValid(secret: Uint8Array): boolean {
  return secret.length === 32 && ec.seckeyVerify(secret);
}

/** Serialized pubkey of a valid secret. */
export function pubkeyFromSecret(secret: Uint8Array, compressed: boolean): Uint8Array {
  return ec.pubkeyCreate(secret, compressed);
}

/** (secret + tweak) mod n, or null if tweak >= n or the sum is zero (secp256k1_ec_seckey_tweak_add). */
export function seckeyTweakAdd(secret: Uint8Array, tweak: Uint8Array): Uint8Array | null {
  return ec.seckeyTweakAdd(secret, tweak);
}

/** Compressed serialization of pub + tweak*G, or null if pub does not parse, tweak >= n or the sum is infinity. */
export function pubkeyTweakAdd(pub: Uint8Array, tweak: Uint8Array): Uint8Array | null {
  return ec.pubkeyTweakAdd(pub, tweak, true);
}

/** A private key with its public key compression flag (Core's CKey). */
export class Key {
  readonly secret: Uint8Array;
  readonly compressed: boolean;
  private pubCache: Uint8Array | undefined;

  private constructor(secret: Uint8Array, compressed: boolean) {
    this.secret = secret;
    this.compressed = compressed;
  }

  /** A key from 32 secret bytes, or null when they are out of range (CKey::Set leaves it invalid). */
  static fromSecret(secret: Uint8Array, compressed: boolean): Key | null {
    return secretIsValid(secret) ? new Key(secret.slice(), compressed) : null;
  }

  /** CKey::GetPubKey. */
  getPubKey(): Uint8Array {
    this.pubCache ??= pubkeyFromSecret(this.secret, this.compressed);
    return this.pubCache;
  }
}

/** WIF text of a key (EncodeSecret). */
export function encodeSecret(key: Key, params: AddressParams): string {
  const prefix = params.base58Prefixes.SECRET_KEY;
  const data = new Uint8Array(prefix.length + 32 + (key.compressed ? 1 : 0));
  data.set(prefix);
  data.set(key.secret, prefix.length);
  if (key.compressed) data[data.length - 1] = 1;
  return encodeBase58Check(data);
}

/** Key from WIF text, or null (DecodeSecret). */
export function decodeSecret(str: string, params: AddressParams): Key | null {
  const data = decodeBase58Check(str, 34);
  if (!data) return null;
  const prefix = params.base58Prefixes.SECRET_KEY;
  const plain = data.length === 32 + prefix.length;
  const withFlag = data.length === 33 + prefix.length && data[data.length - 1] === 1;
  if (!(plain || withFlag)) return null;
  for (let i = 0; i < prefix.length; i++) if (data[i] !== prefix[i]) return null;
  const key = Key.fromSecret(data.subarray(prefix.length, prefix.length + 32), withFlag);
  data.fill(0);
  return key;
}
