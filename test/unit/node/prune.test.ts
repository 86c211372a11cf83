// Pruning: -prune's rules, pruneblockchain on a chain in small (-fastprune) files, the prunedblockfiles flag and the
// refusal to start unpruned afterwards, and automatic pruning's choice of files.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { BlockManager, PRUNE_TARGET_MANUAL } from '../../../src/node/blockstorage.js';
import { FileInfo } from '../../../src/node/blockstorage_fileinfo.js';
import { MIN_DISK_SPACE_FOR_BLOCK_FILES, findFilesToPrune, pruneTargetFromArg } from '../../../src/node/blockstorage_prune.js';
import { ChainstateLoadError } from '../../../src/node/chainstate_load.js';
import { PruneBlockchainError } from '../../../src/node/validation_flush.js';
import { MutableTransaction, OutPoint } from '../../../src/primitives/transaction.js';
import { pushIntBytes } from '../../../src/script/script.js';
import { Block, BlockHeader } from '../../../src/primitives/block.js';
import { blockMerkleRoot } from '../../../src/consensus/merkle.js';
import { checkProofOfWork } from '../../../src/consensus/pow.js';
import type { ChainstateManager } from '../../../src/node/validation.js';
import { suiteTempDirs } from '../wrapper/temp_dirs.js';
import { OP_TRUE, open, params } from './chain_helpers.js';

const MiB = 1024 * 1024;

/** A block padded with a 2 KB data carrier, so a -fastprune file holds about 30 of them. */
function bigBlock(prev: { hash: Uint8Array; height: number; time: number }): Block {
  const cb = new MutableTransaction()
    .addInput(new OutPoint(), Uint8Array.from([...pushIntBytes(prev.height + 1), 0x00]))
    .addOutput(1_000_000n, OP_TRUE)
    .addOutput(0n, Uint8Array.from([0x6a, 0x4d, 0xd0, 0x07, ...new Uint8Array(2000)]))
    .toTransaction();
  const merkle = blockMerkleRoot([cb.txid]).root;
  for (let nonce = 0; ; nonce++) {
    const header = new BlockHeader({ version: 0x20000000, hashPrevBlock: prev.hash, hashMerkleRoot: merkle, time: prev.time + 1, bits: 0x207fffff, nonce });
    if (checkProofOfWork(header.hash, header.bits, params.consensus)) return new Block(header, [cb]);
  }
}

describe('node/prune', () => {
  const tempDir = suiteTempDirs('smithcoin-prune-');

  it('reads -prune as Core does', () => {
    assert.equal(pruneTargetFromArg(0), 0);
    assert.equal(pruneTargetFromArg(1), PRUNE_TARGET_MANUAL);
    assert.equal(pruneTargetFromArg(550), 550 * MiB);
    assert.throws(() => pruneTargetFromArg(-1), { message: 'Prune cannot be configured with a negative value.' });
    assert.throws(() => pruneTargetFromArg(549), { message: 'Prune configured below the minimum of 550 MiB.  Please use a higher number.' });
  });

  it('prunes whole files below a height on request, keeps 288 blocks, and will not start unpruned afterwards', async () => {
    const dir = tempDir();
    let cm: ChainstateManager | undefined = await open(dir, { pruneTarget: PRUNE_TARGET_MANUAL, fastPrune: true });
    try {
      assert.throws(() => cm!.pruneBlockchain(10), (e: unknown) => e instanceof PruneBlockchainError && e.message === 'Blockchain is too short for pruning.');
      for (let h = 0; h < params.pruneAfterHeight + 100; h++) {
        const r = await cm.processNewBlock(bigBlock(cm.chain.tip()!), { forceProcessing: true, minPowChecked: true });
        assert.ok(r.state.isValid(), r.state.toString());
      }
      const height = cm.chain.height();
      assert.ok(cm.blockman.fileInfo.length > 20, `${cm.blockman.fileInfo.length} files`);
      assert.throws(() => cm!.pruneBlockchain(height + 1), { message: 'Blockchain is shorter than the attempted prune height.' });
      const pruned = cm.pruneBlockchain(500);
      assert.ok(pruned >= 400 && pruned <= 500, `pruned up to ${pruned}`);
      assert.equal(cm.firstStoredHeight(), pruned + 1);
      assert.equal(fs.existsSync(path.join(dir, 'blocks', 'blk00000.dat')), false);
      assert.equal(fs.existsSync(path.join(dir, 'blocks', 'rev00000.dat')), false);
      assert.throws(() => cm!.readBlock(cm!.chain.at(10)!), { message: 'Block not available (pruned data)' });
      assert.equal(cm.readBlock(cm.chain.at(pruned + 1)!).header.hashHex(), cm.chain.at(pruned + 1)!.hashHex);
      assert.equal(cm.blockman.treeDB.readFlag('prunedblockfiles'), true);
      const closeTo = cm.pruneBlockchain(height);
      assert.ok(closeTo <= height - 288, 'the last 288 blocks stay');
      cm.close();
      cm = undefined;
      await assert.rejects(open(dir, { pruneTarget: 0, fastPrune: true }), (e: unknown) => e instanceof ChainstateLoadError
        && e.message === 'You need to rebuild the database using -reindex to go back to unpruned mode.  This will redownload the entire blockchain');
      cm = await open(dir, { pruneTarget: PRUNE_TARGET_MANUAL, fastPrune: true });
      assert.equal(cm.chain.height(), height);
      assert.equal(cm.firstStoredHeight(), closeTo + 1);
    } finally {
      cm?.close();
    }
  });

  it('removes the rev files and the blk files after the first gap when a pruned node reindexes, as Core', () => {
    const setUp = () => {
      const blocksDir = path.join(tempDir(), 'blocks');
      fs.mkdirSync(blocksDir, { recursive: true });
      for (const name of ['blk00000.dat', 'blk00001.dat', 'blk00003.dat', 'blk00004.dat', 'rev00000.dat', 'rev00003.dat', 'blk0001.dat', 'notes.txt']) {
        fs.writeFileSync(path.join(blocksDir, name), 'x');
      }
      return blocksDir;
    };
    const openWith = (blocksDir: string, pruneTarget: number, wipe: boolean) => {
      const lines: string[] = [];
      new BlockManager({ blocksDir, params, indexCacheBytes: 1 << 20, useXor: true, fastPrune: true, pruneTarget, wipe, log: (m) => lines.push(m) }).close();
      return { files: fs.readdirSync(blocksDir).filter((f) => f !== 'index' && f !== 'xor.dat').sort(), lines };
    };
    const pruned = openWith(setUp(), PRUNE_TARGET_MANUAL, true);
    assert.deepEqual(pruned.files, ['blk00000.dat', 'blk00001.dat', 'blk0001.dat', 'notes.txt']);
    assert.ok(pruned.lines.includes('Removing unusable blk?????.dat and rev?????.dat files for -reindex with -prune'));
    for (const [target, wipe] of [[0, true], [PRUNE_TARGET_MANUAL, false]] as const) {
      const kept = openWith(setUp(), target, wipe);
      assert.equal(kept.files.length, 8, `prune target ${target}, reindex ${wipe}: nothing removed`);
    }
  });

  it('picks the oldest files until usage is under the target, never files near the tip', () => {
    const bm = new BlockManager({
      blocksDir: path.join(tempDir(), 'blocks'), params, indexCacheBytes: 1 << 20, useXor: true, fastPrune: false,
      pruneTarget: MIN_DISK_SPACE_FOR_BLOCK_FILES, wipe: false, log: () => {},
    });
    try {
      for (let n = 0; n < 10; n++) {
        const f = new FileInfo();
        Object.assign(f, { nBlocks: 100, nSize: 100 * MiB, nUndoSize: 10 * MiB, nHeightFirst: n * 100, nHeightLast: n * 100 + 99 });
        bm.fileInfo.push(f);
      }
      const ctx = { tipHeight: 999, bestHeaderHeight: 999, pruneAfterHeight: 100, initialDownload: false, range: [0, 999 - 288] as [number, number] };
      assert.deepEqual(findFilesToPrune(bm, { ...ctx, tipHeight: 90 }, () => {}), [], 'not before pruneAfterHeight');
      assert.deepEqual(findFilesToPrune(bm, { ...ctx, range: [0, 299] }, () => {}), [0, 1, 2], 'files ending above the range stay');
      assert.equal(bm.fileInfo[0]!.nSize, 0);
      // 770 MiB left against 550 MiB with 17 MiB of room for the next chunks: three more files go.
      assert.deepEqual(findFilesToPrune(bm, ctx, () => {}), [3, 4, 5]);
      assert.deepEqual(findFilesToPrune(bm, ctx, () => {}), [], 'under the target');
    } finally {
      bm.close();
    }
  });
});
