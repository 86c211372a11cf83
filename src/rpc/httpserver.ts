// The HTTP side of the RPC server: node:http with keep-alive, Core's limits (32 MiB bodies, 8 KiB
// headers), peer filtering, path handlers, a bounded work queue and Core's reply conventions.
import http from 'node:http';
import type net from 'node:net';
import type { Duplex } from 'node:stream';
import { HTTPStatus, httpStatusReason } from './protocol.js';
import { clientAllowed, type Endpoint } from './netfilter.js';
import { WorkQueue } from './workqueue.js';

export const DEFAULT_HTTP_THREADS = 16;
export const DEFAULT_HTTP_WORKQUEUE = 64;
export const DEFAULT_HTTP_SERVER_TIMEOUT = 30;
export const MAX_HEADERS_SIZE = 8192;
export const MAX_BODY_SIZE = 32 * 1024 * 1024;

/** Core knows these methods; anything else is refused before routing. */
const KNOWN_METHODS = new Set(['GET', 'POST', 'HEAD', 'PUT']);

export interface HTTPLog {
  warning(message: string): void;
  debug(message: string): void;
}

/** What a handler sees of a request: the body is already read within the size limit. */
export interface HTTPRequest {
  method: string;
  uri: string;
  headers: http.IncomingHttpHeaders;
  peer: string;
  body: Buffer;
}

export interface HTTPReply {
  status: HTTPStatus;
  headers?: Record<string, string>;
  /** Text, or raw bytes for binary replies (REST .bin). */
  body?: string | Uint8Array;
}

export type HTTPHandler = (request: HTTPRequest, path: string) => Promise<HTTPReply>;

export interface HTTPServerOptions {
  endpoints: Endpoint[];
  allow: net.BlockList;
  threads?: number;
  workQueue?: number;
  timeoutSeconds?: number;
  log: HTTPLog;
}

class BodyTooLarge extends Error {}

export class HTTPServer {
  private readonly handlers: { prefix: string; exact: boolean; handler: HTTPHandler }[] = [];
  private readonly servers: http.Server[] = [];
  private readonly queue: WorkQueue;
  private readonly allowedSockets = new WeakMap<net.Socket, boolean>();

  constructor(private readonly options: HTTPServerOptions) {
    this.queue = new WorkQueue(options.threads ?? DEFAULT_HTTP_THREADS, options.workQueue ?? DEFAULT_HTTP_WORKQUEUE);
  }

  /** Requests waiting for a worker. */
  queueSize(): number {
    return this.queue.size();
  }

  registerHandler(prefix: string, exact: boolean, handler: HTTPHandler): void {
    this.handlers.push({ prefix, exact, handler });
  }

  /** Listens on every endpoint that can be bound; fails only when none can. */
  async start(): Promise<Endpoint[]> {
    const bound: Endpoint[] = [];
    const errors: string[] = [];
    for (const endpoint of this.options.endpoints) {
      try {
        bound.push(await this.listen(endpoint));
      } catch (e) {
        errors.push(`Binding RPC on address ${endpoint.host} port ${endpoint.port} failed: ${(e as Error).message}`);
      }
    }
    errors.forEach((m) => this.options.log.warning(m));
    if (bound.length === 0) throw new Error('Unable to bind any endpoint for RPC server');
    return bound;
  }

  async stop(): Promise<void> {
    await Promise.all(this.servers.splice(0).map((s) => new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    })));
  }

  private listen(endpoint: Endpoint): Promise<Endpoint> {
    const timeoutMs = (this.options.timeoutSeconds ?? DEFAULT_HTTP_SERVER_TIMEOUT) * 1000;
    // Core's server does not insist on a Host header, as node:http does by default.
    const server = http.createServer({
      maxHeaderSize: MAX_HEADERS_SIZE, keepAliveTimeout: timeoutMs, requestTimeout: 0, requireHostHeader: false,
    });
    server.timeout = timeoutMs;
    server.on('request', (req, res) => this.onRequest(req, res));
    server.on('clientError', (err, socket) => this.onClientError(err, socket));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(endpoint.port, endpoint.host, () => {
        server.off('error', reject);
        this.servers.push(server);
        const address = server.address() as net.AddressInfo;
        resolve({ host: endpoint.host, port: address.port });
      });
    });
  }

  /**
   * Malformed HTTP: Core answers 400 and drops the connection. A method node:http does not know is a well-formed
   * request to Core, which answers 405; node's parser cannot go on after it, so the connection closes too.
   */
  private onClientError(err: Error & { code?: string; rawPacket?: Buffer }, socket: Duplex): void {
    this.options.log.debug(`Error reading HTTP request: ${err.message}`);
    if (socket.writable) {
      const unknownMethod = err.code === 'HPE_INVALID_METHOD' && wellFormedRequestLine(err.rawPacket);
      const status = unknownMethod ? HTTPStatus.BAD_METHOD : HTTPStatus.BAD_REQUEST;
      socket.end(`HTTP/1.1 ${status} ${httpStatusReason(status)}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    } else {
      socket.destroy();
    }
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const peer = req.socket.remoteAddress;
    // node:http also takes HTTP/0.9 request lines and other major versions; Core's parser refuses them.
    if (req.httpVersionMajor !== 1) {
      this.options.log.debug(`Error reading HTTP request from ${peer}: HTTP bad version`);
      res.shouldKeepAlive = false;
      return writeReply(res, { status: HTTPStatus.BAD_REQUEST });
    }
    if (!this.socketAllowed(req.socket, peer)) {
      this.options.log.debug(`HTTP request from ${peer} rejected: Client network is not allowed RPC access`);
      return writeReply(res, { status: HTTPStatus.FORBIDDEN });
    }
    if (!KNOWN_METHODS.has(req.method ?? '')) {
      this.options.log.debug(`HTTP request from ${peer} rejected: Unknown HTTP request method`);
      return writeReply(res, { status: HTTPStatus.BAD_METHOD });
    }
    // Callbacks rather than promises: each request would otherwise pay for a promise chain before its handler runs.
    readBody(req, (err, body) => {
      try {
        if (err === undefined) {
          this.route({ method: req.method as string, uri: req.url ?? '', headers: req.headers, peer: peer as string, body: body! }, res);
          return;
        }
        if (!(err instanceof BodyTooLarge)) throw err;
        res.setHeader('Connection', 'close');
        writeReply(res, { status: HTTPStatus.CONTENT_TOO_LARGE });
      } catch (e) {
        this.options.log.debug(`Error reading HTTP request from ${peer}: ${(e as Error).message}`);
        res.destroy();
      }
    });
  }

  /** A connection's peer never changes, so keep-alive requests reuse the first check (the list is fixed at start). */
  private socketAllowed(socket: net.Socket, peer: string | undefined): boolean {
    let allowed = this.allowedSockets.get(socket);
    if (allowed === undefined) {
      allowed = clientAllowed(this.options.allow, peer);
      this.allowedSockets.set(socket, allowed);
    }
    return allowed;
  }

  private route(request: HTTPRequest, res: http.ServerResponse): void {
    const match = this.handlers.find((h) => (h.exact ? request.uri === h.prefix : request.uri.startsWith(h.prefix)));
    if (match === undefined) return writeReply(res, { status: HTTPStatus.NOT_FOUND });
    const path = request.uri.slice(match.prefix.length);
    const accepted = this.queue.submit(async () => {
      try {
        writeReply(res, await match.handler(request, path));
      } catch (e) {
        // A handler failure still gets an answer so the client does not hang.
        const message = e instanceof Error ? e.message : 'unknown error';
        this.options.log.warning(`Unexpected error while processing request for '${request.uri}'. Error msg: '${message}'`);
        res.setHeader('Connection', 'close');
        writeReply(res, { status: HTTPStatus.INTERNAL_SERVER_ERROR, body: message });
      }
    });
    if (!accepted) {
      this.options.log.warning('Request rejected because http work queue depth exceeded, it can be increased with the -rpcworkqueue= setting');
      writeReply(res, { status: HTTPStatus.SERVICE_UNAVAILABLE, body: 'Work queue depth exceeded' });
    }
  }
}

/** Core's request-line rules: at least 14 bytes, no NUL, three words, an HTTP/1.x version. */
function wellFormedRequestLine(raw: Buffer | undefined): boolean {
  if (raw === undefined) return false;
  const end = raw.indexOf('\n');
  if (end < 0) return false;
  const line = raw.subarray(0, end).toString('latin1').replace(/\r$/, '');
  if (line.length < 'GET / HTTP/1.0'.length || line.includes('\0')) return false;
  const parts = line.split(' ');
  return parts.length === 3 && /^HTTP\/1\.[0-9]$/.test(parts[2]!);
}

/** Reads the whole body, refusing one larger than MAX_BODY_SIZE (declared or streamed); `done` is called once. */
function readBody(req: http.IncomingMessage, done: (err: unknown, body?: Buffer) => void): void {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > MAX_BODY_SIZE) {
    req.resume();
    done(new BodyTooLarge());
    return;
  }
  let finished = false;
  const finish = (err: unknown, body?: Buffer): void => {
    if (finished) return;
    finished = true;
    done(err, body);
  };
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY_SIZE) {
      req.removeAllListeners('data');
      req.resume();
      finish(new BodyTooLarge());
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => finish(undefined, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
  req.on('error', (e) => finish(e));
}

/** Writes a reply; a body-carrying status without a type gets libevent's default type, as in Core. */
function writeReply(res: http.ServerResponse, reply: HTTPReply): void {
  if (res.headersSent || res.destroyed) return;
  const body = reply.body ?? '';
  const needsBody = reply.status !== HTTPStatus.NO_CONTENT && reply.status >= 200;
  // Headers go to writeHead in one object: node:http then skips its per-header bookkeeping (setHeader).
  const headers: Record<string, string | number> = { ...reply.headers };
  if (needsBody && headers['Content-Type'] === undefined && !res.hasHeader('Content-Type')) headers['Content-Type'] = 'text/html; charset=ISO-8859-1';
  if (needsBody) headers['Content-Length'] = Buffer.byteLength(body);
  res.writeHead(reply.status, httpStatusReason(reply.status), headers);
  res.end(needsBody ? body : undefined);
}
