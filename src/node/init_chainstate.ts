// Init's chainstate step (Core's AppInitMain step 7, "load block chain"): the script-check pool and caches, the
// block index and coins database, VerifyDB, then the import (reindex, -loadblock) running on while RPC serves.
// The RPC server is already up in warm-up while this runs.
import os from 'node:os';
import { ScriptCheckQueue } from '../script/check_queue.js';
import type { NodeContext } from './context.js';
import { cacheSizes, ChainstateLoadError, startChainstate } from './chainstate_load.js';
import { scriptCheckWorkerCount } from './connect_scripts.js';
import { ValidationCache, validationCacheBytesFromArg } from './script_cache.js';
import type { ChainstateManager } from './validation.js';
import { FlushStateMode, flushStateToDisk } from './validation_flush.js';
import { maxMempoolBytes } from './mempool_args.js';
import { ChainstateArgsError, chainstateOptionsFromArgs, dbCacheBytes } from './validation_args.js';

export interface LoadChainstateHooks {
  /** Core's uiInterface.InitMessage: shown to RPC clients as the warm-up status. */
  initMessage(message: string): void;
  /** Core's InitError: reports and returns false. */
  initError(message: string): false;
}

/** What shutdown undoes: the import is stopped, the state flushed, the databases and the worker threads closed. */
export interface ChainstateHandle {
  chainman: ChainstateManager;
  close(): Promise<void>;
}

const MiB = 1024 * 1024;

/** Core's "Cache configuration:" lines: how -dbcache is split, and the mempool's share the coins may borrow. */
function logCacheConfiguration(ctx: NodeContext): void {
  const sizes = cacheSizes(dbCacheBytes(ctx.args));
  const mib = (bytes: number): string => (bytes / MiB).toFixed(1);
  ctx.logger.info('Cache configuration:');
  ctx.logger.info(`* Using ${mib(sizes.blockTreeDB)} MiB for block index database`);
  ctx.logger.info(`* Using ${mib(sizes.coinsDB)} MiB for chain state database`);
  ctx.logger.info(`* Using ${mib(sizes.coinsCache)} MiB for in-memory UTXO set (plus up to ${mib(maxMempoolBytes(ctx.args))} MiB of unused mempool space)`);
}

/** Loads the chainstate into ctx.chainman; undefined after an init error. */
export async function loadChainstate(ctx: NodeContext, hooks: LoadChainstateHooks): Promise<ChainstateHandle | undefined> {
  const { args, logger } = ctx;
  logCacheConfiguration(ctx);
  const sigCacheMiB = args.getIntArg('-maxsigcachesize');
  const cacheBytes = validationCacheBytesFromArg(sigCacheMiB === undefined ? undefined : Number(sigCacheMiB));
  const validationCache = new ValidationCache(cacheBytes.scriptExecutionCacheBytes, cacheBytes.signatureCacheBytes);
  // Core's -par: the main thread verifies a share of each block, so N-1 workers make -par=N.
  const workers = scriptCheckWorkerCount(Number(args.getIntArg('-par', 0n)), os.availableParallelism());
  logger.info(`Script verification uses ${workers} additional threads`);
  const scriptQueue = workers > 0 ? new ScriptCheckQueue({ workers, signatureCacheBytes: cacheBytes.signatureCacheBytes }) : undefined;
  // In Core's order: the check queue, the block manager (xor key, index database), then the caches' lines.
  const onChainstateManager = (): void => {
    for (const line of validationCache.setupLogLines(cacheBytes.scriptExecutionCacheBytes, cacheBytes.signatureCacheBytes)) logger.info(line);
    hooks.initMessage('Loading block index…');
  };
  let started: Awaited<ReturnType<typeof startChainstate>>;
  try {
    const opts = chainstateOptionsFromArgs(args, { params: ctx.chainParams, clock: ctx.clock, logger, connect: { scriptQueue, validationCache } });
    started = await startChainstate({ ...opts, initMessage: (m) => hooks.initMessage(m), mempool: ctx.mempool, onChainstateManager });
  } catch (e) {
    await scriptQueue?.close();
    if (!(e instanceof ChainstateArgsError || e instanceof ChainstateLoadError)) throw e;
    hooks.initError(e.message);
    return undefined;
  }
  const { chainman } = started;
  ctx.chainman = chainman;
  // The import runs on, as Core's import thread: a failure there is fatal for the node.
  const imported = started.imported.catch((e: unknown) => {
    logger.error(`Block import failed: ${e instanceof Error ? e.message : String(e)}`);
    ctx.shutdown.request();
  });
  return {
    chainman,
    async close() {
      chainman.interrupt();
      await imported;
      // As Core's Shutdown: flush, deliver what that queued (ChainStateFlushed) while subscribers still listen, then
      // flush again as the databases close.
      flushStateToDisk(chainman, FlushStateMode.FORCE_FLUSH);
      await chainman.syncWithValidationInterfaceQueue();
      chainman.close();
      await scriptQueue?.close();
    },
  };
}
