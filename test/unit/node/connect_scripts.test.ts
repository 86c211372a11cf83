// Script verification inside ConnectBlock: Core's failure texts, the worker pool against -par=1, the signature and
// script-execution caches, the script flags per height, and -assumevalid.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { LOCKTIME_VERIFY_SEQUENCE } from '../../../src/consensus/consensus.js';
import { BlockValidationResult, type BlockValidationState } from '../../../src/consensus/validation.js';
import { createChainParams } from '../../../src/kernel/chainparams.js';
import { BlockHeader } from '../../../src/primitives/block.js';
import { Transaction } from '../../../src/primitives/transaction.js';
import { ScriptCheckQueue, makeScriptCheckJob, runScriptCheckJobCached } from '../../../src/script/check_queue.js';
import { BoundedKeySet, SignatureCache } from '../../../src/script/sigcache.js';
import {
  SCRIPT_VERIFY_CHECKLOCKTIMEVERIFY, SCRIPT_VERIFY_CHECKSEQUENCEVERIFY, SCRIPT_VERIFY_DERSIG, SCRIPT_VERIFY_NONE,
  SCRIPT_VERIFY_NULLDUMMY, SCRIPT_VERIFY_P2SH, SCRIPT_VERIFY_TAPROOT, SCRIPT_VERIFY_WITNESS,
} from '../../../src/script/verify_flags.js';
import { BlockIndex } from '../../../src/node/chain.js';
import { type ConnectBlockResult, connectBlock } from '../../../src/node/connect_block.js';
import { scriptCheckWorkerCount } from '../../../src/node/connect_scripts.js';
import { getBlockProofEquivalentTime, scriptCheckReason, scriptCheckSwitchLogLine } from '../../../src/node/connect_assumevalid.js';
import { getBlockLockTimeFlags, getBlockScriptFlags, isBIP30Enforced, isBIP30Repeat, isBIP30Unspendable } from '../../../src/node/connect_flags.js';
import { ValidationCache, validationCacheBytesFromArg } from '../../../src/node/script_cache.js';
import { hashToHex } from '../../../src/util/hex.js';
import { TestChain, type Utxo, utxosOf } from '../../../bench/lib/connect_chain.js';
import { tamper } from './chain_helpers.js';

const EVAL_FALSE = 'Script evaluated without error but finished with a false/empty top stack element';


function scriptFailureDebug(tx: Transaction, input: number): string {
  const prevout = tx.vin[input]!.prevout;
  return `input ${input} of ${tx.txidHex()} (wtxid ${tx.wtxidHex()}), spending ${hashToHex(prevout.hash)}:${prevout.n}`;
}

function state(r: ConnectBlockResult): BlockValidationState {
  assert.equal(r.ok, false, 'block was accepted');
  return (r as { state: BlockValidationState }).state;
}

function summary(r: ConnectBlockResult): unknown {
  if (!r.ok) return { reason: r.state.getRejectReason(), debug: r.state.getDebugMessage(), result: r.state.getResult() };
  return { undo: r.undo, fees: r.fees, sigops: r.sigops, inputs: r.inputs };
}

/** 101 blocks, then a confirmed fan-out into `perKind` outputs of each spend kind. */
async function funded(perKind: number): Promise<{ chain: TestChain; utxos: Utxo[] }> {
  const chain = await TestChain.create(101);
  const kinds = Array.from({ length: perKind }, () => ['p2wpkh', 'p2pkh', 'p2tr', 'p2tr-script'] as const).flat();
  const fan = chain.spend([chain.matureCoinbases()[0]!], kinds);
  await chain.mine([fan]);
  return { chain, utxos: utxosOf(fan) };
}

/** One-input transactions spending each utxo into a new output of the next kind. */
function spendEach(chain: TestChain, utxos: readonly Utxo[]): Transaction[] {
  const kinds = ['p2tr', 'p2wpkh', 'p2tr-script', 'p2pkh'] as const;
  return utxos.map((u, i) => chain.spend([u], [kinds[i % kinds.length]!]));
}

// One pool of two script threads for the whole file, closed at the end even when a test fails.
let queue: ScriptCheckQueue;
before(() => {
  queue = new ScriptCheckQueue({ workers: 2 });
});
after(async () => {
  await queue.close();
});

describe('connectBlock script checks', () => {
  for (const mode of ['inline (-par=1)', 'worker pool'] as const) {
    it(`reports Core's reason and debug string for a bad ECDSA and a bad Schnorr signature, ${mode}`, async () => {
      const { chain, utxos } = await funded(1);
      const ctx = mode === 'worker pool' ? { scriptQueue: queue } : {};
      // utxos: p2wpkh, p2pkh, p2tr, p2tr-script. The bad input is the second one of its transaction.
      const cases = [
        { inputs: [utxos[2]!, utxos[0]!], message: EVAL_FALSE },
        { inputs: [utxos[1]!, utxos[2]!], message: 'Invalid Schnorr signature' },
      ];
      for (const { inputs, message } of cases) {
        const signed = chain.spend(inputs, ['p2wpkh']);
        // Re-sign over one satoshi less of output, then put back the second input's old (now wrong) signature.
        const resigned = chain.signer.sign(tamper(signed), inputs.map((u) => u.out));
        const badTx = new Transaction({ version: 2, vin: [resigned.vin[0]!, signed.vin[1]!], vout: resigned.vout });
        const { block, index } = chain.makeBlock([badTx]);
        const s = state(await chain.connect(block, index, ctx));
        assert.equal(s.getResult(), BlockValidationResult.BLOCK_CONSENSUS);
        assert.equal(s.getRejectReason(), `block-script-verify-flag-failed (${message})`);
        assert.equal(s.getDebugMessage(), scriptFailureDebug(badTx, 1));
      }
    });
  }

  it('gives the same coins, undo data and results with the worker pool as inline, for valid and invalid blocks', async () => {
    const { chain, utxos } = await funded(10);
    const txs = spendEach(chain, utxos);
    const valid = chain.makeBlock(txs);
    const inline = chain.view.clone();
    const pooled = chain.view.clone();
    const r1 = await connectBlock(valid.block, valid.index, inline, { params: chain.params });
    const r2 = await connectBlock(valid.block, valid.index, pooled, { params: chain.params, scriptQueue: queue });
    assert.ok(r1.ok && r2.ok);
    assert.deepEqual(summary(r2), summary(r1));
    assert.deepEqual(pooled.snapshot(), inline.snapshot());

    // A first chunk of 4 inputs goes to the pool during the transaction loop, the rest in one part per worker at
    // the end; the main thread claims the jobs no worker has started, latest first. Bad transactions early, late or
    // both, alone or two at a time: every way reports the first one in block order.
    for (const badAt of [[13, 33], [33], [5], [17, 25]]) {
      const bad = [...txs];
      for (const i of badAt) bad[i] = tamper(txs[i]!);
      const invalid = chain.makeBlock(bad);
      const f1 = await connectBlock(invalid.block, invalid.index, chain.view.clone(), { params: chain.params });
      for (const scriptChunkInputs of [undefined, 4]) {
        const f2 = await connectBlock(invalid.block, invalid.index, chain.view.clone(), { params: chain.params, scriptQueue: queue, scriptChunkInputs });
        assert.deepEqual(summary(f2), summary(f1));
      }
      assert.equal(state(f1).getDebugMessage(), scriptFailureDebug(bad[badAt[0]!]!, 0));
    }
    const r3 = await connectBlock(valid.block, valid.index, chain.view.clone(), { params: chain.params, scriptQueue: queue, scriptChunkInputs: 4 });
    assert.deepEqual(summary(r3), summary(r1));
  });

  it('keeps a block with fewer checks than the first chunk from the pool: verified here, at once, with the same results', async () => {
    const { chain, utxos } = await funded(1);
    const txs = spendEach(chain, utxos);
    let posts = 0;
    const counting = Object.create(queue) as ScriptCheckQueue;
    counting.post = (...args) => {
      posts++;
      return queue.post(...args);
    };
    const valid = chain.makeBlock(txs);
    const inline = await connectBlock(valid.block, valid.index, chain.view.clone(), { params: chain.params });
    const kept = connectBlock(valid.block, valid.index, chain.view.clone(), { params: chain.params, scriptQueue: counting });
    assert.ok(!(kept instanceof Promise), 'a promise for a block that sent nothing to the pool');
    assert.deepEqual(summary(kept), summary(inline));
    const bad = [...txs];
    bad[2] = tamper(txs[2]!);
    const invalid = chain.makeBlock(bad);
    const failed = connectBlock(invalid.block, invalid.index, chain.view.clone(), { params: chain.params, scriptQueue: counting });
    assert.ok(!(failed instanceof Promise));
    assert.equal(state(failed).getDebugMessage(), scriptFailureDebug(bad[2]!, 0));
    assert.equal(posts, 0);
    // One input more than the first chunk holds, and the pool is used (its results may be joined at once).
    const pooled = connectBlock(valid.block, valid.index, chain.view.clone(), { params: chain.params, scriptQueue: counting, scriptChunkInputs: txs.length - 1 });
    assert.deepEqual(summary(await pooled), summary(inline));
    assert.ok(posts > 0);
  });

  it('prefers an earlier non-script failure (bad-cb-amount) over a queued script failure, as Core', async () => {
    const { chain, utxos } = await funded(1);
    const { block, index } = chain.makeBlock([tamper(chain.spend([utxos[0]!], ['p2tr']))], { coinbaseExtra: 1n });
    assert.equal(state(await chain.connect(block, index, { scriptQueue: queue })).getRejectReason(), 'bad-cb-amount');
    // Inline, the script failure comes first: it stops the loop before the coinbase is checked.
    assert.match(state(await chain.connect(block, index)).getRejectReason(), /^block-script-verify-flag-failed/);
  });

  it('enforces DERSIG from its activation height', async () => {
    const run = async (dersigHeight: number): Promise<ConnectBlockResult> => {
      const chain = await TestChain.create(101, createChainParams('regtest', { testActivationHeight: [`dersig@${dersigHeight}`] }));
      const fan = chain.spend([chain.matureCoinbases()[0]!], ['p2pkh']);
      await chain.mine([fan]);
      const tx = chain.spend(utxosOf(fan), ['p2wpkh']);
      // Pad R with a zero byte: the lax parser still reads the same signature, strict DER rejects it.
      const [sig, pk] = pushesOf(tx.vin[0]!.scriptSig);
      const laxTx = new Transaction({ version: 2, vin: [tx.vin[0]!.withScriptSig(pushScript([padR(sig!), pk!]))], vout: tx.vout });
      const { block, index } = chain.makeBlock([laxTx]);
      return chain.connect(block, index);
    };
    assert.equal(state(await run(1)).getRejectReason(), 'block-script-verify-flag-failed (Non-canonical DER signature)');
    assert.ok((await run(500)).ok, 'non-DER signatures are valid before BIP66');
  });
});

/** The data pushes of a push-only script of direct pushes (< 76 bytes each). */
function pushesOf(script: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < script.length; i += 1 + script[i]!) out.push(script.subarray(i + 1, i + 1 + script[i]!));
  return out;
}

function pushScript(items: Uint8Array[]): Uint8Array {
  return Uint8Array.from(items.flatMap((d) => [d.length, ...d]));
}

/** DER `30 len 02 rlen R 02 slen S hashtype` with one more leading zero byte in R. */
function padR(sig: Uint8Array): Uint8Array {
  const rlen = sig[3]!;
  const r = sig.subarray(4, 4 + rlen);
  const rest = sig.subarray(4 + rlen);
  return Uint8Array.from([0x30, sig[1]! + 1, 0x02, rlen + 1, 0x00, ...r, ...rest]);
}

describe('validation caches in connectBlock', () => {
  for (const mode of ['inline (-par=1)', 'worker pool'] as const) {
    it(`a checked block template fills the script-execution cache and its connection skips every script, ${mode}`, async () => {
      const { chain, utxos } = await funded(3);
      const cache = new ValidationCache();
      const ctx = { validationCache: cache, ...(mode === 'worker pool' ? { scriptQueue: queue } : {}) };
      const txs = spendEach(chain, utxos);
      const { block, index } = chain.makeBlock(txs);

      const check = await chain.connect(block, index, { ...ctx, justCheck: true });
      assert.ok(check.ok);
      assert.equal(check.scriptsChecked, 12);
      assert.equal(cache.scriptExecutionCache.size, txs.length);
      if (mode === 'inline (-par=1)') assert.equal(cache.signatureCache.size, txs.length, 'inline checks store valid signatures');

      const real = await chain.connect(block, index, ctx);
      assert.ok(real.ok);
      assert.equal(real.scriptCacheHits, txs.length);
      assert.equal(real.scriptsChecked, 0);
      // A block uses each entry once: Core erases on a hit when not storing.
      assert.equal(cache.scriptExecutionCache.size, 0);
    });
  }

  it('connecting (not just checking) stores nothing', async () => {
    const { chain, utxos } = await funded(1);
    const cache = new ValidationCache();
    await chain.mine(spendEach(chain, utxos), { validationCache: cache });
    assert.equal(cache.scriptExecutionCache.size, 0);
    assert.equal(cache.signatureCache.size, 0);
  });

  it('a cache entry vouches for a transaction under the same flags only, and a failing transaction is never stored', async () => {
    const { chain, utxos } = await funded(1);
    const cache = new ValidationCache();
    const bad = tamper(chain.spend([utxos[2]!], ['p2wpkh']));
    const { block, index } = chain.makeBlock([bad]);
    assert.equal((await chain.connect(block, index, { validationCache: cache, justCheck: true })).ok, false);
    assert.equal(cache.scriptExecutionCache.size, 0);

    const flags = getBlockScriptFlags(index, chain.params.consensus);
    cache.scriptExecutionCache.insert(cache.scriptExecutionCache.entry(bad.wtxid, flags & ~SCRIPT_VERIFY_DERSIG));
    assert.equal((await chain.connect(block, index, { validationCache: cache })).ok, false, 'other flags: no hit');
    // The cache is trusted: an entry for these flags skips the scripts (which is why it is salted and keyed by wtxid).
    cache.scriptExecutionCache.insert(cache.scriptExecutionCache.entry(bad.wtxid, flags));
    const r = await chain.connect(block, index, { validationCache: cache });
    assert.ok(r.ok && r.scriptCacheHits === 1);
  });
});

describe('script flags and BIP30 per block', () => {
  const main = createChainParams('main').consensus;
  const at = (height: number, hashHex = '11'.repeat(32)) => ({ height, hashHex });
  const base = SCRIPT_VERIFY_P2SH | SCRIPT_VERIFY_WITNESS | SCRIPT_VERIFY_TAPROOT;

  it('adds DERSIG, CLTV, CSV and NULLDUMMY at their mainnet heights', () => {
    assert.equal(getBlockScriptFlags(at(0), main), base);
    assert.equal(getBlockScriptFlags(at(main.BIP66Height - 1), main), base);
    assert.equal(getBlockScriptFlags(at(main.BIP66Height), main), base | SCRIPT_VERIFY_DERSIG);
    assert.equal(getBlockScriptFlags(at(main.BIP65Height), main), base | SCRIPT_VERIFY_DERSIG | SCRIPT_VERIFY_CHECKLOCKTIMEVERIFY);
    const csv = base | SCRIPT_VERIFY_DERSIG | SCRIPT_VERIFY_CHECKLOCKTIMEVERIFY | SCRIPT_VERIFY_CHECKSEQUENCEVERIFY;
    assert.equal(getBlockScriptFlags(at(main.CSVHeight), main), csv);
    assert.equal(getBlockScriptFlags(at(main.SegwitHeight - 1), main), csv);
    assert.equal(getBlockScriptFlags(at(main.SegwitHeight), main), csv | SCRIPT_VERIFY_NULLDUMMY);
  });

  it('enforces BIP68 lock times from the CSV height exactly', () => {
    assert.equal(getBlockLockTimeFlags(at(main.CSVHeight - 1), main), 0);
    assert.equal(getBlockLockTimeFlags(at(main.CSVHeight), main), LOCKTIME_VERIFY_SEQUENCE);
  });

  it('uses the exception flags of the two mainnet blocks that broke P2SH and taproot', () => {
    assert.equal(getBlockScriptFlags(at(170060, '00000000000002dc756eebf4f49723ed8d30cc28a5f108eb94b1ba88ac4f9c22'), main), SCRIPT_VERIFY_NONE);
    const taprootBreaker = at(692261, '0000000000000000000f14c35b2d841e986ab5441de8c585d5ffe55ea1e395ad');
    const expected = SCRIPT_VERIFY_P2SH | SCRIPT_VERIFY_WITNESS | SCRIPT_VERIFY_DERSIG | SCRIPT_VERIFY_CHECKLOCKTIMEVERIFY
      | SCRIPT_VERIFY_CHECKSEQUENCEVERIFY | SCRIPT_VERIFY_NULLDUMMY;
    assert.equal(getBlockScriptFlags(taprootBreaker, main), expected);
  });

  it('knows the BIP30 repeats and the outputs they overwrote', () => {
    assert.ok(isBIP30Repeat(at(91842, '00000000000a4d0a398161ffc163c503763b1f4360639393e0e4c8e300e0caec')));
    assert.ok(isBIP30Repeat(at(91880, '00000000000743f190a18c5577a3c2d2a1f610ae9601ac046a38084ccb7cd721')));
    assert.ok(!isBIP30Repeat(at(91843, '00000000000a4d0a398161ffc163c503763b1f4360639393e0e4c8e300e0caec')));
    assert.ok(isBIP30Unspendable(at(91722, '00000000000271a2dc26e7667f8419f2e15416dc6955e5a6c6cdf3f2574dd08e')));
    assert.ok(isBIP30Unspendable(at(91812, '00000000000af0aed4792b1acee3d966af36cf5def14935db8de83d6f9306f2f')));
    assert.ok(!isBIP30Unspendable(at(91812, '00000000000271a2dc26e7667f8419f2e15416dc6955e5a6c6cdf3f2574dd08e')));
  });

  it('checks BIP30 off the BIP34 chain, skips it on it, and checks again from height 1,983,702', () => {
    const bip34 = { hash: main.BIP34Hash };
    const other = { hash: new Uint8Array(32).fill(1) };
    assert.equal(isBIP30Enforced(at(300_000), bip34, main), false);
    assert.equal(isBIP30Enforced(at(300_000), other, main), true);
    assert.equal(isBIP30Enforced(at(100_000), undefined, main), true);
    assert.equal(isBIP30Enforced(at(1_983_701), bip34, main), false);
    assert.equal(isBIP30Enforced(at(1_983_702), bip34, main), true);
    assert.equal(isBIP30Enforced(at(91842, '00000000000a4d0a398161ffc163c503763b1f4360639393e0e4c8e300e0caec'), undefined, main), false);
  });
});

describe('-assumevalid', () => {
  const params = createChainParams('regtest');
  /** Headers only: `n` blocks on `from`, 600 s apart (regtest work: 2 per block, i.e. 600 s of proof each). */
  function headers(from: BlockIndex, n: number, salt = 0): BlockIndex[] {
    const out: BlockIndex[] = [];
    let prev = from;
    for (let i = 0; i < n; i++) {
      const merkle = new Uint8Array(32);
      merkle[0] = salt;
      const h = new BlockHeader({ version: 4, hashPrevBlock: prev.hash, hashMerkleRoot: merkle, time: prev.time + 600, bits: 0x207fffff, nonce: i });
      prev = new BlockIndex(h, prev);
      out.push(prev);
    }
    return out;
  }
  const genesis = new BlockIndex(params.genesis.header, undefined);
  const chain = headers(genesis, 2100);
  const fork = headers(chain[9]!, 5, 7);
  const byHex = new Map([...chain, ...fork].map((b) => [b.hashHex, b]));
  const ctx = (assumed: BlockIndex | Uint8Array, best: BlockIndex | undefined, minimumChainWork = 0n) => ({
    hash: assumed instanceof Uint8Array ? assumed : assumed.hash,
    lookup: (hex: string) => byHex.get(hex),
    bestHeader: best,
    minimumChainWork,
  });
  const tip = chain[chain.length - 1]!;

  it("gives Core's reason for every case where scripts must still be checked", () => {
    const block = chain[49]!;
    assert.equal(scriptCheckReason(block, undefined, params.consensus), 'assumevalid=0 (always verify)');
    assert.equal(scriptCheckReason(block, ctx(new Uint8Array(32), tip), params.consensus), 'assumevalid=0 (always verify)');
    assert.equal(scriptCheckReason(block, ctx(new Uint8Array(32).fill(5), tip), params.consensus), 'assumevalid hash not in headers');
    assert.equal(scriptCheckReason(chain[60]!, ctx(chain[59]!, tip), params.consensus), 'block height above assumevalid height');
    assert.equal(scriptCheckReason(fork[0]!, ctx(tip, tip), params.consensus), 'block not in assumevalid chain');
    assert.equal(scriptCheckReason(block, ctx(tip, fork[4]!), params.consensus), 'block not in best header chain');
    assert.equal(scriptCheckReason(block, ctx(tip, tip, tip.chainWork + 1n), params.consensus), 'best header chainwork below minimumchainwork');
    // Two weeks of proof: 2016 regtest blocks. At exactly two weeks it is still too recent.
    assert.equal(scriptCheckReason(chain[tip.height - 2016 - 1]!, ctx(tip, tip), params.consensus), 'block too recent relative to best header');
    assert.equal(scriptCheckReason(chain[tip.height - 2017 - 1]!, ctx(tip, tip), params.consensus), null);
    assert.equal(scriptCheckReason(block, ctx(chain[60]!, tip, tip.chainWork), params.consensus), null);
  });

  it('measures proof in seconds of block production, signed', () => {
    assert.equal(getBlockProofEquivalentTime(tip, chain[99]!, tip, params.consensus), BigInt((tip.height - 100) * 600));
    assert.equal(getBlockProofEquivalentTime(chain[99]!, tip, tip, params.consensus), -BigInt((tip.height - 100) * 600));
  });

  it("logs Core's line when script checking switches on or off", () => {
    assert.equal(scriptCheckSwitchLogLine(undefined, 'assumevalid=0 (always verify)', chain[4]!), `Enabling script verification at block #5 (${chain[4]!.hashHex}): assumevalid=0 (always verify).`);
    assert.equal(scriptCheckSwitchLogLine('x', null, chain[4]!), `Disabling script verification at block #5 (${chain[4]!.hashHex}).`);
    assert.equal(scriptCheckSwitchLogLine(null, null, chain[4]!), undefined);
  });

  it('skips the scripts of an assumed-valid ancestor, and only those', async () => {
    const test = await funded(1);
    const bad = tamper(test.chain.spend([test.utxos[2]!], ['p2wpkh']));
    const { block, index } = test.chain.makeBlock([bad]);
    const above = headers(index, 2100);
    const lookup = new Map([index, ...above].map((b) => [b.hashHex, b]));
    const av = { hash: above[2050]!.hash, lookup: (h: string) => lookup.get(h), bestHeader: above[2099]!, minimumChainWork: 0n };
    // Best header less than two weeks of work above: verified, and rejected.
    const recent = { ...av, bestHeader: above[2000]! };
    assert.match(state(await test.chain.connect(block, index, { assumeValid: recent })).getRejectReason(), /^block-script-verify-flag-failed/);
    const r = await test.chain.connect(block, index, { assumeValid: av });
    assert.ok(r.ok, 'scripts skipped');
    assert.equal(r.scriptCheckReason, null);
    assert.equal(r.scriptsChecked, 0);
  });
});

describe('-maxsigcachesize', () => {
  it('splits the size evenly between the two caches, sized in 32-byte entries, and logs as Core', () => {
    assert.deepEqual(validationCacheBytesFromArg(undefined), { scriptExecutionCacheBytes: 16 << 20, signatureCacheBytes: 16 << 20 });
    assert.deepEqual(validationCacheBytesFromArg(5), { scriptExecutionCacheBytes: 5 * (1 << 19), signatureCacheBytes: 5 * (1 << 19) });
    assert.deepEqual(validationCacheBytesFromArg(-3), { scriptExecutionCacheBytes: 0, signatureCacheBytes: 0 });
    const { scriptExecutionCacheBytes, signatureCacheBytes } = validationCacheBytesFromArg(undefined);
    const cache = new ValidationCache(scriptExecutionCacheBytes, signatureCacheBytes);
    assert.equal(cache.scriptExecutionCache.maxEntries, 524288);
    assert.deepEqual(cache.setupLogLines(scriptExecutionCacheBytes, signatureCacheBytes), [
      'Using 16 MiB out of 16 MiB requested for signature cache, able to store 524288 elements',
      'Using 16 MiB out of 16 MiB requested for script execution cache, able to store 524288 elements',
    ]);
    assert.equal(new ValidationCache(0, 0).signatureCache.maxEntries, 2);
  });
});

describe('-par', () => {
  it('counts the main thread among the script threads, as Core', () => {
    assert.equal(scriptCheckWorkerCount(1, 8), 0);
    assert.equal(scriptCheckWorkerCount(2, 8), 1);
    assert.equal(scriptCheckWorkerCount(0, 8), 7, '0: one thread per core');
    assert.equal(scriptCheckWorkerCount(-2, 8), 5, '-2: leave two cores free');
    assert.equal(scriptCheckWorkerCount(-9, 8), 0);
    assert.equal(scriptCheckWorkerCount(100, 8), 15, 'at most MAX_SCRIPTCHECK_THREADS workers');
  });
});

describe('signature cache', () => {
  it('holds a bounded number of entries, evicting the oldest, and erases on a consuming hit', () => {
    const set = new BoundedKeySet(3 * 32);
    assert.equal(set.maxEntries, 3);
    for (const k of ['a', 'b', 'c', 'd']) set.insert(k);
    assert.deepEqual(['a', 'b', 'c', 'd'].map((k) => set.contains(k, false)), [false, true, true, true]);
    assert.ok(set.contains('b', true));
    assert.ok(!set.contains('b', false));
    assert.equal(new BoundedKeySet(0).maxEntries, 2, "Core's cuckoo cache keeps at least 2 entries");
  });

  it('keys ECDSA and Schnorr entries apart, and each cache by its own salt', () => {
    const a = new SignatureCache(1 << 16);
    const b = new SignatureCache(1 << 16);
    const [h, sig, pk] = [new Uint8Array(32).fill(1), new Uint8Array(64).fill(2), new Uint8Array(32).fill(3)];
    assert.notEqual(a.entryECDSA(h, sig, pk), a.entrySchnorr(h, sig, pk));
    assert.notEqual(a.entryECDSA(h, sig, pk), b.entryECDSA(h, sig, pk));
    assert.equal(a.entryECDSA(h, sig, pk), a.entryECDSA(h, sig, pk));
    assert.equal(a.entryECDSA(h, sig, pk).length, 32);
  });

  it('in a worker job: stores valid signatures when asked, and consumes them otherwise', async () => {
    const { chain, utxos } = await funded(1);
    const tx = chain.spend(utxos, ['p2wpkh']);
    const cache = new SignatureCache(1 << 16);
    const spent = utxos.map((u) => u.out);
    const flags = getBlockScriptFlags({ height: 200, hashHex: '' }, chain.params.consensus);
    assert.equal(runScriptCheckJobCached(makeScriptCheckJob(tx, spent, flags, false), cache).input, -1);
    assert.equal(cache.size, 0);
    assert.equal(runScriptCheckJobCached(makeScriptCheckJob(tx, spent, flags, true), cache).input, -1);
    // One ECDSA signature each for P2WPKH and P2PKH, one Schnorr signature each for the two taproot inputs.
    assert.equal(cache.size, 4);
    runScriptCheckJobCached(makeScriptCheckJob(tx, spent, flags, false), cache);
    assert.equal(cache.size, 0);
    // A transaction with wrong signatures fails and leaves nothing behind.
    const bad = tamper(tx);
    assert.notEqual(runScriptCheckJobCached(makeScriptCheckJob(bad, spent, flags, true), cache).input, -1);
    assert.equal(cache.size, 0, 'invalid signatures are never stored');
  });

  it('a template check leaves the view where it was', async () => {
    const { chain, utxos } = await funded(1);
    const { block, index } = chain.makeBlock(spendEach(chain, utxos));
    const view = chain.view.clone();
    const before = view.snapshot();
    const r = await connectBlock(block, index, view, { params: chain.params, justCheck: true });
    assert.ok(r.ok);
    assert.equal(hashToHex(view.getBestBlock()), chain.tip.hashHex);
    assert.notDeepEqual(view.snapshot(), before, 'the coins changed (a template check runs on a throw-away view)');
  });
});
