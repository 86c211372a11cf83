// JSON-RPC request parsing and reply shapes as Core does them: 1.0/1.1 legacy vs 2.0, ids,
// notifications, and the exact error texts.
import { JSONNumber } from './json.js';
import { RPCError, RPCErrorCode, type RPCErrorObject } from './protocol.js';

/** JSONNumber carries a number's exact text (amounts); JSON.parse never makes one. */
export type JSONValue = null | boolean | number | string | JSONNumber | JSONValue[] | { [key: string]: JSONValue };
export type JSONObject = { [key: string]: JSONValue };

export enum JSONRPCVersion {
  V1_LEGACY = 1,
  V2 = 2,
}

/** Where Core's -debug=rpc request line goes; `logIps` is -logips. */
export interface RequestLog {
  enabled(): boolean;
  debug(line: string): void;
  logIps(): boolean;
}

/** One parsed request plus who sent it (filled in by the HTTP layer). */
export class JSONRPCRequest {
  /**
   * null until a request object is parsed (Core's default), so an error before that answers "id":null; absent
   * (undefined) when the parsed object had no "id" key: a 2.0 notification.
   */
  id: JSONValue | undefined = null;
  method = '';
  params: JSONValue[] | JSONObject = [];
  version = JSONRPCVersion.V1_LEGACY;
  authUser = '';
  peerAddr = '';
  uri = '';

  /** Core only treats a missing id as a notification under 2.0. */
  isNotification(): boolean {
    return this.id === undefined && this.version === JSONRPCVersion.V2;
  }

  /**
   * Parses one request object; the id and version are set before any error is thrown. `log` gets Core's
   * "ThreadRPCServer method=…" line once the method is known (with the peer's address when `logIps`).
   */
  parse(value: JSONValue, log?: RequestLog): void {
    if (!isObject(value)) throw new RPCError(RPCErrorCode.RPC_INVALID_REQUEST, 'Invalid Request object');
    this.id = Object.hasOwn(value, 'id') ? value.id : undefined;
    this.version = parseVersion(value.jsonrpc);
    const method = value.method;
    if (method === undefined || method === null) throw new RPCError(RPCErrorCode.RPC_INVALID_REQUEST, 'Missing method');
    if (typeof method !== 'string') throw new RPCError(RPCErrorCode.RPC_INVALID_REQUEST, 'Method must be a string');
    this.method = method;
    if (log?.enabled()) {
      const peer = log.logIps() ? ` peeraddr=${this.peerAddr}` : '';
      log.debug(`ThreadRPCServer method=${sanitizeString(method)} user=${this.authUser}${peer} id=${logId(this.id)}`);
    }
    const params = value.params;
    if (params === undefined || params === null) this.params = [];
    else if (Array.isArray(params) || isObject(params)) this.params = params;
    else throw new RPCError(RPCErrorCode.RPC_INVALID_REQUEST, 'Params must be an array or object');
  }
}

/** Core's SanitizeString (SAFE_CHARS_DEFAULT): what a log line may repeat of a client's text. */
export function sanitizeString(s: string): string {
  return s.replace(/[^a-zA-Z0-9 .,;\-_/:?@()]/g, '');
}

/** The id as Core's log line shows it: UniValue's getValStr, sanitized (empty for null, objects and arrays). */
function logId(id: JSONValue | undefined): string {
  if (id instanceof JSONNumber) return sanitizeString(id.text);
  if (id === undefined || id === null || typeof id === 'object') return '';
  if (typeof id === 'boolean') return id ? '1' : '';
  return sanitizeString(String(id));
}

function parseVersion(v: JSONValue | undefined): JSONRPCVersion {
  if (v === undefined || v === null) return JSONRPCVersion.V1_LEGACY;
  if (typeof v !== 'string') throw new RPCError(RPCErrorCode.RPC_INVALID_REQUEST, 'jsonrpc field must be a string');
  // "1.0" is accepted because old documentation showed it in requests.
  if (v === '1.0') return JSONRPCVersion.V1_LEGACY;
  if (v === '2.0') return JSONRPCVersion.V2;
  throw new RPCError(RPCErrorCode.RPC_INVALID_REQUEST, 'JSON-RPC version not supported');
}

export function isObject(v: JSONValue | undefined): v is JSONObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JSONNumber);
}

/**
 * A reply object in Core's key order: 2.0 has "jsonrpc" and only one of result/error; legacy
 * always carries both result and error. The id key is left out only when the request had none.
 */
export function jsonrpcReply(result: JSONValue, error: RPCErrorObject | null, id: JSONValue | undefined,
  version: JSONRPCVersion): JSONObject {
  const reply: JSONObject = {};
  if (version === JSONRPCVersion.V2) reply.jsonrpc = '2.0';
  if (error === null) {
    reply.result = result;
    if (version === JSONRPCVersion.V1_LEGACY) reply.error = null;
  } else {
    if (version === JSONRPCVersion.V1_LEGACY) reply.result = null;
    reply.error = { code: error.code, message: error.message };
  }
  if (id !== undefined) reply.id = id;
  return reply;
}

/** The request object a client sends (Core's JSONRPCRequestObj, always marked 2.0). */
export function jsonrpcRequestObj(method: string, params: JSONValue, id: JSONValue): JSONObject {
  return { method, params, id, jsonrpc: '2.0' };
}
