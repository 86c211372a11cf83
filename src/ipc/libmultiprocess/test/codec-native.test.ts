// The native codec (capnp.node, real libcapnp) against the pure-TS codecs: identical bytes and values for the
// mpgen test schemas and for rpc.capnp messages written by the runtime's own message code.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ElementSize, MessageBuilder, decodeFrame, type StructBuilder, type StructReader } from '@smithcoin/libmultiprocess';
import { NATIVE_CODEC_ENV, loadNativeCodec, type NativeCodec } from '../src/codec/native.js';
import {
  beginCall, beginReturn, encodeBootstrap, encodeFinish, encodeRelease, encodeReturnException, writeCapTable,
} from '../src/rpc/messages.js';
import { Holder, type Holder$Init } from './codec-types.capnp.js';
import { AllTypes, Color, type AllTypes$Init } from './mpgen-types.capnp.js';
import { capnpExecutable, capnpIncludeDir } from './capnp-tool.js';

const sourceDir = process.env['MP_SOURCE_DIR'];

/** `capnp compile -o-` output for a schema (a CodeGeneratorRequest). */
function compile(args: string[]): Uint8Array {
  const res = spawnSync(capnpExecutable(), ['compile', '-o-', ...args], { maxBuffer: 1 << 26 });
  if (res.status !== 0) throw new Error(`capnp compile failed: ${res.stderr.toString()}`);
  return new Uint8Array(res.stdout);
}

function frameOf(encode: (b: StructBuilder) => void, dataWords: number, ptrCount: number): Uint8Array {
  const mb = new MessageBuilder();
  encode(mb.initRoot(dataWords, ptrCount));
  return mb.toFrame().slice();
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

const CAPS_SCHEMA = `@0xe1c2a3b4d5f60718;
using Proxy = import "/mp/proxy.capnp";
struct Caps {
  nested @0 :List(List(Proxy.Thread));
  any @1 :AnyPointer;
  anyCap @2 :AnyPointer;
  threads @3 :List(Proxy.Thread);
}
`;

const full: AllTypes$Init = {
  b: true, i8: -8, i16: -1600, i32: -320000, i64: -(2n ** 62n), u8: 200, u16: 65000, u32: 4000000000,
  u64: 2n ** 64n - 2n, f32: 0.25, f64: -1.5e300,
  text: 'héllo "world"\n', data: new Uint8Array([0, 1, 2, 255]), color: Color.green,
  inner: { id: 7, label: 'inner' },
  ints: [1, -2, 3], bools: [true, false, true, true, false, false, false, false, true], texts: ['a', '', 'ccc'],
  blobs: [new Uint8Array([9]), new Uint8Array(0)], inners: [{ id: 1, label: 'x' }, { id: 2 }],
  nested: [[1, 2], [], [65535]], colors: [Color.blue, Color.red], i64s: [-1n, 2n ** 63n - 1n],
  context: { thread: { cap: 4 }, callbackThread: { cap: 0 } },
  dBool: false, dInt: 0, dU64: 0n, dF64: 0, dF32: -2, dText: '', dColor: Color.red,
  choice: { pair: { left: -5, right: 'r' } },
  info: { height: 840000, hash: new Uint8Array(32).fill(0xab) },
};

const holders: Holder$Init[] = [
  {},
  { count: -3, nestedNames: [['a'], [], ['', 'bc']], pick: { thread: { cap: 3 } } },
  { pick: { pair: { a: 'left', b: { cap: 9 } } }, extra: { count: 2n ** 64n - 1n, note: 'n', inner: { pick: { nothing: null }, blob: new Uint8Array(3) } } },
  { extra: { inner: { extra: { note: 'deep', inner: { names: ['x', '', 'yz'] } } } }, blob: new Uint8Array(0), names: [] },
  { wide: [1.5, -0, Infinity], flags: [true, false, true], blobs: [new Uint8Array([1, 2]), new Uint8Array(0)], pick: { nothing: null } },
  { context: { callbackThread: { cap: 1 } }, pick: { pair: {} } },
];

describe('native codec (capnp.node) vs pure-TS codecs', function () {
  let native: NativeCodec;
  let messageId: bigint;

  before(function () {
    const codec = loadNativeCodec();
    if (codec === null) {
      // The addon is part of Smithcoin's ENABLE_IPC build, which names it in MP_NATIVE_CODEC: there it must load.
      // A standalone package build has no native codec, so there is nothing to compare.
      const expected = process.env[NATIVE_CODEC_ENV];
      if (expected) throw new Error(`${NATIVE_CODEC_ENV}: "${expected}" does not exist`);
      console.log('      skipped: no native codec in this build (capnp.node is built by Smithcoin with ENABLE_IPC=ON)');
      this.skip();
    }
    native = codec;
    if (!sourceDir) throw new Error('MP_SOURCE_DIR must name the libmultiprocess source directory');
    const include = `-I${path.join(sourceDir, 'include')}`;
    native.load(compile([include, `--src-prefix=${sourceDir}`, path.join(sourceDir, 'test', 'mpgen-types.capnp')]));
    native.load(compile([include, `--src-prefix=${sourceDir}`, path.join(sourceDir, 'test', 'codec-types.capnp')]));
    native.load(compile([`--src-prefix=${path.join(sourceDir, 'include')}`, path.join(sourceDir, 'include', 'mp', 'proxy.capnp')]));
    const rpcDir = capnpIncludeDir();
    native.load(compile([`-I${rpcDir}`, `--src-prefix=${rpcDir}`, path.join(rpcDir, 'capnp', 'rpc.capnp')]));
    messageId = native.findType('capnp/rpc.capnp:Message')!;
    assert.equal(messageId, 0x91b79f1f808db032n);
  });

  describe('structs of the mpgen test schema', () => {
    it('finds generated types by display name', () => {
      assert.equal(native.findType('test/mpgen-types.capnp:AllTypes'), AllTypes.typeId);
      assert.equal(native.findType('test/codec-types.capnp:Holder'), Holder.typeId);
      assert.equal(native.findType('no/such.capnp:Type'), undefined);
    });

    const cases: [string, AllTypes$Init][] = [
      ['every field', full],
      ['nothing set (defaults)', {}],
      ['set-but-empty Text/Data/List', { text: '', data: new Uint8Array(0), texts: [], ints: [] }],
      ['union Void member', { choice: { none: null } }],
      ['union number member', { choice: { number: 77 } }],
      ['union Text member', { choice: { word: 'w' } }],
      ['union group member left empty', { choice: { pair: {} } }],
      ['1 MiB of Data (beyond the first segment)', { data: new Uint8Array(1 << 20).fill(7), text: 'x'.repeat(10000) }],
    ];
    for (const [name, value] of cases) {
      it(`gives identical bytes and values: ${name}`, () => {
        const ts = frameOf((b) => AllTypes.encode(b, value), AllTypes.dataWords, AllTypes.ptrCount);
        const nat = native.encode(AllTypes.typeId, value);
        assert.equal(hex(nat), hex(ts));
        const viaTs = AllTypes.decode(decodeFrame(ts).getRoot());
        assert.deepEqual(native.decode(AllTypes.typeId, ts), viaTs);
        assert.deepEqual(AllTypes.decode(decodeFrame(nat).getRoot()), viaTs);
      });
    }

    it('accepts numbers for 64-bit fields (same bytes as bigints)', () => {
      assert.equal(hex(native.encode(AllTypes.typeId, { i64: -5, u64: 6, i64s: [7] })),
        hex(native.encode(AllTypes.typeId, { i64: -5n, u64: 6n, i64s: [7n] })));
      assert.throws(() => native.encode(AllTypes.typeId, { u64: 2 ** 60 }), { name: 'RangeError' });
    });

    it('gives identical bytes for unions and groups holding pointers and capabilities', () => {
      for (const value of holders) {
        const ts = frameOf((b) => Holder.encode(b, value), Holder.dataWords, Holder.ptrCount);
        const nat = native.encode(Holder.typeId, value);
        assert.equal(hex(nat), hex(ts), JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? String(v) : v)));
        assert.deepEqual(native.decode(Holder.typeId, ts), Holder.decode(decodeFrame(ts).getRoot()));
      }
    });

    it('decodes a message whose root sits in a second segment behind a far pointer', () => {
      const single = native.encode(AllTypes.typeId, full);
      const segment = single.subarray(8);
      // Segment 0 holds only a far pointer to word 0 of segment 1, whose first word is the original root
      // pointer: a valid single-far landing pad.
      const frame = new Uint8Array(8 + 8 + 8 + segment.length);
      const v = new DataView(frame.buffer);
      v.setUint32(0, 1, true);
      v.setUint32(4, 1, true);
      v.setUint32(8, segment.length / 8, true);
      v.setUint32(16, 2, true); // far pointer, landing pad at offset 0
      v.setUint32(20, 1, true); // in segment 1
      frame.set(segment, 24);
      assert.deepEqual(native.decode(AllTypes.typeId, frame), native.decode(AllTypes.typeId, single));
    });

    it('stands in for a generated codec (splicing into the builder, or copying when it cannot)', () => {
      const sc = native.structCodec<AllTypes$Init>(AllTypes) as unknown as {
        encode(b: StructBuilder, v: AllTypes$Init): void; decode(r: StructReader): unknown;
      };
      const expected = frameOf((b) => AllTypes.encode(b, full), AllTypes.dataWords, AllTypes.ptrCount);
      assert.equal(hex(frameOf((b) => sc.encode(b, full), AllTypes.dataWords, AllTypes.ptrCount)), hex(expected));
      // Not the last allocation: a sibling struct was allocated after it, so the adapter deep-copies.
      const both = (enc: (b: StructBuilder, v: AllTypes$Init) => void): string => {
        const mb = new MessageBuilder();
        const root = mb.initRoot(0, 2);
        const first = root.initStruct(0, AllTypes.dataWords, AllTypes.ptrCount);
        root.initStruct(1, 1, 0).setUint32(0, 99);
        enc(first, full);
        return hex(mb.toFrame());
      };
      assert.equal(both((b, v) => sc.encode(b, v)), both((b, v) => AllTypes.encode(b, v)));
      assert.deepEqual(sc.decode(decodeFrame(expected).getRoot()), AllTypes.decode(decodeFrame(expected).getRoot()));
    });

    it('rejects wrong values with the field name, and malformed bytes with capnp\'s message', () => {
      assert.throws(() => native.encode(AllTypes.typeId, { text: 5 }), { name: 'TypeError', message: /AllTypes\.text: expected a string/ });
      assert.throws(() => native.encode(AllTypes.typeId, { u8: 256 }), { name: 'RangeError', message: /AllTypes\.u8/ });
      assert.throws(() => native.encode(AllTypes.typeId, { i32: 1.5 }), { name: 'RangeError' });
      assert.throws(() => native.encode(AllTypes.typeId, { u64: -1n }), { name: 'RangeError' });
      assert.throws(() => native.encode(AllTypes.typeId, { data: [1, 2] }), { name: 'TypeError', message: /expected a Uint8Array/ });
      assert.throws(() => native.encode(123n, {}), /unknown struct type 0x7b/);
      const good = native.encode(AllTypes.typeId, full);
      assert.throws(() => native.decode(AllTypes.typeId, good.subarray(0, good.length - 8)), /capnp codec: .*premature/i);
      assert.throws(() => native.decode(AllTypes.typeId, good.subarray(0, 12)), /whole number of words/);
      const bad = good.slice();
      new DataView(bad.buffer).setUint32(8 + 8 * 1 + 8 * AllTypes.dataWords, 0x7ffffff1, true); // text: out-of-bounds list
      assert.throws(() => native.decode(AllTypes.typeId, bad), /capnp codec: .*out-of-bounds/);
    });
  });

  it('handles capability lists and AnyPointer fields (native only: mpgen has neither)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'codec-native-'));
    try {
      fs.writeFileSync(path.join(dir, 'caps.capnp'), CAPS_SCHEMA);
      native.load(compile([`-I${path.join(sourceDir!, 'include')}`, `--src-prefix=${dir}`, path.join(dir, 'caps.capnp')]));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const capsId = native.findType('caps.capnp:Caps')!;
    const value = {
      nested: [[{ cap: 1 }], [], [null, { cap: 2 }]],
      any: { type: AllTypes.typeId, value: { i32: 5, text: 't' } },
      anyCap: { cap: 6 },
    };
    const frame = native.encode(capsId, value);
    const decoded = native.decode(capsId, frame, AllTypes.typeId) as Record<string, unknown>;
    assert.deepEqual(decoded['nested'], value.nested);
    assert.deepEqual(decoded['any'], { type: AllTypes.typeId, value: AllTypes.decode(decodeFrame(frameOf((b) => AllTypes.encode(b, { i32: 5, text: 't' }), AllTypes.dataWords, AllTypes.ptrCount)).getRoot()) });
    assert.deepEqual(decoded['anyCap'], { cap: 6 });
    // A capability list, against the runtime's builder (mpgen cannot emit List(interface) yet).
    const threads = [{ cap: 0 }, null, { cap: 7 }];
    const mb = new MessageBuilder();
    const list = mb.initRoot(0, 4).initList(3, ElementSize.POINTER, 3);
    threads.forEach((t, i) => list.setCapability(i, t === null ? null : t.cap));
    const capsFrame = native.encode(capsId, { threads });
    assert.equal(hex(capsFrame), hex(mb.toFrame()));
    assert.deepEqual(native.decode(capsId, capsFrame), { nested: [], threads });
    // Without a hint, an AnyPointer holding a struct cannot be typed.
    assert.equal((native.decode(capsId, frame) as Record<string, unknown>)['any'], null);
  });

  describe('encoder fast path and robustness', () => {
    it('encodeInto writes the same bytes into a caller buffer, or reports the size it needs', () => {
      const expected = native.encode(AllTypes.typeId, full);
      const target = new Uint8Array(expected.length + 16).fill(0xee);
      assert.equal(native.encodeInto(AllTypes.typeId, full, target, 16), expected.length);
      assert.equal(hex(target.subarray(16)), hex(expected));
      assert.equal(hex(target.subarray(0, 16)), 'ee'.repeat(16));
      assert.equal(native.encodeInto(AllTypes.typeId, full, new Uint8Array(8)), -expected.length);
      assert.throws(() => native.encodeInto(AllTypes.typeId, full, target, target.length + 1), { name: 'RangeError' });
    });

    it('gives every frame and Data value its own bytes', () => {
      const a = native.encode(Holder.typeId, { blob: new Uint8Array([1, 2, 3]) });
      const b = native.encode(Holder.typeId, { blob: new Uint8Array([4, 5, 6]) });
      const da = native.decode<{ blob: Uint8Array }>(Holder.typeId, a).blob;
      const db = native.decode<{ blob: Uint8Array }>(Holder.typeId, b).blob;
      da.fill(9);
      assert.deepEqual([...db], [4, 5, 6]);
      assert.deepEqual([...native.decode<{ blob: Uint8Array }>(Holder.typeId, a).blob], [1, 2, 3]);
      assert.ok(!(da instanceof Buffer));
    });

    it('survives a getter that encodes another message mid-way, and one that throws', () => {
      const inner = { get label(): string { native.encode(AllTypes.typeId, full); return 'in'; }, id: 3 };
      const nested = native.encode(AllTypes.typeId, { inner, text: 't' });
      assert.equal(hex(nested), hex(frameOf((b) => AllTypes.encode(b, { inner: { id: 3, label: 'in' }, text: 't' }), AllTypes.dataWords, AllTypes.ptrCount)));
      const boom = { get label(): string { throw new Error('boom'); } };
      assert.throws(() => native.encode(AllTypes.typeId, { inner: boom }), /boom/);
      assert.equal(hex(native.encode(AllTypes.typeId, full)), hex(frameOf((b) => AllTypes.encode(b, full), AllTypes.dataWords, AllTypes.ptrCount)));
      assert.throws(() => native.encode(AllTypes.typeId, { inner: 5 } as never), { name: 'TypeError', message: /AllTypes\.inner: expected an object/ });
      assert.throws(() => native.encode(AllTypes.typeId, { info: 'x' } as never), { name: 'TypeError', message: /AllTypes\.info: expected an object/ });
      assert.throws(() => native.encode(AllTypes.typeId, null as never), { name: 'TypeError' });
    });

    it('never crashes on random, truncated or corrupted bytes', () => {
      let seed = 12345;
      const rand = (n: number): number => { seed = (seed * 1103515245 + 12345) >>> 0; return seed % n; };
      const samples = [native.encode(AllTypes.typeId, full), ...holders.map((h) => native.encode(Holder.typeId, h))];
      let decoded = 0;
      let rejected = 0;
      const attempt = (id: bigint, bytes: Uint8Array): void => {
        try {
          native.decode(id, bytes, AllTypes.typeId);
          decoded++;
        } catch (e) {
          assert.ok(e instanceof Error && /capnp codec/.test(e.message), String(e));
          rejected++;
        }
      };
      for (let round = 0; round < 3000; round++) {
        const src = samples[rand(samples.length)]!;
        const id = src === samples[0] ? AllTypes.typeId : Holder.typeId;
        const bytes = src.slice();
        const kind = rand(4);
        if (kind === 0) {
          attempt(id, bytes.subarray(0, rand(bytes.length / 8 + 1) * 8));
        } else if (kind === 1) {
          for (let k = 0; k < 1 + rand(8); k++) bytes[8 + rand(bytes.length - 8)] = rand(256);
          attempt(id, bytes);
        } else if (kind === 2) {
          // Corrupt a whole word: often a pointer, so far/list/struct pointers with random targets.
          const w = 1 + rand(bytes.length / 8 - 1);
          for (let k = 0; k < 8; k++) bytes[w * 8 + k] = rand(256);
          attempt(id, bytes);
        } else {
          const random = new Uint8Array(8 * (1 + rand(40))).map(() => rand(256));
          if (rand(2) === 0) new DataView(random.buffer).setUint32(0, 0, true);
          if (rand(2) === 0) new DataView(random.buffer).setUint32(4, random.length / 8 - 1, true);
          attempt(id, random);
        }
      }
      assert.ok(decoded > 0 && rejected > 0, `decoded ${decoded}, rejected ${rejected}`);
    });
  });

  describe('rpc.capnp messages', () => {
    it('matches the runtime\'s Bootstrap, Finish, Release and exception Return bytes', () => {
      assert.equal(hex(native.encode(messageId, { bootstrap: { questionId: 5 } })), hex(encodeBootstrap(5)));
      assert.equal(hex(native.encode(messageId, { finish: { questionId: 3, releaseResultCaps: false } })), hex(encodeFinish(3, false)));
      assert.equal(hex(native.encode(messageId, { release: { id: 1, referenceCount: 1 } })), hex(encodeRelease(1, 1)));
      const reason = 'std::exception: boom-async';
      assert.equal(hex(native.encode(messageId, { return: { answerId: 1, releaseParamCaps: false, exception: { reason, type: 0 } } })),
        hex(encodeReturnException(1, false, reason, 0)));
      assert.deepEqual(native.decode(messageId, encodeReturnException(1, false, reason, 0)), {
        return: { answerId: 1, releaseParamCaps: false, exception: { reason, type: 0, obsoleteIsCallersFault: false, obsoleteDurability: 0, trace: '' } },
      });
    });

    it('matches a pipelined Call and types its params from the interface schema', () => {
      const threadMap = 0xee5e37179ad9dc9dn;
      const types = native.methodTypes(threadMap, 0)!;
      assert.equal(types.params, native.findType('mp/proxy.capnp:ThreadMap.makeThread$Params'));
      const { mb, payload, params } = beginCall({ kind: 'answer', questionId: 0, path: [1] }, threadMap, 0, 0, 1, 256);
      params.setText(0, 'codec-thread');
      writeCapTable(payload, 1, [{ kind: 'receiverAnswer', questionId: 0, path: [0] }, { kind: 'senderHosted', id: 1 }]);
      const ts = mb.toFrame().slice();
      const value = {
        call: {
          questionId: 0, interfaceId: threadMap, methodId: 0,
          target: { promisedAnswer: { questionId: 0, transform: [{ getPointerField: 1 }] } },
          params: {
            content: { type: types.params, value: { name: 'codec-thread' } },
            capTable: [{ receiverAnswer: { questionId: 0, transform: [{ getPointerField: 0 }] } }, { senderHosted: 1 }],
          },
          sendResultsTo: { caller: null },
        },
      };
      assert.equal(hex(native.encode(messageId, value)), hex(ts));
      const decoded = native.decode<{ call: { params: { content: unknown } } }>(messageId, ts);
      assert.deepEqual(decoded.call.params.content, { type: types.params, value: { name: 'codec-thread' } });
      // Corrupted Calls (caps lists, typed payloads) are rejected with an error, never a crash.
      let seed = 99;
      const rand = (n: number): number => { seed = (seed * 1103515245 + 12345) >>> 0; return seed % n; };
      for (let round = 0; round < 1500; round++) {
        const bytes = ts.slice();
        for (let k = 0; k < 1 + rand(4); k++) bytes[8 + rand(bytes.length - 8)] = rand(256);
        try {
          native.decode(messageId, bytes, (id) => (id % 2 ? types.results : undefined));
        } catch (e) {
          assert.ok(e instanceof Error && /capnp codec/.test(e.message), String(e));
        }
      }
    });

    it('types Return results with the hint, and decodes a bootstrap capability', () => {
      const threadMap = 0xee5e37179ad9dc9dn;
      const { results } = native.methodTypes(threadMap, 0)!;
      const { mb, payload } = beginReturn(7, false, 128);
      payload.initStruct(0, 0, 1).setCapability(0, 0);
      writeCapTable(payload, 1, [{ kind: 'senderHosted', id: 2 }]);
      const ts = mb.toFrame().slice();
      const expect = { type: results, value: { result: { cap: 0 } } };
      const content = (hint?: bigint | ((answerId: number) => bigint | undefined)): unknown =>
        native.decode<{ return: { results: { content: unknown } } }>(messageId, ts, hint).return.results.content;
      assert.equal(content(), null); // nothing says what the results are
      assert.deepEqual(content(results), expect);
      const asked: number[] = [];
      assert.deepEqual(content((id) => { asked.push(id); return results; }), expect);
      assert.deepEqual(asked, [7]);
      assert.equal(content(() => undefined), null);
      assert.equal(hex(native.encode(messageId, { return: { answerId: 7, releaseParamCaps: false, results: { content: expect, capTable: [{ senderHosted: 2 }] } } })), hex(ts));
      const boot = native.encode(messageId, { return: { answerId: 0, releaseParamCaps: true, results: { content: { cap: 0 }, capTable: [{ senderHosted: 0 }] } } });
      assert.deepEqual(native.decode<{ return: { results: { content: unknown } } }>(messageId, boot).return.results.content, { cap: 0 });
    });
  });
});
