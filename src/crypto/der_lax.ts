// Lenient DER parsing of ECDSA signatures with the acceptance rules of Bitcoin Core's
// ecdsa_signature_parse_der_lax (mirrors native/crypto/der_lax.cpp): for the pure-JS backend, and
// CheckLowS on the signature bytes for the script interpreter.
import { hexToBytes } from '../util/hex.js';

/** Group order of secp256k1. */
export const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** N and floor(N / 2) big-endian, for comparisons on the signature bytes themselves. */
const N_BYTES = hexToBytes(SECP256K1_N.toString(16));
const HALF_N_BYTES = hexToBytes((SECP256K1_N >> 1n).toString(16).padStart(64, '0'));

function toBigInt(bytes: Uint8Array, start: number, size: number): bigint {
  let v = 0n;
  for (let i = start; i < start + size; i++) v = (v << 8n) | BigInt(bytes[i]!);
  return v;
}

/** Where R and S sit inside a signature, leading zero bytes already skipped. */
export interface DerLaxScalars {
  rStart: number;
  rSize: number;
  sStart: number;
  sSize: number;
}

/**
 * The byte spans of R and S, or null when `input` is not even loosely DER-shaped. A span may be longer
 * than 32 bytes: that is an overflow, which Core turns into the all-zero signature rather than a failure.
 */
export function locateDerLax(input: Uint8Array): DerLaxScalars | null {
  const len = input.length;
  let pos = 0;

  const integerLength = (): number | null => {
    if (pos === len) return null;
    const first = input[pos++]!;
    if ((first & 0x80) === 0) return first;
    let count = first - 0x80;
    if (count > len - pos) return null;
    // Leading zero bytes of a long-form length do not count; three significant bytes at most.
    while (count > 0 && input[pos] === 0) {
      pos++;
      count--;
    }
    if (count >= 4) return null;
    let value = 0;
    for (; count > 0; count--) value = value * 256 + input[pos++]!;
    return value;
  };

  const integer = (): { start: number; size: number } | null => {
    if (pos === len || input[pos] !== 0x02) return null;
    pos++;
    const size = integerLength();
    if (size === null || size > len - pos) return null;
    let start = pos;
    pos += size;
    // Leading zeros (sign padding or excess padding) are not part of the value.
    let rest = size;
    while (rest > 0 && input[start] === 0) {
      start++;
      rest--;
    }
    return { start, size: rest };
  };

  if (pos === len || input[pos] !== 0x30) return null;
  pos++;
  // The sequence length is never used; a long form only has to fit in the input.
  if (pos === len) return null;
  const seqFirst = input[pos++]!;
  if (seqFirst & 0x80) {
    const count = seqFirst - 0x80;
    if (count > len - pos) return null;
    pos += count;
  }
  const r = integer();
  if (r === null) return null;
  const s = integer();
  if (s === null) return null;
  // Anything after S is ignored.
  return { rStart: r.start, rSize: r.size, sStart: s.start, sSize: s.size };
}

/** Compares the unsigned big-endian value input[start, start+size) (size <= 32) with a 32-byte constant whose first byte is non-zero. */
function compareScalar(input: Uint8Array, start: number, size: number, ref32: Uint8Array): number {
  if (size < 32) return -1;
  for (let i = 0; i < 32; i++) {
    const d = input[start + i]! - ref32[i]!;
    if (d !== 0) return d;
  }
  return 0;
}

/** Core's overflow rule: more than 32 significant bytes, or a value not below the group order. */
function overflows(input: Uint8Array, start: number, size: number): boolean {
  return size > 32 || compareScalar(input, start, size, N_BYTES) >= 0;
}

/**
 * Returns null when `input` is not even loosely DER-shaped. Otherwise returns {r, s}; when either
 * does not fit below the group order both are 0n, a signature that parses but never verifies.
 */
export function parseDerLax(input: Uint8Array): { r: bigint; s: bigint } | null {
  const at = locateDerLax(input);
  if (at === null) return null;
  if (overflows(input, at.rStart, at.rSize) || overflows(input, at.sStart, at.sSize)) return { r: 0n, s: 0n };
  return { r: toBigInt(input, at.rStart, at.rSize), s: toBigInt(input, at.sStart, at.sSize) };
}

/**
 * Core's CPubKey::CheckLowS, on the bytes (no bigint per signature): false when the lax parse fails; true
 * when it overflows (Core then holds the zero signature, which is low); else whether S <= N/2.
 */
export function isLowSDerLax(input: Uint8Array): boolean {
  const at = locateDerLax(input);
  if (at === null) return false;
  if (overflows(input, at.rStart, at.rSize) || overflows(input, at.sStart, at.sSize)) return true;
  return compareScalar(input, at.sStart, at.sSize, HALF_N_BYTES) <= 0;
}
