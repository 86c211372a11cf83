// Where a block's coinbase commits to its witness data (Core's GetWitnessCommitmentIndex, BIP141). Apart from
// the block checks so that the signet solution check, which CheckBlock runs, can find the commitment too.
import type { Block } from '../primitives/block.js';

/** No witness commitment in the coinbase (GetWitnessCommitmentIndex). */
export const NO_WITNESS_COMMITMENT = -1;
/** Bytes a witness commitment output script needs at least: OP_RETURN, push 36, 4-byte header, 32-byte hash. */
export const MINIMUM_WITNESS_COMMITMENT = 38;
const WITNESS_COMMITMENT_HEADER = Uint8Array.of(0x6a, 0x24, 0xaa, 0x21, 0xa9, 0xed);

/** Index of the last coinbase output that is a witness commitment, or NO_WITNESS_COMMITMENT. */
export function getWitnessCommitmentIndex(block: Block): number {
  let pos = NO_WITNESS_COMMITMENT;
  const coinbase = block.vtx[0];
  if (!coinbase) return pos;
  const vout = coinbase.vout;
  for (let i = 0; i < vout.length; i++) {
    if (isWitnessCommitment(vout[i]!.scriptPubKey)) pos = i;
  }
  return pos;
}

/** Whether an output script is a witness commitment (OP_RETURN, a 36-byte push, the header 0xaa21a9ed, ...). */
export function isWitnessCommitment(s: Uint8Array): boolean {
  if (s.length < MINIMUM_WITNESS_COMMITMENT) return false;
  for (let i = 0; i < WITNESS_COMMITMENT_HEADER.length; i++) {
    if (s[i] !== WITNESS_COMMITMENT_HEADER[i]) return false;
  }
  return true;
}
