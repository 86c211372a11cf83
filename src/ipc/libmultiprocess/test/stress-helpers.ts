// Shared tools of the stress tests: a unix-socket server that tracks its connections, leak probes (open fds,
// table sizes, lane queues, heap after gc) and bounded waiting.
import fs from 'node:fs';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import {
  Logger, ProxyConnection, RequestCounter, connectUnix, listenUnix, type ConnectionLimits, type ConnectionOptions,
  type LogLevelName, type ServerTarget, type StreamOptions,
} from '../src/index.js';
import { EchoClient, InitClient, Init_construct } from './rpc-test-impl.js';

/** Open file descriptors of this process. */
export function fdCount(): number {
  return fs.readdirSync('/proc/self/fd').length;
}

let gcFn: (() => void) | null | undefined;
/** A full garbage collection (via --expose-gc if given, else enabled at runtime); null if unavailable. */
export function getGc(): (() => void) | null {
  if (gcFn !== undefined) return gcFn;
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') return (gcFn = g);
  try {
    v8.setFlagsFromString('--expose-gc');
    gcFn = vm.runInNewContext('gc') as () => void;
  } catch {
    gcFn = null;
  }
  return gcFn;
}

/** heapUsed after a full gc (several passes so finalizers and weak callbacks settle). */
export async function settledHeap(): Promise<number> {
  const gc = getGc();
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setImmediate(r));
    gc?.();
  }
  return process.memoryUsage().heapUsed;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `cond` every few ms; fails with `what` (and the detail, if given) after `ms`. */
export async function until(cond: () => boolean, what: string, ms = 5000, detail?: () => string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${detail ? `: ${detail()}` : ''}`);
    await sleep(2);
  }
}

/** Runs `fn` for items with at most `width` running at once. */
export async function inBatches<T>(items: readonly T[], width: number, fn: (item: T, i: number) => Promise<void>):
  Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}

export interface TableTotals { conns: number; questions: number; answers: number; exports: number; imports: number;
  lanes: number; queued: number }

export interface StressServerOptions {
  logLevel?: LogLevelName | 'off';
  stream?: StreamOptions;
  keepLines?: (line: string) => boolean;
  /** Per-connection limits (ConnectionOptions.limits). */
  limits?: ConnectionLimits;
  /** The listener's connection cap (ListenOptions.maxConnections). */
  maxConnections?: number;
  /** An existing empty directory for the socket (removed by close()); default: a fresh temp dir. */
  dir?: string;
}

/** A listening unix socket in a fresh temp dir that serves `makeInit` on every connection and tracks them. */
export class StressServer {
  readonly conns = new Set<ProxyConnection>();
  /** The accepted socket of each live connection. */
  readonly sockets = new Map<ProxyConnection, net.Socket>();
  accepted = 0;
  private server: net.Server | null = null;
  private constructor(readonly dir: string, readonly socketPath: string, readonly log: Logger,
    readonly lines: string[]) {}

  static async start(makeInit: (conn: ProxyConnection) => ServerTarget, options: StressServerOptions = {}):
    Promise<StressServer> {
    const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-stress-'));
    const socketPath = path.join(dir, 'node.sock');
    const keep = options.keepLines ?? (() => true);
    const lines: string[] = [];
    const log = new Logger({ logFn: (l, m) => { const s = `${l} ${m}`; if (keep(s)) lines.push(s); },
      logLevel: options.logLevel ?? 'info', exeName: 'stress' }, new RequestCounter());
    const s = new StressServer(dir, socketPath, log, lines);
    s.server = await listenUnix(socketPath, {
      backlog: 511,
      maxConnections: options.maxConnections,
      log,
      onConnection: (sock) => {
        s.accepted++;
        const conn = ProxyConnection.serve(sock, makeInit, { log, stream: options.stream, limits: options.limits });
        s.conns.add(conn);
        s.sockets.set(conn, sock);
        void conn.closed.then(() => { s.conns.delete(conn); s.sockets.delete(conn); });
      },
    });
    return s;
  }

  /** Sums of the live connections' tables and lane queues. */
  totals(): TableTotals {
    const t: TableTotals = { conns: this.conns.size, questions: 0, answers: 0, exports: 0, imports: 0, lanes: 0,
      queued: 0 };
    for (const c of this.conns) {
      const s = c.rpc.stats();
      t.questions += s.questions; t.answers += s.answers; t.exports += s.exports; t.imports += s.imports;
      t.lanes += c.threads.size;
      for (const lane of c.threads) t.queued += lane.load;
      if (c.pool !== null) for (const lane of c.pool) t.queued += lane.load;
    }
    return t;
  }

  async close(): Promise<void> {
    const all = [...this.conns];
    for (const c of all) c.close();
    await Promise.all(all.map((c) => c.closed));
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    this.server = null;
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A test client connected to a StressServer: Init bootstrapped and constructed, one Echo made (pipelined). */
export interface StressClient { socket: net.Socket; conn: ProxyConnection; init: InitClient; echo: EchoClient }

export async function connectClient(socketPath: string, log?: Logger, options: ConnectionOptions = {}):
  Promise<StressClient> {
  const socket = await connectUnix(socketPath);
  const conn = ProxyConnection.connect(socket, { log, threadName: 'client', ...options });
  const init = conn.bootstrap((cap, c) => new InitClient(cap, c));
  void conn.construct(init.$cap, Init_construct).catch(() => undefined); // pipelined; failures show on later calls
  const echo = init.makeEcho();
  return { socket, conn, init, echo };
}
