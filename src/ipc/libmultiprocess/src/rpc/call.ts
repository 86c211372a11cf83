// One call's life: Request (params being built), PendingCall (awaiting Return, pipelining), Response (results),
// IncomingCall (server side), PromiseHook (a capability inside a not-yet-returned answer).
import type { MessageBuilder, StructBuilder } from '../message/builder.js';
import { EMPTY_STRUCT, type PointerReader, type StructReader } from '../message/reader.js';
import { beginCall, beginReturn, type Target } from './messages.js';
import { BrokenHook, CapHook, LocalHook, type CallSender, type Route, type ServerTarget } from './capability.js';
import { RpcError, TEXT, reasonFromError } from './errors.js';

/**
 * A reference to a capability. Each handle is one reference: `dup()` makes another, `release()` drops this one
 * (the Release message for an import goes out when its last reference is dropped).
 */
export class Capability {
  private hookRef: CapHook | null;

  /** Takes over one reference already counted on `hook`. */
  constructor(hook: CapHook) {
    this.hookRef = hook;
  }

  /** A new handle to a local server object. */
  static fromServer(server: ServerTarget): Capability {
    return new Capability(LocalHook.of(server).addRef());
  }

  /** @internal */
  get hook(): CapHook {
    if (this.hookRef === null) throw new RpcError('failed', 'Capability used after release().');
    return this.hookRef;
  }

  get released(): boolean { return this.hookRef === null; }

  dup(): Capability { return new Capability(this.hook.resolved().addRef()); }

  release(): void {
    const h = this.hookRef;
    if (h === null) return;
    this.hookRef = null;
    h.decRef();
  }

  /** The local server object this capability refers to, once resolved (null for remote/broken/pending). */
  getLocalServer(): ServerTarget | null {
    const r = this.hook.resolved().route();
    return r.kind === 'local' ? r.server : null;
  }

  /** Settles when a promise capability has resolved (at once for others). */
  whenResolved(): Promise<void> { return this.hook.whenResolved(); }

  /** Starts a call; fill `params` and `send()`. */
  newCall(interfaceId: bigint, methodId: number, dataWords: number, ptrCount: number, initialBytes = 256): Request {
    return new Request(this.hook, interfaceId, methodId, dataWords, ptrCount, initialBytes);
  }
}

/** Turns what callers pass as a capability into a hook with one reference added (null stays null). */
export function hookFor(c: Capability | ServerTarget | null | undefined): CapHook | null {
  if (c === null || c === undefined) return null;
  if (c instanceof Capability) return c.hook.resolved().addRef();
  return LocalHook.of(c).addRef();
}

/** Finds the capability at `path` (getPointerField ops) inside results content; returns its cap-table index. */
export function capIndexAtPath(content: PointerReader, path: readonly number[]): number | null {
  let p = content;
  for (let i = 0; i < path.length; i++) p = p.getStruct().getPointer(path[i]!);
  if (p.isNull()) return null;
  if (p.pointerType() !== 'capability') throw new RpcError('failed', TEXT.pipelineNotCap);
  return p.getCapability();
}

/** Results of a call: read inside the `decode` callback given to Request.send. */
export class Response {
  constructor(
    /** Root of the results struct (Payload.content). */
    readonly results: StructReader,
    /** Payload.content as AnyPointer (bootstrap returns a bare capability there). */
    readonly content: PointerReader,
    /** @internal one reference per entry, released after decode */
    readonly hooks: (CapHook | null)[],
  ) {}

  /** A new reference to result capability `index` (null for a null pointer / absent index). */
  cap(index: number | null): Capability | null {
    if (index === null) return null;
    const h = this.hooks[index];
    if (h === undefined) throw new RpcError('failed', `capability index ${index} out of range`);
    return h === null ? null : new Capability(h.addRef());
  }

  /** @internal */
  dispose(): void {
    for (const h of this.hooks) h?.decRef();
    this.hooks.length = 0;
  }
}

type Settle<T> = { resolve: (v: T) => void; reject: (e: unknown) => void };

/** How a caller can give up on a call (see `PendingCall.cancel`). */
export interface CallOptions {
  /** Cancels the call when it aborts: the call rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Cancels the call after this many milliseconds: it rejects with OVERLOADED "operation timed out" (KJ's text). */
  timeout?: number;
}

/** KJ's timeoutAfter() exception text. */
export const TIMED_OUT = 'operation timed out';

/** A sent call. Await it for the decoded results; `pipeline()` gives capabilities inside the future results. */
export class PendingCall<T = unknown> implements Promise<T> {
  readonly [Symbol.toStringTag] = 'PendingCall';
  private readonly promise: Promise<T>;
  private settle!: Settle<T>;
  /** @internal set while the question is outstanding on a connection */
  questionId = -1;
  /** @internal the connection the question is outstanding on */
  sender: CallSender | null = null;
  /** @internal */
  done = false;
  private pipelines: PromiseHook[] | null = null;
  /** Pipelined capabilities taken before the results came and not released yet. */
  private livePipelines = 0;
  private canceled = false;
  /** @internal the promise this call was routed through (embargo accounting), if any */
  via: PromiseHook | null = null;
  /**
   * @internal set by whoever carries the call: tells the callee nobody wants the results any more (the connection
   * sends Finish; a local call is aborted). Runs once the call is canceled and no pipelined capability is held.
   */
  onDrop: (() => void) | null = null;

  constructor(private readonly decode: (r: Response) => T) {
    this.promise = new Promise<T>((resolve, reject) => { this.settle = { resolve, reject }; });
  }

  then<A = T, B = never>(onOk?: ((v: T) => A | PromiseLike<A>) | null,
    onErr?: ((e: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    return this.promise.then(onOk, onErr);
  }
  catch<B = never>(onErr?: ((e: unknown) => B | PromiseLike<B>) | null): Promise<T | B> {
    return this.promise.catch(onErr);
  }
  finally(fn?: (() => void) | null): Promise<T> { return this.promise.finally(fn); }

  /** A capability found at `pointerPath` in the results, usable before they arrive (promise pipelining). */
  pipeline(...pointerPath: number[]): Capability {
    const hook = new PromiseHook(this as unknown as PendingCall<unknown>, pointerPath);
    if (this.done) {
      hook.resolveFrom(this.lastResponse, this.lastError);
    } else {
      (this.pipelines ??= []).push(hook);
      this.livePipelines++;
    }
    return new Capability(hook.addRef());
  }

  /**
   * Gives up on the results, as a C++ caller does by dropping its promise: the call rejects with `reason` at once.
   * Capabilities already pipelined on it stay valid; once none is held any more, the callee is told (Finish) and
   * may stop the call. No effect once the results have arrived.
   */
  cancel(reason: unknown = new RpcError('failed', TEXT.canceled)): void {
    if (this.done || this.canceled) return;
    this.canceled = true;
    this.settle.reject(reason);
    this.dropIfUnused();
  }

  /** @internal canceled and no pipelined capability held: nothing needs the results */
  get abandoned(): boolean { return this.canceled && this.livePipelines === 0; }

  /** @internal a pipelined capability taken before the results came was released */
  pipelineReleased(): void {
    this.livePipelines--;
    this.dropIfUnused();
  }

  private dropIfUnused(): void {
    if (this.done || !this.abandoned) return;
    const f = this.onDrop;
    this.onDrop = null;
    f?.();
  }

  private lastResponse: Response | null = null;
  private lastError: Error | null = null;

  /** @internal delivers results: resolves pipelined capabilities, runs decode, releases unclaimed caps. */
  complete(resp: Response): void {
    if (this.done) { resp.dispose(); return; }
    this.done = true;
    this.onDrop = null;
    const hooks = this.pipelines;
    this.pipelines = null;
    if (hooks !== null) {
      // Pipelined capabilities may outlive this call: keep the result hooks they need.
      this.lastResponse = resp;
      for (const h of hooks) h.resolveFrom(resp, null);
    }
    if (this.canceled) {
      // Already rejected: only the pipelined capabilities wanted the results.
      this.lastResponse = null;
      resp.dispose();
      this.via?.callDone();
      return;
    }
    let value: T;
    try {
      value = this.decode(resp);
    } catch (err) {
      this.lastResponse = null;
      resp.dispose();
      this.via?.callDone();
      this.settle.reject(err);
      return;
    }
    this.lastResponse = null;
    resp.dispose();
    this.via?.callDone();
    this.settle.resolve(value);
  }

  /** @internal */
  fail(err: Error): void {
    if (this.done) return;
    this.done = true;
    this.onDrop = null;
    this.lastError = err;
    const hooks = this.pipelines;
    this.pipelines = null;
    if (hooks !== null) for (const h of hooks) h.resolveFrom(null, err);
    this.via?.callDone();
    this.settle.reject(err);
  }
}

/** A capability at a path inside the results of a PendingCall. */
export class PromiseHook extends CapHook {
  private resolution: CapHook | null = null;
  private waiters: (() => void)[] | null = null;
  private readyPromise: Promise<void> | null = null;
  /** Calls sent over the wire to this promise and not yet returned (for the loopback embargo). */
  private inflight = 0;
  private embargoed = false;

  constructor(readonly pending: PendingCall<unknown>, readonly path: readonly number[]) { super(); }

  override resolved(): CapHook {
    return this.resolution !== null && !this.embargoed ? this.resolution.resolved() : this;
  }

  route(): Route {
    if (this.resolution !== null) {
      if (!this.embargoed) return this.resolution.route();
      return { kind: 'wait', ready: this.ready() };
    }
    const sender = this.pending.sender;
    if (sender !== null && !this.pending.done) {
      const t = sender.remoteTarget(this);
      if (t !== null) return { kind: 'remote', conn: sender, target: t };
    }
    return { kind: 'wait', ready: this.ready() };
  }

  override whenResolved(): Promise<void> {
    return this.resolution !== null && !this.embargoed ? this.resolution.whenResolved() : this.ready();
  }

  private ready(): Promise<void> {
    return this.readyPromise ??= new Promise<void>((resolve) => { (this.waiters ??= []).push(resolve); });
  }

  /** @internal a call was sent to the peer through this promise */
  callSent(): void { this.inflight++; }
  /** @internal one such call returned */
  callDone(): void {
    if (--this.inflight === 0 && this.embargoed) {
      this.embargoed = false;
      this.wake();
    }
  }

  /** @internal */
  resolveFrom(resp: Response | null, err: Error | null): void {
    if (this.refs === 0) return; // every handle was already released: nothing may keep the result alive
    let hook: CapHook;
    if (resp === null) {
      hook = new BrokenHook(err ?? new RpcError('failed', TEXT.badPipeline));
    } else {
      try {
        const idx = capIndexAtPath(resp.content, this.path);
        const h = idx === null ? null : resp.hooks[idx];
        hook = h === null || h === undefined ? new BrokenHook(new RpcError('failed', TEXT.nullCap)) : h;
      } catch (e) {
        hook = new BrokenHook(e instanceof Error ? e : new RpcError('failed', String(e)));
      }
    }
    this.resolution = hook.addRef();
    // Calls already sent to the peer will come back to us if this resolved to a local object; new calls must
    // not overtake them, so hold new calls until those have returned (a local embargo).
    if (this.inflight > 0 && hook.route().kind === 'local') this.embargoed = true;
    else this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = null;
    this.readyPromise = null;
    if (w !== null) for (const f of w) f();
  }

  protected disposed(): void {
    this.resolution?.decRef();
    this.resolution = null;
    if (!this.pending.done) this.pending.pipelineReleased();
  }
}

/** A call being built. Fill `params`, add capabilities with `addCap`, then `send`. */
export class Request {
  /** @internal */ readonly mb: MessageBuilder;
  /** @internal */ readonly callSb: StructBuilder;
  /** @internal */ readonly payload: StructBuilder;
  readonly params: StructBuilder;
  /** @internal one reference each, handed to the destination at send */
  readonly caps: (CapHook | null)[] = [];
  private sent = false;
  private routedTarget: Target | null;

  constructor(
    /** @internal */ readonly hook: CapHook,
    readonly interfaceId: bigint,
    readonly methodId: number,
    dataWords: number,
    ptrCount: number,
    initialBytes = 256,
  ) {
    hook.addRef(); // held until the request has been routed
    const r = hook.route();
    this.routedTarget = r.kind === 'remote' ? r.target : null;
    const b = beginCall(this.routedTarget, interfaceId, methodId, dataWords, ptrCount, initialBytes);
    this.mb = b.mb;
    this.callSb = b.call;
    this.payload = b.payload;
    this.params = b.params;
  }

  /**
   * Adds a capability to the params cap table; returns the index to store with `setCapability`. A null cap takes
   * a slot too (returning null), so indexes stay aligned with a caller's own cap array.
   */
  addCap(cap: Capability | ServerTarget | null): number | null {
    const h = hookFor(cap);
    this.caps.push(h);
    return h === null ? null : this.caps.length - 1;
  }

  /** @internal the target written into the message, or null */
  get writtenTarget(): Target | null { return this.routedTarget; }
  /** @internal the connection rewrote the target (routing changed between newCall and send) */
  setWrittenTarget(t: Target): void { this.routedTarget = t; }

  /**
   * Sends the call. `decode` runs when the results arrive; caps it does not take are released after it. `options`
   * can cancel it (see `PendingCall.cancel`); a signal that has already aborted keeps it from being sent at all.
   */
  send<T>(decode: (r: Response) => T, options?: CallOptions): PendingCall<T> {
    if (this.sent) throw new RpcError('failed', 'Request already sent.');
    this.sent = true;
    const pending = new PendingCall<T>(decode);
    if (options !== undefined) cancelOn(pending as PendingCall<unknown>, options);
    dispatchRequest(this, pending as PendingCall<unknown>);
    return pending;
  }

  /** @internal drop the caps (request failed before being sent anywhere) */
  dropCaps(): void {
    for (const h of this.caps) h?.decRef();
    this.caps.length = 0;
  }
}

/** Cancels `pending` when `options.signal` aborts or `options.timeout` passes, whichever comes first. */
function cancelOn(pending: PendingCall<unknown>, { signal, timeout }: CallOptions): void {
  if (signal?.aborted) {
    pending.cancel(signal.reason);
    return;
  }
  const onAbort = (): void => pending.cancel(signal!.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  const timer = timeout === undefined ? undefined
    : setTimeout(() => pending.cancel(new RpcError('overloaded', TIMED_OUT)), timeout);
  const stop = (): void => {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  };
  pending.then(stop, stop);
}

/** Routes a request by the current state of its target hook. */
export function dispatchRequest(req: Request, pending: PendingCall<unknown>): void {
  if (pending.abandoned) {
    // Canceled before it could be sent (e.g. while waiting for a promise to resolve) and nothing pipelined on it.
    req.dropCaps();
    pending.fail(new RpcError('failed', TEXT.canceled));
    req.hook.decRef();
    return;
  }
  const r = req.hook.route();
  switch (r.kind) {
    case 'remote':
      if (req.hook instanceof PromiseHook) {
        pending.via = req.hook;
        req.hook.callSent();
      }
      r.conn.sendCall(req, r.target, pending);
      req.hook.decRef();
      return;
    case 'local':
      dispatchLocal(req, r.server, pending);
      req.hook.decRef();
      return;
    case 'broken':
      req.dropCaps();
      pending.fail(r.error);
      req.hook.decRef();
      return;
    case 'wait':
      r.ready.then(() => dispatchRequest(req, pending), (e: unknown) => {
        req.dropCaps();
        pending.fail(e instanceof Error ? e : new RpcError('failed', String(e)));
        req.hook.decRef();
      });
      return;
  }
}

/** Where an IncomingCall's outcome goes: back over a connection, or to a local PendingCall. */
export interface CallSink {
  returnResults(call: IncomingCall): void;
  returnError(call: IncomingCall, err: unknown): void;
}

/** A call received by a server. */
export class IncomingCall {
  /** @internal */ resultsMb: MessageBuilder | null = null;
  /** @internal */ resultsPayload: StructBuilder | null = null;
  /** @internal one reference per entry */ readonly resultCaps: (CapHook | null)[] = [];
  private ac: AbortController | null = null;
  /** @internal */ aborted = false;
  /** @internal why the call was aborted (the AbortSignal's reason) */ abortReason: Error | null = null;
  /** @internal */ settled = false;
  /** @internal the capability the call was made on: kept alive until the call settles, as Cap'n Proto does */
  private target: CapHook | null = null;
  /** Free slot for the proxy layer (request number for logs etc.). */
  tag: unknown = undefined;
  /** Runs once when the call is aborted (cheaper than a signal listener on every call; may be shared by calls). */
  onAbort: ((call: IncomingCall, reason: Error) => void) | null = null;

  constructor(
    readonly interfaceId: bigint,
    readonly methodId: number,
    /** Params struct (valid until the call settles). */
    readonly params: StructReader,
    /** Params as AnyPointer. */
    readonly paramsContent: PointerReader,
    /** @internal one reference per entry, released when the call settles */
    readonly capHooks: (CapHook | null)[],
    /** @internal */ readonly sink: CallSink,
    /** @internal answer id on the wire (-1 for local calls) */ readonly answerId: number,
  ) {}

  /** Aborted when the caller disconnects or cancels (Finish before Return). */
  get signal(): AbortSignal {
    if (this.ac === null) {
      this.ac = new AbortController();
      if (this.aborted) this.ac.abort(this.abortReason);
    }
    return this.ac.signal;
  }

  /** @internal */
  abort(reason: Error): void {
    if (this.aborted) return;
    this.aborted = true;
    this.abortReason = reason;
    const f = this.onAbort;
    this.onAbort = null;
    f?.(this, reason);
    this.ac?.abort(reason);
  }

  /** A new reference to params capability `index` (yours: release it when done). */
  cap(index: number | null): Capability | null {
    if (index === null) return null;
    const h = this.capHooks[index];
    if (h === undefined) throw new RpcError('failed', `capability index ${index} out of range`);
    return h === null ? null : new Capability(h.addRef());
  }

  /** Allocates the results struct. */
  initResults(dataWords: number, ptrCount: number, initialBytes = 256): StructBuilder {
    if (this.resultsPayload === null) {
      const b = beginReturn(this.answerId < 0 ? 0 : this.answerId, false, initialBytes);
      this.resultsMb = b.mb;
      this.resultsPayload = b.payload;
    }
    return this.resultsPayload.initStruct(0, dataWords, ptrCount);
  }

  /** @internal the payload (creating an empty one if the server set no results) */
  payload(): { mb: MessageBuilder; payload: StructBuilder } {
    if (this.resultsPayload === null) {
      const b = beginReturn(this.answerId < 0 ? 0 : this.answerId, false, 64);
      this.resultsMb = b.mb;
      this.resultsPayload = b.payload;
    }
    return { mb: this.resultsMb!, payload: this.resultsPayload };
  }

  /** Adds a capability to the results cap table; returns its index for `setCapability`. */
  addCap(cap: Capability | ServerTarget | null): number | null {
    const h = hookFor(cap);
    this.resultCaps.push(h);
    return h === null ? null : this.resultCaps.length - 1;
  }

  /**
   * @internal keeps the object the call is delivered to alive while the call runs: its caller may release it (or
   * Finish the answer it came from) before the call returns.
   */
  holdTarget(hook: CapHook): void {
    if (this.target === hook) return;
    const old = this.target;
    this.target = this.settled ? null : hook.addRef();
    old?.decRef();
  }

  /** @internal the call settled: release the params caps and the target */
  release(): void {
    for (const h of this.capHooks) h?.decRef();
    this.capHooks.length = 0;
    const t = this.target;
    this.target = null;
    t?.decRef();
  }
  /** @internal */
  dropResults(): void {
    for (const h of this.resultCaps) h?.decRef();
    this.resultCaps.length = 0;
  }
}

/** Runs `server.dispatch(call)` and reports the outcome to the call's sink; never throws. */
export function invokeServer(server: ServerTarget, call: IncomingCall): void {
  let r: void | Promise<void>;
  try {
    r = server.dispatch(call);
  } catch (err) {
    call.sink.returnError(call, err);
    return;
  }
  if (r !== undefined && typeof (r as Promise<void>).then === 'function') {
    (r as Promise<void>).then(() => call.sink.returnResults(call), (err: unknown) => call.sink.returnError(call, err));
  } else {
    call.sink.returnResults(call);
  }
}

/** Delivers results of a local call straight to its PendingCall. */
class LocalSink implements CallSink {
  constructor(private readonly pending: PendingCall<unknown>) {}
  returnResults(call: IncomingCall): void {
    if (call.settled) return;
    call.settled = true;
    call.release();
    const { mb } = call.payload();
    const payload = mb.asReader().getRoot().getStruct(0).getStruct(0);
    const content = payload.getPointer(0);
    const hooks = call.resultCaps.splice(0);
    this.pending.complete(new Response(content.isNull() ? EMPTY_STRUCT : content.getStruct(), content, hooks));
  }
  returnError(call: IncomingCall, err: unknown): void {
    if (call.settled) return;
    call.settled = true;
    call.release();
    call.dropResults();
    const { reason, type } = reasonFromError(err);
    this.pending.fail(err instanceof RpcError ? err : new RpcError(type, reason));
  }
}

function dispatchLocal(req: Request, server: ServerTarget, pending: PendingCall<unknown>): void {
  const payload = req.mb.asReader().getRoot().getStruct(0).getStruct(1);
  const content = payload.getPointer(0);
  const call = new IncomingCall(req.interfaceId, req.methodId, content.isNull() ? EMPTY_STRUCT : content.getStruct(),
    content, req.caps.splice(0), new LocalSink(pending), -1);
  call.holdTarget(req.hook);
  pending.onDrop = () => call.abort(new RpcError('failed', TEXT.canceled));
  // Deliver asynchronously, as a remote call would be: callers can rely on send() never re-entering them.
  queueMicrotask(() => invokeServer(server, call));
}
