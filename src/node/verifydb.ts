// Checking the last blocks of the active chain (Core's CVerifyDB::VerifyDB, -checkblocks/-checklevel, verifychain):
// level 0 reads each block, 1 runs CheckBlock, 2 reads its undo data, 3 disconnects the blocks from a scratch view
// of the coins, 4 connects them again.
import { checkBlock } from '../consensus/block_check.js';
import { BlockValidationState } from '../consensus/validation.js';
import type { Block } from '../primitives/block.js';
import type { BlockIndex } from './chain.js';
import { CoinsViewCache } from './coins.js';
import type { ChainstateManager } from './validation.js';

export enum VerifyDBResult {
  SUCCESS,
  CORRUPTED_BLOCK_DB,
  INTERRUPTED,
  SKIPPED_L3_CHECKS,
  SKIPPED_MISSING_BLOCKS,
}

/** Yields to the event loop so RPC is served during a long check. */
const yieldLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

class Progress {
  private reported = 0;
  constructor(private readonly cm: ChainstateManager) {}
  report(done: number): void {
    if (this.reported < Math.floor(done / 10)) {
      this.cm.log(`Verification progress: ${done}%`);
      this.reported = Math.floor(done / 10);
    }
  }
}

function corrupt(cm: ChainstateManager, msg: string): VerifyDBResult {
  cm.logger.error(`Verification error: ${msg}`);
  return VerifyDBResult.CORRUPTED_BLOCK_DB;
}

function tryRead(cm: ChainstateManager, index: BlockIndex): Block | undefined {
  try {
    return cm.blockman.readBlock(index);
  } catch (e) {
    cm.logger.error(String((e as Error).message));
    return undefined;
  }
}

export async function verifyDBResult(cm: ChainstateManager, level: number, depth: number): Promise<VerifyDBResult> {
  const tip = cm.chain.tip();
  if (!tip || !tip.prev) return VerifyDBResult.SUCCESS;
  const height = cm.chain.height();
  if (depth <= 0 || depth > height) depth = height;
  level = Math.max(0, Math.min(4, level));
  cm.log(`Verifying last ${depth} blocks at level ${level}`);
  const coins = new CoinsViewCache(cm.coinsCache);
  const progress = new Progress(cm);
  let failure: BlockIndex | undefined;
  let good = 0;
  let skippedNoData = false;
  let skippedL3 = false;
  cm.log('Verification progress: 0%');
  let index: BlockIndex = tip;
  for (; index.prev; index = index.prev) {
    progress.report(Math.max(1, Math.min(99, Math.trunc(((height - index.height) / depth) * (level >= 4 ? 50 : 100)))));
    if (index.height <= height - depth) break;
    if (cm.pruneMode && !index.haveData()) {
      cm.log(`Block verification stopping at height ${index.height} (no data). This could be due to pruning or use of an assumeutxo snapshot.`);
      skippedNoData = true;
      break;
    }
    const block = tryRead(cm, index);
    if (!block) return corrupt(cm, `ReadBlock failed at ${index.height}, hash=${index.hashHex}`);
    const state = new BlockValidationState();
    if (level >= 1 && !checkBlock(block, state, cm.params.consensus, cm.checkBlockOptions)) {
      return corrupt(cm, `found bad block at ${index.height}, hash=${index.hashHex} (${state.toString()})`);
    }
    let undo;
    if (level >= 2 && index.haveUndo()) {
      try {
        undo = cm.blockman.readBlockUndo(index);
      } catch (e) {
        cm.logger.error(String((e as Error).message));
        return corrupt(cm, `found bad undo data at ${index.height}, hash=${index.hashHex}`);
      }
    }
    if (level >= 3) {
      if (coins.dynamicMemoryUsage() + cm.coinsCache.dynamicMemoryUsage() <= cm.coinsCacheBytes && undo) {
        const res = cm.connector.disconnectBlock(block, index, undo, coins);
        if (res === 'failed') return corrupt(cm, `irrecoverable inconsistency in block data at ${index.height}, hash=${index.hashHex}`);
        coins.setBestBlock(index.prev.hash);
        if (res === 'unclean') {
          good = 0;
          failure = index;
        } else {
          good += block.vtx.length;
        }
      } else {
        skippedL3 = true;
      }
    }
    await yieldLoop();
  }
  if (failure) {
    return corrupt(cm, `coin database inconsistencies found (last ${height - failure.height + 1} blocks, ${good} good transactions before that)`);
  }
  if (skippedL3) cm.logger.warning('Skipped verification of level >=3 (insufficient database cache size). Consider increasing -dbcache.');
  const blockCount = height - index.height;
  if (level >= 4 && !skippedL3) {
    while (index !== cm.chain.tip()) {
      progress.report(Math.max(1, Math.min(99, 100 - Math.trunc(((height - index.height) / depth) * 50))));
      index = cm.chain.next(index)!;
      const block = tryRead(cm, index);
      if (!block) return corrupt(cm, `ReadBlock failed at ${index.height}, hash=${index.hashHex}`);
      const state = new BlockValidationState();
      if ((await cm.connector.connectBlock(block, index, coins, state, false)) === undefined) {
        return corrupt(cm, `found unconnectable block at ${index.height}, hash=${index.hashHex} (${state.toString()})`);
      }
      coins.setBestBlock(index.hash);
      await yieldLoop();
    }
  }
  cm.log(`Verification: checked last ${blockCount} blocks at level ${level}`);
  if (level >= 3) cm.log(`Verification: no coin database inconsistencies (${good} transactions)`);
  if (skippedL3) return VerifyDBResult.SKIPPED_L3_CHECKS;
  if (skippedNoData) return VerifyDBResult.SKIPPED_MISSING_BLOCKS;
  return VerifyDBResult.SUCCESS;
}

/** verifychain's answer: true only when everything checked out. */
export async function verifyDB(cm: ChainstateManager, level: number, depth: number): Promise<boolean> {
  return (await verifyDBResult(cm, level, depth)) === VerifyDBResult.SUCCESS;
}
