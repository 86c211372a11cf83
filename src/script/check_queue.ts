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
    tx: tx.wireBytes(),
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
  // Views of the job's bytes, not copies: the transaction lives only for this call, and nothing writes to a job.
  const tx = Transaction.fromBytes(job.tx, { keepBytes: true });
  const spent = job.spentValues.map((v, i) => new TxOut(v, job.spentScripts[i]!));
  return verifyTransactionScripts(tx, spent, job.flags, sigCache ? { cache: sigCache, store: job.cacheSigStore ?? false } : undefined);
}

/**
 * A batch in wire form: the jobs packed into one transferred buffer (no structured clone of many small arrays), and
 * the claim slot through which the worker and the posting thread share its jobs.
 */
interface BatchRequest {
  id: number;
  /** Index into the shared claim counters, or -1: the worker runs every job and nobody else claims one. */
  slot: number;
  data: ArrayBuffer;
  /**
   * For a shared batch: where the worker also leaves its results (see SharedResults), so that the posting thread can
   * take them without waiting for the reply message to come through its event loop.
   */
  shared?: SharedArrayBuffer;
}
/** Per job: its error and failing input, or NOT_RUN for a job another thread claimed. */
type BatchReply = { id: number; results: Int32Array } | { id: number; error: string };

/** A result slot the worker left to the thread that claimed the job. */
const NOT_RUN = -1;

/**
 * A shared batch's results in shared memory: word 0 turns 1 (with a notify) once the worker has written its results,
 * in the same pairs as a reply, from word 1.
 */
const SHARED_DONE = 0;
const SHARED_RESULTS = 1;

/**
 * How long the posting thread blocks for a shared batch's last jobs once it has no more to claim: the worker is
 * then finishing one transaction. Past this, it waits for the reply on its event loop as for any batch.
 */
const JOIN_WAIT_MS = 2;

const WORKER_KIND = 'smithcoin-script-check';

interface WorkerConfig {
  kind: typeof WORKER_KIND;
  signatureCacheBytes: number;
  /** One claim counter per slot: the next job index of that slot's batch (Atomics.add claims a job). */
  claims: SharedArrayBuffer;
}

/** Claim slots: batches in flight that another thread may help with; beyond that, batches are not shared. */
const CLAIM_SLOTS = 4096;

/** Packs jobs: a count, one offset per job, then each job (flags, store bit, tx, spent outputs). */
export function packScriptCheckJobs(jobs: readonly ScriptCheckJob[]): ArrayBuffer {
  let size = 4 + 4 * jobs.length;
  for (const j of jobs) {
    size += 4 + 4 + 4 + j.tx.length + 4;
    for (const s of j.spentScripts) size += 8 + 4 + s.length;
  }
  const buf = new ArrayBuffer(size);
  const bytes = new Uint8Array(buf);
  const dv = new DataView(buf);
  dv.setUint32(0, jobs.length, true);
  let at = 4 + 4 * jobs.length;
  jobs.forEach((j, k) => {
    dv.setUint32(4 + 4 * k, at, true);
    dv.setUint32(at, j.flags >>> 0, true);
    dv.setUint32(at + 4, j.cacheSigStore ? 1 : 0, true);
    dv.setUint32(at + 8, j.tx.length, true);
    bytes.set(j.tx, at + 12);
    at += 12 + j.tx.length;
    dv.setUint32(at, j.spentScripts.length, true);
    at += 4;
    j.spentScripts.forEach((script, i) => {
      dv.setBigInt64(at, j.spentValues[i]!, true);
      dv.setUint32(at + 8, script.length, true);
      bytes.set(script, at + 12);
      at += 12 + script.length;
    });
  });
  return buf;
}

/** The number of jobs in a packed batch. */
function packedCount(buf: ArrayBuffer): number {
  return new DataView(buf).getUint32(0, true);
}

/** Job `k` of a packed batch (views into the buffer, no copies). */
export function unpackScriptCheckJob(buf: ArrayBuffer, k: number): ScriptCheckJob {
  const dv = new DataView(buf);
  let at = dv.getUint32(4 + 4 * k, true);
  const flags = dv.getUint32(at, true) as ScriptVerifyFlags;
  const cacheSigStore = dv.getUint32(at + 4, true) === 1;
  const txLen = dv.getUint32(at + 8, true);
  const tx = new Uint8Array(buf, at + 12, txLen);
  at += 12 + txLen;
  const n = dv.getUint32(at, true);
  at += 4;
  const spentValues: bigint[] = [];
  const spentScripts: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    spentValues.push(dv.getBigInt64(at, true));
    const len = dv.getUint32(at + 8, true);
    spentScripts.push(new Uint8Array(buf, at + 12, len));
    at += 12 + len;
  }
  return { tx, spentValues, spentScripts, flags, cacheSigStore };
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
  resolve: (r: Int32Array) => void;
  reject: (e: Error) => void;
  worker: WorkerState;
  inputs: number;
}

interface WorkerState {
  worker: Worker;
  /** Inputs posted to it and not answered yet. */
  outstanding: number;
}

/**
 * A batch posted to a worker. The posting thread may claim the jobs the worker has not started (help), as Core's
 * master thread joins the check queue; results() then merges both sides' results in job order.
 */
export class PostedBatch {
  private stolen: Array<TxScriptResult | undefined> = [];
  private replied = false;
  private helpClosed = false;
  private released = false;

  constructor(
    private readonly queue: ScriptCheckQueue,
    readonly count: number,
    private readonly slot: number,
    private readonly reply: Promise<Int32Array>,
    shareable: boolean,
    private readonly shared: Int32Array | undefined,
  ) {
    this.helpClosed = !shareable;
    reply.then(() => { this.replied = true; this.release(); }, () => { this.replied = true; this.release(); });
  }

  /** Jobs the worker has not claimed yet (an estimate: the worker may claim one at any moment). */
  unclaimed(): number {
    if (this.slot < 0 || this.helpClosed) return this.replied ? 0 : this.count;
    return Math.max(0, this.count - this.queue.claimed(this.slot));
  }

  /** Claims and runs here every job the worker has not started; `run(k)` verifies job k. Only once. */
  help(run: (k: number) => TxScriptResult): void {
    if (this.helpClosed) return;
    try {
      for (let k = this.queue.claim(this.slot); k < this.count; k = this.queue.claim(this.slot)) this.stolen[k] = run(k);
    } finally {
      this.closeHelp();
    }
  }

  /** No more help from this thread (the slot can be reused once the worker answered). */
  closeHelp(): void {
    this.helpClosed = true;
    this.release();
  }

  private release(): void {
    if (this.released || !this.replied || !this.helpClosed) return;
    this.released = true;
    if (this.slot >= 0) this.queue.freeSlot(this.slot);
  }

  /**
   * Every job's result now, when the worker has finished the batch or does within JOIN_WAIT_MS (it left its results
   * in shared memory); undefined otherwise (results() then waits for its reply). Only after help().
   */
  resultsNow(): TxScriptResult[] | undefined {
    if (this.shared === undefined || !this.helpClosed) return undefined;
    if (Atomics.wait(this.shared, SHARED_DONE, 0, JOIN_WAIT_MS) === 'timed-out') return undefined;
    return this.merge(this.shared.subarray(SHARED_RESULTS));
  }

  /** Every job's result, in order, once the worker answered. */
  async results(): Promise<TxScriptResult[]> {
    return this.merge(await this.reply);
  }

  private merge(pairs: Int32Array): TxScriptResult[] {
    const out: TxScriptResult[] = [];
    for (let k = 0; k < this.count; k++) {
      const error = pairs[2 * k]!;
      if (error !== NOT_RUN) out.push({ error: error as ScriptError, input: pairs[2 * k + 1]! });
      else if (this.stolen[k]) out.push(this.stolen[k]!);
      else throw new Error(`script check job ${k} of ${this.count} was run by nobody`);
    }
    return out;
  }
}

/**
 * A pool of verification threads. post() sends a batch to the least busy worker at once (a worker never waits for
 * the posting thread's event loop); verify() spreads jobs over the workers and resolves with one result per job, in
 * order. close() stops the threads.
 */
export class ScriptCheckQueue {
  private readonly workers: WorkerState[] = [];
  private readonly pending = new Map<number, PendingBatch>();
  private readonly batchesPerWorker: number;
  private readonly minBatchInputs: number;
  private readonly claims = new Int32Array(new SharedArrayBuffer(4 * CLAIM_SLOTS));
  private readonly freeSlots: number[] = Array.from({ length: CLAIM_SLOTS }, (_, i) => CLAIM_SLOTS - 1 - i);
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
      const workerData: WorkerConfig = {
        kind: WORKER_KIND, signatureCacheBytes: this.opts.signatureCacheBytes ?? DEFAULT_SIGNATURE_CACHE_BYTES, claims: this.claims.buffer as SharedArrayBuffer,
      };
      const w = new Worker(new URL(import.meta.url), { workerData });
      w.on('message', (msg: BatchReply) => this.onReply(msg));
      w.on('error', (err) => this.failAll(err));
      this.workers.push({ worker: w, outstanding: 0 });
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
    const batches = splitByInputs(jobs, this.opts.workers * this.batchesPerWorker, this.minBatchInputs);
    const parts = await Promise.all(batches.map((b) => this.post(b, false).results()));
    return parts.flat();
  }

  /**
   * Sends `jobs` to the least busy worker now. With `shareable`, the caller may claim the jobs the worker has not
   * started (PostedBatch.help) and must then call help() or closeHelp() once.
   */
  post(jobs: readonly ScriptCheckJob[], shareable: boolean): PostedBatch {
    if (this.closed) throw new Error('ScriptCheckQueue is closed');
    this.startWorkers();
    const slot = shareable ? (this.freeSlots.pop() ?? -1) : -1;
    if (slot >= 0) Atomics.store(this.claims, slot, 0);
    let inputs = 0;
    for (const j of jobs) inputs += j.spentValues.length;
    const target = this.workers.reduce((a, b) => (b.outstanding < a.outstanding ? b : a));
    const shared = slot >= 0 ? new SharedArrayBuffer(4 * (SHARED_RESULTS + 2 * jobs.length)) : undefined;
    const req: BatchRequest = { id: this.nextId++, slot, data: packScriptCheckJobs(jobs), shared };
    const reply = new Promise<Int32Array>((resolve, reject) => {
      this.pending.set(req.id, { resolve, reject, worker: target, inputs });
    });
    target.outstanding += inputs;
    target.worker.postMessage(req, [req.data]);
    return new PostedBatch(this, jobs.length, slot, reply, slot >= 0, shared ? new Int32Array(shared) : undefined);
  }

  /** Claims the next job of a slot's batch (the worker claims the same way). */
  claim(slot: number): number {
    return Atomics.add(this.claims, slot, 1);
  }

  /** Jobs of a slot's batch claimed so far (may exceed the count). */
  claimed(slot: number): number {
    return Atomics.load(this.claims, slot);
  }

  freeSlot(slot: number): void {
    this.freeSlots.push(slot);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.failAll(new Error('ScriptCheckQueue closed'));
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }

  private onReply(msg: BatchReply): void {
    const p = this.pending.get(msg.id);
    this.pending.delete(msg.id);
    if (!p) return;
    p.worker.outstanding -= p.inputs;
    if ('error' in msg) p.reject(new Error(`script check worker failed: ${msg.error}`));
    else p.resolve(msg.results);
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}

/** Cuts jobs into up to `parts` contiguous batches of roughly equal input counts, each at least `minInputs`. */
export function splitByInputs(jobs: readonly ScriptCheckJob[], parts: number, minInputs = 1): ScriptCheckJob[][] {
  return splitByWeight(jobs, (j) => j.spentValues.length, parts, minInputs);
}

/** Cuts items into up to `parts` contiguous runs of roughly equal total weight, each at least `minWeight`. */
export function splitByWeight<T>(items: readonly T[], weight: (item: T) => number, parts: number, minWeight = 1): T[][] {
  let total = 0;
  for (const item of items) total += weight(item);
  const target = Math.max(1, minWeight, Math.ceil(total / parts));
  const out: T[][] = [];
  let cur: T[] = [];
  let sum = 0;
  for (const item of items) {
    cur.push(item);
    sum += weight(item);
    if (sum >= target) {
      out.push(cur);
      cur = [];
      sum = 0;
    }
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

// Worker side: claim each job of a batch (unless the posting thread took it), answer with the results; report
// unexpected exceptions instead of dying silently.
if (!isMainThread && (workerData as { kind?: string } | null)?.kind === WORKER_KIND && parentPort) {
  const port = parentPort;
  const config = workerData as WorkerConfig;
  const claims = new Int32Array(config.claims);
  const sigCache = config.signatureCacheBytes > 0 ? new SignatureCache(config.signatureCacheBytes) : undefined;
  port.on('message', (req: BatchRequest) => {
    try {
      const count = packedCount(req.data);
      const results = new Int32Array(2 * count).fill(NOT_RUN);
      let next = 0;
      const claim = (): number => (req.slot >= 0 ? Atomics.add(claims, req.slot, 1) : next++);
      for (let k = claim(); k < count; k = claim()) {
        const r = runScriptCheckJobCached(unpackScriptCheckJob(req.data, k), sigCache);
        results[2 * k] = r.error;
        results[2 * k + 1] = r.input;
      }
      if (req.shared !== undefined) {
        const shared = new Int32Array(req.shared);
        shared.set(results, SHARED_RESULTS);
        Atomics.store(shared, SHARED_DONE, 1);
        Atomics.notify(shared, SHARED_DONE);
      }
      port.postMessage({ id: req.id, results } satisfies BatchReply, [results.buffer]);
    } catch (e) {
      port.postMessage({ id: req.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies BatchReply);
    }
  });
}
