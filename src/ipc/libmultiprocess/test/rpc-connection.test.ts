// RPC level 1 over a real socket pair with hand-coded messages: bootstrap, calls, pipelining both ways,
// exceptions, exact import/export refcounts, question-id reuse, Finish before Return, disconnects.
import assert from 'node:assert/strict';
import {
  Capability, IncomingCall, RpcConnection, RpcError, SocketTransport, methodNotImplemented, type ServerTarget,
} from '../src/index.js';
import { socketPair, waitFor, sleep } from './rpc-helpers.js';

const CALC = 0xa1b2c3d4e5f60718n;
// add @0 (a :Int32, b :Int32) -> (r :Int32)         params 1 dw, results 1 dw
// child @1 () -> (c :Calc)                            results 0 dw, 1 ptr
// callMe @2 (cb :Calc, a :Int32) -> (r :Int32)        calls cb.add(a, 1) and returns its result
// wait @3 () -> ()                                    never returns until aborted
// identity @4 (c :Calc) -> (c :Calc)

class Calc implements ServerTarget {
  released = 0;
  lastSignal: AbortSignal | null = null;
  constructor(readonly name: string, readonly peerCaps: Capability[] = []) {}
  async dispatch(call: IncomingCall): Promise<void> {
    if (call.interfaceId !== CALC) throw methodNotImplemented('Calc', call.interfaceId, call.methodId);
    switch (call.methodId) {
      case 0: {
        const a = call.params.getInt32(0);
        const b = call.params.getInt32(1);
        if (a === 13) throw new Error('unlucky');
        call.initResults(1, 0).setInt32(0, a + b);
        return;
      }
      case 1: {
        const r = call.initResults(0, 1);
        r.setCapability(0, call.addCap(new Calc(this.name + '.child')));
        return;
      }
      case 2: {
        const cb = call.cap(call.params.getCapability(0))!;
        const req = cb.newCall(CALC, 0, 1, 0);
        req.params.setInt32(0, call.params.getInt32(0));
        req.params.setInt32(1, 1);
        const v = await req.send((resp) => resp.results.getInt32(0));
        cb.release();
        call.initResults(1, 0).setInt32(0, v * 10);
        return;
      }
      case 3:
        this.lastSignal = call.signal;
        await new Promise<void>((_, reject) => call.signal.addEventListener('abort', () => reject(call.signal.reason)));
        return;
      case 4: {
        const c = call.cap(call.params.getCapability(0));
        call.initResults(0, 1).setCapability(0, call.addCap(c));
        c?.release();
        return;
      }
      default:
        throw methodNotImplemented('Calc', call.interfaceId, call.methodId);
    }
  }
  onRelease(): void { this.released++; }
}

function add(cap: Capability, a: number, b: number): Promise<number> {
  const req = cap.newCall(CALC, 0, 1, 0);
  req.params.setInt32(0, a);
  req.params.setInt32(1, b);
  return req.send((r) => r.results.getInt32(0));
}

async function pair(bootstrap: ServerTarget | null, clientBootstrap: ServerTarget | null = null) {
  const [a, b] = await socketPair();
  const server = new RpcConnection(new SocketTransport(b), { bootstrap });
  const client = new RpcConnection(new SocketTransport(a), { bootstrap: clientBootstrap });
  return { client, server, a, b };
}

describe('rpc connection (level 1)', () => {
  it('bootstraps and calls, pipelining on the bootstrap answer', async () => {
    const root = new Calc('root');
    const { client, server } = await pair(root);
    const cap = client.bootstrap();
    // Both calls go out before the bootstrap Return arrives.
    const [x, y] = await Promise.all([add(cap, 2, 3), add(cap, 40, 2)]);
    assert.deepEqual([x, y], [5, 42]);
    cap.release();
    await waitFor(() => server.stats().exports === 0);
    assert.deepEqual(client.stats(), { questions: 0, answers: 0, exports: 0, imports: 0 });
    assert.equal(root.released, 0); // the bootstrap object lives as long as the connection
    client.close();
    await server.closed;
    assert.equal(root.released, 1);
  });

  it('pipelines a call on a capability inside a pending answer and reuses question ids', async () => {
    const { client, server } = await pair(new Calc('root'));
    const root = client.bootstrap();
    const req = root.newCall(CALC, 1, 0, 0);
    const pending = req.send(() => undefined);
    const child = pending.pipeline(0);
    assert.equal(await add(child, 1, 1), 2);
    await pending;
    assert.equal(await add(child, 2, 2), 4); // now on the resolved import
    child.release();
    await waitFor(() => server.stats().exports === 1); // only the bootstrap export is left
    root.release();
    await waitFor(() => server.stats().exports === 0);
    client.close();
  });

  it('returns exceptions as std::exception FAILED and unknown methods as UNIMPLEMENTED', async () => {
    const { client } = await pair(new Calc('root'));
    const cap = client.bootstrap();
    await assert.rejects(add(cap, 13, 0), (e: unknown) => e instanceof RpcError && e.type === 'failed' &&
      e.reason === 'std::exception: unlucky' && e.message === 'remote exception: std::exception: unlucky');
    const req = cap.newCall(CALC, 9, 0, 0);
    await assert.rejects(req.send(() => 0), (e: unknown) => e instanceof RpcError && e.type === 'unimplemented' &&
      /Calc/.test(e.reason) && /methodId = 9/.test(e.reason));
    assert.equal(await add(cap, 1, 2), 3); // connection still usable
    cap.release();
    client.close();
  });

  it('passes a client-hosted capability (callback) and counts references exactly', async () => {
    const { client, server } = await pair(new Calc('root'));
    const cb = new Calc('callback');
    const cap = client.bootstrap();
    for (let i = 0; i < 3; i++) {
      const req = cap.newCall(CALC, 2, 1, 1);
      req.params.setCapability(0, req.addCap(cb));
      req.params.setInt32(0, 5 + i);
      assert.equal(await req.send((r) => r.results.getInt32(0)), (6 + i) * 10);
    }
    // The server released the callback after each call: nothing left exported on the client.
    await waitFor(() => client.stats().exports === 0);
    assert.equal(cb.released, 3);
    assert.equal(server.stats().imports, 0);
    cap.release();
    client.close();
  });

  it('resolves receiverHosted / receiverAnswer capabilities back to local objects', async () => {
    const { client, server } = await pair(new Calc('root'));
    const root = client.bootstrap();
    const childCall = root.newCall(CALC, 1, 0, 0).send(() => undefined);
    const child = childCall.pipeline(0);
    // identity(child) while child is still a promise: sent as receiverAnswer; the result comes back as
    // receiverHosted of the server's export, i.e. an import on our side.
    const req = root.newCall(CALC, 4, 0, 1);
    req.params.setCapability(0, req.addCap(child));
    const same = await req.send((r) => r.cap(r.results.getCapability(0)));
    assert.ok(same);
    assert.equal(await add(same, 20, 1), 21);
    same.release();
    child.release();
    root.release();
    await waitFor(() => server.stats().exports === 0 && client.stats().imports === 0);
    client.close();
  });

  it('Finish before Return aborts the server method (AbortSignal) and disconnect fails pending calls', async () => {
    const root = new Calc('root');
    const { client, server } = await pair(root);
    const cap = client.bootstrap();
    const pending = cap.newCall(CALC, 3, 0, 0).send(() => undefined);
    await waitFor(() => root.lastSignal !== null);
    assert.equal(root.lastSignal!.aborted, false);
    client.close();
    await assert.rejects(pending, (e: unknown) => e instanceof RpcError && e.type === 'disconnected');
    await server.closed;
    assert.equal(root.lastSignal!.aborted, true);
    await assert.rejects(add(cap, 1, 1), (e: unknown) => e instanceof RpcError && e.type === 'disconnected');
    await sleep(1);
  });

  it('sends and receives Abort; a pipelined capability released early leaks nothing', async () => {
    const { client, server } = await pair(new Calc('root'));
    const root = client.bootstrap();
    const pending = root.newCall(CALC, 1, 0, 0).send(() => undefined);
    pending.pipeline(0).release(); // dropped before the answer arrives
    await pending;
    await waitFor(() => server.stats().exports === 1 && client.stats().imports === 1);
    client.close(new Error('going away'));
    const why = await server.closed;
    assert.ok(why instanceof RpcError && why.remote && why.reason === 'std::exception: going away', String(why));
    root.release();
  });

  it('calls a local capability without a connection', async () => {
    const cap = Capability.fromServer(new Calc('local'));
    assert.equal(await add(cap, 3, 4), 7);
    cap.release();
  });
});
