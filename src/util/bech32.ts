// Bech32 and Bech32m (BIP173/BIP350): encoding, decoding and Core's error location (bech32::LocateErrors).

export enum Encoding {
  INVALID = 0,
  /** BIP173 constant 1. */
  BECH32 = 1,
  /** BIP350 constant 0x2bc830a3. */
  BECH32M = 2,
}

export interface DecodeResult {
  encoding: Encoding;
  hrp: string;
  /** 5-bit values of the data part, without the checksum. */
  data: number[];
}

/** Default maximum length of a Bech32 string (BIP173). */
export const BECH32_CHAR_LIMIT = 90;
const CHECKSUM_SIZE = 6;
const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const CHARSET_REV = new Int8Array(128).fill(-1);
for (let i = 0; i < CHARSET.length; i++) {
  CHARSET_REV[CHARSET.charCodeAt(i)] = i;
  CHARSET_REV[CHARSET.toUpperCase().charCodeAt(i)] = i;
}

function encodingConstant(encoding: Encoding): number {
  return encoding === Encoding.BECH32 ? 1 : 0x2bc830a3;
}

/** Residue of the values (with an implicit leading 1) modulo the BCH generator, as 6 packed 5-bit symbols. */
function polyMod(values: ArrayLike<number>): number {
  let c = 1;
  for (let i = 0; i < values.length; i++) {
    const c0 = c >>> 25;
    c = (((c & 0x1ffffff) << 5) ^ values[i]!) >>> 0;
    if (c0 & 1) c ^= 0x3b6a57b2;
    if (c0 & 2) c ^= 0x26508e6d;
    if (c0 & 4) c ^= 0x1ea119fa;
    if (c0 & 8) c ^= 0x3d4233dd;
    if (c0 & 16) c ^= 0x2a1462b3;
    c >>>= 0;
  }
  return c;
}

// GF(1024) tables: GF(32) is x^5+x^3+1, GF(1024) extends it with x^2+9x+23 (as in Core).
const GF1024_EXP = new Int16Array(1023);
const GF1024_LOG = new Int16Array(1024);
(() => {
  const gf32Exp = new Int8Array(31);
  const gf32Log = new Int8Array(32);
  gf32Exp[0] = 1;
  gf32Log[0] = -1;
  let v = 1;
  for (let i = 1; i < 31; i++) {
    v <<= 1;
    if (v & 32) v ^= 41;
    gf32Exp[i] = v;
    gf32Log[v] = i;
  }
  GF1024_EXP[0] = 1;
  GF1024_LOG[0] = -1;
  v = 1;
  for (let i = 1; i < 1023; i++) {
    const v0 = v & 31;
    const v1 = v >> 5;
    const v0n = v1 ? gf32Exp[(gf32Log[v1]! + gf32Log[23]!) % 31]! : 0;
    const v1n = (v1 ? gf32Exp[(gf32Log[v1]! + gf32Log[9]!) % 31]! : 0) ^ v0;
    v = (v1n << 5) | v0n;
    GF1024_EXP[i] = v;
    GF1024_LOG[v] = i;
  }
})();

// Syndrome constants: the evaluations at e^997, e^998, e^999 of each bit of each residue symbol.
const SYNDROME_CONSTS = new Uint32Array(25);
for (let k = 1; k < 6; k++) {
  for (let shift = 0; shift < 5; shift++) {
    const b = GF1024_LOG[1 << shift]!;
    const c0 = GF1024_EXP[(997 * k + b) % 1023]!;
    const c1 = GF1024_EXP[(998 * k + b) % 1023]!;
    const c2 = GF1024_EXP[(999 * k + b) % 1023]!;
    SYNDROME_CONSTS[5 * (k - 1) + shift] = ((c2 << 20) | (c1 << 10) | c0) >>> 0;
  }
}

function syndrome(residue: number): number {
  const low = residue & 0x1f;
  let result = low ^ (low << 10) ^ (low << 20);
  for (let i = 0; i < 25; i++) {
    if ((residue >>> (5 + i)) & 1) result ^= SYNDROME_CONSTS[i]!;
  }
  return result >>> 0;
}

/** Positions of characters outside 33..126, or whose case differs from the first cased letter. */
function checkCharacters(str: string, errors: number[]): boolean {
  let lower = false;
  let upper = false;
  for (let i = 0; i < str.length; i++) {
    const c = str.charCodeAt(i);
    if (c >= 97 && c <= 122) {
      if (upper) errors.push(i);
      else lower = true;
    } else if (c >= 65 && c <= 90) {
      if (lower) errors.push(i);
      else upper = true;
    } else if (c < 33 || c > 126) {
      errors.push(i);
    }
  }
  return errors.length === 0;
}

function expandHrp(hrp: string): number[] {
  const out = new Array<number>(hrp.length * 2 + 1);
  for (let i = 0; i < hrp.length; i++) {
    const c = hrp.charCodeAt(i);
    out[i] = c >> 5;
    out[i + hrp.length + 1] = c & 0x1f;
  }
  out[hrp.length] = 0;
  return out;
}

function verifyChecksum(hrp: string, values: number[]): Encoding {
  const check = polyMod([...expandHrp(hrp), ...values]);
  if (check === encodingConstant(Encoding.BECH32)) return Encoding.BECH32;
  if (check === encodingConstant(Encoding.BECH32M)) return Encoding.BECH32M;
  return Encoding.INVALID;
}

function lowerHrp(str: string, pos: number): string {
  return str.slice(0, pos).toLowerCase();
}

/** Bech32/Bech32m string of `values` (5-bit) under the lower-case `hrp`. */
export function encode(encoding: Encoding, hrp: string, values: ArrayLike<number>): string {
  if (encoding !== Encoding.BECH32 && encoding !== Encoding.BECH32M) throw new RangeError('invalid bech32 encoding');
  if (/[A-Z]/.test(hrp)) throw new RangeError('bech32 HRP must be lower case');
  const vals = Array.from(values);
  const mod = polyMod([...expandHrp(hrp), ...vals, 0, 0, 0, 0, 0, 0]) ^ encodingConstant(encoding);
  let out = hrp + '1';
  for (const v of vals) out += CHARSET[v];
  for (let i = 0; i < CHECKSUM_SIZE; i++) out += CHARSET[(mod >>> (5 * (5 - i))) & 31];
  return out;
}

/** Decodes a Bech32 or Bech32m string; `encoding` is INVALID on any error (Core's bech32::Decode). */
export function decode(str: string, limit = BECH32_CHAR_LIMIT): DecodeResult {
  const invalid: DecodeResult = { encoding: Encoding.INVALID, hrp: '', data: [] };
  if (!checkCharacters(str, [])) return invalid;
  const pos = str.lastIndexOf('1');
  if (str.length > limit) return invalid;
  if (pos === -1 || pos === 0 || pos + CHECKSUM_SIZE >= str.length) return invalid;
  const values: number[] = [];
  for (let i = pos + 1; i < str.length; i++) {
    const rev = CHARSET_REV[str.charCodeAt(i)]!;
    if (rev === -1) return invalid;
    values.push(rev);
  }
  const hrp = lowerHrp(str, pos);
  const encoding = verifyChecksum(hrp, values);
  if (encoding === Encoding.INVALID) return invalid;
  return { encoding, hrp, data: values.slice(0, values.length - CHECKSUM_SIZE) };
}

/**
 * Explains why `str` is not valid Bech32/Bech32m: Core's error message and the string positions of
 * up to two substitution errors (found by syndrome decoding). Returns ["", []] for a valid string.
 */
export function locateErrors(str: string, limit = BECH32_CHAR_LIMIT): [string, number[]] {
  let errorLocations: number[] = [];
  if (str.length > limit) {
    for (let i = limit; i < str.length; i++) errorLocations.push(i);
    return ['Bech32 string too long', errorLocations];
  }
  if (!checkCharacters(str, errorLocations)) return ['Invalid character or mixed case', errorLocations];
  const pos = str.lastIndexOf('1');
  if (pos === -1) return ['Missing separator', []];
  if (pos === 0 || pos + CHECKSUM_SIZE >= str.length) return ['Invalid separator position', [pos]];
  const hrp = lowerHrp(str, pos);
  const length = str.length - 1 - pos;
  const values: number[] = [];
  for (let i = pos + 1; i < str.length; i++) {
    const rev = CHARSET_REV[str.charCodeAt(i)]!;
    if (rev === -1) return ['Invalid Base 32 character', [i]];
    values.push(rev);
  }
  // Try both constants and keep the explanation with the fewest errors: the version symbol may itself be wrong.
  let errorEncoding: Encoding | undefined;
  const expanded = [...expandHrp(hrp), ...values];
  for (const encoding of [Encoding.BECH32, Encoding.BECH32M]) {
    const possible: number[] = [];
    const residue = (polyMod(expanded) ^ encodingConstant(encoding)) >>> 0;
    if (residue === 0) return ['', []];
    const syn = syndrome(residue);
    const s0 = syn & 0x3ff;
    const s1 = (syn >>> 10) & 0x3ff;
    const s2 = syn >>> 20;
    const ls0 = GF1024_LOG[s0]!;
    const ls1 = GF1024_LOG[s1]!;
    const ls2 = GF1024_LOG[s2]!;
    if (ls0 !== -1 && ls1 !== -1 && ls2 !== -1 && (2 * ls1 - ls2 - ls0 + 2046) % 1023 === 0) {
      // A single error: s1/s0 = s2/s1 = e^p1.
      const p1 = (ls1 - ls0 + 1023) % 1023;
      const le1 = ls0 + (1023 - 997) * p1;
      if (p1 < length && !(le1 % 33)) possible.push(str.length - p1 - 1);
    } else {
      // Two errors: guess p1 and solve for p2, then check both magnitudes lie in GF(32).
      for (let p1 = 0; p1 < length; p1++) {
        const s2s1p1 = s2 ^ (s1 === 0 ? 0 : GF1024_EXP[(ls1 + p1) % 1023]!);
        if (s2s1p1 === 0) continue;
        const ls2s1p1 = GF1024_LOG[s2s1p1]!;
        const s1s0p1 = s1 ^ (s0 === 0 ? 0 : GF1024_EXP[(ls0 + p1) % 1023]!);
        if (s1s0p1 === 0) continue;
        const ls1s0p1 = GF1024_LOG[s1s0p1]!;
        const p2 = (ls2s1p1 - ls1s0p1 + 1023) % 1023;
        if (p2 >= length || p1 === p2) continue;
        const s1s0p2 = s1 ^ (s0 === 0 ? 0 : GF1024_EXP[(ls0 + p2) % 1023]!);
        if (s1s0p2 === 0) continue;
        const ls1s0p2 = GF1024_LOG[s1s0p2]!;
        const invP1P2 = 1023 - GF1024_LOG[GF1024_EXP[p1]! ^ GF1024_EXP[p2]!]!;
        const le2 = ls1s0p1 + invP1P2 + (1023 - 997) * p2;
        if (le2 % 33) continue;
        const le1 = ls1s0p2 + invP1P2 + (1023 - 997) * p1;
        if (le1 % 33) continue;
        if (p1 > p2) possible.push(str.length - p1 - 1, str.length - p2 - 1);
        else possible.push(str.length - p2 - 1, str.length - p1 - 1);
        break;
      }
    }
    if (errorLocations.length === 0 || (possible.length > 0 && possible.length < errorLocations.length)) {
      errorLocations = possible;
      if (errorLocations.length > 0) errorEncoding = encoding;
    }
  }
  const message =
    errorEncoding === Encoding.BECH32M ? 'Invalid Bech32m checksum' : errorEncoding === Encoding.BECH32 ? 'Invalid Bech32 checksum' : 'Invalid checksum';
  return [message, errorLocations];
}

/**
 * Regroups `fromBits`-bit values into `toBits`-bit values (Core's ConvertBits). With `pad`, a final
 * partial group is zero-padded; without it, leftover bits must be fewer than `fromBits` and zero.
 * Returns null when the input cannot be converted.
 */
export function convertBits(input: ArrayLike<number>, fromBits: number, toBits: number, pad: boolean): number[] | null {
  const out: number[] = [];
  const maxv = (1 << toBits) - 1;
  const maxAcc = (1 << (fromBits + toBits - 1)) - 1;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < input.length; i++) {
    acc = ((acc << fromBits) | input[i]!) & maxAcc;
    bits += fromBits;
    while (bits >= toBits) {
      bits -= toBits;
      out.push((acc >>> bits) & maxv);
    }
  }
  if (pad) {
    if (bits) out.push((acc << (toBits - bits)) & maxv);
  } else if (bits >= fromBits || ((acc << (toBits - bits)) & maxv)) {
    return null;
  }
  return out;
}
