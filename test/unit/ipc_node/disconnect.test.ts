// Waits and disconnects over a real unix socket: a client that goes away during waitTipChanged, waitNext or a
// makeMining that waits for the chainstate ends the wait at once (Core's log lines, no waiter left behind); three
// waitNext calls queued on one thread are all answered by one block; a client may connect before the chainstate
// is loaded.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'mocha';
import { tipNotifierOf } from '../../../src/node/interfaces_wait.js';
import { EMPTY_MEMPOOL } from '../../../src/node/miner_mempool.js';
import { Block } from '../../../src/primitives/block.js';
import { NodeHarness, settledAfter } from './harness.js';

let harness: NodeHarness | undefined;

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; !cond(); i++) {
    assert.ok(i < 1000, 'condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * The lines Core writes for a request that was running when its client went away: the wait ended by the
 * cancellation itself (`interrupted (canceled)`), after the runtime noticed it.
 */
async function assertCanceledWhileRunning(h: NodeHarness): Promise<void> {
  await h.waitForLine(/IPC server: socket disconnected\.$/);
  const canceled = await h.waitForLine(/IPC server request #\d+ canceled while executing\.$/);
  const interrupted = await h.waitForLine(/IPC server request #\d+ interrupted \(canceled\)$/);
  assert.ok(h.lines.indexOf(canceled) < h.lines.indexOf(interrupted), h.lines.join('\n'));
}

describe('ipc_node: waits and disconnects', () => {
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('a client that disconnects during waitTipChanged ends the wait at once', async () => {
    const h = harness = await NodeHarness.start();
    const c = await h.connect();
    const mining = (await c.init.makeMining())!;
    const notifier = tipNotifierOf(h.chainman, h.ctx.shutdown);
    const waiting = mining.waitTipChanged(h.chainman.chain.tip()!.hash);
    await h.waitForLine(/IPC server recv request +#\d+ Mining\.waitTipChanged\$Params$/);
    await until(() => notifier.pending === 1);
    c.socket.destroy();
    await assert.rejects(waiting);
    await assertCanceledWhileRunning(h);
    // No block was needed to end it, and nothing waits any more.
    assert.equal(h.chainman.chain.height(), 0);
    assert.equal(notifier.pending, 0);
  });

  it('a client that disconnects during waitNext ends the wait at once', async () => {
    // Each template built counts; watching fees, waitNext builds one per 1 s tick.
    let builds = 0;
    const h = harness = await NodeHarness.start({ miningMempool: { ...EMPTY_MEMPOOL, startBlockBuilding: () => (builds++, EMPTY_MEMPOOL.startBlockBuilding()) } });
    const c = await h.connect();
    const mining = (await c.init.makeMining())!;
    const t = (await mining.createNewBlock({}, false))!;
    const notifier = tipNotifierOf(h.chainman, h.ctx.shutdown);
    const waiting = t.waitNext({ feeThreshold: 1n });
    await h.waitForLine(/IPC server recv request +#\d+ BlockTemplate\.waitNext\$Params$/);
    await until(() => notifier.pending === 1);
    c.socket.destroy();
    await assert.rejects(waiting);
    await assertCanceledWhileRunning(h);
    assert.equal(notifier.pending, 0);
    // Ended by the disconnect itself, not at the next tick.
    assert.equal(builds, 1);
  });

  it('three waitNext calls queued on one thread are all answered by one block', async () => {
    const h = harness = await NodeHarness.start();
    const { init } = await h.connect();
    const mining = (await init.makeMining())!;
    const t = (await mining.createNewBlock({}, false))!;
    const waits = [t.waitNext({}), t.waitNext({}), t.waitNext({})];
    const posted = (): number => h.lines.filter((l) => /IPC server recv request +#\d+ BlockTemplate\.waitNext\$Params$/.test(l)).length;
    while (posted() < 3) await new Promise((r) => setTimeout(r, 5));
    assert.equal(await settledAfter(Promise.race(waits)), false);
    const b = await h.mineBlock();
    const next = await Promise.all(waits);
    for (const n of next) {
      assert.ok(n !== null);
      assert.deepEqual(Block.fromBytes(await n.getBlock()).header.hashPrevBlock, b.hash);
    }
    assert.equal(h.lines.filter((l) => /IPC server send response #\d+ BlockTemplate\.waitNext\$Results$/.test(l)).length, 3);
  });

  it('a client that connects before the chainstate is loaded gets its Mining once it is', async () => {
    const h = harness = await NodeHarness.start({ unloaded: true });
    const { init } = await h.connect();
    const making = init.makeMining();
    assert.equal(await settledAfter(making), false);
    h.ctx.chainman = h.chainman;
    const mining = await making;
    assert.ok(mining !== null);
    assert.equal((await mining.getTip())!.height, 0);
  });

  it('makeMining waiting for the chainstate: null on shutdown, ended by a disconnect', async () => {
    const h = harness = await NodeHarness.start({ unloaded: true });
    const c = await h.connect();
    const making = c.init.makeMining();
    await h.waitForLine(/IPC server executing request #\d+$/);
    c.socket.destroy();
    await assert.rejects(making);
    await assertCanceledWhileRunning(h);

    const { init } = await h.connect();
    const atShutdown = init.makeMining();
    assert.equal(await settledAfter(atShutdown), false);
    h.ctx.shutdown.request();
    assert.equal(await atShutdown, null);
  });
});
