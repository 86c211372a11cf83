// Per-connection resource limits: what a peer may make one connection hold (calls, answers, exports, pipelined
// calls) and the bookkeeping behind them. Past a limit the connection is aborted (Abort + a log line); the other
// connections are untouched.
import type { StructReader } from '../message/reader.js';
import { RpcError } from './errors.js';

/** Table limits of one RPC connection (see doc/runtime-api.md, "Limits"). */
export interface RpcLimits {
  /** Our calls the peer has not returned yet (default 16384). */
  maxQuestions?: number;
  /** The peer's calls we hold: running, queued, or returned and waiting for its Finish (default 16384). */
  maxAnswers?: number;
  /**
   * Words of the peer's Call messages whose answers have not returned (default 16 Mi words = 128 MiB): the same
   * measure as capnp's `RpcSystem::setFlowLimit`, which counts a call's message until it returns.
   */
  maxCallWords?: number;
  /** Capabilities exported to the peer (default 16384). */
  maxExports?: number;
  /** The peer's calls queued on answers of ours that have not returned yet (promise pipelining, default 4096). */
  maxPipelinedCalls?: number;
}

export type LimitName = keyof RpcLimits | 'maxSendBufferBytes' | 'maxHeldBytes';

/**
 * Defaults. A libmultiprocess peer keeps one blocking call per client thread and a handful of exports (lanes,
 * handlers), so the counts sit orders of magnitude above real use while keeping each table's bookkeeping to a few
 * MB. maxCallWords is two of the largest messages a peer accepts (the 8 Mi-word traversal limit), so one maximal
 * call always fits next to normal traffic.
 */
export const DEFAULT_RPC_LIMITS: Readonly<Required<RpcLimits>> = {
  maxQuestions: 16384,
  maxAnswers: 16384,
  maxCallWords: 16 * 1024 * 1024,
  maxExports: 16384,
  maxPipelinedCalls: 4096,
};

/** A peer made a connection exceed one of its limits. Type overloaded: rpc.capnp's "temporary lack of resources". */
export class LimitError extends RpcError {
  constructor(readonly limit: LimitName, reason: string) {
    super('overloaded', reason);
    this.name = 'LimitError';
  }
}

const WHAT: Record<keyof RpcLimits, string> = {
  maxQuestions: 'calls waiting for a Return from the peer',
  maxAnswers: 'calls from the peer held (running, queued or waiting for Finish)',
  maxCallWords: 'words of calls from the peer in flight',
  maxExports: 'capabilities exported to the peer',
  maxPipelinedCalls: 'calls from the peer queued on unreturned answers',
};

/** The reason text of a limit error, naming the option that sets it (and the amount reached, when it is news). */
export function limitText(what: string, max: number, option: string, reached?: number): string {
  return `Too many ${what}: ${reached === undefined ? '' : `${reached}, `}the limit is ${max} (${option}).`;
}

/**
 * Counts one connection against its RpcLimits. A check that fails reports a LimitError once, on a microtask (the
 * caller may be in the middle of updating the connection's tables), and from then on `tripped` is set so the
 * connection ignores the peer until it is aborted.
 */
export class LimitTracker {
  readonly max: Readonly<Required<RpcLimits>>;
  /** Set once a limit was exceeded. */
  tripped: LimitError | null = null;
  /** Words of the peer's calls that have not returned. */
  callWords = 0;
  /** The peer's calls waiting on unreturned answers. */
  pipelinedCalls = 0;
  /** Words per unreturned call, by answer id. */
  private readonly words = new Map<number, number>();

  constructor(limits: RpcLimits | undefined, private readonly onExceeded: (err: LimitError) => void) {
    this.max = resolveLimits(DEFAULT_RPC_LIMITS, limits, 'RpcLimits');
  }

  /**
   * A Call (with its message, counted until it returns) or a Bootstrap (`msg` null) from the peer, with `answers`
   * answers already held. False: refused, nothing may be allocated for it.
   */
  admitCall(answerId: number, answers: number, msg: StructReader | null): boolean {
    if (answers >= this.max.maxAnswers) return this.exceed('maxAnswers');
    if (msg === null) return true;
    const w = messageWords(msg);
    if (this.callWords + w > this.max.maxCallWords) return this.exceed('maxCallWords');
    this.callWords += w;
    this.words.set(answerId, w);
    return true;
  }

  /** The call with this answer id returned (or failed): its message no longer counts. */
  callSettled(answerId: number): void {
    const w = this.words.get(answerId);
    if (w === undefined) return;
    this.words.delete(answerId);
    this.callWords -= w;
  }

  /** One more of our calls is about to wait for the peer, with `questions` already waiting. False: refused. */
  admitQuestion(questions: number): boolean {
    return questions < this.max.maxQuestions || this.exceed('maxQuestions');
  }

  /** A new export was added; `exports` is the table size now. */
  exportAdded(exports: number): void {
    if (exports > this.max.maxExports) this.exceed('maxExports');
  }

  /** A peer call is about to be queued on an unreturned answer. False: refused. */
  admitPipelined(): boolean {
    if (this.pipelinedCalls >= this.max.maxPipelinedCalls) return this.exceed('maxPipelinedCalls');
    this.pipelinedCalls++;
    return true;
  }

  /** `n` queued calls were delivered. */
  pipelinedDone(n: number): void { this.pipelinedCalls -= n; }

  private exceed(name: keyof RpcLimits): false {
    if (this.tripped === null) {
      const err = new LimitError(name, limitText(WHAT[name], this.max[name], `RpcLimits.${name}`));
      this.tripped = err;
      queueMicrotask(() => this.onExceeded(err));
    }
    return false;
  }
}

/** Size of the message a reader belongs to, in words. */
function messageWords(r: StructReader): number {
  let bytes = 0;
  for (const s of r.arena.segments) bytes += s.byteLength;
  return bytes / 8;
}

/** `defaults`, overridden by the values `given` sets (each checked); other keys of `given` are ignored. */
export function resolveLimits<T extends Record<string, number>>(defaults: Readonly<T>, given: Partial<T> | undefined,
  prefix: string): T {
  const out = { ...defaults } as T;
  for (const k of Object.keys(out) as (keyof T & string)[]) {
    const v = given?.[k];
    if (v !== undefined) out[k] = checkLimit(`${prefix}.${k}`, v) as T[keyof T & string];
  }
  return out;
}

/** Checks a limit option: a positive integer (or Infinity for no limit). */
export function checkLimit(name: string, v: number): number {
  if (!(v === Infinity || (Number.isInteger(v) && v > 0))) {
    throw new RangeError(`Invalid ${name} ${String(v)} (expected a positive integer or Infinity)`);
  }
  return v;
}
