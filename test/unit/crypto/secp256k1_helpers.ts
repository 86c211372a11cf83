// Shared fixtures for the secp256k1 tests: the two backends under test and byte helpers.
import { jsBackend } from '../../../src/crypto/secp256k1_js.js';
import { nativeBackend } from '../../../src/crypto/secp256k1_native.js';
import type { Secp256k1Backend } from '../../../src/crypto/secp256k1_backend.js';

export const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
export const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));

export function toBigInt(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt('0x' + hex(b));
}

export function toBytes32(v: bigint): Uint8Array {
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
