// Golomb-Rice coding over an MSB-first bit stream (Core's util/golombrice.h and streams.h bit readers).
import { END_OF_DATA, SerializationError } from './serialize.js';

/** Appends bits most-significant first (BitStreamWriter). */
export class BitWriter {
  private bytes: number[] = [];
  private buffer = 0;
  private offset = 0;

  /** Writes the low `nbits` bits of `data` (nbits <= 64). */
  write(data: bigint, nbits: number): void {
    while (nbits > 0) {
      const bits = Math.min(8 - this.offset, nbits);
      const chunk = Number((data >> BigInt(nbits - bits)) & ((1n << BigInt(bits)) - 1n));
      this.buffer |= chunk << (8 - this.offset - bits);
      this.offset += bits;
      nbits -= bits;
      if (this.offset === 8) this.flushByte();
    }
  }

  private flushByte(): void {
    this.bytes.push(this.buffer);
    this.buffer = 0;
    this.offset = 0;
  }

  /** Pads the last partial byte with zero bits and returns the stream. */
  finish(): Uint8Array {
    if (this.offset) this.flushByte();
    return Uint8Array.from(this.bytes);
  }
}

/** Reads bits most-significant first (BitStreamReader); throws past the end as the byte stream under it does. */
export class BitReader {
  private pos: number;
  private buffer = 0;
  private offset = 8;

  constructor(
    private readonly data: Uint8Array,
    start = 0,
  ) {
    this.pos = start;
  }

  /** Index of the next whole byte not yet loaded: the bytes consumed so far end here. */
  get bytePos(): number {
    return this.pos;
  }

  read(nbits: number): bigint {
    let out = 0n;
    while (nbits > 0) {
      if (this.offset === 8) {
        if (this.pos >= this.data.length) throw new SerializationError(END_OF_DATA);
        this.buffer = this.data[this.pos++]!;
        this.offset = 0;
      }
      const bits = Math.min(8 - this.offset, nbits);
      out = (out << BigInt(bits)) | BigInt((this.buffer >> (8 - this.offset - bits)) & ((1 << bits) - 1));
      this.offset += bits;
      nbits -= bits;
    }
    return out;
  }
}

/** Golomb-Rice code of `x` with parameter `p`: the quotient in unary (1s then a 0), then p low bits. */
export function golombRiceEncode(w: BitWriter, p: number, x: bigint): void {
  let q = x >> BigInt(p);
  while (q > 0n) {
    const nbits = q <= 64n ? Number(q) : 64;
    w.write((1n << BigInt(nbits)) - 1n, nbits);
    q -= BigInt(nbits);
  }
  w.write(0n, 1);
  w.write(x & ((1n << BigInt(p)) - 1n), p);
}

export function golombRiceDecode(r: BitReader, p: number): bigint {
  let q = 0n;
  while (r.read(1) === 1n) q++;
  return (q << BigInt(p)) | r.read(p);
}
