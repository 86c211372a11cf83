// The Core-written regtest datadir through BlockManager, BlockTreeDB and CoinsViewDB: the index, the tip the coins are
// at, every block and undo record, the coins; then every block rewritten into a fresh datadir and read back.
import assert from 'node:assert/strict';
import path from 'node:path';
import { createChainParams } from '../../../src/kernel/chainparams.js';
import { BlockManager, type BlockManagerOptions } from '../../../src/node/blockstorage.js';
import { CoinsViewCache } from '../../../src/node/coins.js';
import { CoinsViewDB } from '../../../src/node/txdb.js';
import { hashToHex } from '../../../src/util/hex.js';
import { readTestJson } from '../util/paths.js';
import { suiteTempDirs } from '../wrapper/temp_dirs.js';
import { copyCoreRegtest, logSink } from './helpers.js';

interface Expected {
  block_hashes: string[];
  getchaintips: { hash: string; height: number; status: string }[];
  gettxoutsetinfo_muhash: { txouts: number; total_amount: number; transactions: number };
  blockheader_tip: { chainwork: string };
  tx_count: number;
}

const expected = readTestJson<Expected>('core-regtest/expected.json');
const params = createChainParams('regtest');

function options(blocksDir: string, over: Partial<BlockManagerOptions> = {}): BlockManagerOptions {
  return { blocksDir, params, indexCacheBytes: 1 << 20, useXor: true, fastPrune: false, pruneTarget: 0, wipe: false, log: () => {}, ...over };
}

describe('node/storage on Core\'s regtest datadir', () => {
  const tempDir = suiteTempDirs('smithcoin-storage-');

  function open(): { dir: string; blockman: BlockManager; coins: CoinsViewDB; close: () => void } {
    const dir = copyCoreRegtest(tempDir());
    const blockman = new BlockManager(options(path.join(dir, 'blocks')));
    const coins = new CoinsViewDB({ path: path.join(dir, 'chainstate'), cacheBytes: 1 << 20, obfuscate: true });
    return { dir, blockman, coins, close: () => { blockman.close(); coins.close(); } };
  }

  it('loads the block index and finds the tip from the coins database\'s best block', () => {
    const { blockman, coins, close } = open();
    try {
      const sink = logSink();
      (blockman.opts as { log: (m: string) => void }).log = sink.log;
      blockman.loadBlockIndexDB();
      assert.equal(blockman.blockIndex.size, expected.block_hashes.length + 3);
      assert.ok(sink.lines.includes('Loading block index db: last block file = 0'));
      assert.ok(sink.lines.some((l) => /^Loading block index db: last block file info: CBlockFileInfo\(blocks=322, size=\d+, heights=0\.\.\.318, time=2011-02-02\.\.\.2026-01-0\d\)$/.test(l)), sink.lines.join('\n'));
      const tip = blockman.lookup(hashToHex(coins.getBestBlock()))!;
      assert.equal(tip.height, expected.block_hashes.length - 1);
      assert.equal(tip.hashHex, expected.block_hashes.at(-1));
      assert.equal(tip.chainWork, BigInt(`0x${expected.blockheader_tip.chainwork}`));
      assert.equal(tip.chainTx, expected.tx_count);
      for (let h = 0; h <= tip.height; h++) assert.equal(tip.getAncestor(h)!.hashHex, expected.block_hashes[h], `height ${h}`);
      const fork = expected.getchaintips.find((t) => t.status === 'valid-fork')!;
      const forkTip = blockman.lookup(fork.hash)!;
      assert.equal(forkTip.height, fork.height);
      assert.ok(forkTip.isValid(), 'the reconsidered branch is valid again');
      assert.equal(coins.getHeadBlocks().length, 0);
    } finally {
      close();
    }
  });

  it('reads every block and undo record back', () => {
    const { blockman, close } = open();
    try {
      blockman.loadBlockIndexDB();
      let blocks = 0;
      let undos = 0;
      for (const e of blockman.blockIndex.values()) {
        assert.ok(e.haveData());
        const block = blockman.readBlock(e);
        assert.equal(block.vtx.length, e.nTx);
        assert.equal(blockman.readRawBlock(e).length, block.getTotalSize());
        blocks++;
        if (e.height === 0) continue;
        const undo = blockman.readBlockUndo(e);
        assert.equal(undo.vtxundo.length, block.vtx.length - 1);
        undos++;
      }
      assert.equal(blocks, 322);
      assert.equal(undos, 321);
    } finally {
      close();
    }
  });

  it('counts the coins and their amount as gettxoutsetinfo', () => {
    const { coins, close } = open();
    try {
      let n = 0;
      let total = 0n;
      const txids = new Set<string>();
      for (const [outpoint, coin] of coins.cursor()) {
        n++;
        total += coin.out.value;
        txids.add(hashToHex(outpoint.hash));
      }
      assert.equal(n, expected.gettxoutsetinfo_muhash.txouts);
      assert.equal(txids.size, expected.gettxoutsetinfo_muhash.transactions);
      assert.equal(total, BigInt(Math.round(expected.gettxoutsetinfo_muhash.total_amount * 1e8)));
      const [first] = coins.cursor();
      const cache = new CoinsViewCache(coins);
      assert.deepEqual(cache.getCoin(first![0]), first![1]);
      assert.equal(hashToHex(cache.getBestBlock()), expected.block_hashes.at(-1));
    } finally {
      close();
    }
  });

  it('rewrites every block and undo record into small files and reads them back after a restart', () => {
    const src = open();
    const target = path.join(tempDir(), 'blocks');
    try {
      src.blockman.loadBlockIndexDB();
      const ordered = [...src.blockman.blockIndex.values()].sort((a, b) => a.height - b.height);
      const dst = new BlockManager(options(target, { fastPrune: true }));
      try {
        dst.loadBlockIndexDB();
        for (const e of ordered) {
          const block = src.blockman.readBlock(e);
          const copy = dst.addToBlockIndex(block.header);
          const pos = dst.writeBlock(block, e.height);
          Object.assign(copy, { file: pos.file, dataPos: pos.pos, nTx: e.nTx, status: e.status & ~24 });
          copy.status |= 8;
          if (e.height > 0) dst.writeBlockUndo(src.blockman.readBlockUndo(e), copy);
        }
        dst.flushChainstateBlockFile();
        dst.writeBlockIndexDB();
        assert.ok(dst.fileInfo.length > 3, `only ${dst.fileInfo.length} files`);
      } finally {
        dst.close();
      }
      const again = new BlockManager(options(target, { fastPrune: true }));
      try {
        again.loadBlockIndexDB();
        assert.equal(again.blockIndex.size, ordered.length);
        for (const e of ordered) {
          const mine = again.lookup(e.hashHex)!;
          assert.equal(mine.status, e.status);
          assert.equal(mine.chainWork, e.chainWork);
          assert.equal(mine.chainTx, e.chainTx);
          assert.equal(hashToHex(again.readBlock(mine).hash), e.hashHex);
          if (e.height > 0) assert.deepEqual(again.readBlockUndo(mine), src.blockman.readBlockUndo(e));
        }
        const info = again.fileInfo.reduce((n, f) => n + f.nBlocks, 0);
        assert.equal(info, ordered.length);
      } finally {
        again.close();
      }
    } finally {
      src.close();
    }
  });
});
