// BIP341 script-tree hashing and the taproot output-key commitment check.
import { xonlyTweakAddCheck } from '../crypto/secp256k1.js';
import { sha256ConcatTransient } from '../crypto/sha256.js';
import { taggedHash, taggedHashPrefix } from '../crypto/tagged.js';
import { ByteWriter } from '../util/serialize.js';
import { TAPROOT_CONTROL_BASE_SIZE, TAPROOT_CONTROL_MAX_SIZE, TAPROOT_CONTROL_NODE_SIZE } from './interpreter_types.js';

// Reused for every leaf hash (taggedHash does not keep it).
const tapleafScratch = new ByteWriter(128);

/** TapLeaf tagged hash of leaf version and compact-size-prefixed script. */
export function computeTapleafHash(leafVersion: number, script: Uint8Array): Uint8Array {
  const w = tapleafScratch.reset();
  w.writeU8(leafVersion).writeVarBytes(script);
  return taggedHash('TapLeaf', w.peek());
}

/** TapBranch tagged hash of two 32-byte nodes, in lexicographic order. */
export function computeTapbranchHash(a: Uint8Array, b: Uint8Array): Uint8Array {
  // No join needed: taggedHash hashes its parts as one message.
  return compareBytes(a, b) < 0 ? taggedHash('TapBranch', a, b) : taggedHash('TapBranch', b, a);
}

/** Folds the control block's path onto the leaf hash. The control block size must already be valid. */
export function computeTaprootMerkleRoot(control: Uint8Array, tapleafHash: Uint8Array): Uint8Array {
  if (control.length < TAPROOT_CONTROL_BASE_SIZE || control.length > TAPROOT_CONTROL_MAX_SIZE) {
    throw new RangeError('invalid control block size');
  }
  if ((control.length - TAPROOT_CONTROL_BASE_SIZE) % TAPROOT_CONTROL_NODE_SIZE !== 0) throw new RangeError('invalid control block size');
  const pathLen = (control.length - TAPROOT_CONTROL_BASE_SIZE) / TAPROOT_CONTROL_NODE_SIZE;
  let k = tapleafHash;
  for (let i = 0; i < pathLen; i++) {
    const off = TAPROOT_CONTROL_BASE_SIZE + TAPROOT_CONTROL_NODE_SIZE * i;
    k = computeTapbranchHash(k, control.subarray(off, off + TAPROOT_CONTROL_NODE_SIZE));
  }
  return k;
}

/** TapTweak hash of an internal key and (optionally) a merkle root. */
export function computeTapTweakHash(internal32: Uint8Array, merkleRoot: Uint8Array | null): Uint8Array {
  return merkleRoot ? taggedHash('TapTweak', internal32, merkleRoot) : taggedHash('TapTweak', internal32);
}

/** Is the output key `program` the internal key of `control` tweaked with the merkle root, with the stated parity? */
export function verifyTaprootCommitment(control: Uint8Array, program: Uint8Array, tapleafHash: Uint8Array): boolean {
  const internal = control.subarray(1, TAPROOT_CONTROL_BASE_SIZE);
  const merkleRoot = computeTaprootMerkleRoot(control, tapleafHash);
  // The tweak goes to libsecp256k1 and is dropped: hashed into off-heap memory (see sha256ConcatTransient).
  const prefix = taggedHashPrefix('TapTweak');
  const tweak = merkleRoot ? sha256ConcatTransient(prefix, internal, merkleRoot) : sha256ConcatTransient(prefix, internal);
  return xonlyTweakAddCheck(program.subarray(0, 32), (control[0]! & 1) as 0 | 1, internal, tweak);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}
