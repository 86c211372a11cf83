// The script checks of one block (Core's CheckInputScripts and CCheckQueueControl as ConnectBlock uses them):
// consult the script-execution cache, then verify inline (-par=1) or hand the transaction to the worker pool.
// Work goes to the pool in chunks while the block is still being connected, so the workers start early; the
// caller joins them with complete() before it returns.
import type { Transaction, TxOut } from '../primitives/transaction.js';
import { type ScriptCheckQueue, type TxScriptResult, makeScriptCheckJob, verifyTransactionScripts } from '../script/check_queue.js';
import { ScriptError, scriptErrorString } from '../script/script_error.js';
import type { ScriptVerifyFlags } from '../script/verify_flags.js';
import { hashToHex } from '../util/hex.js';
import type { ValidationCache } from './script_cache.js';

/** A failed script check: Core's reject reason and debug string. */
export interface ScriptFailure {
  reason: string;
  debug: string;
}

/**
 * Default inputs per chunk: large enough to amortise a message to a worker, small enough that a block of a hundred
 * inputs is shared out and the first worker starts while the transaction loop still runs.
 */
export const DEFAULT_SCRIPT_CHUNK_INPUTS = 16;

/**
 * The main thread's part of the checks, relative to one worker's. Before it verifies anything the main thread has
 * already spent about as long on the block's coins, reading and serialization as the checks take, so it keeps
 * only a small share and the workers get the rest.
 */
const MAIN_THREAD_WEIGHT = 0.25;

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
  /** Inputs per chunk of work (default DEFAULT_SCRIPT_CHUNK_INPUTS). */
  chunkInputs?: number;
}

interface Queued {
  tx: Transaction;
  spent: readonly TxOut[];
  /** The script-execution cache entry to insert on success (when storing). */
  entry: string | undefined;
}

interface Chunk {
  items: Queued[];
  /** Results from the pool; undefined for a chunk the main thread verifies itself. */
  pending: Promise<TxScriptResult[]> | undefined;
}

export class BlockScriptChecks {
  private readonly opts: BlockScriptChecksOptions;
  private readonly chunkInputs: number;
  private readonly chunks: Chunk[] = [];
  private current: Queued[] = [];
  private currentInputs = 0;
  private postedInputs = 0;
  private mainInputs = 0;
  /** Inputs whose scripts were checked or queued, and transactions skipped thanks to the cache. */
  inputsChecked = 0;
  cacheHits = 0;

  constructor(opts: BlockScriptChecksOptions) {
    this.opts = opts;
    this.chunkInputs = opts.chunkInputs ?? DEFAULT_SCRIPT_CHUNK_INPUTS;
    if (!Number.isInteger(this.chunkInputs) || this.chunkInputs < 1) throw new RangeError(`chunkInputs must be a positive integer, got ${this.chunkInputs}`);
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
    this.current.push({ tx, spent, entry: storeEntry });
    this.currentInputs += tx.vin.length;
    if (this.currentInputs >= this.chunkInputs) this.cutChunk();
    return undefined;
  }

  private verifyHere(tx: Transaction, spent: readonly TxOut[]): TxScriptResult {
    const { flags, cache, cacheStore } = this.opts;
    return verifyTransactionScripts(tx, spent, flags, cache ? { cache: cache.signatureCache, store: cacheStore } : undefined);
  }

  /**
   * Ends the current chunk: the main thread keeps it while below its share of the inputs so far, otherwise it goes
   * to the pool at once. The first chunk always goes to the pool, so the workers start early.
   */
  private cutChunk(): void {
    if (this.current.length === 0) return;
    const items = this.current;
    const inputs = this.currentInputs;
    this.current = [];
    this.currentInputs = 0;
    const queue = this.opts.queue!;
    const mainShare = MAIN_THREAD_WEIGHT / (queue.size + MAIN_THREAD_WEIGHT);
    if (this.postedInputs > 0 && this.mainInputs < mainShare * (this.mainInputs + this.postedInputs + inputs)) {
      this.mainInputs += inputs;
      this.chunks.push({ items, pending: undefined });
      return;
    }
    this.postedInputs += inputs;
    const { flags, cacheStore } = this.opts;
    const pending = queue.verify(items.map((q) => makeScriptCheckJob(q.tx, q.spent, flags, cacheStore)));
    // Joined in complete(); until then a rejection must not surface as an unhandled one.
    pending.catch(() => undefined);
    this.chunks.push({ items, pending });
  }

  /**
   * Verifies the main thread's chunks, then waits for the pool's (Core's CCheckQueueControl::Complete). Returns
   * the first failure in block order. Throws when a worker failed (an exception is not a script result).
   */
  async complete(): Promise<ScriptFailure | undefined> {
    this.cutChunk();
    let here: Array<TxScriptResult[] | undefined>;
    try {
      here = this.chunks.map((c) => (c.pending ? undefined : c.items.map((q) => this.verifyHere(q.tx, q.spent))));
    } catch (e) {
      // Let the pool finish first: no check may outlive the block's connection.
      await Promise.allSettled(this.chunks.map((c) => c.pending));
      throw e;
    }
    const pooled = await Promise.all(this.chunks.map((c) => c.pending));
    let failure: ScriptFailure | undefined;
    this.chunks.forEach((chunk, k) => {
      const results = here[k] ?? pooled[k]!;
      if (results.length !== chunk.items.length) throw new Error(`script check queue returned ${results.length} results for ${chunk.items.length} transactions`);
      results.forEach((r, i) => {
        const { tx, entry } = chunk.items[i]!;
        if (r.error !== ScriptError.SCRIPT_ERR_OK) failure ??= scriptFailure(tx, r);
        else if (entry !== undefined) this.opts.cache!.scriptExecutionCache.insert(entry);
      });
    });
    return failure;
  }
}
