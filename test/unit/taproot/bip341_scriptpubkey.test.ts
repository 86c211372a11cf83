// BIP341 wallet vectors, scriptPubKey part: leaf hashes, merkle root, tweak, output key, scriptPubKey,
// bech32m address and every control block, built from the internal key and the script tree.
import assert from 'node:assert/strict';
import { bytesToHex, hexToBytes } from '../../../src/util/hex.js';
import { computeTapTweakHash, verifyTaprootCommitment } from '../../../src/script/interpreter_taproot.js';
import { controlBlock, TaprootBuilder } from '../../../src/script/taproot_builder.js';
import { getScriptForDestination } from '../../../src/script/standard.js';
import { encodeDestination } from '../../../src/key_io.js';
import { addressParams } from '../../../src/kernel/chainparams_base.js';
import { readTestJson } from '../util/paths.js';

interface Leaf { id: number; script: string; leafVersion: number }
type Tree = Leaf | Tree[] | null;
interface Vector {
  given: { internalPubkey: string; scriptTree: Tree };
  intermediary: { leafHashes?: string[]; merkleRoot: string | null; tweak: string; tweakedPubkey: string };
  expected: { scriptPubKey: string; bip350Address: string; scriptPathControlBlocks?: string[] };
}

/** Depth-first leaves of a vector's nested tree, with their depths. */
function flatten(tree: Tree, depth = 0, out: { leaf: Leaf; depth: number }[] = []) {
  if (tree === null) return out;
  if (Array.isArray(tree)) {
    for (const sub of tree) flatten(sub, depth + 1, out);
    return out;
  }
  out.push({ leaf: tree, depth });
  return out;
}

describe('BIP341 wallet vectors: scriptPubKey', () => {
  const vectors = readTestJson<{ scriptPubKey: Vector[] }>('bip341_wallet_vectors.json').scriptPubKey;
  let ran = 0;
  after(() => console.log(`      bip341_wallet_vectors.json: ${ran} scriptPubKey cases`));

  it('has every scriptPubKey case of the vector file', () => {
    assert.equal(vectors.length, 7);
  });

  vectors.forEach((v, i) => {
    it(`case ${i}`, () => {
      const internal = hexToBytes(v.given.internalPubkey);
      const leaves = flatten(v.given.scriptTree);
      const builder = new TaprootBuilder();
      for (const { leaf, depth } of leaves) builder.add(depth, hexToBytes(leaf.script), leaf.leafVersion);
      assert.ok(builder.isComplete());
      const out = builder.finalize(internal);
      assert.equal(out.merkleRoot ? bytesToHex(out.merkleRoot) : null, v.intermediary.merkleRoot);
      assert.equal(bytesToHex(computeTapTweakHash(internal, out.merkleRoot)), v.intermediary.tweak);
      assert.equal(bytesToHex(out.outputKey), v.intermediary.tweakedPubkey);
      const dest = { type: 'witness_v1_taproot', program: out.outputKey } as const;
      assert.equal(bytesToHex(getScriptForDestination(dest)), v.expected.scriptPubKey);
      assert.equal(encodeDestination(dest, addressParams('main')), v.expected.bip350Address);
      const byId = new Map(leaves.map(({ leaf }, idx) => [leaf.id, out.leaves[idx]!]));
      (v.intermediary.leafHashes ?? []).forEach((h, id) => assert.equal(bytesToHex(byId.get(id)!.leafHash), h));
      (v.expected.scriptPathControlBlocks ?? []).forEach((cb, id) => {
        const leaf = byId.get(id)!;
        const block = controlBlock(out, leaf);
        assert.equal(bytesToHex(block), cb);
        assert.ok(verifyTaprootCommitment(block, out.outputKey, leaf.leafHash));
      });
      ran++;
    });
  });

  it('rejects an incomplete tree', () => {
    const b = new TaprootBuilder().add(1, new Uint8Array([0x51]), 0xc0);
    assert.equal(b.isComplete(), false);
    assert.throws(() => b.finalize(new Uint8Array(32).fill(1)), /incomplete or invalid taproot script tree/);
  });
});
