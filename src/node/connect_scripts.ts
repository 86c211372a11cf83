// The script checks of one block (Core's CheckInputScripts and CCheckQueueControl as ConnectBlock uses them):
// consult the script-execution cache, then verify inline (-par=1) or hand the transaction to the worker pool.
// Work goes to the pool in chunks while the block is still being connected, so the workers start early; the
// caller joins them with complete() before it returns.
import type { Transaction, TxOut } from '../primitives/transaction.js';
import { type ScriptCheckJob, type ScriptCheckQueue, type TxScriptResult, makeScriptCheckJob, verifyTransactionScripts } from '../script/check_queue.js';
import { ScriptError, scriptErrorString } from '../script/script_error.js';
import type { ScriptVerifyFlags } from '../script/verify_flags.js';
import { hashToHex } from '../util/hex.js';
import type { ValidationCache } from './script_cache.js';

/** A failed script check: Core's reject reason and debug string. */
export interface ScriptFailure {
  reason: string;
  debug: string;
}

/** Inputs queued before a chunk goes to the workers: large enough to amortise a message, small enough to start early. */
const CHUNK_INPUTS = 256;

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
  queue: ScriptCheckQueue | undefined;
  /**
   * Remember results (Core's fCacheResults, on for fJustCheck): valid signatures go to the signature cache and
   * fully valid transactions to the script-execution cache. Off, a cache hit is consumed instead.
   */
  cacheStore: boolean;
}

interface Queued {
  tx: Transaction;
  /** The script-execution cache entry to insert on success (when storing). */
  entry: string | undefined;
}

export class BlockScriptChecks {
  private readonly opts: BlockScriptChecksOptions;
  private readonly queued: Queued[] = [];
  private chunkJobs: ScriptCheckJob[] = [];
  private chunkInputs = 0;
  private readonly chunks: Array<Promise<TxScriptResult[]>> = [];
  /** Inputs whose scripts were checked or queued, and transactions skipped thanks to the cache. */
  inputsChecked = 0;
  cacheHits = 0;

  constructor(opts: BlockScriptChecksOptions) {
    this.opts = opts;
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
      const sigCache = cache ? { cache: cache.signatureCache, store: cacheStore } : undefined;
      const result = verifyTransactionScripts(tx, spent, flags, sigCache);
      if (result.error !== ScriptError.SCRIPT_ERR_OK) return scriptFailure(tx, result);
      if (storeEntry !== undefined) sec!.insert(storeEntry);
      return undefined;
    }
    this.queued.push({ tx, entry: storeEntry });
    this.chunkJobs.push(makeScriptCheckJob(tx, spent, flags, cacheStore));
    this.chunkInputs += tx.vin.length;
    if (this.chunkInputs >= CHUNK_INPUTS) this.flush();
    return undefined;
  }

  private flush(): void {
    if (this.chunkJobs.length === 0) return;
    const p = this.opts.queue!.verify(this.chunkJobs);
    // Joined in complete(); until then a rejection must not surface as an unhandled one.
    p.catch(() => undefined);
    this.chunks.push(p);
    this.chunkJobs = [];
    this.chunkInputs = 0;
  }

  /**
   * Waits for every queued check (Core's CCheckQueueControl::Complete). Returns the first failure in block order.
   * Throws when a worker failed (an exception is not a script result).
   */
  async complete(): Promise<ScriptFailure | undefined> {
    this.flush();
    const results = (await Promise.all(this.chunks)).flat();
    if (results.length !== this.queued.length) throw new Error(`script check queue returned ${results.length} results for ${this.queued.length} transactions`);
    let failure: ScriptFailure | undefined;
    results.forEach((r, i) => {
      const { tx, entry } = this.queued[i]!;
      if (r.error !== ScriptError.SCRIPT_ERR_OK) failure ??= scriptFailure(tx, r);
      else if (entry !== undefined) this.opts.cache!.scriptExecutionCache.insert(entry);
    });
    return failure;
  }
}
