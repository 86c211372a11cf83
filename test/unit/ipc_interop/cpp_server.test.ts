// TS client -> C++ server: the runtime + generated clients (InitClient/EchoClient, and TestInitClient/CallbackTestClient
// from interop_test.capnp) driving ipc_interop_server, a libcapnp server that checks every context.thread like
// libmultiprocess does.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import {
  CLIENT_TEXT, Capability, IpcError, Logger, ProxyConnection, RequestCounter, RpcError, THREAD_ID, ThreadHandle,
  ThreadServer, Thread_getName, connectUnix,
} from '@smithcoin/libmultiprocess';
import { OLD_MINING_INTERFACE_ERROR } from '../../../src/ipc/capnp/init-types.js';
import { Init } from '../../../src/ipc/capnp/init.capnp.js';
import { Resources, startCppServer } from './harness.js';
import { TestInitClient, type Callback } from '../../ipc/interop_test.capnp.js';

const PAYLOAD = Array.from({ length: 1024 }, (_, i) => String.fromCharCode(97 + (i % 26))).join('');

class LocalCallback implements Callback {
  readonly values: string[] = [];
  destroyed = 0;
  async call(value: string): Promise<string> {
    this.values.push(value);
    return `ts:${value}`;
  }
  async destroy(): Promise<void> { this.destroyed++; }
}

interface Session { server: ChildProcess; output: () => string; conn: ProxyConnection; init: TestInitClient; lines: string[] }

/** RpcError as Cap'n Proto reports an exception thrown by the remote C++ method. */
function remoteFailure(reason: string): (e: unknown) => boolean {
  return (e) => {
    assert.ok(e instanceof RpcError, String(e));
    assert.deepEqual([e.type, e.remote, e.message], ['failed', true, `remote exception: ${reason}`]);
    return true;
  };
}

async function threadName(thread: ThreadHandle): Promise<string> {
  const req = thread.cap.newCall(THREAD_ID, Thread_getName.methodId, 0, 0);
  return req.send((r) => Thread_getName.results.decode(r.results).result);
}

describe('ipc_interop: TS client -> C++ server', function () {
  this.timeout(20_000);
  const res = new Resources();
  afterEach(() => res.cleanup());

  async function connect(): Promise<Session> {
    const sock = path.join(res.tempDir(), 'cpp.sock');
    const { child: server, output } = await startCppServer(res, sock);
    const lines: string[] = [];
    const log = new Logger({ logFn: (l, m) => lines.push(`${l} ${m}`), logLevel: 'info', exeName: 'interop-test' },
      new RequestCounter());
    const conn = ProxyConnection.connect(await connectUnix(sock), { log, threadName: 'main' });
    res.onCleanup(() => conn.close());
    const init = conn.bootstrap((cap, c) => new TestInitClient(cap, c));
    return { server, output, conn, init, lines };
  }

  /** Closes the connection, then the server's stdin: it must exit cleanly (status 0). */
  async function finish(s: Session): Promise<void> {
    s.conn.close();
    await s.conn.closed;
    const exited = new Promise<number | null>((r) => s.server.once('close', (code) => r(code)));
    s.server.stdin!.end();
    assert.equal(await exited, 0, s.output());
  }

  it('bootstrap, pipelined construct and makeThread, echo, callback, exceptions, destroy', async () => {
    const s = await connect();
    const { conn, init } = s;
    // Nothing is awaited before makeEcho goes out: construct on the bootstrap promise, makeThread on construct's
    // result, and the Thread promise inside makeEcho's context.
    const constructed = init.construct();
    const lane = conn.makeThread('worker');
    const echoPromise = init.withThread(lane).makeEcho();
    await constructed;
    const echo = await echoPromise;
    assert.ok(echo !== null);
    assert.equal(await threadName(lane), `ipc_interop_server/interop-test-${process.pid}/worker`);

    assert.equal(await echo.withThread(lane).echo(PAYLOAD), PAYLOAD);
    assert.equal(await echo.withThread(lane).echo(''), '');

    await assert.rejects(init.makeMiningOld2(), remoteFailure(`std::exception: ${OLD_MINING_INTERFACE_ERROR}`));

    const test = await init.withThread(lane).makeCallbackTest();
    assert.ok(test !== null);
    const cb = new LocalCallback();
    // The server calls back on context.callbackThread, a lane this side hosts.
    assert.equal(await test.withThread(lane).callBack(cb, 'ping'), 'ts:ping');
    assert.deepEqual(cb.values, ['ping']);
    await assert.rejects(test.withThread(lane).fail('boom'), remoteFailure('std::exception: boom'));
    // The server dropped the callback when callBack returned: its Release has arrived by the next answer.
    await threadName(lane);
    assert.equal(cb.destroyed, 1);

    await test.withThread(lane).destroy();
    await echo.withThread(lane).destroy();
    assert.throws(() => echo.$cap.newCall(0n, 0, 0, 0), /Capability used after release\(\)\./);

    // Everything this side imported was released: only the server's ThreadMap (kept by the connection) and the
    // lane remain; our exports are the ThreadMap and callbackThread the server still holds.
    lane.release();
    init.release();
    // One more round trip so that the server has read the Releases (this plain-capnp ThreadMap, like libmultiprocess
    // before v11, has no makePool).
    await assert.rejects(conn.makePool(1), (e) => e instanceof RpcError && e.type === 'unimplemented');
    const stats = conn.rpc.stats();
    assert.deepEqual([stats.questions, stats.imports], [0, 1]);
    assert.equal(s.lines.filter((l) => l.startsWith('error ') || l.startsWith('warning ')).length, 0, s.lines.join('\n'));
    await finish(s);
  });

  it('a thread the server did not make is refused; a missing one too', async () => {
    const s = await connect();
    await s.init.construct();
    const foreign = new ThreadHandle(Capability.fromServer(new ThreadServer('not-yours')), 'not-yours');
    await assert.rejects(s.init.withThread(foreign).makeEcho(), remoteFailure('invalid thread handle'));
    foreign.release();
    // makeEcho with a Context whose thread is null (this server has no makePool pool either).
    const makeEcho = Init.methods[1];
    const req = s.init.$cap.newCall(makeEcho.interfaceId, makeEcho.methodId, makeEcho.params.dataWords, makeEcho.params.ptrCount);
    makeEcho.params.encode(req.params, { context: { thread: null, callbackThread: null } });
    await assert.rejects(req.send(() => undefined), remoteFailure('no thread specified and no pool configured'));
    await finish(s);
  });

  it('many calls in flight on two lanes all come back right', async () => {
    const s = await connect();
    await s.init.construct();
    const lanes = [s.conn.makeThread('a'), s.conn.makeThread('b')];
    const echo = (await s.init.withThread(lanes[0]!).makeEcho())!;
    const sent = Array.from({ length: 200 }, (_, i) => `${i}:${PAYLOAD.slice(0, i * 5)}`);
    const got = await Promise.all(sent.map((v, i) => echo.withThread(lanes[i % 2]!).echo(v)));
    assert.deepEqual(got, sent);
    await echo.withThread(lanes[0]!).destroy();
    assert.equal(s.conn.rpc.stats().questions, 0);
    await finish(s);
  });

  it('the server goes away during a call: the call is interrupted, later calls fail at once', async () => {
    const s = await connect();
    await s.init.construct();
    const lane = s.conn.makeThread('w');
    const test = (await s.init.withThread(lane).makeCallbackTest())!;
    // callBack stays pending on the server while it waits for our callback, which never answers.
    let called!: () => void;
    const inCallback = new Promise<void>((r) => { called = r; });
    const stuck: Callback = { call: () => { called(); return new Promise<string>(() => undefined); }, destroy: async () => {} };
    const pending = test.withThread(lane).callBack(stuck, 'x');
    await inCallback;
    const exited = new Promise<number | null>((r) => s.server.once('close', (code) => r(code)));
    s.server.stdin!.end(); // the server exits and closes the socket (no unread data: a plain FIN)
    assert.equal(await exited, 0, s.output());
    await assert.rejects(pending, (e) => e instanceof IpcError && e.message === CLIENT_TEXT.interruptedByDisconnect);
    await s.conn.closed;
    await assert.rejects(test.withThread(lane).fail('late'),
      (e) => e instanceof IpcError && e.message === CLIENT_TEXT.calledAfterDisconnect);
    assert.ok(s.lines.includes(`warning {interop-test-${process.pid}/main} IPC client: unexpected network disconnect.`),
      s.lines.join('\n'));
  });

  // The peer dies with our call unread in its socket buffer: the kernel resets the connection (ECONNRESET), which
  // the runtime treats as a disconnect (as kj reports ECONNRESET/EPIPE as DISCONNECTED).
  it('a server killed with our call unread: the call is interrupted by disconnect', async () => {
    const s = await connect();
    await s.init.construct();
    const lane = s.conn.makeThread('w');
    const echo = (await s.init.withThread(lane).makeEcho())!;
    s.server.kill('SIGSTOP'); // the call below stays unread until the process is gone
    const pending = echo.withThread(lane).echo('never answered');
    const gone = new Promise((r) => s.server.once('exit', r));
    await new Promise((r) => setTimeout(r, 20));
    s.server.kill('SIGKILL');
    await gone;
    await assert.rejects(pending, (e) => e instanceof IpcError && e.message === CLIENT_TEXT.interruptedByDisconnect);
    await s.conn.closed;
    await assert.rejects(echo.withThread(lane).echo('late'),
      (e) => e instanceof IpcError && e.message === CLIENT_TEXT.calledAfterDisconnect);
  });
});
