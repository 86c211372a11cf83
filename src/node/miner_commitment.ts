// The coinbase's witness commitment (BIP141) for templates and submitted blocks (Core's GenerateCoinbaseCommitment,
// UpdateUncommittedBlockStructures, RegenerateCommitments), and the block's merkle root.
import { NO_WITNESS_COMMITMENT, getWitnessCommitmentIndex, merkleRootOfBlock } from '../consensus/block_check.js';
import { blockWitnessMerkleRoot } from '../consensus/merkle.js';
import { BuriedDeployment, type ConsensusParams, deploymentActiveAfter } from '../consensus/params.js';
import { hash256 } from '../crypto/sha256.js';
import { Block, BlockHeader, type BlockHeaderFields } from '../primitives/block.js';
import type { MutableTransaction, Transaction, TxOut } from '../primitives/transaction.js';
import { bytesEqual } from '../util/hex.js';
import type { BlockIndex } from './chain.js';

/** The witness reserved value this node puts in coinbases: 32 zero bytes. */
const WITNESS_RESERVED_VALUE = new Uint8Array(32);
/** OP_RETURN, a 36-byte push, then the commitment header 0xaa21a9ed. */
const COMMITMENT_PREFIX = Uint8Array.of(0x6a, 0x24, 0xaa, 0x21, 0xa9, 0xed);

/** A header with some fields replaced. */
export function headerWith(h: BlockHeader, fields: BlockHeaderFields): BlockHeader {
  return new BlockHeader({
    version: h.version, hashPrevBlock: h.hashPrevBlock, hashMerkleRoot: h.hashMerkleRoot, time: h.time, bits: h.bits, nonce: h.nonce,
    ...fields,
  });
}

/** A block with some header fields replaced. */
export function withHeader(block: Block, fields: BlockHeaderFields): Block {
  return new Block(headerWith(block.header, fields), block.vtx);
}

function withCoinbase(block: Block, coinbase: Transaction): Block {
  return new Block(block.header, [coinbase, ...block.vtx.slice(1)]);
}

/** The block with its merkle root recomputed from its transactions (Core's BlockMerkleRoot); itself when it matches. */
export function withMerkleRoot(block: Block): Block {
  const root = merkleRootOfBlock(block).root;
  return bytesEqual(root, block.header.hashMerkleRoot) ? block : withHeader(block, { hashMerkleRoot: root });
}

/**
 * Core's UpdateUncommittedBlockStructures: once segwit is active after `prev`, a block with a commitment but a
 * coinbase without witness gets the reserved value as its coinbase witness.
 */
export function updateUncommittedBlockStructures(block: Block, prev: BlockIndex | undefined, params: ConsensusParams): Block {
  const coinbase = block.vtx[0];
  if (!coinbase || getWitnessCommitmentIndex(block) === NO_WITNESS_COMMITMENT) return block;
  if (!deploymentActiveAfter(prev ? prev.height : -1, params, BuriedDeployment.DEPLOYMENT_SEGWIT) || coinbase.hasWitness()) return block;
  const tx = coinbase.toMutable().setWitness(0, [WITNESS_RESERVED_VALUE]).toTransaction();
  return withCoinbase(block, tx);
}

/**
 * The witness commitment output script (Core's GenerateCoinbaseCommitment): OP_RETURN and the hash of the witness
 * merkle root (the coinbase's leaf is zero, so only `vtx[1..]` count) with the reserved value.
 */
export function witnessCommitmentScript(vtx: readonly Transaction[]): Uint8Array {
  const buf = new Uint8Array(64);
  buf.set(blockWitnessMerkleRoot(vtx.map((tx, i) => (i === 0 ? WITNESS_RESERVED_VALUE : tx.wtxid))), 0);
  buf.set(WITNESS_RESERVED_VALUE, 32);
  const script = new Uint8Array(COMMITMENT_PREFIX.length + 32);
  script.set(COMMITMENT_PREFIX, 0);
  script.set(hash256(buf), COMMITMENT_PREFIX.length);
  return script;
}

/** Whether a coinbase with a commitment gets the reserved value as its witness (segwit active after `prev`). */
export function coinbaseWitnessRequired(prev: BlockIndex | undefined, params: ConsensusParams): boolean {
  return deploymentActiveAfter(prev ? prev.height : -1, params, BuriedDeployment.DEPLOYMENT_SEGWIT);
}

/** The coinbase witness stack of the reserved value. */
export function reservedValueWitness(): Uint8Array[] {
  return [WITNESS_RESERVED_VALUE];
}

/**
 * Core's GenerateCoinbaseCommitment: adds the commitment output when the coinbase has none, then the reserved
 * value as the coinbase witness (UpdateUncommittedBlockStructures, which finds a commitment either way). The
 * coinbase is rebuilt once for both.
 */
export function generateCoinbaseCommitment(block: Block, prev: BlockIndex | undefined, params: ConsensusParams): Block {
  const coinbase = block.vtx[0];
  if (!coinbase) return block;
  let mtx: MutableTransaction | undefined;
  if (getWitnessCommitmentIndex(block) === NO_WITNESS_COMMITMENT) mtx = coinbase.toMutable().addOutput(0n, witnessCommitmentScript(block.vtx));
  if (coinbaseWitnessRequired(prev, params) && !coinbase.hasWitness()) mtx = (mtx ?? coinbase.toMutable()).setWitness(0, reservedValueWitness());
  return mtx ? withCoinbase(block, mtx.toTransaction()) : block;
}

/**
 * Core's RegenerateCommitments: after the transactions changed, drops the old commitment output, adds a fresh one
 * and recomputes the merkle root.
 */
export function regenerateCommitments(block: Block, prev: BlockIndex | undefined, params: ConsensusParams): Block {
  const index = getWitnessCommitmentIndex(block);
  const mtx = block.vtx[0]!.toMutable();
  if (index !== NO_WITNESS_COMMITMENT) mtx.vout.splice(index, 1);
  const stripped = withCoinbase(block, mtx.toTransaction());
  return withMerkleRoot(generateCoinbaseCommitment(stripped, prev, params));
}

/** The commitment output of a block's coinbase, if it has one. */
export function witnessCommitmentOutput(block: Block): TxOut | undefined {
  const index = getWitnessCommitmentIndex(block);
  return index === NO_WITNESS_COMMITMENT ? undefined : block.vtx[0]!.vout[index];
}
