// IPC codec throughput (encode, decode, round trip) of one message with the native codec (capnp.node, real
// libcapnp), the pure-TS message layer the generated codecs use, and capnp-es 0.0.16 (the measured peer).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as capnpEs from 'capnp-es';
import { MessageBuilder, decodeFrame } from '@smithcoin/libmultiprocess';
import { measure, report, type BenchmarkSuite } from './lib/bench.js';

// The message of the spec's C++ serialization benchmark (ipc-wire.md §4.1 (d)): 11 fields, 1 KiB payload.
const SCHEMA = `@0xb1e2c3d4e5f60718;
struct Msg { id @0 :UInt64; height @1 :Int32; version @2 :Int32; time @3 :UInt32; bits @4 :UInt32;
  nonce @5 :UInt32; fee @6 :Int64; weight @7 :UInt32; flag @8 :Bool; name @9 :Text; payload @10 :Data; }
struct Empty @0xc98dd9aee7f7a5a7 {}
`;
const EMPTY_ID = 0xc98dd9aee7f7a5a7n;
const MSG_ID = 0xf9852061ec751131n;
const DATA_WORDS = 6;
const PTRS = 2;

interface Msg {
  id: bigint; height: number; version: number; time: number; bits: number; nonce: number; fee: bigint;
  weight: number; flag: boolean; name: string; payload: Uint8Array;
}

const MSG: Msg = {
  id: 0x0123456789abcdefn, height: 840000, version: 0x20000000, time: 1713571767, bits: 0x17034219,
  nonce: 0xdeadbeef, fee: 1234567n, weight: 3993000, flag: true, name: 'block-template',
  payload: new Uint8Array(1024).map((_, i) => i & 0xff),
};

// Every field read, so that lazy readers pay the same as eager decoders.
let sink = 0;
function consume(m: Msg): void {
  sink += Number(m.id & 1n) + m.height + m.version + m.time + m.bits + m.nonce + Number(m.fee & 1n) + m.weight +
    (m.flag ? 1 : 0) + m.name.length + m.payload.length + m.payload[1]!;
}

/** The pure-TS path: what mpgen-generated encode/decode do on the runtime's builder and reader. */
function encodeTs(m: Msg): Uint8Array {
  const mb = new MessageBuilder(1200);
  const b = mb.initRoot(DATA_WORDS, PTRS);
  b.setUint64(0, m.id); b.setInt32(2, m.height); b.setInt32(3, m.version); b.setUint32(4, m.time);
  b.setUint32(5, m.bits); b.setUint32(6, m.nonce); b.setUint32(7, m.weight); b.setInt64(4, m.fee);
  b.setBool(320, m.flag); b.setText(0, m.name); b.setData(1, m.payload);
  return mb.toFrame();
}

function decodeTs(frame: Uint8Array): void {
  const r = decodeFrame(frame).getRoot();
  consume({
    id: r.getUint64(0), height: r.getInt32(2), version: r.getInt32(3), time: r.getUint32(4), bits: r.getUint32(5),
    nonce: r.getUint32(6), weight: r.getUint32(7), fee: r.getInt64(4), flag: r.getBool(320), name: r.getText(0),
    payload: r.getData(1).slice(),
  });
}

/** capnp-es: the struct class its compiler would generate, written out. */
class EsMsg extends capnpEs.Struct {
  static override readonly _capnp = { displayName: 'Msg', id: 'f9852061ec751131', size: new capnpEs.ObjectSize(48, 2) };
  get id(): bigint { return capnpEs.utils.getUint64(0, this); }
  set id(v: bigint) { capnpEs.utils.setUint64(0, v, this); }
  get height(): number { return capnpEs.utils.getInt32(8, this); }
  set height(v: number) { capnpEs.utils.setInt32(8, v, this); }
  get version(): number { return capnpEs.utils.getInt32(12, this); }
  set version(v: number) { capnpEs.utils.setInt32(12, v, this); }
  get time(): number { return capnpEs.utils.getUint32(16, this); }
  set time(v: number) { capnpEs.utils.setUint32(16, v, this); }
  get bits(): number { return capnpEs.utils.getUint32(20, this); }
  set bits(v: number) { capnpEs.utils.setUint32(20, v, this); }
  get nonce(): number { return capnpEs.utils.getUint32(24, this); }
  set nonce(v: number) { capnpEs.utils.setUint32(24, v, this); }
  get weight(): number { return capnpEs.utils.getUint32(28, this); }
  set weight(v: number) { capnpEs.utils.setUint32(28, v, this); }
  get fee(): bigint { return capnpEs.utils.getInt64(32, this); }
  set fee(v: bigint) { capnpEs.utils.setInt64(32, v, this); }
  get flag(): boolean { return capnpEs.utils.getBit(320, this); }
  set flag(v: boolean) { capnpEs.utils.setBit(320, v, this); }
  get name(): string { return capnpEs.utils.getText(0, this); }
  set name(v: string) { capnpEs.utils.setText(0, v, this); }
  get payload(): capnpEs.Data { return capnpEs.utils.getData(1, this); }
  _initPayload(n: number): capnpEs.Data { return capnpEs.utils.initData(1, n, this); }
}

function encodeCapnpEs(m: Msg): ArrayBuffer {
  const message = new capnpEs.Message();
  const w = message.initRoot(EsMsg);
  w.id = m.id; w.height = m.height; w.version = m.version; w.time = m.time; w.bits = m.bits; w.nonce = m.nonce;
  w.weight = m.weight; w.fee = m.fee; w.flag = m.flag; w.name = m.name;
  w._initPayload(m.payload.length).copyBuffer(m.payload);
  return message.toArrayBuffer();
}

function decodeCapnpEs(frame: ArrayBuffer): void {
  const r = new capnpEs.Message(frame, false).getRoot(EsMsg);
  consume({
    id: r.id, height: r.height, version: r.version, time: r.time, bits: r.bits, nonce: r.nonce, weight: r.weight,
    fee: r.fee, flag: r.flag, name: r.name, payload: r.payload.toUint8Array().slice(),
  });
}

interface Encoder {
  encode(value: object): Uint8Array;
  encodeInto(value: object, target: Uint8Array, offset?: number): number;
}
interface Addon {
  Codec: new () => {
    load(request: Uint8Array): number;
    encoder(typeId: bigint): Encoder;
    decode<T>(typeId: bigint, frame: Uint8Array): T;
  };
}

interface Native {
  msg: Encoder;
  empty: Encoder;
  decode(f: Uint8Array): Msg;
  decodeEmpty(f: Uint8Array): object;
}

/** The capnp to run: $CAPNP_EXECUTABLE, else the one the build found (js/bench_config.json), else capnp on PATH. */
function capnpExecutable(): string {
  const fromEnv = process.env['CAPNP_EXECUTABLE'];
  if (fromEnv) return fromEnv;
  const configFile = new URL('../bench_config.json', import.meta.url);
  if (!fs.existsSync(configFile)) return 'capnp';
  const config = JSON.parse(fs.readFileSync(configFile, 'utf8')) as { capnpExecutable?: string };
  return config.capnpExecutable || 'capnp';
}

/** The native codec with the benchmark schema loaded, or null when the addon is missing. */
function openNative(): Native | null {
  const addonPath = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'native', 'capnp.node');
  if (!fs.existsSync(addonPath)) return null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-codec-bench-'));
  try {
    fs.writeFileSync(path.join(dir, 'bench.capnp'), SCHEMA);
    const res = spawnSync(capnpExecutable(), ['compile', '-o-', `--src-prefix=${dir}`, path.join(dir, 'bench.capnp')]);
    if (res.status !== 0) throw new Error(`capnp compile failed: ${res.stderr?.toString() ?? res.error}`);
    const addon = createRequire(import.meta.url)(addonPath) as Addon;
    const codec = new addon.Codec();
    codec.load(new Uint8Array(res.stdout));
    return {
      msg: codec.encoder(MSG_ID), empty: codec.encoder(EMPTY_ID),
      decode: (f) => codec.decode<Msg>(MSG_ID, f), decodeEmpty: (f) => codec.decode<object>(EMPTY_ID, f),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const MSG_NO_DATA: Msg = { ...MSG, payload: new Uint8Array(0) };

export const benchmarks: BenchmarkSuite[] = [
  {
    name: 'ipc_codec',
    async run(opts) {
      const native = openNative();
      const esFrame = encodeCapnpEs(MSG);
      const tsFrame = encodeTs(MSG).slice();
      const es = {
        enc: await measure('capnp-es 0.0.16: encode', () => encodeCapnpEs(MSG), opts),
        dec: await measure('capnp-es 0.0.16: decode (+read)', () => decodeCapnpEs(esFrame), opts),
        rt: await measure('capnp-es 0.0.16: encode+decode', () => decodeCapnpEs(encodeCapnpEs(MSG)), opts),
      };
      report(es.enc, undefined, 'msg/s');
      report(es.dec, undefined, 'msg/s');
      report(es.rt, undefined, 'msg/s');
      report(await measure('pure TS: encode', () => encodeTs(MSG), opts), es.enc, 'msg/s');
      report(await measure('pure TS: decode (+read)', () => decodeTs(tsFrame), opts), es.dec, 'msg/s');
      report(await measure('pure TS: encode+decode', () => decodeTs(encodeTs(MSG)), opts), es.rt, 'msg/s');
      if (native === null) {
        console.log('native codec: not built (configure with -DENABLE_IPC=ON)');
        return;
      }
      const frame = native.msg.encode(MSG);
      const scratch = new Uint8Array(4096);
      report(await measure('native: encode', () => native.msg.encode(MSG), opts), es.enc, 'msg/s');
      report(await measure('native: encodeInto (caller buffer)', () => native.msg.encodeInto(MSG, scratch), opts), es.enc, 'msg/s');
      report(await measure('native: decode (+read)', () => consume(native.decode(frame)), opts), es.dec, 'msg/s');
      report(await measure('native: encode+decode', () => consume(native.decode(native.msg.encode(MSG))), opts), es.rt, 'msg/s');
      report(await measure('native: encodeInto+decode', () => {
        const n = native.msg.encodeInto(MSG, scratch);
        consume(native.decode(scratch.subarray(0, n)));
      }, opts), es.rt, 'msg/s');
      // Where the time goes: the fixed cost of a call through Node-API, and the message without its 1 KiB Data.
      const emptyFrame = native.empty.encode({});
      const noDataFrame = native.msg.encode(MSG_NO_DATA);
      report(await measure('native: encode+decode, empty struct (fixed cost)', () => native.decodeEmpty(native.empty.encode({})), opts), es.rt, 'msg/s');
      report(await measure('native: encode, same message without Data', () => native.msg.encode(MSG_NO_DATA), opts), es.enc, 'msg/s');
      report(await measure('native: decode, same message without Data', () => consume(native.decode(noDataFrame)), opts), es.dec, 'msg/s');
      report(await measure('native: decode, empty struct (fixed cost)', () => native.decodeEmpty(emptyFrame), opts), es.dec, 'msg/s');
      if (sink === 0) console.log('(unreachable: keeps the reads alive)');
    },
  },
];
