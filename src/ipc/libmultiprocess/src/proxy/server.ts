// ProxyServer: serves one object for generated code. Decodes params, runs the handler at once (no Context) or on
// the Thread lane named by `context.thread`, encodes results, and logs in libmultiprocess's format.
import type { IncomingCall } from '../rpc/call.js';
import { Capability } from '../rpc/call.js';
import type { ServerTarget } from '../rpc/capability.js';
import { RpcError, interfaceNotImplemented, methodNotImplemented, reasonFromError } from '../rpc/errors.js';
import { formatText } from '../message/text-format.js';
import { methodTable, type CapRef, type ContextValue, type InterfaceSpec, type MethodSpec } from './spec.js';
import { ThreadServer } from './thread.js';
import type { ProxyConnection } from './connection.js';

/** The context of the handler being entered (see ServerContext.current). */
let entering: ServerContext | null = null;

/** What a handler gets besides its params. */
export class ServerContext {
  private cbThread: Capability | null | undefined = undefined;

  /**
   * The context of the call whose handler is being entered, for implementations behind generated servers (which
   * pass them only the params): like libmultiprocess's thread-local g_thread_context, but it is set only while the
   * handler runs synchronously, so read it at the very start of the method, before any await. Null otherwise.
   */
  static current(): ServerContext | null {
    return entering;
  }

  constructor(
    /** @internal */ readonly call: IncomingCall,
    readonly connection: ProxyConnection,
    private readonly contextValue: ContextValue | null,
  ) {}

  /** Fires when the caller disconnects or cancels the call. */
  get signal(): AbortSignal { return this.call.signal; }

  /** A reference to a capability received in the params (yours to keep; `release()` it when done). */
  cap(ref: CapRef | null | undefined): Capability | null {
    return ref ? this.call.cap(ref.cap) : null;
  }

  /** Puts a capability (a server object or a Capability) into the results: returns its `{ cap }` value. */
  export(c: Capability | ServerTarget | null | undefined): CapRef | null {
    const idx = this.call.addCap(c ?? null);
    return idx === null ? null : { cap: idx };
  }

  /** The caller's `callbackThread` (for calls back into the caller during this call), if it sent one. */
  callbackThread(): Capability | null {
    if (this.cbThread === undefined) {
      const ref = this.contextValue?.callbackThread;
      this.cbThread = ref ? this.call.cap(ref.cap) : null;
    }
    return this.cbThread;
  }

  /** @internal */
  dispose(): void {
    this.cbThread?.release();
    this.cbThread = null;
  }
}

export type Handler = (params: any, ctx: ServerContext) => unknown;

export interface ProxyServerOptions {
  /** Runs when the object goes away: `destroy` was called, or the peer released it / disconnected. */
  onDestroy?: () => void | Promise<void>;
}

export const TEXT = {
  invalidThread: 'invalid thread handle',
  noThread: 'no thread specified and no pool configured',
  destroyed: 'IPC server object called after destroy.',
  canceled: 'canceled',
} as const;

/** A served object: routes calls by interface id and method id to handlers named after the methods. */
export class ProxyServer implements ServerTarget {
  /** interface id → methods by id (inherited interfaces included). */
  private readonly table: Map<bigint, (MethodSpec | undefined)[]>;
  private readonly ifaceIds: Set<bigint>;
  private destroyed = false;
  /** One shared abort hook for running calls (their request number is in `call.tag`). */
  private readonly logCanceled = (call: IncomingCall): void => {
    this.conn.log.log('info', `${this.conn.loopTag} IPC server request #${String(call.tag)} canceled while executing.`);
  };

  constructor(
    readonly iface: InterfaceSpec,
    readonly conn: ProxyConnection,
    private readonly handlers: Record<string, Handler | undefined>,
    private readonly options: ProxyServerOptions = {},
  ) {
    this.table = new Map();
    for (const m of methodTable(iface).values()) {
      let arr = this.table.get(m.interfaceId);
      if (arr === undefined) this.table.set(m.interfaceId, arr = []);
      arr[m.methodId] = m;
    }
    this.ifaceIds = new Set(this.table.keys());
    this.ifaceIds.add(iface.id);
  }

  dispatch(call: IncomingCall): void | Promise<void> {
    const m = this.table.get(call.interfaceId)?.[call.methodId];
    if (m === undefined) {
      if (!this.ifaceIds.has(call.interfaceId)) throw interfaceNotImplemented(this.iface.name, call.interfaceId);
      throw methodNotImplemented(this.iface.name, call.interfaceId, call.methodId);
    }
    const log = this.conn.log;
    const n = log.counter.next();
    const params = this.conn.codecs.codecs(m).params.decode(call.params) as Record<string, unknown>;
    if (log.debug) log.log('debug', `${this.conn.loopTag} IPC server recv request  #${n} ${m.params.name}`);
    if (log.trace) log.log('trace', `${this.conn.loopTag} request data: ${log.escape(formatText(params))}`);
    if (m.contextField === undefined) return this.run(m, params, call, n, null, this.conn.loopTag);
    const ctxValue = (params[m.contextField] ?? null) as ContextValue | null;
    const threadRef = ctxValue?.thread ?? null;
    if (threadRef === null) {
      const pool = this.conn.pool;
      if (pool === null || pool.length === 0) {
        log.log('error', `${this.conn.loopTag} IPC server error request #${n}, ${TEXT.noThread}`);
        throw new RpcError('failed', TEXT.noThread);
      }
      let lane = pool[0]!;
      for (const t of pool) if (t.load < lane.load) lane = t;
      return this.post(lane, m, params, call, n, ctxValue);
    }
    const cap = call.cap(threadRef.cap)!;
    const local = cap.getLocalServer();
    if (local !== null) {
      cap.release();
      return this.postOn(local, m, params, call, n, ctxValue);
    }
    // A thread made by a makeThread call that has not returned yet (pipelined): wait for it.
    return cap.whenResolved().then(() => {
      const s = cap.getLocalServer();
      cap.release();
      return this.postOn(s, m, params, call, n, ctxValue);
    });
  }

  private postOn(lane: ServerTarget | null, m: MethodSpec, params: Record<string, unknown>, call: IncomingCall,
    n: number, ctxValue: ContextValue | null): Promise<void> {
    if (!(lane instanceof ThreadServer) || !this.conn.threads.has(lane)) {
      this.conn.log.log('error', `${this.conn.loopTag} IPC server error request #${n}, missing thread to execute request`);
      return Promise.reject(new RpcError('failed', TEXT.invalidThread));
    }
    return this.post(lane, m, params, call, n, ctxValue);
  }

  private post(lane: ThreadServer, m: MethodSpec, params: Record<string, unknown>, call: IncomingCall, n: number,
    ctxValue: ContextValue | null): Promise<void> {
    const log = this.conn.log;
    if (log.debug) log.log('debug', `${this.conn.loopTag} IPC server post request  #${n} {${lane.name}}`);
    return new Promise<void>((resolve, reject) => {
      lane.post({
        run: () => {
          if (call.aborted) {
            if (log.info) log.log('info', `{${lane.name}} IPC server request #${n} canceled before it could be executed`);
            reject(new RpcError('failed', TEXT.canceled));
            return Promise.resolve();
          }
          if (log.debug) log.log('debug', `{${lane.name}} IPC server executing request #${n}`);
          const p = this.run(m, params, call, n, ctxValue, `{${lane.name}}`);
          p.then(resolve, reject);
          return p.then(() => undefined, () => undefined);
        },
        cancel: () => {
          if (log.info) log.log('info', `{${lane.name}} IPC server request #${n} canceled before it could be executed`);
          reject(new RpcError('disconnected', TEXT.canceled));
        },
      });
    });
  }

  private async run(m: MethodSpec, params: Record<string, unknown>, call: IncomingCall, n: number,
    ctxValue: ContextValue | null, tag: string): Promise<void> {
    const log = this.conn.log;
    // `tag` is where the method runs (the lane); lines Core writes from its event loop carry the loop's tag.
    const loopTag = this.conn.loopTag;
    const ctx = new ServerContext(call, this.conn, ctxValue);
    // Logged when the cancellation happens (as Core does), not when the method gets round to noticing it.
    if (log.info) {
      call.tag = n;
      call.onAbort = this.logCanceled;
    }
    try {
      if (this.destroyed) throw new RpcError('failed', TEXT.destroyed);
      let result: unknown;
      const h = this.handlers[m.name];
      if (h !== undefined) result = await enter(h, params, ctx);
      else if (m.name === 'construct') result = this.conn.handleConstruct(params, ctx);
      else if (m.name !== 'destroy') throw methodNotImplemented(this.iface.name, m.interfaceId, m.methodId);
      if (m.name === 'destroy') await this.destroy();
      if (call.aborted) return; // the result is discarded
      const rc = this.conn.codecs.codecs(m).results;
      const b = call.initResults(rc.dataWords, rc.ptrCount);
      if (result !== undefined && result !== null) rc.encode(b, result);
      if (log.debug) log.log('debug', `${loopTag} IPC server send response #${n} ${m.results.name}`);
      if (log.trace) log.log('trace', `${loopTag} response data: ${log.escape(formatText(result ?? {}))}`);
    } catch (err) {
      if (call.aborted) {
        if (log.info) log.log('info', `${tag} IPC server request #${n} interrupted (${interruptText(err, call)})`);
      } else {
        log.log('error', `${loopTag} IPC server error request #${n} ${m.results.name} kj::Exception: ${reasonFromError(err).reason}`);
      }
      throw err;
    } finally {
      call.onAbort = null;
      ctx.dispose();
    }
  }

  private async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    if (this.conn.log.debug) this.conn.log.log('debug', `${this.conn.loopTag} IPC server destroy ${this.iface.name}`);
    await this.options.onDestroy?.();
  }

  onRelease(): void {
    if (this.destroyed) return;
    // Dropped without destroy (released or disconnected): clean up asynchronously, as libmultiprocess does.
    this.destroy().catch((e: unknown) => this.conn.log.log('error', `IPC server unhandled exception: ${String(e)}`));
  }
}

/** Runs a handler with `ctx` as ServerContext.current() until its first await. */
function enter(h: Handler, params: unknown, ctx: ServerContext): unknown {
  const outer = entering;
  entering = ctx;
  try {
    return h(params, ctx);
  } finally {
    entering = outer;
  }
}

/**
 * What an aborted method died of, for `interrupted (<what>)`: a method that just passed on its AbortSignal (the
 * signal's reason, or an AbortError from an abortable API) was `canceled`, as Core's interrupted waits say.
 */
function interruptText(err: unknown, call: IncomingCall): string {
  if (err === call.abortReason || (err instanceof Error && err.name === 'AbortError')) return TEXT.canceled;
  return err instanceof Error ? err.message : String(err);
}
