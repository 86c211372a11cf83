// Stress of the generated Init/Echo proxies (src/ipc/capnp via mpgen) over a listening unix socket: 16 clients x
// 200 echo calls at once, 200 clients cut while their echo is still running on the server, and clients of a server
// that goes away. Connections, lanes, tables and open fds must come back to baseline every time.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  IpcError, Logger, ProxyConnection, RequestCounter, connectUnix, listenUnix,
} from '@smithcoin/libmultiprocess';
import type { Echo } from '../../../src/interfaces/echo.js';
import type { Init } from '../../../src/interfaces/init.js';
import type { Mining } from '../../../src/interfaces/mining.js';
import type { Rpc } from '../../../src/interfaces/rpc.js';
import { InitClient, InitServer } from '../../../src/ipc/capnp/init.capnp.js';
import type { EchoClient } from '../../../src/ipc/capnp/echo.capnp.js';

/** Echo whose replies wait for `gate` while it is set (a slow node). */
class SlowEcho implements Echo {
  destroyed = 0;
  constructor(private readonly owner: LocalInit) {}
  async echo(echo: string): Promise<string> {
    this.owner.running++;
    this.owner.started.add(echo);
    try {
      if (this.owner.gate !== null) await this.owner.gate;
      return echo;
    } finally {
      this.owner.running--;
      this.owner.finished++;
    }
  }
  async destroy(): Promise<void> { this.destroyed++; }
}

class LocalInit implements Init {
  readonly echoes: SlowEcho[] = [];
  gate: Promise<void> | null = null;
  readonly started = new Set<string>();
  running = 0;
  finished = 0;
  async makeEcho(): Promise<Echo> {
    const e = new SlowEcho(this);
    this.echoes.push(e);
    return e;
  }
  async makeMiningOld2(): Promise<void> { throw new Error('Old mining interface (@2) not supported. Please update your client!'); }
  async makeMining(): Promise<Mining | null> { return null; }
  async makeRpc(): Promise<Rpc | null> { return null; }
}

function fdCount(): number { return fs.readdirSync('/proc/self/fd').length; }

async function until(cond: () => boolean, what: string, detail?: () => string): Promise<void> {
  const end = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${detail ? `: ${detail()}` : ''}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

interface Node {
  impl: LocalInit;
  conns: Set<ProxyConnection>;
  sockets: Map<ProxyConnection, net.Socket>;
  lines: string[];
  socketPath: string;
  stop(): Promise<void>;
}

/** A listening "node" serving LocalInit on a unix socket in a fresh temp dir. */
async function startNode(): Promise<Node> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-stress-echo-'));
  const socketPath = path.join(dir, 'node.sock');
  const impl = new LocalInit();
  const conns = new Set<ProxyConnection>();
  const sockets = new Map<ProxyConnection, net.Socket>();
  const lines: string[] = [];
  const log = new Logger({ logFn: (l, m) => { if (l !== 'debug') lines.push(`${l} ${m}`); }, logLevel: 'info',
    exeName: 'node' }, new RequestCounter());
  const server = await listenUnix(socketPath, {
    backlog: 511,
    onConnection: (sock) => {
      const conn = ProxyConnection.serve(sock, (c) => new InitServer(c, impl), { log });
      conns.add(conn);
      sockets.set(conn, sock);
      void conn.closed.then(() => { conns.delete(conn); sockets.delete(conn); });
    },
  });
  return {
    impl, conns, sockets, lines, socketPath,
    async stop() {
      for (const c of conns) c.close();
      await new Promise<void>((r) => server.close(() => r()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function totals(conns: Set<ProxyConnection>): Record<string, number> {
  const t = { conns: conns.size, questions: 0, answers: 0, exports: 0, imports: 0, lanes: 0, queued: 0 };
  for (const c of conns) {
    const s = c.rpc.stats();
    t.questions += s.questions; t.answers += s.answers; t.exports += s.exports; t.imports += s.imports;
    t.lanes += c.threads.size;
    for (const lane of c.threads) t.queued += lane.load;
  }
  return t;
}

interface Client { socket: net.Socket; conn: ProxyConnection; init: InitClient; echo: EchoClient }

async function connect(socketPath: string, lines?: string[]): Promise<Client> {
  const socket = await connectUnix(socketPath);
  const log = lines ? new Logger({ logFn: (l, m) => lines.push(`${l} ${m}`), logLevel: 'info', exeName: 'cli' }) : undefined;
  const conn = ProxyConnection.connect(socket, { threadName: 'client', log });
  const init = conn.bootstrap((cap, c) => new InitClient(cap, c));
  await init.construct();
  const echo = (await init.makeEcho())!;
  return { socket, conn, init, echo };
}

describe('stress: generated Init/Echo proxies', function () {
  this.timeout(15_000);

  it('16 clients x 200 echo calls at once: all correct, everything back to baseline', async () => {
    const fd0 = fdCount();
    const node = await startNode();
    const clients: Client[] = [];
    try {
      for (let k = 0; k < 16; k++) clients.push(await connect(node.socketPath));
      await until(() => totals(node.conns).answers === 0, 'setup to settle');
      const before = totals(node.conns);
      const got = await Promise.all(clients.map((c, k) =>
        Promise.all(Array.from({ length: 200 }, (_, i) => c.echo.echo(`${k}:${i}:${'é'.repeat(i % 13)}`)))));
      got.forEach((r, k) => r.forEach((s, i) => assert.equal(s, `${k}:${i}:${'é'.repeat(i % 13)}`)));
      await until(() => totals(node.conns).answers === 0, 'answers to finish');
      assert.deepEqual(totals(node.conns), before);
      for (const c of clients) { await c.echo.destroy(); c.init.release(); c.conn.close(); }
      await until(() => node.conns.size === 0, 'connections to close');
      assert.deepEqual(node.impl.echoes.map((e) => e.destroyed), new Array(16).fill(1));
    } finally {
      for (const c of clients) c.conn.close();
      await node.stop();
    }
    await until(() => fdCount() === fd0, 'fds back to baseline', () => `${fdCount()} vs ${fd0}`);
  });

  it('200 clients cut while their echo runs: canceled at once, results discarded, nothing kept', async () => {
    const fd0 = fdCount();
    const node = await startNode();
    let open!: () => void;
    node.impl.gate = new Promise<void>((r) => { open = r; });
    try {
      for (let batch = 0; batch < 4; batch++) {
        await Promise.all(Array.from({ length: 50 }, async (_, i) => {
          const c = await connect(node.socketPath);
          const tag = `never answered ${batch}/${i}`;
          const call = c.echo.echo(tag);
          await until(() => node.impl.started.has(tag), 'the echo to start');
          c.socket.destroy();
          await assert.rejects(call, (e: unknown) => e instanceof IpcError &&
            e.message === 'IPC client method call interrupted by disconnect.');
        }));
      }
      await until(() => node.conns.size === 0, 'cut connections to go', () => JSON.stringify(totals(node.conns)));
      assert.equal(node.impl.running, 200);
      const canceled = node.lines.filter((l) => /^info \{node-\d+\/capnp-loop\} IPC server request #\d+ canceled while executing\.$/.test(l));
      assert.equal(canceled.length, 200, node.lines.slice(0, 8).join('\n'));
      open(); // the slow echoes finish now: their results go nowhere
      await until(() => node.impl.finished === 200, 'slow echoes to finish');
      assert.ok(!node.lines.some((l) => l.startsWith('error ')), node.lines.filter((l) => l.startsWith('error ')).join('\n'));
      await until(() => node.impl.echoes.every((e) => e.destroyed === 1), 'dropped Echo objects to be destroyed');
    } finally {
      open?.();
      await node.stop();
    }
    await until(() => fdCount() === fd0, 'fds back to baseline', () => `${fdCount()} vs ${fd0}`);
  });

  it('clients of a server that goes away: in flight "interrupted by disconnect", later "called after disconnect"', async () => {
    const fd0 = fdCount();
    const node = await startNode();
    let open!: () => void;
    node.impl.gate = new Promise<void>((r) => { open = r; });
    const lines: string[] = [];
    const clients: Client[] = [];
    try {
      for (let k = 0; k < 8; k++) clients.push(await connect(node.socketPath, lines));
      const calls = clients.flatMap((c) => Array.from({ length: 5 }, (_, i) => c.echo.echo(`in flight ${i}`)));
      // One call per client runs (gated), the other four wait on the client's server lane.
      await until(() => node.impl.running === clients.length && totals(node.conns).queued === clients.length * 5,
        'echoes to start', () => JSON.stringify(totals(node.conns)));
      for (const s of node.sockets.values()) s.destroy(); // the node goes away
      for (const r of await Promise.allSettled(calls)) {
        assert.equal(r.status, 'rejected');
        const e = (r as PromiseRejectedResult).reason as unknown;
        assert.ok(e instanceof IpcError && e.message === 'IPC client method call interrupted by disconnect.', String(e));
      }
      for (const c of clients) {
        await c.conn.closed;
        await assert.rejects(c.echo.echo('late'), (e: unknown) => e instanceof IpcError &&
          e.message === 'IPC client method called after disconnect.');
        assert.deepEqual(c.conn.rpc.stats(), { questions: 0, answers: 0, exports: 0, imports: 0 });
      }
      assert.equal(lines.filter((l) => l.endsWith('IPC client: unexpected network disconnect.')).length, clients.length);
    } finally {
      open?.();
      for (const c of clients) c.conn.close();
      await node.stop();
    }
    await until(() => fdCount() === fd0, 'fds back to baseline', () => `${fdCount()} vs ${fd0}`);
  });
});
