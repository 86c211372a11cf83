// TipNotifier, the wake-up source of the mining waits: deadlines beyond one timer's range, abort, and wake-ups.
import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { ShutdownSignal } from '../../../src/node/context.js';
import { TipNotifier } from '../../../src/node/interfaces_wait.js';
import { fakeChainman } from '../../../bench/lib/fake_chainman.js';

describe('ipc_node: TipNotifier', () => {
  it('waits past the range of one timer without overflowing it, and ends on abort with its reason', async () => {
    const n = new TipNotifier(fakeChainman(), new ShutdownSignal());
    const warnings: string[] = [];
    const onWarning = (w: Error): void => { warnings.push(w.name); };
    process.on('warning', onWarning);
    try {
      const ac = new AbortController();
      const waiting = n.waitUntil(() => false, performance.now() + 2 ** 40, ac.signal);
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(n.pending, 1);
      const reason = new Error('client gone');
      ac.abort(reason);
      await assert.rejects(waiting, (e) => e === reason);
      assert.equal(n.pending, 0);
      assert.deepEqual(warnings, []);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('re-checks every waiter on notifyAll and on shutdown; the condition at the deadline decides', async () => {
    const shutdown = new ShutdownSignal();
    const n = new TipNotifier(fakeChainman(), shutdown);
    let flag = false;
    const woken = n.waitUntil(() => flag, Infinity);
    const atShutdown = n.waitUntil(() => shutdown.requested, Infinity);
    flag = true;
    n.notifyAll();
    assert.equal(await woken, true);
    assert.equal(n.pending, 1);
    shutdown.request();
    assert.equal(await atShutdown, true);
    assert.equal(await n.waitUntil(() => false, performance.now() + 5), false);
    assert.equal(n.pending, 0);
  });
});
