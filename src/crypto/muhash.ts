// MuHash3072 (Core's crypto/muhash): a hash of a set that supports insertion and removal in any order. Each element
// maps to a number modulo the prime 2^3072 - 1103717 (its SHA-256 expanded to 384 bytes by the ChaCha20 keystream);
// the set's value is the product of its elements' numbers, kept as a fraction numerator/denominator so that removal
// costs a multiplication and only Finalize pays for a modular inverse.
import { chacha20Blocks } from './chacha20.js';
import { sha256 } from './sha256.js';

/** Bytes of a Num3072 (48 little-endian 64-bit limbs in little-endian order: the number in little endian). */
export const NUM3072_BYTE_SIZE = 384;
const BITS = 3072n;
const MAX_PRIME_DIFF = 1103717n;
const TWO_POW_3072 = 1n << BITS;
const MASK = TWO_POW_3072 - 1n;
/** The modulus 2^3072 - 1103717 (a safe prime). */
export const MUHASH_PRIME = TWO_POW_3072 - MAX_PRIME_DIFF;

/** A little-endian byte string as a bigint (hex conversion is the fastest route in V8). */
export function leBytesToBigInt(bytes: Uint8Array): bigint {
  const rev = Buffer.from(bytes).reverse();
  return BigInt(`0x${rev.toString('hex') || '0'}`);
}

/** `n` (0 <= n < 2^3072) as 384 little-endian bytes. */
export function bigIntToLeBytes(n: bigint): Uint8Array {
  if (n < 0n || n > MASK) throw new RangeError('Num3072 value out of range');
  const be = Buffer.from(n.toString(16).padStart(NUM3072_BYTE_SIZE * 2, '0'), 'hex');
  return new Uint8Array(be.reverse());
}

/**
 * `x` mod p for 0 <= x < 2^6144, folding the high half with 2^3072 = 1103717 (mod p): two folds bring any product
 * below 2^3072 + 1103717^2 < 2p, so one conditional subtraction finishes.
 */
function reduce(x: bigint): bigint {
  x = (x & MASK) + (x >> BITS) * MAX_PRIME_DIFF;
  x = (x & MASK) + (x >> BITS) * MAX_PRIME_DIFF;
  return x >= MUHASH_PRIME ? x - MUHASH_PRIME : x;
}

/** The inverse of `a` modulo the prime (extended Euclid). `a` must be non-zero modulo p. */
function inverse(a: bigint): bigint {
  let [r0, r1] = [MUHASH_PRIME, reduce(a)];
  let [t0, t1] = [0n, 1n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [t0, t1] = [t1, t0 - q * t1];
  }
  if (r0 !== 1n) throw new RangeError('MuHash3072 denominator is not invertible');
  return t0 < 0n ? t0 + MUHASH_PRIME : t0;
}

/** The 384 bytes an element maps to: the ChaCha20 keystream (zero nonce, counter 0) keyed with SHA-256(data). */
export function muhashElementBytes(data: Uint8Array): Uint8Array {
  return chacha20Blocks(sha256(data), NUM3072_BYTE_SIZE / 64);
}

function toNum3072(data: Uint8Array): bigint {
  return leBytesToBigInt(muhashElementBytes(data));
}

export class MuHash3072 {
  // Values below 2^3072; after any multiplication also below the prime. Deserialized values are kept as read (they
  // may exceed the prime) so that serializing them again gives back the same bytes.
  private numerator = 1n;
  private denominator = 1n;

  /** The empty set, or the singleton {data}. */
  constructor(data?: Uint8Array) {
    if (data !== undefined) this.numerator = toNum3072(data);
  }

  insert(data: Uint8Array): this {
    this.numerator = reduce(this.numerator * toNum3072(data));
    return this;
  }

  remove(data: Uint8Array): this {
    this.denominator = reduce(this.denominator * toNum3072(data));
    return this;
  }

  /** The union with `other` (Core's operator*=). */
  multiply(other: MuHash3072): this {
    this.numerator = reduce(this.numerator * other.numerator);
    this.denominator = reduce(this.denominator * other.denominator);
    return this;
  }

  /** The difference with `other` (Core's operator/=). */
  divide(other: MuHash3072): this {
    this.numerator = reduce(this.numerator * other.denominator);
    this.denominator = reduce(this.denominator * other.numerator);
    return this;
  }

  /** SHA-256 of the 384-byte numerator/denominator, in internal byte order; folds the fraction (Core does too). */
  finalize(): Uint8Array {
    this.numerator = reduce(this.numerator * inverse(this.denominator));
    this.denominator = 1n;
    return sha256(bigIntToLeBytes(this.numerator));
  }

  /** Core's serialization: numerator then denominator, 384 little-endian bytes each. */
  serialize(): Uint8Array {
    const out = new Uint8Array(2 * NUM3072_BYTE_SIZE);
    out.set(bigIntToLeBytes(this.numerator), 0);
    out.set(bigIntToLeBytes(this.denominator), NUM3072_BYTE_SIZE);
    return out;
  }

  static deserialize(bytes: Uint8Array): MuHash3072 {
    if (bytes.length !== 2 * NUM3072_BYTE_SIZE) throw new RangeError(`MuHash3072 serialization must be ${2 * NUM3072_BYTE_SIZE} bytes`);
    const m = new MuHash3072();
    m.numerator = leBytesToBigInt(bytes.subarray(0, NUM3072_BYTE_SIZE));
    m.denominator = leBytesToBigInt(bytes.subarray(NUM3072_BYTE_SIZE));
    return m;
  }
}
