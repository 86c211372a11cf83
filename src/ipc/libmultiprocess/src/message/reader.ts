// Lazy, bounds-checked readers over Cap'n Proto segments: MessageReader, StructReader, ListReader, PointerReader.
import {
  DATA_BITS_PER_ELEMENT,
  DEFAULT_NESTING_LIMIT,
  DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
  ERR,
  ElementSize,
  MessageError,
  POINTERS_PER_ELEMENT,
  PointerKind,
  type ReaderOptions,
} from './layout.js';
import { decodeText } from './text-codec.js';

/**
 * The segments of one received message plus its read budget. Pointer resolution writes its result into the
 * `r*` registers instead of allocating an object per pointer (the hot path of every RPC message).
 */
export class ReadArena {
  readonly segments: Uint8Array[];
  readonly views: DataView[];
  readonly nestingLimit: number;
  private budget: number;
  /** @internal result registers of resolve() */
  rSeg = 0;
  /** @internal byte offset of the resolved object in segment rSeg */
  rTarget = 0;
  /** @internal low and high 32 bits of the (landing-pad) pointer describing the object */
  rLo = 0;
  rHi = 0;

  constructor(segments: Uint8Array[], options?: ReaderOptions) {
    this.segments = segments;
    // Built with push, not segments.map(): map() returns a holey array while interpreted but a packed one once V8
    // has optimized this constructor, and that change of array kind deoptimized the hottest reader functions
    // (readStruct, resolve, StructReader, getStruct) a few hundred calls into a fresh process.
    const views: DataView[] = [];
    for (const s of segments) views.push(new DataView(s.buffer, s.byteOffset, s.byteLength));
    this.views = views;
    this.budget = options?.traversalLimitInWords ?? DEFAULT_TRAVERSAL_LIMIT_IN_WORDS;
    this.nestingLimit = options?.nestingLimit ?? DEFAULT_NESTING_LIMIT;
  }

  /** Counts `words` against the traversal limit (amplification guard, like capnp's ReadLimiter). */
  charge(words: number): void {
    this.budget -= words;
    if (this.budget < 0) throw new MessageError(ERR.traversal);
  }

  /** Throws unless [byteOff, byteOff+bytes) lies inside segment `seg`. */
  check(seg: number, byteOff: number, bytes: number, err: string): void {
    if (byteOff < 0 || byteOff + bytes > this.segments[seg]!.byteLength) throw new MessageError(err);
  }

  /**
   * Resolves the non-null pointer at (seg, off), following far pointers. Sets rSeg/rTarget/rLo/rHi.
   * For a capability (OTHER) pointer only rLo/rHi are meaningful.
   */
  resolve(seg: number, off: number): void {
    const view = this.views[seg]!;
    const lo = view.getUint32(off, true);
    const hi = view.getUint32(off + 4, true);
    if ((lo & 3) !== PointerKind.FAR) {
      this.rSeg = seg;
      this.rTarget = off + 8 + ((lo | 0) >> 2) * 8;
      this.rLo = lo;
      this.rHi = hi;
      return;
    }
    const padSeg = hi;
    if (padSeg >= this.segments.length) throw new MessageError(ERR.farSegment);
    const padOff = (lo >>> 3) * 8;
    const double = (lo & 4) !== 0;
    this.check(padSeg, padOff, double ? 16 : 8, ERR.farOutOfBounds);
    const padView = this.views[padSeg]!;
    const plo = padView.getUint32(padOff, true);
    const phi = padView.getUint32(padOff + 4, true);
    if (!double) {
      if ((plo & 3) === PointerKind.FAR) throw new MessageError(ERR.farOutOfBounds);
      this.rSeg = padSeg;
      this.rTarget = padOff + 8 + ((plo | 0) >> 2) * 8;
      this.rLo = plo;
      this.rHi = phi;
      return;
    }
    // Double far: the pad's first word points (far) at the object start, its second word is the tag.
    if ((plo & 7) !== PointerKind.FAR) throw new MessageError(ERR.doubleFarLanding);
    if (phi >= this.segments.length) throw new MessageError(ERR.farSegment);
    this.rSeg = phi;
    this.rTarget = (plo >>> 3) * 8;
    this.rLo = padView.getUint32(padOff + 8, true);
    this.rHi = padView.getUint32(padOff + 12, true);
  }
}

const F32 = new DataView(new ArrayBuffer(8));
function f32Bits(v: number): number {
  F32.setFloat32(0, v, true);
  return F32.getUint32(0, true);
}
function f32FromBits(b: number): number {
  F32.setUint32(0, b, true);
  return F32.getFloat32(0, true);
}
function f64Bits(v: number): bigint {
  F32.setFloat64(0, v, true);
  return F32.getBigUint64(0, true);
}
function f64FromBits(b: bigint): number {
  F32.setBigUint64(0, b, true);
  return F32.getFloat64(0, true);
}

/** Reads the pointer at (seg, off) as a struct; `nesting` is the caller's remaining depth. */
function readStruct(arena: ReadArena, seg: number, off: number, nesting: number): StructReader | null {
  const view = arena.views[seg]!;
  if (view.getUint32(off, true) === 0 && view.getUint32(off + 4, true) === 0) return null;
  if (nesting <= 0) throw new MessageError(ERR.tooDeep);
  arena.resolve(seg, off);
  if ((arena.rLo & 3) !== PointerKind.STRUCT) throw new MessageError(ERR.notStruct);
  const dataWords = arena.rHi & 0xffff;
  const ptrCount = arena.rHi >>> 16;
  const words = dataWords + ptrCount;
  arena.check(arena.rSeg, arena.rTarget, words * 8, ERR.structOutOfBounds);
  arena.charge(words);
  const dataOff = arena.rTarget;
  return new StructReader(arena, arena.rSeg, dataOff, dataWords * 8, dataOff + dataWords * 8, ptrCount, nesting - 1);
}

/** Reads the pointer at (seg, off) as a list, checking it is compatible with `expected`. */
function readList(
  arena: ReadArena, seg: number, off: number, nesting: number, expected: ElementSize | -1,
): ListReader | null {
  const view = arena.views[seg]!;
  if (view.getUint32(off, true) === 0 && view.getUint32(off + 4, true) === 0) return null;
  if (nesting <= 0) throw new MessageError(ERR.tooDeep);
  arena.resolve(seg, off);
  if ((arena.rLo & 3) !== PointerKind.LIST) throw new MessageError(ERR.notList);
  const size = (arena.rHi & 7) as ElementSize;
  const count = arena.rHi >>> 3;
  const tseg = arena.rSeg;
  let target = arena.rTarget;
  if (size === ElementSize.INLINE_COMPOSITE) {
    const wordCount = count;
    arena.check(tseg, target, (wordCount + 1) * 8, ERR.listOutOfBounds);
    const tv = arena.views[tseg]!;
    const tagLo = tv.getUint32(target, true);
    const tagHi = tv.getUint32(target + 4, true);
    if ((tagLo & 3) !== PointerKind.STRUCT) throw new MessageError(ERR.compositeNotStruct);
    const n = (tagLo | 0) >> 2;
    const dataWords = tagHi & 0xffff;
    const ptrCount = tagHi >>> 16;
    const wordsPerElement = dataWords + ptrCount;
    if (n < 0 || n * wordsPerElement > wordCount) throw new MessageError(ERR.compositeOverrun);
    arena.charge(wordsPerElement === 0 ? n : wordCount + 1);
    target += 8;
    if (expected === ElementSize.BIT) throw new MessageError(ERR.structListAsBit);
    if (expected >= ElementSize.BYTE && expected <= ElementSize.EIGHT_BYTES && dataWords === 0) {
      throw new MessageError(ERR.notPrimitiveList);
    }
    if (expected === ElementSize.POINTER) {
      if (ptrCount === 0) throw new MessageError(ERR.notPointerList);
      // A struct list read as a pointer list: element i's pointer is the first pointer of struct i.
    }
    return new ListReader(arena, tseg, target, n, ElementSize.INLINE_COMPOSITE, wordsPerElement * 64,
      dataWords * 8, ptrCount, nesting - 1);
  }
  const dataBits = DATA_BITS_PER_ELEMENT[size]!;
  const ptrs = POINTERS_PER_ELEMENT[size]!;
  const step = dataBits + ptrs * 64;
  const wordCount = Math.ceil((count * step) / 64);
  arena.check(tseg, target, wordCount * 8, ERR.listOutOfBounds);
  arena.charge(size === ElementSize.VOID ? count : wordCount);
  if (expected !== -1) {
    if (size === ElementSize.BIT && expected !== ElementSize.BIT) throw new MessageError(ERR.bitListAsStruct);
    if (DATA_BITS_PER_ELEMENT[expected]! > dataBits || POINTERS_PER_ELEMENT[expected]! > ptrs) {
      throw new MessageError(ERR.incompatibleList);
    }
  }
  return new ListReader(arena, tseg, target, count, size, step, dataBits >>> 3, ptrs, nesting - 1);
}

function readTextAt(arena: ReadArena, seg: number, off: number, def: string): string {
  const view = arena.views[seg]!;
  if (view.getUint32(off, true) === 0 && view.getUint32(off + 4, true) === 0) return def;
  arena.resolve(seg, off);
  if ((arena.rLo & 3) !== PointerKind.LIST) throw new MessageError(ERR.notText);
  if ((arena.rHi & 7) !== ElementSize.BYTE) throw new MessageError(ERR.textNotBytes);
  const size = arena.rHi >>> 3;
  arena.check(arena.rSeg, arena.rTarget, Math.ceil(size / 8) * 8, ERR.textOutOfBounds);
  arena.charge(Math.ceil(size / 8));
  const bytes = arena.segments[arena.rSeg]!;
  if (size === 0 || bytes[arena.rTarget + size - 1] !== 0) throw new MessageError(ERR.textNoNul);
  return decodeText(bytes, arena.rTarget, arena.rTarget + size - 1);
}

function readDataAt(arena: ReadArena, seg: number, off: number, def: Uint8Array): Uint8Array {
  const view = arena.views[seg]!;
  if (view.getUint32(off, true) === 0 && view.getUint32(off + 4, true) === 0) return def;
  arena.resolve(seg, off);
  if ((arena.rLo & 3) !== PointerKind.LIST) throw new MessageError(ERR.notData);
  if ((arena.rHi & 7) !== ElementSize.BYTE) throw new MessageError(ERR.dataNotBytes);
  const size = arena.rHi >>> 3;
  arena.check(arena.rSeg, arena.rTarget, Math.ceil(size / 8) * 8, ERR.dataOutOfBounds);
  arena.charge(Math.ceil(size / 8));
  return arena.segments[arena.rSeg]!.subarray(arena.rTarget, arena.rTarget + size);
}

function readCapAt(arena: ReadArena, seg: number, off: number): number | null {
  const view = arena.views[seg]!;
  const lo = view.getUint32(off, true);
  const hi = view.getUint32(off + 4, true);
  if (lo === 0 && hi === 0) return null;
  if (lo !== PointerKind.OTHER) throw new MessageError(ERR.notCap);
  return hi;
}

const EMPTY_BYTES = new Uint8Array(0);

/** The kind of object an AnyPointer refers to. */
export type PointerType = 'null' | 'struct' | 'list' | 'capability';

/** A reader for one struct. Field offsets are in units of the field's own size (as in schema.capnp `slot.offset`). */
export class StructReader {
  /** @internal */ readonly view: DataView;

  constructor(
    /** @internal */ readonly arena: ReadArena,
    /** @internal */ readonly seg: number,
    /** @internal byte offset of the data section */ readonly dataOff: number,
    /** Size of the data section in bytes. */ readonly dataBytes: number,
    /** @internal byte offset of the pointer section */ readonly ptrOff: number,
    /** Number of pointers in the pointer section. */ readonly ptrCount: number,
    /** @internal remaining nesting depth for children */ readonly nesting: number,
  ) {
    this.view = arena.views[seg]!;
  }

  getBool(bitOffset: number, def = false): boolean {
    const byte = bitOffset >>> 3;
    if (byte >= this.dataBytes) return def;
    return (((this.view.getUint8(this.dataOff + byte) >>> (bitOffset & 7)) & 1) === 1) !== def;
  }
  getInt8(offset: number, def = 0): number {
    return offset + 1 > this.dataBytes ? def : this.view.getInt8(this.dataOff + offset) ^ def;
  }
  getUint8(offset: number, def = 0): number {
    return offset + 1 > this.dataBytes ? def : this.view.getUint8(this.dataOff + offset) ^ def;
  }
  getInt16(offset: number, def = 0): number {
    const b = offset * 2;
    return b + 2 > this.dataBytes ? def : this.view.getInt16(this.dataOff + b, true) ^ def;
  }
  getUint16(offset: number, def = 0): number {
    const b = offset * 2;
    return b + 2 > this.dataBytes ? def : this.view.getUint16(this.dataOff + b, true) ^ def;
  }
  getInt32(offset: number, def = 0): number {
    const b = offset * 4;
    return b + 4 > this.dataBytes ? def : this.view.getInt32(this.dataOff + b, true) ^ def;
  }
  getUint32(offset: number, def = 0): number {
    const b = offset * 4;
    return b + 4 > this.dataBytes ? def : (this.view.getUint32(this.dataOff + b, true) ^ def) >>> 0;
  }
  getInt64(offset: number, def = 0n): bigint {
    const b = offset * 8;
    if (b + 8 > this.dataBytes) return def;
    const v = this.view.getBigInt64(this.dataOff + b, true);
    return def === 0n ? v : BigInt.asIntN(64, v ^ def);
  }
  getUint64(offset: number, def = 0n): bigint {
    const b = offset * 8;
    if (b + 8 > this.dataBytes) return def;
    const v = this.view.getBigUint64(this.dataOff + b, true);
    return def === 0n ? v : BigInt.asUintN(64, v ^ def);
  }
  getFloat32(offset: number, def = 0): number {
    const b = offset * 4;
    if (b + 4 > this.dataBytes) return def;
    if (def === 0 && !Object.is(def, -0)) return this.view.getFloat32(this.dataOff + b, true);
    return f32FromBits((this.view.getUint32(this.dataOff + b, true) ^ f32Bits(def)) >>> 0);
  }
  getFloat64(offset: number, def = 0): number {
    const b = offset * 8;
    if (b + 8 > this.dataBytes) return def;
    if (def === 0 && !Object.is(def, -0)) return this.view.getFloat64(this.dataOff + b, true);
    return f64FromBits(this.view.getBigUint64(this.dataOff + b, true) ^ f64Bits(def));
  }

  /** True if pointer `index` exists and is non-null. */
  hasPointer(index: number): boolean {
    if (index >= this.ptrCount) return false;
    const off = this.ptrOff + index * 8;
    return this.view.getUint32(off, true) !== 0 || this.view.getUint32(off + 4, true) !== 0;
  }
  /** The struct at pointer `index`; a null pointer gives `def` or an empty struct (all fields default). */
  getStruct(index: number, def?: StructReader): StructReader {
    const r = index < this.ptrCount ? readStruct(this.arena, this.seg, this.ptrOff + index * 8, this.nesting) : null;
    return r ?? def ?? EMPTY_STRUCT;
  }
  /** Like getStruct but returns null for a null pointer. */
  getStructOrNull(index: number): StructReader | null {
    return index < this.ptrCount ? readStruct(this.arena, this.seg, this.ptrOff + index * 8, this.nesting) : null;
  }
  /** The list at pointer `index`, checked against `expected` (-1: any); null pointer gives `def` or an empty list. */
  getList(index: number, expected: ElementSize | -1, def?: ListReader): ListReader {
    const r = index < this.ptrCount
      ? readList(this.arena, this.seg, this.ptrOff + index * 8, this.nesting, expected) : null;
    return r ?? def ?? EMPTY_LIST;
  }
  getListOrNull(index: number, expected: ElementSize | -1): ListReader | null {
    return index < this.ptrCount ? readList(this.arena, this.seg, this.ptrOff + index * 8, this.nesting, expected) : null;
  }
  getText(index: number, def = ''): string {
    return index < this.ptrCount ? readTextAt(this.arena, this.seg, this.ptrOff + index * 8, def) : def;
  }
  /** Data as a view into the message buffer (zero-copy; copy it if the caller mutates or keeps it long). */
  getData(index: number, def: Uint8Array = EMPTY_BYTES): Uint8Array {
    return index < this.ptrCount ? readDataAt(this.arena, this.seg, this.ptrOff + index * 8, def) : def;
  }
  /** The capability-table index stored at pointer `index`, or null. */
  getCapability(index: number): number | null {
    return index < this.ptrCount ? readCapAt(this.arena, this.seg, this.ptrOff + index * 8) : null;
  }
  /** An AnyPointer view of pointer `index`. */
  getPointer(index: number): PointerReader {
    if (index >= this.ptrCount) return NULL_POINTER;
    return new PointerReader(this.arena, this.seg, this.ptrOff + index * 8, this.nesting);
  }
}

/** A reader for one list. For INLINE_COMPOSITE lists `getStruct(i)` gives the elements. */
export class ListReader {
  /** @internal */ readonly view: DataView;

  constructor(
    /** @internal */ readonly arena: ReadArena,
    /** @internal */ readonly seg: number,
    /** @internal byte offset of element 0 */ readonly off: number,
    readonly length: number,
    /** Element size as encoded on the wire. */ readonly elementSize: ElementSize,
    /** @internal bits per element */ readonly stepBits: number,
    /** @internal data bytes per element (struct view) */ readonly dataBytes: number,
    /** @internal pointers per element (struct view) */ readonly ptrCount: number,
    /** @internal */ readonly nesting: number,
  ) {
    this.view = arena.views[seg]!;
  }

  private at(i: number): number {
    if (i < 0 || i >= this.length) throw new RangeError(`list index ${i} out of range (length ${this.length})`);
    return this.off + ((i * this.stepBits) >>> 3);
  }
  private ptrAt(i: number): number {
    if (i < 0 || i >= this.length) throw new RangeError(`list index ${i} out of range (length ${this.length})`);
    if (this.elementSize === ElementSize.POINTER) return this.off + i * 8;
    return this.off + i * (this.stepBits >>> 3) + this.dataBytes;
  }

  getBool(i: number): boolean {
    if (i < 0 || i >= this.length) throw new RangeError(`list index ${i} out of range (length ${this.length})`);
    if (this.elementSize !== ElementSize.BIT) return (this.view.getUint8(this.at(i)) & 1) === 1;
    return ((this.view.getUint8(this.off + (i >>> 3)) >>> (i & 7)) & 1) === 1;
  }
  getInt8(i: number): number { return this.view.getInt8(this.at(i)); }
  getUint8(i: number): number { return this.view.getUint8(this.at(i)); }
  getInt16(i: number): number { return this.view.getInt16(this.at(i), true); }
  getUint16(i: number): number { return this.view.getUint16(this.at(i), true); }
  getInt32(i: number): number { return this.view.getInt32(this.at(i), true); }
  getUint32(i: number): number { return this.view.getUint32(this.at(i), true); }
  getInt64(i: number): bigint { return this.view.getBigInt64(this.at(i), true); }
  getUint64(i: number): bigint { return this.view.getBigUint64(this.at(i), true); }
  getFloat32(i: number): number { return this.view.getFloat32(this.at(i), true); }
  getFloat64(i: number): number { return this.view.getFloat64(this.at(i), true); }

  /** Element i as a struct (composite lists; primitive lists are viewed as one-field structs). */
  getStruct(i: number): StructReader {
    if (this.elementSize === ElementSize.BIT) throw new MessageError(ERR.bitListAsStruct);
    const start = this.at(i);
    return new StructReader(this.arena, this.seg, start, this.dataBytes, start + this.dataBytes, this.ptrCount,
      this.nesting);
  }
  getText(i: number, def = ''): string { return readTextAt(this.arena, this.seg, this.ptrAt(i), def); }
  getData(i: number, def: Uint8Array = EMPTY_BYTES): Uint8Array {
    return readDataAt(this.arena, this.seg, this.ptrAt(i), def);
  }
  getList(i: number, expected: ElementSize | -1): ListReader {
    return readList(this.arena, this.seg, this.ptrAt(i), this.nesting, expected) ?? EMPTY_LIST;
  }
  getListOrNull(i: number, expected: ElementSize | -1): ListReader | null {
    return readList(this.arena, this.seg, this.ptrAt(i), this.nesting, expected);
  }
  /** Element i of a List(SomeStruct) read as a pointer list (rare) — prefer getStruct. */
  getStructPointer(i: number): StructReader {
    return readStruct(this.arena, this.seg, this.ptrAt(i), this.nesting) ?? EMPTY_STRUCT;
  }
  getCapability(i: number): number | null { return readCapAt(this.arena, this.seg, this.ptrAt(i)); }
  getPointer(i: number): PointerReader {
    return new PointerReader(this.arena, this.seg, this.ptrAt(i), this.nesting);
  }
}

/** An untyped (AnyPointer) view of one pointer slot. */
export class PointerReader {
  constructor(
    /** @internal */ readonly arena: ReadArena,
    /** @internal */ readonly seg: number,
    /** @internal byte offset of the pointer word */ readonly off: number,
    /** @internal */ readonly nesting: number,
  ) {}

  isNull(): boolean {
    const v = this.arena.views[this.seg]!;
    return v.getUint32(this.off, true) === 0 && v.getUint32(this.off + 4, true) === 0;
  }
  pointerType(): PointerType {
    if (this.isNull()) return 'null';
    this.arena.resolve(this.seg, this.off);
    switch (this.arena.rLo & 3) {
      case PointerKind.STRUCT: return 'struct';
      case PointerKind.LIST: return 'list';
      case PointerKind.OTHER:
        if (this.arena.rLo !== PointerKind.OTHER) throw new MessageError(ERR.unknownPointer);
        return 'capability';
      default: throw new MessageError(ERR.farOutOfBounds);
    }
  }
  getStruct(def?: StructReader): StructReader {
    return readStruct(this.arena, this.seg, this.off, this.nesting) ?? def ?? EMPTY_STRUCT;
  }
  getStructOrNull(): StructReader | null { return readStruct(this.arena, this.seg, this.off, this.nesting); }
  getList(expected: ElementSize | -1, def?: ListReader): ListReader {
    return readList(this.arena, this.seg, this.off, this.nesting, expected) ?? def ?? EMPTY_LIST;
  }
  getText(def = ''): string { return readTextAt(this.arena, this.seg, this.off, def); }
  getData(def: Uint8Array = EMPTY_BYTES): Uint8Array { return readDataAt(this.arena, this.seg, this.off, def); }
  getCapability(): number | null { return readCapAt(this.arena, this.seg, this.off); }
}

const EMPTY_ARENA = new ReadArena([new Uint8Array(8)]);
/** The struct every null struct pointer reads as: all fields default. */
export const EMPTY_STRUCT = new StructReader(EMPTY_ARENA, 0, 0, 0, 0, 0, 0);
/** The list every null list pointer reads as. */
export const EMPTY_LIST = new ListReader(EMPTY_ARENA, 0, 0, 0, ElementSize.VOID, 0, 0, 0, 0);
/** An always-null pointer (used for out-of-range pointer slots). */
export const NULL_POINTER = new PointerReader(EMPTY_ARENA, 0, 0, 0);

/** A received message: its segments, limits and root. */
export class MessageReader {
  readonly arena: ReadArena;

  constructor(segments: Uint8Array[], options?: ReaderOptions) {
    if (segments.length === 0) throw new MessageError(ERR.emptyMessage);
    this.arena = new ReadArena(segments, options);
  }

  /** The root pointer (AnyPointer). */
  getRootPointer(): PointerReader {
    this.arena.check(0, 0, 8, ERR.rootOutOfBounds);
    return new PointerReader(this.arena, 0, 0, this.arena.nestingLimit);
  }
  /** The root struct (all-default if the root pointer is null). */
  getRoot(): StructReader {
    return this.getRootPointer().getStruct();
  }
}
