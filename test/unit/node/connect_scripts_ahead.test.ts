// The next block's script checks posted while the current block's are verified: ConnectBlock uses their results
// only for the same transaction, flags and spent outputs, reports failures exactly as without them, and a dropped
// post leaves nothing running.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { type Transaction, TxOut } from '../../../src/primitives/transaction.js';
import { ScriptCheckQueue } from '../../../src/script/check_queue.js';
import { SCRIPT_VERIFY_NONE } from '../../../src/script/verify_flags.js';
import { type ConnectBlockResult, connectBlock } from '../../../src/node/connect_block.js';
import { getBlockScriptFlags } from '../../../src/node/connect_flags.js';
import { postScriptsAhead } from '../../../src/node/connect_scripts_ahead.js';
import { TestChain, type Utxo, utxosOf } from '../../../bench/lib/connect_chain.js';
import { tamper } from './chain_helpers.js';

let queue: ScriptCheckQueue;
let posts = 0;
let counting: ScriptCheckQueue;
before(() => {
  queue = new ScriptCheckQueue({ workers: 1 });
  counting = Object.create(queue) as ScriptCheckQueue;
  counting.post = (...args) => {
    posts++;
    return queue.post(...args);
  };
});
after(async () => {
  await queue.close();
});


function summary(r: ConnectBlockResult): unknown {
  if (!r.ok) return { reason: r.state.getRejectReason(), debug: r.state.getDebugMessage(), result: r.state.getResult() };
  return { undo: r.undo, fees: r.fees, sigops: r.sigops, inputs: r.inputs, checked: r.scriptsChecked };
}

/** 101 blocks and a confirmed fan-out into 4 × `perKind` outputs; then one-input spends of each, and a child. */
async function spends(perKind: number): Promise<{ chain: TestChain; txs: Transaction[] }> {
  const chain = await TestChain.create(101);
  const kinds = Array.from({ length: perKind }, () => ['p2wpkh', 'p2pkh', 'p2tr', 'p2tr-script'] as const).flat();
  const fan = chain.spend([chain.matureCoinbases()[0]!], kinds);
  await chain.mine([fan]);
  const txs = utxosOf(fan).map((u: Utxo, i) => chain.spend([u], [kinds[(i + 1) % kinds.length]!]));
  // A spend of an output made earlier in the same block: posted with that output, found in the block itself.
  txs.push(chain.spend(utxosOf(txs[0]!), ['p2wpkh']));
  return { chain, txs };
}

describe('script checks posted ahead of their block', () => {
  it('are used by the block they were posted for: no checks queued again, the same result as without them', async () => {
    const { chain, txs } = await spends(4);
    const { block, index } = chain.makeBlock(txs);
    const ctx = { params: chain.params, scriptQueue: counting };
    const plain = await connectBlock(block, index, chain.view.clone(), { params: chain.params });
    const flags = getBlockScriptFlags(index, chain.params.consensus);
    const ahead = postScriptsAhead(block, index, chain.view.clone(), flags, counting)!;
    assert.ok(ahead, 'nothing was posted');
    const before = posts;
    const r = await connectBlock(block, index, chain.view.clone(), ctx, undefined, ahead);
    assert.deepEqual(summary(r), summary(plain));
    assert.equal(ahead.usedCount, txs.length, 'a transaction was queued again instead');
    assert.equal(posts, before, 'ConnectBlock posted checks although all were posted ahead');
  });

  it("report the first failing transaction in block order with Core's texts, wherever it is", async () => {
    const { chain, txs } = await spends(3);
    for (const badAt of [[0], [6], [txs.length - 2], [3, 9]]) {
      const bad = [...txs];
      for (const i of badAt) bad[i] = tamper(txs[i]!);
      const { block, index } = chain.makeBlock(bad);
      // Against the pool without posting ahead: with a pool, the loop goes on past a failing script (as Core's
      // does), so a later non-script failure can come first.
      const plain = await connectBlock(block, index, chain.view.clone(), { params: chain.params, scriptQueue: queue });
      assert.equal(plain.ok, false);
      const ahead = postScriptsAhead(block, index, chain.view.clone(), getBlockScriptFlags(index, chain.params.consensus), queue)!;
      const r = await connectBlock(block, index, chain.view.clone(), { params: chain.params, scriptQueue: queue }, undefined, ahead);
      assert.deepEqual(summary(r), summary(plain), `bad at ${badAt.join(',')}`);
      assert.ok(ahead.usedCount > 0);
      // Tampering with the first transaction also takes the coin the block's last one spends.
      if (badAt[0] !== 0) assert.match(String((summary(r) as { reason: string }).reason), /^block-script-verify-flag-failed \(/);
    }
  });

  it('are not used for other flags or other spent outputs; from that transaction on, the block queues its own', async () => {
    const { chain, txs } = await spends(2);
    const { block, index } = chain.makeBlock(txs);
    const view = chain.view.clone();
    const flags = getBlockScriptFlags(index, chain.params.consensus);
    const spentOf = (tx: Transaction): TxOut[] => tx.vin.map((i) => view.getCoin(i.prevout)!.out);

    const other = postScriptsAhead(block, index, view, flags, queue)!;
    assert.equal(other.take(block.vtx[1]!, spentOf(block.vtx[1]!), SCRIPT_VERIFY_NONE), false, 'used under other flags');
    assert.equal(other.take(block.vtx[2]!, spentOf(block.vtx[2]!), flags), false, 'used after a miss');
    other.discard();

    const changed = postScriptsAhead(block, index, view, flags, queue)!;
    assert.equal(changed.take(block.vtx[1]!, spentOf(block.vtx[1]!), flags), true);
    const [first] = spentOf(block.vtx[2]!);
    assert.equal(changed.take(block.vtx[2]!, [new TxOut(first!.value + 1n, first!.scriptPubKey)], flags), false, 'used for another amount');
    changed.discard();

    // Passing over transactions the script-execution cache vouched for, and a transaction not posted at all.
    const skipping = postScriptsAhead(block, index, view, flags, queue)!;
    assert.equal(skipping.take(block.vtx[3]!, spentOf(block.vtx[3]!), flags), true);
    assert.equal(skipping.take(block.vtx[1]!, spentOf(block.vtx[1]!), flags), false, 'an earlier transaction taken after a later one');
    skipping.discard();

    // Posted on a view that lacks an input's coin: the block's checks stop there, and ConnectBlock queues the rest.
    const partial = chain.view.clone();
    partial.spendCoin(block.vtx[5]!.vin[0]!.prevout);
    const ahead = postScriptsAhead(block, index, partial, flags, queue)!;
    const plain = await connectBlock(block, index, chain.view.clone(), { params: chain.params });
    const r = await connectBlock(block, index, chain.view.clone(), { params: chain.params, scriptQueue: queue }, undefined, ahead);
    assert.deepEqual(summary(r), summary(plain));
    assert.equal(ahead.usedCount, 4, 'the transactions before the missing coin');
  });

  it('dropped, they stop the worker: the jobs it has not started are taken off its list, and the batch settles', async () => {
    const { chain, txs } = await spends(6);
    const { block, index } = chain.makeBlock(txs);
    const flags = getBlockScriptFlags(index, chain.params.consensus);
    const ahead = postScriptsAhead(block, index, chain.view.clone(), flags, queue)!;
    ahead.discard();
    await ahead.settle();
    assert.equal(ahead.take(block.vtx[1]!, [], flags), false, 'taken after being dropped');
    assert.equal(postScriptsAhead(chain.makeBlock([]).block, index, chain.view.clone(), flags, queue), undefined, 'a block without spends posted checks');
  });
});
