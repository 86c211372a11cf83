// One RPC exchange as Core's CallRPC does it (port choice, credentials from -rpcpassword or the
// cookie, HTTP statuses to errors, reply parsing) and the -rpcwait retry loop around it.
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { absPathForConfigVal, type ArgsManager } from '../common/args.js';
import { baseChainParams } from '../kernel/chainparams.js';
import { HTTPStatus, RPCErrorCode } from '../rpc/protocol.js';
import { COOKIEAUTH_FILE } from '../rpc/auth.js';
import type { RequestHandler } from './handlers.js';
import { ConnectionFailed, post } from './http_client.js';
import { callIPC } from './ipc_call.js';
import { DEFAULT_HTTP_CLIENT_TIMEOUT, DEFAULT_RPCCONNECT, DEFAULT_WAIT_CLIENT_TIMEOUT } from './options.js';
import { getInt, isEmpty, member, readJsonBuffer, writeJson, type Json } from './univalue.js';

/** Core's SplitHostPort: "host", "host:port", "[v6]" or "[v6]:port"; port 0 means none given. */
export function splitHostPort(input: string): { host: string; port: number; valid: boolean } {
  let s = input;
  let port = 0;
  let valid = false;
  const colon = s.lastIndexOf(':');
  const haveColon = colon !== -1;
  const bracketed = haveColon && s[0] === '[' && s[colon - 1] === ']';
  const multiColon = haveColon && colon !== 0 && s.lastIndexOf(':', colon - 1) !== -1;
  if (haveColon && (colon === 0 || bracketed || !multiColon)) {
    const n = parsePort(s.slice(colon + 1));
    if (n !== undefined) {
      s = s.slice(0, colon);
      port = n;
      valid = port !== 0;
    }
  } else {
    valid = true;
  }
  const host = s.length > 0 && s[0] === '[' && s[s.length - 1] === ']' ? s.slice(1, -1) : s;
  return { host, port, valid };
}

/** Core's ToIntegral<uint16_t>: decimal digits only, in range. */
export function parsePort(s: string): number | undefined {
  if (!/^[0-9]+$/.test(s)) return undefined;
  const n = Number(s);
  return n <= 0xffff ? n : undefined;
}

/** Where to connect: -rpcport, else a port in -rpcconnect, else the chain's default. */
export function rpcTarget(args: ArgsManager, warn: (text: string) => void): { host: string; port: number } {
  let port = baseChainParams(args.getChainType()).rpcPort;
  const rpcconnect = args.getArg('-rpcconnect', DEFAULT_RPCCONNECT);
  const split = splitHostPort(rpcconnect);
  if (!split.valid) throw new Error(`Invalid port provided in -rpcconnect: ${rpcconnect}`);
  if (split.port !== 0) port = split.port;
  const rpcport = args.getArg('-rpcport');
  if (rpcport !== undefined) {
    const n = parsePort(rpcport) ?? 0;
    if (n === 0) throw new Error(`Invalid port provided in -rpcport: ${rpcport}`);
    port = n;
    if (split.port !== 0) warn(`Warning: Port specified in both -rpcconnect and -rpcport. Using -rpcport ${port}\n`);
  }
  return { host: split.host, port };
}

export type CookieResult = 'ok' | 'error' | 'disabled';

/** The cookie's first line (Core's GetAuthCookie): -rpccookiefile, relative to the chain's datadir. */
export function readAuthCookie(args: ArgsManager): { result: CookieResult; credentials: string } {
  const file = args.getPathArg('-rpccookiefile', COOKIEAUTH_FILE);
  if (file === '') return { result: 'disabled', credentials: '' };
  let text: string;
  try {
    text = fs.readFileSync(absPathForConfigVal(args, file), 'latin1');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== undefined) return { result: 'error', credentials: '' };
    throw e;
  }
  const newline = text.indexOf('\n');
  return { result: 'ok', credentials: newline === -1 ? text : text.slice(0, newline) };
}

function unauthorizedMessage(args: ArgsManager, cookie: CookieResult | undefined): string {
  const reasons: Record<CookieResult, string> = {
    error: 'Failed to read cookie file and no rpcpassword was specified.',
    disabled: 'Cookie file was disabled via -norpccookiefile and no rpcpassword was specified.',
    ok: 'Cookie file credentials were invalid and no rpcpassword was specified.',
  };
  const reason = cookie === undefined ? 'Incorrect rpcuser or rpcpassword were specified.' : reasons[cookie];
  return `Authorization failed: ${reason} Configuration file: (${args.getConfigFilePath()})`;
}

export interface CallContext {
  args: ArgsManager;
  /** Where Core writes its warnings (stderr). */
  warn: (text: string) => void;
}

/** Core's CallRPC: sends the handler's request and returns its processed reply. */
export async function callRPC(ctx: CallContext, rh: RequestHandler, method: string, words: string[], endpoint: string, username: string): Promise<Json> {
  const { args } = ctx;
  const { host, port } = rpcTarget(args, ctx.warn);
  const timeout = Number(args.getIntArg('-rpcclienttimeout', BigInt(DEFAULT_HTTP_CLIENT_TIMEOUT)));
  let credentials: string;
  let cookie: CookieResult | undefined;
  if (args.getArg('-rpcpassword', '') === '') {
    ({ result: cookie, credentials } = readAuthCookie(args));
  } else {
    credentials = `${username}:${args.getArg('-rpcpassword', '')}`;
  }
  const headers = {
    'Content-Type': 'application/json',
    Authorization: `Basic ${Buffer.from(credentials, cookie === undefined ? 'utf8' : 'latin1').toString('base64')}`,
  };
  const body = writeJson(rh.prepareRequest(method, words)) + '\n';
  let response;
  try {
    response = await post({ host, port, path: endpoint, headers, body, timeoutMs: timeout > 0 ? timeout * 1000 : 0 });
  } catch (e) {
    if (!(e instanceof ConnectionFailed)) throw e;
    const detail = e.message === '' ? '' : ` (${e.message})`;
    throw new ConnectionFailed(`Error while attempting to communicate with server ${host}:${port}${detail}\n\n` +
      'Make sure the smithcoind server is running and that you are connecting to the correct RPC port.\n' +
      'Use "smithcoin-cli -help" for more info.');
  }
  if (response.status === HTTPStatus.UNAUTHORIZED) throw new Error(unauthorizedMessage(args, cookie));
  if (response.status === HTTPStatus.SERVICE_UNAVAILABLE) throw new Error(`Server response: ${response.body.toString('utf8')}`);
  if (response.status >= 400 && ![HTTPStatus.BAD_REQUEST, HTTPStatus.NOT_FOUND, HTTPStatus.INTERNAL_SERVER_ERROR].includes(response.status)) {
    throw new Error(`server returned HTTP error ${response.status}`);
  }
  if (response.body.length === 0) throw new Error('no response from server');
  const parsed = readJsonBuffer(response.body);
  if (parsed === undefined) throw new Error("couldn't parse reply from server");
  const reply = rh.processReply(parsed);
  if (isEmpty(reply)) throw new Error('expected reply to have result, error and id properties');
  return reply;
}

/** Core's UrlEncode: everything but RFC 3986's unreserved characters as %XX of its UTF-8 bytes. */
export function urlEncode(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** -rpcwallet's name, or undefined when unset or negated (-norpcwallet). */
export function rpcWalletName(args: ArgsManager): string | undefined {
  if (args.isArgNegated('-rpcwallet')) return undefined;
  return args.getArg('-rpcwallet');
}

/**
 * Core's ConnectAndCallRPC: with -rpcwait, connection failures and warm-up replies are retried every
 * second until -rpcwaittimeout (0: forever), then reported as a timeout on a transient error.
 */
export async function connectAndCallRPC(ctx: CallContext, rh: RequestHandler, method: string, words: string[], wallet?: string): Promise<Json> {
  const { args } = ctx;
  const wait = args.getBoolArg('-rpcwait', false);
  const timeout = Number(args.getIntArg('-rpcwaittimeout', BigInt(DEFAULT_WAIT_CLIENT_TIMEOUT)));
  const deadline = Date.now() + timeout * 1000;
  const endpoint = wallet === undefined ? '/' : `/wallet/${urlEncode(wallet)}`;
  const username = args.getArg('-rpcuser', '');
  for (;;) {
    try {
      const viaIpc = await callIPC(ctx, rh, method, words, endpoint, username);
      const response = viaIpc !== undefined ? viaIpc : await callRPC(ctx, rh, method, words, endpoint, username);
      const error = member(response, 'error');
      if (wait && error !== null && getInt(member(error, 'code')) === RPCErrorCode.RPC_IN_WARMUP) {
        throw new ConnectionFailed('server in warmup');
      }
      return response;
    } catch (e) {
      if (!(e instanceof ConnectionFailed) || !wait) throw e;
      if (timeout > 0 && Date.now() >= deadline) throw new ConnectionFailed(`timeout on transient error: ${e.message}`);
      await sleep(1000);
    }
  }
}
