// Hostile peers against each resource limit of a server running in a child process: makePool's count, the
// listener's connection cap, answers never Finished, call words in flight, pipelined calls, exports, questions the
// peer never returns, bytes the peer never reads (send buffer, held input), and the segment table. For each: the
// offending connection alone is aborted (Abort with the limit's text, an error line), a good client keeps being
// served during and after, the server's tables come back to the good client's baseline and its RSS (after gc) comes
// back near where it was.
import assert from 'node:assert/strict';
import { MAKE_POOL_TWICE, MAX_POOL_SIZE, RpcError, connectionRefusedText, makePoolTooLarge } from '../src/index.js';
import { Msg, encodeBootstrap, encodeFinish } from '../src/rpc/messages.js';
import type { ChildConfig, ChildStats } from './stress-limits-child.js';
import { ChildServer, RawPeer } from './stress-limits-peer.js';
import { connectClient, sleep, until, type StressClient } from './stress-helpers.js';

const KiB = 1024;
const MiB = 1024 * KiB;
/** RSS may stay this far above its baseline after an attack (allocator and JIT noise, not the attack's data). */
const RSS_SLACK = 48 * MiB;

/** Expected Abort reasons, written out (they are part of the runtime's documented behavior). */
const REASON = {
  maxAnswers: (n: number) =>
    `Too many calls from the peer held (running, queued or waiting for Finish): the limit is ${n} (RpcLimits.maxAnswers).`,
  maxCallWords: (n: number) => `Too many words of calls from the peer in flight: the limit is ${n} (RpcLimits.maxCallWords).`,
  maxPipelinedCalls: (n: number) =>
    `Too many calls from the peer queued on unreturned answers: the limit is ${n} (RpcLimits.maxPipelinedCalls).`,
  maxExports: (n: number) => `Too many capabilities exported to the peer: the limit is ${n} (RpcLimits.maxExports).`,
  maxQuestions: (n: number) => `Too many calls waiting for a Return from the peer: the limit is ${n} (RpcLimits.maxQuestions).`,
  maxSendBufferBytes: (n: number) =>
    new RegExp(`^error IPC connection error: Too many bytes waiting to be sent to the peer: \\d+, the limit is ${n} ` +
      '\\(StreamOptions\\.maxSendBufferBytes\\)\\.$'),
  maxHeldBytes: (n: number) =>
    new RegExp(`^error IPC connection error: Too many bytes received from a peer that does not read: \\d+, the limit ` +
      `is ${n} \\(StreamOptions\\.maxHeldBytes\\)\\.$`),
};

/** A served connection that keeps working while the attack runs, and the server state it leaves behind. */
interface Scene { server: ChildServer; good: StressClient; base: ChildStats }

/**
 * Runs `attack` against a child server configured with `config` while a good client keeps calling, then checks the
 * aftermath: the good client is still served, only its connection is left, tables back to its baseline, RSS near it.
 */
async function scene(config: Omit<ChildConfig, 'dir'>, attack: (s: Scene) => Promise<void>): Promise<void> {
  const server = await ChildServer.start(config);
  let good: StressClient | null = null;
  let stop = false;
  let loop: Promise<void> = Promise.resolve();
  try {
    good = await connectClient(server.socketPath);
    assert.equal(await good.echo.echo('before'), 'before');
    const base = await server.waitFor((s) => s.answers === 0, 'the good client to settle');
    let calls = 0;
    const g = good;
    loop = (async () => {
      while (!stop) {
        assert.equal(await g.echo.echo(`alive ${calls}`), `alive ${calls}`);
        calls++;
        await sleep(2);
      }
    })();
    await attack({ server, good, base });
    stop = true;
    await loop;
    assert.ok(calls > 0, 'the good client was served during the attack');
    assert.equal(await good.echo.echo('after'), 'after');
    const after = await server.waitFor((s) => s.conns === 1 && s.answers === 0, 'only the good client to be left');
    assert.deepEqual({ q: after.questions, e: after.exports, w: after.callWords, p: after.pipelinedCalls },
      { q: base.questions, e: base.exports, w: base.callWords, p: base.pipelinedCalls });
    const settled = await server.stats();
    assert.ok(settled.rss < base.rss + RSS_SLACK,
      `RSS ${(settled.rss / MiB).toFixed(1)} MiB vs ${(base.rss / MiB).toFixed(1)} MiB before the attack`);
  } finally {
    stop = true;
    await loop.catch(() => undefined);
    good?.conn.close();
    await server.stop();
  }
}

/**
 * A client connects, is served, then misbehaves with `attack`: the server must abort it with an Abort of type
 * overloaded carrying `reason` (the reason its `closed` reports) and log the reason.
 */
async function abortsClient(server: ChildServer, reason: string, attack: (bad: StressClient) => void): Promise<void> {
  const bad = await connectClient(server.socketPath);
  assert.equal(await bad.echo.echo('hi'), 'hi');
  attack(bad);
  const err = await within(bad.conn.closed, 10_000, 'the server to abort the connection');
  assert.ok(err instanceof RpcError, String(err));
  assert.deepEqual({ type: err.type, reason: err.reason, remote: err.remote }, { type: 'overloaded', reason, remote: true });
  assert.ok(await server.logged(`error IPC connection error: ${reason}`));
}

/** `p`, or a failure naming `what` after `ms` (a bound on waiting, not a timing assertion). */
async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => { t = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms); });
  try { return await Promise.race([p, late]); } finally { clearTimeout(t); }
}

/** Sends calls and ignores how they end (the connection is about to be aborted). */
function fire(calls: Promise<unknown>[]): void {
  for (const c of calls) c.catch(() => undefined);
}

/** A frame of `count` segments: segment 0 holds `message` (a one-segment frame's body), the others are empty. */
function spreadOverSegments(oneSegmentFrame: Uint8Array, count: number): Buffer {
  const body = Buffer.from(oneSegmentFrame.subarray(8));
  const table = Buffer.alloc((Math.floor(count / 2) + 1) * 8);
  table.writeUInt32LE(count - 1, 0);
  table.writeUInt32LE(body.length / 8, 4);
  return Buffer.concat([table, body]);
}

describe('stress: hostile peers against each limit', function () {
  this.timeout(30_000);
  afterEach(async () => { for (const s of [...ChildServer.live]) await s.stop(); });

  it('makePool: a count over maxPoolSize fails the call and makes nothing; the process stays up', async () => {
    await scene({}, async ({ server, good, base }) => {
      for (const count of [4_000_000, 0xffffffff]) {
        await assert.rejects(good.conn.makePool(count), (e: unknown) => e instanceof RpcError && e.remote &&
          e.type === 'failed' && e.reason === makePoolTooLarge(count, MAX_POOL_SIZE));
        const s = await server.stats();
        assert.equal(s.poolLanes, 0);
        assert.ok(s.rss < base.rss + RSS_SLACK, `RSS ${(s.rss / MiB).toFixed(1)} MiB after makePool(${count})`);
      }
      await good.conn.makePool(MAX_POOL_SIZE);
      assert.equal((await server.stats(true)).poolLanes, MAX_POOL_SIZE);
      await assert.rejects(good.conn.makePool(1), (e: unknown) => e instanceof RpcError &&
        e.reason === `std::exception: ${MAKE_POOL_TWICE}`);
    });
  });

  it('listener: connections past maxConnections are refused with a log line; the others keep working', async () => {
    await scene({ maxConnections: 4 }, async ({ server }) => {
      const others = await Promise.all([1, 2, 3].map(() => connectClient(server.socketPath)));
      try {
        for (const [i, o] of others.entries()) assert.equal(await o.echo.echo(`o${i}`), `o${i}`);
        // Refused: closed by the server at once (a served connection would stay open, waiting for a Bootstrap).
        const refused = await Promise.all(Array.from({ length: 5 }, () => RawPeer.connect(server.socketPath)));
        await within(Promise.all(refused.map((r) => r.closed)), 5000, 'the server to close connections past the cap');
        for (const r of refused) assert.deepEqual({ ended: r.endedByServer, bytes: r.bytesIn }, { ended: true, bytes: 0 });
        const s = await server.stats(true);
        assert.deepEqual({ conns: s.conns, accepted: s.accepted }, { conns: 4, accepted: 4 });
        assert.equal(server.log.filter((l) => l === `warning ${connectionRefusedText(4)}`).length, 5);
        for (const [i, o] of others.entries()) assert.equal(await o.echo.echo(`still ${i}`), `still ${i}`);
        // A freed slot is served again.
        others.pop()!.conn.close();
        await server.waitFor((st) => st.conns === 3, 'a slot to free up');
        const again = await connectClient(server.socketPath);
        assert.equal(await again.echo.echo('again'), 'again');
        again.conn.close();
      } finally {
        for (const o of others) o.conn.close();
      }
    });
  });

  it('answers: Bootstraps never Finished past maxAnswers abort that connection', async () => {
    // A long linger, so that "the server still reads after the Abort" does not depend on how fast this test is.
    await scene({ limits: { maxAnswers: 64 }, stream: { closeLingerMs: 30_000 } }, async ({ server }) => {
      const peer = await RawPeer.connect(server.socketPath);
      peer.socket.pause();
      // 65 Bootstraps (the last one is over the limit), then Finishes that would make room for more Bootstraps:
      // once a limit is hit nothing more from the peer is processed, so there are only 64 Returns.
      const after = Array.from({ length: 64 }, (_, q) => [encodeFinish(q, false), encodeBootstrap(100 + q)]).flat();
      peer.write(Buffer.concat([...Array.from({ length: 65 }, (_, q) => encodeBootstrap(q)), ...after]));
      await server.waitFor((s) => s.conns === 1, 'the server to abort the connection');
      // The peer writes once more before it reads anything: the server still takes it (a destroyed socket would
      // fail the write, EPIPE, and the peer would never read the Abort waiting for it).
      await sleep(50);
      peer.write(encodeFinish(100_000, false));
      await sleep(50);
      peer.socket.resume();
      await within(peer.closed, 10_000, 'the connection to close');
      assert.equal(peer.count(Msg.return), 64);
      assert.deepEqual(peer.abort, { type: 'overloaded', reason: REASON.maxAnswers(64) });
      assert.ok(peer.endedByServer);
      assert.ok(await server.logged(`error IPC connection error: ${REASON.maxAnswers(64)}`));
    });
  });

  it('call words: calls in flight past maxCallWords abort that connection', async () => {
    const maxCallWords = 64 * KiB; // 512 KiB
    await scene({ limits: { maxCallWords } }, async ({ server }) => {
      await abortsClient(server, REASON.maxCallWords(maxCallWords), (bad) =>
        fire(Array.from({ length: 20 }, (_, i) => bad.echo.wait(60_000, `${i}:${'w'.repeat(64 * KiB)}`))));
    });
  });

  it('pipelined calls: calls queued on an unreturned answer past maxPipelinedCalls abort that connection', async () => {
    await scene({ limits: { maxPipelinedCalls: 32 } }, async ({ server }) => {
      // Within the limit, pipelined calls are served and stop counting once delivered: 2 x 20 > 32 pass.
      const ok = await connectClient(server.socketPath);
      assert.equal(await ok.echo.echo('hi'), 'hi');
      for (let round = 0; round < 2; round++) {
        const block = ok.echo.wait(1000, `block ${round}`);
        const late = ok.init.makeEcho();
        const sums = Array.from({ length: 20 }, (_, i) => late.add(i, round));
        await server.waitFor((s) => s.pipelinedCalls === 20, 'the calls to wait on the unreturned answer');
        assert.deepEqual(await Promise.all(sums), Array.from({ length: 20 }, (_, i) => i + round));
        assert.equal(await block, `block ${round}`);
        assert.equal((await server.stats(true)).pipelinedCalls, 0);
        late.release();
      }
      ok.conn.close();
      await abortsClient(server, REASON.maxPipelinedCalls(32), (bad) => {
        fire([bad.echo.wait(60_000, 'holds the lane')]);
        const late = bad.init.makeEcho(); // queued behind the wait on the lane: its answer does not return
        fire(Array.from({ length: 100 }, (_, i) => late.add(i, 1)));
      });
    });
  });

  it('exports: capabilities exported past maxExports abort that connection', async () => {
    await scene({ limits: { maxExports: 64 } }, async ({ server }) => {
      await abortsClient(server, REASON.maxExports(64), (bad) => {
        for (let i = 0; i < 200; i++) bad.conn.makeThread(`t${i}`); // each a lane exported to us, never released
      });
    });
  });

  it('questions: callbacks the peer never returns past maxQuestions abort that connection', async () => {
    await scene({ limits: { maxQuestions: 16 } }, async ({ server }) => {
      // Each callback runs on its own lane and calls back into a function that never answers.
      await abortsClient(server, REASON.maxQuestions(16), (bad) => fire(Array.from({ length: 40 }, (_, i) =>
        bad.echo.withThread(bad.conn.makeThread(`cb${i}`)).callback(() => new Promise<number>(() => undefined), i))));
    });
  });

  it('send buffer: a peer that stops reading while results pile up is aborted past maxSendBufferBytes', async () => {
    const stream = { sendHighWaterBytes: 256 * KiB, maxSendBufferBytes: 2 * MiB };
    await scene({ stream }, async ({ server }) => {
      const bad = await connectClient(server.socketPath);
      assert.equal(await bad.echo.echo('hi'), 'hi');
      bad.socket.pause(); // reads nothing from now on
      // 40 waits on 40 lanes end together: 5 MiB of results for a peer that does not read.
      fire(Array.from({ length: 40 }, (_, i) =>
        bad.echo.withThread(bad.conn.makeThread(`w${i}`)).wait(300, `${i}:${'r'.repeat(128 * KiB)}`)));
      await server.waitFor(() => server.log.some((l) => REASON.maxSendBufferBytes(stream.maxSendBufferBytes).test(l)),
        'the send-buffer abort', 15_000);
      await server.waitFor((s) => s.conns === 1, 'the aborted connection to go');
      bad.socket.destroy();
    });
  });

  it('held input: a peer that keeps sending without reading is held, then aborted past maxHeldBytes', async () => {
    const stream = { sendHighWaterBytes: 256 * KiB, maxHeldBytes: 1 * MiB };
    await scene({ stream }, async ({ server }) => {
      const bad = await connectClient(server.socketPath);
      assert.equal(await bad.echo.echo('hi'), 'hi');
      bad.socket.pause();
      const big = 'h'.repeat(64 * KiB);
      // 25 MiB unless the server cuts it short (our writes then fail with EPIPE and the socket is destroyed).
      for (let i = 0; i < 400 && !bad.socket.destroyed; i++) {
        fire([bad.echo.echo(big)]);
        await sleep(1);
      }
      await server.waitFor(() => server.log.some((l) => REASON.maxHeldBytes(stream.maxHeldBytes).test(l)),
        'the held-input abort');
      const s = await server.waitFor((st) => st.conns === 1, 'the aborted connection to go');
      assert.ok(s.throttles >= 1, 'the server stopped processing the peer');
      bad.socket.destroy();
    });
  });

  it('backpressure both ways: two peers over their high-water marks still drain each other (no deadlock)', async () => {
    const hwm = 128 * KiB;
    await scene({ stream: { sendHighWaterBytes: hwm } }, async ({ server }) => {
      const peer = await connectClient(server.socketPath, undefined, { stream: { sendHighWaterBytes: hwm } });
      try {
        const big = (i: number): string => `${i}:${'b'.repeat(128 * KiB)}`;
        const got = await within(Promise.all(Array.from({ length: 40 }, (_, i) => peer.echo.echo(big(i)))), 20_000,
          'the calls to complete');
        got.forEach((g, i) => assert.equal(g, big(i)));
        assert.ok(peer.conn.transport.throttles >= 1, 'the client stopped processing at least once');
        assert.ok((await server.stats(true)).throttles >= 1, 'the server stopped processing at least once');
      } finally {
        peer.conn.close();
      }
    });
  });

  it('segment table: 511 segments are read, 512 abort the connection with Cap\'n Proto\'s text', async () => {
    await scene({}, async ({ server }) => {
      const ok = await RawPeer.connect(server.socketPath);
      ok.write(spreadOverSegments(encodeBootstrap(0), 511));
      await until(() => ok.count(Msg.return) === 1, 'the Bootstrap in a 511-segment frame to be answered');
      ok.socket.destroy();
      const bad = await RawPeer.connect(server.socketPath);
      bad.write(spreadOverSegments(encodeBootstrap(0), 512));
      await within(bad.closed, 10_000, 'the server to abort the connection');
      assert.deepEqual(bad.received, [{ tag: Msg.abort, abort: { type: 'failed', reason: 'Message has too many segments.' } }]);
      assert.ok(await server.logged('error IPC connection error: Message has too many segments.'));
    });
  });
});
