// Base58 and Base58Check encoding with Core's decoding rules (whitespace trimming, length caps).
import { sha256d } from '../crypto/sha256.js';

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const MAP = new Int8Array(256).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) MAP[ALPHABET.charCodeAt(i)] = i;

/** Core's IsSpace: the C locale's white-space characters. */
function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** Base58 text of `data`; each leading zero byte becomes a leading '1'. */
export function encodeBase58(data: Uint8Array): string {
  let zeroes = 0;
  while (zeroes < data.length && data[zeroes] === 0) zeroes++;
  // 138/100 > ln 256 / ln 58: enough base-58 digits for every byte
  const size = Math.floor(((data.length - zeroes) * 138) / 100) + 1;
  const b58 = new Uint8Array(size);
  let length = 0;
  for (let p = zeroes; p < data.length; p++) {
    let carry = data[p]!;
    let i = 0;
    for (let k = size - 1; (carry !== 0 || i < length) && k >= 0; k--, i++) {
      carry += 256 * b58[k]!;
      b58[k] = carry % 58;
      carry = Math.floor(carry / 58);
    }
    length = i;
  }
  let it = size - length;
  while (it < size && b58[it] === 0) it++;
  let out = '1'.repeat(zeroes);
  for (; it < size; it++) out += ALPHABET[b58[it]!];
  return out;
}

/**
 * Decodes Base58 text, or returns null. Like Core, leading and trailing white space is skipped, an
 * embedded NUL or any other character fails, and results longer than `maxRetLen` bytes fail early.
 */
export function decodeBase58(str: string, maxRetLen: number): Uint8Array | null {
  if (str.includes('\0')) return null;
  let p = 0;
  while (p < str.length && isSpace(str.charCodeAt(p))) p++;
  let zeroes = 0;
  while (p < str.length && str[p] === '1') {
    zeroes++;
    if (zeroes > maxRetLen) return null;
    p++;
  }
  // 733/1000 > ln 58 / ln 256: enough bytes for every base-58 digit
  const size = Math.floor(((str.length - p) * 733) / 1000) + 1;
  const b256 = new Uint8Array(size);
  let length = 0;
  while (p < str.length && !isSpace(str.charCodeAt(p))) {
    const code = str.charCodeAt(p);
    let carry = code < 256 ? MAP[code]! : -1;
    if (carry === -1) return null;
    let i = 0;
    for (let k = size - 1; (carry !== 0 || i < length) && k >= 0; k--, i++) {
      carry += 58 * b256[k]!;
      b256[k] = carry % 256;
      carry = Math.floor(carry / 256);
    }
    length = i;
    if (length + zeroes > maxRetLen) return null;
    p++;
  }
  while (p < str.length && isSpace(str.charCodeAt(p))) p++;
  if (p !== str.length) return null;
  const out = new Uint8Array(zeroes + length);
  out.set(b256.subarray(size - length), zeroes);
  return out;
}

/** Base58 of `data` followed by the first 4 bytes of its double SHA-256. */
export function encodeBase58Check(data: Uint8Array): string {
  const buf = new Uint8Array(data.length + 4);
  buf.set(data);
  buf.set(sha256d(data).subarray(0, 4), data.length);
  return encodeBase58(buf);
}

/** Decodes Base58Check text whose payload is at most `maxRetLen` bytes; null on any error or bad checksum. */
export function decodeBase58Check(str: string, maxRetLen: number): Uint8Array | null {
  const limit = maxRetLen > 0x7fffffff - 4 ? 0x7fffffff : maxRetLen + 4;
  const raw = decodeBase58(str, limit);
  if (!raw || raw.length < 4) return null;
  const body = raw.subarray(0, raw.length - 4);
  const check = sha256d(body);
  for (let i = 0; i < 4; i++) if (check[i] !== raw[body.length + i]) return null;
  return body.slice();
}
