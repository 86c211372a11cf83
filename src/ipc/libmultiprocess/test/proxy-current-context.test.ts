// ServerContext.current(): an implementation behind a generated server (which passes it only the params) finds
// the call it runs for, and so its AbortSignal, at the start of the method; nowhere else.
import assert from 'node:assert/strict';
import { ProxyConnection, ServerContext } from '../src/index.js';
import { socketPair, waitFor } from './rpc-helpers.js';
import { InitClient, InitServer, type Echo, type Fn } from './rpc-test.capnp.js';

/** An Echo implementation as Smithcoin's node writes them: it knows nothing of IPC but reads the current call. */
class SignalEcho implements Echo {
  readonly seen: Array<AbortSignal | undefined> = [];
  async destroy(): Promise<void> {}
  async echo(echo: string): Promise<string> {
    this.seen.push(ServerContext.current()?.signal);
    await new Promise((r) => setImmediate(r));
    // After an await the context is gone: it is only valid while the handler is being entered.
    this.seen.push(ServerContext.current()?.signal);
    return echo;
  }
  async add(a: number, b: number): Promise<number> { return a + b; }
  async wait(ms: number, tag: string): Promise<string> {
    const signal = ServerContext.current()!.signal;
    this.seen.push(signal);
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(resolve, ms);
      signal.addEventListener('abort', () => { clearTimeout(t); reject(signal.reason); }, { once: true });
    });
    return tag;
  }
  async callback(fn: Fn | null, x: number): Promise<number> { return 2 * (await fn!.call(x)); }
}

describe('ServerContext.current()', () => {
  it('is the entered call\'s context at the start of a generated server\'s method, null after an await', async () => {
    const [a, b] = await socketPair();
    const impl = new SignalEcho();
    const server = ProxyConnection.serve(b, (conn) => new InitServer(conn, { makeEcho: async () => impl }));
    const client = ProxyConnection.connect(a);
    try {
      const init = client.bootstrap((cap, conn) => new InitClient(cap, conn));
      await init.construct();
      const echo = (await init.makeEcho())!;
      assert.equal(ServerContext.current(), null);
      assert.equal(await echo.echo('x'), 'x');
      assert.ok(impl.seen[0] instanceof AbortSignal);
      assert.equal(impl.seen[1], undefined);

      const ac = new AbortController();
      const waiting = echo.withCallOptions({ signal: ac.signal }).wait(60_000, 'w');
      await waitFor(() => impl.seen.length === 3);
      ac.abort(new Error('gave up'));
      await assert.rejects(waiting, /gave up/);
      await waitFor(() => impl.seen[2]!.aborted);
    } finally {
      client.close();
      server.close();
    }
  });
});
