// Lenient DER parsing of ECDSA signatures for the pure-JS backend, with the acceptance rules of
// Bitcoin Core's ecdsa_signature_parse_der_lax (mirrors native/crypto/der_lax.cpp).

/** Group order of secp256k1. */
export const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

function toBigInt(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

/**
 * Returns null when `input` is not even loosely DER-shaped. Otherwise returns {r, s}; when either
 * does not fit below the group order both are 0n, a signature that parses but never verifies.
 */
export function parseDerLax(input: Uint8Array): { r: bigint; s: bigint } | null {
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
    const start = pos;
    pos += size;
    return { start, size };
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
  const rPart = integer();
  if (rPart === null) return null;
  const sPart = integer();
  if (sPart === null) return null;
  // Anything after S is ignored.

  const scalar = (part: { start: number; size: number }): bigint | null => {
    let { start, size } = part;
    while (size > 0 && input[start] === 0) {
      start++;
      size--;
    }
    return size > 32 ? null : toBigInt(input.subarray(start, start + size));
  };
  const r = scalar(rPart);
  const s = scalar(sPart);
  if (r === null || s === null || r >= SECP256K1_N || s >= SECP256K1_N) return { r: 0n, s: 0n };
  return { r, s };
}
