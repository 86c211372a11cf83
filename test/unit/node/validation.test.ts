// The chainstate manager on small regtest chains: connecting, reorgs, invalid blocks, invalidate/reconsider/precious,
// notifications in order, restart, reindex, reindex-chainstate, and replay after a crash in the middle of a flush.
import assert from 'node:assert/strict';
import { type BlockIndex, Chain } from '../../../src/node/chain.js';
import { BlockStatus } from '../../../src/node/disk_block_index.js';
import { ChainstateFatalError, type ChainstateManager } from '../../../src/node/validation.js';
import fs from 'node:fs';
import path from 'node:path';
import { importBlocks, scanBlockRecords, scanFileRecords } from '../../../src/node/blockstorage_import.js';
import { guessVerificationProgress } from '../../../src/node/validation_chain.js';
import { OutPoint } from '../../../src/primitives/transaction.js';
import { NodeClock } from '../../../src/util/time.js';
import { suiteTempDirs } from '../wrapper/temp_dirs.js';
import { loadChainstate } from '../../../src/node/chainstate_load.js';
import { coinSet, extend, mineBlock, open, params, spend, testClock, testConnector, testLogger } from './chain_helpers.js';

describe('node/validation: ChainstateManager', () => {
  const tempDir = suiteTempDirs('smithcoin-chainman-');
  const opened: ChainstateManager[] = [];
  afterEach(() => {
    for (const cm of opened.splice(0)) {
      try {
        cm.close();
      } catch (e) {
        if (!(e instanceof Error && /closed/i.test(e.message))) throw e;
      }
    }
  });
  async function start(dir: string, over = {}): Promise<ChainstateManager> {
    const cm = await open(dir, over);
    opened.push(cm);
    return cm;
  }
  function closeNow(cm: ChainstateManager): void {
    opened.splice(opened.indexOf(cm), 1);
    cm.close();
  }

  it('starts a fresh datadir at genesis and connects mined blocks, notifying in order', async () => {
    const dir = tempDir();
    const cm = await start(dir);
    assert.equal(cm.chain.height(), 0);
    assert.equal(cm.chain.tip()!.hashHex, params.genesis.header.hashHex());
    await cm.syncWithValidationInterfaceQueue();
    const events: string[] = [];
    cm.signals.register({
      blockConnected: (_b, i) => events.push(`connected ${i.height}`),
      updatedBlockTip: (t) => events.push(`tip ${t.height}`),
    });
    const tips: number[] = [];
    cm.onTipChanged((c) => tips.push(c.tip.height));
    const blocks = await extend(cm, 5);
    assert.equal(cm.chain.height(), 5);
    assert.equal(events.length, 0, 'notifications are delivered later, not on the validation path');
    await cm.syncWithValidationInterfaceQueue();
    assert.deepEqual(events, [1, 2, 3, 4, 5].flatMap((h) => [`connected ${h}`, `tip ${h}`]));
    assert.deepEqual(tips, [1, 2, 3, 4, 5]);
    const cb = cm.coinsTip().getCoin(new OutPoint(blocks[4]!.vtx[0]!.txid, 0))!;
    assert.equal(cb.height, 5);
    assert.equal(cb.coinbase, true);
    assert.equal(cm.bestHeader(), cm.chain.tip());
    assert.deepEqual(cm.readBlockUndo(cm.chain.at(0)!), { vtxundo: [] });
    assert.equal(cm.readBlock(cm.chain.at(3)!).header.hashHex(), blocks[2]!.header.hashHex());
    const header = cm.lookupBlockIndex(cm.blockman.addToBlockIndex(mineBlock(cm.chain.tip()!, { tag: 9 }).header).hashHex)!;
    assert.throws(() => cm.readBlock(header), { name: 'BlockDataError', message: 'Block not available (not fully downloaded)' });
    assert.throws(() => cm.readBlockUndo(header), { name: 'BlockDataError', message: 'Undo data not available' });
    const again = await cm.processNewBlock(blocks[2]!, { forceProcessing: true, minPowChecked: true });
    assert.deepEqual([again.accepted, again.newBlock], [true, false]);
  });

  it('reorganizes to a branch with more work and back, moving the coins with it', async () => {
    const cm = await start(tempDir());
    const main = await extend(cm, 4, 1);
    const fork = cm.chain.at(2)!;
    const side = await extend(cm, 3, 2, fork);
    assert.equal(cm.chain.height(), 5);
    assert.equal(cm.chain.tip()!.hashHex, side[2]!.header.hashHex());
    assert.equal(cm.coinsTip().haveCoin(new OutPoint(main[3]!.vtx[0]!.txid, 0)), false);
    assert.equal(cm.coinsTip().haveCoin(new OutPoint(side[0]!.vtx[0]!.txid, 0)), true);
    await cm.syncWithValidationInterfaceQueue();
    const disconnected: number[] = [];
    cm.signals.register({ blockDisconnected: (_b, i) => disconnected.push(i.height) });
    await extend(cm, 2, 1, cm.lookupBlockIndex(main[3]!.header.hashHex()));
    assert.equal(cm.chain.height(), 6);
    await cm.syncWithValidationInterfaceQueue();
    assert.deepEqual(disconnected, [5, 4, 3]);
    assert.equal(cm.coinsTip().haveCoin(new OutPoint(main[3]!.vtx[0]!.txid, 0)), true);
    assert.equal(cm.coinsTip().haveCoin(new OutPoint(side[0]!.vtx[0]!.txid, 0)), false);
    assert.equal(cm.chainTips().length, 2);
  });

  it('refuses a block spending a missing coin, marks it failed and keeps the tip', async () => {
    const cm = await start(tempDir());
    const [b1] = await extend(cm, 1);
    const good = mineBlock(cm.chain.tip()!, { txs: [spend([new OutPoint(b1!.vtx[0]!.txid, 0)], [4_000_000_000n])] });
    assert.equal((await cm.processNewBlock(good, { forceProcessing: true, minPowChecked: true })).state.isValid(), true);
    assert.equal(cm.chain.height(), 2);
    const bad = mineBlock(cm.chain.tip()!, { txs: [spend([new OutPoint(b1!.vtx[0]!.txid, 0)], [1n])] });
    const r = await cm.processNewBlock(bad, { forceProcessing: true, minPowChecked: true });
    assert.equal(r.accepted, true);
    assert.equal(r.state.getRejectReason(), 'bad-txns-inputs-missingorspent');
    assert.equal(cm.chain.height(), 2);
    const index = cm.lookupBlockIndex(bad.header.hashHex())!;
    assert.ok(index.status & BlockStatus.BLOCK_FAILED_VALID);
    const child = mineBlock(index);
    const rc = await cm.processNewBlock(child, { forceProcessing: true, minPowChecked: true });
    assert.equal(rc.accepted, false);
    assert.equal(rc.state.getRejectReason(), 'bad-prevblk');
    const dup = await cm.processNewBlock(bad, { forceProcessing: true, minPowChecked: true });
    assert.equal(dup.state.getRejectReason(), 'duplicate-invalid');
    const orphan = mineBlock({ hash: new Uint8Array(32).fill(3), height: 7, time: cm.chain.tip()!.time });
    assert.equal((await cm.processNewBlock(orphan, { forceProcessing: true, minPowChecked: true })).state.getRejectReason(), 'prev-blk-not-found');
  });

  it('invalidates a block (switching to the other branch), reconsiders it, and prefers a precious block', async () => {
    const cm = await start(tempDir());
    const a = await extend(cm, 3, 1);
    const b = await extend(cm, 2, 2, cm.chain.at(1)!);
    assert.equal(cm.chain.tip()!.hashHex, a[2]!.header.hashHex(), 'equal work: the first seen stays');
    const a2 = cm.lookupBlockIndex(a[1]!.header.hashHex())!;
    const [offChain] = await extend(cm, 1, 7, a2);
    await cm.invalidateBlock(a2);
    assert.equal(cm.chain.tip()!.hashHex, b[1]!.header.hashHex());
    assert.ok(cm.lookupBlockIndex(a[2]!.header.hashHex())!.isFailed(), 'descendants fail too');
    assert.ok(cm.lookupBlockIndex(offChain!.header.hashHex())!.isFailed(), 'also those off the active chain');
    await cm.reconsiderBlock(a2);
    assert.equal(cm.lookupBlockIndex(a[2]!.header.hashHex())!.isFailed(), false);
    assert.equal(cm.chain.tip()!.hashHex, a[2]!.header.hashHex(), 'equal work: the branch received first wins again');
    await cm.preciousBlock(cm.lookupBlockIndex(b[1]!.header.hashHex())!);
    assert.equal(cm.chain.tip()!.hashHex, b[1]!.header.hashHex());
    await cm.preciousBlock(cm.lookupBlockIndex(a[2]!.header.hashHex())!);
    assert.equal(cm.chain.tip()!.hashHex, a[2]!.header.hashHex());
  });

  it('reopens a datadir at the same tip with the same coins and block index', async () => {
    const dir = tempDir();
    const cm = await start(dir);
    await extend(cm, 6);
    await extend(cm, 2, 9, cm.chain.at(4)!);
    const tip = cm.chain.tip()!.hashHex;
    const coins = coinSet(cm);
    const index = [...cm.blockIndex.values()].map((e) => `${e.hashHex}:${e.status}:${e.chainTx}`).sort();
    closeNow(cm);
    const again = await start(dir);
    assert.equal(again.chain.tip()!.hashHex, tip);
    assert.deepEqual(coinSet(again), coins);
    assert.deepEqual([...again.blockIndex.values()].map((e) => `${e.hashHex}:${e.status}:${e.chainTx}`).sort(), index);
    assert.equal(coins.length, 6, 'the genesis output is never a coin; one coinbase per active block');
    await extend(again, 1);
    assert.equal(again.chain.height(), 7);
  });

  it('finds the most-work chain once per activation, not once per block: a reindex stays linear in the chain length', async () => {
    const dir = tempDir();
    const cm = await start(dir);
    const blocks = 300;
    await extend(cm, blocks);
    closeNow(cm);
    // Each search walks from the best candidate back to the active chain, asking Chain.contains at every block: per
    // block connected, that is quadratic (about 45,000 calls for 300 blocks), once per activation it is linear.
    const contains = Chain.prototype.contains;
    let calls = 0;
    Chain.prototype.contains = function (this: Chain, index: BlockIndex): boolean {
      calls++;
      return contains.call(this, index);
    };
    try {
      const reindexed = await start(dir, { reindex: true });
      assert.equal(reindexed.chain.height(), blocks);
    } finally {
      Chain.prototype.contains = contains;
    }
    assert.ok(calls < 10 * blocks, `${calls} Chain.contains calls to reindex ${blocks} blocks`);
  });

  it("logs the validation events as Core's -debug=validation does, queued ones when queued and when delivered", async () => {
    const { logger, lines } = testLogger();
    logger.enableCategory('validation');
    const cm = await start(tempDir(), { logger, mempool: { addTransactionsUpdated: () => undefined } });
    const genesis = cm.chain.tip()!.hashHex;
    // The genesis block was connected while opening: its events were queued then.
    await cm.syncWithValidationInterfaceQueue();
    assert.ok(lines.includes(`[validation] BlockChecked: block hash=${genesis} state=Valid`), lines.join('\n'));
    assert.ok(lines.includes(`[validation] BlockConnected: block hash=${genesis} block height=0`), lines.join('\n'));
    lines.length = 0;
    const [block] = await extend(cm, 1);
    const hash = block!.header.hashHex();
    const expectBefore = [
      `[validation] NewPoWValidBlock: block hash=${hash}`,
      '[validation] Pre-allocating up to position 0x100000 in rev00000.dat',
      `[validation] BlockChecked: block hash=${hash} state=Valid`,
      '[validation] Enqueuing MempoolTransactionsRemovedForBlock: block height=1 txs removed=0',
      `[validation] Enqueuing BlockConnected: block hash=${hash} block height=1`,
      `[validation] Enqueuing UpdatedBlockTip: new block hash=${hash} fork block hash=${genesis} (in IBD=false)`,
      `[validation] ActiveTipChange: new block hash=${hash} block height=1`,
    ];
    assert.deepEqual(lines.filter((l) => l.startsWith('[validation]')), expectBefore);
    await cm.syncWithValidationInterfaceQueue();
    assert.deepEqual(lines.filter((l) => l.startsWith('[validation]')).slice(expectBefore.length), [
      '[validation] MempoolTransactionsRemovedForBlock: block height=1 txs removed=0',
      `[validation] BlockConnected: block hash=${hash} block height=1`,
      `[validation] UpdatedBlockTip: new block hash=${hash} fork block hash=${genesis} (in IBD=false)`,
    ]);
    // Off, nothing of it is formatted or logged.
    logger.disableCategory('validation');
    lines.length = 0;
    await extend(cm, 1);
    await cm.syncWithValidationInterfaceQueue();
    assert.deepEqual(lines.filter((l) => l.startsWith('[validation]')), []);
  });

  it('estimates verification progress by height near the best header, as Core since 2025', async () => {
    const cm = await start(tempDir());
    await extend(cm, 3);
    const tip = cm.chain.tip()!;
    assert.equal(guessVerificationProgress(cm, tip), 1);
    // One block behind a recent best header: 600 s of regtest's 0.001 tx/s to go after its 3 transactions.
    assert.equal(guessVerificationProgress(cm, tip.prev!).toFixed(6), (3 / 3.6).toFixed(6));
    assert.equal(guessVerificationProgress(cm, tip.prev!.prev!).toFixed(6), (2 / 3.2).toFixed(6));
  });

  it("logs Core's lines for each reindexed file, and for a reindex or an import interrupted", async () => {
    const dir = tempDir();
    const cm = await start(dir);
    const blocks = await extend(cm, 4);
    closeNow(cm);
    const run = async (over: object, paths: string[] = [], stopAt?: RegExp): Promise<string[]> => {
      const { logger, lines } = testLogger();
      const reindexing = loadChainstate({
        dataDir: dir, params, clock: testClock(), logger, connector: testConnector, dbCacheBytes: 16 << 20, pruneTarget: 0,
        fastPrune: false, useXor: true, reindex: false, reindexChainstate: false, ...over,
      });
      opened.push(reindexing);
      if (stopAt) logger.pushBackCallback((line) => {
        if (stopAt.test(line)) reindexing.interrupt();
      });
      await importBlocks(reindexing, paths);
      return lines;
    };
    const whole = await run({ reindex: true });
    const file = whole.indexOf('Reindexing block file blk00000.dat (0% complete)...');
    assert.ok(file >= 0, whole.join('\n'));
    // The genesis block and the four mined on it, each accepted once.
    assert.ok(whole.slice(file).some((l) => /^Loaded 5 blocks from external file in \d+ms$/.test(l)), whole.join('\n'));
    assert.ok(whole.indexOf('Reindexing finished') > file);
    for (const cm2 of opened.splice(0)) cm2.close();

    // Stopped while reading the file: no summary for it, Core's line instead, and the reindex is still pending.
    const stopped = await run({ reindex: true }, [], /^Reindexing block file/);
    assert.ok(stopped.includes('Interrupt requested. Exit reindexing.'), stopped.join('\n'));
    assert.ok(!stopped.some((l) => l.startsWith('Loaded') || l === 'Reindexing finished'), stopped.join('\n'));
    for (const cm2 of opened.splice(0)) cm2.close();

    // The same for a -loadblock file.
    const bootstrap = path.join(tempDir(), 'bootstrap.dat');
    const magic = Buffer.from(params.messageStart);
    fs.writeFileSync(bootstrap, Buffer.concat(blocks.flatMap((b) => {
      const bytes = Buffer.from(b.toBytes());
      const size = Buffer.alloc(4);
      size.writeUInt32LE(bytes.length);
      return [magic, size, bytes];
    })));
    const importing = await run({ reindex: true }, [bootstrap], /^Importing blocks file/);
    assert.ok(importing.includes('Interrupt requested. Exit block importing.'), importing.join('\n'));
    assert.equal(importing.filter((l) => l.startsWith('Loaded')).length, 1, 'only the reindexed blk file has its summary');
  });

  it('rebuilds the block index and coins from the blk files with -reindex, and the coins with -reindex-chainstate', async () => {
    const dir = tempDir();
    const cm = await start(dir);
    const [b1] = await extend(cm, 3);
    await extend(cm, 1);
    const spender = mineBlock(cm.chain.tip()!, { txs: [spend([new OutPoint(b1!.vtx[0]!.txid, 0)], [1n, 2n])] });
    await cm.processNewBlock(spender, { forceProcessing: true, minPowChecked: true });
    await extend(cm, 1, 5, cm.chain.at(3)!); // less work: with equal work a reindexed chainstate may pick either, as in Core
    const tip = cm.chain.tip()!.hashHex;
    const coins = coinSet(cm);
    const tips = cm.chainTips().map((t) => t.hashHex).sort();
    assert.equal(cm.chain.tip()!.hashHex, spender.header.hashHex());
    closeNow(cm);
    const reindexed = await start(dir, { reindex: true });
    assert.equal(reindexed.chain.tip()!.hashHex, tip);
    assert.deepEqual(coinSet(reindexed), coins);
    assert.deepEqual(reindexed.chainTips().map((t) => t.hashHex).sort(), tips);
    assert.equal(reindexed.blockman.blockfilesIndexed, true);
    assert.equal(reindexed.blockman.treeDB.readReindexing(), false);
    closeNow(reindexed);
    const chainstateOnly = await start(dir, { reindexChainstate: true });
    assert.equal(chainstateOnly.chain.tip()!.hashHex, tip);
    assert.deepEqual(coinSet(chainstateOnly), coins);
  });

  it('imports a -loadblock file in chain order past garbage, and skips what comes before its parent, as Core', async () => {
    const source = await start(tempDir());
    const blocks = await extend(source, 5);
    const magic = params.messageStart;
    // Blocks 1, 2, then 4 before 3, then 5: 4 and so 5 have no parent when read.
    const order = [blocks[0]!, blocks[1]!, blocks[3]!, blocks[2]!, blocks[4]!];
    const records = order.flatMap((b) => {
      const bytes = b.toBytes();
      const size = Buffer.alloc(4);
      size.writeUInt32LE(bytes.length);
      return [Buffer.from('garbage'), Buffer.from([...magic, 0xff, 0xff, 0xff, 0xff]), Buffer.from(magic), size, Buffer.from(bytes)];
    });
    const file = path.join(tempDir(), 'bootstrap.dat');
    fs.writeFileSync(file, Buffer.concat(records));
    const { logger, lines } = testLogger();
    logger.enableCategory('reindex');
    const cm = await start(tempDir(), { logger });
    await importBlocks(cm, [file, path.join(tempDir(), 'missing.dat')]);
    assert.equal(cm.chain.height(), 3);
    assert.equal(cm.chain.tip()!.hashHex, blocks[2]!.header.hashHex());
    assert.ok(lines.some((l) => /^Loaded 3 blocks from external file in \d+ms$/.test(l)), lines.join('\n'));
    assert.ok(lines.includes(`[reindex] LoadExternalBlockFile: Out of order block ${blocks[3]!.header.hashHex()}, parent ${blocks[2]!.header.hashHex()} not known`));
    assert.ok(!lines.some((l) => l.includes('Processing out of order child')), 'no unknown-parent tracking for -loadblock');
    assert.ok(lines.some((l) => l.includes('Could not open blocks file') && l.endsWith('missing.dat')), lines.join('\n'));
  });

  it('reads a -loadblock file window by window and finds the records a whole read finds', () => {
    const magic = params.messageStart;
    const record = (fill: number, length: number) => {
      const size = Buffer.alloc(4);
      size.writeUInt32LE(length);
      return Buffer.concat([Buffer.from(magic), size, Buffer.alloc(length, fill)]);
    };
    const data = Buffer.concat([Buffer.from('junk'), record(1, 200), Buffer.from([...magic, 9]), record(2, 80), Buffer.from('x'), record(3, 250),
      record(4, 120), Buffer.from(magic).subarray(0, 3)]);
    const whole = [...scanBlockRecords(data, magic)].map((r) => [r.offset, Buffer.from(r.bytes).toString('hex')]);
    assert.equal(whole.length, 4);
    for (const window of [259, 300, 512, 4096]) {
      const reads: number[] = [];
      const read = (pos: number, length: number) => {
        reads.push(pos);
        return data.subarray(pos, pos + length);
      };
      const windowed = [...scanFileRecords(read, magic, window)].map((r) => [r.offset, Buffer.from(r.bytes).toString('hex')]);
      assert.deepEqual(windowed, whole, `window ${window}`);
      assert.ok(window >= data.length || reads.length > 1, 'read in more than one piece');
    }
  });

  it('replays the blocks of a flush that stopped after a partial batch', async () => {
    const dirA = tempDir();
    const dirB = tempDir();
    const a = await start(dirA, { batchWriteBytes: 100 });
    const b = await start(dirB);
    for (let i = 0; i < 8; i++) {
      const block = mineBlock(a.chain.tip()!, { tag: 3 });
      for (const cm of [a, b]) await cm.processNewBlock(block, { forceProcessing: true, minPowChecked: true });
    }
    a.flush();
    for (let i = 0; i < 4; i++) {
      const block = mineBlock(a.chain.tip()!, { tag: 4 });
      for (const cm of [a, b]) await cm.processNewBlock(block, { forceProcessing: true, minPowChecked: true });
    }
    a.coinsDB.crashAfterPartialBatches = 1;
    assert.throws(() => a.flush(), (e: unknown) => e instanceof ChainstateFatalError && /Simulating a crash/.test(e.message));
    assert.equal(a.coinsDB.getHeadBlocks().length, 2);
    // The process dies here: nothing more reaches the disk.
    opened.splice(opened.indexOf(a), 1);
    a.coinsDB.close();
    a.blockman.close();
    const { logger, lines } = testLogger();
    const replayed = await start(dirA, { logger });
    assert.ok(lines.some((l) => l.endsWith('Replaying blocks')), lines.join('\n'));
    assert.ok(lines.some((l) => /Rolling forward to [0-9a-f]{64} \(8 to 12\)$/.test(l)), lines.join('\n'));
    assert.equal(replayed.chain.height(), 12);
    assert.deepEqual(replayed.coinsDB.getHeadBlocks(), []);
    assert.deepEqual(coinSet(replayed), coinSet(b));
  });

  it('writes the coins on the periodic schedule, not at every block, and says so after the flush', async () => {
    const clock = new NodeClock();
    clock.setMockTime(params.genesis.header.time + 1000);
    const cm = await start(tempDir(), { clock });
    const flushed: number[] = [];
    cm.signals.register({ chainStateFlushed: (tip) => flushed.push(tip.height) });
    const dbBest = (): string => Buffer.from(cm.coinsDB.getBestBlock()).reverse().toString('hex');
    await extend(cm, 3);
    assert.notEqual(dbBest(), cm.chain.tip()!.hashHex, 'the coins stay in memory between periodic writes');
    clock.setMockTime(clock.now() + 71 * 60);
    await extend(cm, 1);
    assert.equal(dbBest(), cm.chain.tip()!.hashHex);
    await cm.syncWithValidationInterfaceQueue();
    assert.deepEqual(flushed, [4]);
    assert.ok(cm.coinsCache.cacheSize > 0, 'a periodic write keeps the cache warm');
  });

  it('leaves initial block download once the tip is recent, and not before', async () => {
    const { logger, lines } = testLogger();
    const clock = new NodeClock();
    clock.setMockTime(params.genesis.header.time + 2 * 86400);
    const cm = await start(tempDir(), { logger, clock });
    assert.equal(cm.isInitialBlockDownload(), true, 'the genesis block is two days old');
    await extend(cm, 1);
    assert.equal(cm.isInitialBlockDownload(), true, 'a tip two days old');
    const recent = mineBlock(cm.chain.tip()!, { time: cm.clock.now() - 60 });
    await cm.processNewBlock(recent, { forceProcessing: true, minPowChecked: true });
    assert.equal(cm.isInitialBlockDownload(), false);
    assert.ok(lines.some((l) => l.endsWith('Leaving InitialBlockDownload (latching to false)')));
    cm.clock.setMockTime(params.genesis.header.time + 30 * 86400);
    await extend(cm, 1);
    assert.equal(cm.isInitialBlockDownload(), false, 'latched');
  });
});

