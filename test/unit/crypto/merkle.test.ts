// Merkle roots, CVE-2012-2459 mutation detection, merkle paths, witness roots, and the batched
// double SHA-256 they rest on (native and JS implementations).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import {
  blockWitnessMerkleRoot,
  computeMerklePath,
  computeMerkleRoot,
  computeMerkleRootFromPath,
} from '../../../src/consensus/merkle.js';
import { sha256d } from '../../../src/crypto/sha256.js';
import { sha256dBatchJs, sha256dBatchNative, sha256dBatchBackend } from '../../../src/crypto/sha256_batch.js';

const leaf = (i: number): Uint8Array => sha256d(Uint8Array.of(i & 0xff, i >> 8));
const leaves = (n: number): Uint8Array[] => Array.from({ length: n }, (_, i) => leaf(i));
const cat = (a: Uint8Array, b: Uint8Array): Uint8Array => Uint8Array.from([...a, ...b]);

// Straightforward recursive definition: pad odd levels with their last node.
function referenceRoot(hashes: Uint8Array[]): Uint8Array {
  if (hashes.length === 0) return new Uint8Array(32);
  let level = hashes;
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(sha256d(cat(level[i]!, level[i + 1] ?? level[i]!)));
    level = next;
  }
  return level[0]!;
}

describe('sha256dBatch / sha256dPairs', () => {
  it('uses the addon in this build', () => {
    assert.equal(sha256dBatchBackend, 'native');
    assert.notEqual(sha256dBatchNative, null);
  });

  for (const [name, impl] of [['native', sha256dBatchNative], ['js', sha256dBatchJs]] as const) {
    it(`${name}: matches sha256d input by input`, () => {
      assert.ok(impl, 'crypto addon missing');
      const inputs = [0, 1, 31, 32, 55, 56, 63, 64, 80, 250, 1000].map((n) => new Uint8Array(crypto.randomBytes(n)));
      const out = impl.sha256dBatch(inputs);
      assert.equal(out.length, inputs.length);
      inputs.forEach((b, i) => assert.deepEqual(Uint8Array.from(out[i]!), sha256d(b)));
      assert.deepEqual(impl.sha256dBatch([]), []);
    });

    it(`${name}: hashes pairs of nodes`, () => {
      assert.ok(impl, 'crypto addon missing');
      const nodes = leaves(6);
      const level = new Uint8Array(6 * 32);
      nodes.forEach((h, i) => level.set(h, i * 32));
      const parents = impl.sha256dPairs(level);
      assert.equal(parents.length, 96);
      for (let i = 0; i < 3; i++) assert.deepEqual(parents.slice(i * 32, i * 32 + 32), sha256d(cat(nodes[2 * i]!, nodes[2 * i + 1]!)));
      assert.equal(impl.sha256dPairs(new Uint8Array(0)).length, 0);
      assert.throws(() => impl.sha256dPairs(new Uint8Array(32)), { name: 'TypeError', message: 'level must hold an even number of 32-byte nodes' });
      assert.throws(() => impl.sha256dBatch([new Uint8Array(1), 'x' as unknown as Uint8Array]), {
        name: 'TypeError', message: 'buffers[1] must be a Uint8Array',
      });
    });
  }
});

describe('computeMerkleRoot', () => {
  it('gives zero for no leaves and the leaf itself for one', () => {
    assert.deepEqual(computeMerkleRoot([]), { root: new Uint8Array(32), mutated: false });
    assert.deepEqual(computeMerkleRoot([leaf(7)]), { root: leaf(7), mutated: false });
  });

  it('matches the recursive definition for 1..70 leaves', () => {
    for (let n = 1; n <= 70; n++) {
      const hs = leaves(n);
      const { root, mutated } = computeMerkleRoot(hs);
      assert.deepEqual(root, referenceRoot(hs), `n=${n}`);
      assert.equal(mutated, false, `n=${n}`);
    }
  });

  it('does not modify its input', () => {
    const hs = leaves(5);
    const copy = hs.map((h) => Uint8Array.from(h));
    computeMerkleRoot(hs);
    assert.deepEqual(hs, copy);
  });

  it('flags the CVE-2012-2459 duplications that keep the root', () => {
    // [1..6] and [1..6,5,6] share a root; only the second is flagged.
    const six = leaves(6);
    const eight = [...six, six[4]!, six[5]!];
    const a = computeMerkleRoot(six);
    const b = computeMerkleRoot(eight);
    assert.deepEqual(b.root, a.root);
    assert.equal(a.mutated, false);
    assert.equal(b.mutated, true);
    // [1,2,3] and [1,2,3,3]: the implicit copy is fine, an explicit one is a mutation.
    const three = leaves(3);
    const four = [...three, three[2]!];
    assert.deepEqual(computeMerkleRoot(four).root, computeMerkleRoot(three).root);
    assert.equal(computeMerkleRoot(three).mutated, false);
    assert.equal(computeMerkleRoot(four).mutated, true);
    // Duplicated subtrees higher up: [1..10] vs [1..10,9,10,9,10] (level-1 pair copied).
    const ten = leaves(10);
    const fourteen = [...ten, ten[8]!, ten[9]!, ten[8]!, ten[9]!];
    const twelve = [...ten, ten[8]!, ten[9]!];
    assert.deepEqual(computeMerkleRoot(twelve).root, computeMerkleRoot(ten).root);
    assert.equal(computeMerkleRoot(twelve).mutated, true);
    assert.equal(computeMerkleRoot(fourteen).mutated, true);
  });

  it('flags any identical adjacent pair, not only at the end', () => {
    const hs = leaves(5);
    assert.equal(computeMerkleRoot([hs[0]!, hs[0]!, hs[1]!]).mutated, true);
    // Equal but not paired (positions 1 and 2) is not a mutation.
    assert.equal(computeMerkleRoot([hs[0]!, hs[1]!, hs[1]!, hs[2]!]).mutated, false);
  });

  it('rejects hashes that are not 32 bytes', () => {
    assert.throws(() => computeMerkleRoot([leaf(1), new Uint8Array(31)]), TypeError);
  });
});

describe('computeMerklePath', () => {
  it('reproduces the root from every position, deepest sibling first', () => {
    for (const n of [1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 33]) {
      const hs = leaves(n);
      const { root } = computeMerkleRoot(hs);
      const depth = Math.ceil(Math.log2(n));
      for (let pos = 0; pos < n; pos++) {
        const path = computeMerklePath(hs, pos);
        assert.equal(path.length, depth, `n=${n} pos=${pos}`);
        assert.deepEqual(computeMerkleRootFromPath(hs[pos]!, path, pos), root, `n=${n} pos=${pos}`);
      }
    }
  });

  it('gives the coinbase path a miner needs', () => {
    const hs = leaves(3);
    const path = computeMerklePath(hs, 0);
    assert.deepEqual(path, [hs[1]!, sha256d(cat(hs[2]!, hs[2]!))]);
  });

  it('uses the node itself as the sibling of an unpaired last node', () => {
    const hs = leaves(5);
    assert.deepEqual(computeMerklePath(hs, 4)[0], hs[4]);
  });

  it('is empty for a single leaf or a position outside the list', () => {
    assert.deepEqual(computeMerklePath([leaf(1)], 0), []);
    assert.deepEqual(computeMerklePath(leaves(4), 4), []);
    assert.deepEqual(computeMerklePath(leaves(4), -1), []);
  });
});

describe('blockWitnessMerkleRoot', () => {
  it('replaces the coinbase wtxid with zero', () => {
    const wtxids = leaves(4);
    const want = computeMerkleRoot([new Uint8Array(32), ...wtxids.slice(1)]).root;
    assert.deepEqual(blockWitnessMerkleRoot(wtxids), want);
    assert.deepEqual(blockWitnessMerkleRoot([leaf(9)]), new Uint8Array(32));
    assert.deepEqual(wtxids[0], leaf(0), 'input untouched');
  });
});
