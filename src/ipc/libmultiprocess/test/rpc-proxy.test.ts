// libmultiprocess conventions between a TS client and a TS server over a real socket pair: bootstrap, pipelined
// construct and makeThread, Context lanes (FIFO per lane, lanes in parallel), callbacks, destroy, exceptions,
// UNIMPLEMENTED, disconnect mid-call (AbortSignal), log lines.
import assert from 'node:assert/strict';
import {
  IpcError, Logger, ProxyConnection, RequestCounter, RpcError, logEscape, type LogLevelName,
} from '../src/index.js';
import {
  EchoClient, InitClient, Init_construct, makeInitServer, type EchoImplState,
} from './rpc-test-impl.js';
import { socketPair, waitFor } from './rpc-helpers.js';

interface Setup {
  client: ProxyConnection;
  server: ProxyConnection;
  init: InitClient;
  state: EchoImplState;
  lines: string[];
}

async function setup(level: LogLevelName | 'off' = 'off'): Promise<Setup> {
  const [a, b] = await socketPair();
  const lines: string[] = [];
  const counter = new RequestCounter();
  const log = new Logger({ logFn: (lvl, msg) => lines.push(`${lvl} ${msg}`), logLevel: level, exeName: 'test' }, counter);
  const state: EchoImplState = { destroyed: 0, signals: [], order: [] };
  const server = ProxyConnection.serve(b, (conn) => makeInitServer(conn, state), { log });
  const client = ProxyConnection.connect(a, { log });
  const init = client.bootstrap((cap, conn) => new InitClient(cap, conn));
  const constructed = client.construct(init.$cap, Init_construct); // pipelined on the bootstrap answer
  void constructed;
  return { client, server, init, state, lines };
}

describe('rpc proxy conventions', () => {
  it('bootstrap, pipelined construct, makeThread pipelined into a context call', async () => {
    const { client, server, init } = await setup();
    const echo = init.makeEcho(); // pipelined, uses a pipelined makeThread lane
    assert.equal(await echo.echo('hallo'), 'hallo');
    assert.equal(await echo.echo(''), '');
    assert.equal(await echo.add(2, 3), 5); // context-less
    await echo.destroy();
    init.release();
    client.close();
    await server.closed;
  });

  it('runs calls on one lane FIFO and different lanes in parallel; context-less calls at once', async () => {
    const { client, init, state } = await setup();
    const echo = await init.makeEchoAwaited();
    const laneB = client.makeThread('lane-b');
    const echoB = echo.withThread(laneB);
    const p1 = echo.wait(60, 'a1');
    const p2 = echo.wait(5, 'a2');
    const p3 = echoB.wait(5, 'b1');
    const sum = echo.add(1, 1);
    assert.equal(await sum, 2);
    assert.equal(await p3, 'b1');
    assert.deepEqual(await Promise.all([p1, p2]), ['a1', 'a2']);
    // a2 started only after a1 ended; b1 ran while a1 was still waiting.
    assert.ok(state.order.indexOf('end a1') < state.order.indexOf('start a2'), state.order.join(','));
    assert.ok(state.order.indexOf('end b1') < state.order.indexOf('end a1'), state.order.join(','));
    laneB.release();
    await echo.destroy();
    client.close();
  });

  it('calls back into the client through a function capability on the callbackThread', async () => {
    const { client, init } = await setup();
    const echo = await init.makeEchoAwaited();
    const seen: number[] = [];
    assert.equal(await echo.callback((x) => { seen.push(x); return x + 1; }, 20), 42);
    assert.equal(await echo.callback(async (x) => x * 3, 2), 12);
    assert.deepEqual(seen, [20]);
    await echo.destroy();
    await waitFor(() => client.rpc.stats().exports <= 2); // only our ThreadMap and callbackThread may remain
    client.close();
  });

  it('destroy runs the server cleanup once; exceptions and unknown methods are reported', async () => {
    const { client, init, state } = await setup();
    const echo = await init.makeEchoAwaited();
    await assert.rejects(echo.echo('throw'), (e: unknown) => e instanceof RpcError && e.type === 'failed' &&
      e.reason === 'std::exception: boom');
    const req = echo.$cap.newCall(0xc1d2e3f4a5b60702n, 77, 0, 0);
    await assert.rejects(req.send(() => 0), (e: unknown) => e instanceof RpcError && e.type === 'unimplemented' &&
      e.reason.includes('Echo') && e.reason.includes('methodId = 77'));
    const other = echo.$cap.newCall(0x1234n, 0, 0, 0);
    await assert.rejects(other.send(() => 0), (e: unknown) => e instanceof RpcError && e.type === 'unimplemented');
    const keep = echo.$cap.dup();
    await echo.destroy();
    assert.equal(state.destroyed, 1);
    const again = new EchoClient(keep, client);
    await assert.rejects(again.echo('x'), /called after destroy/);
    again.release();
    await waitFor(() => state.destroyed === 1);
    client.close();
  });

  it('disconnect mid-call: the server AbortSignal fires, clients get libmultiprocess errors', async () => {
    const { client, server, init, state } = await setup('debug');
    const echo = await init.makeEchoAwaited();
    const running = echo.wait(10_000, 'long');
    const queued = echo.wait(10, 'queued');
    await waitFor(() => state.signals.length === 1);
    const t0 = Date.now();
    client.close();
    await assert.rejects(running, (e: unknown) => e instanceof IpcError &&
      e.message === 'IPC client method call interrupted by disconnect.');
    await assert.rejects(queued, IpcError);
    await server.closed;
    await waitFor(() => state.signals[0]!.aborted);
    assert.ok(Date.now() - t0 < 1000);
    await assert.rejects(echo.echo('late'), (e: unknown) => e instanceof IpcError &&
      e.message === 'IPC client method called after disconnect.');
    assert.equal(state.order.includes('start queued'), false);
  });

  it('logs in libmultiprocess format, with trace data escaped and cut at 200 characters', async () => {
    const { client, init, lines } = await setup('trace');
    const echo = await init.makeEchoAwaited();
    await echo.echo('x\\y\u0001' + 'z'.repeat(300));
    await echo.destroy();
    client.close();
    const tag = `{test-${process.pid}/capnp-loop}`;
    const recv = lines.find((l) => l.includes('IPC server recv request  #') && l.includes('Echo.echo$Params'));
    assert.ok(recv?.startsWith(`debug ${tag} IPC server recv request  #`), recv);
    assert.ok(lines.some((l) => /IPC server post request {2}#\d+ \{test-\d+\/\d+ \(from test-\d+\/main\)\}/.test(l)),
      lines.join('\n'));
    // Server trace lines carry the loop tag (MP_LOG), client ones none (MP_LOGPLAIN), as in libmultiprocess.
    const data = lines.find((l) => l.includes(' request data: (context') && l.includes('echo = '))!;
    assert.ok(data.startsWith(`trace ${tag} request data: (context = `), data);
    const payload = data.slice(data.indexOf('data: ') + 6);
    assert.ok(payload.includes('x\\\\\\\\y\\\\001'), payload); // "\\" in text format, then escaped for the log
    // LogEscape appends "..." once the output exceeds 200 characters: the cut falls in the z run, so 201 + 3.
    assert.equal(payload, payload.slice(0, 201) + '...');
    assert.equal(payload.length, 204);
    const resp = lines.find((l) => l.includes(' response data: ') && l.includes('zzz'))!;
    assert.ok(resp.startsWith(`trace ${tag} response data: (result = "x`), resp);
    assert.ok(lines.some((l) => l.startsWith('trace send data: (context = ')), lines.join('\n'));
    assert.ok(lines.some((l) => l.startsWith('trace recv data: (result = "x')), lines.join('\n'));
    assert.ok(!lines.some((l) => / IPC (server|client) (request|response|send|recv) data: /.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /IPC server send response #\d+ Echo\.echo\$Results/.test(l)));
    assert.ok(lines.some((l) => l.includes('IPC client send Echo.echo$Params')));
    const nums = lines.filter((l) => l.includes('recv request  #')).map((l) => Number(/#(\d+)/.exec(l)![1]));
    assert.deepEqual(nums, [...nums].sort((x, y) => x - y));
  });

  it('formats nothing when logging is off', async () => {
    const { client, init, lines } = await setup('off');
    const echo = await init.makeEchoAwaited();
    await echo.echo('quiet');
    await echo.destroy();
    client.close();
    assert.deepEqual(lines, []);
  });
});

describe('logEscape (libmultiprocess LogEscape)', () => {
  it('cuts once the escaped output exceeds max_chars, after a whole escape', () => {
    assert.equal(logEscape('a'.repeat(200), 200), 'a'.repeat(200));
    assert.equal(logEscape('a'.repeat(201), 200), 'a'.repeat(201) + '...');
    assert.equal(logEscape('a'.repeat(500), 200), 'a'.repeat(201) + '...');
    assert.equal(logEscape('a'.repeat(199) + '\\b', 200), 'a'.repeat(199) + '\\\\...');
    assert.equal(logEscape('a'.repeat(200) + '\u0001b', 200), 'a'.repeat(200) + '\\01...');
    assert.equal(logEscape('a'.repeat(200) + '\u{1F600}', 200), 'a'.repeat(200) + '\\f0...');
    assert.equal(logEscape('\\\u007f\u00e9', 200), '\\\\\\7f\\c3\\a9');
  });
});
