// Client-side cancellation: a call given an AbortSignal or a timeout (or PendingCall.cancel) behaves like a C++
// promise being dropped. It rejects at once; Finish (releaseResultCaps) goes out as soon as no capability pipelined
// on the call is held, and the question id stays taken until the callee's Return. Also through generated clients
// (ProxyClient.withCallOptions).
import assert from 'node:assert/strict';
import {
  Capability, Logger, ProxyConnection, RequestCounter, RpcError, TIMED_OUT, type RpcConnection,
} from '../src/index.js';
import { TEXT } from '../src/rpc/errors.js';
import { Control, Gate, M, OBJ, Obj, ping, tappedPair, type Seen, type Tap } from './rpc-finish-helpers.js';
import { socketPair, waitFor } from './rpc-helpers.js';
import { InitClient, Init_construct, makeInitServer, type EchoImplState } from './rpc-test-impl.js';

const canceled = (e: unknown): boolean => e instanceof RpcError && e.type === 'failed' && e.message === TEXT.canceled;
const calls = (tap: Tap): Seen[] => tap.sent.filter((m) => m.type === 'call');
/** Messages of `type` for question `call.id` in `list` after `call`, up to the id's next call (ids are reused). */
function after(list: Seen[], call: Seen, type: string): Seen[] {
  const out: Seen[] = [];
  for (const m of list.slice(list.indexOf(call) + 1)) {
    if (m.id !== call.id) continue;
    if (m.type === 'call') break;
    if (m.type === type) out.push(m);
  }
  return out;
}

describe('rpc cancellation (client side)', () => {
  const conns: RpcConnection[] = [];
  afterEach(() => { for (const c of conns.splice(0)) c.close(); });

  async function setup(): Promise<{ ctl: Control; root: Capability; clientTap: Tap; serverTap: Tap;
    client: RpcConnection; server: RpcConnection }> {
    const ctl = new Control();
    const p = await tappedPair(new Obj('root', ctl));
    conns.push(p.client, p.server);
    const root = p.client.bootstrap();
    await root.whenResolved();
    return { ctl, root, ...p };
  }

  it('an aborted signal rejects with its reason and sends Finish; the id stays taken until the Return', async () => {
    const { ctl, root, clientTap, serverTap, client } = await setup();
    const ac = new AbortController();
    const held = root.newCall(OBJ, M.hold, 0, 0).send(() => undefined, { signal: ac.signal });
    await waitFor(() => ctl.events.includes('root: hold started'));
    clientTap.hold(); // keep the server's Return from the client for a while
    const serverSent = serverTap.sent.length;
    const why = new Error('stop');
    ac.abort(why);
    await assert.rejects(held, (e: unknown) => e === why);
    const holdCall = calls(clientTap).at(-1)!;
    const holdId = holdCall.id;
    assert.deepEqual(after(clientTap.sent, holdCall, 'finish'), [{ type: 'finish', id: holdId, releaseResultCaps: true }]);
    await waitFor(() => serverTap.sent.length > serverSent);
    assert.deepEqual(serverTap.sent.slice(serverSent), [{ type: 'return', id: holdId, ret: 'canceled' }]);
    assert.equal(ctl.signal('root.hold').aborted, true);

    const during = ping(root, 1); // the canceled call's Return has not been read: its id must not be reused
    assert.notEqual(calls(clientTap).at(-1)!.id, holdId);
    clientTap.deliver();
    assert.equal(await during, 2);
    assert.equal(await ping(root, 2), 3);
    assert.equal(calls(clientTap).at(-1)!.id, holdId); // free again once the Return came
    // No second Finish for the canceled question when its Return came.
    assert.equal(after(clientTap.sent, holdCall, 'finish').length, 1);
    assert.equal(client.stats().questions, 0);
  });

  it('a pipelined capability still held delays the Finish; calls on it keep working', async () => {
    const { ctl, root, clientTap, serverTap } = await setup();
    ctl.makeGate = new Gate();
    const made = root.newCall(OBJ, M.make, 0, 0).send(() => undefined);
    const child = made.pipeline(0);
    const pinged = ping(child, 41);
    made.cancel();
    await assert.rejects(made, canceled);
    assert.equal(await ping(root, 0), 1); // a round trip: the server has seen everything sent so far
    const makeCall = calls(clientTap)[0]!;
    const makeId = makeCall.id;
    assert.deepEqual(after(clientTap.sent, makeCall, 'finish'), [], 'Finish sent while a pipelined cap is held');

    const received = serverTap.received.length;
    child.release(); // the last reference to anything of the call: now the callee is told
    assert.deepEqual(after(clientTap.sent, makeCall, 'finish'), [{ type: 'finish', id: makeId, releaseResultCaps: true }]);
    await waitFor(() => serverTap.received.slice(received).some((m) => m.type === 'finish' && m.id === makeId));
    assert.equal(ctl.signal('root.make').aborted, false, 'a call is pipelined on make: it must not be canceled');
    ctl.makeGate.open();
    assert.equal(await pinged, 42);
    await waitFor(() => ctl.objects.get('root.child1')?.released === 1);
  });

  it('a canceled call still resolves the capabilities pipelined on it when its results come', async () => {
    const { ctl, root, clientTap, client, server } = await setup();
    // decode would take a reference nobody releases: it must not run for a canceled call.
    const made = root.newCall(OBJ, M.make, 0, 0).send((r) => r.cap(0));
    const child = made.pipeline(0);
    made.cancel(new Error('not interested'));
    await assert.rejects(made, /not interested/);
    await child.whenResolved();
    assert.equal(await ping(child, 1), 2);
    // The Return was read: Finish as usual (without releaseResultCaps), then Release when the child goes.
    const makeCall = calls(clientTap)[0]!;
    assert.deepEqual(after(clientTap.sent, makeCall, 'finish'), [{ type: 'finish', id: makeCall.id, releaseResultCaps: false }]);
    child.release();
    await waitFor(() => ctl.objects.get('root.child1')?.released === 1);
    assert.equal(client.stats().imports, 1); // the bootstrap
    assert.equal(server.stats().exports, 1);
  });

  it('a signal aborted before send: nothing is sent and the params capabilities are released', async () => {
    const { ctl, root, clientTap } = await setup();
    const param = new Obj('param', ctl);
    const req = root.newCall(OBJ, M.useCap, 0, 1);
    req.params.setCapability(0, req.addCap(param));
    const why = new Error('too late');
    const p = req.send(() => undefined, { signal: AbortSignal.abort(why) });
    await assert.rejects(p, (e: unknown) => e === why);
    assert.deepEqual(calls(clientTap), []);
    assert.equal(param.released, 1);
  });

  it('a timeout rejects with OVERLOADED "operation timed out" and the server method is aborted', async () => {
    const { ctl, root, client } = await setup();
    const held = root.newCall(OBJ, M.hold, 0, 0).send(() => undefined, { timeout: 20 });
    await assert.rejects(held, (e: unknown) => e instanceof RpcError && e.type === 'overloaded' && e.message === TIMED_OUT);
    await waitFor(() => ctl.signal('root.hold').aborted);
    await waitFor(() => client.stats().questions === 0);
  });

  it('a local call: cancel aborts the method; a released capability lives until the call ends', async () => {
    const ctl = new Control();
    const obj = new Obj('local', ctl);
    const cap = Capability.fromServer(obj);
    const ac = new AbortController();
    const held = cap.newCall(OBJ, M.hold, 0, 0).send(() => undefined, { signal: ac.signal });
    cap.release();
    await waitFor(() => ctl.events.includes('local: hold started'));
    assert.equal(obj.released, 0);
    ac.abort(new Error('bye'));
    await assert.rejects(held, /bye/);
    assert.equal(ctl.signal('local.hold').aborted, true);
    await waitFor(() => obj.released === 1);
  });

  it('a call the server forwarded to a third party is canceled there too', async () => {
    // A -> B -> C: B hands A a capability it imported from C, so A's calls on it are forwarded by B.
    const ctlC = new Control();
    const bc = await tappedPair(new Obj('c', ctlC));
    const ctlB = new Control();
    ctlB.relay = bc.client.bootstrap();
    const ab = await tappedPair(new Obj('b', ctlB));
    conns.push(bc.client, bc.server, ab.client, ab.server);
    const relayed = await ab.client.bootstrap().newCall(OBJ, M.relay, 0, 0).send((r) => r.cap(0)!);
    const ac = new AbortController();
    const held = relayed.newCall(OBJ, M.hold, 0, 0).send(() => undefined, { signal: ac.signal });
    await waitFor(() => ctlC.events.includes('c: hold started'));
    ac.abort(new Error('stop'));
    await assert.rejects(held, /stop/);
    await waitFor(() => ctlC.signal('c.hold').aborted);
    assert.deepEqual(bc.clientTap.sent.filter((m) => m.type === 'finish').at(-1)?.releaseResultCaps, true);
    relayed.release();
  });

  it('generated clients: withCallOptions cancels by signal or timeout, on any lane', async () => {
    const [a, b] = await socketPair();
    const lines: string[] = [];
    const log = new Logger({ logFn: (l, m) => lines.push(`${l} ${m}`), logLevel: 'info', exeName: 'test' },
      new RequestCounter());
    const state: EchoImplState = { destroyed: 0, signals: [], order: [] };
    const server = ProxyConnection.serve(b, (conn) => makeInitServer(conn, state), { log });
    const client = ProxyConnection.connect(a, { log });
    conns.push(client.rpc, server.rpc);
    const init = client.bootstrap((cap, conn) => new InitClient(cap, conn));
    void client.construct(init.$cap, Init_construct);
    const echo = await init.makeEchoAwaited();

    const ac = new AbortController();
    const waiting = echo.withCallOptions({ signal: ac.signal }).wait(60_000, 'signal');
    await waitFor(() => state.signals.length === 1);
    ac.abort(new Error('user gave up'));
    await assert.rejects(waiting, /user gave up/);
    await waitFor(() => state.signals[0]!.aborted);
    await waitFor(() => lines.some((l) => /IPC server request #\d+ canceled while executing\.$/.test(l)));

    const lane = client.makeThread('other');
    const timed = echo.withThread(lane).withCallOptions({ timeout: 10 }).wait(60_000, 'timeout');
    await assert.rejects(timed, (e: unknown) => e instanceof RpcError && e.type === 'overloaded');
    await waitFor(() => state.signals.length === 2 && state.signals[1]!.aborted);
    // The views do not change the client they came from.
    assert.equal(await echo.echo('still fine'), 'still fine');
  });
});
