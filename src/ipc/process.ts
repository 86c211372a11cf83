// IPC addresses and processes, protocol-agnostic (Core's ipc/process.cpp): `-ipcbind` / `-ipcconnect` address
// parsing with Core's error texts, binding a listening unix socket, connecting to one, and `-ipcfd` for spawned
// processes. The Cap'n Proto side lives in ipc/capnp/ and the runtime in ipc/libmultiprocess/.
import net from 'node:net';
import { connectUnix, listenUnix, parseIpcFd, type Logger as IpcLogger } from '@smithcoin/libmultiprocess';

/** sizeof(sockaddr_un::sun_path) on Linux: a path must be shorter, NUL included. */
export const UNIX_PATH_MAX = 108;

/** A bad `-ipcbind` / `-ipcconnect` value; the message is Core's. */
export class IpcAddressError extends Error {
  override readonly name = 'IpcAddressError';

  /** `address`: the address as Core leaves it after parsing (`unix:<full path>` once the path is known). */
  constructor(message: string, readonly address?: string) {
    super(message);
  }
}

export interface IpcAddress {
  /** The socket path. */
  path: string;
  /** `unix:<path>`, as Core rewrites the address for its log lines. */
  canonical: string;
}

/** std::quoted on a path (fs::quoted): double quotes, with `"` and `\` escaped by a backslash. */
function quoted(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** fs::path operator/: an absolute right side replaces the left. */
function joinPath(dir: string, p: string): string {
  if (p.startsWith('/')) return p;
  return dir.endsWith('/') ? `${dir}${p}` : `${dir}/${p}`;
}

/**
 * Parses `unix` / `unix:` (the default `<dataDirNet>/<exe minus "smithcoin-">.sock`) or `unix:<path>` (relative to
 * the network datadir). Throws IpcAddressError with Core's texts.
 */
export function parseIpcAddress(address: string, dataDirNet: string, exeName: string): IpcAddress {
  if (address !== 'unix' && !address.startsWith('unix:')) throw new IpcAddressError(`Unrecognized address '${address}'`);
  const name = exeName.startsWith('smithcoin-') ? exeName.slice('smithcoin-'.length) : exeName;
  const path = address.length <= 5 ? joinPath(dataDirNet, `${name}.sock`) : joinPath(dataDirNet, address.slice(5));
  if (Buffer.byteLength(path) >= UNIX_PATH_MAX) {
    throw new IpcAddressError(`Unix address path ${quoted(path)} exceeded maximum socket path length`, `unix:${path}`);
  }
  return { path, canonical: `unix:${path}` };
}

/** The listen backlog is never above this (Linux caps it at net.core.somaxconn anyway). */
const MAX_LISTEN_BACKLOG = 1024;

export interface BindOptions {
  onConnection: (socket: net.Socket) => void;
  maxConnections?: number;
  log?: IpcLogger;
}

/**
 * Listens on a parsed address: parent directories created, a stale socket replaced, any other file left in place
 * (so the bind fails), owner-only permissions. Rejects with the system error (its message is the `<why>` of
 * Core's `Unable to bind to IPC address '<addr>'. <why>`).
 */
export function bindIpcAddress(address: IpcAddress, opts: BindOptions): Promise<net.Server> {
  // Core listens with a backlog of 5: past 5 clients connecting at the same moment (template providers restarting,
  // a burst of smithcoin-cli calls), a non-blocking connect fails with EAGAIN. Every client the node would serve
  // may arrive at once.
  const backlog = Math.min(opts.maxConnections ?? MAX_LISTEN_BACKLOG, MAX_LISTEN_BACKLOG);
  return listenUnix(address.path, { onConnection: opts.onConnection, maxConnections: opts.maxConnections, backlog, log: opts.log });
}

/**
 * Connects for `-ipcconnect`: `auto` behaves as `unix` but resolves null when nothing listens (so the caller falls
 * back to HTTP); `0` or the empty string (what `-noipcconnect` gives) resolves null without trying.
 */
export async function connectIpcAddress(address: string, dataDirNet: string, destExeName: string): Promise<net.Socket | null> {
  if (address === '' || address === '0') return null;
  const auto = address === 'auto';
  let parsed: IpcAddress;
  try {
    parsed = parseIpcAddress(auto ? 'unix' : address, dataDirNet, destExeName);
  } catch (e) {
    // Core treats a default path that is too long as "no socket here" in auto mode.
    if (auto && e instanceof IpcAddressError) return null;
    throw e;
  }
  try {
    return await connectUnix(parsed.path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (auto && (code === 'ECONNREFUSED' || code === 'ENOENT')) return null;
    throw e;
  }
}

/** The `-ipcfd <n>` of a spawned process, or undefined when this process was not spawned (argv is exactly that). */
export function spawnedIpcFd(argv: readonly string[]): number | undefined {
  if (argv.length !== 2 || argv[0] !== '-ipcfd') return undefined;
  return parseIpcFd(argv[1]!);
}
