// The script checks of one block (Core's CheckInputScripts and CCheckQueueControl as ConnectBlock uses them):
// consult the script-execution cache, then verify inline (-par=1) or hand the transaction to the worker pool.
// A first chunk goes to the pool while the block is still being connected, so a worker starts early; the rest goes
// in one part per worker when the transaction loop ends (each message may wake a thread: fewer is cheaper), and the
// caller joins them with complete() before it returns. A block with fewer inputs to check than the first chunk
// holds sends nothing: the caller verifies them with verifyRemaining() after the loop.
import type { Transaction, TxOut } from '../primitives/transaction.js';
import { type PostedBatch, type ScriptCheckQueue, type TxScriptResult, makeScriptCheckJob, splitByWeight, verifyTransactionScripts } from '../script/check_queue.js';
import { ScriptError, scriptErrorString } from '../script/script_error.js';
import type { ScriptVerifyFlags } from '../script/verify_flags.js';
import { hashToHex } from '../util/hex.js';
import type { MaybePromise } from '../util/maybe_async.js';
import type { ScriptsAhead } from './connect_scripts_ahead.js';
import type { ValidationCache } from './script_cache.js';

/** A failed script check: Core's reject reason and debug string. */
export interface ScriptFailure {
  reason: string;
  debug: string;
}

/**
 * Default inputs of the first chunk: large enough to amortise a message to a worker, small enough that the first
 * worker starts while the transaction loop still runs.
 */
export const DEFAULT_SCRIPT_CHUNK_INPUTS = 16;

/** Core's -par default (0: one thread per core) and its cap on worker threads. */
export const DEFAULT_SCRIPTCHECK_THREADS = 0;
export const MAX_SCRIPTCHECK_THREADS = 15;

/**
 * Core's -par=<n> as a worker count: n threads in all, the main thread included; 0 means one per core and -k leaves
 * k cores free. 0 workers means inline verification (no pool). Core logs "Script verification uses N additional
 * threads" with this number.
 */
export function scriptCheckWorkerCount(par: number, cores: number): number {
  const threads = par <= 0 ? par + cores : par;
  return Math.min(Math.max(threads - 1, 0), MAX_SCRIPTCHECK_THREADS);
}

/** Core's text for a failing input: which input of which transaction, and the outpoint it spends. */
export function scriptFailure(tx: Transaction, result: TxScriptResult): ScriptFailure {
  const prevout = tx.vin[result.input]!.prevout;
  return {
    reason: `block-script-verify-flag-failed (${scriptErrorString(result.error)})`,
    debug: `input ${result.input} of ${tx.txidHex()} (wtxid ${tx.wtxidHex()}), spending ${hashToHex(prevout.hash)}:${prevout.n}`,
  };
}

export interface BlockScriptChecksOptions {
  flags: ScriptVerifyFlags;
  cache: ValidationCache | undefined;
  /**
   * The worker pool. With one, the main thread also verifies some chunks (after the transaction loop), as Core's
   * master thread joins its CCheckQueue: a pool of N-1 workers is Core's -par=N.
   */
  queue: ScriptCheckQueue | undefined;
  /**
   * Remember results (Core's fCacheResults, on for fJustCheck): valid signatures go to the signature cache and
   * fully valid transactions to the script-execution cache. Off, a cache hit is consumed instead.
   */
  cacheStore: boolean;
  /** Inputs of the first chunk of work (default DEFAULT_SCRIPT_CHUNK_INPUTS). */
  chunkInputs?: number;
  /**
   * This block's checks as posted while the previous block was connected (connect_scripts_ahead.ts): the
   * transactions they match are not queued again. The caller drops what was not used.
   */
  ahead?: ScriptsAhead;
}

interface Queued {
  tx: Transaction;
  spent: readonly TxOut[];
  /** The script-execution cache entry to insert on success (when storing). */
  entry: string | undefined;
}

/** Transactions whose results come from one batch, and that batch (a chunk posted by this block, or posted ahead). */
interface PooledGroup {
  items: Queued[];
  batch: Pick<PostedBatch, 'resultsNow' | 'results'>;
}

interface Chunk {
  items: Queued[];
  /** The batch sent to the pool (the main thread may still run some of its jobs). */
  posted: PostedBatch;
}

export class BlockScriptChecks {
  private readonly opts: BlockScriptChecksOptions;
  private readonly chunkInputs: number;
  /** Inputs at which the current chunk is cut: chunkInputs for the first, then only at the end of the block. */
  private cutAt: number;
  private readonly chunks: Chunk[] = [];
  private current: Queued[] = [];
  private currentInputs = 0;
  /** Transactions whose posted-ahead checks were used, in block order, with their cache entries to insert. */
  private readonly aheadItems: Queued[] = [];
  /** Inputs whose scripts were checked or queued, and transactions skipped thanks to the cache. */
  inputsChecked = 0;
  cacheHits = 0;

  constructor(opts: BlockScriptChecksOptions) {
    this.opts = opts;
    this.chunkInputs = opts.chunkInputs ?? DEFAULT_SCRIPT_CHUNK_INPUTS;
    if (!Number.isInteger(this.chunkInputs) || this.chunkInputs < 1) throw new RangeError(`chunkInputs must be a positive integer, got ${this.chunkInputs}`);
    this.cutAt = this.chunkInputs;
  }

  /**
   * Checks (inline) or queues (with a pool) the input scripts of `tx`, given the outputs it spends. Inline, a
   * failure is returned at once; queued failures come from complete().
   */
  add(tx: Transaction, spent: readonly TxOut[]): ScriptFailure | undefined {
    const { flags, cache, queue, cacheStore } = this.opts;
    const sec = cache?.scriptExecutionCache;
    const entry = sec?.entry(tx.wtxid, flags);
    if (sec && entry !== undefined && sec.contains(entry, !cacheStore)) {
      this.cacheHits++;
      return undefined;
    }
    this.inputsChecked += tx.vin.length;
    const storeEntry = cacheStore ? entry : undefined;
    if (!queue) {
      const result = this.verifyHere(tx, spent);
      if (result.error !== ScriptError.SCRIPT_ERR_OK) return scriptFailure(tx, result);
      if (storeEntry !== undefined) sec!.insert(storeEntry);
      return undefined;
    }
    if (this.opts.ahead?.take(tx, spent, flags)) {
      this.aheadItems.push({ tx, spent, entry: storeEntry });
      return undefined;
    }
    this.current.push({ tx, spent, entry: storeEntry });
    this.currentInputs += tx.vin.length;
    if (this.currentInputs >= this.cutAt) {
      this.cutChunk(this.takeCurrent());
      this.cutAt = Infinity;
    }
    return undefined;
  }

  private verifyHere(tx: Transaction, spent: readonly TxOut[]): TxScriptResult {
    const { flags, cache, cacheStore } = this.opts;
    return verifyTransactionScripts(tx, spent, flags, cache ? { cache: cache.signatureCache, store: cacheStore } : undefined);
  }

  /**
   * Sends the current chunk to the pool at once: a worker never waits for the main thread's event loop, and the
   * main thread takes back, in complete(), whatever no worker has started by then.
   */
  private takeCurrent(): Queued[] {
    const items = this.current;
    this.current = [];
    this.currentInputs = 0;
    return items;
  }

  private cutChunk(items: Queued[]): void {
    const { flags, cacheStore, queue } = this.opts;
    const posted = queue!.post(items.map((q) => makeScriptCheckJob(q.tx, q.spent, flags, cacheStore)), true);
    this.chunks.push({ items, posted });
  }

  /**
   * Whether jobs went to the pool: only then must complete() be awaited. A block whose checks never filled the
   * first chunk keeps them for verifyRemaining(): a message, a wake-up and a join cost more than they save there.
   */
  hasPoolWork(): boolean {
    return this.chunks.length > 0 || this.aheadItems.length > 0;
  }

  /**
   * Verifies, here and now, the jobs kept back when nothing went to the pool (see hasPoolWork), after the
   * transaction loop as the pool's results would come: an earlier failure of the block still comes first.
   */
  verifyRemaining(): ScriptFailure | undefined {
    if (this.hasPoolWork()) throw new Error('verifyRemaining: jobs went to the pool; complete() joins them');
    for (const { tx, spent, entry } of this.takeCurrent()) {
      const result = this.verifyHere(tx, spent);
      if (result.error !== ScriptError.SCRIPT_ERR_OK) return scriptFailure(tx, result);
      if (entry !== undefined) this.opts.cache!.scriptExecutionCache.insert(entry);
    }
    return undefined;
  }

  /**
   * Verifies the jobs that no worker has started (latest chunk first, the workers take the earliest), then waits for
   * the pool (Core's CCheckQueueControl::Complete). Returns the first failure in block order: at once when the
   * workers' results came within the short join wait, else as a promise. Throws (or rejects) when a worker failed:
   * an exception is not a script result.
   *
   * `sideWork` runs first, once the workers hold every job: serial work of the caller that does not depend on the
   * scripts' verdict (the next block's read, this block's undo bytes) is then done while the workers verify, not
   * while they wait for the next block. Only the jobs left when it returns are shared with this thread.
   */
  complete(sideWork?: () => void): MaybePromise<ScriptFailure | undefined> {
    const rest = this.takeCurrent();
    if (this.opts.queue) for (const part of splitByWeight(rest, (q) => q.tx.vin.length, this.opts.queue.size)) this.cutChunk(part);
    // Nothing went to the pool (scripts ran inline, or the block spends nothing): nothing to wait for.
    if (!this.hasPoolWork()) return undefined;
    const ahead = this.aheadItems.length > 0 ? this.opts.ahead : undefined;
    try {
      sideWork?.();
      // The workers take the earliest batches first: this thread starts from the latest.
      for (let k = this.chunks.length - 1; k >= 0; k--) {
        const { items, posted } = this.chunks[k]!;
        posted.help((i) => this.verifyHere(items[i]!.tx, items[i]!.spent));
      }
      ahead?.help((tx, spent) => this.verifyHere(tx, spent));
    } catch (e) {
      return this.joinAndThrow(e);
    }
    // The workers are on their last jobs by now: their results are usually here without a turn of the event loop.
    const groups = this.pooledGroups();
    const now: TxScriptResult[][] = [];
    for (const { batch } of groups) {
      const results = batch.resultsNow();
      if (results === undefined) break;
      now.push(results);
    }
    if (now.length === groups.length) return this.verdict(groups, now);
    return Promise.all(groups.map((g, k) => now[k] ?? g.batch.results())).then((pooled) => this.verdict(groups, pooled));
  }

  /** Where this block's pooled results come from, in block order: the posted-ahead checks used, then the chunks. */
  private pooledGroups(): PooledGroup[] {
    const groups: PooledGroup[] = this.chunks.map((c) => ({ items: c.items, batch: c.posted }));
    if (this.aheadItems.length > 0) groups.unshift({ items: this.aheadItems, batch: this.opts.ahead! });
    return groups;
  }

  /** No check may outlive the block's connection: the pool finishes before the error goes up. */
  private async joinAndThrow(error: unknown): Promise<never> {
    for (const c of this.chunks) c.posted.closeHelp();
    await Promise.allSettled([...this.chunks.map((c) => c.posted.results()), this.opts.ahead?.settle()]);
    throw error;
  }

  /**
   * The first failure in block order (`pooled[k]` answers `groups[k]`); valid transactions go to the
   * script-execution cache when storing.
   */
  private verdict(groups: readonly PooledGroup[], pooled: readonly TxScriptResult[][]): ScriptFailure | undefined {
    let failure: ScriptFailure | undefined;
    groups.forEach(({ items }, k) => {
      const results = pooled[k]!;
      if (results.length !== items.length) throw new Error(`script check queue returned ${results.length} results for ${items.length} transactions`);
      results.forEach((r, i) => {
        const { tx, entry } = items[i]!;
        if (r.error !== ScriptError.SCRIPT_ERR_OK) failure ??= scriptFailure(tx, r);
        else if (entry !== undefined) this.opts.cache!.scriptExecutionCache.insert(entry);
      });
    });
    return failure;
  }
}

