// SHA-256 and double SHA-256 (Core's Hash/hash256). Both use the crypto addon when the build has it (a little
// faster per call for short messages, and far faster in batches: bench/crypto.bench.ts), and node:crypto otherwise.
import { concatBytes, digest, latin1Bytes, latin1BytesTransient } from './bytes.js';
import { cryptoAddon } from './native.js';

/** SHA-256 of `data`. */
export function sha256(data: Uint8Array): Uint8Array {
  return sha256Concat(data);
}

/** Double SHA-256 through node:crypto only (the fallback; exported for tests and benchmarks). */
export function sha256dJs(data: Uint8Array): Uint8Array {
  return digest('sha256', digest('sha256', data));
}

const nativeSha256Concat = cryptoAddon !== null && cryptoAddon.hasSha256 ? cryptoAddon.sha256Concat : undefined;

/**
 * SHA-256 of `parts` back to back. With the addon the parts are hashed in place (no joined copy) and without
 * node:crypto's per-call setup, which costs more than hashing a short message: tagged hashes, sighashes.
 */
export function sha256Concat(...parts: Uint8Array[]): Uint8Array {
  if (nativeSha256Concat !== undefined) return latin1Bytes(nativeSha256Concat(...parts));
  return digest('sha256', parts.length === 1 ? parts[0]! : concatBytes(...parts));
}

const nativeSha256dConcat = cryptoAddon !== null && cryptoAddon.hasSha256 ? cryptoAddon.sha256dConcat : undefined;

/** Double SHA-256 (Core's Hash()): txids, block hashes, checksums, legacy and BIP143 sighashes. */
export const sha256d: (data: Uint8Array) => Uint8Array =
  nativeSha256dConcat !== undefined ? (data) => latin1Bytes(nativeSha256dConcat(data)) : sha256dJs;

/** Double SHA-256 of `parts` back to back (with the addon, without joining them first). */
export function sha256dConcat(...parts: Uint8Array[]): Uint8Array {
  if (nativeSha256dConcat !== undefined) return latin1Bytes(nativeSha256dConcat(...parts));
  return sha256dJs(parts.length === 1 ? parts[0]! : concatBytes(...parts));
}

/**
 * sha256Concat and sha256dConcat for a digest about to be handed to the addon and then dropped (a signature
 * hash, a taproot tweak): with the addon the result sits outside the V8 heap already (see latin1BytesTransient).
 */
export function sha256ConcatTransient(...parts: Uint8Array[]): Uint8Array {
  if (nativeSha256Concat !== undefined) return latin1BytesTransient(nativeSha256Concat(...parts));
  return sha256Concat(...parts);
}

export function sha256dConcatTransient(...parts: Uint8Array[]): Uint8Array {
  if (nativeSha256dConcat !== undefined) return latin1BytesTransient(nativeSha256dConcat(...parts));
  return sha256dConcat(...parts);
}

/** Core's name for double SHA-256 (CHash256). */
export const hash256 = sha256d;
