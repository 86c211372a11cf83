// connectBlock throughput on a block of signed mixed-type spends (P2WPKH, P2PKH, P2TR key and script path):
// inline script checks (-par=1) as the baseline; -par=2 (the main thread and one worker, as Core counts it) and
// two workers; and a block whose transactions a block-template check already put in the script-execution cache.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { type ConnectBlockContext, connectBlock } from '../src/node/connect_block.js';
import { ValidationCache } from '../src/node/script_cache.js';
import type { Block } from '../src/primitives/block.js';
import type { BlockIndex } from '../src/node/chain.js';
import { ScriptCheckQueue } from '../src/script/check_queue.js';
import { SPEND_KINDS, TestChain, type Utxo, utxosOf } from './lib/connect_chain.js';
import { median, report, type BenchmarkSuite } from './lib/bench.js';

interface Fixture {
  chain: TestChain;
  block: Block;
  index: BlockIndex;
  inputs: number;
}

/** A chain with `inputs` spendable outputs of every kind, and a block that spends them two per transaction. */
async function buildFixture(inputs: number): Promise<Fixture> {
  const perFan = 200;
  const fans = Math.ceil(inputs / perFan);
  const chain = await TestChain.create(100 + fans);
  const coinbases = chain.matureCoinbases().slice(0, fans);
  const fanTxs = coinbases.map((cb) => chain.spend([cb], Array.from({ length: perFan }, (_, i) => SPEND_KINDS[i % SPEND_KINDS.length]!)));
  await chain.mine(fanTxs);
  const utxos: Utxo[] = fanTxs.flatMap(utxosOf).slice(0, inputs);
  const txs = [];
  for (let i = 0; i + 1 < utxos.length; i += 2) txs.push(chain.spend([utxos[i]!, utxos[i + 1]!], [SPEND_KINDS[(i / 2) % SPEND_KINDS.length]!]));
  const { block, index } = chain.makeBlock(txs);
  return { chain, block, index, inputs: txs.length * 2 };
}

interface Variant {
  name: string;
  ctx: () => Partial<ConnectBlockContext>;
  /** Runs untimed before each timed connection (warming a cache). */
  prepare?: (f: Fixture, ctx: Partial<ConnectBlockContext>) => Promise<void>;
}

/**
 * Wall time of one connectBlock on a fresh copy of the coins (the copy is made outside the timed part), and the CPU
 * time of all threads per wall second: whether the workers got cores from the scheduler.
 */
async function timeOnce(f: Fixture, v: Variant): Promise<{ ms: number; cpuPerWall: number }> {
  const ctx = v.ctx();
  await v.prepare?.(f, ctx);
  const view = f.chain.view.clone();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await connectBlock(f.block, f.index, view, { params: f.chain.params, ...ctx });
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  if (!r.ok) throw new Error(`benchmark block rejected: ${r.state.toString()}`);
  return { ms, cpuPerWall: (c.user + c.system) / 1000 / ms };
}

async function warmByTemplateCheck(f: Fixture, ctx: Partial<ConnectBlockContext>): Promise<void> {
  const r = await connectBlock(f.block, f.index, f.chain.view.clone(), { params: f.chain.params, ...ctx, justCheck: true });
  if (!r.ok) throw new Error(`benchmark block rejected: ${r.state.toString()}`);
}

export const benchmarks: BenchmarkSuite[] = [
  {
    name: 'connect_block',
    async run(opts) {
      const f = await buildFixture(opts.quick ? 80 : 2000);
      const pools = [new ScriptCheckQueue({ workers: 1 }), new ScriptCheckQueue({ workers: 2 })];
      const variants: Variant[] = [
        { name: 'inline (-par=1)', ctx: () => ({}) },
        ...pools.map((q) => ({ name: `-par=${q.size + 1} (main thread + ${q.size} worker(s))`, ctx: () => ({ scriptQueue: q }) })),
        { name: 'inline, warm script-execution cache', ctx: () => ({ validationCache: new ValidationCache() }), prepare: warmByTemplateCheck },
        {
          name: '-par=2, warm script-execution cache',
          ctx: () => ({ validationCache: new ValidationCache(), scriptQueue: pools[0]! }),
          prepare: warmByTemplateCheck,
        },
      ];
      const rounds = opts.quick ? 1 : 7;
      const times: number[][] = variants.map(() => []);
      const cpu: number[][] = variants.map(() => []);
      try {
        // Interleaved rounds: background load on the shared machine hits every variant alike.
        for (let r = 0; r < rounds; r++) {
          for (let v = 0; v < variants.length; v++) {
            const t = await timeOnce(f, variants[v]!);
            times[v]!.push(t.ms);
            cpu[v]!.push(t.cpuPerWall);
          }
        }
      } finally {
        await Promise.all(pools.map((q) => q.close()));
      }
      const results = variants.map((v, i) => ({
        name: `connectBlock ${f.inputs} inputs, ${v.name} (cpu/wall ${median(cpu[i]!).toFixed(2)})`,
        opsPerSec: f.inputs / (median(times[i]!) / 1000),
      }));
      report(results[0]!, undefined, 'inputs/s');
      for (const m of results.slice(1)) report(m, results[0]!, 'inputs/s');
      console.log(`(${os.availableParallelism()} CPUs available; other processes share them)`);
    },
  },
];
