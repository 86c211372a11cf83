// Finding a nonce (the loop of Core's GenerateBlock in rpc/mining.cpp): grinds the header's nonce against its target.
import { proofOfWorkTest } from '../consensus/pow.js';
import type { ConsensusParams } from '../consensus/params.js';
import { hash256 } from '../crypto/sha256.js';
import { Block } from '../primitives/block.js';
import { headerWith } from './miner_commitment.js';

const MAX_NONCE = 0xffffffff;
const NONCE_OFFSET = 76;

export interface SolveResult {
  /** False when the tries ran out or the caller interrupted: stop mining (Core's GenerateBlock returning false). */
  ok: boolean;
  /** The solved block; absent when not ok, or when the nonce space ran out (then build a new template). */
  block?: Block;
  /** Tries left over (Core decrements max_tries across the blocks of one generate call). */
  triesLeft: bigint;
}

/**
 * Core's nonce loop: tries nonces from the header's own upwards while tries remain. As in Core, reaching nonce
 * 0xffffffff ends the loop without a block (the caller builds a new template), and `interrupted` stops it.
 */
export function solveBlock(block: Block, maxTries: bigint, params: ConsensusParams, interrupted: () => boolean = () => false): SolveResult {
  const meetsTarget = proofOfWorkTest(block.header.bits, params.powLimit);
  const bytes = block.header.toBytes();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let nonce = block.header.nonce;
  let tries = maxTries;
  let hash: Uint8Array | undefined;
  const solved = (): boolean => meetsTarget((hash = hash256(bytes)));
  while (tries > 0n && nonce < MAX_NONCE && !solved()) {
    if (interrupted()) break;
    nonce++;
    view.setUint32(NONCE_OFFSET, nonce, true);
    tries--;
  }
  if (tries <= 0n || interrupted()) return { ok: false, triesLeft: tries };
  if (nonce === MAX_NONCE) return { ok: true, triesLeft: tries };
  // The winning hash is the new header's: it need not be computed again.
  const header = headerWith(block.header, { nonce });
  header.primeHash(hash!);
  return { ok: true, block: new Block(header, block.vtx), triesLeft: tries };
}
