// An in-process JSON-RPC server (RPCTable + HTTPServer + startHTTPRPC + RPCAuth) with a regtest
// datadir holding its cookie, and smithcoin-cli run as a child process against it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { RPCAuth, type AuthOptions } from '../../../src/rpc/auth.js';
import { HTTPServer } from '../../../src/rpc/httpserver.js';
import { startHTTPRPC } from '../../../src/rpc/httprpc.js';
import { buildAllowList } from '../../../src/rpc/netfilter.js';
import { RPCError } from '../../../src/rpc/protocol.js';
import { RPCTable } from '../../../src/rpc/server.js';

const CLI = new URL('../../../src/smithcoin-cli.js', import.meta.url);

const quiet = { info: () => undefined, warning: () => undefined, debug: () => undefined };

export interface Server {
  table: RPCTable;
  port: number;
  /** The datadir; the cookie is in <datadir>/regtest/.cookie and smithcoin.conf says regtest=1. */
  datadir: string;
  /** Every request the server ran: method, params, uri, id. */
  seen: { method: string; params: unknown; uri: string; id: unknown }[];
  close(): Promise<void>;
}

export interface ServerOptions {
  auth?: Partial<Omit<AuthOptions, 'datadir' | 'log'>>;
  warm?: boolean;
  conf?: string;
}

const ARGS10 = Array.from({ length: 10 }, (_, i) => `arg${i}`);

/** A table with echo (params back), echojson, fail (-1) and a few node-shaped methods. */
function fillTable(table: RPCTable, seen: Server['seen']): void {
  const record = (r: { method: string; params: unknown; uri: string; id: unknown }): void => {
    seen.push({ method: r.method, params: r.params, uri: r.uri, id: r.id });
  };
  const echo = (r: Parameters<Parameters<RPCTable['register']>[2]>[0]) => {
    record(r);
    return r.params;
  };
  table.register('echo', 'test', echo, ARGS10);
  table.register('echojson', 'test', echo, ARGS10);
  table.register('createwallet', 'test', echo, ['wallet_name', 'disable_private_keys', 'blank', 'passphrase']);
  table.register('getblockstats', 'test', echo, ['hash_or_height', 'stats']);
  table.register('fail', 'test', (r) => {
    record(r);
    throw new RPCError(Number(r.params[0] ?? -1), String(r.params[1] ?? 'it failed'));
  }, ['code', 'message']);
  table.register('uri', 'test', (r) => {
    record(r);
    return r.uri;
  });
  table.register('getblockcount', 'test', (r) => {
    record(r);
    return 7;
  });
  table.register('sleep', 'test', async (r) => {
    record(r);
    await new Promise((resolve) => setTimeout(resolve, Number(r.params[0])));
    return null;
  }, ['ms']);
}

export async function startServer(opts: ServerOptions = {}): Promise<Server> {
  const datadir = fs.mkdtempSync(path.join(os.tmpdir(), 'smithcoin-cli-'));
  try {
    fs.mkdirSync(path.join(datadir, 'regtest'));
    fs.writeFileSync(path.join(datadir, 'smithcoin.conf'), opts.conf ?? 'regtest=1\n');
    const table = new RPCTable();
    const seen: Server['seen'] = [];
    fillTable(table, seen);
    if (opts.warm !== false) table.setWarmupFinished();
    const auth = new RPCAuth({ ...opts.auth, datadir: path.join(datadir, 'regtest'), log: quiet });
    const server = new HTTPServer({ endpoints: [{ host: '127.0.0.1', port: 0 }], allow: buildAllowList([]), log: quiet });
    startHTTPRPC(server, { table, auth, log: quiet, walletSupport: true, authFailDelayMs: 1 });
    const [bound] = await server.start();
    const close = async (): Promise<void> => {
      await server.stop();
      fs.rmSync(datadir, { recursive: true, force: true });
    };
    return { table, port: bound!.port, datadir, seen, close };
  } catch (e) {
    fs.rmSync(datadir, { recursive: true, force: true });
    throw e;
  }
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs smithcoin-cli with `args` (HOME is a throw-away folder so no user config is read). */
export function runCli(args: readonly string[], input?: string): Promise<CliResult> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'smithcoin-cli-home-'));
  return new Promise<CliResult>((resolve, reject) => {
    const child = spawn(process.execPath, ['--no-warnings', CLI.pathname, ...args], {
      env: { ...process.env, HOME: home },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input ?? '');
  }).finally(() => fs.rmSync(home, { recursive: true, force: true }));
}

/** The usual connection options for a server. */
export function connect(s: Server): string[] {
  return [`-datadir=${s.datadir}`, `-rpcport=${s.port}`];
}

/** A port with nothing listening on it. */
export async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}
