// Opening the chainstate at start (Core's node::LoadChainstate and CompleteChainstateInitialization): the block index,
// the genesis block, the coins database (replaying an interrupted flush), the tip the coins are at, the candidates.
import path from 'node:path';
import type { ChainParams } from '../kernel/chainparams.js';
import { OutPoint } from '../primitives/transaction.js';
import { hashToHex, isZero } from '../util/hex.js';
import type { Logger } from '../util/logging.js';
import type { NodeClock } from '../util/time.js';
import { BlockManager, PRUNE_TARGET_MANUAL } from './blockstorage.js';
import { scanAndUnlinkAlreadyPrunedFiles } from './blockstorage_prune.js';
import type { BlockIndex } from './chain.js';
import { CoinsViewCache } from './coins.js';
import { CoinsViewDB } from './txdb.js';
import { type BlockConnector, ChainstateManager, type TipUpdateListener } from './validation.js';
import { ChainstateBlockConnector, type ConnectorOptions } from './validation_connector.js';
import { receivedBlockTransactions } from './validation_accept.js';
import { guessVerificationProgress, isoDateTime } from './validation_chain.js';
import { LogFlags } from '../util/logging.js';
import { MAX_FUTURE_BLOCK_TIME } from '../consensus/consensus.js';
import { importBlocks } from './blockstorage_import.js';
import { VerifyDBResult, verifyDBResult } from './verifydb.js';

/** A start that cannot go on, with Core's user-facing text. */
export class ChainstateLoadError extends Error {
  override name = 'ChainstateLoadError';
}

const MiB = 1024 * 1024;

/** How -dbcache is split (Core's CalculateCacheSizes): block index, coins database, and the rest for coins. */
export function cacheSizes(totalBytes: number): { blockTreeDB: number; coinsDB: number; coinsCache: number } {
  const blockTreeDB = Math.min(Math.floor(totalBytes / 8), 2 * MiB);
  let rest = totalBytes - blockTreeDB;
  const coinsDB = Math.min(Math.floor(rest / 2), 8 * MiB);
  rest -= coinsDB;
  return { blockTreeDB, coinsDB, coinsCache: rest };
}

export interface LoadChainstateOptions {
  /** The network's data directory: blocks/ and chainstate/ live in it. */
  dataDir: string;
  /** -blocksdir (default <dataDir>/blocks). */
  blocksDir?: string;
  params: ChainParams;
  clock: NodeClock;
  logger: Logger;
  /** Block connection: by default node/connect_block.ts with `connectOptions`. */
  connector?: BlockConnector;
  connectOptions?: ConnectorOptions;
  /** -dbcache in bytes. */
  dbCacheBytes: number;
  pruneTarget: number;
  fastPrune: boolean;
  useXor: boolean;
  reindex: boolean;
  reindexChainstate: boolean;
  maxTipAge?: number;
  minimumChainWork?: bigint;
  /** -dbbatchsize. */
  batchWriteBytes?: number;
  /** -maxmempool in bytes: the coins cache may use what the (empty) mempool does not. */
  maxMempoolBytes?: number;
  /** The node's mempool (ChainstateManagerOptions.mempool). */
  mempool?: TipUpdateListener;
  /**
   * Called once the chainstate manager exists (its block index database open), before the index is loaded: where
   * Core's ChainstateManager constructor logs the validation caches and init says "Loading block index…".
   */
  onChainstateManager?: () => void;
}

/** Core's LoadChainstate opening lines: what is verified, the work a chain needs, and pruning. */
function logValidationSettings(cm: ChainstateManager, opts: LoadChainstateOptions): void {
  const assumeValid = opts.connectOptions?.assumeValidHash;
  if (assumeValid !== undefined && !isZero(assumeValid)) cm.log(`Assuming ancestors of block ${hashToHex(assumeValid)} have valid signatures.`);
  else cm.log('Validating signatures for all blocks.');
  cm.log(`Setting nMinimumChainWork=${cm.minimumChainWork.toString(16).padStart(64, '0')}`);
  const defaultWork = opts.params.consensus.minimumChainWork;
  if (cm.minimumChainWork < defaultWork) opts.logger.warning(`nMinimumChainWork set below default value of ${defaultWork.toString(16).padStart(64, '0')}`);
  if (opts.pruneTarget === PRUNE_TARGET_MANUAL) cm.log('Block pruning enabled. Use RPC call pruneblockchain(height) to manually prune block and undo files.');
  else if (opts.pruneTarget > 0) cm.log(`Prune configured to target ${Math.floor(opts.pruneTarget / MiB)} MiB on disk for block and undo files.`);
}

function loadBlockIndex(cm: ChainstateManager): void {
  const bm = cm.blockman;
  if (!bm.blockfilesIndexed) return;
  bm.loadBlockIndexDB();
  scanAndUnlinkAlreadyPrunedFiles(bm, (m) => cm.debug(LogFlags.BLOCKSTORAGE, m));
  for (const e of [...bm.blockIndex.values()].sort((a, b) => a.height - b.height)) {
    if (e.isFailed() && (!cm.bestInvalid || e.chainWork > cm.bestInvalid.chainWork)) cm.bestInvalid = e;
    if (e.isValid(2)) cm.noteHeader(e);
  }
}

/** Stores the genesis block if the index lacks it (Core's LoadGenesisBlock). */
function loadGenesisBlock(cm: ChainstateManager): void {
  const genesis = cm.params.genesis;
  if (cm.blockman.lookup(genesis.header.hashHex())) return;
  const pos = cm.blockman.writeBlock(genesis, 0);
  const index = cm.blockman.addToBlockIndex(genesis.header);
  cm.noteHeader(index);
  receivedBlockTransactions(cm, genesis, index, pos);
}

/**
 * Finishes a flush that a crash interrupted (Core's ReplayBlocks): with head blocks [new, old] recorded, undoes the
 * old branch back to the fork and re-applies the new one. Both directions are idempotent on coins.
 */
export function replayBlocks(cm: ChainstateManager, db: CoinsViewDB): void {
  const heads = db.getHeadBlocks();
  if (heads.length === 0) return;
  const fail = (msg: string): never => {
    cm.logger.error(msg);
    throw new ChainstateLoadError('Unable to replay blocks. You will need to rebuild the database using -reindex-chainstate.');
  };
  if (heads.length !== 2) fail('ReplayBlocks(): unknown inconsistent state');
  cm.log('Replaying blocks');
  const cache = new CoinsViewCache(db);
  const newTip = cm.blockman.lookup(hashToHex(heads[0]!)) ?? fail('ReplayBlocks(): reorganization to unknown block requested');
  let old: BlockIndex | undefined;
  let fork: BlockIndex | undefined;
  if (!isZero(heads[1]!)) {
    old = cm.blockman.lookup(hashToHex(heads[1]!)) ?? fail('ReplayBlocks(): reorganization from unknown block requested');
    fork = lastCommonAncestor(old, newTip);
  }
  const forkHeight = fork ? fork.height : 0;
  if (old !== fork) {
    cm.log(`Rolling back from ${old!.hashHex} (${old!.height} to ${forkHeight})`);
    for (let o = old; o !== fork; o = o!.prev) {
      if (o!.height === 0) continue;
      if (cm.connector.disconnectBlock(cm.blockman.readBlock(o!), o!, cm.blockman.readBlockUndo(o!), cache) === 'failed') {
        fail(`RollbackBlock(): DisconnectBlock failed at ${o!.height}, hash=${o!.hashHex}`);
      }
    }
    cm.log(`Rolled back to ${fork!.hashHex}`);
  }
  if (forkHeight < newTip.height) {
    cm.log(`Rolling forward to ${newTip.hashHex} (${forkHeight} to ${newTip.height})`);
    for (let h = forkHeight + 1; h <= newTip.height; h++) rollforwardBlock(cm, newTip.getAncestor(h)!, cache);
    cm.log(`Rolled forward to ${newTip.hashHex}`);
  }
  cache.setBestBlock(newTip.hash);
  cache.flush();
}

function lastCommonAncestor(a: BlockIndex, b: BlockIndex): BlockIndex | undefined {
  let x: BlockIndex | undefined = a.getAncestor(Math.min(a.height, b.height));
  let y: BlockIndex | undefined = b.getAncestor(Math.min(a.height, b.height));
  while (x !== y && x && y) {
    x = x.prev;
    y = y.prev;
  }
  return x;
}

/** Applies a block's spends and outputs without checks (Core's RollforwardBlock); every add may overwrite. */
function rollforwardBlock(cm: ChainstateManager, index: BlockIndex, cache: CoinsViewCache): void {
  const block = cm.blockman.readBlock(index);
  for (const tx of block.vtx) {
    if (!tx.isCoinBase()) for (const input of tx.vin) cache.spendCoin(input.prevout);
    tx.vout.forEach((out, n) => cache.addCoin(new OutPoint(tx.txid, n), { out, height: index.height, coinbase: tx.isCoinBase() }, true));
  }
}

/** Points the active chain at the block the coins are at (Core's LoadChainTip). */
function loadChainTip(cm: ChainstateManager): void {
  const tip = cm.blockman.lookup(hashToHex(cm.coinsCache.getBestBlock()));
  if (!tip) throw new ChainstateLoadError('Error initializing block database');
  cm.chain.setTip(tip);
  cm.updateIBDStatus();
  cm.lastFlushedBlock = tip;
  for (let t: BlockIndex | undefined = tip; t; t = t.prev) t.sequenceId = 0;
  cm.log(`Loaded best chain: hashBestChain=${tip.hashHex} height=${tip.height} date=${isoDateTime(tip.time)} progress=${guessVerificationProgress(cm, tip).toFixed(6)}`);
}

/** Opens (or creates) the chainstate; with -reindex the block index is wiped and must be rebuilt by importBlocks. */
export function loadChainstate(opts: LoadChainstateOptions): ChainstateManager {
  const sizes = cacheSizes(opts.dbCacheBytes);
  const dbLog = {
    info: (m: string) => opts.logger.info(m),
    leveldb: (m: string) => opts.logger.debug(LogFlags.LEVELDB, m),
    leveldbEnabled: () => opts.logger.shouldDebugLog(LogFlags.LEVELDB),
  };
  const blockman = new BlockManager({
    blocksDir: opts.blocksDir ?? path.join(opts.dataDir, 'blocks'), indexDir: path.join(opts.dataDir, 'blocks', 'index'),
    params: opts.params, indexCacheBytes: sizes.blockTreeDB,
    useXor: opts.useXor, fastPrune: opts.fastPrune, pruneTarget: opts.pruneTarget, wipe: opts.reindex,
    log: (m) => opts.logger.info(m), logDebug: (m) => opts.logger.debug(LogFlags.BLOCKSTORAGE, m), dbLog,
    logValidation: (m) => opts.logger.debug(LogFlags.VALIDATION, m),
  });
  const connector = opts.connector ?? new ChainstateBlockConnector(opts.connectOptions ?? { params: opts.params });
  const cm = new ChainstateManager(blockman, {
    params: opts.params, clock: opts.clock, logger: opts.logger, connector, coinsCacheBytes: sizes.coinsCache,
    maxTipAge: opts.maxTipAge, minimumChainWork: opts.minimumChainWork, maxMempoolBytes: opts.maxMempoolBytes, mempool: opts.mempool, checkBlockOptions: opts.connectOptions?.checkBlockOptions,
  });
  if (connector instanceof ChainstateBlockConnector) connector.chainman = cm;
  try {
    opts.onChainstateManager?.();
    logValidationSettings(cm, opts);
    loadBlockIndex(cm);
    if (blockman.blockIndex.size > 0 && !blockman.lookup(hashToHex(opts.params.consensus.hashGenesisBlock))) {
      throw new ChainstateLoadError('Incorrect or no genesis block found. Wrong datadir for network?');
    }
    if (blockman.havePruned && !blockman.pruneMode) {
      throw new ChainstateLoadError('You need to rebuild the database using -reindex to go back to unpruned mode.  This will redownload the entire blockchain');
    }
    if (blockman.blockfilesIndexed) loadGenesisBlock(cm);
    // Core's Chainstate::ToString before the coins are opened: no tip yet, and never a snapshot here.
    cm.log('Initializing chainstate Chainstate [ibd] @ height -1 (null)');
    cm.coinsDB = new CoinsViewDB(
      { path: path.join(opts.dataDir, 'chainstate'), cacheBytes: sizes.coinsDB, obfuscate: true, wipe: opts.reindex || opts.reindexChainstate, log: dbLog },
      { batchWriteBytes: opts.batchWriteBytes }, (m) => cm.debug(LogFlags.COINDB, m),
    );
    replayBlocks(cm, cm.coinsDB);
    cm.coinsCache = new CoinsViewCache(cm.coinsDB);
    if (!isZero(cm.coinsCache.getBestBlock())) loadChainTip(cm);
    cm.populateCandidates();
    return cm;
  } catch (e) {
    cm.coinsDB?.close();
    blockman.close();
    throw e;
  }
}

/**
 * What init does with the chainstate (Core's LoadChainstate, VerifyLoadedChainstate, then ImportBlocks on its own
 * thread): returns the chainstate ready for RPC, and the import (reindex, -loadblock, activation) still running.
 */
export async function startChainstate(
  opts: LoadChainstateOptions & { checkBlocks: number; checkLevel: number; loadBlockFiles: string[]; initMessage?: (message: string) => void },
): Promise<{ chainman: ChainstateManager; imported: Promise<void> }> {
  const cm = loadChainstate(opts);
  opts.initMessage?.('Verifying blocks…');
  try {
    const tip = cm.chain.tip();
    if (tip && !opts.reindex && !opts.reindexChainstate) {
      if (tip.time > opts.clock.now() + MAX_FUTURE_BLOCK_TIME) {
        throw new ChainstateLoadError('The block database contains a block which appears to be from the future. This may be due to your computer\'s date and time being set incorrectly. Only rebuild the block database if you are sure that your computer\'s date and time are correct');
      }
      const result = await cm.exclusive(() => verifyDBResult(cm, opts.checkLevel, opts.checkBlocks));
      if (result === VerifyDBResult.CORRUPTED_BLOCK_DB) throw new ChainstateLoadError('Corrupted block database detected');
    }
  } catch (e) {
    cm.close();
    throw e;
  }
  cm.log('Block index and chainstate loaded');
  return { chainman: cm, imported: importBlocks(cm, opts.loadBlockFiles) };
}
