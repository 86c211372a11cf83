// Single-segment message builder: a bump allocator in one growable buffer whose first word is reserved for
// the stream-framing header, so a finished message is sent without a copy.
import { ElementSize, MessageError, DATA_BITS_PER_ELEMENT, POINTERS_PER_ELEMENT, PointerKind } from './layout.js';
import { ListReader, MessageReader, PointerReader, StructReader } from './reader.js';
import type { ReaderOptions } from './layout.js';
import { encodeTextInto, utf8Length } from './text-codec.js';

/** Size of the shared slabs small messages are carved from (one ArrayBuffer per message is slow to allocate). */
const SLAB_BYTES = 64 * 1024;

/** A zero-filled slab handed out front to back and never reused, so a carved message is never overwritten. */
class Slab {
  readonly buf = new Uint8Array(SLAB_BYTES);
  readonly view = new DataView(this.buf.buffer);
  off = 0;
}
let slab = new Slab();

/** The growable buffer behind a MessageBuilder. Builders hold offsets, never views, so growth is safe. */
export class BuildArena {
  buf: Uint8Array;
  view: DataView;
  /** Byte offset where this message starts (always 0: offsets are relative to buf). */
  readonly base = 0;
  /** Byte offset (in buf) of the first free byte; the first 8 bytes are the framing header. */
  end = 8;
  private shared: Slab | null;
  /** Where buf starts inside the shared slab. */
  private slabStart = 0;

  constructor(initialBytes: number) {
    const size = Math.max(64, (initialBytes + 7) & ~7);
    if (size <= SLAB_BYTES / 8) {
      if (slab.off + size > SLAB_BYTES) slab = new Slab();
      this.shared = slab;
      this.slabStart = slab.off;
      this.buf = slab.buf.subarray(slab.off, slab.off + size);
      this.view = new DataView(slab.buf.buffer, slab.off, size);
      slab.off += size;
    } else {
      this.shared = null;
      this.buf = new Uint8Array(size);
      this.view = new DataView(this.buf.buffer);
    }
  }

  /** Byte offset of the segment (after the framing header). */
  get segStart(): number { return 8; }

  /** Allocates `words` zeroed words and returns their byte offset in buf. */
  alloc(words: number): number {
    const off = this.end;
    const need = off + words * 8;
    if (need > this.buf.length) this.grow(need);
    this.end = need;
    return off;
  }

  private grow(need: number): void {
    let size = Math.max(256, this.buf.length * 2);
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.end));
    this.buf = next;
    this.view = new DataView(next.buffer);
    this.shared = null;
  }

  /** Gives the unused tail of the slab back when this was the last carve (call when the message is done). */
  seal(): void {
    const s = this.shared;
    if (s === null) return;
    const end = this.slabStart + ((this.end + 7) & ~7);
    if (s.off === this.slabStart + this.buf.length) s.off = end;
    this.buf = this.buf.subarray(0, this.end);
    this.shared = null;
  }

  /** Writes a struct/list pointer at byte `ptr` pointing to byte `target`. */
  setPointer(ptr: number, kind: number, target: number, hi: number): void {
    const offsetWords = (target - ptr - 8) / 8;
    this.view.setUint32(ptr, ((offsetWords << 2) | kind) >>> 0, true);
    this.view.setUint32(ptr + 4, hi >>> 0, true);
  }
}

function structHi(dataWords: number, ptrCount: number): number {
  if (dataWords > 0xffff || ptrCount > 0xffff) throw new MessageError('struct section too large');
  return (dataWords | (ptrCount << 16)) >>> 0;
}

function initStructAt(a: BuildArena, ptr: number, dataWords: number, ptrCount: number): StructBuilder {
  const words = dataWords + ptrCount;
  const off = a.alloc(words);
  if (words === 0) {
    // A zero-sized struct is encoded with offset -1 so that its pointer is not the null word.
    a.view.setUint32(ptr, 0xfffffffc, true);
    a.view.setUint32(ptr + 4, 0, true);
    return new StructBuilder(a, off, 0, 0);
  }
  a.setPointer(ptr, PointerKind.STRUCT, off, structHi(dataWords, ptrCount));
  return new StructBuilder(a, off, dataWords, ptrCount);
}

function initListAt(a: BuildArena, ptr: number, size: ElementSize, count: number): ListBuilder {
  if (size === ElementSize.INLINE_COMPOSITE) throw new MessageError('use initStructList for struct lists');
  if (count < 0 || count > 0x1fffffff) throw new MessageError('list too long');
  const step = DATA_BITS_PER_ELEMENT[size]! + POINTERS_PER_ELEMENT[size]! * 64;
  const words = Math.ceil((count * step) / 64);
  const off = a.alloc(words);
  a.setPointer(ptr, PointerKind.LIST, off, ((count << 3) | size) >>> 0);
  return new ListBuilder(a, off, count, size, step, DATA_BITS_PER_ELEMENT[size]! >>> 3, POINTERS_PER_ELEMENT[size]!);
}

function initStructListAt(a: BuildArena, ptr: number, count: number, dataWords: number, ptrCount: number): ListBuilder {
  const per = dataWords + ptrCount;
  const words = count * per;
  if (count < 0 || count > 0x1fffffff || words > 0x1fffffff) throw new MessageError('list too long');
  const tag = a.alloc(words + 1);
  a.setPointer(ptr, PointerKind.LIST, tag, ((words << 3) | ElementSize.INLINE_COMPOSITE) >>> 0);
  // The tag word is shaped like a struct pointer whose offset field holds the element count.
  a.view.setUint32(tag, ((count << 2) | PointerKind.STRUCT) >>> 0, true);
  a.view.setUint32(tag + 4, structHi(dataWords, ptrCount), true);
  return new ListBuilder(a, tag + 8, count, ElementSize.INLINE_COMPOSITE, per * 64, dataWords * 8, ptrCount);
}

function setTextAt(a: BuildArena, ptr: number, s: string): void {
  const len = utf8Length(s);
  const off = a.alloc(Math.ceil((len + 1) / 8));
  a.setPointer(ptr, PointerKind.LIST, off, (((len + 1) << 3) | ElementSize.BYTE) >>> 0);
  encodeTextInto(s, a.buf, off, len);
}

function setDataAt(a: BuildArena, ptr: number, data: Uint8Array): void {
  const len = data.length;
  const off = a.alloc(Math.ceil(len / 8));
  a.setPointer(ptr, PointerKind.LIST, off, ((len << 3) | ElementSize.BYTE) >>> 0);
  a.buf.set(data, off);
}

function setCapAt(a: BuildArena, ptr: number, index: number | null): void {
  if (index === null) {
    a.view.setUint32(ptr, 0, true);
    a.view.setUint32(ptr + 4, 0, true);
    return;
  }
  a.view.setUint32(ptr, PointerKind.OTHER, true);
  a.view.setUint32(ptr + 4, index >>> 0, true);
}

/** Deep-copies the object behind `src` into the pointer slot at byte `ptr` (capability indexes copied verbatim). */
function copyPointerAt(a: BuildArena, ptr: number, src: PointerReader): void {
  switch (src.pointerType()) {
    case 'null':
      a.view.setUint32(ptr, 0, true);
      a.view.setUint32(ptr + 4, 0, true);
      return;
    case 'capability':
      setCapAt(a, ptr, src.getCapability());
      return;
    case 'struct': {
      const sr = src.getStruct();
      copyStructInto(initStructAt(a, ptr, sr.dataBytes >>> 3, sr.ptrCount), sr);
      return;
    }
    case 'list':
      copyListAt(a, ptr, src.getList(-1));
      return;
  }
}

function copyStructInto(dst: StructBuilder, src: StructReader): void {
  const n = Math.min(src.dataBytes, dst.dataWords * 8);
  dst.arena.buf.set(src.arena.segments[src.seg]!.subarray(src.dataOff, src.dataOff + n), dst.dataOff);
  const pc = Math.min(src.ptrCount, dst.ptrCount);
  for (let i = 0; i < pc; i++) copyPointerAt(dst.arena, dst.ptrOff + i * 8, src.getPointer(i));
}

function copyListAt(a: BuildArena, ptr: number, src: ListReader): void {
  if (src.elementSize === ElementSize.INLINE_COMPOSITE) {
    const lb = initStructListAt(a, ptr, src.length, src.dataBytes >>> 3, src.ptrCount);
    for (let i = 0; i < src.length; i++) copyStructInto(lb.getStruct(i), src.getStruct(i));
    return;
  }
  const lb = initListAt(a, ptr, src.elementSize, src.length);
  if (src.elementSize === ElementSize.POINTER) {
    for (let i = 0; i < src.length; i++) copyPointerAt(a, lb.off + i * 8, src.getPointer(i));
    return;
  }
  const bytes = Math.ceil((src.length * src.stepBits) / 8);
  a.buf.set(src.arena.segments[src.seg]!.subarray(src.off, src.off + bytes), lb.off);
}

const F = new DataView(new ArrayBuffer(8));

/** Builds one struct in place. Offsets are in units of the field's size, as in StructReader. */
export class StructBuilder {
  constructor(
    /** @internal */ readonly arena: BuildArena,
    /** @internal byte offset of the data section in the arena buffer */ readonly dataOff: number,
    readonly dataWords: number,
    readonly ptrCount: number,
  ) {}

  /** @internal byte offset of the pointer section */
  get ptrOff(): number { return this.dataOff + this.dataWords * 8; }

  private slot(index: number): number {
    if (index < 0 || index >= this.ptrCount) throw new MessageError(`pointer index ${index} out of range`);
    return this.dataOff + this.dataWords * 8 + index * 8;
  }
  private data(byteOff: number, size: number): number {
    if (byteOff < 0 || byteOff + size > this.dataWords * 8) {
      throw new MessageError(`data offset ${byteOff} out of range`);
    }
    return this.dataOff + byteOff;
  }

  setBool(bitOffset: number, value: boolean, def = false): void {
    const at = this.data(bitOffset >>> 3, 1);
    const bit = 1 << (bitOffset & 7);
    const buf = this.arena.buf;
    if (value !== def) buf[at] = buf[at]! | bit;
    else buf[at] = buf[at]! & ~bit;
  }
  setInt8(offset: number, value: number, def = 0): void { this.arena.view.setInt8(this.data(offset, 1), value ^ def); }
  setUint8(offset: number, value: number, def = 0): void { this.arena.view.setUint8(this.data(offset, 1), value ^ def); }
  setInt16(offset: number, value: number, def = 0): void {
    this.arena.view.setInt16(this.data(offset * 2, 2), value ^ def, true);
  }
  setUint16(offset: number, value: number, def = 0): void {
    this.arena.view.setUint16(this.data(offset * 2, 2), value ^ def, true);
  }
  setInt32(offset: number, value: number, def = 0): void {
    this.arena.view.setInt32(this.data(offset * 4, 4), value ^ def, true);
  }
  setUint32(offset: number, value: number, def = 0): void {
    this.arena.view.setUint32(this.data(offset * 4, 4), (value ^ def) >>> 0, true);
  }
  setInt64(offset: number, value: bigint, def = 0n): void {
    this.arena.view.setBigInt64(this.data(offset * 8, 8), def === 0n ? value : BigInt.asIntN(64, value ^ def), true);
  }
  setUint64(offset: number, value: bigint, def = 0n): void {
    this.arena.view.setBigUint64(this.data(offset * 8, 8), def === 0n ? value : BigInt.asUintN(64, value ^ def), true);
  }
  setFloat32(offset: number, value: number, def = 0): void {
    const at = this.data(offset * 4, 4);
    if (def === 0 && !Object.is(def, -0)) { this.arena.view.setFloat32(at, value, true); return; }
    F.setFloat32(0, value, true);
    const v = F.getUint32(0, true);
    F.setFloat32(0, def, true);
    this.arena.view.setUint32(at, (v ^ F.getUint32(0, true)) >>> 0, true);
  }
  setFloat64(offset: number, value: number, def = 0): void {
    const at = this.data(offset * 8, 8);
    if (def === 0 && !Object.is(def, -0)) { this.arena.view.setFloat64(at, value, true); return; }
    F.setFloat64(0, value, true);
    const v = F.getBigUint64(0, true);
    F.setFloat64(0, def, true);
    this.arena.view.setBigUint64(at, v ^ F.getBigUint64(0, true), true);
  }
  /** Reads back a 16-bit data field (e.g. a union discriminant already written). */
  getUint16(offset: number): number { return this.arena.view.getUint16(this.data(offset * 2, 2), true); }
  getUint32(offset: number): number { return this.arena.view.getUint32(this.data(offset * 4, 4), true); }

  initStruct(index: number, dataWords: number, ptrCount: number): StructBuilder {
    return initStructAt(this.arena, this.slot(index), dataWords, ptrCount);
  }
  initList(index: number, elementSize: ElementSize, count: number): ListBuilder {
    return initListAt(this.arena, this.slot(index), elementSize, count);
  }
  initStructList(index: number, count: number, dataWords: number, ptrCount: number): ListBuilder {
    return initStructListAt(this.arena, this.slot(index), count, dataWords, ptrCount);
  }
  /** Writes Text with its NUL terminator (so '' is a non-null one-byte list). */
  setText(index: number, value: string): void { setTextAt(this.arena, this.slot(index), value); }
  /** Writes Data; an empty array is written as a non-null zero-length list. */
  setData(index: number, value: Uint8Array): void { setDataAt(this.arena, this.slot(index), value); }
  /** Writes a capability pointer holding a cap-table index (null clears the slot). */
  setCapability(index: number, capIndex: number | null): void { setCapAt(this.arena, this.slot(index), capIndex); }
  /** Deep-copies a struct from a reader into pointer `index`, keeping the source's section sizes. */
  setStruct(index: number, value: StructReader): StructBuilder {
    const sb = initStructAt(this.arena, this.slot(index), value.dataBytes >>> 3, value.ptrCount);
    copyStructInto(sb, value);
    return sb;
  }
  /** Deep-copies any object (AnyPointer) into pointer `index`. Capability indexes are copied verbatim. */
  setPointer(index: number, value: PointerReader): void { copyPointerAt(this.arena, this.slot(index), value); }
  /** Deep-copies a list. */
  setList(index: number, value: ListReader): void { copyListAt(this.arena, this.slot(index), value); }
  /** Clears pointer `index` (the old object, if any, stays in the message as unreachable bytes). */
  clearPointer(index: number): void { setCapAt(this.arena, this.slot(index), null); }
  /** Copies the data section and pointers of `src` into this (already allocated) struct. */
  copyFrom(src: StructReader): void { copyStructInto(this, src); }
}

/** Builds the elements of one list. */
export class ListBuilder {
  constructor(
    /** @internal */ readonly arena: BuildArena,
    /** @internal byte offset of element 0 */ readonly off: number,
    readonly length: number,
    readonly elementSize: ElementSize,
    /** @internal */ readonly stepBits: number,
    /** @internal */ readonly dataBytes: number,
    /** @internal */ readonly ptrCount: number,
  ) {}

  private at(i: number): number {
    if (i < 0 || i >= this.length) throw new RangeError(`list index ${i} out of range (length ${this.length})`);
    return this.off + ((i * this.stepBits) >>> 3);
  }
  private ptrAt(i: number): number {
    if (this.ptrCount === 0) throw new MessageError('list elements have no pointer');
    return this.at(i) + this.dataBytes;
  }

  setBool(i: number, v: boolean): void {
    if (i < 0 || i >= this.length) throw new RangeError(`list index ${i} out of range (length ${this.length})`);
    const at = this.off + (i >>> 3);
    const bit = 1 << (i & 7);
    const buf = this.arena.buf;
    buf[at] = v ? buf[at]! | bit : buf[at]! & ~bit;
  }
  setInt8(i: number, v: number): void { this.arena.view.setInt8(this.at(i), v); }
  setUint8(i: number, v: number): void { this.arena.view.setUint8(this.at(i), v); }
  setInt16(i: number, v: number): void { this.arena.view.setInt16(this.at(i), v, true); }
  setUint16(i: number, v: number): void { this.arena.view.setUint16(this.at(i), v, true); }
  setInt32(i: number, v: number): void { this.arena.view.setInt32(this.at(i), v, true); }
  setUint32(i: number, v: number): void { this.arena.view.setUint32(this.at(i), v >>> 0, true); }
  setInt64(i: number, v: bigint): void { this.arena.view.setBigInt64(this.at(i), v, true); }
  setUint64(i: number, v: bigint): void { this.arena.view.setBigUint64(this.at(i), v, true); }
  setFloat32(i: number, v: number): void { this.arena.view.setFloat32(this.at(i), v, true); }
  setFloat64(i: number, v: number): void { this.arena.view.setFloat64(this.at(i), v, true); }

  /** Element i of a struct list (INLINE_COMPOSITE). */
  getStruct(i: number): StructBuilder {
    if (this.elementSize !== ElementSize.INLINE_COMPOSITE) throw new MessageError('not a struct list');
    return new StructBuilder(this.arena, this.at(i), this.dataBytes >>> 3, this.ptrCount);
  }
  setText(i: number, v: string): void { setTextAt(this.arena, this.ptrAt(i), v); }
  setData(i: number, v: Uint8Array): void { setDataAt(this.arena, this.ptrAt(i), v); }
  setCapability(i: number, capIndex: number | null): void { setCapAt(this.arena, this.ptrAt(i), capIndex); }
  initList(i: number, elementSize: ElementSize, count: number): ListBuilder {
    return initListAt(this.arena, this.ptrAt(i), elementSize, count);
  }
  initStructList(i: number, count: number, dataWords: number, ptrCount: number): ListBuilder {
    return initStructListAt(this.arena, this.ptrAt(i), count, dataWords, ptrCount);
  }
  setPointer(i: number, value: PointerReader): void { copyPointerAt(this.arena, this.ptrAt(i), value); }
}

/** A message under construction (always one segment). */
export class MessageBuilder {
  readonly arena: BuildArena;

  /** `initialBytes` sizes the first buffer; it doubles as needed. */
  constructor(initialBytes = 1024) {
    this.arena = new BuildArena(initialBytes + 8);
    this.arena.alloc(1); // the root pointer
  }

  /** Allocates the root struct with the given section sizes. */
  initRoot(dataWords: number, ptrCount: number): StructBuilder {
    return initStructAt(this.arena, this.arena.segStart, dataWords, ptrCount);
  }
  /** Deep-copies a struct as the root. */
  setRoot(value: StructReader): StructBuilder {
    const sb = this.initRoot(value.dataBytes >>> 3, value.ptrCount);
    copyStructInto(sb, value);
    return sb;
  }

  /** Size of the segment in words. */
  get segmentWords(): number { return (this.arena.end - this.arena.segStart) / 8; }

  /** The single segment (a view into the builder's buffer). */
  getSegments(): Uint8Array[] { return [this.arena.buf.subarray(this.arena.segStart, this.arena.end)]; }

  /**
   * The message in stream framing (segment table + segment), as a view into the builder's buffer: no copy.
   * Further writes to the builder change the returned bytes.
   */
  toFrame(): Uint8Array {
    const a = this.arena;
    a.seal();
    a.view.setUint32(0, 0, true);
    a.view.setUint32(4, this.segmentWords, true);
    return a.buf.subarray(0, a.end);
  }

  /** Reads the message built so far (shares the buffer). */
  asReader(options?: ReaderOptions): MessageReader {
    return new MessageReader(this.getSegments(), options);
  }
}
