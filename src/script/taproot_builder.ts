// Builds taproot outputs from an internal key and a script tree (Core's TaprootBuilder): the merkle
// root, the tweaked output key with its parity, and each leaf's control block for script-path spends.
import { xonlyTweakAdd } from '../crypto/secp256k1.js';
import { computeTapbranchHash, computeTapleafHash, computeTapTweakHash } from './interpreter_taproot.js';
import { TAPROOT_CONTROL_MAX_NODE_COUNT } from './interpreter_types.js';

export interface TaprootLeaf {
  script: Uint8Array;
  leafVersion: number;
  leafHash: Uint8Array;
  /** Sibling hashes from the leaf up to the root (the control block's path). */
  path: Uint8Array[];
}

interface Node {
  depth: number;
  hash: Uint8Array;
  leaves: TaprootLeaf[];
}

export interface TaprootOutput {
  internalKey: Uint8Array;
  merkleRoot: Uint8Array | null;
  outputKey: Uint8Array;
  parity: 0 | 1;
  leaves: TaprootLeaf[];
}

export class TaprootBuilderError extends Error {
  override name = 'TaprootBuilderError';
}

/** Leaves are added in depth-first order with their depth, as Core's TaprootBuilder::Add takes them. */
export class TaprootBuilder {
  private readonly stack: Node[] = [];
  private valid = true;

  add(depth: number, script: Uint8Array, leafVersion: number): this {
    if (depth < 0 || depth > TAPROOT_CONTROL_MAX_NODE_COUNT || (leafVersion & 1) !== 0) this.valid = false;
    const leaf: TaprootLeaf = { script, leafVersion, leafHash: computeTapleafHash(leafVersion, script), path: [] };
    this.insert({ depth, hash: leaf.leafHash, leaves: [leaf] });
    return this;
  }

  /** True when the leaves so far form a complete tree (or there are none). */
  isComplete(): boolean {
    return this.valid && (this.stack.length === 0 || (this.stack.length === 1 && this.stack[0]!.depth === 0));
  }

  finalize(internalKey: Uint8Array): TaprootOutput {
    if (!this.isComplete()) throw new TaprootBuilderError('incomplete or invalid taproot script tree');
    const root = this.stack[0] ?? null;
    const merkleRoot = root ? root.hash : null;
    const tweaked = xonlyTweakAdd(internalKey, computeTapTweakHash(internalKey, merkleRoot));
    if (!tweaked) throw new TaprootBuilderError('invalid taproot internal key');
    return { internalKey, merkleRoot, outputKey: tweaked.output, parity: tweaked.parity, leaves: root ? root.leaves : [] };
  }

  private insert(node: Node): void {
    while (this.valid && this.stack.length && this.stack[this.stack.length - 1]!.depth === node.depth) {
      if (node.depth === 0) { this.valid = false; return; }
      const left = this.stack.pop()!;
      for (const l of left.leaves) l.path.push(node.hash);
      for (const l of node.leaves) l.path.push(left.hash);
      node = { depth: node.depth - 1, hash: computeTapbranchHash(left.hash, node.hash), leaves: [...left.leaves, ...node.leaves] };
    }
    this.stack.push(node);
  }
}

/** The control block that spends `leaf` of `output` through the script path. */
export function controlBlock(output: TaprootOutput, leaf: TaprootLeaf): Uint8Array {
  const out = new Uint8Array(33 + 32 * leaf.path.length);
  out[0] = leaf.leafVersion | output.parity;
  out.set(output.internalKey, 1);
  leaf.path.forEach((h, i) => out.set(h, 33 + 32 * i));
  return out;
}
