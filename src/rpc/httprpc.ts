// JSON-RPC over HTTP as Core serves it: POST only, Basic auth with a delay after a bad password,
// whitelists, singleton and batch requests, and Core's status codes for 1.0 vs 2.0 replies.
import { setTimeout as sleep } from 'node:timers/promises';
import type { RPCAuth } from './auth.js';
import type { HTTPReply, HTTPRequest, HTTPServer } from './httpserver.js';
import { HTTPStatus, RPCError, RPCErrorCode, type RPCErrorObject } from './protocol.js';
import { JSONRPCRequest, JSONRPCVersion, isObject, jsonrpcReply, type JSONValue, type RequestLog } from './request.js';
import { jsonrpcExec, type RPCTable } from './server.js';
import { parseJSONBody, writeJSON } from './json.js';
import { after, isPromise, type MaybePromise } from '../util/maybe_async.js';

export const WWW_AUTH_HEADER_DATA = 'Basic realm="jsonrpc"';
/** Core sleeps this long after a wrong password to slow down brute force. */
export const DEFAULT_AUTH_FAIL_DELAY_MS = 250;

export interface HTTPRPCOptions {
  table: RPCTable;
  auth: RPCAuth;
  log: { warning(message: string): void };
  /** Core's -debug=rpc line for each request parsed ("ThreadRPCServer method=… user=… id=…"). */
  requestLog?: RequestLog;
  /** Wallet endpoints (/wallet/<name>) exist only with wallet support, as in Core. */
  walletSupport?: boolean;
  authFailDelayMs?: number;
}

/** What executing a request needs: the table, the allow lists (from RPCAuth) and the log (HTTP and IPC share it). */
export type RPCDispatchOptions = Pick<HTTPRPCOptions, 'table' | 'log' | 'requestLog'> & { auth: Pick<RPCAuth, 'whitelist' | 'whitelistDefault'> };

/** Registers the JSON-RPC handlers on "/" (exact) and, with wallets, "/wallet/" (prefix). */
export function startHTTPRPC(server: HTTPServer, options: HTTPRPCOptions): void {
  const handler = (req: HTTPRequest): MaybePromise<HTTPReply> => handleJSONRPC(req, options);
  server.registerHandler('/', true, handler);
  if (options.walletSupport) server.registerHandler('/wallet/', false, handler);
}

const unauthorized = (): HTTPReply => ({ status: HTTPStatus.UNAUTHORIZED, headers: { 'WWW-Authenticate': WWW_AUTH_HEADER_DATA } });

function handleJSONRPC(req: HTTPRequest, options: HTTPRPCOptions): MaybePromise<HTTPReply> {
  if (req.method !== 'POST') return { status: HTTPStatus.BAD_METHOD, body: 'JSONRPC server handles only POST requests' };
  const header = req.headers.authorization;
  if (header === undefined) return unauthorized();
  const jreq = new JSONRPCRequest();
  jreq.peerAddr = req.peer;
  jreq.uri = req.uri;
  const auth = options.auth.authorize(header);
  if (auth === undefined || !auth.ok) return refuseAuth(req, options);
  jreq.authUser = auth.user;
  const parsed = parseJSONBody(req.body);
  const outcome = parsed === undefined
    ? errorReply(new RPCError(RPCErrorCode.RPC_PARSE_ERROR, 'Parse error'), jreq)
    : dispatchJSONRPC(parsed.value, jreq, options);
  return after(outcome, httpReply);
}

/** A wrong password is answered only after Core's delay. */
async function refuseAuth(req: HTTPRequest, options: HTTPRPCOptions): Promise<HTTPReply> {
  options.log.warning(`ThreadRPCServer incorrect password attempt from ${req.peer}`);
  await sleep(options.authFailDelayMs ?? DEFAULT_AUTH_FAIL_DELAY_MS);
  return unauthorized();
}

const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({ 'Content-Type': 'application/json' });

function httpReply(outcome: Outcome): HTTPReply {
  if (outcome.reply === undefined) return { status: outcome.status };
  return { status: outcome.status, headers: JSON_HEADERS, body: `${writeJSON(outcome.reply)}\n` };
}

export interface Outcome {
  status: HTTPStatus;
  reply?: JSONValue;
}

/** A legacy (or unparsable) request's error: RPC_INVALID_REQUEST→400, METHOD_NOT_FOUND→404, else 500. */
function errorReply(error: RPCError, jreq: JSONRPCRequest): Outcome {
  let status = HTTPStatus.INTERNAL_SERVER_ERROR;
  if (error.code === RPCErrorCode.RPC_INVALID_REQUEST) status = HTTPStatus.BAD_REQUEST;
  else if (error.code === RPCErrorCode.RPC_METHOD_NOT_FOUND) status = HTTPStatus.NOT_FOUND;
  return { status, reply: jsonrpcReply(null, error.toJSON(), jreq.id, jreq.version) };
}

/** Non-RPC exceptions while handling the request are reported as parse errors, as in Core. */
function asRPCError(e: unknown): RPCError {
  if (e instanceof RPCError) return e;
  return new RPCError(RPCErrorCode.RPC_PARSE_ERROR, e instanceof Error ? e.message : String(e));
}

export async function executeHTTPRPC(value: JSONValue, jreq: JSONRPCRequest, options: RPCDispatchOptions): Promise<Outcome> {
  return dispatchJSONRPC(value, jreq, options);
}

/** executeHTTPRPC without a promise when the request is answered at once. */
function dispatchJSONRPC(value: JSONValue, jreq: JSONRPCRequest, options: RPCDispatchOptions): MaybePromise<Outcome> {
  const methods = options.auth.whitelist.get(jreq.authUser);
  const failed = (e: unknown): Outcome => errorReply(asRPCError(e), jreq);
  try {
    if (methods === undefined && options.auth.whitelistDefault) {
      options.log.warning(`RPC User ${jreq.authUser} not allowed to call any methods`);
      return { status: HTTPStatus.FORBIDDEN };
    }
    let outcome: MaybePromise<Outcome>;
    if (isObject(value)) outcome = executeSingle(value, jreq, methods, options);
    else if (Array.isArray(value)) outcome = executeBatch(value, jreq, methods, options);
    else throw new RPCError(RPCErrorCode.RPC_PARSE_ERROR, 'Top-level object parse error');
    return isPromise(outcome) ? outcome.catch(failed) : outcome;
  } catch (e) {
    return failed(e);
  }
}

function executeSingle(value: JSONValue, jreq: JSONRPCRequest, methods: Set<string> | undefined,
  options: RPCDispatchOptions): MaybePromise<Outcome> {
  jreq.parse(value, options.requestLog);
  if (methods !== undefined && !methods.has(jreq.method)) {
    options.log.warning(`RPC User ${jreq.authUser} not allowed to call method ${jreq.method}`);
    return { status: HTTPStatus.FORBIDDEN };
  }
  // Legacy requests fail with an HTTP error status; 2.0 ones get an error reply with 200.
  return after(jsonrpcExec(options.table, jreq, jreq.version === JSONRPCVersion.V2), (reply): Outcome =>
    // Notifications run but get no answer.
    (jreq.isNotification() ? { status: HTTPStatus.NO_CONTENT } : { status: HTTPStatus.OK, reply }));
}

async function executeBatch(batch: JSONValue[], jreq: JSONRPCRequest, methods: Set<string> | undefined,
  options: RPCDispatchOptions): Promise<Outcome> {
  if (methods !== undefined) {
    for (const member of batch) {
      if (!isObject(member)) throw new RPCError(RPCErrorCode.RPC_INVALID_REQUEST, 'Invalid Request object');
      const method = member.method;
      // Core reads the method as a string here and fails the whole batch otherwise.
      if (typeof method !== 'string') throw new Error('JSON value of type ' + jsonTypeName(method) + ' is not of expected type string');
      if (!methods.has(method)) {
        options.log.warning(`RPC User ${jreq.authUser} not allowed to call method ${method}`);
        return { status: HTTPStatus.FORBIDDEN };
      }
    }
  }
  const replies: JSONValue[] = [];
  for (const member of batch) {
    let response: JSONValue;
    try {
      jreq.parse(member, options.requestLog);
      response = await jsonrpcExec(options.table, jreq, true);
    } catch (e) {
      response = jsonrpcReply(null, asRPCError(e).toJSON() as RPCErrorObject, jreq.id, jreq.version);
    }
    if (!jreq.isNotification()) replies.push(response);
  }
  // An all-notification batch gets no body, but an empty batch gets [] for old clients.
  if (replies.length === 0 && batch.length > 0) return { status: HTTPStatus.NO_CONTENT };
  return { status: HTTPStatus.OK, reply: replies };
}

/** UniValue's type names, used in its type-mismatch message. */
function jsonTypeName(v: JSONValue | undefined): string {
  if (v === undefined || v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}
