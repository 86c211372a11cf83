// Script verification of a block's worth of P2WPKH spends: one thread against the ScriptCheckQueue pool.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { hash160 } from '../src/crypto/ripemd160.js';
import { ecdsaSign, ecdsaVerify, pubkeyCreate } from '../src/crypto/secp256k1.js';
import { OutPoint, Transaction, TxIn, TxOut } from '../src/primitives/transaction.js';
import { ScriptCheckQueue, makeScriptCheckJob, runScriptCheckJob, verifyTransactionScripts, type ScriptCheckJob } from '../src/script/check_queue.js';
import { Opcode, ScriptBuilder } from '../src/script/script.js';
import { ScriptError } from '../src/script/script_error.js';
import { PrecomputedTransactionData, signatureHashWitnessV0 } from '../src/script/sighash.js';
import { SCRIPT_VERIFY_FLAG_NAMES } from '../src/script/verify_flags.js';
import { measure, median, report, type BenchmarkSuite } from './lib/bench.js';

const SIGHASH_ALL = 1;

interface Spend {
  tx: Transaction;
  spent: TxOut[];
}

/** `txCount` transactions of `inputsPerTx` signed P2WPKH inputs each (deterministic keys). */
function buildBlock(txCount: number, inputsPerTx: number): Spend[] {
  const keys = Array.from({ length: 16 }, (_, k) => {
    const sk = new Uint8Array(32);
    sk[31] = k + 1;
    sk[0] = 0x42;
    const pk = pubkeyCreate(sk, true);
    const h = hash160(pk);
    return {
      sk,
      pk,
      spk: new ScriptBuilder().op(Opcode.OP_0).pushData(h).build(),
      scriptCode: new ScriptBuilder().op(Opcode.OP_DUP, Opcode.OP_HASH160).pushData(h).op(Opcode.OP_EQUALVERIFY, Opcode.OP_CHECKSIG).build(),
    };
  });
  const block: Spend[] = [];
  for (let t = 0; t < txCount; t++) {
    const spent: TxOut[] = [];
    const vin: TxIn[] = [];
    const owners: number[] = [];
    for (let i = 0; i < inputsPerTx; i++) {
      const prev = new Uint8Array(32);
      prev[0] = t & 0xff;
      prev[1] = t >> 8;
      prev[2] = i;
      const owner = (t * inputsPerTx + i) % keys.length;
      owners.push(owner);
      spent.push(new TxOut(BigInt(10_000 + t + i), keys[owner]!.spk));
      vin.push(new TxIn({ prevout: new OutPoint(prev, i), sequence: 0xfffffffd }));
    }
    const unsigned = new Transaction({ version: 2, vin, vout: [new TxOut(5_000n, keys[t % keys.length]!.spk)], lockTime: 0 });
    const txdata = PrecomputedTransactionData.from(unsigned, spent);
    const signed = vin.map((input, i) => {
      const key = keys[owners[i]!]!;
      const sighash = signatureHashWitnessV0(key.scriptCode, unsigned, i, SIGHASH_ALL, spent[i]!.value, txdata);
      const sig = ecdsaSign(sighash, key.sk);
      const full = new Uint8Array(sig.length + 1);
      full.set(sig);
      full[sig.length] = SIGHASH_ALL;
      return input.withWitness([full, key.pk]);
    });
    block.push({ tx: new Transaction({ version: 2, vin: signed, vout: unsigned.vout, lockTime: 0 }), spent });
  }
  return block;
}

/** Each input's DER signature (hash type byte removed), sighash and key: the bare ECDSA work of the block. */
function rawVerifyInputs(block: Spend[]): Array<{ sig: Uint8Array; msg: Uint8Array; pubkey: Uint8Array }> {
  const out: Array<{ sig: Uint8Array; msg: Uint8Array; pubkey: Uint8Array }> = [];
  for (const { tx, spent } of block) {
    const txdata = PrecomputedTransactionData.from(tx, spent);
    tx.vin.forEach((input, i) => {
      const full = input.witness[0]!;
      const pubkey = input.witness[1]!;
      const scriptCode = new ScriptBuilder()
        .op(Opcode.OP_DUP, Opcode.OP_HASH160)
        .pushData(spent[i]!.scriptPubKey.subarray(2))
        .op(Opcode.OP_EQUALVERIFY, Opcode.OP_CHECKSIG)
        .build();
      const msg = signatureHashWitnessV0(scriptCode, tx, i, full[full.length - 1]!, spent[i]!.value, txdata);
      out.push({ sig: full.subarray(0, full.length - 1), msg, pubkey });
    });
  }
  return out;
}

function allFlags(): number {
  let f = 0;
  for (const v of SCRIPT_VERIFY_FLAG_NAMES.values()) f |= v;
  return f;
}

function checkAllOk(results: { error: ScriptError }[]): void {
  for (const r of results) if (r.error !== ScriptError.SCRIPT_ERR_OK) throw new Error(`benchmark block failed verification: ${r.error}`);
}

export const benchmarks: BenchmarkSuite[] = [
  {
    name: 'script_verify_p2wpkh_block',
    async run(opts) {
      const txCount = opts.quick ? 50 : 1000;
      const inputsPerTx = 2;
      const inputs = txCount * inputsPerTx;
      const block = buildBlock(txCount, inputsPerTx);
      const flags = allFlags();
      const jobs: ScriptCheckJob[] = block.map((s) => makeScriptCheckJob(s.tx, s.spent, flags));
      const queues = [new ScriptCheckQueue({ workers: 1 }), new ScriptCheckQueue({ workers: 2 })];
      const raw = rawVerifyInputs(block);
      const variants: Array<{ name: string; fn: () => unknown }> = [
        // The floor: only the libsecp256k1 verifications the block needs (no script, sighash or parsing).
        {
          name: 'raw ecdsaVerify only',
          fn: () => {
            for (const r of raw) if (!ecdsaVerify(r.sig, r.msg, r.pubkey)) throw new Error('benchmark signature does not verify');
          },
        },
        { name: 'main thread', fn: () => checkAllOk(block.map((s) => verifyTransactionScripts(s.tx, s.spent, flags))) },
        // What a worker does per job (parse the wire form, then verify), without the threads.
        { name: 'main thread from wire form', fn: () => checkAllOk(jobs.map(runScriptCheckJob)) },
        ...queues.map((q) => ({ name: `ScriptCheckQueue ${q.size} worker(s)`, fn: async () => checkAllOk(await q.verify(jobs)) })),
      ];
      // Other processes share the CPUs: interleave short windows of every variant and take medians, so a
      // change in background load hits all variants alike instead of skewing one of them.
      const rounds = opts.quick ? 1 : 7;
      const rates: number[][] = variants.map(() => []);
      // CPU seconds used per wall second (all threads): shows whether the pool got both cores from the scheduler.
      const cpuPerWall: number[][] = variants.map(() => []);
      try {
        for (let r = 0; r < rounds; r++) {
          for (let v = 0; v < variants.length; v++) {
            const c0 = process.cpuUsage();
            const t0 = performance.now();
            const m = await measure(variants[v]!.name, variants[v]!.fn, { ms: opts.quick ? 50 : 800, reps: 1, opsPerCall: inputs, quick: opts.quick });
            const c = process.cpuUsage(c0);
            rates[v]!.push(m.opsPerSec);
            cpuPerWall[v]!.push((c.user + c.system) / 1000 / (performance.now() - t0));
          }
        }
      } finally {
        await Promise.all(queues.map((q) => q.close()));
      }
      const results = variants.map((v, i) => ({
        name: `verify ${inputs} P2WPKH inputs, ${v.name} (cpu/wall ${median(cpuPerWall[i]!).toFixed(2)})`,
        opsPerSec: median(rates[i]!),
      }));
      // Script verification against the raw verify floor; the pool against the single thread it parallelises.
      const [rawRate, mainRate, ...rest] = results;
      report(rawRate!, undefined, 'inputs/s');
      report(mainRate!, rawRate!, 'inputs/s');
      for (const m of rest) report(m, mainRate!, 'inputs/s');
      // The same two single-threaded variants per CPU second: steadier than wall time when other processes load the CPUs.
      const cpuMicros = (v: number) => median(rates[v]!.map((r, k) => cpuPerWall[v]![k]! / r)) * 1e6;
      const [rawCpu, mainCpu] = [cpuMicros(0), cpuMicros(1)];
      console.log(
        `CPU per input: ${mainCpu.toFixed(1)} µs script verification, ${rawCpu.toFixed(1)} µs raw verify ` +
          `(${(rawCpu / mainCpu).toFixed(2)}x the raw verify rate)`,
      );
      console.log(`(${os.availableParallelism()} CPUs available; other processes share them)`);
    },
  },
];
