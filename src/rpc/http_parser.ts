// A bounded HTTP/1.1 request reader for the RPC server: one request at a time out of the bytes a
// connection has received, as strict as node's llhttp was (CRLF line ends, token names, no control
// characters, one Content-Length, chunked last) and within Core's limits (8 KiB heads, 32 MiB bodies).

export const MAX_HEADERS_SIZE = 8192;
export const MAX_BODY_SIZE = 32 * 1024 * 1024;
/** A chunk-size line (hex size plus extensions) longer than this is refused rather than buffered. */
const MAX_CHUNK_LINE = 4096;

/** The methods llhttp parses; others are refused while parsing (405 when the request line is well formed). */
const PARSER_METHODS = new Set(['ACL', 'BIND', 'CHECKOUT', 'CONNECT', 'COPY', 'DELETE', 'GET', 'HEAD', 'LINK', 'LOCK',
  'M-SEARCH', 'MERGE', 'MKACTIVITY', 'MKCALENDAR', 'MKCOL', 'MOVE', 'NOTIFY', 'OPTIONS', 'PATCH', 'POST', 'PROPFIND',
  'PROPPATCH', 'PURGE', 'PUT', 'QUERY', 'REBIND', 'REPORT', 'SEARCH', 'SOURCE', 'SUBSCRIBE', 'TRACE', 'UNBIND', 'UNLINK',
  'UNLOCK', 'UNSUBSCRIBE']);

/** Versions llhttp reads, and HTTP/1.2 to 1.9 (Core's parser takes any 1.x); another is still answered (400) by the server. */
const PARSER_VERSIONS = new Set(['0.9', '1.0', '1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '1.7', '1.8', '1.9', '2.0', '3.0']);

/** Repeats of these keep the first value, as node's IncomingMessage did; other repeats are joined with ", ". */
const FIRST_WINS = new Set(['age', 'authorization', 'content-length', 'content-type', 'etag', 'expires', 'from', 'host',
  'if-modified-since', 'if-unmodified-since', 'last-modified', 'location', 'max-forwards', 'proxy-authorization',
  'referer', 'retry-after', 'server', 'user-agent']);

const REQUEST_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) +([\x21-\x7e]+)(?: HTTP\/([0-9]\.[0-9]))?$/;
const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*?)[ \t]*$/;
const BAD_VALUE_CHAR = /[^\t\x20-\x7e\x80-\xff]/;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const DIGITS = /^[0-9]+$/;
const CHUNK_LINE = /^([0-9A-Fa-f]{1,16})(?:;[^\x00-\x08\x0a-\x1f\x7f]*)?$/;
const CRLF = Buffer.from('\r\n');

/**
 * Headers clients send on every call, as they spell them, to their lower-case names: a name made by toLowerCase
 * is a new string that every lookup has to hash again, a constant one is looked up at once.
 */
const COMMON_NAMES = new Map<string, string>();
for (const name of ['Accept', 'Authorization', 'Connection', 'Content-Length', 'Content-Type', 'Expect', 'Host',
  'Transfer-Encoding', 'User-Agent']) {
  COMMON_NAMES.set(name, name.toLowerCase());
  COMMON_NAMES.set(name.toLowerCase(), name.toLowerCase());
}
const CRLFCRLF = Buffer.from('\r\n\r\n');

/** What the request line and headers say; shared by every request that repeats the same head bytes. */
interface ParsedHead {
  readonly method: string;
  readonly uri: string;
  readonly versionMajor: number;
  readonly versionMinor: number;
  /** Lower-case names; frozen, as it may be shared. */
  readonly headers: Readonly<Record<string, string>>;
  /** The first Connection header, lower case (what Core's keep-alive rules read); undefined without one. */
  readonly connection: string | undefined;
  /** HTTP/1.1 with an Expect header: whether it asked for 100-continue (other expectations are ignored, as in Core). */
  readonly expect: 'none' | 'continue' | 'other';
}

export interface ParsedRequest extends ParsedHead {
  /** The declared or streamed body passed MAX_BODY_SIZE; body is then empty and the connection must close. */
  tooLarge: boolean;
  body: Buffer;
}

/** Why bytes are not a request: the server answers 400 (or 405 for an unknown method) and closes. */
export class HTTPParseError extends Error {
  /**
   * What was read of the request before the error, when its request line was good: Core's reply to a request it
   * fails to read is in that version, and follows the Connection header if one was read.
   */
  request: { versionMajor: number; versionMinor: number; connection: string | undefined } | undefined;

  constructor(message: string, readonly unknownMethod = false) {
    super(`Parse Error: ${message}`);
  }
}

const enum State { HEAD, LENGTH, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS }

/**
 * Reads requests from pushed bytes. next() answers a complete request, undefined while more bytes are needed, and
 * throws HTTPParseError on malformed input (the parser is then unusable). Bytes beyond the current request wait.
 */
export class HTTPRequestParser {
  private buf: Buffer = Buffer.alloc(0);
  private state = State.HEAD;
  private request: ParsedRequest | undefined;
  private bodyChunks: Buffer[] = [];
  private bodySize = 0;
  /** LENGTH: bytes still to come; CHUNK_DATA: bytes left in the chunk. */
  private remaining = 0;
  private trailerSize = 0;
  /**
   * The last head read and what it said. A client sends the same headers on every call of a connection (the same
   * Content-Length too, for the same call), and parsing is a pure function of the bytes.
   */
  private lastHeadBytes: Buffer | undefined;
  private lastHead: ParsedHead | undefined;

  /** Called once a request's head is read, before its body (the server sends 100 Continue from it). */
  onHead: ((request: ParsedRequest) => void) | undefined;

  push(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
  }

  /** Bytes received and not yet taken into a request. */
  buffered(): number {
    return this.buf.length;
  }

  /** A request is partly read (end of input now would cut it short); blank lines between requests do not count. */
  inRequest(): boolean {
    if (this.state !== State.HEAD) return true;
    for (const b of this.buf) if (b !== 13 && b !== 10) return true;
    return false;
  }

  next(): ParsedRequest | undefined {
    if (this.state === State.HEAD && !this.readHead()) return undefined;
    try {
      if (!this.readBody()) return undefined;
    } catch (e) {
      if (e instanceof HTTPParseError) e.request ??= this.request;
      throw e;
    }
    const request = this.request!;
    if (!request.tooLarge) request.body = this.bodyChunks.length === 1 ? this.bodyChunks[0]! : Buffer.concat(this.bodyChunks);
    this.request = undefined;
    this.bodyChunks = [];
    this.bodySize = 0;
    this.state = State.HEAD;
    return request;
  }

  private readHead(): boolean {
    let start = 0;
    // Empty lines before a request line are skipped, as llhttp does.
    while (this.buf.length >= start + 2 && this.buf[start] === 13 && this.buf[start + 1] === 10) start += 2;
    const end = this.buf.indexOf(CRLFCRLF, start);
    if (end < 0) {
      if (this.buf.length - start > MAX_HEADERS_SIZE) throw new HTTPParseError('Header overflow');
      const lf = this.buf.indexOf(10, start);
      if (lf >= 0 && this.buf[lf - 1] !== 13) throw new HTTPParseError('Missing expected CR after header value');
      if (start > 0) this.buf = this.buf.subarray(start);
      return false;
    }
    if (end + 4 - start > MAX_HEADERS_SIZE) throw new HTTPParseError('Header overflow');
    const headBytes = this.buf.subarray(start, end);
    let head = this.lastHead;
    if (head === undefined || !this.lastHeadBytes!.equals(headBytes)) {
      head = parseHead(headBytes.toString('latin1'));
      this.lastHead = head;
      // A copy: the received chunk it was cut from need not stay in memory.
      this.lastHeadBytes = Buffer.from(headBytes);
    }
    this.buf = this.buf.subarray(end + 4);
    this.request = {
      method: head.method, uri: head.uri, versionMajor: head.versionMajor, versionMinor: head.versionMinor,
      headers: head.headers, connection: head.connection, expect: head.expect, tooLarge: false, body: EMPTY,
    };
    this.state = State.LENGTH;
    this.remaining = 0;
    const request = this.request;
    if (request.versionMajor !== 1) return true; // answered at once, without a body
    const length = request.headers['content-length'];
    if (request.headers['transfer-encoding'] !== undefined) {
      this.state = State.CHUNK_SIZE;
    } else if (length !== undefined) {
      this.remaining = Number(length);
      if (this.remaining > MAX_BODY_SIZE) {
        request.tooLarge = true;
        this.remaining = 0;
      }
    }
    if (this.onHead !== undefined) this.onHead(request);
    return true;
  }

  /** Takes body bytes as far as they go; true once the body (and any trailers) is complete. */
  private readBody(): boolean {
    for (;;) {
      switch (this.state) {
        case State.LENGTH:
          if (this.remaining > 0) this.remaining -= this.take(this.remaining);
          return this.remaining === 0;
        case State.CHUNK_SIZE: {
          const line = this.line(MAX_CHUNK_LINE);
          if (line === undefined) return false;
          const m = CHUNK_LINE.exec(line);
          if (m === null) throw new HTTPParseError('Invalid character in chunk size');
          const size = parseInt(m[1]!, 16);
          if (size === 0) {
            this.state = State.TRAILERS;
            this.trailerSize = 0;
          } else if (this.bodySize + size > MAX_BODY_SIZE) {
            return this.refuseBody();
          } else {
            this.remaining = size;
            this.state = State.CHUNK_DATA;
          }
          break;
        }
        case State.CHUNK_DATA:
          this.remaining -= this.take(this.remaining);
          if (this.remaining > 0) return false;
          this.state = State.CHUNK_END;
          break;
        case State.CHUNK_END:
          if (this.buf.length < 2) return false;
          if (this.buf[0] !== 13 || this.buf[1] !== 10) throw new HTTPParseError('Expected LF after chunk data');
          this.buf = this.buf.subarray(2);
          this.state = State.CHUNK_SIZE;
          break;
        case State.TRAILERS: {
          const line = this.line(MAX_HEADERS_SIZE - this.trailerSize);
          if (line === undefined) return false;
          if (line === '') return true;
          this.trailerSize += line.length + 2;
          if (!HEADER_LINE.test(line) || BAD_VALUE_CHAR.test(line)) throw new HTTPParseError('Invalid header token');
          break;
        }
        default:
          return true;
      }
    }
  }

  /** A streamed body passed the limit: the rest of the connection's input is not read. */
  private refuseBody(): boolean {
    this.request!.tooLarge = true;
    this.bodyChunks = [];
    this.buf = Buffer.alloc(0);
    this.state = State.LENGTH;
    this.remaining = 0;
    return true;
  }

  /** Moves up to `max` buffered bytes into the body; how many. */
  private take(max: number): number {
    const n = Math.min(max, this.buf.length);
    if (n === 0) return 0;
    this.bodyChunks.push(this.buf.subarray(0, n));
    this.bodySize += n;
    this.buf = this.buf.subarray(n);
    return n;
  }

  /** One CRLF-terminated line (latin1, without the CRLF), or undefined until it is complete. */
  private line(max: number): string | undefined {
    const end = this.buf.indexOf(CRLF);
    if (end < 0) {
      if (this.buf.length > max) throw new HTTPParseError('Line too long');
      return undefined;
    }
    if (end > max) throw new HTTPParseError('Line too long');
    const text = this.buf.toString('latin1', 0, end);
    this.buf = this.buf.subarray(end + 2);
    return text;
  }
}

/** The request line and headers; the body is filled in later. */
function parseHead(text: string): ParsedHead {
  if (!cleanHead(text)) throw new HTTPParseError('Invalid character in header');
  let lineEnd = text.indexOf('\r\n');
  if (lineEnd < 0) lineEnd = text.length;
  const requestLine = text.slice(0, lineEnd);
  const m = REQUEST_LINE.exec(requestLine);
  // Core reads any method word on a well-formed request line, and the server then answers 405 on a connection that
  // stays open; llhttp's methods alone may come with a request line that is not (HTTP/0.9).
  const anyMethod = m !== null && wellFormedRequestLine(requestLine);
  if (m === null || (!PARSER_METHODS.has(m[1]!) && !anyMethod)) {
    const method = /^[^ ]*/.exec(requestLine)![0];
    if (!PARSER_METHODS.has(method) && wellFormedRequestLine(requestLine)) throw new HTTPParseError('Invalid method encountered', true);
    throw new HTTPParseError(m === null ? 'Invalid request line' : 'Invalid method encountered');
  }
  const version = m[3] ?? '0.9';
  if (!PARSER_VERSIONS.has(version)) throw new HTTPParseError('Invalid HTTP version');
  const versionMajor = version.charCodeAt(0) - 48;
  const versionMinor = version.charCodeAt(2) - 48;
  // A plain object: one without a prototype is a dictionary, many times slower to fill.
  const headers: Record<string, string> = {};
  let connection: string | undefined;
  // Past a good HTTP/1.x request line, Core's reply to a bad request is in its version (see HTTPParseError.request).
  const fail = (message: string): HTTPParseError => {
    const err = new HTTPParseError(message);
    if (versionMajor === 1) err.request = { versionMajor, versionMinor, connection };
    return err;
  };
  let pos = lineEnd + 2;
  while (pos < text.length) {
    let end = text.indexOf('\r\n', pos);
    if (end < 0) end = text.length;
    const colon = text.indexOf(':', pos);
    if (colon < 0 || colon >= end) throw fail('Invalid header token');
    const rawName = text.slice(pos, colon);
    if (!TOKEN.test(rawName)) throw fail('Invalid header token');
    const value = trimOWS(text, colon + 1, end);
    pos = end + 2;
    const name = COMMON_NAMES.get(rawName) ?? rawName.toLowerCase();
    if (name === 'content-length') {
      if (headers[name] !== undefined) throw fail('Duplicate Content-Length');
      if (!DIGITS.test(value)) throw fail('Invalid character in Content-Length');
    } else if (name === 'connection') {
      connection ??= value.toLowerCase();
    }
    const previous = headers[name];
    // A name like "constructor" finds Object.prototype's member at first.
    if (previous === undefined || !Object.hasOwn(headers, name)) headers[name] = value;
    else if (!FIRST_WINS.has(name)) headers[name] = `${previous}, ${value}`;
  }
  const te = headers['transfer-encoding'];
  if (te !== undefined) {
    if (headers['content-length'] !== undefined) throw fail('Content-Length can\'t be present with Transfer-Encoding');
    if (te.toLowerCase().split(',').pop()!.trim() !== 'chunked') throw fail('Request has invalid `Transfer-Encoding`');
  }
  const expectValue = versionMajor === 1 && versionMinor >= 1 ? headers.expect : undefined;
  return {
    method: m[1]!,
    uri: m[2]!,
    versionMajor,
    versionMinor,
    headers: Object.freeze(headers),
    connection,
    expect: expectValue === undefined ? 'none' : /(?:^|\W)100-continue(?:$|\W)/i.test(expectValue) ? 'continue' : 'other',
  };
}

/** No control character but HTAB, and CR only as part of CRLF (LF alone would be one too): llhttp's rule, in one pass. */
function cleanHead(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 32 && c !== 127) continue;
    if (c === 9) continue;
    if (c === 13 && text.charCodeAt(i + 1) === 10) {
      i++;
      continue;
    }
    return false;
  }
  return true;
}

/** text[start, end) without leading and trailing spaces and tabs (String.trim would take more). */
function trimOWS(text: string, start: number, end: number): string {
  while (start < end && (text.charCodeAt(start) === 32 || text.charCodeAt(start) === 9)) start++;
  while (end > start && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9)) end--;
  return text.slice(start, end);
}

const EMPTY = Buffer.alloc(0);

/** Core's request-line rules: at least 14 bytes, no NUL, three words, an HTTP/1.x version. */
function wellFormedRequestLine(line: string): boolean {
  if (line.length < 'GET / HTTP/1.0'.length || line.includes('\0')) return false;
  const parts = line.split(' ');
  return parts.length === 3 && /^HTTP\/1\.[0-9]$/.test(parts[2]!);
}
