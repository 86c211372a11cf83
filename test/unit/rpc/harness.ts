// A real RPC server on 127.0.0.1 with an ephemeral port, and a node:http client for it.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { RPCAuth, type AuthOptions } from '../../../src/rpc/auth.js';
import { HTTPServer } from '../../../src/rpc/httpserver.js';
import { startHTTPRPC } from '../../../src/rpc/httprpc.js';
import { buildAllowList } from '../../../src/rpc/netfilter.js';
import { RPCTable } from '../../../src/rpc/server.js';

export interface Log {
  infos: string[];
  warnings: string[];
  /** Debug lines (-debug=http and -debug=rpc alike), kept only when the harness was asked for them. */
  debugs: string[];
  info(m: string): void;
  warning(m: string): void;
  debug(m: string): void;
  debugEnabled(): boolean;
}

export function makeLog(keepDebug = false): Log {
  const log: Log = {
    infos: [], warnings: [], debugs: [],
    info: (m) => log.infos.push(m),
    warning: (m) => log.warnings.push(m),
    debug: (m) => {
      if (keepDebug) log.debugs.push(m);
    },
    debugEnabled: () => keepDebug,
  };
  return log;
}

export interface Harness {
  table: RPCTable;
  server: HTTPServer;
  auth: RPCAuth;
  port: number;
  datadir: string;
  log: Log;
  close(): Promise<void>;
}

export interface HarnessOptions {
  auth?: Partial<Omit<AuthOptions, 'datadir' | 'log'>>;
  threads?: number;
  workQueue?: number;
  timeoutSeconds?: number;
  walletSupport?: boolean;
  rpcallowip?: string[];
  warm?: boolean;
  /** Keep the HTTP and RPC debug lines in log.debugs. */
  debug?: boolean;
}

/** Starts a server with a table holding "echo" (returns its params) and "fail" (throws). */
export async function startServer(opts: HarnessOptions = {}): Promise<Harness> {
  const datadir = fs.mkdtempSync(path.join(os.tmpdir(), 'smithcoin-rpc-'));
  const log = makeLog(opts.debug ?? false);
  try {
    const table = new RPCTable();
    table.register('echo', 'test', (r) => r.params, ['arg1', 'arg2', 'arg3']);
    table.register('fail', 'test', () => { throw new Error('it failed'); });
    if (opts.warm !== false) table.setWarmupFinished();
    const auth = new RPCAuth({ ...opts.auth, datadir, log });
    const server = new HTTPServer({
      endpoints: [{ host: '127.0.0.1', port: 0 }], allow: buildAllowList(opts.rpcallowip ?? []),
      threads: opts.threads, workQueue: opts.workQueue, timeoutSeconds: opts.timeoutSeconds, log,
    });
    const requestLog = { enabled: () => log.debugEnabled(), debug: (m: string) => log.debug(m), logIps: () => false };
    startHTTPRPC(server, { table, auth, log, requestLog, walletSupport: opts.walletSupport, authFailDelayMs: 1 });
    const [bound] = await server.start();
    const close = async (): Promise<void> => {
      await server.stop();
      fs.rmSync(datadir, { recursive: true, force: true });
    };
    return { table, server, auth, port: bound.port, datadir, log, close };
  } catch (e) {
    fs.rmSync(datadir, { recursive: true, force: true });
    throw e;
  }
}

export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** The cookie credentials the server wrote. */
export function cookieAuth(h: Harness): string {
  const text = fs.readFileSync(path.join(h.datadir, '.cookie'), 'utf8');
  const colon = text.indexOf(':');
  return basic(text.slice(0, colon), text.slice(colon + 1));
}

export interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface RequestOptions {
  method?: string;
  path?: string;
  auth?: string;
  headers?: Record<string, string>;
  agent?: http.Agent;
}

export function request(port: number, body: string | Buffer, o: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...o.headers };
  if (o.auth !== undefined) headers.Authorization = o.auth;
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1', port, method: o.method ?? 'POST', path: o.path ?? '/', headers, agent: o.agent ?? false,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Parses a JSON reply body (Core ends it with a newline). */
export function json(res: Response): unknown {
  if (!res.body.endsWith('\n')) throw new Error(`reply body does not end with a newline: ${res.body}`);
  return JSON.parse(res.body);
}
