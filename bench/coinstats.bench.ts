// MuHash3072 against SHA-256 of the same bytes (the per-coin work of hash_serialized_3), and one gettxoutsetinfo
// pass with each hash type over the same synthetic coins, so the ratios show what muhash costs per coin.
import crypto from 'node:crypto';
import { chacha20Blocks } from '../src/crypto/chacha20.js';
import { MuHash3072 } from '../src/crypto/muhash.js';
import type { Coin } from '../src/node/coin.js';
import { computeUTXOStats, txOutSer } from '../src/node/coinstats.js';
import { OutPoint, TxOut } from '../src/primitives/transaction.js';
import { measure, report, type BenchOptions, type BenchmarkSuite } from './lib/bench.js';

/** A P2WPKH-sized coin serialization (outpoint, code, amount, 22-byte script): about what most UTXOs are. */
function sampleCoins(count: number): [OutPoint, Coin][] {
  return Array.from({ length: count }, (_, i) => {
    const txid = new Uint8Array(crypto.createHash('sha256').update(`coin ${i >> 1}`).digest());
    const script = Uint8Array.of(0x00, 0x14, ...crypto.createHash('sha256').update(`key ${i}`).digest().subarray(0, 20));
    return [new OutPoint(txid, i & 1), { out: new TxOut(BigInt(1000 + i), script), height: 100 + i, coinbase: false }];
  });
}

async function muhashBench(opts: BenchOptions): Promise<void> {
  const coins = sampleCoins(1000);
  const sers = coins.map(([op, c]) => txOutSer(op, c));
  let i = 0;
  const sha = await measure(`SHA-256 of a ${sers[0]!.length}-byte coin serialization`, () => crypto.hash('sha256', sers[i++ % sers.length]!), opts);
  const zeros = Buffer.alloc(384);
  const iv = Buffer.alloc(16);
  const keystreamNode = await measure('ChaCha20 keystream, 384 bytes, node:crypto cipher', () =>
    crypto.createCipheriv('chacha20', sers[i++ % sers.length]!.subarray(0, 32), iv).update(zeros), opts);
  const keystream = await measure('ChaCha20 keystream, 384 bytes, chacha20.ts', () => chacha20Blocks(sers[i++ % sers.length]!.subarray(0, 32), 6), opts);
  const m = new MuHash3072();
  const insert = await measure('MuHash3072 insert (SHA-256, keystream, 3072-bit mul)', () => m.insert(sers[i++ % sers.length]!), opts);
  report(sha, undefined, 'hash/s');
  report(keystreamNode, sha, 'ops/s');
  report(keystream, keystreamNode, 'ops/s');
  report(insert, sha, 'insert/s');
  const finalize = await measure('MuHash3072 finalize (one modular inverse)', () => new MuHash3072(sers[0]!).divide(new MuHash3072(sers[1]!)).finalize(),
    { ...opts, ms: 300, reps: 3 });
  report(finalize, insert, 'finalize/s');
  const base = { height: 2000, hashBlock: new Uint8Array(32) };
  const serialized = await measure(`stats pass, hash_serialized_3, ${coins.length} coins`, () => computeUTXOStats('hash_serialized_3', coins, base),
    { ...opts, opsPerCall: coins.length, ms: 300, reps: 3 });
  const muhash = await measure(`stats pass, muhash, ${coins.length} coins`, () => computeUTXOStats('muhash', coins, base),
    { ...opts, opsPerCall: coins.length, ms: 300, reps: 3 });
  report(serialized, undefined, 'coin/s');
  report(muhash, serialized, 'coin/s');
}

export const benchmarks: BenchmarkSuite[] = [{ name: 'coinstats.muhash', run: muhashBench }];
