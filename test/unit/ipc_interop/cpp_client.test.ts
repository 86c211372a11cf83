// C++ client -> TS server: ipc_interop_client (plain libcapnp, driving Init the way libmultiprocess does) against the
// runtime + generated servers (InitServer/EchoServer, and TestInitServer/CallbackTestServer from interop_test.capnp).
import assert from 'node:assert/strict';
import path from 'node:path';
import { ProxyClient, type Capability } from '@smithcoin/libmultiprocess';
import type { Echo } from '../../../src/interfaces/echo.js';
import type { Mining } from '../../../src/interfaces/mining.js';
import type { Rpc } from '../../../src/interfaces/rpc.js';
import { OLD_MINING_INTERFACE_ERROR } from '../../../src/ipc/capnp/init-types.js';
import { Resources, interopProgram, runProgram, startTsServer, type TsServer } from './harness.js';
import { TestInitServer, type Callback, type CallbackTest, type TestInit } from '../../ipc/interop_test.capnp.js';

class LocalEcho implements Echo {
  calls = 0;
  destroyed = 0;
  constructor(private readonly transform: (s: string) => string) {}
  async echo(echo: string): Promise<string> {
    this.calls++;
    return this.transform(echo);
  }
  async destroy(): Promise<void> { this.destroyed++; }
}

class LocalCallbackTest implements CallbackTest {
  destroyed = 0;
  /** Callback references kept on purpose by a misbehaving server (never released). */
  readonly kept: Capability[] = [];
  constructor(private readonly keepCallbacks: boolean) {}
  async callBack(callback: Callback, value: string): Promise<string> {
    if (this.keepCallbacks && callback instanceof ProxyClient) this.kept.push(callback.$cap.dup());
    return callback.call(value);
  }
  async fail(message: string): Promise<void> { throw new Error(message); }
  async destroy(): Promise<void> { this.destroyed++; }
}

class LocalInit implements TestInit {
  readonly echoes: LocalEcho[] = [];
  readonly tests: LocalCallbackTest[] = [];
  constructor(private readonly opts: { transform?: (s: string) => string; keepCallbacks?: boolean } = {}) {}
  async makeEcho(): Promise<Echo> {
    const e = new LocalEcho(this.opts.transform ?? ((s) => s));
    this.echoes.push(e);
    return e;
  }
  async makeMiningOld2(): Promise<void> { throw new Error(OLD_MINING_INTERFACE_ERROR); }
  async makeMining(): Promise<Mining | null> { return null; }
  async makeRpc(): Promise<Rpc | null> { return null; }
  async makeCallbackTest(): Promise<CallbackTest> {
    const t = new LocalCallbackTest(this.opts.keepCallbacks ?? false);
    this.tests.push(t);
    return t;
  }
}

/** Every check line of `ipc_interop_client <sock> --callback` against a correct server, in order. */
function expectedLines(laneId: number): string[] {
  return [
    'ok bootstrap Init and construct pipelined on it',
    // The server's lane name: "<exe>-<pid>/<n> (from <client thread name>)", as libmultiprocess names its threads.
    `ok makeThread pipelined into makeEcho's context: thread "interop-test-${process.pid}/${laneId} (from ipc_interop_client/main)"`,
    'ok echo 1024 bytes',
    `ok exception from Init.makeMiningOld2: failed: remote exception: std::exception: ${OLD_MINING_INTERFACE_ERROR}`,
    'ok callback capability called back by the server: ran on thread "ipc_interop_client/main"',
    'ok callback capability released by the server',
    'ok exception thrown by a server method: failed: remote exception: std::exception: boom',
    'ok destroy CallbackTest',
    'ok destroy Echo',
  ];
}

describe('ipc_interop: C++ client -> TS server', function () {
  this.timeout(20_000);
  const res = new Resources();
  afterEach(() => res.cleanup());

  async function serve(impl: LocalInit): Promise<{ sock: string; ts: TsServer }> {
    const sock = path.join(res.tempDir(), 'ts.sock');
    const ts = await startTsServer(res, sock, (conn) => new TestInitServer(conn, impl));
    return { sock, ts };
  }

  it('passes every check: bootstrap, pipelined construct and makeThread, echo, callback, exceptions, destroy', async () => {
    const impl = new LocalInit();
    const { sock, ts } = await serve(impl);
    const run = await runProgram(res, interopProgram('client'), [sock, '--callback']);
    assert.deepEqual(run.lines, expectedLines(1), run.stderr);
    assert.equal(run.code, 0);

    // The client is gone: the connection must close and every object must have been destroyed exactly once.
    assert.equal(ts.connections.length, 1);
    await ts.connections[0]!.closed;
    assert.equal(impl.echoes.length, 1);
    assert.deepEqual([impl.echoes[0]!.calls, impl.echoes[0]!.destroyed], [1, 1]);
    assert.equal(impl.tests.length, 1);
    assert.equal(impl.tests[0]!.destroyed, 1);
    const errors = ts.lines.filter((l) => l.startsWith('error '));
    assert.equal(errors.length, 2, errors.join('\n'));
    assert.match(errors[0]!, /IPC server error request #\d+ Init\.makeMiningOld2\$Results kj::Exception: std::exception: Old mining interface/);
    assert.match(errors[1]!, /IPC server error request #\d+ CallbackTest\.fail\$Results kj::Exception: std::exception: boom$/);
  });

  it('serves several C++ clients at once, one timing echo calls on its lane', async () => {
    const impl = new LocalInit();
    const { sock, ts } = await serve(impl);
    const runs = await Promise.all([
      runProgram(res, interopProgram('client'), [sock, '--callback']),
      runProgram(res, interopProgram('client'), [sock, '--callback']),
      runProgram(res, interopProgram('client'), [sock, '--bench', '200']),
    ]);
    for (const run of runs.slice(0, 2)) {
      assert.deepEqual(run.lines, expectedLines(1), run.stderr); // lanes are numbered per connection
      assert.equal(run.code, 0);
    }
    const bench = runs[2]!;
    assert.equal(bench.code, 0, bench.lines.join('\n'));
    assert.ok(bench.lines.some((l) => /^bench echo 1024 bytes: median [0-9.]+ us \(p10 [0-9.]+, p90 [0-9.]+, p99 [0-9.]+\) over 200 calls$/.test(l)),
      bench.lines.join('\n'));
    assert.equal(ts.connections.length, 3);
    await Promise.all(ts.connections.map((c) => c.closed));
    assert.equal(impl.echoes.length, 3);
    assert.deepEqual(impl.echoes.map((e) => e.destroyed), [1, 1, 1]);
    assert.deepEqual(impl.echoes.map((e) => e.calls).sort((a, b) => a - b), [1, 1, 201]);
  });

  it('reports a wrong echo and a leaked callback as failed checks (the checks can fail)', async () => {
    const impl = new LocalInit({ transform: (s) => s.toUpperCase(), keepCallbacks: true });
    const { sock } = await serve(impl);
    const run = await runProgram(res, interopProgram('client'), [sock, '--callback']);
    assert.equal(run.code, 1);
    assert.ok(run.lines.includes('FAIL echo 1024 bytes: echo returned different text'), run.lines.join('\n'));
    assert.ok(run.lines.includes('FAIL callback capability released by the server: the server still holds the callback capability'),
      run.lines.join('\n'));
    assert.ok(run.lines.includes('ok callback capability called back by the server: ran on thread "ipc_interop_client/main"'));
    assert.equal(impl.tests[0]!.kept.length, 1);
  });
});
