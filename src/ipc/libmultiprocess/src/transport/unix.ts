// Unix-domain sockets: connect to a path, listen on a path (owner-only, stale socket removed), adopt an inherited fd.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

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
  const server = net.createServer(options.onConnection);
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
