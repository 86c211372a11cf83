// Parallel input-script verification (Core's CCheckQueue role): a small worker_threads pool that verifies the
// inputs of many transactions, plus the single-threaded routine both sides run. This file is also the worker.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { Transaction, TxOut } from '../primitives/transaction.js';
import { TransactionSignatureChecker, verifyScript } from './interpreter.js';
import { MissingDataBehavior } from './interpreter_types.js';
import { ScriptError } from './script_error.js';
import { PrecomputedTransactionData } from './sighash.js';
import { CachingTransactionSignatureChecker, DEFAULT_SIGNATURE_CACHE_BYTES, SignatureCache } from './sigcache.js';
import type { ScriptVerifyFlags } from './verify_flags.js';

/** The outcome for one transaction: OK, or the first failing input and its error. */
export interface TxScriptResult {
  error: ScriptError;
  /** Index of the failing input (-1 when all passed). */
  input: number;
}

/** A signature cache to consult, and whether to remember valid signatures in it (Core's cacheSigStore). */
export interface SigCacheUse {
  cache: SignatureCache;
  store: boolean;
}

/**
 * Verifies every input of `tx` against the outputs it spends (one per input, in order), stopping at the first
 * failure, as Core's CheckInputScripts does with one PrecomputedTransactionData per transaction.
 */
export function verifyTransactionScripts(tx: Transaction, spentOutputs: readonly TxOut[], flags: ScriptVerifyFlags, sigCache?: SigCacheUse): TxScriptResult {
  if (spentOutputs.length !== tx.vin.length) throw new RangeError('spentOutputs must match the number of inputs');
  const txdata = PrecomputedTransactionData.from(tx, spentOutputs);
  for (let i = 0; i < tx.vin.length; i++) {
    const input = tx.vin[i]!;
    const spent = spentOutputs[i]!;
    const checker = sigCache
      ? new CachingTransactionSignatureChecker(tx, i, spent.value, sigCache.store, sigCache.cache, txdata)
      : new TransactionSignatureChecker(tx, i, spent.value, txdata, MissingDataBehavior.ASSERT_FAIL);
    const error = verifyScript(input.scriptSig, spent.scriptPubKey, input.witness, flags, checker);
    if (error !== ScriptError.SCRIPT_ERR_OK) return { error, input: i };
  }
  return { error: ScriptError.SCRIPT_ERR_OK, input: -1 };
}

/** One unit of work in wire form: a serialized transaction and the outputs it spends. */
export interface ScriptCheckJob {
  tx: Uint8Array;
  spentValues: bigint[];
  spentScripts: Uint8Array[];
  flags: ScriptVerifyFlags;
  /** Remember valid signatures in the worker's signature cache (Core's cacheSigStore); default false. */
  cacheSigStore?: boolean;
}

/** Puts a transaction into the form the workers receive. */
export function makeScriptCheckJob(tx: Transaction, spentOutputs: readonly TxOut[], flags: ScriptVerifyFlags, cacheSigStore = false): ScriptCheckJob {
  return {
    tx: tx.toBytes(true),
    spentValues: spentOutputs.map((o) => o.value),
    spentScripts: spentOutputs.map((o) => o.scriptPubKey),
    flags,
    cacheSigStore,
  };
}

/** Runs one job in the calling thread (what a worker does with it, minus the worker's signature cache). */
export function runScriptCheckJob(job: ScriptCheckJob): TxScriptResult {
  return runScriptCheckJobCached(job, undefined);
}

/** Runs one job through a signature cache (undefined: none), as a worker does. */
export function runScriptCheckJobCached(job: ScriptCheckJob, sigCache: SignatureCache | undefined): TxScriptResult {
  const tx = Transaction.fromBytes(job.tx);
  const spent = job.spentValues.map((v, i) => new TxOut(v, job.spentScripts[i]!));
  return verifyTransactionScripts(tx, spent, job.flags, sigCache ? { cache: sigCache, store: job.cacheSigStore ?? false } : undefined);
}

interface BatchRequest {
  id: number;
  jobs: ScriptCheckJob[];
}
type BatchReply = { id: number; results: TxScriptResult[] } | { id: number; error: string };

const WORKER_KIND = 'smithcoin-script-check';

interface WorkerConfig {
  kind: typeof WORKER_KIND;
  signatureCacheBytes: number;
}

export interface ScriptCheckQueueOptions {
  /** Number of worker threads (at least 1). */
  workers: number;
  /** Batches per worker a call is cut into, so a slow batch does not leave other workers idle. Default 4. */
  batchesPerWorker?: number;
  /**
   * Fewest inputs worth a message of their own (default DEFAULT_MIN_BATCH_INPUTS): a small call is not cut into
   * batches whose messages would cost more than their checks.
   */
  minBatchInputs?: number;
  /** Size of each worker's own signature cache (threads share no memory); 0 turns the worker caches off. */
  signatureCacheBytes?: number;
}

/** Default minimum inputs per batch: a few signature checks outweigh the cost of a message between threads. */
export const DEFAULT_MIN_BATCH_INPUTS = 16;

interface PendingBatch {
  resolve: (r: TxScriptResult[]) => void;
  reject: (e: Error) => void;
}

/**
 * A pool of verification threads. verify() spreads the jobs over the workers in contiguous batches balanced by
 * input count and resolves with one result per job, in order. close() stops the threads.
 */
export class ScriptCheckQueue {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly waiting: Array<{ req: BatchRequest; pending: PendingBatch }> = [];
  private readonly pending = new Map<number, PendingBatch>();
  private readonly batchesPerWorker: number;
  private readonly minBatchInputs: number;
  private nextId = 1;
  private closed = false;

  constructor(private readonly opts: ScriptCheckQueueOptions) {
    if (!Number.isInteger(opts.workers) || opts.workers < 1) throw new RangeError('ScriptCheckQueue needs at least one worker');
    this.batchesPerWorker = opts.batchesPerWorker ?? 4;
    this.minBatchInputs = opts.minBatchInputs ?? DEFAULT_MIN_BATCH_INPUTS;
  }

  /**
   * The threads start with the first work, not with the queue: a node that only starts, mines or answers RPC never
   * pays for them (each loads the script code into an isolate of its own, tens of milliseconds and megabytes).
   */
  private startWorkers(): void {
    if (this.workers.length > 0) return;
    for (let i = 0; i < this.opts.workers; i++) {
      const workerData: WorkerConfig = { kind: WORKER_KIND, signatureCacheBytes: this.opts.signatureCacheBytes ?? DEFAULT_SIGNATURE_CACHE_BYTES };
      const w = new Worker(new URL(import.meta.url), { workerData });
      w.on('message', (msg: BatchReply) => this.onReply(w, msg));
      w.on('error', (err) => this.failAll(err));
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  get size(): number {
    return this.opts.workers;
  }

  /** Threads running now (0 until the first verify()). */
  get started(): number {
    return this.workers.length;
  }

  async verify(jobs: readonly ScriptCheckJob[]): Promise<TxScriptResult[]> {
    if (this.closed) throw new Error('ScriptCheckQueue is closed');
    if (jobs.length === 0) return [];
    this.startWorkers();
    const batches = splitByInputs(jobs, this.opts.workers * this.batchesPerWorker, this.minBatchInputs);
    const parts = await Promise.all(batches.map((b) => this.submit(b)));
    return parts.flat();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.failAll(new Error('ScriptCheckQueue closed'));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private submit(jobs: ScriptCheckJob[]): Promise<TxScriptResult[]> {
    return new Promise((resolve, reject) => {
      const req: BatchRequest = { id: this.nextId++, jobs };
      const pending = { resolve, reject };
      const w = this.idle.pop();
      if (w) this.dispatch(w, req, pending);
      else this.waiting.push({ req, pending });
    });
  }

  private dispatch(w: Worker, req: BatchRequest, pending: PendingBatch): void {
    this.pending.set(req.id, pending);
    w.postMessage(req);
  }

  private onReply(w: Worker, msg: BatchReply): void {
    const p = this.pending.get(msg.id);
    this.pending.delete(msg.id);
    const next = this.waiting.shift();
    if (next) this.dispatch(w, next.req, next.pending);
    else this.idle.push(w);
    if (!p) return;
    if ('error' in msg) p.reject(new Error(`script check worker failed: ${msg.error}`));
    else p.resolve(msg.results);
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    for (const { pending } of this.waiting.splice(0)) pending.reject(err);
  }
}

/** Cuts jobs into up to `parts` contiguous batches of roughly equal input counts, each at least `minInputs`. */
export function splitByInputs(jobs: readonly ScriptCheckJob[], parts: number, minInputs = 1): ScriptCheckJob[][] {
  let total = 0;
  for (const j of jobs) total += j.spentValues.length;
  const target = Math.max(1, minInputs, Math.ceil(total / parts));
  const out: ScriptCheckJob[][] = [];
  let cur: ScriptCheckJob[] = [];
  let weight = 0;
  for (const j of jobs) {
    cur.push(j);
    weight += j.spentValues.length;
    if (weight >= target) {
      out.push(cur);
      cur = [];
      weight = 0;
    }
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

// Worker side: answer each batch with its results; report unexpected exceptions instead of dying silently.
if (!isMainThread && (workerData as { kind?: string } | null)?.kind === WORKER_KIND && parentPort) {
  const port = parentPort;
  const config = workerData as WorkerConfig;
  const sigCache = config.signatureCacheBytes > 0 ? new SignatureCache(config.signatureCacheBytes) : undefined;
  port.on('message', (req: BatchRequest) => {
    try {
      port.postMessage({ id: req.id, results: req.jobs.map((job) => runScriptCheckJobCached(job, sigCache)) } satisfies BatchReply);
    } catch (e) {
      port.postMessage({ id: req.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies BatchReply);
    }
  });
}
