// The client's HTTP transport: one POST at a time over node:http with a keep-alive agent (the
// -getinfo and -generate flows send several requests), and Core's connection-failure texts.
import http from 'node:http';

/** A failure to talk to the server; with -rpcwait the client retries on these (Core's CConnectionFailed). */
export class ConnectionFailed extends Error {
  override name = 'ConnectionFailed';
}

export interface HTTPResponse {
  status: number;
  body: Buffer;
}

export interface PostOptions {
  host: string;
  port: number;
  path: string;
  headers: Record<string, string>;
  body: string;
  /** Milliseconds for the whole exchange; 0 for none. */
  timeoutMs: number;
}

/** Replies larger than this are refused rather than buffered without end. */
export const MAX_RESPONSE_SIZE = 1024 * 1024 * 1024;

const MAX_TIMER_MS = 2 ** 31 - 1;

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ECONNABORTED', 'EACCES', 'EINVAL', 'EAFNOSUPPORT']);
const RESOLVE_ERRORS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME']);

/** Node's socket errors in Core's words. */
function failureText(err: NodeJS.ErrnoException, host: string, connected: boolean): string {
  const code = err.code ?? '';
  if (RESOLVE_ERRORS.has(code)) return `Could not resolve host: ${host}`;
  if (!connected && (CONNECT_ERRORS.has(code) || code === 'ETIMEDOUT')) return 'Could not connect to the server';
  if (code === 'ECONNRESET' && err.message === 'socket hang up') return 'EOF';
  if (code === 'ECONNRESET') return 'Read error: Connection reset by peer (104)';
  if (code.startsWith('HPE_')) return `HTTP error: ${err.message}`;
  return err.message;
}

/** Sends one POST; resolves with any HTTP status, rejects with ConnectionFailed. */
export function post(o: PostOptions): Promise<HTTPResponse> {
  return new Promise((resolve, reject) => {
    let connected = false;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const fail = (message: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new ConnectionFailed(message));
    };
    const req = http.request({
      host: o.host, port: o.port, method: 'POST', path: o.path, agent,
      headers: { ...o.headers, 'Content-Length': Buffer.byteLength(o.body) },
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_RESPONSE_SIZE) {
          fail('HTTP error: Response too large');
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) });
      });
      res.on('error', (err: NodeJS.ErrnoException) => fail(failureText(err, o.host, true)));
    });
    req.on('socket', (socket) => {
      if (!socket.connecting) connected = true;
      socket.once('connect', () => { connected = true; });
    });
    req.on('error', (err: NodeJS.ErrnoException) => fail(failureText(err, o.host, connected)));
    // setTimeout cannot wait longer than 2^31-1 ms; a longer timeout is as good as none.
    if (o.timeoutMs > 0 && o.timeoutMs <= MAX_TIMER_MS) {
      timer = setTimeout(() => {
        fail(connected ? 'timeout' : 'Could not connect to the server');
        req.destroy();
      }, o.timeoutMs);
    }
    req.end(o.body);
  });
}

/** Lets the process exit without waiting for idle keep-alive sockets. */
export function closeConnections(): void {
  agent.destroy();
}
