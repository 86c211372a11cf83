// Sighash throughput for 1000-input P2WPKH and taproot key-path transactions, with the shared per-transaction
// precomputation against recomputing it for every input (what a naive implementation does).
import { measure, report, type BenchmarkSuite } from './lib/bench.js';
import { MutableTransaction, OutPoint, type Transaction, TxOut } from '../src/primitives/transaction.js';
import {
  PrecomputedTransactionData,
  SIGHASH_ALL,
  SIGHASH_DEFAULT,
  signatureHashSchnorr,
  signatureHashWitnessV0,
} from '../src/script/sighash.js';

const INPUTS = 1000;

function fill(len: number, seed: number): Uint8Array {
  const b = new Uint8Array(len);
  for (let i = 0; i < len; i++) b[i] = (seed * 131 + i * 17) & 0xff;
  return b;
}

/** A transaction with `INPUTS` inputs whose witnesses look like the given kind, and the outputs they spend. */
function makeTx(kind: 'p2wpkh' | 'p2tr'): { tx: Transaction; spent: TxOut[] } {
  const m = new MutableTransaction({ version: 2 });
  const spent: TxOut[] = [];
  for (let i = 0; i < INPUTS; i++) {
    m.addInput(new OutPoint(fill(32, i), i % 4), undefined, 0xfffffffd);
    const spk = kind === 'p2wpkh' ? new Uint8Array([0x00, 0x14, ...fill(20, i)]) : new Uint8Array([0x51, 0x20, ...fill(32, i)]);
    spent.push(new TxOut(BigInt(10_000 + i), spk));
    m.setWitness(i, kind === 'p2wpkh' ? [fill(72, i), fill(33, i)] : [fill(64, i)]);
  }
  m.addOutput(5_000_000n, new Uint8Array([0x00, 0x14, ...fill(20, 7)]));
  m.addOutput(4_000_000n, new Uint8Array([0x51, 0x20, ...fill(32, 9)]));
  return { tx: m.toTransaction(), spent };
}

function p2pkhScriptCode(program: Uint8Array): Uint8Array {
  return new Uint8Array([0x76, 0xa9, 0x14, ...program.subarray(2), 0x88, 0xac]);
}

async function runWitnessV0(quick: boolean): Promise<void> {
  const { tx, spent } = makeTx('p2wpkh');
  const codes = spent.map((o) => p2pkhScriptCode(o.scriptPubKey));
  const allInputs = (shared: boolean): void => {
    const txdata = shared ? PrecomputedTransactionData.from(tx, spent) : null;
    for (let i = 0; i < INPUTS; i++) {
      signatureHashWitnessV0(codes[i]!, tx, i, SIGHASH_ALL, spent[i]!.value, txdata);
    }
  };
  const base = await measure('P2WPKH 1000 inputs, recomputed per input', () => allInputs(false), { quick, opsPerCall: INPUTS });
  const fast = await measure('P2WPKH 1000 inputs, shared precomputation', () => allInputs(true), { quick, opsPerCall: INPUTS });
  report(base, undefined, 'sighashes/s');
  report(fast, base, 'sighashes/s');
}

async function runTaproot(quick: boolean): Promise<void> {
  const { tx, spent } = makeTx('p2tr');
  const exec = { annexPresent: false };
  const allInputs = (shared: boolean): void => {
    const common = shared ? PrecomputedTransactionData.from(tx, spent) : undefined;
    for (let i = 0; i < INPUTS; i++) {
      const txdata = common ?? PrecomputedTransactionData.from(tx, spent, true);
      if (!signatureHashSchnorr(tx, i, SIGHASH_DEFAULT, 'taproot', txdata, exec)) throw new Error('sighash failed');
    }
  };
  const base = await measure('taproot key path 1000 inputs, recomputed per input', () => allInputs(false), { quick, opsPerCall: INPUTS });
  const fast = await measure('taproot key path 1000 inputs, shared precomputation', () => allInputs(true), { quick, opsPerCall: INPUTS });
  report(base, undefined, 'sighashes/s');
  report(fast, base, 'sighashes/s');
}

export const benchmarks: BenchmarkSuite[] = [
  { name: 'sighash_witness_v0', run: (o) => runWitnessV0(o.quick) },
  { name: 'sighash_taproot', run: (o) => runTaproot(o.quick) },
];
