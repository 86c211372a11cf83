// The node's Mining over a real unix socket (generated client → InitServer → makeNodeInit → MinerImpl) on the fake
// chainstate: chain queries, waitTipChanged, createNewBlock with Core's option errors, cooldown and interrupt,
// checkBlock, submitBlock and the mempool lookups.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'mocha';
import type { Mining } from '../../../src/interfaces/mining.js';
import { Block } from '../../../src/primitives/block.js';
import { OutPoint, Transaction, TxIn, TxOut } from '../../../src/primitives/transaction.js';
import { BlockAssembler } from '../../../src/node/miner.js';
import { headerWith, withMerkleRoot } from '../../../src/node/miner_commitment.js';
import { solveBlock } from '../../../src/node/miner_solve.js';
import { blocksAheadOfTip, tipNotifierOf } from '../../../src/node/interfaces_wait.js';
import { fakeChainman } from '../../../bench/lib/fake_chainman.js';
import { NodeHarness, settledAfter } from './harness.js';

let harness: NodeHarness | undefined;

async function start(opts: Parameters<typeof NodeHarness.start>[0] = {}): Promise<{ h: NodeHarness; mining: Mining }> {
  const h = harness = await NodeHarness.start(opts);
  const { init } = await h.connect();
  const mining = await init.makeMining();
  assert.ok(mining !== null);
  return { h, mining };
}

/** An unsolved block on the tip, as the node's assembler makes it, with its merkle root (a template's is null). */
async function templateBlock(h: NodeHarness): Promise<Block> {
  return withMerkleRoot((await new BlockAssembler({ chainman: h.chainman, clock: h.ctx.clock }, {}).createNewBlock()).block);
}

function solved(h: NodeHarness, block: Block): Block {
  return solveBlock(block, 1_000_000n, h.chainman.params.consensus).block!;
}

describe('ipc_node: Mining', () => {
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('answers the chain queries from the chainstate', async () => {
    const { h, mining } = await start();
    assert.equal(await mining.isTestChain(), true);
    assert.equal(await mining.isInitialBlockDownload(), false);
    h.chainman.ibd = true;
    assert.equal(await mining.isInitialBlockDownload(), true);
    const genesis = h.chainman.chain.tip()!;
    assert.deepEqual(await mining.getTip(), { hash: genesis.hash, height: 0 });
    const b = await h.mineBlock();
    assert.deepEqual(await mining.getTip(), { hash: b.hash, height: 1 });
    h.chainman.chain.setTip(undefined);
    assert.equal(await mining.getTip(), undefined);
  });

  it('isTestChain is false on mainnet', async () => {
    const { h, mining } = await start();
    Object.defineProperty(h.chainman, 'params', { value: { ...h.chainman.params, isTestChain: false } });
    assert.equal(await mining.isTestChain(), false);
  });

  it('waitTipChanged: the new tip once it moves, the old one at the timeout, empty on interrupt or shutdown', async () => {
    const { h, mining } = await start();
    const genesis = h.chainman.chain.tip()!;
    // Another tip than the caller's: at once.
    assert.deepEqual(await mining.waitTipChanged(new Uint8Array(32), 60_000), { hash: genesis.hash, height: 0 });
    assert.deepEqual(await mining.waitTipChanged(genesis.hash, 20), { hash: genesis.hash, height: 0 });

    const waiting = mining.waitTipChanged(genesis.hash);
    assert.equal(await settledAfter(waiting), false);
    const b = await h.mineBlock();
    assert.deepEqual(await waiting, { hash: b.hash, height: 1 });

    const interrupted = mining.waitTipChanged(b.hash);
    assert.equal(await settledAfter(interrupted), false);
    await mining.interrupt();
    assert.deepEqual(await interrupted, { hash: new Uint8Array(0), height: 0 });
    // The interrupt was consumed: the next wait runs to its timeout.
    assert.deepEqual(await mining.waitTipChanged(b.hash, 20), { hash: b.hash, height: 1 });
    // An interrupt with no wait pending ends the next one (Core's flag stays set until a wait sees it).
    await mining.interrupt();
    assert.deepEqual(await mining.waitTipChanged(b.hash), { hash: new Uint8Array(0), height: 0 });

    const atShutdown = mining.waitTipChanged(b.hash);
    assert.equal(await settledAfter(atShutdown), false);
    h.ctx.shutdown.request();
    assert.deepEqual(await atShutdown, { hash: new Uint8Array(0), height: 0 });
  });

  it('waitTipChanged before there is a tip waits for one, whatever the timeout', async () => {
    const { h, mining } = await start();
    const genesis = h.chainman.chain.tip()!;
    h.chainman.chain.setTip(undefined);
    const waiting = mining.waitTipChanged(new Uint8Array(32), 0);
    assert.equal(await settledAfter(waiting), false);
    // What the chainstate's tip notification does once loading connects the tip.
    h.chainman.chain.setTip(genesis);
    tipNotifierOf(h.chainman, h.ctx.shutdown).notifyAll();
    assert.deepEqual(await waiting, { hash: genesis.hash, height: 0 });
  });

  it('blocksAheadOfTip counts headers that extend the tip, not a competing branch', async () => {
    const { h } = await start();
    assert.equal(blocksAheadOfTip(h.chainman), undefined);
    const next = solved(h, (await templateBlock(h)));
    h.chainman.processNewBlockHeaders([next.header], true);
    assert.equal(blocksAheadOfTip(h.chainman), 1);
    await h.chainman.processNewBlock(next, { forceProcessing: true, minPowChecked: true });
    assert.equal(blocksAheadOfTip(h.chainman), undefined);
    // A two-block branch from genesis, made on a second chainstate, known here by its headers only: more work
    // than the tip, but it does not extend it.
    const other = fakeChainman(h.ctx.clock);
    const branch: Block[] = [];
    for (let i = 0; i < 2; i++) {
      const b = solved(h, withMerkleRoot((await new BlockAssembler({ chainman: other, clock: h.ctx.clock }, { coinbaseOutputScript: Uint8Array.of(0x52) }).createNewBlock()).block));
      await other.processNewBlock(b, { forceProcessing: true, minPowChecked: true });
      branch.push(b);
    }
    assert.ok(h.chainman.processNewBlockHeaders(branch.map((b) => b.header), true).isValid());
    assert.equal(h.chainman.bestHeader()!.hashHex, branch[1]!.hashHex());
    assert.equal(blocksAheadOfTip(h.chainman), undefined);
  });

  it('createNewBlock: a template on the tip, and Core\'s errors for options out of range', async () => {
    const { h, mining } = await start();
    const t = await mining.createNewBlock({}, false);
    assert.ok(t !== null);
    const header = Block.fromBytes(await t.getBlock()).header;
    assert.deepEqual(header.hashPrevBlock, h.chainman.chain.tip()!.hash);

    await assert.rejects(mining.createNewBlock({ blockReservedWeight: 0n }, false),
      /block_reserved_weight \(0\) is lower than minimum safety value of \(2000\)/);
    await assert.rejects(mining.createNewBlock({ blockReservedWeight: 4_000_001n }, false),
      /block_reserved_weight \(4000001\) exceeds consensus maximum block weight \(4000000\)/);
    await assert.rejects(mining.createNewBlock({ coinbaseOutputMaxAdditionalSigops: 80_001n }, false),
      /coinbase_output_max_additional_sigops \(80001\) exceeds consensus maximum block sigops cost \(80000\)/);
    // The per-template reserved weight is taken over -blockreservedweight's default.
    assert.ok(await mining.createNewBlock({ blockReservedWeight: 2000n }, false));
  });

  it('createNewBlock with cooldown: waits out IBD, ends on interrupt', async () => {
    const { h, mining } = await start();
    h.chainman.ibd = true;
    // Without cooldown a template comes at once, IBD or not.
    assert.ok(await mining.createNewBlock({}, false));
    const waiting = mining.createNewBlock({});
    assert.equal(await settledAfter(waiting), false);
    h.chainman.ibd = false;
    const t = await waiting;
    assert.ok(t !== null);

    h.chainman.ibd = true;
    const interrupted = mining.createNewBlock({});
    assert.equal(await settledAfter(interrupted), false);
    await mining.interrupt();
    assert.equal(await interrupted, null);
  });

  it('createNewBlock with cooldown: waits while the best header is ahead, until the tip catches up', async () => {
    const { h, mining } = await start();
    const next = solved(h, (await templateBlock(h)));
    assert.ok(h.chainman.processNewBlockHeaders([next.header], true).isValid());
    const waiting = mining.createNewBlock({});
    assert.equal(await settledAfter(waiting), false);
    await h.chainman.processNewBlock(next, { forceProcessing: true, minPowChecked: true });
    const t = await waiting;
    assert.ok(t !== null);
    assert.deepEqual(Block.fromBytes(await t.getBlock()).header.hashPrevBlock, next.hash);

    // interrupt() ends the header cooldown too.
    const ahead = solved(h, (await templateBlock(h)));
    h.chainman.processNewBlockHeaders([ahead.header], true);
    const interrupted = mining.createNewBlock({});
    assert.equal(await settledAfter(interrupted), false);
    await mining.interrupt();
    assert.equal(await interrupted, null);
  });

  it('checkBlock: BIP22 reasons with Core\'s debug text; undecodable bytes fail', async () => {
    const { h, mining } = await start();
    const block = (await templateBlock(h));
    assert.deepEqual(await mining.checkBlock(block.toBytes(), { checkPow: false }), { reason: '', debug: '', result: true });
    const v0 = new Block(headerWith(block.header, { version: 0 }), block.vtx);
    assert.deepEqual(await mining.checkBlock(v0.toBytes(), { checkPow: false }),
      { reason: 'bad-version(0x00000000)', debug: 'rejected nVersion=0x00000000 block', result: false });
    const badRoot = new Block(headerWith(block.header, { hashMerkleRoot: new Uint8Array(32) }), block.vtx);
    assert.equal((await mining.checkBlock(badRoot.toBytes(), { checkPow: false })).reason, 'bad-txnmrklroot');
    assert.equal((await mining.checkBlock(badRoot.toBytes(), { checkPow: false, checkMerkleRoot: false })).result, true);
    await assert.rejects(mining.checkBlock(new Uint8Array(10), {}), /std::exception: SpanReader::read\(\): end of data: iostream error$/);
  });

  it('submitBlock: accepted once, then a duplicate; rejections keep their reasons', async () => {
    const { h, mining } = await start();
    const block = solved(h, (await templateBlock(h)));
    assert.deepEqual(await mining.submitBlock(block.toBytes()), { reason: '', debug: '', result: true });
    assert.equal(h.chainman.chain.tip()!.hashHex, block.hashHex());
    assert.deepEqual(await mining.submitBlock(block.toBytes()), { reason: 'duplicate', debug: '', result: false });
    const v0 = solved(h, new Block(headerWith((await templateBlock(h)).header, { version: 0 }), (await templateBlock(h)).vtx));
    assert.deepEqual(await mining.submitBlock(v0.toBytes()),
      { reason: 'bad-version(0x00000000)', debug: 'rejected nVersion=0x00000000 block', result: false });
    await assert.rejects(mining.submitBlock(new Uint8Array(0)), /std::exception: SpanReader::read\(\): end of data: iostream error$/);
  });

  it('getTransactionsByTxID / ByWitnessID: nothing without a mempool; one entry per id with one', async () => {
    const tx = new Transaction({
      vin: [new TxIn({ prevout: new OutPoint(new Uint8Array(32).fill(1), 0), witness: [Uint8Array.of(7)] })],
      vout: [new TxOut(1000n, Uint8Array.of(0x51))],
    });
    assert.notEqual(tx.txidHex(), tx.wtxidHex());
    {
      const { mining } = await start();
      assert.deepEqual(await mining.getTransactionsByTxID([tx.txid]), []);
      assert.deepEqual(await mining.getTransactionsByWitnessID([tx.wtxid]), []);
      await harness!.close();
      harness = undefined;
    }
    const { mining } = await start({
      mempool: {
        getByTxid: (hex) => (hex === tx.txidHex() ? tx : undefined),
        getByWtxid: (hex) => (hex === tx.wtxidHex() ? tx : undefined),
      },
    });
    const unknown = new Uint8Array(32).fill(9);
    assert.deepEqual(await mining.getTransactionsByTxID([tx.txid, unknown, new Uint8Array(3)]), [tx.toBytes(), new Uint8Array(0), new Uint8Array(0)]);
    assert.deepEqual(await mining.getTransactionsByWitnessID([unknown, tx.wtxid, tx.txid]), [new Uint8Array(0), tx.toBytes(), new Uint8Array(0)]);
    assert.deepEqual(await mining.getTransactionsByTxID([tx.wtxid]), [new Uint8Array(0)]);
  });
});
