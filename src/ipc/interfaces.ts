// IPC for a process (Core's ipc/interfaces.cpp IpcImpl): serves the process's Init on -ipcbind addresses and on
// the -ipcfd socket of a spawned process, spawns children and connects to theirs, and keeps track of the
// connections so that shutdown can drop the clients before the node they use goes away.
import type net from 'node:net';
import path from 'node:path';
import { getSystemErrorMap } from 'node:util';
import { ProxyConnection, socketFromFd, spawnProcess, type Logger } from '@smithcoin/libmultiprocess';
import type { Init } from '../interfaces/init.js';
import { IpcListenError, type Ipc, type SpawnedInit } from '../interfaces/ipc.js';
import { InitClient, InitServer } from './capnp/init.capnp.js';
import { bindIpcAddress, IpcAddressError, parseIpcAddress, spawnedIpcFd } from './process.js';
import { nodeProgramArgs, nodeProgramEnv } from '../util/node_program.js';

/** How long disconnectIncoming lets the clients' running calls finish before it drops them anyway. */
export const DISCONNECT_GRACE_MS = 2000;
/** How often disconnectIncoming looks whether the running calls are done. */
const DRAIN_POLL_MS = 10;

export interface IpcImplOptions {
  /** This program's name (`smithcoin-node`): the default socket name and the log tags. */
  exeName: string;
  /** The process's Init, served to every peer. */
  init: Init;
  /** One logger for every connection, so that request numbers are process-wide. */
  log: Logger;
  /** The network data directory (relative -ipcbind paths are under it). */
  dataDirNet?: string;
  /** Connections served at once per listening address (ListenOptions.maxConnections). */
  maxConnections?: number;
  /** Overrides DISCONNECT_GRACE_MS. */
  disconnectGraceMs?: number;
}

/** The strerror text of a system error (what Core's std::system_error prints), e.g. "Address already in use". */
export function systemErrorText(err: unknown): string {
  const errno = (err as NodeJS.ErrnoException).errno;
  const text = typeof errno === 'number' ? getSystemErrorMap().get(errno)?.[1] : undefined;
  if (text === undefined) return err instanceof Error ? err.message : String(err);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export class IpcImpl implements Ipc {
  private readonly listeners: net.Server[] = [];
  /** Clients of the listening addresses (disconnectIncoming drops these). */
  private readonly incoming = new Set<ProxyConnection>();

  constructor(private readonly options: IpcImplOptions) {}

  async listenAddress(address: string): Promise<string> {
    let parsed;
    try {
      parsed = parseIpcAddress(address, this.options.dataDirNet ?? '.', this.options.exeName);
    } catch (e) {
      if (e instanceof IpcAddressError) throw new IpcListenError(e.address ?? address, e.message);
      throw e;
    }
    try {
      this.listeners.push(await bindIpcAddress(parsed, {
        onConnection: (socket) => this.serveIncoming(socket),
        maxConnections: this.options.maxConnections,
        log: this.options.log,
      }));
    } catch (e) {
      if (typeof (e as NodeJS.ErrnoException).code !== 'string') throw e;
      throw new IpcListenError(parsed.canonical, systemErrorText(e));
    }
    return parsed.canonical;
  }

  private serveIncoming(socket: net.Socket): void {
    const conn = this.serve(socket);
    this.incoming.add(conn);
    void conn.closed.then(() => this.incoming.delete(conn));
  }

  private serve(socket: net.Socket): ProxyConnection {
    return ProxyConnection.serve(socket, (c) => new InitServer(c, this.options.init), { log: this.options.log });
  }

  async spawnProcess(exeName: string): Promise<SpawnedInit> {
    // This program runs as `node [options] <dir>/<exe>.js`: the child is the entry point beside it, run by the
    // same Node.js (Core takes the directory of argv[0]).
    const script = path.join(path.dirname(process.argv[1]!), `${exeName}.js`);
    const child = spawnProcess(process.execPath, nodeProgramArgs(script), { log: this.options.log, name: exeName, env: nodeProgramEnv() });
    const conn = ProxyConnection.connect(child.socket, { log: this.options.log });
    const init = conn.bootstrap((cap, c) => new InitClient(cap, c));
    const close = async (): Promise<void> => {
      conn.close();
      await conn.closed;
      await child.exited;
    };
    try {
      await init.construct();
    } catch (e) {
      await close();
      throw e;
    }
    return { init, pid: child.pid, close };
  }

  /**
   * Serves the Init on the `-ipcfd` socket when argv is exactly `-ipcfd <n>` (Core's startSpawnedProcess):
   * resolves with the exit status once the parent is gone; undefined when this process was not spawned.
   */
  async startSpawnedProcess(argv: readonly string[]): Promise<number | undefined> {
    const fd = spawnedIpcFd(argv);
    if (fd === undefined) return undefined;
    // Ctrl-C in a terminal reaches the whole process group: the parent decides when this process ends.
    const message = `[${this.options.exeName}] SIGINT received — waiting for parent to shut down.\n`;
    process.on('SIGINT', () => process.stdout.write(message));
    const conn = this.serve(socketFromFd(fd));
    await conn.closed;
    return 0;
  }

  async disconnectIncoming(): Promise<void> {
    // Stops accepting; close's callback is not awaited: it waits for the connections, which go below.
    for (const server of this.listeners.splice(0)) server.close();
    await this.drain(this.options.disconnectGraceMs ?? DISCONNECT_GRACE_MS);
    const conns = [...this.incoming];
    for (const conn of conns) conn.close();
    await Promise.all(conns.map((c) => c.closed));
  }

  /** Waits until no client call is running (every answer returned and finished), or `graceMs` has passed. */
  private async drain(graceMs: number): Promise<void> {
    const deadline = Date.now() + graceMs;
    while (this.runningCalls() > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
    }
    const left = this.runningCalls();
    if (left > 0) {
      this.options.log.log('warning', `IPC server: disconnecting with ${left} calls still running after ${graceMs} ms.`);
    }
  }

  private runningCalls(): number {
    let n = 0;
    // Returned answers are left out: a client that keeps a pipelined capability never finishes its call.
    for (const conn of this.incoming) n += conn.rpc.runningCalls();
    return n;
  }
}
