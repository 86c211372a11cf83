// Client side of a dying server: calls in flight fail with `IPC client method call interrupted by disconnect.`,
// later calls with `IPC client method called after disconnect.`, whether the server closes cleanly, resets the
// connection (unread data: ECONNRESET) or is a child process that gets SIGKILLed; nothing leaks on the client.
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { IpcError, Logger, ProxyConnection, RequestCounter, spawnProcess } from '../src/index.js';
import { InitClient, Init_construct, makeInitServer, type EchoImplState } from './rpc-test-impl.js';
import { StressServer, connectClient, fdCount, until, type StressClient } from './stress-helpers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const INTERRUPTED = 'IPC client method call interrupted by disconnect.';
const AFTER = 'IPC client method called after disconnect.';

function isIpc(text: string): (e: unknown) => boolean {
  return (e: unknown) => {
    assert.ok(e instanceof IpcError, `expected IpcError "${text}", got ${String(e)}`);
    assert.equal(e.message, text);
    return true;
  };
}

function clientLog(lines: string[]): Logger {
  return new Logger({ logFn: (l, m) => lines.push(`${l} ${m}`), logLevel: 'info', exeName: 'client' },
    new RequestCounter());
}

/** In-flight waits (one running, the rest queued on the lane) and pipelined calls all fail the same way when the server goes. */
async function inFlight(c: StressClient, n: number): Promise<Promise<unknown>[]> {
  const calls: Promise<unknown>[] = [];
  for (let i = 0; i < n; i++) calls.push(c.echo.wait(60_000, `w${i}`));
  const fresh = c.init.makeEcho(); // pipelined on a call that will never return
  calls.push(fresh.echo('pipelined'));
  return calls;
}

async function checkAfter(c: StressClient, lines: string[]): Promise<void> {
  await assert.rejects(c.echo.echo('late'), isIpc(AFTER));
  await assert.rejects(c.echo.add(1, 2), isIpc(AFTER));
  assert.deepEqual(c.conn.rpc.stats(), { questions: 0, answers: 0, exports: 0, imports: 0 });
  assert.ok(lines.some((l) => /^warning \{client-\d+\/client\} IPC client: unexpected network disconnect\.$/.test(l)),
    lines.join('\n'));
}

describe('stress: client when the server dies', function () {
  this.timeout(15_000);

  for (const mode of ['close', 'reset'] as const) {
    it(`calls in flight and after: server ${mode === 'close' ? 'closes the socket' : 'resets the connection'}`,
      async () => {
        const fd0 = fdCount();
        const state: EchoImplState = { destroyed: 0, signals: [], order: [] };
        const server = await StressServer.start((conn) => makeInitServer(conn, state));
        const lines: string[] = [];
        const c = await connectClient(server.socketPath, clientLog(lines));
        try {
          assert.equal(await c.echo.echo('hello'), 'hello');
          const sock = server.sockets.get([...server.conns][0]!)!;
          const calls = await inFlight(c, 20);
          await until(() => state.signals.length === 1, 'the first wait to run');
          if (mode === 'reset') {
            // Leave client bytes unread in the server's socket (more than the stream buffers) so that closing
            // it resets the connection (ECONNRESET on the client).
            sock.pause();
            calls.push(...await inFlight(c, 20), c.echo.echo('x'.repeat(1 << 20)));
            await new Promise((r) => setTimeout(r, 50));
          }
          sock.destroy();
          const results = await Promise.allSettled(calls);
          for (const r of results) {
            assert.equal(r.status, 'rejected');
            isIpc(INTERRUPTED)((r as PromiseRejectedResult).reason);
          }
          await c.conn.closed;
          await checkAfter(c, lines);
        } finally {
          c.conn.close();
          await server.close();
        }
        await until(() => fdCount() === fd0, 'fds back to the start count', 5000, () => `${fdCount()} vs ${fd0}`);
      });
  }

  for (const stop of [false, true]) {
    it(`child server SIGKILLed${stop ? ' while stopped, with unread calls' : ''} mid-call`, async () => {
      const fd0 = fdCount();
      const lines: string[] = [];
      const log = clientLog(lines);
      const proc = spawnProcess(process.execPath, [path.join(here, 'rpc-child.js')], { log });
      const conn = ProxyConnection.connect(proc.socket, { log, threadName: 'client' });
      const init = conn.bootstrap((cap, cc) => new InitClient(cap, cc));
      await conn.construct(init.$cap, Init_construct);
      const c: StressClient = { socket: proc.socket, conn, init, echo: init.makeEcho() };
      try {
        assert.equal(await c.echo.echo('child'), 'child');
        const calls = await inFlight(c, 10);
        await new Promise((r) => setTimeout(r, 50));
        if (stop) {
          proc.child.kill('SIGSTOP');
          calls.push(...await inFlight(c, 10));
          await new Promise((r) => setTimeout(r, 20));
        }
        proc.child.kill('SIGKILL');
        const results = await Promise.allSettled(calls);
        for (const r of results) {
          assert.equal(r.status, 'rejected');
          isIpc(INTERRUPTED)((r as PromiseRejectedResult).reason);
        }
        await conn.closed;
        await checkAfter(c, lines);
        assert.equal(await proc.exited, 9);
      } finally {
        conn.close();
        proc.child.kill('SIGKILL');
        await proc.exited;
      }
      await until(() => fdCount() === fd0, 'fds back to the start count', 5000, () => `${fdCount()} vs ${fd0}`);
    });
  }
});
