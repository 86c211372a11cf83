// ProxyConnection: one IPC connection with libmultiprocess's conventions on top of RPC: the ThreadMap exchange
// (construct), server-side Thread lanes and pools, client-side lanes and callbackThread, disconnect handling.
import type net from 'node:net';
import { RpcConnection } from '../rpc/connection.js';
import { Capability } from '../rpc/call.js';
import type { IncomingCall } from '../rpc/call.js';
import type { ServerTarget } from '../rpc/capability.js';
import { RpcError, interfaceNotImplemented, methodNotImplemented } from '../rpc/errors.js';
import { checkLimit, type RpcLimits } from '../rpc/limits.js';
import type { ReaderOptions } from '../message/layout.js';
import { Logger, type LogOptions } from '../log.js';
import { CodecSelector, type CodecChoice } from '../codec/select.js';
import { SocketTransport, type StreamOptions } from '../transport/stream.js';
import { THREAD_MAP_ID, makePool, makeThread } from './proxy-schema.js';
import { ThreadServer } from './thread.js';
import type { ServerContext } from './server.js';
import type { CapRef, MethodSpec } from './spec.js';

export interface ConnectionOptions {
  /** A Logger (shares the process-wide request counter) or options to make one. */
  log?: Logger | LogOptions;
  stream?: StreamOptions;
  readerOptions?: ReaderOptions;
  /** This side's thread name in log tags and lane names (default "main"). */
  threadName?: string;
  /** Send our own Thread as `context.callbackThread` in every Context call (default true, as C++ clients do). */
  sendCallbackThread?: boolean;
  /** Struct codecs: `auto` (default, or `$MP_CODEC`), `native` (the capnp.node addon; throws if not built), `ts`. */
  codec?: CodecChoice;
  /** What the peer may make this connection hold (defaults: DEFAULT_RPC_LIMITS, MAX_POOL_SIZE). */
  limits?: ConnectionLimits;
}

export interface ConnectionLimits extends RpcLimits {
  /** Largest `count` a peer's ThreadMap.makePool may ask for (default MAX_POOL_SIZE). */
  maxPoolSize?: number;
}

/** A lane on the peer: a Thread capability made by the peer's ThreadMap. */
export class ThreadHandle {
  constructor(readonly cap: Capability, readonly name: string) {}
  release(): void { this.cap.release(); }
}

export const MAKE_POOL_TWICE = 'makePool called on connection with existing pool';

/**
 * Default cap on makePool's count (a UInt32 from the peer; the lanes are made at once, ~200 bytes each here and an
 * OS thread each in the C++ runtime). Pools are sized to a machine's parallelism, far below this.
 */
export const MAX_POOL_SIZE = 1024;

/** Why a makePool call was refused: nothing was made. */
export function makePoolTooLarge(count: number, max: number): string {
  return `makePool count ${count} exceeds the maximum pool size ${max}`;
}

/** The ThreadMap we host on a connection: makeThread / makePool create lanes the peer may name in `context`. */
class ThreadMapServer implements ServerTarget {
  constructor(private readonly conn: ProxyConnection) {}

  dispatch(call: IncomingCall): void {
    if (call.interfaceId !== THREAD_MAP_ID) throw interfaceNotImplemented('ThreadMap', call.interfaceId);
    const log = this.conn.log;
    if (call.methodId === makeThread.methodId) {
      // Like libmultiprocess's hand-written ThreadMap server: no request lines and no request number for it.
      const p = makeThread.params.decode(call.params);
      const t = this.conn.newLane(`${log.exeName}-${process.pid}/${this.conn.nextLaneId()} (from ${p.name})`);
      const b = call.initResults(makeThread.results.dataWords, makeThread.results.ptrCount);
      b.setCapability(0, call.addCap(t));
      return;
    }
    if (call.methodId === makePool.methodId) {
      const { count } = makePool.params.decode(call.params);
      if (this.conn.pool !== null) throw new RpcError('failed', `std::exception: ${MAKE_POOL_TWICE}`);
      const max = this.conn.maxPoolSize;
      if (count > max) throw new RpcError('failed', makePoolTooLarge(count, max));
      const pool: ThreadServer[] = [];
      for (let i = 0; i < count; i++) pool.push(this.conn.newLane(`pool/${i}`, false));
      this.conn.pool = pool;
      call.initResults(0, 0);
      return;
    }
    throw methodNotImplemented('ThreadMap', call.interfaceId, call.methodId);
  }
}

/** An IPC connection (either side). */
export class ProxyConnection {
  readonly rpc: RpcConnection;
  readonly log: Logger;
  readonly options: ConnectionOptions;
  /** Lanes we host on this connection (the only ones a `context.thread` may name). */
  readonly threads = new Set<ThreadServer>();
  /** Pool made by makePool (null until then). */
  pool: ThreadServer[] | null = null;
  /** The peer's ThreadMap (from construct). */
  peerThreadMap: Capability | null = null;
  readonly loopTag: string;
  /** The codecs calls on this connection use (see ConnectionOptions.codec). */
  readonly codecs: CodecSelector;
  readonly clientTag: string;
  /** @internal the framed socket under `rpc` */
  readonly transport: SocketTransport;
  /** Largest pool the peer may ask for (ConnectionLimits.maxPoolSize). */
  readonly maxPoolSize: number;
  private readonly threadMap: ThreadMapServer;
  private cbThread: ThreadServer | null = null;
  private lane: ThreadHandle | null = null;
  private laneCounter = 0;
  private closing = false;

  private constructor(socket: net.Socket, bootstrap: ((c: ProxyConnection) => ServerTarget) | null,
    options: ConnectionOptions, readonly side: 'client' | 'server') {
    this.options = options;
    this.codecs = CodecSelector.resolve(options.codec);
    this.log = options.log instanceof Logger ? options.log : new Logger(options.log ?? null);
    this.loopTag = this.log.tag('capnp-loop');
    this.clientTag = this.log.tag(options.threadName ?? 'main');
    this.maxPoolSize = checkLimit('ConnectionLimits.maxPoolSize', options.limits?.maxPoolSize ?? MAX_POOL_SIZE);
    this.threadMap = new ThreadMapServer(this);
    const transport = new SocketTransport(socket, { ...options.stream, log: options.stream?.log ?? this.log });
    this.transport = transport;
    let boot: ServerTarget | null = null;
    this.rpc = new RpcConnection(transport, {
      bootstrap: { dispatch: (call) => boot!.dispatch(call), onRelease: () => boot?.onRelease?.() },
      log: this.log,
      readerOptions: options.readerOptions,
      limits: options.limits,
    });
    if (bootstrap === null) boot = { dispatch: () => { throw new RpcError('failed', 'This vat has no bootstrap interface.'); } };
    else boot = bootstrap(this);
    if (side === 'server' && this.log.info) this.log.log('info', `${this.loopTag} IPC server: socket connected.`);
    this.rpc.onClosing(() => this.logDisconnect());
    this.rpc.onDisconnect((err) => this.onDisconnected(err));
  }

  /** Client side: connect over `socket`; get the peer's Init with `bootstrap()`. */
  static connect(socket: net.Socket, options: ConnectionOptions = {}): ProxyConnection {
    return new ProxyConnection(socket, null, options, 'client');
  }

  /** Server side: serve `makeInit(conn)` as the bootstrap (Init) object over `socket`. */
  static serve(socket: net.Socket, makeInit: (conn: ProxyConnection) => ServerTarget,
    options: ConnectionOptions = {}): ProxyConnection {
    return new ProxyConnection(socket, makeInit, options, 'server');
  }

  /** Resolves (with the reason) when the connection is gone. */
  get closed(): Promise<Error> { return this.rpc.closed; }

  /** The peer's bootstrap capability wrapped by `make` (usually a generated Init client). */
  bootstrap<T>(make: (cap: Capability, conn: ProxyConnection) => T): T {
    return make(this.rpc.bootstrap(), this);
  }

  /**
   * Init.construct(threadMap) → threadMap: hands the peer our ThreadMap and keeps theirs. `init` is the Init
   * capability; `spec` is the generated `construct` method (param and result `threadMap` at pointer 0).
   * Pipelined: the peer's ThreadMap is usable at once.
   */
  construct(init: Capability, spec: MethodSpec): Promise<void> {
    const req = init.newCall(spec.interfaceId, spec.methodId, spec.params.dataWords, spec.params.ptrCount);
    const idx = req.addCap(this.threadMap);
    if (spec.params.ptrCount > 0) req.params.setCapability(0, idx);
    if (this.log.debug) this.log.log('debug', `${this.clientTag} IPC client send ${spec.params.name}`);
    const pending = req.send(() => undefined);
    this.peerThreadMap?.release();
    this.peerThreadMap = pending.pipeline(0);
    return pending.then(() => {
      if (this.log.debug) this.log.log('debug', `${this.clientTag} IPC client recv ${spec.results.name}`);
    });
  }

  /** @internal default server-side construct: keep the peer's ThreadMap, return ours. */
  handleConstruct(params: Record<string, unknown>, ctx: ServerContext): { threadMap: CapRef | null } {
    const theirs = ctx.cap(params['threadMap'] as CapRef | null | undefined);
    if (theirs !== null) {
      this.peerThreadMap?.release();
      this.peerThreadMap = theirs;
    }
    return { threadMap: ctx.export(this.threadMap) };
  }

  /** Asks the peer for a new lane (pipelined: usable at once). */
  makeThread(name: string): ThreadHandle {
    if (this.peerThreadMap === null) {
      throw new RpcError('failed', 'No peer ThreadMap: call construct() first (or the peer sent none).');
    }
    const req = this.peerThreadMap.newCall(makeThread.interfaceId, makeThread.methodId, 0, 1);
    const full = `${this.log.exeName}-${process.pid}/${name}`;
    makeThread.params.encode(req.params, { name: full });
    const pending = req.send(() => undefined);
    pending.then(undefined, () => undefined); // a failure shows up on calls made with the lane
    return new ThreadHandle(pending.pipeline(0), full);
  }

  /** ThreadMap.makePool(count) on the peer (libmultiprocess v11+): Context calls may then omit the thread. */
  makePool(count: number): Promise<void> {
    if (this.peerThreadMap === null) return Promise.reject(new RpcError('failed', 'No peer ThreadMap.'));
    const req = this.peerThreadMap.newCall(makePool.interfaceId, makePool.methodId, 1, 0);
    makePool.params.encode(req.params, { count });
    return req.send(() => undefined);
  }

  /** The lane used by clients that were not given one (made on first use). */
  defaultThread(): ThreadHandle {
    return this.lane ??= this.makeThread(this.options.threadName ?? 'main');
  }

  /** Our own Thread, sent as `callbackThread` so the peer's callbacks during a call have a lane here. */
  callbackThread(): ThreadServer {
    // It stands for this side's own thread, so it lives as long as the connection even when the peer drops it.
    return this.cbThread ??= this.newLane(`${this.log.exeName}-${process.pid}/${this.options.threadName ?? 'main'}`,
      false);
  }

  /** @internal */
  nextLaneId(): number { return ++this.laneCounter; }

  /** @internal a lane hosted here; `releasable`: it goes away when the peer releases it. */
  newLane(name: string, releasable = true): ThreadServer {
    const t = new ThreadServer(name);
    this.threads.add(t);
    if (releasable) t.onReleased = (x) => { this.threads.delete(x); x.close(); };
    return t;
  }

  /** Closes the connection. */
  close(): void {
    this.closing = true;
    this.rpc.close();
  }

  private logDisconnect(): void {
    if (this.side === 'server') {
      if (this.log.info) this.log.log('info', `${this.loopTag} IPC server: socket disconnected.`);
    } else if (!this.closing) {
      this.log.log('warning', `${this.clientTag} IPC client: unexpected network disconnect.`);
    }
  }

  private onDisconnected(err: Error): void {
    for (const t of this.threads) t.close();
    this.threads.clear();
    if (this.pool !== null) for (const t of this.pool) t.close();
    this.peerThreadMap?.release();
    this.peerThreadMap = null;
    this.lane = null;
    void err;
  }
}
