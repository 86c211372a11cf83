// ConnectTip's work while script workers verify: the next block read ahead (with its context-free checks) and the
// undo bytes serialized early. A reindex with a worker pool must end exactly where connecting block by block did.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import { Block } from '../../../src/primitives/block.js';
import type { Transaction } from '../../../src/primitives/transaction.js';
import { ScriptCheckQueue } from '../../../src/script/check_queue.js';
import { BlockReadAhead } from '../../../src/node/block_readahead.js';
import { BlockIndex } from '../../../src/node/chain.js';
import type { CoinsCache } from '../../../src/node/chainstate_api.js';
import { connectBlock } from '../../../src/node/connect_block.js';
import type { BlockUndo } from '../../../src/node/undo.js';
import { ChainstateBlockConnector } from '../../../src/node/validation_connector.js';
import type { ChainstateManager } from '../../../src/node/validation.js';
import { NodeClock } from '../../../src/util/time.js';
import { regenerateCommitments } from '../../../src/node/miner_commitment.js';
import { TestChain, mineBlock, utxosOf } from '../../../bench/lib/connect_chain.js';
import { coinSet, open, params, tamper, testLogger } from './chain_helpers.js';

let queue: ScriptCheckQueue;
before(() => {
  queue = new ScriptCheckQueue({ workers: 1 });
});
after(async () => {
  await queue.close();
});

/** Counts the blocks read ahead: precheckBlock is only called for those. */
class CountingConnector extends ChainstateBlockConnector {
  prechecked: string[] = [];
  override precheckBlock(block: Block): boolean {
    this.prechecked.push(block.header.hashHex());
    return super.precheckBlock(block);
  }

  postedAhead: string[] = [];
  override postScriptsAhead(block: Block, index: BlockIndex, view: CoinsCache): void {
    this.postedAhead.push(index.hashHex);
    super.postScriptsAhead(block, index, view);
  }
}


/**
 * 101 blocks, a fan-out into 24 outputs, then 4 blocks of 6 signed one-input spends each, oldest first. With
 * `badFromTip` (1 for the tip), that block's third spend carries a signature that does not sign it.
 */
async function signedChain(badFromTip?: number): Promise<Block[]> {
  const chain = await TestChain.create(101);
  const fan = chain.spend([chain.matureCoinbases()[0]!], Array.from({ length: 6 }, () => ['p2wpkh', 'p2pkh', 'p2tr', 'p2tr-script'] as const).flat());
  await chain.mine([fan]);
  const utxos = utxosOf(fan);
  for (let b = 0; b < 4; b++) await chain.mine(utxos.slice(6 * b, 6 * b + 6).map((u) => chain.spend([u], ['p2tr'])));
  const made: Block[] = [];
  for (let i: BlockIndex | undefined = chain.tip; i && i.height > 0; i = i.prev) made.unshift(chain.blocks.get(i.hashHex)!);
  // TestChain connects without contextual checks: blocks with witness data get their commitment here (their
  // coinbases are never spent, so no later transaction changes), and every header is mined again on the new parent.
  const blocks: Block[] = [];
  let prev = new BlockIndex(params.genesis.header, undefined);
  if (badFromTip !== undefined) {
    const k = made.length - badFromTip;
    const vtx = [...made[k]!.vtx];
    vtx[3] = tamper(vtx[3]!);
    made[k] = new Block(made[k]!.header, vtx);
  }
  for (const block of made) {
    const vtx = block.vtx.some((tx) => tx.hasWitness()) ? regenerateCommitments(block, prev, params.consensus).vtx : block.vtx;
    const mined = mineBlock([...vtx], prev, params, { time: block.header.time });
    blocks.push(mined);
    prev = new BlockIndex(mined.header, prev);
  }
  return blocks;
}

function clock(): NodeClock {
  const c = new NodeClock();
  c.setMockTime(params.genesis.header.time + 200 * 600);
  return c;
}

function openWith(dir: string, connector: ChainstateBlockConnector, reindex: boolean, logger = testLogger().logger): Promise<ChainstateManager> {
  return open(dir, { clock: clock(), connector, reindex, logger });
}

describe('script workers and the connecting thread', () => {
  it('a block read ahead is taken once, by its own index; a failed read throws where the read would have been', () => {
    const ahead = new BlockReadAhead();
    const a = new BlockIndex(params.genesis.header, undefined);
    const b = new BlockIndex(params.genesis.header, undefined);
    ahead.load(a, () => params.genesis);
    assert.equal(ahead.take(b), undefined, 'another index got the block');
    assert.equal(ahead.take(a), undefined, 'a mismatched take must drop the block');
    ahead.load(a, () => params.genesis);
    assert.equal(ahead.take(a), params.genesis);
    assert.equal(ahead.take(a), undefined);
    const error = new Error('OpenBlockFile failed');
    ahead.load(a, () => {
      throw error;
    });
    assert.equal(ahead.take(b), undefined, 'the error belongs to the block that failed to read');
    ahead.load(a, () => {
      throw error;
    });
    assert.throws(() => ahead.take(a), (e) => e === error);
  });

  it('ConnectBlock gives the caller its undo data while workers verify, and only then', async () => {
    const chain = await TestChain.create(101);
    const fan = chain.spend([chain.matureCoinbases()[0]!], Array.from({ length: 8 }, () => 'p2wpkh' as const));
    await chain.mine([fan]);
    const { block, index } = chain.makeBlock(utxosOf(fan).map((u) => chain.spend([u], ['p2tr'])));
    const seen: BlockUndo[] = [];
    const during = (undo: BlockUndo): void => {
      seen.push(undo);
    };
    const pooled = await connectBlock(block, index, chain.view.clone(), { params, scriptQueue: queue, scriptChunkInputs: 4 }, during);
    assert.ok(pooled.ok);
    assert.equal(seen.length, 1);
    assert.equal(seen[0], pooled.undo, 'the caller must get the undo object the result carries');
    const inline = await connectBlock(block, index, chain.view.clone(), { params }, during);
    const keptBack = await connectBlock(block, index, chain.view.clone(), { params, scriptQueue: queue, scriptChunkInputs: 100 }, during);
    assert.ok(inline.ok && keptBack.ok);
    assert.equal(seen.length, 1, 'called although no script went to a worker');
  });

  it('-reindex with a worker pool reads blocks ahead and ends as connecting inline did: same coins, byte-identical undo files', async () => {
    const blocks = await signedChain();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smithcoin-readahead-'));
    try {
      // Scripts inline first (-par=1): undo data is serialized as it is written, with nothing read ahead.
      const first = await openWith(dir, new ChainstateBlockConnector({ params }), false);
      for (const block of blocks) {
        const r = await first.processNewBlock(block, { forceProcessing: true, minPowChecked: true });
        assert.ok(r.accepted, r.state.toString());
      }
      assert.equal(first.chain.height(), blocks.length);
      const coins = coinSet(first);
      first.close();
      const rev = path.join(dir, 'blocks', 'rev00000.dat');
      const undoBytes = fs.readFileSync(rev);

      const connector = new CountingConnector({ params, scriptQueue: queue, scriptChunkInputs: 4 });
      const { logger, lines } = testLogger();
      const second = await openWith(dir, connector, true, logger);
      assert.equal(second.chain.height(), blocks.length);
      // Core's line once, at the first block whose scripts are checked (the reason never changes after it).
      assert.deepEqual(lines.filter((l) => l.includes('script verification')),
        [`Enabling script verification at block #1 (${blocks[0]!.header.hashHex()}): assumevalid=0 (always verify).`]);
      assert.deepEqual(coinSet(second), coins);
      // Read ahead: each block that follows one whose scripts went to the workers (the last three spend blocks).
      assert.deepEqual(connector.prechecked, blocks.slice(-3).map((b) => b.header.hashHex()));
      // And their script checks posted while the block before them was verified.
      assert.deepEqual(connector.postedAhead, blocks.slice(-3).map((b) => b.header.hashHex()));
      second.close();
      assert.ok(fs.readFileSync(rev).equals(undoBytes), 'the reindex wrote different undo data');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('-reindex with a worker pool stops at a block whose scripts fail although its checks were posted ahead', async () => {
    const blocks = await signedChain(2);
    const bad = blocks[blocks.length - 2]!;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smithcoin-readahead-bad-'));
    try {
      const first = await openWith(dir, new ChainstateBlockConnector({ params }), false);
      for (const block of blocks.slice(0, -1)) await first.processNewBlock(block, { forceProcessing: true, minPowChecked: true });
      assert.equal(first.chain.height(), blocks.length - 2, 'the bad block was connected');
      const coins = coinSet(first);
      first.close();

      const connector = new CountingConnector({ params, scriptQueue: queue, scriptChunkInputs: 4 });
      const { logger, lines } = testLogger();
      const second = await openWith(dir, connector, true, logger);
      assert.equal(second.chain.height(), blocks.length - 2);
      assert.deepEqual(coinSet(second), coins);
      assert.ok(connector.postedAhead.includes(bad.header.hashHex()), "the bad block's checks were not posted ahead");
      assert.ok(lines.some((l) => l.includes(`ConnectTip: ConnectBlock ${bad.header.hashHex()} failed, block-script-verify-flag-failed (`)), lines.join('\n'));
      second.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
