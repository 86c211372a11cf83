// Merkle roots and paths over 32-byte hashes (txids or wtxids), as Core's consensus/merkle.cpp
// computes them, including the CVE-2012-2459 duplicate-subtree detection. Independent of the
// transaction classes: callers pass hash arrays.
import { sha256dPairs } from '../crypto/sha256_batch.js';

export interface MerkleRootResult {
  /** The root; 32 zero bytes for an empty list. */
  root: Uint8Array;
  /**
   * True when some level hashes two identical adjacent nodes. Such a tree has the same root as a
   * shorter transaction list (CVE-2012-2459), so Core treats the block as having a bad merkle root.
   */
  mutated: boolean;
}

function checkHashes(hashes: Uint8Array[]): void {
  for (let i = 0; i < hashes.length; i++) {
    const h = hashes[i];
    if (!(h instanceof Uint8Array) || h.length !== 32) throw new TypeError(`hashes[${i}] must be a 32-byte Uint8Array`);
  }
}

function equal32(level: Uint8Array, a: number, b: number): boolean {
  for (let i = 0; i < 32; i++) if (level[a + i] !== level[b + i]) return false;
  return true;
}

// Packs the leaves back to back, with room for one duplicated node at the end.
function packLeaves(hashes: Uint8Array[]): Uint8Array {
  const level = new Uint8Array((hashes.length + 1) * 32);
  for (let i = 0; i < hashes.length; i++) level.set(hashes[i]!, i * 32);
  return level;
}

/** Core's ComputeMerkleRoot: odd levels repeat their last node; `mutated` as described above. */
export function computeMerkleRoot(hashes: Uint8Array[]): MerkleRootResult {
  checkHashes(hashes);
  if (hashes.length === 0) return { root: new Uint8Array(32), mutated: false };
  let mutated = false;
  let count = hashes.length;
  let level = packLeaves(hashes);
  while (count > 1) {
    // Only real pairs count: the copy made for an odd level is not a mutation.
    for (let pos = 0; pos + 1 < count; pos += 2) {
      if (equal32(level, pos * 32, (pos + 1) * 32)) mutated = true;
    }
    if (count & 1) {
      level.copyWithin(count * 32, (count - 1) * 32, count * 32);
      count++;
    }
    const parents = sha256dPairs(level.subarray(0, count * 32));
    count /= 2;
    // Leave room for the next level's duplicate.
    level = new Uint8Array((count + 1) * 32);
    level.set(parents, 0);
  }
  return { root: level.slice(0, 32), mutated };
}

/**
 * Core's ComputeMerklePath (TransactionMerklePath for hashes): the sibling of `position` at each
 * level, deepest first. Where a level is odd and the node is last, its sibling is itself. Empty
 * for a single leaf or a position outside the list, as in Core.
 */
export function computeMerklePath(hashes: Uint8Array[], position: number): Uint8Array[] {
  checkHashes(hashes);
  if (!Number.isInteger(position) || position < 0 || position >= hashes.length) return [];
  const path: Uint8Array[] = [];
  let count = hashes.length;
  let level = packLeaves(hashes);
  let pos = position;
  while (count > 1) {
    if (count & 1) {
      level.copyWithin(count * 32, (count - 1) * 32, count * 32);
      count++;
    }
    const sibling = pos ^ 1;
    path.push(level.slice(sibling * 32, sibling * 32 + 32));
    const parents = sha256dPairs(level.subarray(0, count * 32));
    count /= 2;
    level = new Uint8Array((count + 1) * 32);
    level.set(parents, 0);
    pos >>= 1;
  }
  return path;
}

/** The root implied by a leaf, its merkle path (deepest first) and its position. */
export function computeMerkleRootFromPath(leaf: Uint8Array, path: Uint8Array[], position: number): Uint8Array {
  let hash = leaf;
  let pos = position;
  const pair = new Uint8Array(64);
  for (const sibling of path) {
    if (pos & 1) {
      pair.set(sibling, 0);
      pair.set(hash, 32);
    } else {
      pair.set(hash, 0);
      pair.set(sibling, 32);
    }
    hash = sha256dPairs(pair);
    pos >>>= 1;
  }
  return hash;
}

/** Core's BlockMerkleRoot over the block's txids, with mutation detection. */
export function blockMerkleRoot(txids: Uint8Array[]): MerkleRootResult {
  return computeMerkleRoot(txids);
}

/**
 * Core's BlockWitnessMerkleRoot: the merkle root of the block's wtxids with the coinbase's
 * replaced by zero (its witness holds the commitment's reserved value, so it cannot commit to it).
 */
export function blockWitnessMerkleRoot(wtxids: Uint8Array[]): Uint8Array {
  if (wtxids.length === 0) return new Uint8Array(32);
  const leaves = wtxids.slice();
  leaves[0] = new Uint8Array(32);
  return computeMerkleRoot(leaves).root;
}
