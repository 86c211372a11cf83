// Bitcoin wire serialization: a bounds-checked reader and a growable writer (Core's serialize.h/streams.h).

/** Largest length a CompactSize may announce when range-checked (serialize.h MAX_SIZE). */
export const MAX_SIZE = 0x02000000;

/**
 * A malformed or truncated serialization. `message` is Core's exact text (std::ios_base::failure);
 * `what` adds the suffix libstdc++ appends, which is what Core's callers print (e.g. over IPC).
 */
export class SerializationError extends Error {
  override name = 'SerializationError';
  get what(): string {
    return `${this.message}: iostream error`;
  }
}

export const END_OF_DATA = 'SpanReader::read(): end of data';
export const NON_CANONICAL_COMPACT_SIZE = 'non-canonical ReadCompactSize()';
export const COMPACT_SIZE_TOO_LARGE = 'ReadCompactSize(): size too large';
export const VARINT_TOO_LARGE = 'ReadVarInt(): size too large';

/** Number of bytes WriteCompactSize uses for `n`. */
export function compactSizeLen(n: number | bigint): number {
  // Lengths are plain numbers on hot paths (witness and script sizes): no bigint needed for those.
  if (typeof n === 'number' && Number.isSafeInteger(n)) return n < 253 ? 1 : n <= 0xffff ? 3 : n <= 0xffffffff ? 5 : 9;
  const v = BigInt(n);
  if (v < 253n) return 1;
  if (v <= 0xffffn) return 3;
  if (v <= 0xffffffffn) return 5;
  return 9;
}

/** Cursor over a byte array. Every read checks the remaining length first, so nothing is allocated for data that is not there. */
export class ByteReader {
  readonly data: Uint8Array;
  private readonly view: DataView;
  private offset: number;

  constructor(data: Uint8Array, offset = 0) {
    this.data = data;
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    this.offset = offset;
  }

  /** Current read position. */
  get pos(): number {
    return this.offset;
  }

  get remaining(): number {
    return this.data.length - this.offset;
  }

  eof(): boolean {
    return this.offset >= this.data.length;
  }

  private need(n: number): number {
    if (n > this.data.length - this.offset) throw new SerializationError(END_OF_DATA);
    const at = this.offset;
    this.offset += n;
    return at;
  }

  readU8(): number {
    return this.data[this.need(1)]!;
  }

  readU16LE(): number {
    return this.view.getUint16(this.need(2), true);
  }

  readU16BE(): number {
    return this.view.getUint16(this.need(2), false);
  }

  readU32LE(): number {
    return this.view.getUint32(this.need(4), true);
  }

  readU32BE(): number {
    return this.view.getUint32(this.need(4), false);
  }

  readI32LE(): number {
    return this.view.getInt32(this.need(4), true);
  }

  readU64LE(): bigint {
    return this.view.getBigUint64(this.need(8), true);
  }

  readI64LE(): bigint {
    return this.view.getBigInt64(this.need(8), true);
  }

  /** Reads `n` bytes into a fresh copy. */
  readBytes(n: number): Uint8Array {
    const at = this.need(n);
    return this.data.slice(at, at + n);
  }

  /** Reads `n` bytes as a view into the underlying data (no copy; do not keep it if the input may change). */
  readView(n: number): Uint8Array {
    const at = this.need(n);
    return this.data.subarray(at, at + n);
  }

  /** Advances past `n` bytes. */
  skip(n: number): void {
    this.need(n);
  }

  /** A 32-byte hash in internal byte order (uint256). */
  readHash(): Uint8Array {
    return this.readBytes(32);
  }

  /** Full-range CompactSize (ReadCompactSize with range_check=false). */
  readCompactSizeBig(): bigint {
    const first = this.readU8();
    if (first < 253) return BigInt(first);
    if (first === 253) {
      const v = this.readU16LE();
      if (v < 253) throw new SerializationError(NON_CANONICAL_COMPACT_SIZE);
      return BigInt(v);
    }
    if (first === 254) {
      const v = this.readU32LE();
      if (v < 0x10000) throw new SerializationError(NON_CANONICAL_COMPACT_SIZE);
      return BigInt(v);
    }
    const v = this.readU64LE();
    if (v < 0x100000000n) throw new SerializationError(NON_CANONICAL_COMPACT_SIZE);
    return v;
  }

  /** CompactSize with Core's default range check (at most MAX_SIZE), as a number. */
  readCompactSize(): number {
    const first = this.data[this.offset];
    if (first !== undefined && first < 253) {
      this.offset++;
      return first;
    }
    const v = this.readCompactSizeBig();
    if (v > BigInt(MAX_SIZE)) throw new SerializationError(COMPACT_SIZE_TOO_LARGE);
    return Number(v);
  }

  /**
   * Core's VARINT (MSB base-128 with the "minus one" trick), used by the chainstate and undo data.
   * `bits` is the width of the C++ integer it is read into; overflow throws Core's message. A signed `int` read with
   * VarIntMode::NONNEGATIVE_SIGNED (block index heights, file numbers) has 31 value bits.
   */
  readVarInt(bits: 31 | 32 | 63 | 64 = 64): bigint {
    const max = (1n << BigInt(bits)) - 1n;
    const limit = max >> 7n;
    let n = 0n;
    for (;;) {
      const b = this.readU8();
      if (n > limit) throw new SerializationError(VARINT_TOO_LARGE);
      n = (n << 7n) | BigInt(b & 0x7f);
      if ((b & 0x80) === 0) return n;
      if (n === max) throw new SerializationError(VARINT_TOO_LARGE);
      n++;
    }
  }

  /** VARINT read into a uint32 (heights, chainstate codes). */
  readVarIntU32(): number {
    return this.readVarIntNumber(32);
  }

  /**
   * VARINT of at most 31 or 32 bits, as readVarInt reads it (same limits and errors) but in plain number
   * arithmetic: every value fits a double exactly, and BigInt steps cost far more (block index loading reads
   * seven of these per record).
   */
  readVarIntNumber(bits: 31 | 32): number {
    const max = 2 ** bits - 1;
    const limit = Math.floor(max / 128);
    let n = 0;
    for (;;) {
      const b = this.readU8();
      if (n > limit) throw new SerializationError(VARINT_TOO_LARGE);
      n = n * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) return n;
      if (n === max) throw new SerializationError(VARINT_TOO_LARGE);
      n++;
    }
  }

  /** CompactSize-prefixed byte vector (std::vector<unsigned char>, CScript). */
  readVarBytes(): Uint8Array {
    return this.readBytes(this.readCompactSize());
  }

  /** CompactSize-prefixed vector of items. No space is reserved up front: a bogus count fails on the first missing item. */
  readVector<T>(readItem: (r: ByteReader) => T): T[] {
    const n = this.readCompactSize();
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(readItem(this));
    return out;
  }
}

/**
 * `n` uninitialised bytes as a plain Uint8Array over Node's Buffer pool. A typed array of its own costs several
 * times more: over 64 bytes it gets an off-heap backing store, and below that the DataView's .buffer access
 * moves it off-heap anyway. Writers only ever expose the bytes they have written.
 */
function allocBytes(n: number): Uint8Array {
  const b = Buffer.allocUnsafe(n);
  return new Uint8Array(b.buffer, b.byteOffset, n);
}

/** Reads exactly one object from `bytes`; trailing bytes throw SerializationError(`trailingMessage`). */
export function deserializeExact<T>(bytes: Uint8Array, read: (r: ByteReader) => T, trailingMessage: string): T {
  const r = new ByteReader(bytes);
  const value = read(r);
  if (!r.eof()) throw new SerializationError(trailingMessage);
  return value;
}

/** Growable output buffer. */
export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  private len = 0;

  constructor(initialCapacity = 256) {
    this.buf = allocBytes(Math.max(16, initialCapacity));
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  get length(): number {
    return this.len;
  }

  /**
   * Empties the writer for reuse. Hot paths (signature hashes, coin records) keep one writer per module instead
   * of allocating a buffer per message; a buffer grown past `keepBytes` is replaced so one huge message does not
   * stay pinned.
   */
  reset(keepBytes = 1 << 16): this {
    this.len = 0;
    if (this.buf.length > keepBytes) {
      this.buf = allocBytes(keepBytes);
      this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    }
    return this;
  }

  // Callers must take the offset from reserve() before touching buf/view: reserve may replace both.
  private reserve(n: number): number {
    const need = this.len + n;
    if (need > this.buf.length) {
      let cap = this.buf.length * 2;
      while (cap < need) cap *= 2;
      const next = allocBytes(cap);
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
      this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
    }
    const at = this.len;
    this.len = need;
    return at;
  }

  writeU8(v: number): this {
    const at = this.reserve(1);
    this.buf[at] = v;
    return this;
  }

  writeU16LE(v: number): this {
    const at = this.reserve(2);
    this.view.setUint16(at, v, true);
    return this;
  }

  writeU16BE(v: number): this {
    const at = this.reserve(2);
    this.view.setUint16(at, v, false);
    return this;
  }

  writeU32LE(v: number): this {
    const at = this.reserve(4);
    this.view.setUint32(at, v >>> 0, true);
    return this;
  }

  writeU32BE(v: number): this {
    const at = this.reserve(4);
    this.view.setUint32(at, v >>> 0, false);
    return this;
  }

  writeI32LE(v: number): this {
    const at = this.reserve(4);
    this.view.setInt32(at, v | 0, true);
    return this;
  }

  writeU64LE(v: bigint): this {
    const at = this.reserve(8);
    this.view.setBigUint64(at, BigInt.asUintN(64, v), true);
    return this;
  }

  writeI64LE(v: bigint): this {
    const at = this.reserve(8);
    this.view.setBigInt64(at, BigInt.asIntN(64, v), true);
    return this;
  }

  writeBytes(b: Uint8Array): this {
    const at = this.reserve(b.length);
    this.buf.set(b, at);
    return this;
  }

  writeCompactSize(n: number | bigint): this {
    if (typeof n === 'number' && n < 253) return this.writeU8(n);
    const v = BigInt(n);
    if (v < 0n) throw new RangeError('CompactSize cannot be negative');
    if (v < 253n) return this.writeU8(Number(v));
    if (v <= 0xffffn) return this.writeU8(253).writeU16LE(Number(v));
    if (v <= 0xffffffffn) return this.writeU8(254).writeU32LE(Number(v));
    return this.writeU8(255).writeU64LE(v);
  }

  /** Core's VARINT encoding (see ByteReader.readVarInt). */
  writeVarInt(n: number | bigint): this {
    if (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0) return this.writeVarIntNumber(n);
    let v = BigInt(n);
    if (v < 0n) throw new RangeError('VARINT cannot be negative');
    const tmp: number[] = [];
    for (;;) {
      tmp.push(Number(v & 0x7fn) | (tmp.length ? 0x80 : 0));
      if (v <= 0x7fn) break;
      v = (v >> 7n) - 1n;
    }
    for (let i = tmp.length - 1; i >= 0; i--) this.writeU8(tmp[i]!);
    return this;
  }

  /** writeVarInt for a safe integer, in float arithmetic (BigInt steps cost far more): at most 8 bytes. */
  private writeVarIntNumber(n: number): this {
    const tmp = [0, 0, 0, 0, 0, 0, 0, 0];
    let len = 0;
    let v = n;
    for (;;) {
      tmp[len] = (v % 128) | (len ? 0x80 : 0);
      if (v <= 0x7f) break;
      v = Math.floor(v / 128) - 1;
      len++;
    }
    for (let i = len; i >= 0; i--) this.writeU8(tmp[i]!);
    return this;
  }

  writeVarBytes(b: Uint8Array): this {
    return this.writeCompactSize(b.length).writeBytes(b);
  }

  writeVector<T>(items: readonly T[], writeItem: (w: ByteWriter, item: T) => void): this {
    this.writeCompactSize(items.length);
    for (const item of items) writeItem(this, item);
    return this;
  }

  /** A copy of the bytes written so far. */
  toBytes(): Uint8Array {
    return this.buf.slice(0, this.len);
  }

  /** A view of the bytes written so far (valid until the next write). */
  peek(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}
