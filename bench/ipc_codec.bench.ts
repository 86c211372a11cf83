// IPC codec throughput: build + serialize + parse + read every field of one message, with the native codec
// (capnp.node, real libcapnp), the pure-TS message layer the generated codecs use, and capnp-es 0.0.16 (peer).
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
`;
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
function roundTripTs(m: Msg): void {
  const mb = new MessageBuilder(1200);
  const b = mb.initRoot(DATA_WORDS, PTRS);
  b.setUint64(0, m.id); b.setInt32(2, m.height); b.setInt32(3, m.version); b.setUint32(4, m.time);
  b.setUint32(5, m.bits); b.setUint32(6, m.nonce); b.setUint32(7, m.weight); b.setInt64(4, m.fee);
  b.setBool(320, m.flag); b.setText(0, m.name); b.setData(1, m.payload);
  const r = decodeFrame(mb.toFrame()).getRoot();
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

function roundTripCapnpEs(m: Msg): void {
  const message = new capnpEs.Message();
  const w = message.initRoot(EsMsg);
  w.id = m.id; w.height = m.height; w.version = m.version; w.time = m.time; w.bits = m.bits; w.nonce = m.nonce;
  w.weight = m.weight; w.fee = m.fee; w.flag = m.flag; w.name = m.name;
  w._initPayload(m.payload.length).copyBuffer(m.payload);
  const r = new capnpEs.Message(message.toArrayBuffer(), false).getRoot(EsMsg);
  consume({
    id: r.id, height: r.height, version: r.version, time: r.time, bits: r.bits, nonce: r.nonce, weight: r.weight,
    fee: r.fee, flag: r.flag, name: r.name, payload: r.payload.toUint8Array().slice(),
  });
}

interface Addon {
  Codec: new () => {
    load(request: Uint8Array): number;
    encode(typeId: bigint, value: object): Uint8Array;
    decode(typeId: bigint, frame: Uint8Array): Msg;
  };
}

/** The native codec with the benchmark schema loaded, or null when the addon or capnp is missing. */
function openNative(): { encode(v: Msg): Uint8Array; decode(f: Uint8Array): Msg } | null {
  const addonPath = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'native', 'capnp.node');
  if (!fs.existsSync(addonPath)) return null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-codec-bench-'));
  try {
    fs.writeFileSync(path.join(dir, 'bench.capnp'), SCHEMA);
    const res = spawnSync(process.env['CAPNP_EXECUTABLE'] || 'capnp', ['compile', '-o-', `--src-prefix=${dir}`, path.join(dir, 'bench.capnp')]);
    if (res.status !== 0) throw new Error(`capnp compile failed: ${res.stderr?.toString() ?? res.error}`);
    const addon = createRequire(import.meta.url)(addonPath) as Addon;
    const codec = new addon.Codec();
    codec.load(new Uint8Array(res.stdout));
    return { encode: (v) => codec.encode(MSG_ID, v), decode: (f) => codec.decode(MSG_ID, f) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const benchmarks: BenchmarkSuite[] = [
  {
    name: 'ipc_codec',
    async run(opts) {
      const native = openNative();
      const es = await measure('capnp-es 0.0.16: build+serialize+parse+read', () => roundTripCapnpEs(MSG), opts);
      report(es, undefined, 'msg/s');
      report(await measure('pure TS (runtime builder/reader)', () => roundTripTs(MSG), opts), es, 'msg/s');
      if (native === null) {
        console.log('native codec: not built (configure with -DENABLE_IPC=ON)');
        return;
      }
      const frame = native.encode(MSG);
      report(await measure('native codec: encode+decode', () => consume(native.decode(native.encode(MSG))), opts), es, 'msg/s');
      report(await measure('native codec: encode only', () => native.encode(MSG), opts), es, 'msg/s');
      report(await measure('native codec: decode only', () => consume(native.decode(frame)), opts), es, 'msg/s');
      if (sink === 0) console.log('(unreachable: keeps the reads alive)');
    },
  },
];
