// The ordered candidate set (Core's setBlockIndexCandidates): order by work, then arrival, then hash; best() and
// pruneLessThan() against a plain model under random operations.

import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { BlockIndexCandidates, candidateLess } from '../../../src/node/block_candidates.js';
import { BlockIndex } from '../../../src/node/chain.js';
import { BlockHeader } from '../../../src/primitives/block.js';

/** A block index with the given work and sequence id (nonce makes the hash unique). */
function entry(work: bigint, sequenceId: number, nonce: number): BlockIndex {
  const e = new BlockIndex(new BlockHeader({ bits: 0x207fffff, nonce }), undefined);
  e.chainWork = work;
  e.sequenceId = sequenceId;
  return e;
}

/** A small deterministic generator, so that a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function sortedModel(model: Set<BlockIndex>): BlockIndex[] {
  return [...model].sort((a, b) => (candidateLess(a, b) ? -1 : candidateLess(b, a) ? 1 : 0));
}

describe('BlockIndexCandidates', () => {
  it('orders by work, then the earlier arrival, then the hash', () => {
    const set = new BlockIndexCandidates();
    const low = entry(10n, 1, 1);
    const highLate = entry(20n, 5, 2);
    const highEarly = entry(20n, 3, 3);
    const sameA = entry(20n, 3, 4);
    for (const e of [highLate, low, sameA, highEarly]) set.add(e);
    assert.equal(set.size, 4);
    const order = [...set];
    assert.deepEqual(order.slice(0, 2), [low, highLate]);
    // Equal work and sequence id: the smaller hash is the better one, as the comparator says.
    assert.equal(candidateLess(order[2]!, order[3]!), true);
    assert.equal(set.best(), order[3]);
    assert.equal(set.has(highEarly) && set.has(sameA), true);
  });

  it('adds a block once, deletes only what it holds, and prunes everything less than the tip', () => {
    const set = new BlockIndexCandidates();
    const blocks = [1n, 2n, 3n, 4n, 5n].map((w, i) => entry(w, 0, i));
    for (const b of blocks) set.add(b).add(b);
    assert.equal(set.size, 5);
    assert.equal(set.delete(entry(3n, 0, 99)), false);
    set.pruneLessThan(blocks[2]!);
    assert.deepEqual([...set], blocks.slice(2));
    assert.equal(set.delete(blocks[2]!), true);
    assert.equal(set.delete(blocks[2]!), false);
    set.pruneLessThan(entry(100n, 0, 100));
    assert.equal(set.size, 0);
    assert.equal(set.best(), undefined);
  });

  it('matches a plain set under random adds, deletes and prunes', () => {
    const next = rng(7);
    const pool = Array.from({ length: 300 }, (_, i) => entry(BigInt(Math.floor(next() * 40)), Math.floor(next() * 5) - 2, i));
    const set = new BlockIndexCandidates();
    const model = new Set<BlockIndex>();
    for (let step = 0; step < 5000; step++) {
      const e = pool[Math.floor(next() * pool.length)]!;
      const op = next();
      if (op < 0.55) {
        set.add(e);
        model.add(e);
      } else if (op < 0.9) {
        assert.equal(set.delete(e), model.delete(e));
      } else {
        set.pruneLessThan(e);
        for (const m of [...model]) if (candidateLess(m, e)) model.delete(m);
      }
      assert.equal(set.size, model.size);
      assert.equal(set.has(e), model.has(e));
      if (step % 50 === 0) assert.deepEqual([...set], sortedModel(model));
      assert.equal(set.best(), sortedModel(model).at(-1));
    }
  });
});
