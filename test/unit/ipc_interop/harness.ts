// Test harness for TS <-> C++ interop: finds the C++ programs in the build tree, runs them as child processes and
// serves a TS Init on a unix socket, and tears all of it down (children killed, sockets and temp dirs removed).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Logger, ProxyConnection, RequestCounter, listenUnix, type ConnectionOptions, type ServerTarget,
} from '@smithcoin/libmultiprocess';

/** The build tree: $SMITHCOIN_BUILD_DIR (set by ctest), else the one this compiled file sits in. */
export function buildDir(): string {
  const fromEnv = process.env['SMITHCOIN_BUILD_DIR'];
  if (fromEnv) return fromEnv;
  // <build>/js/test/unit/ipc_interop/harness.js
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
}

/** The source tree: $SMITHCOIN_SOURCE_DIR (set by ctest), else the one the build tree was configured from. */
export function sourceDir(): string {
  const fromEnv = process.env['SMITHCOIN_SOURCE_DIR'];
  if (fromEnv) return fromEnv;
  const cache = fs.readFileSync(path.join(buildDir(), 'CMakeCache.txt'), 'utf8');
  const m = /^CMAKE_HOME_DIRECTORY:INTERNAL=(.*)$/m.exec(cache);
  if (!m) throw new Error(`no CMAKE_HOME_DIRECTORY in ${buildDir()}/CMakeCache.txt: set SMITHCOIN_SOURCE_DIR`);
  return m[1]!;
}

/**
 * Path of a C++ interop program (`client`, `server` or `early_release_client`); throws a clear error when it was not
 * built.
 */
export function interopProgram(which: 'client' | 'server' | 'early_release_client'): string {
  const name = which === 'early_release_client' ? `ipc_${which}` : `ipc_interop_${which}`;
  const exe = path.join(buildDir(), 'test', 'ipc', name);
  if (!fs.existsSync(exe)) {
    throw new Error(`${exe} not found: build with -DENABLE_IPC=ON and BUILD_TESTS (it is made by test/ipc/CMakeLists.txt)`);
  }
  return exe;
}

/** Everything a test started; `cleanup()` (run it in afterEach) undoes it whether the test passed or not. */
export class Resources {
  private readonly children = new Set<ChildProcess>();
  private readonly dirs: string[] = [];
  private readonly closers: (() => void | Promise<void>)[] = [];

  /** A fresh private temp dir (unix socket paths must stay short, so it lives in os.tmpdir()). */
  tempDir(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-interop-'));
    this.dirs.push(dir);
    return dir;
  }

  /** Starts a child process and tracks it until it exits. */
  spawn(exe: string, args: string[], stdin: 'pipe' | 'ignore' = 'ignore'): ChildProcess {
    const child = spawn(exe, args, { stdio: [stdin, 'pipe', 'pipe'] });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return child;
  }

  onCleanup(fn: () => void | Promise<void>): void { this.closers.push(fn); }

  async cleanup(): Promise<void> {
    const errors: unknown[] = [];
    for (const fn of this.closers.splice(0).reverse()) {
      try { await fn(); } catch (e) { errors.push(e); }
    }
    await Promise.all([...this.children].map((c) => killAndWait(c)));
    for (const d of this.dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
    if (errors.length > 0) throw errors[0];
  }
}

/** Gives a child we started `graceMs` to exit on its own, then SIGKILLs it (by its own handle) and waits. */
async function killAndWait(child: ChildProcess, graceMs = 500): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  let timer: NodeJS.Timeout | undefined;
  const late = await Promise.race([exited.then(() => false),
    new Promise<boolean>((r) => { timer = setTimeout(() => r(true), graceMs); })]);
  clearTimeout(timer);
  if (!late) return;
  child.kill('SIGKILL');
  await exited;
}

export interface ProgramRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  lines: string[];
  stderr: string;
}

/** Runs a program to completion (killed after `timeoutMs`), collecting its stdout lines and stderr. */
export function runProgram(res: Resources, exe: string, args: string[], timeoutMs = 10_000): Promise<ProgramRun> {
  const child = res.spawn(exe, args);
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => { out += d; });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => { err += d; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${path.basename(exe)} timed out after ${timeoutMs} ms; output so far:\n${out}${err}`));
    }, timeoutMs);
    child.once('error', (e) => { clearTimeout(timer); reject(e); });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, lines: out.split('\n').filter((l) => l !== ''), stderr: err });
    });
  });
}

export interface CppServer {
  readonly child: ChildProcess;
  /** What it printed so far (stdout and stderr). */
  output(): string;
}

/** Starts `ipc_interop_server <sock> --exit-on-stdin-eof` and resolves once it listens. */
export function startCppServer(res: Resources, sock: string, timeoutMs = 10_000): Promise<CppServer> {
  const child = res.spawn(interopProgram('server'), [sock, '--exit-on-stdin-eof'], 'pipe');
  // Closing stdin asks it to exit; the kill in cleanup() is the fallback.
  res.onCleanup(() => { child.stdin?.end(); });
  let out = '';
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => { err += d; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`ipc_interop_server did not start: ${out}${err}`)), timeoutMs);
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes(`listening ${sock}\n`)) { clearTimeout(timer); resolve({ child, output: () => out + err }); }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`ipc_interop_server exited (${code ?? signal}) before listening: ${out}${err}`));
    });
  });
}

export interface TsServer {
  readonly server: net.Server;
  /** Every connection accepted so far. */
  readonly connections: ProxyConnection[];
  /** Log lines of all connections ("<level> <message>"). */
  readonly lines: string[];
}

/**
 * Serves `makeInit(conn)` as the bootstrap object of every connection to a unix socket at `sock`. `backlog` is the
 * listen backlog (Bitcoin Core's 5 unless a test connects many clients at once).
 */
export async function startTsServer(res: Resources, sock: string, makeInit: (conn: ProxyConnection) => ServerTarget,
  options: Omit<ConnectionOptions, 'log'> = {}, backlog?: number): Promise<TsServer> {
  const lines: string[] = [];
  const log = new Logger({ logFn: (level, msg) => lines.push(`${level} ${msg}`), logLevel: 'info', exeName: 'interop-test' },
    new RequestCounter());
  const connections: ProxyConnection[] = [];
  const server = await listenUnix(sock, {
    backlog,
    onConnection: (s) => connections.push(ProxyConnection.serve(s, makeInit, { ...options, log })),
  });
  res.onCleanup(async () => {
    // Connections first: the server's close callback waits for every one of them to end.
    for (const c of connections) c.close();
    await new Promise<void>((r) => server.close(() => r()));
  });
  return { server, connections, lines };
}
