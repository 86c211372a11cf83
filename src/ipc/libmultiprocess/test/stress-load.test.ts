// Load stress: 16 clients x 200 echo calls at once over unix sockets (all correct, then connections, tables, lane
// queues and open fds back to baseline), and 3 + 3 waits queued on one server Thread (FIFO, all answered).
import assert from 'node:assert/strict';
import { ProxyServer, type ProxyConnection, type ServerContext } from '../src/index.js';
import { EchoInterface, InitInterface, makeInitServer, type EchoImplState } from './rpc-test-impl.js';
import { StressServer, connectClient, fdCount, until, type StressClient } from './stress-helpers.js';

const CLIENTS = 16;
const CALLS = 200;

describe('stress: load', function () {
  this.timeout(15_000);

  it(`${CLIENTS} clients x ${CALLS} echo calls at once: all correct, everything back to baseline`, async () => {
    const fd0 = fdCount();
    const state: EchoImplState = { destroyed: 0, signals: [], order: [] };
    const server = await StressServer.start((c) => makeInitServer(c, state));
    const fdListening = fdCount();
    const clients: StressClient[] = [];
    try {
      for (let k = 0; k < CLIENTS; k++) clients.push(await connectClient(server.socketPath));
      // One call each so every client has its lane and Echo; this is the per-connection baseline.
      await Promise.all(clients.map((c, k) => c.echo.echo(`warm ${k}`)));
      await until(() => server.totals().answers === 0, 'warm-up answers to finish');
      const before = server.totals();
      assert.equal(before.conns, CLIENTS);
      assert.equal(before.queued, 0);

      const results = await Promise.all(clients.map((c, k) =>
        Promise.all(Array.from({ length: CALLS }, (_, i) => c.echo.echo(`${k}/${i}:${'x'.repeat(i % 97)}`)))));
      for (let k = 0; k < CLIENTS; k++) {
        for (let i = 0; i < CALLS; i++) assert.equal(results[k]![i], `${k}/${i}:${'x'.repeat(i % 97)}`);
      }
      await until(() => server.totals().answers === 0, 'answers to be finished');
      assert.deepEqual(server.totals(), before);
      for (const c of clients) assert.deepEqual(c.conn.rpc.stats().questions, 0);

      for (const c of clients) { await c.echo.destroy(); c.init.release(); }
      assert.equal(state.destroyed, CLIENTS);
      for (const c of clients) c.conn.close();
      await until(() => server.totals().conns === 0, 'server connections to close', 5000,
        () => JSON.stringify(server.totals()));
      await until(() => fdCount() === fdListening, 'fds back to baseline', 5000, () => `${fdCount()} vs ${fdListening}`);
    } finally {
      for (const c of clients) c.conn.close();
      await server.close();
    }
    await until(() => fdCount() === fd0, 'fds back to the start count', 5000, () => `${fdCount()} vs ${fd0}`);
  });

  it('3 + 3 calls queued on one server Thread run FIFO and are all answered after the next "block"', async () => {
    // Two kinds of waits that both end at the next block, like waitTipChanged and waitNext.
    let block: (() => void) | null = null;
    let blockP = new Promise<void>((r) => { block = r; });
    const order: string[] = [];
    const makeInit = (conn: ProxyConnection): ProxyServer => new ProxyServer(InitInterface, conn, {
      makeEcho: (_p: unknown, ctx: ServerContext) => ({
        result: ctx.export(new ProxyServer(EchoInterface, conn, {
          wait: async (p: { tag: string }, c: ServerContext) => {
            order.push(`start ${p.tag}`);
            await Promise.race([blockP, new Promise((_, reject) =>
              c.signal.addEventListener('abort', () => reject(new Error('canceled')), { once: true }))]);
            order.push(`end ${p.tag}`);
            return { result: p.tag };
          },
        })),
      }),
    });
    const server = await StressServer.start(makeInit);
    const client = await connectClient(server.socketPath);
    try {
      const tags = ['tip1', 'next1', 'tip2', 'next2', 'tip3', 'next3'];
      const calls = tags.map((t) => client.echo.wait(60_000, t));
      await until(() => server.totals().queued === 6, 'all six calls to be queued on the lane', 5000,
        () => JSON.stringify(server.totals()));
      assert.deepEqual(order, ['start tip1']); // one lane: the rest wait their turn
      const t0 = Date.now();
      block!();
      assert.deepEqual(await Promise.all(calls), tags);
      assert.ok(Date.now() - t0 < 1000, `answered ${Date.now() - t0} ms after the block`);
      assert.deepEqual(order, tags.flatMap((t) => [`start ${t}`, `end ${t}`]));
      assert.equal(server.totals().queued, 0);
      blockP = new Promise<void>((r) => { block = r; });
      void blockP;
    } finally {
      client.conn.close();
      await server.close();
    }
  });
});
