// Writing the chainstate to disk (Core's FlushStateToDisk): blk/rev files are fsynced first, then the block index
// (which points into them) in one synced batch, then pruned files are removed, and last the coins cache (which
// refers to block index entries) through the head-blocks protocol. Also manual pruning (pruneblockchain).
import { isZero } from '../util/hex.js';
import { LogFlags } from '../util/logging.js';
import { checkDiskSpace, DiskSpaceError } from './blockstorage_files.js';
import {
  MIN_BLOCKS_TO_KEEP, findFilesToPrune, findFilesToPruneManual, firstStoredHeight, pruneRange, unlinkPrunedFiles,
} from './blockstorage_prune.js';
import { ChainstateFatalError, type ChainstateManager } from './validation.js';

export enum FlushStateMode {
  NONE,
  IF_NEEDED,
  PERIODIC,
  FORCE_FLUSH,
  FORCE_SYNC,
}

const MODE_NAMES = ['NONE', 'IF_NEEDED', 'PERIODIC', 'FORCE_FLUSH', 'FORCE_SYNC'];
/** Core's DATABASE_WRITE_INTERVAL_MIN/MAX: periodic writes happen 50 to 70 minutes apart. */
const WRITE_INTERVAL_MIN_MS = 50 * 60 * 1000;
const WRITE_INTERVAL_RANGE_MS = 20 * 60 * 1000;
/** Core's MAX_BLOCK_COINSDB_USAGE_BYTES: headroom the cache keeps for one more block. */
const MAX_BLOCK_COINSDB_USAGE_BYTES = 10 * 1024 * 1024;

export enum CoinsCacheSizeState { OK, LARGE, CRITICAL }

/**
 * Core's GetCoinsCacheSizeState: over budget is critical; within 10% (or 10 MiB) of it is large. The budget is the
 * coins cache's share of -dbcache plus what the mempool leaves unused of -maxmempool: all of it, the pool being empty.
 */
export function coinsCacheSizeState(cm: ChainstateManager): CoinsCacheSizeState {
  const size = cm.coinsCache.dynamicMemoryUsage();
  const total = cm.coinsCacheBytes + cm.maxMempoolBytes;
  if (size > total) {
    cm.log(`Cache size (${size}) exceeds total space (${total})`);
    return CoinsCacheSizeState.CRITICAL;
  }
  const large = Math.max(Math.floor((total * 9) / 10), total - MAX_BLOCK_COINSDB_USAGE_BYTES);
  return size > large ? CoinsCacheSizeState.LARGE : CoinsCacheSizeState.OK;
}

function pruneFiles(cm: ChainstateManager, manualHeight: number): number[] {
  const bm = cm.blockman;
  if (!bm.pruneMode || !(bm.checkForPruning || manualHeight > 0) || !bm.blockfilesIndexed) return [];
  const lastPrune = cm.chain.height();
  let files: number[];
  if (manualHeight > 0) {
    files = findFilesToPruneManual(bm, pruneRange(cm.chain.height(), Math.min(lastPrune, manualHeight)), (m) => cm.log(m));
  } else {
    files = findFilesToPrune(bm, {
      tipHeight: cm.chain.height(), bestHeaderHeight: cm.bestHeaderIndex?.height ?? -1, pruneAfterHeight: cm.params.pruneAfterHeight,
      initialDownload: cm.isInitialBlockDownload(), range: pruneRange(cm.chain.height(), lastPrune),
    }, (m) => cm.debug(LogFlags.PRUNE, m));
    bm.checkForPruning = false;
  }
  if (files.length > 0 && !bm.havePruned) {
    bm.treeDB.writeFlag('prunedblockfiles', true);
    bm.havePruned = true;
  }
  return files;
}

/** Core's FlushStateToDisk. Disk trouble throws ChainstateFatalError with Core's text. */
export function flushStateToDisk(cm: ChainstateManager, mode: FlushStateMode, manualPruneHeight = 0): void {
  try {
    const files = pruneFiles(cm, manualPruneHeight);
    const cacheState = coinsCacheSizeState(cm);
    const now = cm.clock.nowMs();
    const cacheLarge = mode === FlushStateMode.PERIODIC && cacheState >= CoinsCacheSizeState.LARGE;
    const cacheCritical = mode === FlushStateMode.IF_NEEDED && cacheState >= CoinsCacheSizeState.CRITICAL;
    const periodic = mode === FlushStateMode.PERIODIC && cm.nextWrite !== undefined && now >= cm.nextWrite;
    const emptyCache = mode === FlushStateMode.FORCE_FLUSH || cacheLarge || cacheCritical;
    const write = mode === FlushStateMode.FORCE_SYNC || emptyCache || periodic || files.length > 0;
    let flushed = false;
    if (write) {
      cm.debug(LogFlags.COINDB, `Writing chainstate to disk: flush mode=${MODE_NAMES[mode]}, prune=${files.length > 0 ? 1 : 0}, large=${cacheLarge ? 1 : 0}, critical=${cacheCritical ? 1 : 0}, periodic=${periodic ? 1 : 0}`);
      if (!checkDiskSpace(cm.blockman.opts.blocksDir)) throw new DiskSpaceError();
      cm.blockman.flushChainstateBlockFile();
      cm.blockman.writeBlockIndexDB();
      if (files.length > 0) unlinkPrunedFiles(cm.blockman, files, (m) => cm.debug(LogFlags.BLOCKSTORAGE, m));
      if (!isZero(cm.coinsCache.getBestBlock())) {
        if (!checkDiskSpace(cm.blockman.opts.blocksDir, 48 * 2 * 2 * cm.coinsCache.dirtyEntries)) throw new DiskSpaceError();
        if (emptyCache) cm.coinsCache.flush();
        else cm.coinsCache.sync();
        cm.lastFlushedBlock = cm.blockman.lookup(Buffer.from(cm.coinsCache.getBestBlock()).reverse().toString('hex'));
        flushed = true;
      }
    }
    if (write || cm.nextWrite === undefined) cm.nextWrite = now + WRITE_INTERVAL_MIN_MS + Math.floor(Math.random() * WRITE_INTERVAL_RANGE_MS);
    if (flushed && cm.lastFlushedBlock) cm.signals.chainStateFlushed(cm.lastFlushedBlock);
  } catch (e) {
    if (e instanceof DiskSpaceError) throw new ChainstateFatalError('Disk space is too low!', { cause: e });
    if (e instanceof ChainstateFatalError) throw e;
    throw new ChainstateFatalError(`System error while flushing: ${(e as Error).message}`, { cause: e });
  }
}

/** Core's errors of pruneblockchain, for the RPC layer to map (RPC_MISC_ERROR unless `invalidParameter`). */
export class PruneBlockchainError extends Error {
  override name = 'PruneBlockchainError';
  constructor(message: string, readonly invalidParameter: boolean) {
    super(message);
  }
}

/**
 * pruneblockchain's work: prunes files wholly below `height` (kept at least MIN_BLOCKS_TO_KEEP below the tip) and
 * returns the height of the last pruned block (the first stored height - 1).
 */
export function pruneBlockchain(cm: ChainstateManager, height: number): number {
  if (!cm.pruneMode) throw new PruneBlockchainError('Cannot prune blocks because node is not in prune mode.', false);
  if (height < 0) throw new PruneBlockchainError('Negative block height.', true);
  const chainHeight = cm.chain.height();
  if (chainHeight < cm.params.pruneAfterHeight) throw new PruneBlockchainError('Blockchain is too short for pruning.', false);
  if (height > chainHeight) throw new PruneBlockchainError('Blockchain is shorter than the attempted prune height.', true);
  if (height > chainHeight - MIN_BLOCKS_TO_KEEP) {
    cm.debug(LogFlags.RPC, 'Attempt to prune blocks close to the tip.  Retaining the minimum number of blocks.');
    height = chainHeight - MIN_BLOCKS_TO_KEEP;
  }
  flushStateToDisk(cm, FlushStateMode.NONE, height);
  return firstStoredHeight(cm.chain.tip()) - 1;
}
