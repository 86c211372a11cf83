// Init's chainstate step (Core's AppInitMain step 7, "load block chain"): the script-check pool and caches, the
// block index and coins database, VerifyDB, then the import (reindex, -loadblock) running on while RPC serves.
// The RPC server is already up in warm-up while this runs.
import os from 'node:os';
import { ScriptCheckQueue } from '../script/check_queue.js';
import type { NodeContext } from './context.js';
import { ChainstateLoadError, startChainstate } from './chainstate_load.js';
import { ValidationCache, validationCacheBytesFromArg } from './script_cache.js';
import type { ChainstateManager } from './validation.js';
import { ChainstateArgsError, chainstateOptionsFromArgs } from './validation_args.js';

/** Core's MAX_SCRIPTCHECK_THREADS: at most this many verification threads besides the main one. */
export const MAX_SCRIPTCHECK_THREADS = 15;

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

/**
 * Verification threads for -par (Core's rule: 0 = one per core, negative = leave that many cores free, capped),
 * as the number of worker threads: the main thread only awaits the batch here, so -par=N means N workers, and
 * -par=1 verifies inline.
 */
export function scriptCheckWorkers(par: number, cores: number = os.availableParallelism()): number {
  let n = par <= 0 ? cores + par : par;
  n = Math.min(Math.max(n, 1), MAX_SCRIPTCHECK_THREADS + 1);
  return n;
}

/** Loads the chainstate into ctx.chainman; undefined after an init error. */
export async function loadChainstate(ctx: NodeContext, hooks: LoadChainstateHooks): Promise<ChainstateHandle | undefined> {
  const { args, logger } = ctx;
  const workers = scriptCheckWorkers(Number(args.getIntArg('-par', 0n)));
  logger.info(`Script verification uses ${workers - 1} additional threads`);
  const scriptQueue = workers >= 2 ? new ScriptCheckQueue({ workers }) : undefined;
  const sigCacheMiB = args.getIntArg('-maxsigcachesize');
  const cacheBytes = validationCacheBytesFromArg(sigCacheMiB === undefined ? undefined : Number(sigCacheMiB));
  const validationCache = new ValidationCache(cacheBytes.scriptExecutionCacheBytes, cacheBytes.signatureCacheBytes);
  hooks.initMessage('Loading block index…');
  let started: Awaited<ReturnType<typeof startChainstate>>;
  try {
    const opts = chainstateOptionsFromArgs(args, { params: ctx.chainParams, clock: ctx.clock, logger, connect: { scriptQueue, validationCache } });
    started = await startChainstate(opts);
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
      chainman.close();
      await scriptQueue?.close();
    },
  };
}
