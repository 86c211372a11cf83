// Unix-domain sockets: connect to a path, listen on a path (owner-only, stale socket removed, bounded number of
// connections), adopt an inherited fd.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Logger } from '../log.js';
import { checkLimit } from '../rpc/limits.js';

/** Connects to a listening unix socket. Rejects with the system error (ENOENT, ECONNREFUSED, ...). */
export function connectUnix(socketPath: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.createConnection({ path: socketPath });
    const onError = (err: Error): void => { s.destroy(); reject(err); };
    s.once('error', onError);
    s.once('connect', () => { s.off('error', onError); resolve(s); });
  });
}

export interface ListenOptions {
  /** Called for every accepted connection. */
  onConnection: (socket: net.Socket) => void;
  /** Listen backlog (Bitcoin Core uses 5). */
  backlog?: number;
  /**
   * Connections served at once (default DEFAULT_MAX_CONNECTIONS; Infinity: no limit, as libmultiprocess's
   * ListenConnections without max_connections). Past it a new connection is accepted and closed at once, with a
   * log line, so that it waits neither in the kernel's backlog nor in memory.
   */
  maxConnections?: number;
  /** Where the refusal lines go. */
  log?: Logger;
}

/**
 * Default connection cap of a listener: Core's IPC clients are a few local processes (wallets, GUI, mining
 * clients); 128 leaves room for them while bounding the descriptors and per-connection budgets a local process
 * can claim.
 */
export const DEFAULT_MAX_CONNECTIONS = 128;

/** The line logged for each refused connection. */
export function connectionRefusedText(max: number): string {
  return `IPC server: connection refused: already serving ${max} connections (maxConnections).`;
}

/**
 * Listens on `socketPath`: creates missing parent directories, removes a stale *socket* file left by an earlier
 * run (any other file type is left alone and the bind fails), and makes the socket owner-only (0600).
 */
export async function listenUnix(socketPath: string, options: ListenOptions): Promise<net.Server> {
  fs.mkdirSync(path.dirname(socketPath), { recursive: true });
  let st: fs.Stats | null = null;
  try { st = fs.lstatSync(socketPath); } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (st !== null && st.isSocket()) fs.unlinkSync(socketPath);
  const max = checkLimit('ListenOptions.maxConnections', options.maxConnections ?? DEFAULT_MAX_CONNECTIONS);
  const server = net.createServer(options.onConnection);
  if (max !== Infinity) {
    // Node counts the server's open sockets and closes the accepted fd itself past the cap ('drop').
    server.maxConnections = max;
    const log = options.log ?? new Logger(null);
    server.on('drop', () => log.log('warning', connectionRefusedText(max)));
  }
  // Bind with a restrictive umask so there is no window where the socket is reachable by others.
  const oldMask = process.umask(0o077);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ path: socketPath, backlog: options.backlog ?? 5 }, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } finally {
    process.umask(oldMask);
  }
  fs.chmodSync(socketPath, 0o600);
  return server;
}

/** A stream socket over an inherited file descriptor (`-ipcfd N`). */
export function socketFromFd(fd: number): net.Socket {
  if (!Number.isInteger(fd) || fd < 0) throw new Error(`Invalid -ipcfd number '${fd}'`);
  return new net.Socket({ fd, readable: true, writable: true });
}

/** Parses the `-ipcfd` argument like Bitcoin Core (decimal only). */
export function parseIpcFd(arg: string): number {
  if (!/^[0-9]+$/.test(arg)) throw new Error(`Invalid -ipcfd number '${arg}'`);
  return Number(arg);
}
