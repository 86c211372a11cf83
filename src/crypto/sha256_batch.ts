// Double SHA-256 of many inputs per call (merkle levels, batches of txids) through the crypto addon,
// which is several times faster than one crypto.hash pair per input; node:crypto otherwise.
import crypto from 'node:crypto';
import { cryptoAddon, type CryptoAddon } from './native.js';

/** The functions of this module, for one backend. */
export interface Sha256dBatchImpl {
  /** Double SHA-256 of each buffer. */
  sha256dBatch(buffers: Uint8Array[]): Uint8Array[];
  /**
   * One merkle tree level: `level` holds 2k 32-byte nodes back to back; the result holds the k
   * parents sha256d(left || right) back to back.
   */
  sha256dPairs(level: Uint8Array): Uint8Array;
}

function checkLevel(level: Uint8Array): void {
  if (!(level instanceof Uint8Array)) throw new TypeError('level must be a Uint8Array');
  if (level.length % 64 !== 0) throw new TypeError('level must hold an even number of 32-byte nodes');
}

function sha256dJs(data: Uint8Array): Buffer {
  return crypto.hash('sha256', crypto.hash('sha256', data, 'buffer'), 'buffer');
}

/** node:crypto implementation (no addon). */
export const sha256dBatchJs: Sha256dBatchImpl = {
  sha256dBatch(buffers) {
    if (!Array.isArray(buffers)) throw new TypeError('buffers must be an array of Uint8Array');
    return buffers.map((b, i) => {
      if (!(b instanceof Uint8Array)) throw new TypeError(`buffers[${i}] must be a Uint8Array`);
      const h = sha256dJs(b);
      return new Uint8Array(h.buffer, h.byteOffset, 32);
    });
  },
  sha256dPairs(level) {
    checkLevel(level);
    const out = new Uint8Array(level.length / 2);
    for (let i = 0, o = 0; i < level.length; i += 64, o += 32) out.set(sha256dJs(level.subarray(i, i + 64)), o);
    return out;
  },
};

function makeNative(addon: CryptoAddon | null): Sha256dBatchImpl | null {
  if (addon === null || !addon.hasSha256 || !addon.sha256dBatch || !addon.sha256dPairs) return null;
  const batch = addon.sha256dBatch;
  return {
    sha256dBatch(buffers) {
      const all = batch(buffers);
      const out: Uint8Array[] = new Array(buffers.length);
      // Views into one allocation: far cheaper than one array per digest.
      for (let i = 0; i < buffers.length; i++) out[i] = all.subarray(i * 32, i * 32 + 32);
      return out;
    },
    sha256dPairs: addon.sha256dPairs,
  };
}

/** Addon implementation; null when the addon or its SHA-256 binding is missing. */
export const sha256dBatchNative: Sha256dBatchImpl | null = makeNative(cryptoAddon);

const impl = sha256dBatchNative ?? sha256dBatchJs;

/** Which implementation the exported functions use. */
export const sha256dBatchBackend: 'native' | 'js' = sha256dBatchNative ? 'native' : 'js';

/** Double SHA-256 of each buffer, in order. */
export function sha256dBatch(buffers: Uint8Array[]): Uint8Array[] {
  return impl.sha256dBatch(buffers);
}

/** One merkle level of 32-byte nodes (even count, back to back) → their parents, back to back. */
export function sha256dPairs(level: Uint8Array): Uint8Array {
  return impl.sha256dPairs(level);
}
