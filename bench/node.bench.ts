// Node operations against bcoin 1.0.2 (the JS full node on npm), both on regtest, measured in the same run:
// start → RPC ready (empty datadir), generatetoaddress, restart with that chain → RPC ready, the server's CPU per
// getblockcount with 2 keep-alive client processes (the first calls after mining, while a JIT still compiles, and the
// same number again, the steady state that the per-call target is about), and RSS. bcoin is installed into <build>/bench-peers/bcoin on
// first use (npm registry). Bitcoin Core's figures (shared/spec/anchors.md) are printed as references, or, with
// CORE_BITCOIND=<bitcoind>, Core is measured in the same rounds. Three rounds by default (-rounds=<n>), alternating
// the nodes; medians are printed. -quick (ctest's smoke run)
// mines a few blocks and leaves bcoin out.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Encoding, convertBits, encode } from '../src/util/bech32.js';
import { cookieAuth, freePort, processCpuSeconds, processRssMiB, rpcCall, startNode, type RpcTarget, type StartedNode } from './lib/node_process.js';
import { median, type BenchmarkSuite, type BenchOptions } from './lib/bench.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const buildDir = process.env['SMITHCOIN_BUILD_DIR'] ?? path.resolve(here, '..', '..');

const CORE_REFERENCE = 'Bitcoin Core (shared/spec/anchors.md, not measured here): start→ready 0.136–0.262 s, ' +
  'generatetoaddress 1000 226–263 ms, restart(1000)→ready 0.138–0.261 s, 15.7k getblockcount/s with 2 clients ' +
  '(≈64 µs machine time per call), RSS ≈48 MiB';

interface Sizes { blocks: number; calls: number }

interface NodeKind {
  name: string;
  start(datadir: string, port: number): Promise<StartedNode>;
  address: string;
  auth(datadir: string): string | undefined;
}

function sourceDir(): string {
  const ini = fs.readFileSync(path.join(buildDir, 'test', 'config.ini'), 'utf8');
  const m = /^SRCDIR=(.*)$/m.exec(ini);
  if (!m) throw new Error('SRCDIR missing from test/config.ini');
  return m[1]!.trim();
}

/** A P2WPKH address for a fixed key hash, in the given network's bech32 prefix. */
function segwitAddress(hrp: string): string {
  const program = new Uint8Array(20).fill(0x5a);
  return encode(Encoding.BECH32, hrp, [0, ...convertBits(program, 8, 5, true)!]);
}

function run(cmd: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject).on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`))));
  });
}

/** Installs bcoin 1.0.2 (with the leveldown override it needs on Node 20) once per build tree. */
async function ensureBcoin(): Promise<string> {
  const dir = path.join(buildDir, 'bench-peers', 'bcoin');
  const src = path.join(sourceDir(), 'bench', 'peers', 'bcoin');
  fs.mkdirSync(dir, { recursive: true });
  for (const f of ['package.json', 'bcoin-regtest.cjs']) fs.copyFileSync(path.join(src, f), path.join(dir, f));
  if (!fs.existsSync(path.join(dir, 'node_modules', 'bcoin', 'package.json'))) {
    console.log('installing bcoin 1.0.2 into', dir);
    await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], dir);
  }
  return dir;
}

const smithcoind: NodeKind = {
  name: 'smithcoind',
  address: segwitAddress('bcrt'),
  auth: (datadir) => cookieAuth(datadir)(),
  start(datadir, port) {
    const exe = path.join(buildDir, 'bin', 'smithcoind');
    return startNode(exe, ['-regtest', `-datadir=${datadir}`, `-rpcport=${port}`], { port, auth: () => this.auth(datadir) });
  },
};

/** Bitcoin Core's bitcoind (CORE_BITCOIND), measured in the same rounds when the environment names one. */
function coreKind(exe: string): NodeKind {
  return {
    name: 'Bitcoin Core',
    address: segwitAddress('bcrt'),
    auth: (datadir) => cookieAuth(datadir)(),
    start(datadir, port) {
      return startNode(exe, ['-regtest', `-datadir=${datadir}`, `-rpcport=${port}`, '-listen=0'], { port, auth: () => this.auth(datadir) });
    },
  };
}

function bcoinKind(dir: string): NodeKind {
  return {
    name: 'bcoin 1.0.2',
    address: segwitAddress('rb'),
    auth: () => 'x:smithcoin',
    async start(datadir, port) {
      const p2p = await freePort();
      const env = { ...process.env, HTTP_PORT: String(port), P2P_PORT: String(p2p), DATA_DIR: datadir };
      return startNode(process.execPath, [path.join(dir, 'bcoin-regtest.cjs')], { port, auth: 'x:smithcoin' }, env);
    },
  };
}

/** Server CPU µs per call and the aggregate rate, with 2 client processes on keep-alive connections. */
async function rpcLoad(node: StartedNode, calls: number): Promise<{ cpuMicros: number; rate: number }> {
  const auth = typeof node.target.auth === 'string' ? node.target.auth : node.target.auth()!;
  const client = path.join(here, 'rpc_load_client.js');
  const cpu0 = processCpuSeconds(node.child.pid!);
  const start = process.hrtime.bigint();
  await Promise.all([0, 1].map(() => run(process.execPath, [client, String(node.target.port), auth, String(calls), 'getblockcount'], here)));
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = processCpuSeconds(node.child.pid!) - cpu0;
  return { cpuMicros: (cpu * 1e6) / (2 * calls), rate: (2 * calls) / secs };
}

interface Figures {
  startMs: number; generateMs: number; restartMs: number;
  /** getblockcount: the first calls after mining (a JIT still compiling), then as many again (steady state). */
  cpuMicros: number; rate: number; warmCpuMicros: number; warmRate: number;
  rssStart: number; rssEnd: number;
}

/** Start (empty datadir), mine, load, stop, restart on the same datadir; every figure from one datadir. */
async function measureNode(kind: NodeKind, sizes: Sizes): Promise<Figures> {
  const datadir = fs.mkdtempSync(path.join(os.tmpdir(), 'smithcoin-bench-node-'));
  try {
    const port = await freePort();
    const first = await kind.start(datadir, port);
    let generateMs: number;
    let load: { cpuMicros: number; rate: number };
    let warm: { cpuMicros: number; rate: number };
    const rssStart = processRssMiB(first.child.pid!);
    try {
      const t0 = process.hrtime.bigint();
      await rpcCall(first.target, 'generatetoaddress', [sizes.blocks, kind.address]);
      generateMs = Number(process.hrtime.bigint() - t0) / 1e6;
      load = await rpcLoad(first, sizes.calls);
      warm = await rpcLoad(first, sizes.calls);
    } finally {
      await first.stop();
    }
    const second = await kind.start(datadir, port);
    try {
      const height = await rpcCall(second.target, 'getblockcount');
      if (height !== sizes.blocks) throw new Error(`${kind.name} restarted at height ${String(height)}, expected ${sizes.blocks}`);
      const rssEnd = processRssMiB(second.child.pid!);
      return { startMs: first.readyMs, generateMs, restartMs: second.readyMs, ...load, warmCpuMicros: warm.cpuMicros, warmRate: warm.rate, rssStart, rssEnd };
    } finally {
      await second.stop();
    }
  } finally {
    fs.rmSync(datadir, { recursive: true, force: true });
  }
}

type FigureName = keyof Figures;

/** Per figure: its median over the rounds, and the lowest and highest. */
interface Summary { median: number; low: number; high: number }

function summarize(rounds: Figures[], key: FigureName): Summary {
  const values = rounds.map((r) => r[key]);
  return { median: median(values), low: Math.min(...values), high: Math.max(...values) };
}

function fmt(x: number, unit: string): string {
  return x.toFixed(unit === 'req/s' ? 0 : 1);
}

/** One result line: our median (and spread over the rounds), then each peer's and the ratio of the medians. */
function line(what: string, key: FigureName, unit: string, ours: Figures[], peers: Array<[string, Figures[]]>, lowerIsBetter = true): void {
  const a = summarize(ours, key);
  let s = `${what.padEnd(52)} ${fmt(a.median, unit).padStart(10)} ${unit}`;
  if (ours.length > 1) s += ` (${fmt(a.low, unit)}–${fmt(a.high, unit)})`;
  for (const [name, theirs] of peers) {
    if (theirs.length === 0) continue;
    const b = summarize(theirs, key);
    const speedup = lowerIsBetter ? b.median / a.median : a.median / b.median;
    s += `   ${name} ${fmt(b.median, unit)} ${unit}: ${speedup.toFixed(2)}x ${speedup >= 1 ? 'better' : 'worse'}`;
  }
  console.log(s);
}

/**
 * Runs the rounds, alternating smithcoind and bcoin so that a slow spell of the (shared) machine hits both, and
 * prints medians: one run of each is too noisy on a shared VM to read a ratio from.
 */
async function runNodeOperations(opts: BenchOptions): Promise<void> {
  const sizes: Sizes = opts.quick ? { blocks: 10, calls: 200 } : { blocks: 1000, calls: 5000 };
  const rounds = opts.quick ? 1 : (opts.rounds ?? 3);
  const bcoin = opts.quick ? undefined : bcoinKind(await ensureBcoin());
  const coreExe = process.env['CORE_BITCOIND'];
  const core = opts.quick || coreExe === undefined ? undefined : coreKind(coreExe);
  const ours: Figures[] = [];
  const theirs: Figures[] = [];
  const cores: Figures[] = [];
  for (let r = 0; r < rounds; r++) {
    ours.push(await measureNode(smithcoind, sizes));
    if (bcoin) theirs.push(await measureNode(bcoin, sizes));
    if (core) cores.push(await measureNode(core, sizes));
  }
  const peers: Array<[string, Figures[]]> = [['bcoin', theirs], ['Core', cores]];
  if (opts.quick) console.log('(-quick: bcoin is not started; run bench_smithcoin -filter=node for the comparison)');
  else console.log(`median of ${rounds} rounds (lowest–highest), smithcoind and bcoin alternating`);
  line('start → RPC ready, empty datadir', 'startMs', 'ms', ours, peers);
  line(`generatetoaddress ${sizes.blocks}`, 'generateMs', 'ms', ours, peers);
  line(`restart with ${sizes.blocks} blocks → RPC ready`, 'restartMs', 'ms', ours, peers);
  const calls = `2×${sizes.calls}`;
  line(`getblockcount server CPU/call, first ${calls} calls`, 'cpuMicros', 'µs', ours, peers);
  line(`getblockcount rate, first ${calls} calls`, 'rate', 'req/s', ours, peers, false);
  line(`getblockcount server CPU/call, next ${calls} calls`, 'warmCpuMicros', 'µs', ours, peers);
  line(`getblockcount rate, next ${calls} calls`, 'warmRate', 'req/s', ours, peers, false);
  line('RSS after start', 'rssStart', 'MiB', ours, peers);
  line(`RSS after restart with ${sizes.blocks} blocks`, 'rssEnd', 'MiB', ours, peers);
  if (core) console.log('Core: measured here, alternating with the others (CORE_BITCOIND)');
  else console.log(`reference: ${CORE_REFERENCE}; set CORE_BITCOIND=<path to bitcoind> to measure Core in the same rounds`);
  if (process.env['NODE_EXTRA_CA_CERTS'] !== undefined && !opts.quick) {
    console.log('note: NODE_EXTRA_CA_CERTS is set here, so Node 20 parses the CA bundle as bcoin starts; smithcoind\'s ' +
      'launcher keeps it from Node. Run under `env -u NODE_EXTRA_CA_CERTS` to compare without it.');
  }
}

export const benchmarks: BenchmarkSuite[] = [{ name: 'node.operations', run: runNodeOperations }];
