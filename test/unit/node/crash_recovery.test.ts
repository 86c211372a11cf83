// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The Smithcoin Core developers; the licence text is in LICENSE.
// Crash windows of the chainstate that feature_crash_recovery.py found with SIGKILL, pinned here: the process
// "dies" by closing its databases without the shutdown flush, and the next start must find everything it had
// made durable.
import assert from 'node:assert/strict';
import { importBlocks } from '../../../src/node/blockstorage_import.js';
import { loadChainstate } from '../../../src/node/chainstate_load.js';
import type { ChainstateManager } from '../../../src/node/validation.js';
import { suiteTempDirs } from '../wrapper/temp_dirs.js';
import { extend, open, params, testClock, testConnector, testLogger } from './chain_helpers.js';

describe('node/crash recovery', () => {
  const tempDir = suiteTempDirs('smithcoin-crash-');
  const opened: ChainstateManager[] = [];
  afterEach(() => {
    for (const cm of opened.splice(0)) cm.close();
  });

  /** What SIGKILL leaves: whatever reached the databases and files, no shutdown flush. */
  function die(cm: ChainstateManager): void {
    cm.coinsDB.close();
    cm.blockman.close();
  }

  it('keeps the block index a reindex read from the files when it dies before connecting them', async () => {
    const dir = tempDir();
    const cm = await open(dir);
    const mined = await extend(cm, 5);
    cm.close();

    // A -reindex that dies just after reading the files: before this fix the reindex flag was erased while the
    // index it had read was still only in memory, so the next start saw an empty index and no reindex to resume.
    const { logger } = testLogger();
    const reindexing = loadChainstate({
      dataDir: dir, params, clock: testClock(), logger, connector: testConnector, dbCacheBytes: 16 << 20, pruneTarget: 0,
      fastPrune: false, useXor: true, reindex: true, reindexChainstate: false,
    });
    logger.pushBackCallback((line) => {
      if (line.includes('Reindexing finished')) reindexing.interrupt();
    });
    await importBlocks(reindexing);
    assert.equal(reindexing.chain.height(), 0, 'the crash comes before the blocks are connected');
    die(reindexing);

    const restarted = await open(dir);
    opened.push(restarted);
    assert.equal(restarted.chain.height(), 5);
    assert.equal(restarted.chain.tip()!.hashHex, mined[4]!.header.hashHex());
  });
});
