// SipHash-2-4 as Core uses it: CSipHasher, SipHashUint256 (BIP152 short ids, hash tables) and
// SipHashUint256Extra (outpoints); BIP158 filters hash arbitrary elements with sipHash24.
// 64-bit lanes are kept as pairs of unsigned 32-bit numbers: far faster than bigint arithmetic.

const MASK32 = 0xffffffffn;

// State layout: [v0lo, v0hi, v1lo, v1hi, v2lo, v2hi, v3lo, v3hi].
type State = Uint32Array;

function initState(k0: bigint, k1: bigint): State {
  const k0lo = Number(k0 & MASK32);
  const k0hi = Number((k0 >> 32n) & MASK32);
  const k1lo = Number(k1 & MASK32);
  const k1hi = Number((k1 >> 32n) & MASK32);
  // The constants spell "somepseudorandomlygeneratedbytes".
  return Uint32Array.of(
    0x70736575 ^ k0lo, 0x736f6d65 ^ k0hi,
    0x6e646f6d ^ k1lo, 0x646f7261 ^ k1hi,
    0x6e657261 ^ k0lo, 0x6c796765 ^ k0hi,
    0x79746573 ^ k1lo, 0x74656462 ^ k1hi,
  );
}

function sipRounds(s: State, rounds: number): void {
  let v0l = s[0]!, v0h = s[1]!, v1l = s[2]!, v1h = s[3]!;
  let v2l = s[4]!, v2h = s[5]!, v3l = s[6]!, v3h = s[7]!;
  let l: number, t: number;
  for (let i = 0; i < rounds; i++) {
    // v0 += v1; v1 <<<= 13; v1 ^= v0; v0 <<<= 32
    l = (v0l + v1l) >>> 0; v0h = (v0h + v1h + (l < v0l ? 1 : 0)) >>> 0; v0l = l;
    t = ((v1h << 13) | (v1l >>> 19)) >>> 0; v1l = ((v1l << 13) | (v1h >>> 19)) >>> 0; v1h = t;
    v1l = (v1l ^ v0l) >>> 0; v1h = (v1h ^ v0h) >>> 0;
    t = v0l; v0l = v0h; v0h = t;
    // v2 += v3; v3 <<<= 16; v3 ^= v2
    l = (v2l + v3l) >>> 0; v2h = (v2h + v3h + (l < v2l ? 1 : 0)) >>> 0; v2l = l;
    t = ((v3h << 16) | (v3l >>> 16)) >>> 0; v3l = ((v3l << 16) | (v3h >>> 16)) >>> 0; v3h = t;
    v3l = (v3l ^ v2l) >>> 0; v3h = (v3h ^ v2h) >>> 0;
    // v0 += v3; v3 <<<= 21; v3 ^= v0
    l = (v0l + v3l) >>> 0; v0h = (v0h + v3h + (l < v0l ? 1 : 0)) >>> 0; v0l = l;
    t = ((v3h << 21) | (v3l >>> 11)) >>> 0; v3l = ((v3l << 21) | (v3h >>> 11)) >>> 0; v3h = t;
    v3l = (v3l ^ v0l) >>> 0; v3h = (v3h ^ v0h) >>> 0;
    // v2 += v1; v1 <<<= 17; v1 ^= v2; v2 <<<= 32
    l = (v2l + v1l) >>> 0; v2h = (v2h + v1h + (l < v2l ? 1 : 0)) >>> 0; v2l = l;
    t = ((v1h << 17) | (v1l >>> 15)) >>> 0; v1l = ((v1l << 17) | (v1h >>> 15)) >>> 0; v1h = t;
    v1l = (v1l ^ v2l) >>> 0; v1h = (v1h ^ v2h) >>> 0;
    t = v2l; v2l = v2h; v2h = t;
  }
  s[0] = v0l; s[1] = v0h; s[2] = v1l; s[3] = v1h;
  s[4] = v2l; s[5] = v2h; s[6] = v3l; s[7] = v3h;
}

// One message word through two compression rounds.
function compress(s: State, lo: number, hi: number): void {
  s[6] ^= lo; s[7] ^= hi;
  sipRounds(s, 2);
  s[0] ^= lo; s[1] ^= hi;
}

// The last word (tail bytes plus the length in the top byte), then four finalization rounds.
function finish(s: State, lo: number, hi: number): bigint {
  compress(s, lo, hi);
  s[4] ^= 0xff;
  sipRounds(s, 4);
  const outLo = (s[0]! ^ s[2]! ^ s[4]! ^ s[6]!) >>> 0;
  const outHi = (s[1]! ^ s[3]! ^ s[5]! ^ s[7]!) >>> 0;
  return (BigInt(outHi) << 32n) | BigInt(outLo);
}

function readLE32(b: Uint8Array, pos: number): number {
  return (b[pos]! | (b[pos + 1]! << 8) | (b[pos + 2]! << 16) | (b[pos + 3]! << 24)) >>> 0;
}

/** Incremental SipHash-2-4 with Core's CSipHasher semantics (finalize does not consume the state). */
export class SipHasher {
  private readonly state: State;
  // Pending bytes of the current 64-bit word, little-endian.
  private tailLo = 0;
  private tailHi = 0;
  private count = 0;

  constructor(k0: bigint, k1: bigint) {
    this.state = initState(k0, k1);
  }

  /** Hashes `data`. */
  write(data: Uint8Array): this {
    for (let i = 0; i < data.length; i++) {
      const shift = (this.count & 7) * 8;
      if (shift < 32) this.tailLo = (this.tailLo | (data[i]! << shift)) >>> 0;
      else this.tailHi = (this.tailHi | (data[i]! << (shift - 32))) >>> 0;
      this.count++;
      if ((this.count & 7) === 0) {
        compress(this.state, this.tailLo, this.tailHi);
        this.tailLo = 0;
        this.tailHi = 0;
      }
    }
    return this;
  }

  /** Hashes a 64-bit number as 8 little-endian bytes. Only at a multiple of 8 bytes, as in Core. */
  writeU64(value: bigint): this {
    if ((this.count & 7) !== 0) throw new RangeError('SipHasher.writeU64 needs an 8-byte aligned position');
    compress(this.state, Number(value & MASK32), Number((value >> 32n) & MASK32));
    this.count += 8;
    return this;
  }

  /** The 64-bit hash of everything written so far. */
  finalize(): bigint {
    const s = this.state.slice();
    return finish(s, this.tailLo, (this.tailHi | ((this.count & 0xff) << 24)) >>> 0);
  }
}

/** One-shot SipHash-2-4 of `data` (BIP158 uses it for filter elements). */
export function sipHash24(k0: bigint, k1: bigint, data: Uint8Array): bigint {
  return new SipHasher(k0, k1).write(data).finalize();
}

function hashUint256Words(k0: bigint, k1: bigint, hash32: Uint8Array): State {
  if (!(hash32 instanceof Uint8Array) || hash32.length !== 32) {
    throw new TypeError('hash32 must be a 32-byte Uint8Array');
  }
  const s = initState(k0, k1);
  for (let i = 0; i < 32; i += 8) compress(s, readLE32(hash32, i), readLE32(hash32, i + 4));
  return s;
}

/** Core's SipHashUint256: SipHash-2-4 of a 32-byte hash (same result as sipHash24 on its bytes). */
export function sipHashUint256(k0: bigint, k1: bigint, hash32: Uint8Array): bigint {
  const s = hashUint256Words(k0, k1, hash32);
  return finish(s, 0, 32 << 24);
}

/** Core's SipHashUint256Extra: the 32-byte hash followed by `extra` as 4 little-endian bytes. */
export function sipHashUint256Extra(k0: bigint, k1: bigint, hash32: Uint8Array, extra: number): bigint {
  const s = hashUint256Words(k0, k1, hash32);
  return finish(s, extra >>> 0, 36 << 24);
}
