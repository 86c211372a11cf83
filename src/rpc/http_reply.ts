// The bytes of an HTTP reply as the RPC server sends them, laid out as Core's HTTPRequest::WriteReply does (after
// libevent's evhttp_make_header_response): the status line in the request's version, the handler's headers, then
// Date (HTTP/1.1), "Connection: keep-alive" (a keep-alive HTTP/1.0 request), Content-Length, the default type for
// bodies without one, and "Connection: close" when the request asked for it.
import { HTTPStatus, httpStatusReason } from './protocol.js';

export interface HTTPReply {
  status: HTTPStatus;
  headers?: Record<string, string>;
  /** Text, or raw bytes for binary replies (REST .bin). */
  body?: string | Uint8Array;
}

/** What the reply's head depends on in the request, and how the connection goes on after it. */
export interface ReplyFraming {
  versionMajor: number;
  versionMinor: number;
  /** The request's first Connection header, lower case (Core's FindFirst); undefined without one. */
  connection: string | undefined;
  /** The server closes after this reply whatever the request said (413, a bad request, a failed handler). */
  forceClose: boolean;
  /**
   * A HEAD request: the head only. Core sends the body too, which a HEAD client reads as the start of the next
   * reply; the head is the same.
   */
  headOnly: boolean;
}

/** The framing of a request that could not be read: Core's defaults (HTTP/1.1, no headers), and the connection closes. */
export const UNREAD_REQUEST: Readonly<ReplyFraming> = { versionMajor: 1, versionMinor: 1, connection: undefined, forceClose: true, headOnly: false };

const DEFAULT_CONTENT_TYPE = 'text/html; charset=ISO-8859-1';

let dateSecond = -1;
let dateText = '';

/** The Date header's value (RFC 1123, as Core's FormatRFC1123DateTime), made once a second. */
export function httpDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(second * 1000).toUTCString();
  }
  return dateText;
}

/** Whether the request lets the connection carry another one (Core's keep_alive in WriteReply). */
export function requestKeepsAlive(framing: ReplyFraming): boolean {
  if (framing.connection === 'close') return false;
  return framing.versionMinor === 0 ? framing.connection === 'keep-alive' : true;
}

/** The head (status line through the blank line), the body to send after it, and whether the connection stays. */
export function formatReply(reply: HTTPReply, framing: ReplyFraming): { head: string; body: string | Uint8Array | undefined; keepAlive: boolean } {
  const status = reply.status;
  const { versionMajor: major, versionMinor: minor } = framing;
  let head = `HTTP/${major}.${minor} ${status} ${httpStatusReason(status)}\r\n`;
  let typed = false;
  const headers = reply.headers;
  if (headers !== undefined) {
    for (const name in headers) {
      const lower = name.toLowerCase();
      // Core replaces a Connection header of the handler's when the request asked to close.
      if (lower === 'connection' && framing.connection === 'close') continue;
      head += `${name}: ${headers[name]}\r\n`;
      if (lower === 'content-type') typed = true;
    }
  }
  // 204 and 1xx replies carry neither a body nor a length.
  const needsBody = status !== HTTPStatus.NO_CONTENT && (status < 100 || status >= 200);
  const keepAlive = requestKeepsAlive(framing);
  let needsLength = false;
  if (major === 1 && minor === 0 && framing.connection === 'keep-alive') {
    head += 'Connection: keep-alive\r\n';
    needsLength = needsBody;
  }
  if (major === 1 && minor >= 1) {
    head += `Date: ${httpDate()}\r\n`;
    needsLength = needsBody;
  }
  const body = reply.body ?? '';
  if (needsLength) head += `Content-Length: ${typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength}\r\n`;
  if (needsBody && !typed) head += `Content-Type: ${DEFAULT_CONTENT_TYPE}\r\n`;
  if (framing.connection === 'close') head += 'Connection: close\r\n';
  head += '\r\n';
  return { head, body: needsBody && !framing.headOnly && body.length > 0 ? body : undefined, keepAlive: keepAlive && !framing.forceClose };
}

/** The interim answer to "Expect: 100-continue" (Core sends none; a client then waits about a second before the body). */
export const CONTINUE = 'HTTP/1.1 100 Continue\r\n\r\n';
