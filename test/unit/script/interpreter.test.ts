// Signed spends through TransactionSignatureChecker (P2WPKH, taproot key path, tapscript) and the ScriptCheckQueue.
import assert from 'node:assert/strict';
import { hash160 } from '../../../src/crypto/ripemd160.js';
import { ecdsaSign, pubkeyCreate, schnorrSign, seckeyTweakAdd, xonlyFromSeckey, xonlyTweakAdd } from '../../../src/crypto/secp256k1.js';
import { OutPoint, Transaction, TxIn, TxOut } from '../../../src/primitives/transaction.js';
import { ScriptCheckQueue, makeScriptCheckJob, runScriptCheckJob, splitByInputs, verifyTransactionScripts } from '../../../src/script/check_queue.js';
import {
  TransactionSignatureChecker,
  checkSignatureEncoding,
  computeTapTweakHash,
  computeTapleafHash,
  verifyScript,
} from '../../../src/script/interpreter.js';
import { checkLowS } from '../../../src/script/interpreter_encoding.js';
import { MissingDataBehavior, ScriptExecutionData, SigVersion, TAPROOT_LEAF_TAPSCRIPT } from '../../../src/script/interpreter_types.js';
import { Opcode, ScriptBuilder } from '../../../src/script/script.js';
import { ScriptError } from '../../../src/script/script_error.js';
import { PrecomputedTransactionData, signatureHashSchnorr, signatureHashWitnessV0 } from '../../../src/script/sighash.js';
import { bytesToHex, hexToBytes } from '../../../src/util/hex.js';
import {
  ALL_SCRIPT_VERIFY_FLAGS,
  SCRIPT_VERIFY_LOW_S,
  SCRIPT_VERIFY_NULLFAIL,
  SCRIPT_VERIFY_P2SH,
  SCRIPT_VERIFY_WITNESS,
} from '../../../src/script/verify_flags.js';

const FLAGS = ALL_SCRIPT_VERIFY_FLAGS;

function secret(n: number): Uint8Array {
  const sk = new Uint8Array(32);
  sk[0] = 0x11;
  sk[31] = n;
  return sk;
}

/** A secret key whose public key has an even y, so it is its own x-only signing key. */
function evenSecret(start: number): Uint8Array {
  for (let n = start; ; n++) if (pubkeyCreate(secret(n), true)[0] === 0x02) return secret(n);
}

function spendingTx(spk: Uint8Array, value: bigint): { tx: Transaction; spent: TxOut[] } {
  const prev = new Uint8Array(32).fill(0xab);
  const tx = new Transaction({
    version: 2,
    vin: [new TxIn({ prevout: new OutPoint(prev, 1), sequence: 0xfffffffe })],
    vout: [new TxOut(value - 1000n, spk)],
  });
  return { tx, spent: [new TxOut(value, spk)] };
}

function withWitness(tx: Transaction, witness: Uint8Array[]): Transaction {
  return new Transaction({ version: tx.version, vin: [tx.vin[0]!.withWitness(witness)], vout: tx.vout, lockTime: tx.lockTime });
}

function verify(tx: Transaction, spent: TxOut[], flags = FLAGS): ScriptError {
  const txdata = PrecomputedTransactionData.from(tx, spent);
  const checker = new TransactionSignatureChecker(tx, 0, spent[0]!.value, txdata, MissingDataBehavior.ASSERT_FAIL);
  return verifyScript(tx.vin[0]!.scriptSig, spent[0]!.scriptPubKey, tx.vin[0]!.witness, flags, checker);
}

function p2wpkhSpend(sk: Uint8Array, value = 50_000n): { tx: Transaction; spent: TxOut[] } {
  const pk = pubkeyCreate(sk, true);
  const h = hash160(pk);
  const spk = new ScriptBuilder().op(Opcode.OP_0).pushData(h).build();
  const { tx, spent } = spendingTx(spk, value);
  const scriptCode = new ScriptBuilder().op(Opcode.OP_DUP, Opcode.OP_HASH160).pushData(h).op(Opcode.OP_EQUALVERIFY, Opcode.OP_CHECKSIG).build();
  const sighash = signatureHashWitnessV0(scriptCode, tx, 0, 1, value, PrecomputedTransactionData.from(tx, spent));
  return { tx: withWitness(tx, [Uint8Array.from([...ecdsaSign(sighash, sk), 1]), pk]), spent };
}

describe('interpreter: signed spends', () => {
  it('P2WPKH: valid, then wrong amount (EVAL_FALSE) and NULLFAIL', () => {
    const { tx, spent } = p2wpkhSpend(secret(1));
    assert.equal(verify(tx, spent), ScriptError.SCRIPT_ERR_OK);
    const wrongAmount = [new TxOut(spent[0]!.value + 1n, spent[0]!.scriptPubKey)];
    assert.equal(verify(tx, wrongAmount, SCRIPT_VERIFY_P2SH | SCRIPT_VERIFY_WITNESS), ScriptError.SCRIPT_ERR_EVAL_FALSE);
    assert.equal(verify(tx, wrongAmount, SCRIPT_VERIFY_P2SH | SCRIPT_VERIFY_WITNESS | SCRIPT_VERIFY_NULLFAIL), ScriptError.SCRIPT_ERR_SIG_NULLFAIL);
  });

  it('a witness v0 signature without the amount is missing data', () => {
    const { tx, spent } = p2wpkhSpend(secret(2));
    const checker = new TransactionSignatureChecker(tx, 0, -1n, null, MissingDataBehavior.FAIL);
    assert.equal(
      verifyScript(new Uint8Array(0), spent[0]!.scriptPubKey, tx.vin[0]!.witness, SCRIPT_VERIFY_P2SH | SCRIPT_VERIFY_WITNESS, checker),
      ScriptError.SCRIPT_ERR_EVAL_FALSE,
    );
    const asserting = new TransactionSignatureChecker(tx, 0, -1n, null, MissingDataBehavior.ASSERT_FAIL);
    assert.throws(() => verifyScript(new Uint8Array(0), spent[0]!.scriptPubKey, tx.vin[0]!.witness, FLAGS, asserting), /Missing data/);
  });

  it('taproot key path: valid, bad signature, bad hash type, wrong size', () => {
    const sk = evenSecret(3);
    const internal = xonlyFromSeckey(sk);
    const tweak = computeTapTweakHash(internal, null);
    const out = xonlyTweakAdd(internal, tweak)!;
    const spk = new ScriptBuilder().op(Opcode.OP_1).pushData(out.output).build();
    const { tx, spent } = spendingTx(spk, 70_000n);
    const txdata = PrecomputedTransactionData.from(tx, spent, true);
    const execdata = new ScriptExecutionData();
    execdata.annexInit = true;
    const sighash = signatureHashSchnorr(tx, 0, 0, SigVersion.TAPROOT, txdata, execdata)!;
    const sig = schnorrSign(sighash, seckeyTweakAdd(sk, tweak)!);
    assert.equal(verify(withWitness(tx, [sig]), spent), ScriptError.SCRIPT_ERR_OK);
    const bad = Uint8Array.from(sig);
    bad[10]! ^= 1;
    assert.equal(verify(withWitness(tx, [bad]), spent), ScriptError.SCRIPT_ERR_SCHNORR_SIG);
    assert.equal(verify(withWitness(tx, [Uint8Array.from([...sig, 0])]), spent), ScriptError.SCRIPT_ERR_SCHNORR_SIG_HASHTYPE);
    assert.equal(verify(withWitness(tx, [Uint8Array.from([...sig, 0x84])]), spent), ScriptError.SCRIPT_ERR_SCHNORR_SIG_HASHTYPE);
    assert.equal(verify(withWitness(tx, [sig.subarray(0, 63)]), spent), ScriptError.SCRIPT_ERR_SCHNORR_SIG_SIZE);
    // An annex changes the signed message.
    assert.equal(verify(withWitness(tx, [sig, Uint8Array.of(0x50, 1)]), spent), ScriptError.SCRIPT_ERR_SCHNORR_SIG);
  });

  it('tapscript 2-of-2 with CHECKSIG and CHECKSIGADD', () => {
    const a = evenSecret(10);
    const b = evenSecret(20);
    const leaf = new ScriptBuilder()
      .pushData(xonlyFromSeckey(a))
      .op(Opcode.OP_CHECKSIG)
      .pushData(xonlyFromSeckey(b))
      .op(Opcode.OP_CHECKSIGADD, Opcode.OP_2, Opcode.OP_NUMEQUAL)
      .build();
    const internal = xonlyFromSeckey(evenSecret(30));
    const leafHash = computeTapleafHash(TAPROOT_LEAF_TAPSCRIPT, leaf);
    const out = xonlyTweakAdd(internal, computeTapTweakHash(internal, leafHash))!;
    const control = Uint8Array.from([TAPROOT_LEAF_TAPSCRIPT | out.parity, ...internal]);
    const spk = new ScriptBuilder().op(Opcode.OP_1).pushData(out.output).build();
    const { tx, spent } = spendingTx(spk, 90_000n);
    const execdata = new ScriptExecutionData();
    execdata.annexInit = true;
    execdata.tapleafHash = leafHash;
    execdata.codeseparatorPos = 0xffffffff;
    const sighash = signatureHashSchnorr(tx, 0, 0, SigVersion.TAPSCRIPT, PrecomputedTransactionData.from(tx, spent, true), execdata)!;
    const sigA = schnorrSign(sighash, a);
    const sigB = schnorrSign(sighash, b);
    // Witness order: the last-checked signature first.
    assert.equal(verify(withWitness(tx, [sigB, sigA, leaf, control]), spent), ScriptError.SCRIPT_ERR_OK);
    assert.equal(verify(withWitness(tx, [new Uint8Array(0), sigA, leaf, control]), spent), ScriptError.SCRIPT_ERR_EVAL_FALSE);
    assert.equal(verify(withWitness(tx, [sigA, sigA, leaf, control]), spent), ScriptError.SCRIPT_ERR_SCHNORR_SIG);
    const badControl = Uint8Array.from(control);
    badControl[5]! ^= 1;
    assert.equal(verify(withWitness(tx, [sigB, sigA, leaf, badControl]), spent), ScriptError.SCRIPT_ERR_WITNESS_PROGRAM_MISMATCH);
    assert.equal(verify(withWitness(tx, [sigB, sigA, leaf, control.subarray(0, 32)]), spent), ScriptError.SCRIPT_ERR_TAPROOT_WRONG_CONTROL_SIZE);
  });
});

describe('signature encoding: CheckLowS', () => {
  const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
  const HALF = N >> 1n;
  // Minimal DER INTEGER body of a non-negative value (a 0x00 only where the sign needs it).
  const int = (v: bigint): number[] => {
    const digits = v.toString(16);
    const b = [...hexToBytes(digits.length % 2 ? '0' + digits : digits)];
    return b[0]! & 0x80 ? [0, ...b] : b;
  };
  const der = (r: number[], s: number[]): Uint8Array => {
    const body = [0x02, r.length, ...r, 0x02, s.length, ...s];
    return Uint8Array.from([0x30, body.length, ...body]);
  };
  const R = int(0x5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5an);

  it('compares S with N/2 on the bytes, and treats an overflowing R or S as Core\'s zero signature (low)', () => {
    assert.equal(checkLowS(der(R, int(HALF))), true);
    assert.equal(checkLowS(der(R, int(HALF + 1n))), false);
    assert.equal(checkLowS(der(R, int(N - 1n))), false);
    assert.equal(checkLowS(der(R, int(1n))), true);
    assert.equal(checkLowS(der(R, [0, 0, ...int(HALF + 1n)])), false, 'zero padding is not part of S');
    // Overflow (more than 32 significant bytes, or a value of at least N) zeroes the whole signature.
    const sPlusN = int(HALF + 1n + N);
    assert.equal(sPlusN.length, 33);
    assert.equal(checkLowS(der(R, sPlusN)), true);
    assert.equal(checkLowS(der(R, int(N))), true);
    assert.equal(checkLowS(der(int(N), int(HALF + 1n))), true, 'R overflow zeroes a high S too');
    // A signature even the lax parser cannot read is not low-S.
    assert.equal(checkLowS(new Uint8Array(0)), false);
    assert.equal(checkLowS(Uint8Array.from([0x31, ...der(R, int(1n)).subarray(1)])), false);
  });

  it('sends an s+N signature to the signature check under LOW_S (NULLFAIL), and N-s to SIG_HIGH_S', () => {
    const { tx, spent } = p2wpkhSpend(secret(30));
    const [sig, pk] = tx.vin[0]!.witness as [Uint8Array, Uint8Array];
    const rLen = sig[3]!;
    const r = [...sig.subarray(4, 4 + rLen)];
    const s = BigInt('0x' + bytesToHex(sig.subarray(6 + rLen, sig.length - 1)));
    const withS = (v: bigint) => Uint8Array.from([...der(r, int(v)), sig[sig.length - 1]!]);
    assert.equal(checkSignatureEncoding(withS(s + N), SCRIPT_VERIFY_LOW_S), ScriptError.SCRIPT_ERR_OK);
    assert.equal(checkSignatureEncoding(withS(N - s), SCRIPT_VERIFY_LOW_S), ScriptError.SCRIPT_ERR_SIG_HIGH_S);
    assert.equal(verify(withWitness(tx, [withS(s + N), pk]), spent), ScriptError.SCRIPT_ERR_SIG_NULLFAIL);
    assert.equal(verify(withWitness(tx, [withS(N - s), pk]), spent), ScriptError.SCRIPT_ERR_SIG_HIGH_S);
    assert.equal(verify(withWitness(tx, [withS(s), pk]), spent), ScriptError.SCRIPT_ERR_OK);
  });
});

describe('ScriptCheckQueue', function () {
  this.timeout(15000);
  let queue: ScriptCheckQueue | undefined;
  after(async () => {
    await queue?.close();
  });

  it('verifies transactions on worker threads, in order, reporting the failing input', async () => {
    const spends = Array.from({ length: 12 }, (_, i) => p2wpkhSpend(secret(40 + i), 10_000n + BigInt(i)));
    const jobs = spends.map((s) => makeScriptCheckJob(s.tx, s.spent, FLAGS));
    // Spend 5 claims a different amount: its signature no longer matches.
    const s5 = spends[5]!;
    jobs[5] = makeScriptCheckJob(s5.tx, [new TxOut(s5.spent[0]!.value + 1n, s5.spent[0]!.scriptPubKey)], FLAGS);
    queue = new ScriptCheckQueue({ workers: 2, batchesPerWorker: 3, minBatchInputs: 1 });
    assert.equal(queue.started, 0, 'no thread before there is work');
    assert.deepEqual(await queue.verify([]), []);
    assert.equal(queue.started, 0);
    const results = await queue.verify(jobs);
    assert.equal(queue.started, 2);
    assert.equal(results.length, 12);
    results.forEach((r, i) => {
      if (i === 5) assert.deepEqual(r, { error: ScriptError.SCRIPT_ERR_SIG_NULLFAIL, input: 0 });
      else assert.deepEqual(r, { error: ScriptError.SCRIPT_ERR_OK, input: -1 });
    });
    // The main-thread routine agrees.
    assert.deepEqual(verifyTransactionScripts(spends[0]!.tx, spends[0]!.spent, FLAGS), { error: ScriptError.SCRIPT_ERR_OK, input: -1 });
    await queue.close();
    await assert.rejects(queue.verify(jobs), /closed/);
    const unused = new ScriptCheckQueue({ workers: 1 });
    await unused.close();
    assert.equal(unused.started, 0, 'closing a queue that never worked starts nothing');
  });
  it('lets the posting thread claim the jobs a worker has not started, and merges both sides in order', async () => {
    const spends = Array.from({ length: 10 }, (_, i) => p2wpkhSpend(secret(80 + i), 20_000n + BigInt(i)));
    const jobs = spends.map((s) => makeScriptCheckJob(s.tx, s.spent, FLAGS));
    const s7 = spends[7]!;
    jobs[7] = makeScriptCheckJob(s7.tx, [new TxOut(s7.spent[0]!.value + 1n, s7.spent[0]!.scriptPubKey)], FLAGS);
    const pool = new ScriptCheckQueue({ workers: 1 });
    try {
      const batch = pool.post(jobs, true);
      const ranHere: number[] = [];
      batch.help((k) => {
        ranHere.push(k);
        return runScriptCheckJob(jobs[k]!);
      });
      const results = await batch.results();
      assert.equal(results.length, 10);
      results.forEach((r, i) => assert.equal(r.error, i === 7 ? ScriptError.SCRIPT_ERR_SIG_NULLFAIL : ScriptError.SCRIPT_ERR_OK, `job ${i}`));
      assert.ok(ranHere.every((k, i) => i === 0 || k > ranHere[i - 1]!), 'claimed in order, each once');
      // The worker's share also waits in shared memory: once it has answered, the same results are there at once.
      assert.deepEqual(batch.resultsNow(), results);
      // A batch the caller does not share is run by the worker alone, and its results come only as a reply.
      const alone = pool.post(jobs.slice(0, 3), false);
      alone.help(() => assert.fail('an unshared batch must not be claimed'));
      assert.deepEqual((await alone.results()).map((r) => r.error), [0, 0, 0]);
      assert.equal(alone.resultsNow(), undefined);
      // Before the caller has helped (or declined to), its share is unknown: no results yet.
      const pending = pool.post(jobs.slice(0, 2), true);
      assert.equal(pending.resultsNow(), undefined);
      pending.closeHelp();
      const worked = await pending.results();
      assert.deepEqual(pending.resultsNow(), worked);
    } finally {
      await pool.close();
    }
  });
  it('cuts jobs into contiguous batches by inputs, never below the minimum', () => {
    const jobs = Array.from({ length: 12 }, (_, i) => {
      const s = p2wpkhSpend(secret(60 + i), 1000n);
      return makeScriptCheckJob(s.tx, s.spent, FLAGS);
    });
    const sizes = (parts: number, min: number) => splitByInputs(jobs, parts, min).map((b) => b.length);
    assert.deepEqual(sizes(6, 1), [2, 2, 2, 2, 2, 2]);
    assert.deepEqual(sizes(6, 4), [4, 4, 4], 'at least 4 inputs per batch');
    assert.deepEqual(sizes(6, 16), [12], 'too few inputs to split');
    assert.deepEqual(splitByInputs(jobs, 6, 5).flat(), jobs, 'order kept');
  });
});
