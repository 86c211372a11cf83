// CheckBlock and the contextual block checks on the genesis blocks and on mutated, constructed regtest blocks.

import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import {
  checkBlock,
  contextualCheckBlock,
  contextualCheckBlockHeader,
  getWitnessCommitmentIndex,
  isBlockMutated,
  merkleRootOfBlock,
  witnessMerkleRootOfBlock,
} from '../../../src/consensus/block_check.js';
import type { ChainEntry } from '../../../src/consensus/chain_entry.js';
import { checkProofOfWork } from '../../../src/consensus/pow.js';
import { BlockValidationResult, BlockValidationState } from '../../../src/consensus/validation.js';
import { CHAIN_TYPES, createChainParams } from '../../../src/kernel/chainparams.js';
import { Block, BlockHeader } from '../../../src/primitives/block.js';
import { hash256 } from '../../../src/crypto/sha256.js';
import { OutPoint, Transaction, TxIn, TxOut } from '../../../src/primitives/transaction.js';
import { pushIntBytes } from '../../../src/script/script.js';
import { hashToHex } from '../../../src/util/hex.js';

const regtest = createChainParams('regtest');
const params = regtest.consensus;
const T0 = 1_700_000_000;
const OP_TRUE = Uint8Array.of(0x51);

/** Regtest chain entries 0..n-1, 600 s apart. */
function chain(n: number): ChainEntry {
  let tip: ChainEntry | undefined;
  for (let h = 0; h < n; h++) tip = { height: h, time: T0 + 600 * h, bits: 0x207fffff, prev: tip };
  return tip!;
}

function coinbase(height: number, opts: { witnessNonce?: Uint8Array[]; extraOut?: TxOut[]; scriptSig?: Uint8Array } = {}): Transaction {
  const scriptSig = opts.scriptSig ?? Uint8Array.from([...pushIntBytes(height), 0x00]);
  return new Transaction({
    version: 2,
    vin: [new TxIn({ prevout: new OutPoint(), scriptSig, witness: opts.witnessNonce ?? [] })],
    vout: [new TxOut(50n * 100_000_000n, OP_TRUE), ...(opts.extraOut ?? [])],
  });
}

function spendTx(seed: number, opts: { witness?: Uint8Array[]; lockTime?: number; sequence?: number } = {}): Transaction {
  return new Transaction({
    version: 2,
    lockTime: opts.lockTime ?? 0,
    vin: [new TxIn({ prevout: new OutPoint(new Uint8Array(32).fill(seed), 0), sequence: opts.sequence ?? 0xffffffff, witness: opts.witness ?? [] })],
    vout: [new TxOut(1000n, OP_TRUE)],
  });
}

/** Grinds the nonce until the regtest target (0x207fffff, about every other hash) is met. */
function mine(vtx: Transaction[], prev: ChainEntry, opts: { time?: number; version?: number; bits?: number; merkle?: Uint8Array } = {}): Block {
  const root = opts.merkle ?? merkleRootOfBlock(new Block(new BlockHeader(), vtx)).root;
  for (let nonce = 0; ; nonce++) {
    const header = new BlockHeader({
      version: opts.version ?? 0x20000000,
      hashPrevBlock: new Uint8Array(32),
      hashMerkleRoot: root,
      time: opts.time ?? prev.time + 600,
      bits: opts.bits ?? 0x207fffff,
      nonce,
    });
    if (checkProofOfWork(header.hash, header.bits, params)) return new Block(header, vtx);
  }
}

/** A coinbase with a valid BIP141 commitment to the given other transactions. */
function witnessBlock(height: number, others: Transaction[], prev: ChainEntry, nonce = new Uint8Array(32)): Block {
  const draft = new Block(new BlockHeader(), [coinbase(height), ...others]);
  const commitment = hash256(Uint8Array.from([...witnessMerkleRootOfBlock(draft), ...nonce]));
  const script = Uint8Array.from([0x6a, 0x24, 0xaa, 0x21, 0xa9, 0xed, ...commitment]);
  const cb = coinbase(height, { witnessNonce: [nonce], extraOut: [new TxOut(0n, script)] });
  return mine([cb, ...others], prev);
}

function check(block: Block, opts: Parameters<typeof checkBlock>[3] = {}): BlockValidationState {
  const state = new BlockValidationState();
  checkBlock(block, state, params, opts);
  return state;
}

describe('CheckBlock', () => {
  for (const chain of CHAIN_TYPES) {
    it(`accepts the ${chain} genesis block`, () => {
      const p = createChainParams(chain);
      const state = new BlockValidationState();
      const ok = checkBlock(p.genesis, state, p.consensus, { checkSignetSolution: () => true });
      assert.ok(ok, state.toString());
      assert.ok(!isBlockMutated(p.genesis, false));
    });
  }

  it('high-hash: a genesis block with another nonce', () => {
    const main = createChainParams('main');
    const g = main.genesis;
    const bad = new Block(new BlockHeader({ ...g.header, nonce: g.header.nonce + 1 }), g.vtx);
    const state = new BlockValidationState();
    assert.equal(checkBlock(bad, state, main.consensus), false);
    assert.equal(state.getResult(), BlockValidationResult.BLOCK_INVALID_HEADER);
    assert.equal(state.toString(), 'high-hash, proof of work failed');
    assert.ok(checkBlock(bad, new BlockValidationState(), main.consensus, { checkPow: false }));
  });

  it('bad-txnmrklroot: transactions that do not match the header', () => {
    const block = mine([coinbase(1), spendTx(1)], chain(1));
    const swapped = new Block(block.header, [block.vtx[0]!, spendTx(2)]);
    const state = check(swapped, { checkPow: false });
    assert.equal(state.getResult(), BlockValidationResult.BLOCK_MUTATED);
    assert.equal(state.toString(), 'bad-txnmrklroot, hashMerkleRoot mismatch');
    assert.ok(isBlockMutated(swapped, false));
    assert.ok(check(swapped, { checkPow: false, checkMerkleRoot: false }).isValid());
  });

  it('bad-txns-duplicate: a repeated last transaction keeps the root (CVE-2012-2459)', () => {
    const txs = [coinbase(1), spendTx(1), spendTx(2)];
    const honest = mine(txs, chain(1));
    const dup = new Block(honest.header, [...txs, txs[2]!]);
    assert.deepEqual(merkleRootOfBlock(dup).root, honest.header.hashMerkleRoot);
    assert.ok(check(honest).isValid());
    const state = check(dup);
    assert.equal(state.getResult(), BlockValidationResult.BLOCK_MUTATED);
    assert.equal(state.toString(), 'bad-txns-duplicate, duplicate transaction');
  });

  it('bad-blk-length: no transactions', () => {
    const state = check(mine([], chain(1)));
    assert.equal(state.getRejectReason(), 'bad-blk-length');
    assert.equal(state.getDebugMessage(), 'size limits failed');
  });

  it('bad-cb-missing and bad-cb-multiple', () => {
    assert.equal(check(mine([spendTx(1)], chain(1))).toString(), 'bad-cb-missing, first tx is not coinbase');
    assert.equal(check(mine([coinbase(1), coinbase(2)], chain(1))).toString(), 'bad-cb-multiple, more than one coinbase');
  });

  it('a CheckTransaction failure is reported with the tx hash', () => {
    const bad = new Transaction({ vin: [new TxIn({ prevout: new OutPoint(new Uint8Array(32).fill(3), 0) })], vout: [new TxOut(-5n, OP_TRUE)] });
    const state = check(mine([coinbase(1), bad], chain(1)));
    assert.equal(state.getResult(), BlockValidationResult.BLOCK_CONSENSUS);
    assert.equal(state.getRejectReason(), 'bad-txns-vout-negative');
    assert.equal(state.getDebugMessage(), `Transaction check failed (tx hash ${hashToHex(bad.txid)}) `);
  });

  it('bad-blk-sigops: more than 20000 legacy sigops', () => {
    const sigops = new Uint8Array(10001).fill(0xac);
    const heavy = new Transaction({ vin: [new TxIn({ prevout: new OutPoint(new Uint8Array(32).fill(4), 0) })], vout: [new TxOut(1n, sigops), new TxOut(1n, sigops)] });
    assert.equal(check(mine([coinbase(1), heavy], chain(1))).toString(), 'bad-blk-sigops, out-of-bounds SigOpCount');
    const light = new Transaction({ vin: heavy.vin, vout: [new TxOut(1n, new Uint8Array(20000).fill(0xac))] });
    assert.ok(check(mine([coinbase(1), light], chain(1))).isValid());
  });

  it('bad-blk-length: stripped size exactly at the limit passes, one byte over fails', () => {
    // One transaction padded with a large zero-filled (sigop-free) output script, tuned so the block's stripped
    // size is exactly MAX_BLOCK_WEIGHT / 4 = 1,000,000 bytes, then one byte more.
    const sized = (extra: number) => {
      const draft = (n: number) =>
        new Transaction({ vin: [new TxIn({ prevout: new OutPoint(new Uint8Array(32).fill(8), 0) })], vout: [new TxOut(1n, new Uint8Array(n))] });
      const probe = mine([coinbase(1), draft(990_000)], chain(1)).getStrippedSize();
      return mine([coinbase(1), draft(990_000 + 1_000_000 - probe + extra)], chain(1));
    };
    const atLimit = sized(0);
    assert.equal(atLimit.getStrippedSize(), 1_000_000);
    assert.ok(check(atLimit).isValid(), check(atLimit).toString());
    const over = sized(1);
    assert.equal(over.getStrippedSize(), 1_000_001);
    assert.equal(check(over).toString(), 'bad-blk-length, size limits failed');
  });

  it('IsBlockMutated: without a coinbase, any 64-byte transaction makes the block mutated', () => {
    // 60 bytes of fixed fields with one input and one output, plus the output script's length.
    const sized = (spkLen: number, seed = 9) =>
      new Transaction({ vin: [new TxIn({ prevout: new OutPoint(new Uint8Array(32).fill(seed), 0) })], vout: [new TxOut(1n, new Uint8Array(spkLen).fill(0x51))] });
    const tx64 = sized(4);
    const tx65 = sized(5);
    assert.equal(tx64.getStrippedSize(), 64);
    assert.equal(tx65.getStrippedSize(), 65);
    const withRoot = (vtx: Transaction[]) => new Block(new BlockHeader({ hashMerkleRoot: merkleRootOfBlock(new Block(new BlockHeader(), vtx)).root }), vtx);
    assert.ok(isBlockMutated(withRoot([tx64]), false));
    assert.ok(isBlockMutated(withRoot([tx65, tx64]), true), 'any position counts, not only the first');
    assert.ok(!isBlockMutated(withRoot([tx65]), false));
    assert.ok(!isBlockMutated(withRoot([tx65, sized(6, 10)]), false));
    // With a coinbase first the rule is not applied (Core neglects the 224-bit-work case).
    assert.ok(!isBlockMutated(withRoot([coinbase(1), tx64]), false));
  });

  it('signet blocks go through the solution check (the genesis block needs none), which a caller may replace', () => {
    const signet = createChainParams('signet');
    assert.equal(checkBlock(signet.genesis, new BlockValidationState(), signet.consensus), true);
    const state = new BlockValidationState();
    assert.equal(checkBlock(signet.genesis, state, signet.consensus, { checkSignetSolution: () => false }), false);
    assert.equal(state.toString(), 'bad-signet-blksig, signet block signature validation failure');
  });
});

describe('ContextualCheckBlockHeader', () => {
  const prev = chain(20);
  const now = prev.time + 600;
  const header = (f: Partial<ConstructorParameters<typeof BlockHeader>[0]>) =>
    new BlockHeader({ version: 0x20000000, time: prev.time + 1, bits: 0x207fffff, ...f });
  const run = (h: BlockHeader, p = params, at = now) => {
    const state = new BlockValidationState();
    contextualCheckBlockHeader(h, state, prev, p, at);
    return state;
  };

  it('accepts a well-formed next header', () => {
    assert.ok(run(header({})).isValid());
  });
  it('bad-diffbits', () => {
    const s = run(header({ bits: 0x1d00ffff }));
    assert.equal(s.getResult(), BlockValidationResult.BLOCK_INVALID_HEADER);
    assert.equal(s.toString(), 'bad-diffbits, incorrect proof of work');
  });
  it('time-too-old: not after the median time past', () => {
    // Median time past of block 19 is time(14).
    assert.equal(run(header({ time: T0 + 600 * 14 })).toString(), "time-too-old, block's timestamp is too early");
    assert.ok(run(header({ time: T0 + 600 * 14 + 1 })).isValid());
  });
  it('time-too-new: more than two hours ahead', () => {
    const s = run(header({ time: now + 7201 }));
    assert.equal(s.getResult(), BlockValidationResult.BLOCK_TIME_FUTURE);
    assert.equal(s.toString(), 'time-too-new, block timestamp too far in the future');
    assert.ok(run(header({ time: now + 7200 })).isValid());
  });
  it('bad-version once BIP34/66/65 are active', () => {
    assert.equal(run(header({ version: 1 })).toString(), 'bad-version(0x00000001), rejected nVersion=0x00000001 block');
    assert.equal(run(header({ version: 3 })).getRejectReason(), 'bad-version(0x00000003)');
    assert.equal(run(header({ version: -1 })).getRejectReason(), 'bad-version(0xffffffff)');
    assert.ok(run(header({ version: 4 })).isValid());
    const late = createChainParams('regtest', { testActivationHeight: ['bip34@100', 'dersig@100', 'cltv@100'] }).consensus;
    assert.ok(run(header({ version: 1 }), late).isValid());
  });
  it('time-timewarp-attack with BIP94 at a difficulty adjustment block', () => {
    const bip94 = createChainParams('regtest', { test: ['bip94'] }).consensus;
    let tip: ChainEntry | undefined;
    for (let h = 0; h < 144; h++) tip = { height: h, time: T0 + 600 * h, bits: 0x207fffff, prev: tip };
    const early = new BlockHeader({ version: 4, time: tip!.time - 601, bits: 0x207fffff });
    // Keep it after the median time past so only the timewarp rule can fail.
    assert.ok(early.time > T0 + 600 * 138);
    const state = new BlockValidationState();
    assert.equal(contextualCheckBlockHeader(early, state, tip!, bip94, tip!.time), false);
    assert.equal(state.toString(), "time-timewarp-attack, block's timestamp is too early on diff adjustment block");
    const fine = new BlockHeader({ version: 4, time: tip!.time - 600, bits: 0x207fffff });
    assert.ok(contextualCheckBlockHeader(fine, new BlockValidationState(), tip!, bip94, tip!.time));
    assert.ok(contextualCheckBlockHeader(early, new BlockValidationState(), tip!, params, tip!.time));
  });
});

describe('ContextualCheckBlock', () => {
  const prev = chain(20);
  const height = 20;
  const run = (block: Block, p = params, parent: ChainEntry | undefined = prev) => {
    const state = new BlockValidationState();
    contextualCheckBlock(block, state, parent, p);
    return state;
  };

  it('accepts a block with the height in its coinbase and no witness data', () => {
    assert.ok(run(mine([coinbase(height), spendTx(1)], prev)).isValid());
  });

  it('bad-cb-height', () => {
    const s = run(mine([coinbase(height + 1), spendTx(1)], prev));
    assert.equal(s.toString(), 'bad-cb-height, block height mismatch in coinbase');
    const genesisStyle = mine([coinbase(0, { scriptSig: Uint8Array.of(0x51, 0x51) })], prev);
    assert.equal(run(genesisStyle).getRejectReason(), 'bad-cb-height');
    // Before BIP34 anything goes.
    const noBip34 = createChainParams('regtest', { testActivationHeight: ['bip34@1000'] }).consensus;
    assert.ok(run(mine([coinbase(height + 1)], prev), noBip34).isValid());
  });

  it('bad-txns-nonfinal, judged by median time past once CSV is active (BIP113)', () => {
    const mtp = T0 + 600 * 14;
    const timeLocked = spendTx(1, { lockTime: mtp, sequence: 0 });
    const block = mine([coinbase(height), timeLocked], prev, { time: mtp + 5000 });
    assert.equal(run(block).toString(), 'bad-txns-nonfinal, non-final transaction');
    const unlocked = mine([coinbase(height), spendTx(1, { lockTime: mtp - 1, sequence: 0 })], prev);
    assert.ok(run(unlocked).isValid());
    // Without CSV the block's own time is the cutoff.
    const noCsv = createChainParams('regtest', { testActivationHeight: ['csv@1000'] }).consensus;
    assert.ok(run(block, noCsv).isValid());
    const heightLocked = spendTx(2, { lockTime: height, sequence: 0 });
    assert.equal(run(mine([coinbase(height), heightLocked], prev)).getRejectReason(), 'bad-txns-nonfinal');
  });

  it('accepts a valid witness commitment', () => {
    const block = witnessBlock(height, [spendTx(1, { witness: [Uint8Array.of(1, 2, 3)] })], prev);
    assert.equal(getWitnessCommitmentIndex(block), 1);
    assert.ok(run(block).isValid());
    assert.ok(check(block).isValid());
    assert.ok(!isBlockMutated(block, true));
  });

  it('bad-witness-nonce-size', () => {
    const block = witnessBlock(height, [spendTx(1, { witness: [Uint8Array.of(1)] })], prev);
    const cb = block.vtx[0]!.toMutable();
    cb.setWitness(0, [new Uint8Array(31)]);
    const bad = mine([cb.toTransaction(), block.vtx[1]!], prev);
    const s = run(bad);
    assert.equal(s.getResult(), BlockValidationResult.BLOCK_MUTATED);
    assert.equal(s.toString(), 'bad-witness-nonce-size, CheckWitnessMalleation : invalid witness reserved value size');
  });

  it('bad-witness-merkle-match', () => {
    const good = witnessBlock(height, [spendTx(1, { witness: [Uint8Array.of(1)] })], prev);
    const tampered = mine([good.vtx[0]!, spendTx(1, { witness: [Uint8Array.of(2)] })], prev);
    const s = run(tampered);
    assert.equal(s.toString(), 'bad-witness-merkle-match, CheckWitnessMalleation : witness merkle commitment mismatch');
    assert.ok(isBlockMutated(tampered, true));
  });

  it('unexpected-witness without a commitment or before segwit', () => {
    const block = mine([coinbase(height), spendTx(1, { witness: [Uint8Array.of(1)] })], prev);
    assert.equal(run(block).toString(), 'unexpected-witness, CheckWitnessMalleation : unexpected witness data found');
    const committed = witnessBlock(height, [spendTx(1, { witness: [Uint8Array.of(1)] })], prev);
    const noSegwit = createChainParams('regtest', { testActivationHeight: ['segwit@1000'] }).consensus;
    assert.equal(run(committed, noSegwit).getRejectReason(), 'unexpected-witness');
  });

  it('bad-blk-weight once the witness is verified', () => {
    const fat = spendTx(1, { witness: [new Uint8Array(4_000_000)] });
    const block = witnessBlock(height, [fat], prev);
    assert.ok(check(block).isValid(), 'CheckBlock ignores witness bytes');
    assert.equal(run(block).toString(), 'bad-blk-weight, ContextualCheckBlock : weight limit failed');
  });

  it('bad-blk-weight: exactly MAX_BLOCK_WEIGHT passes, one unit more fails', () => {
    // Each witness byte weighs 1, so the witness item is tuned to land on the limit (its length prefix stays 5 bytes).
    const withWitnessBytes = (n: number) => witnessBlock(height, [spendTx(1, { witness: [new Uint8Array(n)] })], prev);
    const probe = withWitnessBytes(3_900_000).getWeight();
    const atLimit = withWitnessBytes(3_900_000 + 4_000_000 - probe);
    assert.equal(atLimit.getWeight(), 4_000_000);
    assert.ok(run(atLimit).isValid(), run(atLimit).toString());
    const over = withWitnessBytes(3_900_000 + 4_000_000 - probe + 1);
    assert.equal(over.getWeight(), 4_000_001);
    assert.equal(run(over).toString(), 'bad-blk-weight, ContextualCheckBlock : weight limit failed');
  });

  it('the genesis block passes with no parent', () => {
    const g = createChainParams('main');
    assert.ok(run(g.genesis, g.consensus, undefined).isValid());
  });
});

describe('what the block checks keep (Core fChecked, m_checked_merkle_root, m_checked_witness_commitment)', () => {
  const prev = chain(200);
  const height = prev.height + 1;

  it('a block that passed CheckBlock passes again under the same rules, and is checked anew under others', () => {
    const block = mine([coinbase(height)], prev);
    assert.ok(check(block).isValid());
    assert.equal(block.checkedUnder, params);
    assert.ok(check(block).isValid());
    // Under mainnet's target the same block is checked again, and its regtest proof of work fails there.
    const main = createChainParams('main').consensus;
    const state = new BlockValidationState();
    assert.equal(checkBlock(block, state, main), false);
    assert.equal(state.getRejectReason(), 'high-hash');
  });

  it('a check without proof of work or merkle root does not vouch for the block', () => {
    const block = mine([coinbase(height)], prev);
    assert.ok(check(block, { checkPow: false, checkMerkleRoot: false }).isValid());
    assert.equal(block.checkedUnder, undefined);
  });

  it('a header over an already checked transaction list is still held to its merkle root and proof of work', () => {
    const good = mine([coinbase(height)], prev);
    assert.ok(check(good).isValid());
    const wrongRoot = new Block(new BlockHeader({ ...good.header, hashMerkleRoot: new Uint8Array(32).fill(7) }), good.vtx);
    assert.equal(wrongRoot.vtx, good.vtx, 'the list is shared');
    assert.equal(check(wrongRoot, { checkPow: false }).getRejectReason(), 'bad-txnmrklroot');
    let badPow: Block | undefined;
    for (let nonce = good.header.nonce + 1; badPow === undefined; nonce++) {
      const h = new BlockHeader({ ...good.header, nonce });
      if (!checkProofOfWork(h.hash, h.bits, params)) badPow = new Block(h, good.vtx);
    }
    assert.equal(check(badPow).getRejectReason(), 'high-hash');
  });

  it('a failing transaction list fails every time', () => {
    const twoCoinbases = mine([coinbase(height), coinbase(height + 1)], prev);
    assert.equal(check(twoCoinbases).getRejectReason(), 'bad-cb-multiple');
    assert.equal(check(twoCoinbases).getRejectReason(), 'bad-cb-multiple');
    assert.equal(twoCoinbases.checkedUnder, undefined);
  });

  it('a matched witness commitment holds for the list; another list is checked on its own', () => {
    const others = [spendTx(1, { witness: [Uint8Array.of(1, 2, 3)] })];
    const block = witnessBlock(height, others, prev);
    const state = new BlockValidationState();
    assert.ok(contextualCheckBlock(block, state, prev, params), state.toString());
    assert.ok(contextualCheckBlock(block, new BlockValidationState(), prev, params));
    // The same coinbase over other transactions: its commitment no longer matches.
    const swapped = mine([block.vtx[0]!, spendTx(2, { witness: [Uint8Array.of(4)] })], prev);
    const bad = new BlockValidationState();
    assert.equal(contextualCheckBlock(swapped, bad, prev, params), false);
    assert.equal(bad.getRejectReason(), 'bad-witness-merkle-match');
  });

  it('the merkle root of a list is the same however often it is asked for', () => {
    const block = mine([coinbase(height), spendTx(3), spendTx(4)], prev);
    const first = merkleRootOfBlock(block);
    assert.equal(merkleRootOfBlock(new Block(block.header, block.vtx)), first);
    assert.equal(hashToHex(first.root), hashToHex(block.header.hashMerkleRoot));
  });
});
