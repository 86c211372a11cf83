// Signature verification through the crypto addon against @noble/curves (the pure-JS baseline),
// and double SHA-256 one input per call and batched against node:crypto's crypto.hash.
import crypto from 'node:crypto';
import { sha256dJs } from '../src/crypto/sha256.js';
import { sha256dBatchJs, sha256dBatchNative } from '../src/crypto/sha256_batch.js';
import { cryptoAddon } from '../src/crypto/native.js';
import { jsBackend } from '../src/crypto/secp256k1_js.js';
import { nativeBackend } from '../src/crypto/secp256k1_native.js';
import type { Secp256k1Backend } from '../src/crypto/secp256k1_backend.js';
import { measure, report, type BenchOptions, type BenchmarkSuite, type Measurement } from './lib/bench.js';

const KEYS = 64;

interface SigSet {
  msgs: Uint8Array[];
  pubkeys: Uint8Array[];
  xonly: Uint8Array[];
  ecdsa: Uint8Array[];
  schnorr: Uint8Array[];
}

// Deterministic keys and messages, signed with the JS backend so both verifiers see the same data.
function makeSigs(): SigSet {
  const set: SigSet = { msgs: [], pubkeys: [], xonly: [], ecdsa: [], schnorr: [] };
  for (let i = 0; i < KEYS; i++) {
    const sk = new Uint8Array(crypto.createHash('sha256').update(`bench key ${i}`).digest());
    const msg = new Uint8Array(crypto.createHash('sha256').update(`bench msg ${i}`).digest());
    set.msgs.push(msg);
    set.pubkeys.push(jsBackend.pubkeyCreate(sk, true));
    set.xonly.push(jsBackend.xonlyFromSeckey(sk));
    set.ecdsa.push(jsBackend.ecdsaSign(msg, sk));
    set.schnorr.push(jsBackend.schnorrSign(msg, sk));
  }
  return set;
}

function requireNative(): Secp256k1Backend {
  if (nativeBackend === null) throw new Error('crypto addon missing: build native/crypto first');
  return nativeBackend;
}

async function verifyBench(opts: BenchOptions): Promise<void> {
  const native = requireNative();
  const sigs = makeSigs();
  const run = (b: Secp256k1Backend, kind: 'ecdsa' | 'schnorr') => {
    let i = 0;
    return () => {
      const k = i++ % KEYS;
      const ok = kind === 'ecdsa'
        ? b.ecdsaVerify(sigs.ecdsa[k]!, sigs.msgs[k]!, sigs.pubkeys[k]!)
        : b.schnorrVerify(sigs.schnorr[k]!, sigs.msgs[k]!, sigs.xonly[k]!);
      if (!ok) throw new Error(`${b.name} ${kind} verification failed in the benchmark`);
    };
  };
  // noble is slow: shorter runs are plenty for a baseline.
  const jsOpts = { quick: opts.quick, ms: 300, reps: 3 };
  const ecdsaJs = await measure('ECDSA verify, @noble/curves (lax DER + low-S)', run(jsBackend, 'ecdsa'), jsOpts);
  const ecdsaNative = await measure('ECDSA verify, crypto addon (libsecp256k1)', run(native, 'ecdsa'), opts);
  const schnorrJs = await measure('Schnorr verify, @noble/curves', run(jsBackend, 'schnorr'), jsOpts);
  const schnorrNative = await measure('Schnorr verify, crypto addon (libsecp256k1)', run(native, 'schnorr'), opts);
  report(ecdsaJs, undefined, 'verify/s');
  report(ecdsaNative, ecdsaJs, 'verify/s');
  report(schnorrJs, undefined, 'verify/s');
  report(schnorrNative, schnorrJs, 'verify/s');
  // The target is per core: on a shared machine wall-clock rates undercount, CPU time does not.
  report(perCpuSecond('ECDSA verify, crypto addon, per CPU-second', run(native, 'ecdsa'), opts), undefined, 'verify/CPU-s');
  report(perCpuSecond('Schnorr verify, crypto addon, per CPU-second', run(native, 'schnorr'), opts), undefined, 'verify/CPU-s');
}

function perCpuSecond(name: string, fn: () => void, opts: BenchOptions): Measurement {
  const calls = opts.quick ? 500 : 20_000;
  const start = process.cpuUsage();
  for (let i = 0; i < calls; i++) fn();
  const used = process.cpuUsage(start);
  return { name, opsPerSec: calls / ((used.user + used.system) / 1e6) };
}

async function signBench(opts: BenchOptions): Promise<void> {
  const native = requireNative();
  const sk = new Uint8Array(crypto.createHash('sha256').update('bench signer').digest());
  let n = 0;
  const msg = () => {
    const m = new Uint8Array(32);
    new DataView(m.buffer).setUint32(0, n++);
    return m;
  };
  const jsOpts = { quick: opts.quick, ms: 300, reps: 3 };
  const ecdsaJs = await measure('ECDSA sign (low-R grinding), @noble/curves', () => jsBackend.ecdsaSign(msg(), sk), jsOpts);
  const ecdsaNative = await measure('ECDSA sign (low-R grinding), crypto addon', () => native.ecdsaSign(msg(), sk), opts);
  const schnorrJs = await measure('Schnorr sign, @noble/curves', () => jsBackend.schnorrSign(msg(), sk), jsOpts);
  const schnorrNative = await measure('Schnorr sign, crypto addon', () => native.schnorrSign(msg(), sk), opts);
  report(ecdsaJs, undefined, 'sign/s');
  report(ecdsaNative, ecdsaJs, 'sign/s');
  report(schnorrJs, undefined, 'sign/s');
  report(schnorrNative, schnorrJs, 'sign/s');
}

async function hashBench(opts: BenchOptions): Promise<void> {
  const batchNative = sha256dBatchNative;
  const single = cryptoAddon?.sha256d;
  if (batchNative === null || single === undefined) throw new Error('crypto addon without SHA-256: build native/crypto first');
  const BATCH = 1000;
  for (const size of [64, 80, 250]) {
    const inputs = Array.from({ length: BATCH }, (_, i) => new Uint8Array(crypto.createHash('sha512').update(`${size}/${i}`).digest().subarray(0, 64)));
    const data = inputs.map((b) => {
      const out = new Uint8Array(size);
      for (let o = 0; o < size; o += b.length) out.set(b.subarray(0, Math.min(b.length, size - o)), o);
      return out;
    });
    let i = 0;
    const base = await measure(`sha256d ${size} B, crypto.hash x2`, () => sha256dJs(data[i++ % BATCH]!), opts);
    const one = await measure(`sha256d ${size} B, addon, one per call`, () => single(data[i++ % BATCH]!), opts);
    const batch = await measure(`sha256d ${size} B, addon, ${BATCH} per call`, () => batchNative.sha256dBatch(data), { ...opts, opsPerCall: BATCH });
    report(base, undefined, 'hash/s');
    report(one, base, 'hash/s');
    report(batch, base, 'hash/s');
  }
  // A merkle level of 2000 nodes (a full block's txids), one addon call against crypto.hash per pair.
  const level = new Uint8Array(crypto.randomBytes(2000 * 32));
  const pairsJs = await measure('merkle level (1000 pairs), crypto.hash x2 per pair', () => sha256dBatchJs.sha256dPairs(level), { ...opts, opsPerCall: 1000 });
  const pairsNative = await measure('merkle level (1000 pairs), addon sha256dPairs', () => batchNative.sha256dPairs(level), { ...opts, opsPerCall: 1000 });
  report(pairsJs, undefined, 'pair/s');
  report(pairsNative, pairsJs, 'pair/s');
}

export const benchmarks: BenchmarkSuite[] = [
  { name: 'crypto.verify', run: verifyBench },
  { name: 'crypto.sign', run: signBench },
  { name: 'crypto.sha256d', run: hashBench },
];
