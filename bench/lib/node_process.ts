// Node processes for the node benchmarks: start smithcoind or bcoin on loopback, wait for RPC, call it, read the
// process's CPU time and RSS from /proc, stop it.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    }).on('error', reject);
  });
}

export interface RpcTarget {
  port: number;
  /** user:password for Basic auth, or a function that reads it when needed (the cookie appears at start). */
  auth: string | (() => string | undefined);
}

export class RpcCallError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** One JSON-RPC call over a keep-alive connection; rejects with RpcCallError for an error reply. */
export function rpcCall(target: RpcTarget, method: string, params: unknown[] = [], timeoutMs = 600_000): Promise<unknown> {
  const auth = typeof target.auth === 'string' ? target.auth : target.auth();
  if (auth === undefined) return Promise.reject(new Error('no RPC credentials yet'));
  const body = JSON.stringify({ jsonrpc: '1.0', id: 1, method, params });
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1', port: target.port, method: 'POST', path: '/', agent, timeout: timeoutMs,
      headers: { 'Content-Type': 'application/json', Authorization: `Basic ${Buffer.from(auth).toString('base64')}` },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => { text += d; }).on('end', () => {
        try {
          const reply = JSON.parse(text) as { result: unknown; error: { code: number; message: string } | null };
          if (reply.error) reject(new RpcCallError(reply.error.code, reply.error.message));
          else resolve(reply.result);
        } catch {
          reject(new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${method} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Polls `method` until it answers (not refused, not warming up); resolves with the milliseconds since `since`. */
export async function waitForRpc(target: RpcTarget, since: bigint, child: ChildProcess, method = 'getblockcount'): Promise<number> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`node exited with code ${child.exitCode} before RPC was ready`);
    try {
      await rpcCall(target, method, [], 2000);
      return Number(process.hrtime.bigint() - since) / 1e6;
    } catch (e) {
      if (e instanceof RpcCallError && e.code !== -28) throw e;
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

export interface StartedNode {
  child: ChildProcess;
  target: RpcTarget;
  /** Milliseconds from spawn to the first successful RPC reply. */
  readyMs: number;
  stop(): Promise<void>;
}

/** Spawns `cmd args`, waits for RPC; stop() sends SIGTERM and waits (SIGKILL after 30 s). */
export async function startNode(cmd: string, args: string[], target: RpcTarget, env: NodeJS.ProcessEnv = process.env): Promise<StartedNode> {
  const since = process.hrtime.bigint();
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    const readyMs = await waitForRpc(target, since, child);
    return { child, target, readyMs, stop };
  } catch (e) {
    await stop();
    throw new Error(`${cmd} did not become ready: ${(e as Error).message}\n${stderr.slice(-2000)}`);
  }
}

/** Reads smithcoind's regtest cookie (user:password) from a datadir; undefined until the node wrote it. */
export function cookieAuth(datadir: string): () => string | undefined {
  return () => {
    try {
      return fs.readFileSync(`${datadir}/regtest/.cookie`, 'utf8').trim();
    } catch {
      return undefined;
    }
  };
}

/** user+system CPU seconds a process has used so far (Linux /proc). */
export function processCpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticksPerSecond = 100; // USER_HZ on Linux
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** Resident set size in MiB (Linux /proc). */
export function processRssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status);
  if (!kb) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kb[1]) / 1024;
}
