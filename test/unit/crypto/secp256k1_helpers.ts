// Shared fixtures for the secp256k1 tests: the two backends under test and byte helpers.
import { jsBackend } from '../../../src/crypto/secp256k1_js.js';
import { nativeBackend } from '../../../src/crypto/secp256k1_native.js';
import type { Secp256k1Backend } from '../../../src/crypto/secp256k1_backend.js';
import { hexToBytes } from '../../../src/util/hex.js';

export const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
/** Strict hex parsing: odd lengths and non-hex digits throw (Buffer.from(s, 'hex') would drop them silently). */
export const unhex = (s: string): Uint8Array => hexToBytes(s);

export function toBigInt(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt('0x' + hex(b));
}

/** Big-endian bytes of a non-negative value, as few as it takes (one byte for zero). */
export function toBytes(v: bigint): Uint8Array {
  if (v < 0n) throw new RangeError('toBytes: negative value');
  const digits = v.toString(16);
  return unhex(digits.length % 2 ? '0' + digits : digits);
}

/** Exactly 32 big-endian bytes; a value of 2^256 or more throws instead of being cut. */
export function toBytes32(v: bigint): Uint8Array {
  if (v < 0n || v >= 1n << 256n) throw new RangeError('toBytes32: value does not fit in 32 bytes');
  return unhex(v.toString(16).padStart(64, '0'));
}

/**
 * Both backends. The native one must exist: every build produces the addon, so its absence is a
 * failure, not a reason to skip.
 */
export function backends(): Array<[string, () => Secp256k1Backend]> {
  return [
    ['native', () => {
      if (nativeBackend === null) throw new Error('crypto addon (native/crypto.node) is missing from this build');
      return nativeBackend;
    }],
    ['js', () => jsBackend],
  ];
}
