// Round trips between mpgen's generated codec and the real Cap'n Proto tool (`capnp encode` / `capnp decode`).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { MessageBuilder, decodeFrame, type CapRef as $CapRef } from '@smithcoin/libmultiprocess';
import { AllTypes, Color, answer, bigValue, greeting, type AllTypes$Init } from './mpgen-types.capnp.js';

const sourceDir = process.env['MP_SOURCE_DIR'];
const capnp = process.env['CAPNP_EXECUTABLE'] || 'capnp';

function schemaArgs(): string[] {
  if (!sourceDir) throw new Error('MP_SOURCE_DIR must name the libmultiprocess source directory');
  return [`-I${path.join(sourceDir, 'include')}`, path.join(sourceDir, 'test', 'mpgen-types.capnp'), 'AllTypes'];
}

function run(args: string[], input: Uint8Array | string): Buffer {
  const res = spawnSync(capnp, args, { input, maxBuffer: 1 << 24 });
  if (res.status !== 0) throw new Error(`capnp ${args[0]} failed: ${res.stderr.toString()}`);
  return res.stdout;
}

const capnpDecode = (frame: Uint8Array): string => run(['decode', '--short', ...schemaArgs()], frame).toString().trim();
const capnpEncode = (text: string): Uint8Array => new Uint8Array(run(['encode', ...schemaArgs()], text));

function encodeTs(v: AllTypes$Init): Uint8Array {
  const mb = new MessageBuilder();
  AllTypes.encode(mb.initRoot(AllTypes.dataWords, AllTypes.ptrCount), v);
  return mb.toFrame().slice();
}

const decodeTs = (frame: Uint8Array): AllTypes => AllTypes.decode(decodeFrame(frame).getRoot());

const full: AllTypes = {
  b: true, i8: -8, i16: -1600, i32: -320000, i64: -(2n ** 62n), u8: 200, u16: 65000, u32: 4000000000,
  u64: 2n ** 64n - 2n, f32: 0.25, f64: -1.5e300,
  text: 'héllo "world"\n', data: new Uint8Array([0, 1, 2, 255]), color: Color.green,
  inner: { id: 7, label: 'inner' },
  ints: [1, -2, 3], bools: [true, false, true, true, false, false, false, false, true], texts: ['a', '', 'ccc'],
  blobs: [new Uint8Array([9]), new Uint8Array(0)], inners: [{ id: 1, label: 'x' }, { id: 2, label: '' }],
  nested: [[1, 2], [], [65535]], colors: [Color.blue, Color.red], i64s: [-1n, 2n ** 63n - 1n],
  context: {},
  dBool: false, dInt: 0, dU64: 0n, dF64: 0, dF32: -2, dText: '', dColor: Color.red,
  choice: { pair: { left: -5, right: 'r' } },
  info: { height: 840000, hash: new Uint8Array(32).fill(0xab) },
  threads: [],
};

describe('mpgen codec vs capnp', () => {
  it('exports the schema constants and enums', () => {
    assert.equal(answer, 42);
    assert.equal(greeting, 'hello');
    assert.equal(bigValue, 2n ** 64n - 1n);
    assert.deepEqual(Color, { red: 0, green: 1, blue: 2 });
    assert.equal(AllTypes.name, 'AllTypes');
  });

  it('writes bytes that capnp decode reads back field for field', () => {
    const text = capnpDecode(encodeTs(full));
    for (const piece of [
      'b = true', 'i8 = -8', 'i64 = -4611686018427387904', 'u64 = 18446744073709551614', 'f32 = 0.25',
      'text = "héllo \\"world\\"\\n"', 'data = "\\000\\001\\002\\377"', 'color = green',
      'inner = (id = 7, label = "inner")', 'ints = [1, -2, 3]', 'bools = [true, false, true, true, false, false, false, false, true]',
      'texts = ["a", "", "ccc"]', 'inners = [(id = 1, label = "x"), (id = 2, label = "")]', 'nested = [[1, 2], [], [65535]]',
      'colors = [blue, red]', 'dBool = false', 'dInt = 0', 'dF32 = -2', 'dText = ""', 'dColor = red',
      'choice = (pair = (left = -5, right = "r"))', 'info = (height = 840000',
    ]) {
      assert.ok(text.includes(piece), `missing ${piece} in ${text}`);
    }
  });

  it('decodes what capnp encode writes from the same text', () => {
    const text = capnpDecode(encodeTs(full));
    assert.deepEqual(decodeTs(capnpEncode(text)), full);
  });

  it('reads schema defaults for fields left unset', () => {
    const v = decodeTs(encodeTs({}));
    assert.equal(v.dBool, true);
    assert.equal(v.dInt, -123);
    assert.equal(v.dU64, 2n ** 64n - 1n);
    assert.equal(v.dF64, 1.7976931348623157e308);
    assert.equal(v.dF32, 1.5);
    assert.equal(v.dText, 'default text');
    assert.equal(v.dColor, Color.blue);
    assert.deepEqual(v.choice, { none: null });
    // Null Text/Data/List read as empty (libmultiprocess semantics); unset structs stay absent.
    assert.equal(v.text, '');
    assert.deepEqual(v.ints, []);
    assert.equal(v.inner, undefined);
    // Unset fields stay zero on the wire, so capnp sees the same defaults.
    const text = capnpDecode(encodeTs({}));
    assert.ok(text.includes('dInt = -123') && text.includes('dBool = true') && text.includes('dColor = blue'), text);
  });

  it('decodes hand-written capnp text, including union members and empty-but-set pointers', () => {
    const v = decodeTs(capnpEncode('(choice = (word = "w"), data = "", texts = [], info = (hash = "\\x01"))'));
    assert.deepEqual(v.choice, { word: 'w' });
    assert.deepEqual(v.data, new Uint8Array(0));
    assert.deepEqual(v.texts, []);
    assert.deepEqual(v.info, { height: 0, hash: new Uint8Array([1]) });
    const n = decodeTs(capnpEncode('(choice = (number = 77))'));
    assert.deepEqual(n.choice, { number: 77 });
  });

  it('decodes Data as a plain Uint8Array copy, also from a Buffer-backed frame', () => {
    const frame = Buffer.from(encodeTs({ data: new Uint8Array([1, 2, 3]), blobs: [new Uint8Array([4])] }));
    const v = decodeTs(frame);
    frame.fill(0);
    assert.equal(Object.getPrototypeOf(v.data), Uint8Array.prototype);
    assert.equal(Object.getPrototypeOf(v.blobs[0]), Uint8Array.prototype);
    assert.deepEqual(v.data, new Uint8Array([1, 2, 3]));
    assert.deepEqual(v.blobs, [new Uint8Array([4])]);
  });

  it('keeps set-but-empty Data and Text distinct from unset', () => {
    const text = capnpDecode(encodeTs({ data: new Uint8Array(0), text: '' }));
    assert.ok(text.includes('text = ""') && text.includes('data = ""'), text);
    assert.ok(!capnpDecode(encodeTs({})).includes('data ='));
  });

  it('writes capability fields as cap-table indexes', () => {
    const frame = encodeTs({ context: { thread: { cap: 3 }, callbackThread: null } });
    const v = decodeTs(frame);
    assert.deepEqual(v.context, { thread: { cap: 3 } });
    // A list of capabilities keeps null entries (typed `($CapRef | null)[]`).
    const threads: ($CapRef | null)[] = decodeTs(encodeTs({ threads: [{ cap: 1 }, null, { cap: 0 }] })).threads;
    assert.deepEqual(threads, [{ cap: 1 }, null, { cap: 0 }]);
  });

  it('allocates in pointer-slot order, depth-first (canonical rule)', () => {
    // text (slot 0) must precede inner (slot 2) and inner's label must precede ints (slot 3).
    const frame = encodeTs({ ints: [5], inner: { label: 'L' }, text: 'T' });
    const bytes = Buffer.from(frame);
    const t = bytes.indexOf('T\0');
    const l = bytes.indexOf('L\0');
    const five = bytes.indexOf(Buffer.from([5, 0, 0, 0]), l);
    assert.ok(t > 0 && l > t && five > l, `order text=${t} label=${l} ints=${five}`);
  });
});
