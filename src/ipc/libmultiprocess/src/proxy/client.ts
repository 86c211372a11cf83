// ProxyClient: the base of generated clients. Encodes params, fills `context` (lane thread + callbackThread),
// sends, decodes results, and maps disconnects to libmultiprocess's client errors.
import { Capability, type CallOptions, type Response } from '../rpc/call.js';
import type { ServerTarget } from '../rpc/capability.js';
import { RpcError } from '../rpc/errors.js';
import { formatText } from '../message/text-format.js';
import type { MethodSpec } from './spec.js';
import type { ProxyConnection, ThreadHandle } from './connection.js';

/** Client-side IPC failure with libmultiprocess's texts (disconnects). */
export class IpcError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IpcError';
  }
}

export const CLIENT_TEXT = {
  calledAfterDisconnect: 'IPC client method called after disconnect.',
  interruptedByDisconnect: 'IPC client method call interrupted by disconnect.',
} as const;

/** Base class of generated clients. */
export class ProxyClient {
  /** @internal the lane used for Context calls (null: the connection's default lane) */
  protected $thread: ThreadHandle | null = null;
  /** @internal cancellation of this view's calls (null: none) */
  protected $callOptions: CallOptions | null = null;

  constructor(readonly $cap: Capability, readonly $conn: ProxyConnection) {}

  /** A view of this client whose Context calls run on `thread` (one lane per concurrent caller). */
  withThread(thread: ThreadHandle): this {
    const view = Object.create(this) as this;
    view.$thread = thread;
    return view;
  }

  /**
   * A view of this client whose calls can be canceled: by `options.signal` (the call rejects with its reason) or
   * after `options.timeout` ms (OVERLOADED "operation timed out"). A canceled call's capability results that were
   * not pipelined on are released by the peer, which is told with Finish and may stop the call, as when a C++
   * client drops its promise.
   */
  withCallOptions(options: CallOptions): this {
    const view = Object.create(this) as this;
    view.$callOptions = options;
    return view;
  }

  /**
   * Calls method `m`. `caps` are the capabilities that `params` refers to as `{ cap: i }` (index i in this array).
   * `pick` runs when the results arrive and may claim result capabilities with `resp.cap(i)`.
   */
  protected $call<P, R, X = R>(m: MethodSpec<P, R>, params: P,
    caps?: readonly (Capability | ServerTarget | null)[] | null, pick?: (value: R, resp: Response) => X): Promise<X> {
    const conn = this.$conn;
    if (conn.rpc.isDisconnected()) return Promise.reject(new IpcError(CLIENT_TEXT.calledAfterDisconnect));
    const log = conn.log;
    const c = conn.codecs.codecs(m);
    const req = this.$cap.newCall(m.interfaceId, m.methodId, c.params.dataWords, c.params.ptrCount);
    if (caps) for (const c of caps) req.addCap(c);
    if (m.contextField !== undefined) {
      const lane = this.$thread ?? conn.defaultThread();
      const t = req.addCap(lane.cap);
      const cb = conn.options.sendCallbackThread === false ? null : req.addCap(conn.callbackThread());
      (params as Record<string, unknown>)[m.contextField] = {
        thread: t === null ? null : { cap: t },
        callbackThread: cb === null ? null : { cap: cb },
      };
    }
    c.params.encode(req.params, params);
    const tag = conn.clientTag;
    if (log.debug) log.log('debug', `${tag} IPC client send ${m.params.name}`);
    if (log.trace) log.log('trace', `send data: ${log.escape(formatText(params))}`);
    const pending = req.send((resp) => {
      const value = c.results.decode(resp.results) as R;
      if (log.debug) log.log('debug', `${tag} IPC client recv ${m.results.name}`);
      if (log.trace) log.log('trace', `recv data: ${log.escape(formatText(value))}`);
      return pick ? pick(value, resp) : (value as unknown as X);
    }, this.$callOptions ?? undefined);
    return pending.then(undefined, (err: unknown) => {
      if (err instanceof RpcError && err.type === 'disconnected' && !err.remote) {
        throw new IpcError(CLIENT_TEXT.interruptedByDisconnect);
      }
      if (log.info) {
        const text = err instanceof RpcError ? `(remote):0: ${err.type}: ${err.message}` : String(err);
        log.log('info', `${tag} IPC client exception kj::Exception: ${text}`);
      }
      throw err;
    });
  }

  /** Calls `destroy` (when the interface has one), then drops the reference. */
  protected async $destroy(m?: MethodSpec): Promise<void> {
    try {
      if (m !== undefined && !this.$conn.rpc.isDisconnected()) {
        if (this.$conn.log.debug) this.$conn.log.log('debug', `${this.$conn.clientTag} IPC client destroy ${m.interfaceName}`);
        await this.$call(m, {});
      }
    } finally {
      this.release();
    }
  }

  /** Drops this client's reference (the peer gets a Release once no other reference remains). */
  release(): void { this.$cap.release(); }
}
