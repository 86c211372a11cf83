// The request side of REST (Core's rest.cpp helpers): output formats from the URI suffix, query parameters,
// strict integer parsing, and the text/plain error replies.
import type { HTTPReply } from './rpc/httpserver.js';
import { HTTPStatus } from './rpc/protocol.js';
import { isHex } from './util/hex.js';

export enum RESTResponseFormat {
  UNDEF = '',
  BINARY = 'bin',
  HEX = 'hex',
  JSON = 'json',
}

const FORMATS = [RESTResponseFormat.UNDEF, RESTResponseFormat.BINARY, RESTResponseFormat.HEX, RESTResponseFormat.JSON];

/** AvailableDataFormatsString: ".bin, .hex, .json". */
export const AVAILABLE_FORMATS = FORMATS.filter((f) => f !== RESTResponseFormat.UNDEF).map((f) => `.${f}`).join(', ');

/** ParseDataFormat: drops the query, then splits a known `.suffix` off the last path element. */
export function parseDataFormat(uriPart: string): { param: string; format: RESTResponseFormat } {
  const q = uriPart.lastIndexOf('?');
  const param = q < 0 ? uriPart : uriPart.slice(0, q);
  const dot = param.lastIndexOf('.');
  if (dot < 0) return { param, format: RESTResponseFormat.UNDEF };
  const suffix = param.slice(dot + 1);
  const format = FORMATS.find((f) => f === suffix);
  if (format === undefined) return { param, format: RESTResponseFormat.UNDEF };
  return { param: param.slice(0, dot), format };
}

/** UrlDecode: %XX sequences become bytes; anything else (including a malformed %) stays as it is. */
export function urlDecode(s: string): string {
  const bytes: number[] = [];
  const raw = Buffer.from(s, 'utf8');
  for (let i = 0; i < raw.length; i++) {
    const hex = raw.subarray(i + 1, i + 3).toString('latin1');
    if (raw[i] === 0x25 && hex.length === 2 && isHex(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(raw[i]!);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** GetQueryParameterFromUri: the first `key` in the query (before any #), "" for a bare key. */
export function getQueryParameter(uri: string, key: string): string | undefined {
  const start = uri.indexOf('?');
  if (start < 0) return undefined;
  let end = uri.indexOf('#', start);
  if (end < 0) end = uri.length;
  for (const param of uri.slice(start + 1, end).split('&')) {
    const delim = param.indexOf('=');
    if (urlDecode(delim < 0 ? param : param.slice(0, delim)) !== key) continue;
    return delim < 0 ? '' : urlDecode(param.slice(delim + 1));
  }
  return undefined;
}

/** ToIntegral: optional '-' (signed types only) and decimal digits, nothing else, within [min, max]. */
export function toIntegral(s: string, min: number, max: number): number | undefined {
  if (!/^-?[0-9]+$/.test(s) || (min >= 0 && s.startsWith('-'))) return undefined;
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n < min || n > max) return undefined;
  return n;
}

/** uint256::FromHex: exactly 64 hex digits. */
export function isHash(s: string): boolean {
  return s.length === 64 && isHex(s);
}

/** RESTERR: a text/plain error with Core's trailing CRLF. */
export function restError(status: HTTPStatus, message: string): HTTPReply {
  return { status, headers: { 'Content-Type': 'text/plain' }, body: `${message}\r\n` };
}

export function formatNotFound(available = AVAILABLE_FORMATS): HTTPReply {
  return restError(HTTPStatus.NOT_FOUND, `output format not found (available: ${available})`);
}

/** The reply in the requested format: raw bytes, hex text with a newline, or JSON text with a newline. */
export function okReply(format: RESTResponseFormat, body: { bytes?: Uint8Array; json?: string }): HTTPReply {
  if (format === RESTResponseFormat.BINARY) return { status: HTTPStatus.OK, headers: { 'Content-Type': 'application/octet-stream' }, body: body.bytes };
  if (format === RESTResponseFormat.HEX) return { status: HTTPStatus.OK, headers: { 'Content-Type': 'text/plain' }, body: `${Buffer.from(body.bytes!).toString('hex')}\n` };
  return { status: HTTPStatus.OK, headers: { 'Content-Type': 'application/json' }, body: `${body.json}\n` };
}
