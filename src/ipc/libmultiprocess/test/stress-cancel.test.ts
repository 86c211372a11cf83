// Cancel stress: 240 clients each cut mid-call while the server waits (on its AbortSignal, on an abortable timer,
// or on an event it rejects by itself): every wait ends at once, Core's cancel lines are logged, and connections,
// tables, fds, timers and the heap come back to baseline.
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { IpcError, ProxyServer, type ProxyConnection, type ServerContext } from '../src/index.js';
import { EchoInterface, InitInterface } from './rpc-test-impl.js';
import {
  StressServer, connectClient, fdCount, getGc, inBatches, settledHeap, until,
} from './stress-helpers.js';

const ROUNDS = 4;
const PER_ROUND = 100;
const WIDTH = 30;

/** How each wait ends when aborted: three styles a server implementation may use. */
async function longWait(kind: number, signal: AbortSignal): Promise<void> {
  if (kind === 0) {
    // Awaits the signal and rethrows its reason.
    await new Promise<void>((_, reject) => {
      if (signal.aborted) reject(signal.reason);
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  } else if (kind === 1) {
    await delay(60_000, undefined, { signal }); // AbortError
  } else {
    // A long timer it clears itself, failing with its own error (like an InterruptException("canceled")).
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(resolve, 60_000);
      signal.addEventListener('abort', () => { clearTimeout(t); reject(new Error('canceled')); }, { once: true });
    });
  }
}

function timers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

describe('stress: clients cut mid-call', function () {
  this.timeout(15_000);

  it(`${ROUNDS * PER_ROUND} clients cut during a long server wait: waits end at once, nothing leaks`, async () => {
    const started = new Map<string, number>(); // tag -> time the wait started
    const ended = new Map<string, number>();
    const servers = new Set<WeakRef<object>>();
    const makeInit = (conn: ProxyConnection): ProxyServer => {
      servers.add(new WeakRef(conn));
      return new ProxyServer(InitInterface, conn, {
        makeEcho: (_p: unknown, ctx: ServerContext) => ({
          result: ctx.export(new ProxyServer(EchoInterface, conn, {
            wait: async (p: { tag: string }, c: ServerContext) => {
              started.set(p.tag, Date.now());
              try {
                await longWait(Number(p.tag.split('/')[0]) % 3, c.signal);
              } finally {
                ended.set(p.tag, Date.now());
              }
              return { result: p.tag };
            },
          })),
        }),
      });
    };
    const fd0 = fdCount();
    const server = await StressServer.start(makeInit, { keepLines: (l) => l.includes('IPC server request #') });
    const timers0 = timers(); // after an await: mocha's own timeout timer is running by now
    const fdListening = fdCount();
    const cutAt = new Map<string, number>();
    const heap: number[] = [];
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const tags = Array.from({ length: PER_ROUND }, (_, i) => `${round * PER_ROUND + i}/${round}`);
        await inBatches(tags, WIDTH, async (tag) => {
          const c = await connectClient(server.socketPath);
          const call = c.echo.wait(60_000, tag);
          await until(() => started.has(tag), `wait ${tag} to start`);
          cutAt.set(tag, Date.now());
          c.socket.destroy(); // cut: no Finish, no goodbye
          await assert.rejects(call, (e: unknown) => e instanceof IpcError &&
            e.message === 'IPC client method call interrupted by disconnect.');
        });
        await until(() => server.totals().conns === 0, 'server connections to go', 5000,
          () => JSON.stringify(server.totals()));
        await until(() => ended.size === (round + 1) * PER_ROUND, 'all waits to end');
        heap.push(await settledHeap());
      }
      // Every wait ended promptly after its client went away (Core keeps it until its own timeout).
      let worst = 0;
      for (const [tag, t] of cutAt) worst = Math.max(worst, ended.get(tag)! - t);
      assert.ok(worst < 2000, `a wait took ${worst} ms to end after its client was cut`);
      await until(() => fdCount() === fdListening, 'fds back to baseline', 5000, () => `${fdCount()} vs ${fdListening}`);
      assert.equal(timers(), timers0, 'no wait timer left running');

      // Core's lines, one pair per request: canceled while executing, then the interruption.
      const executing = server.lines.filter((l) => / IPC server request #\d+ canceled while executing\.$/.test(l));
      const interrupted = server.lines.filter((l) => / IPC server request #\d+ interrupted \(canceled\)$/.test(l));
      assert.equal(executing.length, ROUNDS * PER_ROUND, server.lines.slice(0, 6).join('\n'));
      assert.equal(interrupted.length, ROUNDS * PER_ROUND, server.lines.slice(0, 6).join('\n'));
      assert.ok(executing.every((l) => l.startsWith('info {stress-')), executing[0]);
      const num = (l: string): number => Number(/#(\d+)/.exec(l)![1]);
      assert.deepEqual(new Set(executing.map(num)), new Set(interrupted.map(num)));

      // The heap does not keep growing with the number of cut clients (generous slack for JIT and pools).
      if (getGc() !== null) {
        const growth = heap[ROUNDS - 1]! - heap[0]!;
        assert.ok(growth < 4 * 1024 * 1024, `heap grew ${(growth / 1048576).toFixed(1)} MiB over ${ROUNDS - 1} rounds`);
        await settledHeap();
        const alive = [...servers].filter((w) => w.deref() !== undefined).length;
        assert.equal(alive, 0, `${alive} server connections still reachable after gc`);
      }
    } finally {
      await server.close();
    }
    await until(() => fdCount() === fd0, 'fds back to the start count', 5000, () => `${fdCount()} vs ${fd0}`);
  });
});
