// IPC interop benchmark: round trips of an Echo call with a 1 KiB string and a Context (makeThread lane), timed per
// call by the C++ client (`ipc_interop_client <sock> --bench N --dump FILE`), against the TS server and, as the
// baseline measured in the same run, against ipc_interop_server (plain libcapnp). Median and p99, both warm (servers
// that already answered WARMUP_CALLS calls) and cold (the first COLD_CALLS calls to a freshly started server process,
// JIT warm-up included). Bitcoin Core's own figures are shown as a reference with their source, not compared.
//
// The cold window is V8 tiering up the per-call path: TurboFan compilations complete through the first ~2,000-3,000
// calls (node --trace-opt), before which a call costs ~150 µs of CPU instead of ~35 µs (node --no-opt shows the
// interpreted cost), and the compiler threads compete with the server and the client for the machine's two cores.
// Its p99 therefore depends a lot on how busy the machine is; the fresh C++ server is the same-run reference.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEchoServer } from './ipc_echo_server.js';
import { BenchSkipped, median, reportLatency, type BenchmarkSuite, type BenchOptions } from './lib/bench.js';

/** Calls a server answers before it counts as warm; also the length of the cold window (V8 tiers up within it). */
const WARMUP_CALLS = 6000;
const COLD_CALLS = 6000;
/** Not measured here: Bitcoin Core bitcoin-node, same client and call, from shared/spec/anchors.md. */
const CORE_REFERENCE = 'Bitcoin Core bitcoin-node, same C++ client and call (not measured in this run): ≈170 µs ' +
  'median, ≈245 µs with -debug=ipc (2-core VM, July 2026); ≈260 µs median, p99 330–430 µs when measured again ' +
  'on 2026-12-06 (shared/spec/anchors.md)';

const here = path.dirname(fileURLToPath(import.meta.url));

function buildDir(): string {
  // <build>/js/bench/ipc_interop.bench.js
  return process.env['SMITHCOIN_BUILD_DIR'] ?? path.resolve(here, '..', '..');
}

/** p-quantile of `values` (nearest rank below, as the C++ client prints). */
function quantile(values: readonly number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(p * (s.length - 1))]!;
}

interface Latencies { p50: number; p99: number }

/**
 * Starts `exe args` (a server that prints "listening <sock>" and exits when its stdin closes); resolves once it
 * listens. `stop()` closes its stdin and awaits its exit (SIGKILL after 2 s).
 */
export function startServerProcess(exe: string, args: string[], sock: string): Promise<{ stop(): Promise<void> }> {
  const child: ChildProcess = spawn(exe, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const stop = async (): Promise<void> => {
    child.stdin!.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes(`listening ${sock}\n`)) resolve({ stop });
    });
    child.once('error', reject);
    void exited.then((code) => reject(new Error(`${path.basename(exe)} exited (${code}) before listening: ${out}`)));
  });
}

/** Runs `ipc_interop_client <sock> --bench n --dump <file>` and returns each call's round trip (µs, in order). */
function clientRun(exe: string, sock: string, n: number, dump: string): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(exe, [sock, '--bench', String(n), '--dump', dump], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
    child.once('error', reject);
    child.once('close', (code) => {
      const micros = code === 0 ? fs.readFileSync(dump, 'utf8').split('\n').filter((l) => l !== '').map(Number) : [];
      if (micros.length !== n || micros.some((x) => !Number.isFinite(x))) {
        reject(new Error(`ipc_interop_client ${sock} --bench ${n} failed (${code}):\n${out}`));
      } else {
        resolve(micros);
      }
    });
  });
}

function summarize(rounds: number[][]): Latencies {
  return { p50: median(rounds.map((r) => quantile(r, 0.5))), p99: median(rounds.map((r) => quantile(r, 0.99))) };
}

function report(name: string, l: Latencies, base?: Latencies): void {
  reportLatency(`${name}, median`, l.p50, base && 'C++ server', base?.p50);
  reportLatency(`${name}, p99`, l.p99, base && 'C++ server', base?.p99);
}

async function run(opts: BenchOptions): Promise<void> {
  const client = path.join(buildDir(), 'test', 'ipc', 'ipc_interop_client');
  const cppServer = path.join(buildDir(), 'test', 'ipc', 'ipc_interop_server');
  const tsServer = path.join(here, 'ipc_echo_server.js');
  if (!fs.existsSync(client) || !fs.existsSync(cppServer)) {
    throw new BenchSkipped(`${client} is not built (it needs -DENABLE_IPC=ON with BUILD_TESTS)`);
  }
  // A -quick run only checks that everything still runs: its figures are not measurements.
  const n = opts.quick ? 200 : 5000;
  const rounds = opts.quick ? 1 : 5;
  const coldCalls = opts.quick ? 200 : COLD_CALLS;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-ipc-interop-'));
  const dump = path.join(dir, 'latencies.txt');
  const sock = (name: string): string => path.join(dir, `${name}.sock`);
  const stops: (() => Promise<void>)[] = [];
  try {
    // Warm: one long-running server of each kind, warmed up first. Rounds alternate between the servers so that
    // background load shifts hit all of them alike.
    stops.push((await startServerProcess(cppServer, [sock('cpp'), '--exit-on-stdin-eof'], sock('cpp'))).stop);
    const ts = await startEchoServer(sock('ts'), 'off');
    stops.push(() => ts.close());
    const tsDebug = await startEchoServer(sock('ts-debug'), 'debug');
    stops.push(() => tsDebug.close());
    const warm = { cpp: [] as number[][], ts: [] as number[][], tsDebug: [] as number[][] };
    const names = { cpp: 'cpp', ts: 'ts', tsDebug: 'ts-debug' } as const;
    for (const k of ['cpp', 'ts', 'tsDebug'] as const) await clientRun(client, sock(names[k]), opts.quick ? n : WARMUP_CALLS, dump);
    for (let r = 0; r < rounds; r++) {
      for (const k of ['cpp', 'ts', 'tsDebug'] as const) warm[k].push(await clientRun(client, sock(names[k]), n, dump));
    }
    // Cold: a fresh server process per round; its first calls include V8's tier-up of the runtime's code.
    const cold = { cpp: [] as number[][], ts: [] as number[][] };
    for (let r = 0; r < rounds; r++) {
      const cpp = await startServerProcess(cppServer, [sock('cpp-cold'), '--exit-on-stdin-eof'], sock('cpp-cold'));
      try { cold.cpp.push(await clientRun(client, sock('cpp-cold'), coldCalls, dump)); } finally { await cpp.stop(); }
      const tsCold = await startServerProcess(process.execPath, [tsServer, sock('ts-cold'), 'off'], sock('ts-cold'));
      try { cold.ts.push(await clientRun(client, sock('ts-cold'), coldCalls, dump)); } finally { await tsCold.stop(); }
    }
    const base = summarize(warm.cpp);
    report('C++ -> C++ server (libcapnp), Echo 1 KiB + Context', base);
    report('C++ -> TS server, Echo 1 KiB + Context', summarize(warm.ts), base);
    report('C++ -> TS server, same with -debug=ipc logging', summarize(warm.tsDebug), base);
    const coldBase = summarize(cold.cpp);
    report(`C++ -> fresh C++ server, first ${coldCalls} calls`, coldBase);
    report(`C++ -> fresh TS server, first ${coldCalls} calls`, summarize(cold.ts), coldBase);
    console.log(`(${rounds} rounds: ${n} calls each on warm servers, ${coldCalls} on fresh ones; medians over rounds` +
      `${opts.quick ? '; -quick: a smoke test, not a measurement' : ''})`);
    console.log(`Reference: ${CORE_REFERENCE}`);
  } finally {
    for (const stop of stops.reverse()) await stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const benchmarks: BenchmarkSuite[] = [{ name: 'ipc_interop', run }];
