// Taproot output construction for tr() descriptors (the parts of Core's TaprootBuilder that descriptors use).
// Leaf, branch and tweak hashes are the interpreter's (BIP341), so both sides hash the tree the same way.
import { xonlyTweakAdd } from '../key.js';
import { computeTapbranchHash, computeTapleafHash, computeTapTweakHash } from './interpreter.js';
import { TAPROOT_LEAF_TAPSCRIPT } from './interpreter_types.js';

/**
 * Merkle root of leaves given in depth-first order with their depths, or null when the depths do
 * not describe a complete binary tree. An empty list has no root (key-path only).
 */
export function taprootMerkleRoot(leaves: readonly { depth: number; script: Uint8Array }[]): Uint8Array | null | undefined {
  if (leaves.length === 0) return undefined;
  const stack: { depth: number; hash: Uint8Array }[] = [];
  for (const leaf of leaves) {
    let node = { depth: leaf.depth, hash: computeTapleafHash(TAPROOT_LEAF_TAPSCRIPT, leaf.script) };
    while (stack.length && stack[stack.length - 1]!.depth === node.depth) {
      if (node.depth === 0) return null;
      const left = stack.pop()!;
      node = { depth: node.depth - 1, hash: computeTapbranchHash(left.hash, node.hash) };
    }
    stack.push(node);
  }
  return stack.length === 1 && stack[0]!.depth === 0 ? stack[0]!.hash : null;
}

/** The x-only output key of an internal key and an optional script tree root (BIP341 TapTweak). */
export function taprootOutputKey(internal: Uint8Array, merkleRoot: Uint8Array | undefined): Uint8Array | null {
  return xonlyTweakAdd(internal, computeTapTweakHash(internal, merkleRoot ?? null))?.x ?? null;
}
