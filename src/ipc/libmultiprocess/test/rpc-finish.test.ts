// The server side of Finish and Release, driven by a raw peer with hand-built frames so that every message arrives
// exactly when the test says. rpc.capnp: on Finish the callee may cancel the call only if nothing else cares about
// its results (no call pipelined on it), and the question id may no longer be used; a capability released by its
// caller (Release, or Finish with releaseResultCaps) lives on while a call on it is still running.
import assert from 'node:assert/strict';
import { Capability, type RpcConnection } from '../src/index.js';
import { TEXT } from '../src/rpc/errors.js';
import { encodeFinish, encodeRelease, type Target } from '../src/rpc/messages.js';
import { Control, Gate, M, OBJ, Obj, rawPair, type RawPeer } from './rpc-finish-helpers.js';
import { waitFor } from './rpc-helpers.js';

/** Bootstraps `peer` (question 0) and returns the target for calls on the bootstrap Obj. */
async function bootstrap(peer: RawPeer): Promise<Target> {
  peer.bootstrap(0);
  const r = await peer.returnFor(0);
  const d = r.caps[0]!;
  assert.equal(d.kind, 'senderHosted');
  return { kind: 'imported', id: (d as { id: number }).id };
}

const onAnswer = (questionId: number): Target => ({ kind: 'answer', questionId, path: [0] });

describe('rpc Finish and Release (server side)', () => {
  const closers: (() => void)[] = [];
  afterEach(() => { for (const c of closers.splice(0)) c(); });

  async function setup(): Promise<{ ctl: Control; peer: RawPeer; root: Target; server: RpcConnection }> {
    const ctl = new Control();
    const { server, peer } = await rawPair(new Obj('root', ctl));
    closers.push(() => { peer.close(); server.close(); });
    return { ctl, peer, root: await bootstrap(peer), server };
  }

  it('Finish before Return: a call pipelined before it still gets the results, a later one fails', async () => {
    const { ctl, peer, root, server } = await setup();
    ctl.makeGate = new Gate();
    peer.call(1, root, M.make);
    peer.call(2, onAnswer(1), M.ping, { x: 41 });
    peer.send(encodeFinish(1, true)); // what a C++ client sends when it drops the promise of question 1
    peer.call(3, onAnswer(1), M.ping, { x: 1 }); // after Finish, question 1 is not the peer's to name any more
    const late = await peer.returnFor(3);
    assert.deepEqual([late.ret, late.reason], ['exception', TEXT.badPipeline]);
    assert.equal(ctl.signal('root.make').aborted, false, 'make was canceled although a call is pipelined on it');

    ctl.makeGate.open();
    assert.equal((await peer.returnFor(1)).ret, 'canceled'); // no results after Finish, as Cap'n Proto does
    const pinged = await peer.returnFor(2);
    assert.equal(pinged.ret, 'results', pinged.reason);
    assert.equal(pinged.results!.getInt32(0), 42);
    // The child was never exported: it goes once the pipelined call is over.
    assert.deepEqual([...ctl.objects.values()].map((o) => [o.name, o.released]), [['root', 0], ['root.child1', 1]]);

    peer.send(encodeFinish(2, true));
    peer.send(encodeFinish(3, true));
    // Only the bootstrap's answer and export are left.
    await waitFor(() => server.stats().answers === 1);
    assert.deepEqual(server.stats(), { questions: 0, answers: 1, exports: 1, imports: 0 });
  });

  it('runningCalls counts the calls not yet returned, not the returned ones waiting for Finish', async () => {
    const { ctl, peer, root, server } = await setup();
    // The bootstrap returned and was never finished, as a C++ client that keeps the bootstrap capability does.
    assert.deepEqual([server.stats().answers, server.runningCalls()], [1, 0]);
    peer.call(1, root, M.make);
    await peer.returnFor(1); // returned, no Finish
    peer.call(2, root, M.hold);
    await waitFor(() => ctl.events.includes('root: hold started'));
    assert.deepEqual([server.stats().answers, server.runningCalls()], [3, 1]);
    ctl.holdGate.open();
    assert.equal((await peer.returnFor(2)).ret, 'results');
    assert.deepEqual([server.stats().answers, server.runningCalls()], [3, 0]);
  });

  it('Finish before Return with nothing pipelined aborts the method, which returns canceled', async () => {
    const { ctl, peer, root } = await setup();
    peer.call(1, root, M.hold);
    await waitFor(() => ctl.events.includes('root: hold started'));
    peer.send(encodeFinish(1, true));
    assert.equal((await peer.returnFor(1)).ret, 'canceled');
    assert.equal(ctl.signal('root.hold').aborted, true);
  });

  it('a promise passed as receiverAnswer keeps a finished call running; releasing it cancels the call', async () => {
    const { ctl, peer, root } = await setup();
    // useCap gets question 1's future result as a parameter and pings it once it resolves.
    ctl.makeGate = new Gate();
    peer.call(1, root, M.make);
    peer.call(2, root, M.useCap, { cap: { kind: 'receiverAnswer', questionId: 1, path: [0] } });
    peer.send(encodeFinish(1, true));
    await peer.sync(3, root);
    assert.equal(ctl.signal('root.make').aborted, false);
    ctl.makeGate.open();
    assert.equal((await peer.returnFor(1)).ret, 'canceled');
    const used = await peer.returnFor(2);
    assert.equal(used.ret, 'results', used.reason);
    assert.equal(used.results!.getInt32(0), 2);
    // The promise held its own reference: the child lived until useCap was done with it.
    assert.deepEqual(ctl.events.filter((e) => e.startsWith('root.child1')), ['root.child1: ping', 'root.child1: released']);
    peer.send(encodeFinish(2, true));

    // dropCap holds the promise without using it; once it returns (releasing its params), nothing needs make.
    ctl.makeGate = new Gate();
    peer.call(4, root, M.make);
    peer.call(5, root, M.dropCap, { cap: { kind: 'receiverAnswer', questionId: 4, path: [0] } });
    peer.send(encodeFinish(4, true));
    await peer.sync(3, root);
    const make = ctl.signal('root.make');
    assert.equal(make.aborted, false);
    ctl.dropGate.open();
    assert.equal((await peer.returnFor(5)).ret, 'results');
    assert.equal(make.aborted, true, 'make went on although nothing wanted its results');
    ctl.makeGate.open();
    assert.equal((await peer.returnFor(4)).ret, 'canceled');
  });

  it('Finish(releaseResultCaps) after the Return keeps the object alive while a pipelined call on it runs', async () => {
    const { ctl, peer, root, server } = await setup();
    peer.call(1, root, M.make);
    const made = await peer.returnFor(1);
    assert.equal(made.caps[0]!.kind, 'senderHosted');
    peer.call(2, onAnswer(1), M.hold);
    await waitFor(() => ctl.events.includes('root.child1: hold started'));
    peer.send(encodeFinish(1, true)); // the race a C++ client loses when it drops the promise as the Return comes
    await peer.sync(3, root);
    assert.equal(server.stats().exports, 1, 'the child is still exported');
    const child = ctl.objects.get('root.child1')!;
    assert.equal(child.released, 0, 'released while a call on it runs');
    ctl.holdGate.open();
    assert.equal((await peer.returnFor(2)).ret, 'results');
    assert.deepEqual(ctl.events.slice(-2), ['root.child1: hold returned', 'root.child1: released']);
  });

  it('Release while a call on the object runs keeps it until the call is over', async () => {
    const { ctl, peer, root } = await setup();
    peer.call(1, root, M.make);
    const made = await peer.returnFor(1);
    const childId = (made.caps[0] as { id: number }).id;
    peer.send(encodeFinish(1, false)); // keep the import, as a C++ client does after reading the results
    peer.call(2, { kind: 'imported', id: childId }, M.hold);
    await waitFor(() => ctl.events.includes('root.child1: hold started'));
    peer.send(encodeRelease(childId, 1));
    await peer.sync(3, root);
    assert.equal(ctl.objects.get('root.child1')!.released, 0, 'released while a call on it runs');
    ctl.holdGate.open();
    assert.equal((await peer.returnFor(2)).ret, 'results');
    assert.deepEqual(ctl.events.slice(-2), ['root.child1: hold returned', 'root.child1: released']);
  });

  it('a local call keeps its object alive after the caller released the capability', async () => {
    const ctl = new Control();
    const obj = new Obj('local', ctl);
    const cap = Capability.fromServer(obj);
    const held = cap.newCall(OBJ, M.hold, 0, 0).send(() => undefined);
    cap.release();
    await waitFor(() => ctl.events.includes('local: hold started'));
    assert.equal(obj.released, 0);
    ctl.holdGate.open();
    await held;
    assert.deepEqual(ctl.events, ['local: hold started', 'local: hold returned', 'local: released']);
  });
});
