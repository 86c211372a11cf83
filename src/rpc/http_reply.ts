// The bytes of an HTTP reply as the RPC server sends them: node:http's layout (the reply's headers,
// then Content-Length, Date and the connection headers), libevent's default type for bodies without one.
import { HTTPStatus, httpStatusReason } from './protocol.js';

export interface HTTPReply {
  status: HTTPStatus;
  headers?: Record<string, string>;
  /** Text, or raw bytes for binary replies (REST .bin). */
  body?: string | Uint8Array;
}

/** How the connection goes on after a reply. */
export interface ReplyFraming {
  /** The request allows another one on the connection. */
  keepAlive: boolean;
  /** The server closes regardless (413, a failed handler): "Connection: close" leads the headers. */
  forceClose: boolean;
  /** A HEAD request: headers only. */
  headOnly: boolean;
  /** "Keep-Alive: timeout=<n>" when positive. */
  keepAliveSeconds: number;
}

const DEFAULT_CONTENT_TYPE = 'text/html; charset=ISO-8859-1';

let dateSecond = -1;
let dateText = '';

/** The Date header's value, made once a second (what node:http did too). */
export function httpDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(now).toUTCString();
  }
  return dateText;
}

/** Connection headers at the end of the head; none when a forced close already led with them. */
function connectionHeaders(framing: ReplyFraming): string {
  if (framing.forceClose) return '';
  if (!framing.keepAlive) return 'Connection: close\r\n';
  return framing.keepAliveSeconds > 0 ? `Connection: keep-alive\r\nKeep-Alive: timeout=${framing.keepAliveSeconds}\r\n` : 'Connection: keep-alive\r\n';
}

/** The head (status line through the blank line) and the body to send after it, if any. */
export function formatReply(reply: HTTPReply, framing: ReplyFraming): { head: string; body: string | Uint8Array | undefined } {
  const status = reply.status;
  let head = `HTTP/1.1 ${status} ${httpStatusReason(status)}\r\n`;
  if (framing.forceClose) head += 'Connection: close\r\n';
  const headers = reply.headers;
  let typed = false;
  if (headers !== undefined) {
    for (const name in headers) {
      head += `${name}: ${headers[name]}\r\n`;
      if (name === 'Content-Type') typed = true;
    }
  }
  // 204 (and 1xx) replies carry neither a body nor a length.
  const hasBody = status !== HTTPStatus.NO_CONTENT && status >= 200;
  const body = reply.body ?? '';
  if (hasBody) {
    if (!typed) head += `Content-Type: ${DEFAULT_CONTENT_TYPE}\r\n`;
    head += `Content-Length: ${typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength}\r\n`;
  }
  head += `Date: ${httpDate()}\r\n${connectionHeaders(framing)}\r\n`;
  return { head, body: hasBody && !framing.headOnly && body.length > 0 ? body : undefined };
}

/** node:http's answer to an Expect header other than 100-continue: 417 with an empty chunked body. */
export function expectationFailed(framing: ReplyFraming): string {
  return `HTTP/1.1 417 Expectation Failed\r\nDate: ${httpDate()}\r\n${connectionHeaders(framing)}Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n`;
}

/** What a malformed request gets: no Date or type, and the connection closes. */
export function parseErrorReply(status: HTTPStatus): string {
  return `HTTP/1.1 ${status} ${httpStatusReason(status)}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`;
}

export const CONTINUE = 'HTTP/1.1 100 Continue\r\n\r\n';
