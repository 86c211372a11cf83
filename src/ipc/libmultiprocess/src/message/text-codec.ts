// UTF-8 encode/decode tuned for the short strings typical of RPC messages (ASCII fast paths, native for long text).

const decoder = new TextDecoder('utf-8');
const encoder = new TextEncoder();

/** Decodes bytes[start, end) as UTF-8 (invalid sequences become U+FFFD, as TextDecoder does). */
export function decodeText(bytes: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n === 0) return '';
  if (n <= 32) {
    // Short ASCII strings: building the string directly beats the TextDecoder call overhead.
    let s = '';
    for (let i = start; i < end; i++) {
      const c = bytes[i]!;
      if (c >= 0x80) return decoder.decode(bytes.subarray(start, end));
      s += String.fromCharCode(c);
    }
    return s;
  }
  return decoder.decode(bytes.subarray(start, end));
}

/**
 * Strings at least this long are measured and encoded natively. For a 1 KiB ASCII string the two per-character loops
 * below cost ~120 µs interpreted and 4–18 µs once optimized; Buffer.byteLength + encodeInto cost ~0.6 µs from the
 * first call on. Below this length the native call overhead outweighs the loops.
 */
const NATIVE_TEXT_MIN = 64;

/** Number of UTF-8 bytes needed for `s` (a lone surrogate counts 3, as it is written as U+FFFD). */
export function utf8Length(s: string): number {
  const n = s.length;
  if (n >= NATIVE_TEXT_MIN) return Buffer.byteLength(s, 'utf8');
  let bytes = n;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { bytes += 2; i++; } else bytes += 2; // lone surrogate -> U+FFFD (3 bytes)
    } else bytes += 2;
  }
  return bytes;
}

/** Writes `s` as UTF-8 at bytes[off]; `len` must be utf8Length(s). */
export function encodeTextInto(s: string, bytes: Uint8Array, off: number, len: number): void {
  if (len === s.length && len < NATIVE_TEXT_MIN) {
    for (let i = 0; i < len; i++) bytes[off + i] = s.charCodeAt(i);
    return;
  }
  encoder.encodeInto(s, bytes.subarray(off, off + len));
}
