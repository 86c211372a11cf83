// Message layer: reader/builder round trips, interop with the real `capnp` tool, framing, and malformed input.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ElementSize,
  MessageBuilder,
  MessageError,
  MessageReader,
  decodeFrame,
  encodeFrame,
  formatText,
  frameSize,
  splitFrame,
  type StructBuilder,
  type StructReader,
} from '../src/index.js';
import { runCapnp } from './capnp-tool.js';

const SCHEMA = `@0xd7a3b5c1e2f40611;
struct Inner { a @0 :UInt32; t @1 :Text; }
struct All {
  b @0 :Bool; i8 @1 :Int8; u16 @2 :UInt16; i32 @3 :Int32; u64 @4 :UInt64; f32 @5 :Float32; f64 @6 :Float64;
  text @7 :Text; data @8 :Data; inner @9 :Inner; bits @10 :List(Bool); ints @11 :List(Int32);
  inners @12 :List(Inner); texts @13 :List(Text); nested @14 :List(List(UInt8));
  dflt @15 :Int32 = 1234; dbool @16 :Bool = true; i64 @17 :Int64 = -5;
}
`;
// Layout (capnp compile -ocapnp): All = 5 data words, 8 pointers; Inner = 1 data word, 1 pointer.
const ALL = { dw: 5, pc: 8 };

let dir = '';
function schemaPath(): string {
  if (!dir) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpc-msg-'));
    fs.writeFileSync(path.join(dir, 'all.capnp'), SCHEMA);
  }
  return path.join(dir, 'all.capnp');
}

function buildAll(b: StructBuilder): void {
  b.setBool(0, true);
  b.setInt8(1, -3);
  b.setUint16(1, 65535);
  b.setInt32(1, -123456);
  b.setUint64(1, 0xfedcba9876543210n);
  b.setFloat32(4, 1.5);
  b.setFloat64(3, -2.25);
  b.setText(0, 'héllo "q"\n');
  b.setData(1, new Uint8Array([0, 1, 2, 255]));
  const inner = b.initStruct(2, 1, 1);
  inner.setUint32(0, 7);
  inner.setText(0, 'in');
  const bits = b.initList(3, ElementSize.BIT, 10);
  for (let i = 0; i < 10; i++) bits.setBool(i, i % 3 === 0);
  const ints = b.initList(4, ElementSize.FOUR_BYTES, 3);
  ints.setInt32(0, 1); ints.setInt32(1, -2); ints.setInt32(2, 3);
  const inners = b.initStructList(5, 2, 1, 1);
  inners.getStruct(0).setUint32(0, 10);
  inners.getStruct(1).setUint32(0, 11);
  inners.getStruct(1).setText(0, 'x');
  const texts = b.initList(6, ElementSize.POINTER, 2);
  texts.setText(0, ''); texts.setText(1, 'two');
  const nested = b.initList(7, ElementSize.POINTER, 2);
  const n0 = nested.initList(0, ElementSize.BYTE, 2);
  n0.setUint8(0, 9); n0.setUint8(1, 8);
  nested.initList(1, ElementSize.BYTE, 0);
  b.setInt32(5, 99, 1234);
  b.setBool(1, false, true);
  b.setInt64(4, 42n, -5n);
}

function checkAll(r: StructReader): void {
  assert.equal(r.getBool(0), true);
  assert.equal(r.getInt8(1), -3);
  assert.equal(r.getUint16(1), 65535);
  assert.equal(r.getInt32(1), -123456);
  assert.equal(r.getUint64(1), 0xfedcba9876543210n);
  assert.equal(r.getFloat32(4), 1.5);
  assert.equal(r.getFloat64(3), -2.25);
  assert.equal(r.getText(0), 'héllo "q"\n');
  assert.deepEqual([...r.getData(1)], [0, 1, 2, 255]);
  assert.equal(r.getStruct(2).getUint32(0), 7);
  assert.equal(r.getStruct(2).getText(0), 'in');
  const bits = r.getList(3, ElementSize.BIT);
  assert.equal(bits.length, 10);
  for (let i = 0; i < 10; i++) assert.equal(bits.getBool(i), i % 3 === 0);
  const ints = r.getList(4, ElementSize.FOUR_BYTES);
  assert.deepEqual([ints.getInt32(0), ints.getInt32(1), ints.getInt32(2)], [1, -2, 3]);
  const inners = r.getList(5, ElementSize.INLINE_COMPOSITE);
  assert.equal(inners.length, 2);
  assert.equal(inners.getStruct(1).getUint32(0), 11);
  assert.equal(inners.getStruct(1).getText(0), 'x');
  assert.equal(inners.getStruct(0).hasPointer(0), false);
  const texts = r.getList(6, ElementSize.POINTER);
  assert.deepEqual([texts.getText(0), texts.getText(1)], ['', 'two']);
  const nested = r.getList(7, ElementSize.POINTER);
  assert.deepEqual([nested.getList(0, ElementSize.BYTE).getUint8(1), nested.getList(1, ElementSize.BYTE).length], [8, 0]);
  assert.equal(r.getInt32(5, 1234), 99);
  assert.equal(r.getBool(1, true), false);
  assert.equal(r.getInt64(4, -5n), 42n);
}

describe('rpc message layer', () => {
  after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

  it('round-trips every field kind through builder and reader', () => {
    const mb = new MessageBuilder(64);
    buildAll(mb.initRoot(ALL.dw, ALL.pc));
    checkAll(decodeFrame(mb.toFrame()).getRoot());
  });

  it('reads defaults from an empty struct and from fields past a short struct', () => {
    const mb = new MessageBuilder();
    mb.initRoot(0, 0);
    const r = decodeFrame(mb.toFrame()).getRoot();
    assert.equal(r.getInt32(5, 1234), 1234);
    assert.equal(r.getBool(1, true), true);
    assert.equal(r.getInt64(4, -5n), -5n);
    assert.equal(r.getText(0, 'd'), 'd');
    assert.equal(r.getList(3, ElementSize.BIT).length, 0);
    assert.equal(r.getStruct(2).getUint32(0), 0);
    assert.equal(r.getCapability(0), null);
  });

  it('writes bytes that the C++ capnp tool decodes identically', () => {
    const mb = new MessageBuilder();
    buildAll(mb.initRoot(ALL.dw, ALL.pc));
    const text = runCapnp('decode', ['--short', schemaPath(), 'All'], mb.toFrame()).toString().trim();
    assert.equal(text,
      '(b = true, i8 = -3, u16 = 65535, i32 = -123456, u64 = 18364758544493064720, f32 = 1.5, f64 = -2.25, ' +
      'text = "héllo \\"q\\"\\n", data = "\\000\\001\\002\\377", inner = (a = 7, t = "in"), ' +
      'bits = [true, false, false, true, false, false, true, false, false, true], ints = [1, -2, 3], ' +
      'inners = [(a = 10), (a = 11, t = "x")], texts = ["", "two"], nested = [[9, 8], []], dflt = 99, ' +
      'dbool = false, i64 = 42)');
  });

  it('reads bytes written by the C++ capnp tool', () => {
    const src = '(b = true, i8 = -3, u16 = 65535, i32 = -123456, u64 = 18364758544493064720, f32 = 1.5, ' +
      'f64 = -2.25, text = "héllo \\"q\\"\\n", data = 0x"000102ff", inner = (a = 7, t = "in"), ' +
      'bits = [true, false, false, true, false, false, true, false, false, true], ints = [1, -2, 3], ' +
      'inners = [(a = 10), (a = 11, t = "x")], texts = ["", "two"], nested = [[9, 8], []], dflt = 99, ' +
      'dbool = false, i64 = 42)';
    const bytes = runCapnp('encode', [schemaPath(), 'All'], src);
    checkAll(decodeFrame(new Uint8Array(bytes)).getRoot());
  });

  it('follows single and double far pointers across segments', () => {
    // Segment 0: root far pointer -> landing pad in segment 1 -> struct in segment 1.
    const seg0 = new Uint8Array(8);
    const v0 = new DataView(seg0.buffer);
    v0.setUint32(0, (0 << 3) | 2, true); v0.setUint32(4, 1, true); // far, pad at word 0 of segment 1
    const seg1 = new Uint8Array(24);
    const v1 = new DataView(seg1.buffer);
    v1.setUint32(0, 0, true); v1.setUint32(4, 1 | (0 << 16), true); // struct ptr offset 0: 1 data word
    v1.setUint32(8, 77, true);
    let r = new MessageReader([seg0, seg1]).getRoot();
    assert.equal(r.getUint32(0), 77);
    // Double far: root -> pad (2 words) in segment 1; pad[0] = far to segment 2 word 0, pad[1] = tag.
    const s1 = new Uint8Array(16);
    const w1 = new DataView(s1.buffer);
    w1.setUint32(0, (0 << 3) | 2, true); w1.setUint32(4, 2, true);
    w1.setUint32(8, 0, true); w1.setUint32(12, 1, true);
    const s2 = new Uint8Array(8);
    new DataView(s2.buffer).setUint32(0, 88, true);
    const s0 = new Uint8Array(8);
    const w0 = new DataView(s0.buffer);
    w0.setUint32(0, (0 << 3) | 4 | 2, true); w0.setUint32(4, 1, true);
    r = new MessageReader([s0, s1, s2]).getRoot();
    assert.equal(r.getUint32(0), 88);
    // And the frame encoder/decoder keeps the three segments.
    const frame = encodeFrame([s0, s1, s2]);
    assert.equal(frameSize(frame, 0, frame.length), frame.length);
    assert.equal(splitFrame(frame).length, 3);
    assert.equal(decodeFrame(frame).getRoot().getUint32(0), 88);
  });

  it('rejects malformed messages with Cap\'n Proto\'s messages, never crashing', () => {
    const mb = new MessageBuilder();
    const root = mb.initRoot(0, 2);
    root.setText(0, 'abc');
    const frame = mb.toFrame().slice();
    // Corrupt the text's NUL.
    const bad = frame.slice();
    bad[bad.length - 8 + 3] = 0x41;
    assert.throws(() => decodeFrame(bad).getRoot().getText(0), new MessageError('Message contains text that is not NUL-terminated.'));
    // Point the text beyond the segment.
    const oob = frame.slice();
    new DataView(oob.buffer).setUint32(16, ((100 << 2) | 1) >>> 0, true);
    assert.throws(() => decodeFrame(oob).getRoot().getText(0), /out-of-bounds/);
    // Wrong kind.
    assert.throws(() => decodeFrame(frame).getRoot().getStruct(0), /non-struct pointer/);
    assert.throws(() => decodeFrame(frame).getRoot().getList(0, ElementSize.FOUR_BYTES), /incompatible element type/);
    // Truncated frames and huge tables.
    assert.throws(() => decodeFrame(frame.subarray(0, frame.length - 8)), /ends prematurely/);
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setUint32(0, 100000, true);
    assert.throws(() => frameSize(huge, 0, 16), /too many segments/);
    const big = new Uint8Array(8);
    new DataView(big.buffer).setUint32(4, 0xffffffff, true);
    assert.throws(() => frameSize(big, 0, 8), /Message is too large/);
    assert.equal(frameSize(frame, 0, 4), -1);
  });

  it('enforces the traversal limit (amplified void lists) and the nesting limit (cycles)', () => {
    // A list of 2^29-1 voids costs no bytes but must be charged.
    const seg = new Uint8Array(8);
    const v = new DataView(seg.buffer);
    v.setUint32(0, ((-1 << 2) | 1) >>> 0, true); // list pointing at itself (offset -1)
    v.setUint32(4, ((0x1fffffff << 3) | 0) >>> 0, true);
    assert.throws(() => new MessageReader([seg]).getRootPointer().getList(-1), /traversal limit/);
    // A struct whose only pointer points back at itself: a cycle, stopped by the nesting limit.
    const cyc = new Uint8Array(16);
    const c = new DataView(cyc.buffer);
    c.setUint32(0, 0, true); c.setUint32(4, 1 << 16, true); // root -> struct at word 1 with 1 pointer
    c.setUint32(8, ((-1 << 2) | 0) >>> 0, true); c.setUint32(12, 1 << 16, true); // ptr -> itself
    let r: StructReader = new MessageReader([cyc]).getRoot();
    assert.throws(() => { for (let i = 0; i < 100; i++) r = r.getStruct(0); }, /too deeply-nested/);
  });

  it('deep-copies structs and lists between messages', () => {
    const a = new MessageBuilder();
    buildAll(a.initRoot(ALL.dw, ALL.pc));
    const b = new MessageBuilder(16);
    b.setRoot(a.asReader().getRoot());
    checkAll(decodeFrame(b.toFrame()).getRoot());
  });

  it('renders values in capnp text format', () => {
    assert.equal(formatText({ a: 1, t: 'x\'y\n\x01é', d: new Uint8Array([0, 65, 255]), n: null, l: [1n, 2n], c: { cap: 0 }, s: {} }),
      '(a = 1, t = "x\\\'y\\n\\001é", d = "\\000A\\377", l = [1, 2], c = <external capability>, s = ())');
  });
});
