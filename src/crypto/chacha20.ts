// ChaCha20 keystream (RFC 8439 block function; Core's ChaCha20Aligned::Keystream) for a 32-byte key with the zero
// nonce, as MuHash3072 uses it. In plain JS: for MuHash's 384 bytes per element it is about 2-3x faster than setting
// up a node:crypto cipher (bench/coinstats.bench.ts); tests check it against node:crypto's chacha20.
const SIGMA: readonly number[] = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574];
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

function rotl(x: number, n: number): number {
  return (x << n) | (x >>> (32 - n));
}

/**
 * Writes block `counter` (nonce zero) at words[at..at+16]: 20 rounds over the state, plus the input state. Unrolled on
 * locals, which V8 keeps in registers (an array-based quarter round runs about 3x slower).
 */
function block(k: Uint32Array, counter: number, out: Uint32Array, at: number): void {
  let x0 = SIGMA[0]!, x1 = SIGMA[1]!, x2 = SIGMA[2]!, x3 = SIGMA[3]!;
  let x4 = k[0]!, x5 = k[1]!, x6 = k[2]!, x7 = k[3]!, x8 = k[4]!, x9 = k[5]!, x10 = k[6]!, x11 = k[7]!;
  let x12 = counter, x13 = 0, x14 = 0, x15 = 0;
  for (let i = 0; i < 10; i++) {
    // Column rounds.
    x0 = (x0 + x4) | 0; x12 = rotl(x12 ^ x0, 16); x8 = (x8 + x12) | 0; x4 = rotl(x4 ^ x8, 12);
    x0 = (x0 + x4) | 0; x12 = rotl(x12 ^ x0, 8); x8 = (x8 + x12) | 0; x4 = rotl(x4 ^ x8, 7);
    x1 = (x1 + x5) | 0; x13 = rotl(x13 ^ x1, 16); x9 = (x9 + x13) | 0; x5 = rotl(x5 ^ x9, 12);
    x1 = (x1 + x5) | 0; x13 = rotl(x13 ^ x1, 8); x9 = (x9 + x13) | 0; x5 = rotl(x5 ^ x9, 7);
    x2 = (x2 + x6) | 0; x14 = rotl(x14 ^ x2, 16); x10 = (x10 + x14) | 0; x6 = rotl(x6 ^ x10, 12);
    x2 = (x2 + x6) | 0; x14 = rotl(x14 ^ x2, 8); x10 = (x10 + x14) | 0; x6 = rotl(x6 ^ x10, 7);
    x3 = (x3 + x7) | 0; x15 = rotl(x15 ^ x3, 16); x11 = (x11 + x15) | 0; x7 = rotl(x7 ^ x11, 12);
    x3 = (x3 + x7) | 0; x15 = rotl(x15 ^ x3, 8); x11 = (x11 + x15) | 0; x7 = rotl(x7 ^ x11, 7);
    // Diagonal rounds.
    x0 = (x0 + x5) | 0; x15 = rotl(x15 ^ x0, 16); x10 = (x10 + x15) | 0; x5 = rotl(x5 ^ x10, 12);
    x0 = (x0 + x5) | 0; x15 = rotl(x15 ^ x0, 8); x10 = (x10 + x15) | 0; x5 = rotl(x5 ^ x10, 7);
    x1 = (x1 + x6) | 0; x12 = rotl(x12 ^ x1, 16); x11 = (x11 + x12) | 0; x6 = rotl(x6 ^ x11, 12);
    x1 = (x1 + x6) | 0; x12 = rotl(x12 ^ x1, 8); x11 = (x11 + x12) | 0; x6 = rotl(x6 ^ x11, 7);
    x2 = (x2 + x7) | 0; x13 = rotl(x13 ^ x2, 16); x8 = (x8 + x13) | 0; x7 = rotl(x7 ^ x8, 12);
    x2 = (x2 + x7) | 0; x13 = rotl(x13 ^ x2, 8); x8 = (x8 + x13) | 0; x7 = rotl(x7 ^ x8, 7);
    x3 = (x3 + x4) | 0; x14 = rotl(x14 ^ x3, 16); x9 = (x9 + x14) | 0; x4 = rotl(x4 ^ x9, 12);
    x3 = (x3 + x4) | 0; x14 = rotl(x14 ^ x3, 8); x9 = (x9 + x14) | 0; x4 = rotl(x4 ^ x9, 7);
  }
  out[at] = x0 + SIGMA[0]!; out[at + 1] = x1 + SIGMA[1]!; out[at + 2] = x2 + SIGMA[2]!; out[at + 3] = x3 + SIGMA[3]!;
  out[at + 4] = x4 + k[0]!; out[at + 5] = x5 + k[1]!; out[at + 6] = x6 + k[2]!; out[at + 7] = x7 + k[3]!;
  out[at + 8] = x8 + k[4]!; out[at + 9] = x9 + k[5]!; out[at + 10] = x10 + k[6]!; out[at + 11] = x11 + k[7]!;
  out[at + 12] = x12 + counter; out[at + 13] = x13; out[at + 14] = x14; out[at + 15] = x15;
}

/** The first `blocks` * 64 bytes of the keystream for `key` (32 bytes), zero nonce, block counter from 0. */
export function chacha20Blocks(key: Uint8Array, blocks: number): Uint8Array {
  if (key.length !== 32) throw new RangeError('ChaCha20 key must be 32 bytes');
  const dv = new DataView(key.buffer, key.byteOffset, 32);
  const k = new Uint32Array(8);
  for (let i = 0; i < 8; i++) k[i] = dv.getUint32(i * 4, true);
  const words = new Uint32Array(blocks * 16);
  for (let b = 0; b < blocks; b++) block(k, b, words, b * 16);
  const bytes = new Uint8Array(words.buffer);
  if (!LITTLE_ENDIAN) {
    const v = new DataView(words.buffer);
    for (let i = 0; i < words.length; i++) v.setUint32(i * 4, words[i]!, true);
  }
  return bytes;
}
