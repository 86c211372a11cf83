// Taproot output construction for tr() descriptors (the parts of Core's TaprootBuilder that descriptors use).
import { taggedHash, xonlyTweakAdd } from '../key.js';
import { compactSizeLen } from '../util/serialize.js';

/** BIP342 tapscript leaf version. */
export const TAPROOT_LEAF_TAPSCRIPT = 0xc0;
/** Maximum depth of a taproot script tree (BIP341). */
export const TAPROOT_CONTROL_MAX_NODE_COUNT = 128;

function compactSize(n: number): Uint8Array {
  const len = compactSizeLen(n);
  const out = new Uint8Array(len);
  if (len === 1) out[0] = n;
  else {
    out[0] = len === 3 ? 0xfd : 0xfe;
    for (let i = 1; i < len; i++) out[i] = (n >>> (8 * (i - 1))) & 0xff;
  }
  return out;
}

/** TapLeaf hash of a script with a leaf version. */
export function tapLeafHash(script: Uint8Array, leafVersion = TAPROOT_LEAF_TAPSCRIPT): Uint8Array {
  return taggedHash('TapLeaf', Uint8Array.of(leafVersion), compactSize(script.length), script);
}

/** TapBranch hash of two child hashes, in lexicographic order. */
export function tapBranchHash(a: Uint8Array, b: Uint8Array): Uint8Array {
  let swap = false;
  for (let i = 0; i < 32; i++) {
    if (a[i] !== b[i]) {
      swap = a[i]! > b[i]!;
      break;
    }
  }
  return swap ? taggedHash('TapBranch', b, a) : taggedHash('TapBranch', a, b);
}

/**
 * Merkle root of leaves given in depth-first order with their depths, or null when the depths do
 * not describe a complete binary tree. An empty list has no root (key-path only).
 */
export function taprootMerkleRoot(leaves: readonly { depth: number; script: Uint8Array }[]): Uint8Array | null | undefined {
  if (leaves.length === 0) return undefined;
  const stack: { depth: number; hash: Uint8Array }[] = [];
  for (const leaf of leaves) {
    let node = { depth: leaf.depth, hash: tapLeafHash(leaf.script) };
    while (stack.length && stack[stack.length - 1]!.depth === node.depth) {
      if (node.depth === 0) return null;
      const left = stack.pop()!;
      node = { depth: node.depth - 1, hash: tapBranchHash(left.hash, node.hash) };
    }
    stack.push(node);
  }
  return stack.length === 1 && stack[0]!.depth === 0 ? stack[0]!.hash : null;
}

/** The x-only output key of an internal key and an optional script tree root (BIP341 TapTweak). */
export function taprootOutputKey(internal: Uint8Array, merkleRoot: Uint8Array | undefined): Uint8Array | null {
  const tweak = merkleRoot ? taggedHash('TapTweak', internal, merkleRoot) : taggedHash('TapTweak', internal);
  return xonlyTweakAdd(internal, tweak)?.x ?? null;
}
