// IPC interop benchmark: median round trip of an Echo call with a 1 KiB string and a Context (makeThread lane), timed
// by the C++ client (`ipc_interop_client <sock> --bench N`) against the TS server, with C++ client -> C++ server
// (plain libcapnp) as the baseline measured in the same run.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Logger, ProxyConnection, listenUnix, type LogLevelName } from '@smithcoin/libmultiprocess';
import type { Echo } from '../src/interfaces/echo.js';
import type { Init } from '../src/interfaces/init.js';
import { OLD_MINING_INTERFACE_ERROR } from '../src/ipc/capnp/init-types.js';
import { InitServer } from '../src/ipc/capnp/init.capnp.js';
import { BenchSkipped, median, reportLatency, type BenchmarkSuite, type BenchOptions } from './lib/bench.js';

/** Bitcoin Core's bitcoin-node, same call, same kind of machine (µs): default logging and -debug=ipc; our target. */
const CORE_US = 170;
const CORE_DEBUG_US = 245;
const TARGET_US = 85;

function buildDir(): string {
  // <build>/js/bench/ipc_interop.bench.js
  return process.env['SMITHCOIN_BUILD_DIR'] ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
}

const localInit: Init = {
  makeEcho: async (): Promise<Echo> => ({ echo: async (s) => s, destroy: async () => {} }),
  makeMiningOld2: async () => { throw new Error(OLD_MINING_INTERFACE_ERROR); },
  makeMining: async () => null,
  makeRpc: async () => null,
};

/** A TS server on `sock` (in this process); `logLevel` 'debug' formats every request line like -debug=ipc. */
async function startTsServer(sock: string, logLevel: LogLevelName | 'off'): Promise<{ close(): Promise<void> }> {
  // Lines are built (the cost measured) and dropped.
  const log = new Logger({ logFn: () => undefined, logLevel, exeName: 'bench' });
  const conns: ProxyConnection[] = [];
  const server: net.Server = await listenUnix(sock, {
    onConnection: (s) => conns.push(ProxyConnection.serve(s, (c) => new InitServer(c, localInit), { log })),
  });
  return {
    async close() {
      // Connections first: the server's close callback waits for every one of them to end.
      for (const c of conns) c.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Starts ipc_interop_server on `sock`; resolves once it listens. `stop()` closes its stdin and awaits its exit. */
function startCppServer(exe: string, sock: string): Promise<{ stop(): Promise<void> }> {
  const child = spawn(exe, [sock, '--exit-on-stdin-eof'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const stop = async (): Promise<void> => {
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes(`listening ${sock}\n`)) resolve({ stop });
    });
    child.once('error', reject);
    void exited.then((code) => reject(new Error(`ipc_interop_server exited (${code}) before listening: ${out}`)));
  });
}

/** Runs `ipc_interop_client <sock> --bench n` and returns the median round trip it printed (µs). */
function clientMedian(exe: string, sock: string, n: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(exe, [sock, '--bench', String(n)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
    child.once('error', reject);
    child.once('close', (code) => {
      const m = /^bench echo 1024 bytes: median ([0-9.]+) us/m.exec(out);
      if (code !== 0 || !m) reject(new Error(`ipc_interop_client ${sock} --bench ${n} failed (${code}):\n${out}`));
      else resolve(Number(m[1]));
    });
  });
}

async function run(opts: BenchOptions): Promise<void> {
  const client = path.join(buildDir(), 'test', 'ipc', 'ipc_interop_client');
  const cppServer = path.join(buildDir(), 'test', 'ipc', 'ipc_interop_server');
  if (!fs.existsSync(client) || !fs.existsSync(cppServer)) {
    throw new BenchSkipped(`${client} is not built (it needs -DENABLE_IPC=ON with BUILD_TESTS)`);
  }
  const n = opts.quick ? 200 : 5000;
  const rounds = opts.quick ? 1 : 5;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-ipc-interop-'));
  const cppSock = path.join(dir, 'cpp.sock');
  const tsSock = path.join(dir, 'ts.sock');
  const tsDebugSock = path.join(dir, 'ts-debug.sock');
  const stops: (() => Promise<void>)[] = [];
  try {
    stops.push((await startCppServer(cppServer, cppSock)).stop);
    const ts = await startTsServer(tsSock, 'off');
    stops.push(() => ts.close());
    const tsDebug = await startTsServer(tsDebugSock, 'debug');
    stops.push(() => tsDebug.close());
    // Rounds alternate between the servers so that background load shifts hit all of them alike.
    const cpp: number[] = [];
    const tsUs: number[] = [];
    const tsDebugUs: number[] = [];
    for (let r = 0; r < rounds; r++) {
      cpp.push(await clientMedian(client, cppSock, n));
      tsUs.push(await clientMedian(client, tsSock, n));
      tsDebugUs.push(await clientMedian(client, tsDebugSock, n));
    }
    const base = median(cpp);
    reportLatency('C++ -> C++ server (libcapnp), Echo 1 KiB + Context', base);
    const tsMedian = median(tsUs);
    reportLatency('C++ -> TS server, Echo 1 KiB + Context', tsMedian, 'C++ server', base);
    reportLatency('C++ -> TS server, same with -debug=ipc logging', median(tsDebugUs), 'C++ server', base);
    // A -quick run is too short to warm up the JIT: its figure is a smoke test, not a measurement.
    const verdict = opts.quick ? 'not judged in -quick runs' : tsMedian <= TARGET_US ? 'met' : 'NOT met';
    console.log(`TS server: ${(tsMedian / CORE_US).toFixed(2)}x Core's bitcoin-node (${CORE_US} µs, ${CORE_DEBUG_US} µs with ` +
      `-debug=ipc); target <= ${TARGET_US} µs: ${verdict} (${rounds} x ${n} calls)`);
  } finally {
    for (const stop of stops.reverse()) await stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const benchmarks: BenchmarkSuite[] = [{ name: 'ipc_interop', run }];
