// The node's BlockTemplate over a real unix socket on the fake chainstate: the template's fields as Core computes
// them, submitSolution (mutating the template even when rejected), and waitNext (tip change, timeout, interruptWait,
// fee threshold through an injected mempool, the 20-minute rule of test chains).
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'mocha';
import { merkleRootOfBlock } from '../../../src/consensus/block_check.js';
import { computeMerkleRootFromPath } from '../../../src/consensus/merkle.js';
import type { BlockTemplate, Mining } from '../../../src/interfaces/mining.js';
import { addMerkleRootAndCoinbase } from '../../../src/node/interfaces_block_template.js';
import { EMPTY_MEMPOOL, type BlockChunk, type BlockTxCandidate, type MiningMempool } from '../../../src/node/miner_mempool.js';
import { solveBlock } from '../../../src/node/miner_solve.js';
import { deriveTarget, uint256ToBigInt } from '../../../src/consensus/pow.js';
import { Block, BlockHeader } from '../../../src/primitives/block.js';
import { OutPoint, Transaction, TxIn, TxOut } from '../../../src/primitives/transaction.js';
import { bytesToHex } from '../../../src/util/hex.js';
import { ByteReader } from '../../../src/util/serialize.js';
import { GENESIS_TIME, NodeHarness, settledAfter } from './harness.js';

let harness: NodeHarness | undefined;

/** A mempool offering `cands` as single-transaction chunks; tests add candidates to raise the next block's fees. */
function fakeMempool(cands: BlockTxCandidate[]): MiningMempool {
  return {
    ...EMPTY_MEMPOOL,
    startBlockBuilding() {
      let i = 0;
      return {
        next: (): BlockChunk | undefined => {
          const c = cands[i++];
          return c && { txs: [c], fee: c.fee, weight: c.weight };
        },
        include: () => {},
        skip: () => {},
        stop: () => {},
      };
    },
  };
}

/** A transaction with an arbitrary input (the fake has no UTXO set); with a witness, so that txid and wtxid differ. */
function candidate(seed: number, fee: bigint): BlockTxCandidate {
  const tx = new Transaction({
    vin: [new TxIn({ prevout: new OutPoint(new Uint8Array(32).fill(seed), 0), witness: [Uint8Array.of(seed)] })],
    vout: [new TxOut(1000n, Uint8Array.of(0x51))],
  });
  return { tx, fee, modifiedFee: fee, sigOpCost: 4 * seed, weight: tx.getWeight(), vsize: Math.ceil(tx.getWeight() / 4) };
}

async function start(mempool?: MiningMempool): Promise<{ h: NodeHarness; mining: Mining; t: BlockTemplate }> {
  const h = harness = await NodeHarness.start({ miningMempool: mempool });
  const { init } = await h.connect();
  const mining = await init.makeMining();
  assert.ok(mining !== null);
  const t = await mining.createNewBlock({}, false);
  assert.ok(t !== null);
  return { h, mining, t };
}

/** The miner's own coinbase from getCoinbaseTx: extra scriptSig bytes, the reward, the required outputs, the witness. */
async function minerCoinbase(t: BlockTemplate, extra = Uint8Array.of(4, 1, 2, 3, 4)): Promise<Transaction> {
  const c = await t.getCoinbaseTx();
  return new Transaction({
    version: c.version,
    vin: [new TxIn({ prevout: new OutPoint(), scriptSig: Uint8Array.from([...c.scriptSigPrefix, ...extra]), sequence: c.sequence,
      witness: c.witness.length > 0 ? [c.witness] : [] })],
    vout: [new TxOut(c.blockRewardRemaining, Uint8Array.of(0x51)), ...c.requiredOutputs.map((o) => TxOut.read(new ByteReader(o)))],
    lockTime: c.lockTime,
  });
}

/** A nonce for which the template's block with `coinbase` passes (or, with `valid` false, fails) proof of work. */
function nonceFor(block: Block, coinbase: Transaction, params: Parameters<typeof solveBlock>[2], valid: boolean): number {
  const target = deriveTarget(block.header.bits, params.powLimit)!;
  for (let nonce = 0; ; nonce++) {
    const b = addMerkleRootAndCoinbase(block, coinbase, block.header.version, block.header.time, nonce);
    if ((uint256ToBigInt(b.hash) <= target) === valid) return nonce;
  }
}

describe('ipc_node: BlockTemplate', () => {
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('header, block, fees, sigops and the merkle path of the template', async () => {
    const cands = [candidate(1, 5000n), candidate(2, 3000n)];
    const { h, t } = await start(fakeMempool(cands));
    const block = Block.fromBytes(await t.getBlock());
    assert.equal(block.vtx.length, 3);
    assert.deepEqual(block.vtx.slice(1).map((x) => x.txidHex()), cands.map((c) => c.tx.txidHex()));
    assert.deepEqual(await t.getBlockHeader(), block.header.toBytes());
    assert.equal((await t.getBlockHeader()).length, 80);
    assert.deepEqual(block.header.hashPrevBlock, h.chainman.chain.tip()!.hash);
    assert.deepEqual(await t.getTxFees(), [5000n, 3000n]);
    assert.deepEqual(await t.getTxSigops(), [4n, 8n]);
    const path = await t.getCoinbaseMerklePath();
    assert.equal(path.length, 2);
    assert.deepEqual(computeMerkleRootFromPath(block.vtx[0]!.txid, path, 0), merkleRootOfBlock(block).root);
    // As Core's, the template's header leaves the merkle root null until a solution fills it in.
    assert.deepEqual(block.header.hashMerkleRoot, new Uint8Array(32));
  });

  it('getCoinbaseTx: the fields Core sets (BIP34 prefix without padding, reward, commitment, witness, lock time)', async () => {
    const { t } = await start(fakeMempool([candidate(1, 7000n)]));
    const c = await t.getCoinbaseTx();
    const cb = Block.fromBytes(await t.getBlock()).vtx[0]!;
    assert.equal(c.version, 2);
    assert.equal(c.sequence, 0xfffffffe);
    // Height 1: OP_1 alone; the node's own coinbase pads it with OP_0, the prefix does not.
    assert.deepEqual(c.scriptSigPrefix, Uint8Array.of(0x51));
    assert.deepEqual(cb.vin[0]!.scriptSig, Uint8Array.of(0x51, 0x00));
    assert.equal(c.blockRewardRemaining, 50n * 100_000_000n + 7000n);
    assert.deepEqual(c.witness, new Uint8Array(32));
    assert.equal(c.requiredOutputs.length, 1);
    const commitment = TxOut.read(new ByteReader(c.requiredOutputs[0]!));
    assert.equal(commitment.value, 0n);
    assert.equal(bytesToHex(commitment.scriptPubKey.subarray(0, 6)), '6a24aa21a9ed');
    assert.deepEqual(commitment.scriptPubKey, cb.vout[1]!.scriptPubKey);
    assert.equal(c.lockTime, 0);
  });

  it('submitSolution: a solved block becomes the tip; a rejected one still changes the template', async () => {
    const { h, mining, t } = await start();
    const block = Block.fromBytes(await t.getBlock());
    const coinbase = await minerCoinbase(t);
    const params = h.chainman.params.consensus;

    const bad = nonceFor(block, coinbase, params, false);
    assert.equal(await t.submitSolution(block.header.version, block.header.time, bad, coinbase.toBytes()), false);
    const mutated = Block.fromBytes(await t.getBlock());
    assert.equal(mutated.header.nonce, bad);
    assert.equal(mutated.vtx[0]!.txidHex(), coinbase.txidHex());
    assert.equal(h.chainman.chain.height(), 0);

    const nonce = nonceFor(block, coinbase, params, true);
    assert.equal(await t.submitSolution(block.header.version, block.header.time, nonce, coinbase.toBytes()), true);
    const mined = addMerkleRootAndCoinbase(block, coinbase, block.header.version, block.header.time, nonce);
    assert.equal(h.chainman.chain.tip()!.hashHex, mined.hashHex());
    assert.deepEqual(await mining.getTip(), { hash: mined.hash, height: 1 });
    assert.deepEqual(BlockHeader.read(new ByteReader(await t.getBlockHeader())).hashMerkleRoot, mined.header.hashMerkleRoot);
    // Processed again (as when the pool submits it too): a duplicate still counts.
    assert.equal(await t.submitSolution(block.header.version, block.header.time, nonce, coinbase.toBytes()), true);
    // A null coinbase (empty Data) is refused; undecodable bytes fail.
    assert.equal(await t.submitSolution(1, 2, 3, new Uint8Array(0)), false);
    await assert.rejects(t.submitSolution(1, 2, 3, Uint8Array.of(2, 0)), /std::exception: SpanReader::read\(\): end of data: iostream error$/);
  });

  it('waitNext: null at the timeout, a new template when the tip moves, null on interruptWait', async () => {
    const { h, t } = await start();
    assert.equal(await t.waitNext({ timeout: 30 }), null);

    const waiting = t.waitNext({});
    assert.equal(await settledAfter(waiting), false);
    const b = await h.mineBlock();
    const next = await waiting;
    assert.ok(next !== null);
    assert.deepEqual(Block.fromBytes(await next.getBlock()).header.hashPrevBlock, b.hash);

    const interrupted = next.waitNext({ timeout: 60_000 });
    assert.equal(await settledAfter(interrupted), false);
    await next.interruptWait();
    assert.equal(await interrupted, null);
    // Consumed by that wait; an interrupt with no wait pending ends the next one at once.
    await next.interruptWait();
    assert.equal(await next.waitNext({ timeout: 60_000 }), null);

    const atShutdown = next.waitNext({});
    assert.equal(await settledAfter(atShutdown), false);
    h.ctx.shutdown.request();
    assert.equal(await atShutdown, null);
  });

  it('waitNext: a new template once the next block\'s fees rise by feeThreshold', async () => {
    const cands = [candidate(1, 1000n)];
    const { t } = await start(fakeMempool(cands));
    // Fees unchanged: no new template.
    assert.equal(await t.waitNext({ timeout: 1100, feeThreshold: 1n }), null);
    cands.push(candidate(2, 400n));
    // +400 is below a threshold of 500.
    assert.equal(await t.waitNext({ timeout: 1100, feeThreshold: 500n }), null);
    const waiting = t.waitNext({ timeout: 60_000, feeThreshold: 500n });
    cands.push(candidate(3, 100n));
    const next = await waiting;
    assert.ok(next !== null);
    assert.deepEqual(await next.getTxFees(), [1000n, 400n, 100n]);
    // A threshold of 0 takes the next tick's template, fees or not.
    const again = await next.waitNext({ timeout: 60_000, feeThreshold: 0n });
    assert.ok(again !== null);
  });

  it('waitNext on a test chain: a new template once the tip is 20 minutes old', async () => {
    const { h, t } = await start();
    h.ctx.clock.setMockTime(GENESIS_TIME + 20 * 60 + 1);
    const next = await t.waitNext({ timeout: 60_000 });
    assert.ok(next !== null);
    assert.deepEqual(Block.fromBytes(await next.getBlock()).header.hashPrevBlock, h.chainman.chain.tip()!.hash);
    // Not on a chain without minimum-difficulty blocks.
    Object.defineProperty(h.chainman, 'params', {
      value: { ...h.chainman.params, consensus: { ...h.chainman.params.consensus, powAllowMinDifficultyBlocks: false } },
    });
    assert.equal(await next.waitNext({ timeout: 1100 }), null);
  });

  it('destroy frees the template; the client can no longer use it', async () => {
    const { h, t } = await start();
    await t.destroy();
    await h.waitForLine(/IPC server destroy BlockTemplate$/);
    await assert.rejects(async () => t.getBlockHeader(), /Capability used after release\(\)/);
  });
});
