// Validation throughput: smithcoind -reindex of a generated regtest chain (at least 2,000 blocks and 100,000 signed
// transactions of the standard kinds, cached in <build>/bench-data), with -par=1 and -par=2 in the same run (the
// ratio is the script-check pool's speed-up); the Core-written fixture chain too. Also RSS after start and after
// the reindex. With CORE_BITCOIND=<bitcoind>, Bitcoin Core reindexes the same block files in the same run.
// -quick uses a small chain.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateChain, type GeneratedChain, type GeneratorOptions } from './lib/chain_generator.js';
import { cookieAuth, processRssMiB, rpcCall, startNode, type StartedNode } from './lib/node_process.js';
import { BenchSkipped, type BenchmarkSuite, type BenchOptions } from './lib/bench.js';
import { chainCryptoCalls, cryptoCpuSeconds, measureCryptoRates } from './lib/crypto_ceiling.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const buildDir = process.env['SMITHCOIN_BUILD_DIR'] ?? path.resolve(here, '..', '..');
const CHAIN_VERSION = 1;

const FULL: GeneratorOptions = { blocks: 2000, txsPerBlock: 55, fanOut: 40 };
const QUICK: GeneratorOptions = { blocks: 130, txsPerBlock: 5, fanOut: 8 };

/** The generated chain, from the cache when its options match. */
function cachedChain(opts: GeneratorOptions): { file: string; chain: GeneratedChain } {
  const dir = path.join(buildDir, 'bench-data');
  fs.mkdirSync(dir, { recursive: true });
  const stem = path.join(dir, `mixed-v${CHAIN_VERSION}-${opts.blocks}-${opts.txsPerBlock}-${opts.fanOut}`);
  const file = `${stem}.dat`;
  const meta = `${stem}.json`;
  if (fs.existsSync(meta) && fs.existsSync(file)) return { file, chain: JSON.parse(fs.readFileSync(meta, 'utf8')) as GeneratedChain };
  console.log(`generating ${opts.blocks} blocks into ${file} (cached for later runs)`);
  const started = Date.now();
  const chain = generateChain(`${file}.tmp`, { ...opts, progress: (h, txs) => console.log(`  generated ${h} blocks, ${txs} transactions`) });
  fs.renameSync(`${file}.tmp`, file);
  fs.writeFileSync(meta, JSON.stringify(chain, null, 1) + '\n');
  console.log(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { file, chain };
}

const SMITHCOIND = path.join(buildDir, 'bin', 'smithcoind');
/** Bitcoin Core's bitcoind, when the environment names one: then Core reindexes the same blocks in the same run. */
const CORE_BITCOIND = process.env['CORE_BITCOIND'];

async function startSmithcoind(datadir: string, port: number, extra: string[], exe = SMITHCOIND): Promise<StartedNode> {
  return startNode(exe, ['-regtest', `-datadir=${datadir}`, `-rpcport=${port}`, ...extra], { port, auth: cookieAuth(datadir) });
}

/** Polls until the node's chain reaches `height`; returns the seconds since `since`, printing progress. */
async function waitForHeight(node: StartedNode, height: number, since: bigint): Promise<number> {
  let lastReport = 0;
  for (;;) {
    const h = (await rpcCall(node.target, 'getblockcount')) as number;
    const secs = Number(process.hrtime.bigint() - since) / 1e9;
    if (h >= height) return secs;
    if (secs - lastReport >= 10) {
      console.log(`  … height ${h} of ${height} after ${secs.toFixed(0)} s`);
      lastReport = secs;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function reindex(datadir: string, port: number, height: number, par: number, exe = SMITHCOIND): Promise<{ secs: number; rss: number }> {
  const since = process.hrtime.bigint();
  const node = await startSmithcoind(datadir, port, ['-listen=0', '-reindex', `-par=${par}`], exe);
  try {
    const secs = await waitForHeight(node, height, since);
    return { secs, rss: processRssMiB(node.child.pid!) };
  } finally {
    await node.stop();
  }
}

function report(what: string, blocks: number, inputs: number, secs: number, baselineSecs?: number): void {
  let s = `${what.padEnd(44)} ${secs.toFixed(2).padStart(8)} s  ${(blocks / secs).toFixed(0).padStart(7)} blocks/s  ${(inputs / secs).toFixed(0).padStart(8)} inputs/s`;
  if (baselineSecs !== undefined) s += `   ${(baselineSecs / secs).toFixed(2)}x vs -par=1`;
  console.log(s);
}

/**
 * What signature verification alone allows on this machine now (libsecp256k1's rates measured here, after the
 * reindexes), and the share of it each run reached.
 */
function reportCryptoCeiling(chain: GeneratedChain, oneSecs: number, twoSecs: number, quick: boolean): void {
  const calls = chainCryptoCalls(chain.inputsByKind);
  const rates = measureCryptoRates(quick ? 300 : 20_000);
  const cpuSecs = cryptoCpuSeconds(calls, rates);
  const perCore = chain.inputs / cpuSecs;
  const k = (x: number): string => Math.round(x).toLocaleString('en-US');
  console.log(`crypto ceiling: ${k(calls.ecdsa)} ECDSA + ${k(calls.schnorr)} Schnorr verifications + ${k(calls.tweakCheck)} taproot tweak checks ` +
    `at libsecp256k1's rates in this run (${k(rates.ecdsa)} / ${k(rates.schnorr)} / ${k(rates.tweakCheck)} per CPU-s) = ${cpuSecs.toFixed(2)} CPU-s`);
  console.log(`  at most ${k(perCore)} inputs/s on 1 core (-par=1 reached ${((100 * chain.inputs) / oneSecs / perCore).toFixed(0)}%), ` +
    `${k(2 * perCore)} on 2 cores (-par=2 reached ${((100 * chain.inputs) / twoSecs / (2 * perCore)).toFixed(0)}%)`);
}

async function runReindex(opts: BenchOptions): Promise<void> {
  const { file, chain } = cachedChain(opts.quick ? QUICK : FULL);
  console.log(`chain: ${chain.blocks} blocks, ${chain.transactions} transactions, ${chain.inputs} inputs ${JSON.stringify(chain.inputsByKind)}`);
  const datadir = fs.mkdtempSync(path.join(os.tmpdir(), 'smithcoin-bench-reindex-'));
  const port = 20000 + (process.pid % 20000);
  try {
    const since = process.hrtime.bigint();
    const node = await startSmithcoind(datadir, port, [`-loadblock=${file}`]);
    const rssStart = processRssMiB(node.child.pid!);
    let importSecs: number;
    try {
      importSecs = await waitForHeight(node, chain.blocks, since);
      const tip = await rpcCall(node.target, 'getbestblockhash');
      if (tip !== chain.tipHash) throw new Error(`imported tip ${String(tip)}, expected ${chain.tipHash}`);
    } finally {
      await node.stop();
    }
    report('-loadblock import (-par default)', chain.blocks, chain.inputs, importSecs);
    const one = await reindex(datadir, port, chain.blocks, 1);
    report('-reindex -par=1', chain.blocks, chain.inputs, one.secs);
    const two = await reindex(datadir, port, chain.blocks, 2);
    report('-reindex -par=2', chain.blocks, chain.inputs, two.secs, one.secs);
    console.log(`RSS after start ${rssStart.toFixed(1)} MiB, after the reindex ${two.rss.toFixed(1)} MiB`);
    await reindexWithCore(datadir, port, chain, one.secs, two.secs);
    reportCryptoCeiling(chain, one.secs, two.secs, opts.quick);
    console.log('target: >= 25,000 inputs/s over 2 cores (issue #10 §12)');
  } finally {
    fs.rmSync(datadir, { recursive: true, force: true });
  }
}

/** Bitcoin Core reindexing the same block files (a copy), when CORE_BITCOIND is set; our time over Core's. */
async function reindexWithCore(datadir: string, port: number, chain: GeneratedChain, oneSecs: number, twoSecs: number): Promise<void> {
  if (CORE_BITCOIND === undefined) {
    console.log('(set CORE_BITCOIND=<path to bitcoind> to reindex the same blocks with Bitcoin Core in this run)');
    return;
  }
  const coreDir = fs.mkdtempSync(path.join(os.tmpdir(), 'smithcoin-bench-core-reindex-'));
  try {
    fs.mkdirSync(path.join(coreDir, 'regtest', 'blocks'), { recursive: true });
    const blocks = path.join(datadir, 'regtest', 'blocks');
    for (const f of fs.readdirSync(blocks)) if (/^blk\d+\.dat$|^xor\.dat$/.test(f)) fs.copyFileSync(path.join(blocks, f), path.join(coreDir, 'regtest', 'blocks', f));
    for (const [par, ours] of [[1, oneSecs], [2, twoSecs]] as const) {
      const core = await reindex(coreDir, port, chain.blocks, par, CORE_BITCOIND);
      report(`Bitcoin Core -reindex -par=${par}`, chain.blocks, chain.inputs, core.secs);
      console.log(`  smithcoind -par=${par} takes ${(ours / core.secs).toFixed(2)}x Core's time`);
    }
  } finally {
    fs.rmSync(coreDir, { recursive: true, force: true });
  }
}

/** The source tree, from the build's test/config.ini (SRCDIR), for test/data. */
function sourceDir(): string | undefined {
  try {
    const ini = fs.readFileSync(path.join(buildDir, 'test', 'config.ini'), 'utf8');
    return /^SRCDIR=(.*)$/m.exec(ini)?.[1]?.trim();
  } catch {
    return undefined;
  }
}

/** Inputs of the active chain's transactions, coinbases left out (as the generator counts them). */
async function countInputs(node: StartedNode, height: number): Promise<number> {
  let inputs = 0;
  for (let h = 1; h <= height; h++) {
    const hash = await rpcCall(node.target, 'getblockhash', [h]);
    const block = (await rpcCall(node.target, 'getblock', [hash, 2])) as { tx: Array<{ vin: Array<{ coinbase?: string }> }> };
    for (const tx of block.tx) for (const vin of tx.vin) if (vin.coinbase === undefined) inputs++;
  }
  return inputs;
}

/** -reindex of the chain Bitcoin Core wrote (test/data/core-regtest), -par=1 then -par=2, from a scratch copy. */
async function runCoreFixture(): Promise<void> {
  const src = sourceDir();
  const fixture = src === undefined ? undefined : path.join(src, 'test', 'data', 'core-regtest');
  if (fixture === undefined || !fs.existsSync(path.join(fixture, 'expected.json'))) throw new BenchSkipped('no test/data/core-regtest in the source tree');
  const expected = JSON.parse(fs.readFileSync(path.join(fixture, 'expected.json'), 'utf8')) as { getblockchaininfo: { blocks: number } };
  const height = expected.getblockchaininfo.blocks;
  const datadir = fs.mkdtempSync(path.join(os.tmpdir(), 'smithcoin-bench-corefixture-'));
  const port = 20000 + ((process.pid + 7) % 20000);
  try {
    fs.cpSync(path.join(fixture, 'regtest'), path.join(datadir, 'regtest'), { recursive: true });
    const node = await startSmithcoind(datadir, port, []);
    let inputs: number;
    try {
      inputs = await countInputs(node, height);
    } finally {
      await node.stop();
    }
    console.log(`Core fixture chain: ${height} blocks, ${inputs} inputs`);
    const one = await reindex(datadir, port, height, 1);
    report('Core fixture -reindex -par=1', height, inputs, one.secs);
    const two = await reindex(datadir, port, height, 2);
    report('Core fixture -reindex -par=2', height, inputs, two.secs, one.secs);
  } finally {
    fs.rmSync(datadir, { recursive: true, force: true });
  }
}

export const benchmarks: BenchmarkSuite[] = [
  { name: 'node.reindex', run: runReindex },
  { name: 'node.reindex.corefixture', run: runCoreFixture },
];
