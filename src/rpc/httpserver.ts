// The HTTP side of the RPC server: keep-alive connections on net sockets, Core's limits (32 MiB
// bodies, 8 KiB headers), peer filtering, path handlers, a bounded work queue and Core's replies.
// Requests are read by http_parser rather than node:http, whose streams cost more per call than the RPC.
import type http from 'node:http';
import net from 'node:net';
import { HTTPStatus } from './protocol.js';
import { clientAllowed, type Endpoint } from './netfilter.js';
import { HTTPParseError, HTTPRequestParser, MAX_BODY_SIZE, type ParsedRequest } from './http_parser.js';
import { CONTINUE, UNREAD_REQUEST, formatReply, type HTTPReply, type ReplyFraming } from './http_reply.js';
import { isPromise, type MaybePromise } from '../util/maybe_async.js';
import { WorkQueue } from './workqueue.js';

export { MAX_BODY_SIZE, MAX_HEADERS_SIZE } from './http_parser.js';
export type { HTTPReply } from './http_reply.js';

export const DEFAULT_HTTP_THREADS = 16;
export const DEFAULT_HTTP_WORKQUEUE = 64;
export const DEFAULT_HTTP_SERVER_TIMEOUT = 30;

/** Core knows these methods; anything else is refused before routing. */
const KNOWN_METHODS = new Set(['GET', 'POST', 'HEAD', 'PUT']);

/** While a request runs, input beyond this much is not read (pipelined requests wait in the kernel instead). */
const MAX_BUFFERED_WHILE_BUSY = 64 * 1024;

export interface HTTPLog {
  warning(message: string): void;
  debug(message: string): void;
  /** Whether -debug=http is on: the per-request lines are made only then. */
  debugEnabled?(): boolean;
}

/** Core's ToStringAddrPort: "1.2.3.4:8332", "[::1]:8332". */
function addrPort(address: string | undefined, port: number | undefined): string {
  if (address === undefined) return '';
  return `${address.includes(':') ? `[${address}]` : address}:${port ?? 0}`;
}

/** Core's RequestMethodString. */
function methodName(method: string): string {
  return KNOWN_METHODS.has(method) ? method : 'unknown';
}

/** What a handler sees of a request: the body is already read within the size limit. */
export interface HTTPRequest {
  method: string;
  uri: string;
  headers: http.IncomingHttpHeaders;
  peer: string;
  body: Buffer;
}

/** A handler may answer at once (the usual RPC) or later. */
export type HTTPHandler = (request: HTTPRequest, path: string) => MaybePromise<HTTPReply>;

export interface HTTPServerOptions {
  endpoints: Endpoint[];
  allow: net.BlockList;
  threads?: number;
  workQueue?: number;
  timeoutSeconds?: number;
  log: HTTPLog;
}

interface Route { prefix: string; exact: boolean; handler: HTTPHandler }

export class HTTPServer {
  private readonly handlers: Route[] = [];
  private readonly servers: net.Server[] = [];
  private readonly connections = new Set<Connection>();
  private readonly queue: WorkQueue;
  readonly timeoutMs: number;
  /** Connection ids for the debug lines, from 0 as Core's. */
  nextConnectionId = 0;

  constructor(readonly options: HTTPServerOptions) {
    this.queue = new WorkQueue(options.threads ?? DEFAULT_HTTP_THREADS, options.workQueue ?? DEFAULT_HTTP_WORKQUEUE);
    this.timeoutMs = Math.max(0, (options.timeoutSeconds ?? DEFAULT_HTTP_SERVER_TIMEOUT) * 1000);
  }

  /** Requests waiting for a worker. */
  queueSize(): number {
    return this.queue.size();
  }

  registerHandler(prefix: string, exact: boolean, handler: HTTPHandler): void {
    this.options.log.debug(`Registering HTTP handler for ${prefix} (exactmatch ${exact ? 1 : 0})`);
    this.handlers.push({ prefix, exact, handler });
  }

  /** Drops the handlers registered for `prefixes` (all when omitted), in registration order, as Core's Stop* do. */
  unregisterHandlers(prefixes?: readonly string[]): void {
    for (const h of [...this.handlers]) {
      if (prefixes !== undefined && !prefixes.includes(h.prefix)) continue;
      this.options.log.debug(`Unregistering HTTP handler for ${h.prefix} (exactmatch ${h.exact ? 1 : 0})`);
      this.handlers.splice(this.handlers.indexOf(h), 1);
    }
  }

  /** Core's InterruptHTTPServer (its line only: requests still running finish and are answered). */
  interrupt(): void {
    this.options.log.debug('Interrupting HTTP server');
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
    const log = this.options.log;
    log.debug('Stopping HTTP server');
    log.debug('Waiting for HTTP worker threads to exit');
    log.debug('Waiting for HTTP clients to disconnect gracefully');
    const closed = Promise.all(this.servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    for (const c of this.connections) c.socket.destroy();
    await closed;
    log.debug('Stopped HTTP server');
  }

  private listen(endpoint: Endpoint): Promise<Endpoint> {
    // Half-open: a client may send its request and shut down its side before the answer comes.
    const server = net.createServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
      const connection = new Connection(this, socket);
      this.connections.add(connection);
      socket.once('close', () => this.connections.delete(connection));
    });
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

  /** Core's checks before routing, in its order; the reply goes to the exchange. */
  dispatch(parsed: ParsedRequest, exchange: Exchange): void {
    const log = this.options.log;
    const peer = exchange.connection.peer;
    if (!exchange.connection.allowed) {
      log.debug(`HTTP request from ${peer} rejected: Client network is not allowed RPC access`);
      return exchange.reply({ status: HTTPStatus.FORBIDDEN });
    }
    if (!KNOWN_METHODS.has(parsed.method)) {
      log.debug(`HTTP request from ${peer} rejected: Unknown HTTP request method`);
      return exchange.reply({ status: HTTPStatus.BAD_METHOD });
    }
    const request: HTTPRequest = { method: parsed.method, uri: parsed.uri, headers: parsed.headers, peer, body: parsed.body };
    this.route(request, exchange);
  }

  private route(request: HTTPRequest, exchange: Exchange): void {
    const uri = request.uri;
    const match = this.handlers.find((h) => (h.exact ? uri === h.prefix : uri.startsWith(h.prefix)));
    if (match === undefined) return exchange.reply({ status: HTTPStatus.NOT_FOUND });
    const path = uri.slice(match.prefix.length);
    // A handler failure still gets an answer so the client does not hang.
    const failed = (e: unknown): void => {
      const message = e instanceof Error ? e.message : 'unknown error';
      this.options.log.warning(`Unexpected error while processing request for '${uri}'. Error msg: '${message}'`);
      exchange.framing.forceClose = true;
      exchange.reply({ status: HTTPStatus.INTERNAL_SERVER_ERROR, headers: { Connection: 'close' }, body: message });
    };
    const accepted = this.queue.submit(() => {
      try {
        const reply = match.handler(request, path);
        if (isPromise(reply)) return reply.then((r) => exchange.reply(r)).catch(failed);
        exchange.reply(reply);
      } catch (e) {
        failed(e);
      }
      return undefined;
    });
    if (!accepted) {
      this.options.log.warning('Request rejected because http work queue depth exceeded, it can be increased with the -rpcworkqueue= setting');
      exchange.reply({ status: HTTPStatus.SERVICE_UNAVAILABLE, body: 'Work queue depth exceeded' });
    }
  }
}

/** One request's answer: written once, then the connection reads the next request (or closes). */
class Exchange {
  private done = false;

  constructor(readonly connection: Connection, readonly framing: ReplyFraming) {}

  reply(reply: HTTPReply): void {
    if (this.done) return;
    this.done = true;
    const { head, body, keepAlive } = formatReply(reply, this.framing);
    this.connection.finish(head, body, keepAlive, reply.status);
  }
}

/** A client connection: requests are read and answered one at a time, in order. */
class Connection {
  /** The peer as Core names it in logs and to handlers: address and port. */
  readonly peer: string;
  readonly id: number;
  private readonly log: HTTPLog;
  /** A connection's peer never changes, so the allow list is checked once. */
  readonly allowed: boolean;
  private readonly parser = new HTTPRequestParser();
  private busy = false;
  /** No more requests are read: the peer shut down its side, or the server is closing the connection. */
  private peerEnded = false;
  private closing = false;
  /** readRequests is on the stack: a reply written synchronously leaves the next request to its loop. */
  private reading = false;
  /** Replies wait in our send buffer (a client that does not read): no more requests are read until it drains. */
  private draining = false;
  /** Bytes thrown away after a closing reply, so that the peer's last writes do not reset the connection. */
  private discarded = 0;

  constructor(private readonly server: HTTPServer, readonly socket: net.Socket) {
    this.peer = addrPort(socket.remoteAddress, socket.remotePort);
    this.id = server.nextConnectionId++;
    this.log = server.options.log;
    this.allowed = clientAllowed(server.options.allow, socket.remoteAddress);
    if (this.log.debugEnabled?.()) this.log.debug(`HTTP Connection accepted from ${this.peer} (id=${this.id})`);
    socket.once('close', () => {
      if (this.log.debugEnabled?.()) this.log.debug(`Disconnecting HTTP client ${this.peer} (id=${this.id})`);
    });
    this.parser.onHead = (request) => {
      if (request.expect === 'continue') socket.write(CONTINUE);
    };
    if (server.timeoutMs > 0) socket.setTimeout(server.timeoutMs);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.onEnd());
    socket.on('timeout', () => this.onTimeout());
    socket.on('error', (err) => {
      server.options.log.debug(`Permanent read error from ${this.peer} (id=${this.id}): ${err.message}`);
      socket.destroy();
    });
  }

  private onData(chunk: Buffer): void {
    if (this.closing) {
      this.discarded += chunk.length;
      if (this.discarded > MAX_BODY_SIZE) this.socket.destroy();
      return;
    }
    this.parser.push(chunk);
    if (this.busy || this.draining) {
      if (this.parser.buffered() > MAX_BUFFERED_WHILE_BUSY) this.socket.pause();
      return;
    }
    this.readRequests();
  }

  private onEnd(): void {
    if (this.log.debugEnabled?.()) this.log.debug(`Received EOF from ${this.peer} (id=${this.id})`);
    this.peerEnded = true;
    // A closing connection goes once our end is written too (net sockets destroy themselves then).
    if (!this.closing && !this.busy && !this.draining) this.readRequests();
  }

  /** Idle too long (Core's -rpcservertimeout); a request being handled is not cut off. */
  private onTimeout(): void {
    if (this.busy) this.socket.setTimeout(this.server.timeoutMs);
    else this.socket.destroy();
  }

  /** Handles buffered requests until one is in flight or more bytes are needed. */
  private readRequests(): void {
    this.reading = true;
    try {
      this.readLoop();
    } finally {
      this.reading = false;
    }
  }

  private readLoop(): void {
    while (!this.busy && !this.closing && !this.draining) {
      let parsed: ParsedRequest | undefined;
      try {
        parsed = this.parser.next();
      } catch (e) {
        if (!(e instanceof HTTPParseError)) throw e;
        return this.refuse(e);
      }
      if (parsed === undefined) {
        // Core drops a request cut off by the end of input without a word.
        if (this.peerEnded) this.close();
        return;
      }
      this.busy = true;
      const framing: ReplyFraming = {
        versionMajor: parsed.versionMajor, versionMinor: parsed.versionMinor, connection: parsed.connection, forceClose: false,
        headOnly: parsed.method === 'HEAD',
      };
      const exchange = new Exchange(this, framing);
      if (this.log.debugEnabled?.()) this.log.debug(`Received a ${methodName(parsed.method)} request for ${parsed.uri} from ${this.peer} (id=${this.id})`);
      this.server.dispatch(parsed, exchange);
    }
  }

  /** Input Core would not read: it answers 400 (413 for a body over the limit) and drops the connection. */
  private refuse(err: HTTPParseError): void {
    const what = err.tooLarge ? 'HTTP request body too large from client' : 'Error reading HTTP request from client';
    this.log.debug(`${what} ${this.peer} (id=${this.id}): ${err.message}`);
    const status = err.tooLarge ? HTTPStatus.CONTENT_TOO_LARGE : HTTPStatus.BAD_REQUEST;
    const read = err.request;
    const framing: ReplyFraming = read === undefined ? { ...UNREAD_REQUEST }
      : { versionMajor: read.versionMajor, versionMinor: read.versionMinor, connection: read.connection, forceClose: true, headOnly: false };
    const { head } = formatReply({ status }, framing);
    this.finish(head, undefined, false, status);
  }

  /** Sends a reply; then the next request, or the end of the connection. */
  finish(head: string, body: string | Uint8Array | undefined, keepAlive: boolean, status: number): void {
    const socket = this.socket;
    this.busy = false;
    if (socket.destroyed) return;
    if (this.log.debugEnabled?.()) {
      const size = head.length + (body === undefined ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.length);
      this.log.debug(`HTTPResponse (status code: ${status} size: ${size}) added to send buffer for client ${this.peer} (id=${this.id})`);
      this.log.debug(`Sent ${size} bytes to client ${this.peer} (id=${this.id})`);
    }
    if (body === undefined) socket.write(head);
    else if (typeof body === 'string') socket.write(head + body);
    else {
      socket.cork();
      socket.write(head, 'latin1');
      socket.write(body);
      socket.uncork();
    }
    if (!keepAlive) return this.close();
    if (socket.writableNeedDrain) {
      this.draining = true;
      socket.once('drain', () => {
        this.draining = false;
        this.next();
      });
      return;
    }
    this.next();
  }

  /** Reads on after a reply: the socket may have been paused while the request ran. */
  private next(): void {
    if (this.socket.isPaused()) this.socket.resume();
    if (!this.reading) this.readRequests();
  }

  /** Ends our side; what the peer still sends is read and dropped until it closes too. */
  private close(): void {
    if (this.closing) return;
    this.closing = true;
    this.socket.end();
    if (this.socket.isPaused()) this.socket.resume();
  }
}
