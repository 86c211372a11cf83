// IPC against a running smithcoin-node (issue #11 §7), timed by the C++ client ipc_node_bench_client (capnpc-c++ from
// our schemas, capnp::TwoPartyClient), with baselines measured in the same run:
// - Echo.echo 1 KiB and Mining.getTip round trips against ipc_interop_server, a bare libcapnp server answering the
//   same calls (the floor any Cap'n Proto server has on this machine);
// - Rpc.executeRpc(getblockcount) against getblockcount over HTTP keep-alive, and Mining.createNewBlock (empty
//   mempool) against getblocktemplate over HTTP keep-alive, both from the same C++ process to the same node;
// - waitTipChanged's wake-up: the client parks a waitTipChanged (a getTip on a second thread of the same connection
//   answers after it, so the node holds the wait when "waiting" is printed); the bench then sends submitblock over
//   HTTP and compares the client's CLOCK_MONOTONIC time of the wake with its own (process.hrtime reads the same
//   clock) when submitblock was sent and when its reply arrived. Sent → wake includes the block's validation and
//   connection; reply → wake is the wake's lag behind the RPC reply (negative: the client woke first); and again with
//   the block sent by Mining.submitBlock from a second connection of the client, which times both answers itself;
// - `stop` with pending waits: clients each park a waitNext and a waitTipChanged, then stop → reply and stop →
//   process exit, against the stop of a node without clients (not in -quick).
// Bitcoin Core's figures (shared/spec/anchors.md) are printed as references, not measured here.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startServerProcess } from './ipc_interop.bench.js';
import { BenchSkipped, median, reportLatency, type BenchmarkSuite, type BenchOptions } from './lib/bench.js';
import { cookieAuth, freePort, rpcCall, startNode, type StartedNode } from './lib/node_process.js';

const CORE_REFERENCE = 'Bitcoin Core bitcoin-node (shared/spec/anchors.md, not measured here): Echo.echo 1 KiB from ' +
  'the same kind of C++ client 170–290 µs (a bare C++ server 45–65 µs); `stop` with pending waits: reply 24 ms, exit ' +
  'after 0.13 s. Targets (#11): echo/getTip at most half of Core, waitTipChanged wake ≤ 1 ms, stop with waits < 0.5 s';

const here = path.dirname(fileURLToPath(import.meta.url));
const buildDir = process.env['SMITHCOIN_BUILD_DIR'] ?? path.resolve(here, '..', '..');

interface Sizes { calls: number; warmup: number; templates: number; rounds: number; wakes: number; parked: number }

/** One "result" line of the client: µs quantiles. */
interface Latency { p50: number; p90: number; p99: number }
type Results = Map<string, Latency>;

/** Runs the client with `args` and returns its result lines by name. */
function runClient(client: string, args: string[]): Promise<Results> {
  return new Promise((resolve, reject) => {
    const child = spawn(client, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) { reject(new Error(`ipc_node_bench_client ${args.join(' ')} failed (${code}):\n${out}`)); return; }
      const results: Results = new Map();
      for (const m of out.matchAll(/^result (\S+) \d+ (\S+) \S+ (\S+) (\S+)$/gm)) {
        results.set(m[1]!, { p50: Number(m[2]), p90: Number(m[3]), p99: Number(m[4]) });
      }
      resolve(results);
    });
  });
}

/** Median over rounds of each measure's median, p90 and p99. */
function combine(rounds: Results[], name: string): Latency {
  const of = (k: keyof Latency): number => median(rounds.map((r) => {
    const l = r.get(name);
    if (!l) throw new Error(`the client printed no result for ${name}`);
    return l[k];
  }));
  return { p50: of('p50'), p90: of('p90'), p99: of('p99') };
}

function show(name: string, l: Latency, baseName?: string, base?: Latency): void {
  reportLatency(`${name}, median`, l.p50, baseName, base?.p50);
  reportLatency(`${name}, p99`, l.p99, baseName, base?.p99);
}

function msLine(name: string, ms: number, base?: [string, number]): void {
  let line = `${name.padEnd(56)} ${ms.toFixed(1).padStart(14)} ms`;
  if (base) line += `   ${(ms / base[1]).toFixed(2)}x ${base[0]}`;
  console.log(line);
}

/** The lines a running client prints, one at a time. */
class Lines {
  private readonly queue: string[] = [];
  private waiter: ((line: string | null) => void) | null = null;
  private ended = false;
  /** Every line so far. */
  readonly all: string[] = [];
  /** The exit code, once the process has exited and its output was read. */
  readonly closed: Promise<number | null>;
  constructor(readonly child: ChildProcess) {
    this.closed = new Promise((r) => child.once('close', (code) => r(code)));
    const rl = readline.createInterface({ input: child.stdout! });
    rl.on('line', (l) => {
      this.all.push(l);
      if (this.waiter) { const w = this.waiter; this.waiter = null; w(l); } else this.queue.push(l);
    });
    rl.on('close', () => { this.ended = true; this.waiter?.(null); });
  }
  /** The next line that starts with `prefix`; other lines are kept for the error message. */
  async expect(prefix: string): Promise<string> {
    const seen: string[] = [];
    for (;;) {
      const line = this.queue.shift() ?? (this.ended ? null : await new Promise<string | null>((r) => { this.waiter = r; }));
      if (line === null) throw new Error(`ipc_node_bench_client ended before "${prefix}":\n${seen.join('\n')}`);
      if (line.startsWith(prefix)) return line;
      seen.push(line);
    }
  }
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((r) => child.once('exit', (code) => r(code)));
}

const nowMicros = (): number => Number(process.hrtime.bigint()) / 1000;

/**
 * `wakes` rounds of: the client parks waitTipChanged; we submit a block made beforehand (generateblock without
 * submitting) and time the client's wake against submitblock's sending and reply.
 */
async function measureWakes(client: string, node: StartedNode, sock: string, wakes: number): Promise<void> {
  const child = spawn(client, [sock, `wait=${wakes}`], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = new Lines(child);
  const fromSent: number[] = [];
  const fromReply: number[] = [];
  const submit: number[] = [];
  try {
    for (let i = 0; i < wakes; i++) {
      const { hex } = await rpcCall(node.target, 'generateblock', ['raw(51)', [], false]) as { hex: string };
      const height = Number((await lines.expect('waiting ')).split(' ')[1]);
      const sent = nowMicros();
      const result = await rpcCall(node.target, 'submitblock', [hex]);
      const replied = nowMicros();
      if (result !== null) throw new Error(`submitblock: ${JSON.stringify(result)}`);
      const [, woke, ns] = (await lines.expect('woke ')).split(' ');
      if (Number(woke) !== height + 1) throw new Error(`woke at height ${woke}, expected ${height + 1}`);
      const wokeAt = Number(BigInt(ns!) / 1000n);
      fromSent.push(wokeAt - sent);
      fromReply.push(wokeAt - replied);
      submit.push(replied - sent);
    }
    const code = await lines.closed;
    if (code !== 0) throw new Error(`ipc_node_bench_client wait=${wakes} exited with ${code}`);
  } finally {
    child.kill();
  }
  const base = median(submit);
  reportLatency('submitblock over HTTP, round trip (baseline)', base);
  reportLatency('waitTipChanged wake, from submitblock sent, median', median(fromSent), 'submitblock', base);
  reportLatency('waitTipChanged wake, from submitblock sent, max', Math.max(...fromSent), 'submitblock', base);
  reportLatency('waitTipChanged wake − submitblock reply, median', median(fromReply));
  reportLatency('waitTipChanged wake − submitblock reply, max', Math.max(...fromReply));
}

/**
 * The same wake, with the block sent by Mining.submitBlock on a second connection of the client process: the wake and
 * the submitBlock reply are both timed by the client from the moment it sent the block (one process, one clock).
 */
async function measureWakesIpc(client: string, node: StartedNode, sock: string, wakes: number): Promise<void> {
  const child = spawn(client, [sock, `wakeipc=${wakes}`], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = new Lines(child);
  const woke: number[] = [];
  const replied: number[] = [];
  try {
    for (let i = 0; i < wakes; i++) {
      await lines.expect('need-block ');
      const { hex } = await rpcCall(node.target, 'generateblock', ['raw(51)', [], false]) as { hex: string };
      child.stdin!.write(`${hex}\n`);
      const [, w, r] = (await lines.expect('wakeipc ')).split(' ');
      woke.push(Number(w) / 1000);
      replied.push(Number(r) / 1000);
    }
    const code = await lines.closed;
    if (code !== 0) throw new Error(`ipc_node_bench_client wakeipc=${wakes} exited with ${code}`);
  } finally {
    child.kill();
  }
  const base = median(replied);
  reportLatency('Mining.submitBlock over IPC, round trip (baseline)', base);
  reportLatency('waitTipChanged wake, from submitBlock sent, median', median(woke), 'submitBlock', base);
  reportLatency('waitTipChanged wake − submitBlock reply, median', median(woke.map((w, i) => w - replied[i]!)));
  reportLatency('waitTipChanged wake − submitBlock reply, max', Math.max(...woke.map((w, i) => w - replied[i]!)));
}

/** Parks `clients` clients (a waitNext and a waitTipChanged each), then times stop → reply and stop → exit. */
async function measureStop(client: string, node: StartedNode, sock: string, clients: number): Promise<{ replyMs: number; exitMs: number }> {
  const parked = Array.from({ length: clients }, () => spawn(client, [sock, 'park'], { stdio: ['ignore', 'pipe', 'inherit'] }));
  try {
    const lines = parked.map((c) => new Lines(c));
    for (const l of lines) await l.expect('parked');
    const exited = exitOf(node.child);
    const t0 = nowMicros();
    await rpcCall(node.target, 'stop');
    const replyMs = (nowMicros() - t0) / 1000;
    await exited;
    const exitMs = (nowMicros() - t0) / 1000;
    // Every wait ended empty (in either order), and the node dropped the clients itself.
    for (let i = 0; i < clients; i++) {
      const code = await lines[i]!.closed;
      const out = lines[i]!.all;
      if (code !== 0 || !['ended waitNext 0', 'ended waitTipChanged 0', 'disconnected by the node'].every((l) => out.includes(l))) {
        throw new Error(`a parked client did not end as expected (${code}):\n${out.join('\n')}`);
      }
    }
    return { replyMs, exitMs };
  } finally {
    for (const c of parked) c.kill();
  }
}

async function startIpcNode(dir: string, name: string): Promise<{ node: StartedNode; sock: string; token: string }> {
  const datadir = path.join(dir, name);
  fs.mkdirSync(datadir);
  const port = await freePort();
  const auth = cookieAuth(datadir);
  const node = await startNode(path.join(buildDir, 'bin', 'smithcoin-node'),
    ['-regtest', `-datadir=${datadir}`, `-rpcport=${port}`, '-ipcbind=unix', '-listen=0'], { port, auth });
  return { node, sock: path.join(datadir, 'regtest', 'node.sock'), token: Buffer.from(auth()!).toString('base64') };
}

async function run(opts: BenchOptions): Promise<void> {
  const client = path.join(buildDir, 'test', 'ipc', 'ipc_node_bench_client');
  const cppServer = path.join(buildDir, 'test', 'ipc', 'ipc_interop_server');
  if (!fs.existsSync(client) || !fs.existsSync(cppServer)) {
    throw new BenchSkipped(`${client} is not built (it needs -DENABLE_IPC=ON with BUILD_TESTS)`);
  }
  const sizes: Sizes = opts.quick
    ? { calls: 100, warmup: 100, templates: 50, rounds: 1, wakes: 3, parked: 2 }
    : { calls: 3000, warmup: 3000, templates: 500, rounds: 3, wakes: 30, parked: 8 };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-ipc-node-'));
  const cppSock = path.join(dir, 'cpp.sock');
  const cpp = await startServerProcess(cppServer, [cppSock, '--exit-on-stdin-eof'], cppSock);
  let node: StartedNode | undefined;
  try {
    const started = await startIpcNode(dir, 'node');
    node = started.node;
    const warm = ['--warmup', String(sizes.warmup)];
    const base: Results[] = [];
    const ours: Results[] = [];
    // Rounds alternate between the servers so that shifts in the machine's load hit both alike.
    for (let r = 0; r < sizes.rounds; r++) {
      base.push(await runClient(client, [cppSock, ...warm, `echo=${sizes.calls}`, `gettip=${sizes.calls}`]));
      ours.push(await runClient(client, [started.sock, '--http', String(node.target.port), started.token, ...warm,
        `echo=${sizes.calls}`, `gettip=${sizes.calls}`, `rpc=${sizes.calls}`, `http=${sizes.calls}`,
        `create=${sizes.templates}`, `gbt=${sizes.templates}`]));
    }
    const cppEcho = combine(base, 'echo');
    const cppTip = combine(base, 'gettip');
    show('Echo.echo 1 KiB, bare C++ server (baseline)', cppEcho);
    show('Echo.echo 1 KiB, smithcoin-node', combine(ours, 'echo'), 'C++ server', cppEcho);
    show('Mining.getTip, bare C++ server (baseline)', cppTip);
    show('Mining.getTip, smithcoin-node', combine(ours, 'gettip'), 'C++ server', cppTip);
    const http = combine(ours, 'http');
    show('getblockcount over HTTP keep-alive (baseline)', http);
    show('Rpc.executeRpc(getblockcount) over IPC', combine(ours, 'rpc'), 'HTTP', http);
    const gbt = combine(ours, 'gbt');
    show('getblocktemplate over HTTP keep-alive (baseline)', gbt);
    show('Mining.createNewBlock, empty mempool', combine(ours, 'create'), 'getblocktemplate', gbt);

    await measureWakes(client, node, started.sock, sizes.wakes);
    await measureWakesIpc(client, node, started.sock, sizes.wakes);

    const stop = await measureStop(client, node, started.sock, sizes.parked);
    node = undefined;
    let baseStop: { replyMs: number; exitMs: number } | undefined;
    if (!opts.quick) {
      const idle = await startIpcNode(dir, 'idle');
      node = idle.node;
      baseStop = await measureStop(client, idle.node, idle.sock, 0);
      node = undefined;
      msLine('stop → process exit, no clients (baseline)', baseStop.exitMs);
    }
    const waits = `${sizes.parked * 2} pending waits`;
    msLine(`stop → reply, ${waits}`, stop.replyMs);
    msLine(`stop → process exit, ${waits}`, stop.exitMs, baseStop && ['no clients', baseStop.exitMs]);
    console.log(`(${sizes.rounds} rounds of ${sizes.calls} calls after ${sizes.warmup} warm-up calls, ${sizes.templates} ` +
      `templates, ${sizes.wakes} wakes; medians over rounds${opts.quick ? '; -quick: a smoke test, not a measurement' : ''})`);
    console.log(`Reference: ${CORE_REFERENCE}`);
  } finally {
    await node?.stop();
    await cpp.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const benchmarks: BenchmarkSuite[] = [{ name: 'ipc_node', run }];
