// IPC benchmarks: call round trips between two processes (context-less and Context calls, 1 KiB string) against a
// bare socket ping-pong of the same size, 64 calls in flight, the generated Echo with the selected codec, and
// message codec speed (pure TS vs capnp-es).
// Run as a child (`ipc.bench.js [raw] -ipcfd 3`) this file is the server side.
import fs from 'node:fs';
import type net from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as capnp from 'capnp-es';
import {
  ContextCodec, MessageBuilder, ProxyClient, ProxyConnection, ProxyServer, decodeFrame, parseIpcFd, socketFromFd,
  CodecSelector, spawnProcess, type CapRef, type ContextValue, type InterfaceSpec, type MethodSpec, type StructCodec,
} from '@smithcoin/libmultiprocess';
import type { Echo } from '../src/interfaces/echo.js';
import type { Init } from '../src/interfaces/init.js';
import type { EchoClient } from '../src/ipc/capnp/echo.capnp.js';
import { InitClient, InitServer } from '../src/ipc/capnp/init.capnp.js';
import { measure, median, report, reportLatency, type BenchmarkSuite, type BenchOptions } from './lib/bench.js';

// ---- a small Echo-like schema, written the way mpgen generates it --------------------------------------------
//   interface BenchInit @0xd1e2f3a4b5c60801 { construct @0 (threadMap :Proxy.ThreadMap) -> (threadMap :Proxy.ThreadMap);
//                                              makeBench @1 (context :Proxy.Context) -> (result :Bench); }
//   interface Bench     @0xd1e2f3a4b5c60802 { echo @0 (data :Text) -> (result :Text);
//                                              echoCtx @1 (context :Proxy.Context, data :Text) -> (result :Text); }
const INIT_ID = 0xd1e2f3a4b5c60801n;
const BENCH_ID = 0xd1e2f3a4b5c60802n;

type Ctx = { context?: ContextValue };
const textResult: StructCodec<{ result: string }> = {
  name: 'Bench.echo$Results', dataWords: 0, ptrCount: 1,
  encode(b, v) { b.setText(0, v.result); },
  decode(r) { return { result: r.getText(0) }; },
};
const construct: MethodSpec<{ threadMap: CapRef | null }, { threadMap: CapRef | null }> = {
  interfaceId: INIT_ID, interfaceName: 'BenchInit', methodId: 0, name: 'construct',
  params: { name: 'BenchInit.construct$Params', dataWords: 0, ptrCount: 1,
    encode(b, v) { if (v.threadMap) b.setCapability(0, v.threadMap.cap); },
    decode(r) { const c = r.getCapability(0); return { threadMap: c === null ? null : { cap: c } }; } },
  results: { name: 'BenchInit.construct$Results', dataWords: 0, ptrCount: 1,
    encode(b, v) { if (v.threadMap) b.setCapability(0, v.threadMap.cap); },
    decode(r) { const c = r.getCapability(0); return { threadMap: c === null ? null : { cap: c } }; } },
};
const makeBench: MethodSpec<Ctx, { result: CapRef | null }> = {
  interfaceId: INIT_ID, interfaceName: 'BenchInit', methodId: 1, name: 'makeBench', contextField: 'context',
  params: { name: 'BenchInit.makeBench$Params', dataWords: 0, ptrCount: 1,
    encode(b, v) { if (v.context) ContextCodec.encode(b.initStruct(0, 0, 2), v.context); },
    decode(r) { return { context: r.hasPointer(0) ? ContextCodec.decode(r.getStruct(0)) : undefined }; } },
  results: { name: 'BenchInit.makeBench$Results', dataWords: 0, ptrCount: 1,
    encode(b, v) { if (v.result) b.setCapability(0, v.result.cap); },
    decode(r) { const c = r.getCapability(0); return { result: c === null ? null : { cap: c } }; } },
};
const echo: MethodSpec<{ data: string }, { result: string }> = {
  interfaceId: BENCH_ID, interfaceName: 'Bench', methodId: 0, name: 'echo',
  params: { name: 'Bench.echo$Params', dataWords: 0, ptrCount: 1,
    encode(b, v) { b.setText(0, v.data); },
    decode(r) { return { data: r.getText(0) }; } },
  results: textResult,
};
const echoCtx: MethodSpec<Ctx & { data: string }, { result: string }> = {
  interfaceId: BENCH_ID, interfaceName: 'Bench', methodId: 1, name: 'echoCtx', contextField: 'context',
  params: { name: 'Bench.echoCtx$Params', dataWords: 0, ptrCount: 2,
    encode(b, v) { if (v.context) ContextCodec.encode(b.initStruct(0, 0, 2), v.context); b.setText(1, v.data); },
    decode(r) {
      return { context: r.hasPointer(0) ? ContextCodec.decode(r.getStruct(0)) : undefined, data: r.getText(1) };
    } },
  results: { ...textResult, name: 'Bench.echoCtx$Results' },
};
const BenchInitInterface: InterfaceSpec = { id: INIT_ID, name: 'BenchInit', methods: [construct, makeBench] };
const BenchInterface: InterfaceSpec = { id: BENCH_ID, name: 'Bench', methods: [echo, echoCtx] };

class BenchClient extends ProxyClient {
  echo(data: string): Promise<string> { return this.$call(echo, { data }, null, pickResult); }
  echoCtx(data: string): Promise<string> { return this.$call(echoCtx, { data }, null, pickResult); }
}
function pickResult(v: { result: string }): string { return v.result; }

// ---- child side -----------------------------------------------------------------------------------------------

async function serveChild(argv: string[]): Promise<void> {
  const i = argv.indexOf('-ipcfd');
  const socket = socketFromFd(parseIpcFd(argv[i + 1] ?? ''));
  if (argv.includes('raw')) {
    // Bare echo for the baseline: send every chunk straight back.
    socket.on('data', (d) => socket.write(d));
    await new Promise((r) => socket.on('close', r));
    process.exit(0);
  }
  if (argv.includes('generated')) {
    const gen = ProxyConnection.serve(socket, (c) => new InitServer(c, new BenchInitImpl()));
    await gen.closed;
    process.exit(0);
  }
  const conn = ProxyConnection.serve(socket, (c) => new ProxyServer(BenchInitInterface, c, {
    makeBench: (_p, ctx) => ({
      result: ctx.export(new ProxyServer(BenchInterface, c, {
        echo: (p: { data: string }) => ({ result: p.data }),
        echoCtx: (p: { data: string }) => ({ result: p.data }),
      })),
    }),
  }));
  await conn.closed;
  process.exit(0);
}

/** The real Init/Echo (mpgen output, with its schema): the path on which the codec choice applies. */
class BenchInitImpl implements Init {
  async makeEcho(): Promise<Echo> { return { echo: async (s: string) => s, destroy: async () => undefined }; }
  async makeMiningOld2(): Promise<void> { throw new Error('unused'); }
  async makeMining(): Promise<null> { return null; }
  async makeRpc(): Promise<null> { return null; }
}

// ---- parent side ----------------------------------------------------------------------------------------------

const SELF = fileURLToPath(import.meta.url);

async function latencies(n: number, fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(1000, n); i++) await fn(); // warm-up: JIT on both sides
  const t: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const s = process.hrtime.bigint();
    await fn();
    t[i] = Number(process.hrtime.bigint() - s) / 1000;
  }
  return median(t);
}

async function rawPingPong(n: number, payload: Buffer): Promise<number> {
  const child = spawnProcess(process.execPath, [SELF, 'raw'], { stdio: ['ignore', 'inherit', 'inherit'] });
  const sock: net.Socket = child.socket;
  sock.setNoDelay(true);
  let want = 0;
  let got = 0;
  let wake: (() => void) | null = null;
  sock.on('data', (d: Buffer) => { got += d.length; if (got >= want && wake) { const w = wake; wake = null; w(); } });
  const once = (): Promise<void> => new Promise<void>((resolve) => {
    want = got + payload.length;
    wake = resolve;
    sock.write(payload);
  });
  const us = await latencies(n, once);
  sock.destroy();
  await child.exited;
  return us;
}

async function withServer<T>(fn: (bench: BenchClient, conn: ProxyConnection) => Promise<T>): Promise<T> {
  const child = spawnProcess(process.execPath, [SELF], { stdio: ['ignore', 'inherit', 'inherit'] });
  const conn = ProxyConnection.connect(child.socket);
  const init = conn.bootstrap((cap, c) => new ProxyClientBase(cap, c));
  void conn.construct(init.$cap, construct);
  const bench = await init.make();
  try {
    return await fn(bench, conn);
  } finally {
    conn.close();
    await child.exited;
  }
}

/** A child serving the generated Init/Echo; `MP_CODEC` (inherited) picks the codec on both sides. */
async function withGeneratedEcho<T>(fn: (echo: EchoClient) => Promise<T>): Promise<T> {
  const child = spawnProcess(process.execPath, [SELF, 'generated'], { stdio: ['ignore', 'inherit', 'inherit'] });
  const conn = ProxyConnection.connect(child.socket);
  const init = conn.bootstrap((cap, c) => new InitClient(cap, c));
  try {
    await init.construct();
    const echo = (await init.makeEcho())!;
    return await fn(echo);
  } finally {
    conn.close();
    await child.exited;
  }
}

async function inFlightCtx(echo: EchoClient, window: number, ms: number, data: string): Promise<number> {
  return inFlight({ echo: (s: string) => echo.echo(s) }, window, ms, data);
}

class ProxyClientBase extends ProxyClient {
  make(): Promise<BenchClient> {
    return this.$call(makeBench, {}, null, (v, resp) => new BenchClient(resp.cap(v.result!.cap)!, this.$conn));
  }
}

async function inFlight(bench: { echo(data: string): Promise<string> }, window: number, ms: number, data: string): Promise<number> {
  let done = 0;
  let stop = false;
  const start = process.hrtime.bigint();
  await new Promise<void>((resolve, reject) => {
    let outstanding = 0;
    const launch = (): void => {
      outstanding++;
      bench.echo(data).then(() => {
        done++;
        outstanding--;
        if (!stop) launch();
        else if (outstanding === 0) resolve();
      }, reject);
    };
    for (let i = 0; i < window; i++) launch();
    setTimeout(() => { stop = true; }, ms);
  });
  return done / (Number(process.hrtime.bigint() - start) / 1e9);
}

// ---- codec ----------------------------------------------------------------------------------------------------

class CapnpEsMsg extends capnp.Struct {
  static override readonly _capnp = { displayName: 'Msg', id: 'e0515cd13d1cede3', size: new capnp.ObjectSize(48, 2) };
}
const u = capnp.utils;

function codecPureTs(payload: Uint8Array): number {
  const mb = new MessageBuilder(1200);
  const b = mb.initRoot(6, 2);
  b.setUint64(0, 123456789n); b.setInt32(2, 800000); b.setInt32(3, 0x20000000); b.setUint32(4, 1700000000);
  b.setUint32(5, 0x1d00ffff); b.setUint32(6, 42); b.setInt64(4, 5000n); b.setUint32(7, 4000); b.setBool(320, true);
  b.setText(0, 'template'); b.setData(1, payload);
  const r = decodeFrame(mb.toFrame()).getRoot();
  let x = Number(r.getUint64(0)) + r.getInt32(2) + r.getInt32(3) + r.getUint32(4) + r.getUint32(5) + r.getUint32(6) +
    Number(r.getInt64(4)) + r.getUint32(7) + (r.getBool(320) ? 1 : 0) + r.getText(0).length;
  x += r.getData(1)[7]!;
  return x;
}

function codecCapnpEs(payload: Uint8Array): number {
  const m = new capnp.Message();
  const s = m.initRoot(CapnpEsMsg);
  u.setUint64(0, 123456789n, s); u.setInt32(8, 800000, s); u.setInt32(12, 0x20000000, s); u.setUint32(16, 1700000000, s);
  u.setUint32(20, 0x1d00ffff, s); u.setUint32(24, 42, s); u.setInt64(32, 5000n, s); u.setUint32(28, 4000, s);
  u.setBit(320, true, s); u.setText(0, 'template', s); u.initData(1, payload.length, s).copyBuffer(payload);
  const r = new capnp.Message(m.toArrayBuffer(), false).getRoot(CapnpEsMsg);
  let x = Number(u.getUint64(0, r)) + u.getInt32(8, r) + u.getInt32(12, r) + u.getUint32(16, r) + u.getUint32(20, r) +
    u.getUint32(24, r) + Number(u.getInt64(32, r)) + u.getUint32(28, r) + (u.getBit(320, r) ? 1 : 0) +
    u.getText(0, r).length;
  x += u.getData(1, r).toUint8Array()[7]!;
  return x;
}

async function run(opts: BenchOptions): Promise<void> {
  const n = opts.quick ? 300 : 5000;
  const kib = 'x'.repeat(1024);
  const rawUs = await rawPingPong(n, Buffer.alloc(1024, 0x78));
  reportLatency('bare net socket ping-pong, 1 KiB (baseline)', rawUs);
  await withServer(async (bench) => {
    const plain = await latencies(n, () => bench.echo(kib));
    reportLatency('IPC call, no Context, 1 KiB Text round trip', plain, 'bare socket', rawUs);
    const ctx = await latencies(n, () => bench.echoCtx(kib));
    reportLatency('IPC call, Context (server lane), 1 KiB Text round trip', ctx, 'bare socket', rawUs);
    const rate = await inFlight(bench, 64, opts.quick ? 200 : 1500, 'ping');
    report({ name: 'IPC calls, 64 in flight, no Context (calls/s)', opsPerSec: rate }, undefined, 'calls/s');
  });
  // Generated Init/Echo (Context calls) with the connection's codec: run with MP_CODEC=ts / MP_CODEC=native to
  // compare (auto picks per AUTO_PREFERS_NATIVE; see the package README).
  const kind = CodecSelector.resolve().kind;
  await withGeneratedEcho(async (echo) => {
    const ctx = await latencies(n, () => echo.echo(kib));
    reportLatency(`generated Echo.echo, Context, 1 KiB, ${kind} codec`, ctx, 'bare socket', rawUs);
    const rate = await inFlightCtx(echo, 64, opts.quick ? 200 : 1500, 'ping');
    report({ name: `generated Echo.echo, 64 in flight (calls/s), ${kind} codec`, opsPerSec: rate }, undefined, 'calls/s');
  });
  const payload = new Uint8Array(1024).fill(7);
  const es = await measure('codec: capnp-es 0.0.16 build+serialize+parse', () => codecCapnpEs(payload), { quick: opts.quick });
  report(es, undefined, 'msg/s');
  const ts = await measure('codec: pure TS build+serialize+parse', () => codecPureTs(payload), { quick: opts.quick });
  report(ts, es, 'msg/s');
}

export const benchmarks: BenchmarkSuite[] = [{ name: 'ipc', run }];

const entry = process.argv[1];
if (entry !== undefined && pathToFileURL(fs.realpathSync(entry)).href === import.meta.url) {
  await serveChild(process.argv.slice(2));
}
