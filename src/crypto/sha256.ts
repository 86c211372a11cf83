// SHA-256 and double SHA-256 (Core's Hash/hash256). Single hashes use node:crypto's one-shot hash;
// double SHA-256 uses the crypto addon when the build has it (a little faster per call for short
// messages, and far faster in batches: bench/crypto.bench.ts), and node:crypto otherwise.
import { digest } from './bytes.js';
import { cryptoAddon } from './native.js';

/** SHA-256 of `data`. */
export function sha256(data: Uint8Array): Uint8Array {
  return digest('sha256', data);
}

/** Double SHA-256 through node:crypto only (the fallback; exported for tests and benchmarks). */
export function sha256dJs(data: Uint8Array): Uint8Array {
  return digest('sha256', digest('sha256', data));
}

const nativeSha256d = cryptoAddon !== null && cryptoAddon.hasSha256 ? cryptoAddon.sha256d : undefined;

/** Double SHA-256 (Core's Hash()): txids, block hashes, checksums. */
export const sha256d: (data: Uint8Array) => Uint8Array = nativeSha256d ?? sha256dJs;

/** Core's name for double SHA-256 (CHash256). */
export const hash256 = sha256d;
