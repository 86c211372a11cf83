// A bounded HTTP/1.x request reader for the RPC server, by the rules of Core's own HTTP server (httpserver.cpp's
// LoadControlData, HTTPHeaders::Read and LoadBody over util::LineReader), with its error texts: lines end in LF, a
// CR before it dropped; a request line of three words with any method word and HTTP/1.0 to 1.9; header lines with a
// colon and no space in the name; a body by "Transfer-Encoding: chunked" or by Content-Length, within 8 KiB of lines
// and 32 MiB of body. Read incrementally: each byte is looked at about once however the input is split.

export const MAX_HEADERS_SIZE = 8192;
export const MAX_BODY_SIZE = 32 * 1024 * 1024;
/** Core's MIN_REQUEST_LINE_LENGTH: the length of "GET / HTTP/1.0". */
const MIN_REQUEST_LINE_LENGTH = 14;
/** What Core's TrimString takes off both ends. */
const SPACES = ' \f\n\r\t\v';
const WHITESPACE_IN_NAME = /[ \t\n\r\f\v]/;
const DECIMAL = /^[0-9]+$/;
const HEX = /^[0-9A-Fa-f]+$/;
const LF = 10;
const CR = 13;
const LF_CRLF = Buffer.from('\n\r\n');
const LF_LF = Buffer.from('\n\n');

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

/** What the request line and headers say; shared by every request that repeats the same head bytes. */
interface ParsedHead {
  readonly method: string;
  readonly uri: string;
  readonly versionMajor: number;
  readonly versionMinor: number;
  /** Lower-case names, the first of repeated headers (Core's FindFirst); frozen, as it may be shared. */
  readonly headers: Readonly<Record<string, string>>;
  /** The first Connection header, lower case (what Core's keep-alive rules read); undefined without one. */
  readonly connection: string | undefined;
  /** HTTP/1.1 or later with an Expect header: whether it asked for 100-continue (others are ignored, as in Core). */
  readonly expect: 'none' | 'continue' | 'other';
  /** How the body comes: chunked, or this many bytes. */
  readonly chunked: boolean;
  readonly contentLength: number;
}

export interface ParsedRequest extends ParsedHead {
  body: Buffer;
}

/** What was read of a request before an error: Core's reply to it is in its version and follows its Connection. */
export interface RequestSoFar {
  versionMajor: number;
  versionMinor: number;
  connection: string | undefined;
}

/** Why bytes are not a request (Core's runtime_error texts): the server answers 400, or 413 when `tooLarge`, and closes. */
export class HTTPParseError extends Error {
  /** Set once the request line was good. */
  request: RequestSoFar | undefined;

  constructor(message: string, readonly tooLarge = false) {
    super(message);
  }
}

const enum State { HEAD, LENGTH, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS }

/** Core's TrimString over text[start, end). */
function trim(text: string, start = 0, end = text.length): string {
  while (start < end && SPACES.includes(text[start]!)) start++;
  while (end > start && SPACES.includes(text[end - 1]!)) end--;
  return text.slice(start, end);
}

/** A decimal uint64 as Core's ToIntegral reads it (digits only); undefined when it is not one. */
function parseUint64(text: string): number | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const value = BigInt(text);
  return value > 0xffffffffffffffffn ? undefined : Number(value);
}

/**
 * Reads requests from pushed bytes. next() answers a complete request, undefined while more bytes are needed, and
 * throws HTTPParseError on input Core would refuse (the parser is then unusable). Bytes beyond a request wait.
 */
export class HTTPRequestParser {
  private buf: Buffer = Buffer.alloc(0);
  private state = State.HEAD;
  private head: ParsedHead | undefined;
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
  onHead: ((request: ParsedHead) => void) | undefined;

  push(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
  }

  /** Bytes received and not yet taken into a request. */
  buffered(): number {
    return this.buf.length;
  }

  next(): ParsedRequest | undefined {
    if (this.state === State.HEAD && !this.readHead()) return undefined;
    try {
      if (!this.readBody()) return undefined;
    } catch (e) {
      if (e instanceof HTTPParseError) e.request ??= this.head;
      throw e;
    }
    const h = this.head!;
    const body = this.bodyChunks.length === 1 ? this.bodyChunks[0]! : Buffer.concat(this.bodyChunks);
    this.head = undefined;
    this.bodyChunks = [];
    this.bodySize = 0;
    this.state = State.HEAD;
    return {
      method: h.method, uri: h.uri, versionMajor: h.versionMajor, versionMinor: h.versionMinor, headers: h.headers,
      connection: h.connection, expect: h.expect, chunked: h.chunked, contentLength: h.contentLength, body,
    };
  }

  /**
   * The end of the head (the byte after its empty line), or -1 while it is incomplete. Core reads line by line and
   * refuses a bad line as soon as it is there: so are the lines of an incomplete head.
   */
  private headEnd(): number {
    // A head within the size limit has no line over it either: its end is the first empty line, found in two scans.
    const crlf = this.buf.indexOf(LF_CRLF);
    const lflf = this.buf.indexOf(LF_LF);
    const end = crlf < 0 ? (lflf < 0 ? -1 : lflf + 2) : lflf < 0 || crlf < lflf ? crlf + 3 : lflf + 2;
    if (end >= 0 && end <= MAX_HEADERS_SIZE) return end;
    return this.headEndByLines();
  }

  /** headEnd line by line: for a head cut off so far (its lines checked now), or one past the size limit. */
  private headEndByLines(): number {
    let pos = 0;
    for (let lines = 0; ; lines++) {
      const lf = this.buf.indexOf(LF, pos);
      if (lf < 0) {
        if (this.buf.length - pos > MAX_HEADERS_SIZE) throw new HTTPParseError('max_line_length exceeded by LineReader');
        if (lines > 0) parseHead(this.buf.toString('latin1', 0, pos), false);
        return -1;
      }
      if (lf - pos > MAX_HEADERS_SIZE) throw new HTTPParseError('max_line_length exceeded by LineReader');
      const empty = lf === pos || (lf === pos + 1 && this.buf[pos] === CR);
      pos = lf + 1;
      // Past the request line (even an empty one, which parseHead then finds too short), an empty line ends the head;
      // so does the line that takes it past the size limit, for parseHead to refuse.
      if (lines > 0 && (empty || pos > MAX_HEADERS_SIZE)) return pos;
    }
  }

  private readHead(): boolean {
    const end = this.headEnd();
    if (end < 0) return false;
    const headBytes = this.buf.subarray(0, end);
    let head = this.lastHead;
    if (head === undefined || !this.lastHeadBytes!.equals(headBytes)) {
      head = parseHead(headBytes.toString('latin1'), true)!;
      this.lastHead = head;
      // A copy: the received chunk it was cut from need not stay in memory.
      this.lastHeadBytes = Buffer.from(headBytes);
    }
    this.buf = this.buf.subarray(end);
    this.head = head;
    if (head.chunked) {
      this.state = State.CHUNK_SIZE;
    } else {
      if (head.contentLength > MAX_BODY_SIZE) throw requestError('Max body size exceeded', head, true);
      this.state = State.LENGTH;
      this.remaining = head.contentLength;
    }
    if (this.onHead !== undefined) this.onHead(head);
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
          const line = this.line();
          if (line === undefined) return false;
          this.startChunk(line);
          break;
        }
        case State.CHUNK_DATA:
          this.remaining -= this.take(this.remaining);
          if (this.remaining > 0) return false;
          this.state = State.CHUNK_END;
          break;
        case State.CHUNK_END: {
          const line = this.line();
          if (line === undefined) return false;
          if (line !== '') throw new HTTPParseError('Improperly terminated chunk');
          this.state = State.CHUNK_SIZE;
          break;
        }
        case State.TRAILERS: {
          const before = this.buf.length;
          const line = this.line();
          if (line === undefined) return false;
          this.trailerSize += before - this.buf.length;
          if (this.trailerSize > MAX_HEADERS_SIZE) throw new HTTPParseError('HTTP chunked trailer exceeds size limit');
          if (line === '') return true;
          break;
        }
        default:
          return true;
      }
    }
  }

  /** A chunk-size line: extensions ignored, hex, within the body limit; size 0 starts the trailers. */
  private startChunk(line: string): void {
    const semicolon = line.indexOf(';');
    const sizeText = trim(semicolon < 0 ? line : line.slice(0, semicolon));
    if (!HEX.test(sizeText) || sizeText.replace(/^0+/, '').length > 16) throw new HTTPParseError('Cannot parse chunk length value');
    const size = parseInt(sizeText, 16);
    if (size > MAX_BODY_SIZE - this.bodySize) throw new HTTPParseError('Chunk will exceed max body size', true);
    if (size === 0) {
      this.state = State.TRAILERS;
      this.trailerSize = 0;
    } else {
      this.remaining = size;
      this.state = State.CHUNK_DATA;
    }
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

  /** One line (latin1, without its LF and a CR before it), or undefined until it is complete (Core's ReadLine). */
  private line(): string | undefined {
    const lf = this.buf.indexOf(LF);
    if (lf < 0) {
      if (this.buf.length > MAX_HEADERS_SIZE) throw new HTTPParseError('max_line_length exceeded by LineReader');
      return undefined;
    }
    if (lf > MAX_HEADERS_SIZE) throw new HTTPParseError('max_line_length exceeded by LineReader');
    const end = lf > 0 && this.buf[lf - 1] === CR ? lf - 1 : lf;
    const text = this.buf.toString('latin1', 0, end);
    this.buf = this.buf.subarray(lf + 1);
    return text;
  }
}

function requestError(message: string, request: RequestSoFar, tooLarge = false): HTTPParseError {
  const err = new HTTPParseError(message, tooLarge);
  err.request = request;
  return err;
}

/** Core's LoadControlData: the method word, the target and an HTTP/1.x version. */
function parseRequestLine(line: string): { method: string; uri: string; versionMajor: number; versionMinor: number } {
  if (line.length < MIN_REQUEST_LINE_LENGTH) throw new HTTPParseError('HTTP request line too short');
  if (line.includes('\0')) throw new HTTPParseError('Invalid request line contains NUL');
  const parts = line.split(' ');
  if (parts.length !== 3 || parts[2]!.lastIndexOf('HTTP/') !== 0) throw new HTTPParseError('HTTP request line malformed');
  const version = parts[2]!.slice(5).split('.');
  if (version.length !== 2) throw new HTTPParseError('HTTP request line malformed');
  const [major, minor] = version as [string, string];
  if (major.length !== 1 || minor.length !== 1 || !DECIMAL.test(major) || !DECIMAL.test(minor) || major !== '1') {
    throw new HTTPParseError('HTTP bad version');
  }
  return { method: parts[0]!, uri: parts[1]!, versionMajor: 1, versionMinor: Number(minor) };
}

/**
 * The request line and headers (Core's HTTPHeaders::Read), and how the body comes (the first half of LoadBody).
 * `text` is whole lines; without `complete` they are the start of a head, checked line by line, and nothing is
 * returned unless they hold an error (then thrown).
 */
function parseHead(text: string, complete: boolean): ParsedHead | undefined {
  let lf = text.indexOf('\n');
  const requestLine = parseRequestLine(lineAt(text, 0, lf));
  const request: RequestSoFar = { versionMajor: 1, versionMinor: requestLine.versionMinor, connection: undefined };
  // A plain object: one without a prototype is a dictionary, many times slower to fill.
  const headers: Record<string, string> = {};
  const contentLengths: string[] = [];
  for (let start = lf + 1; start < text.length; start = lf + 1) {
    lf = text.indexOf('\n', start);
    if (lf + 1 > MAX_HEADERS_SIZE) throw requestError('HTTP headers exceed size limit', request);
    const line = lineAt(text, start, lf);
    if (line === '') break;
    if (/[\r\n\0]/.test(line)) throw requestError('Header contains invalid character', request);
    const colon = line.indexOf(':');
    if (colon < 0) throw requestError('HTTP header missing colon (:)', request);
    const key = line.slice(0, colon);
    if (WHITESPACE_IN_NAME.test(key)) throw requestError('Invalid header field-name contains whitespace', request);
    if (key === '') throw requestError('Empty HTTP header name', request);
    const value = trim(line, colon + 1);
    const name = COMMON_NAMES.get(key) ?? key.toLowerCase();
    if (name === 'content-length') contentLengths.push(value);
    // A name like "constructor" finds Object.prototype's member at first.
    if (!Object.hasOwn(headers, name)) {
      headers[name] = value;
      if (name === 'connection') request.connection = value.toLowerCase();
    }
  }
  if (!complete) return undefined;
  const chunked = headers['transfer-encoding']?.toLowerCase() === 'chunked';
  let contentLength = 0;
  if (!chunked && contentLengths.length > 0) {
    if (contentLengths.some((v) => v !== contentLengths[0])) throw requestError('Differing Content-Length values', request);
    const parsed = parseUint64(contentLengths[0]!);
    if (parsed === undefined) throw requestError('Cannot parse Content-Length value', request);
    contentLength = parsed;
  }
  const expectValue = requestLine.versionMinor >= 1 ? headers.expect : undefined;
  return {
    ...requestLine,
    headers: Object.freeze(headers),
    connection: request.connection,
    expect: expectValue === undefined ? 'none' : /(?:^|\W)100-continue(?:$|\W)/i.test(expectValue) ? 'continue' : 'other',
    chunked,
    contentLength,
  };
}

/** text[start, lf) without a CR before the LF (Core's ReadLine). */
function lineAt(text: string, start: number, lf: number): string {
  return text.slice(start, lf > start && text.charCodeAt(lf - 1) === CR ? lf - 1 : lf);
}
