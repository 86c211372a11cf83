// Block checks (Core's validation.cpp): CheckBlockHeader, CheckBlock, ContextualCheckBlockHeader, ContextualCheckBlock.

import { type Block, type BlockHeader } from '../primitives/block.js';
import type { Transaction } from '../primitives/transaction.js';
import { hash256 } from '../crypto/sha256.js';
import { pushIntBytes } from '../script/script.js';
import { bytesEqual, hashToHex } from '../util/hex.js';
import { type ChainEntry, getMedianTimePast } from './chain_entry.js';
import { MAX_BLOCK_SIGOPS_COST, MAX_BLOCK_WEIGHT, MAX_FUTURE_BLOCK_TIME, MAX_TIMEWARP, WITNESS_SCALE_FACTOR } from './consensus.js';
import { blockMerkleRoot, blockWitnessMerkleRoot } from './merkle.js';
import { BuriedDeployment, type ConsensusParams, deploymentActiveAfter, difficultyAdjustmentInterval } from './params.js';
import { checkProofOfWork, getNextWorkRequired } from './pow.js';
import { checkTransaction } from './tx_check.js';
import { getLegacySigOpCount, isFinalTx } from './tx_verify.js';
import { BlockValidationResult, BlockValidationState, TxValidationState } from './validation.js';
import { NO_WITNESS_COMMITMENT, getWitnessCommitmentIndex } from './witness_commitment.js';
import { checkSignetBlockSolution } from '../signet.js';

export { MINIMUM_WITNESS_COMMITMENT, NO_WITNESS_COMMITMENT, getWitnessCommitmentIndex } from './witness_commitment.js';

/**
 * Merkle roots of transaction lists already computed: a template, its solved block and the checks of both share
 * one frozen list (Core keeps m_checked_merkle_root on the block and its copies).
 */
const merkleRoots = new WeakMap<readonly Transaction[], { root: Uint8Array; mutated: boolean }>();

/** Merkle root of the block's transaction ids, and whether the tree is malleable (CVE-2012-2459). */
export function merkleRootOfBlock(block: Block): { root: Uint8Array; mutated: boolean } {
  let result = merkleRoots.get(block.vtx);
  if (result === undefined) {
    result = blockMerkleRoot(block.vtx.map((tx) => tx.txid));
    merkleRoots.set(block.vtx, result);
  }
  return result;
}

const ZERO_LEAF = new Uint8Array(32);

/** Merkle root of the block's witness ids, with the coinbase's replaced by zeros (BIP141). */
export function witnessMerkleRootOfBlock(block: Block): Uint8Array {
  // The coinbase's leaf is zero whatever its wtxid: do not hash it.
  return blockWitnessMerkleRoot(block.vtx.map((tx, i) => (i === 0 ? ZERO_LEAF : tx.wtxid)));
}

/** Core's CheckBlockHeader: the proof of work matches the claimed nBits. */
export function checkBlockHeader(header: BlockHeader, state: BlockValidationState, params: ConsensusParams, checkPow = true): boolean {
  if (checkPow && !checkProofOfWork(header.hash, header.bits, params)) {
    return state.invalid(BlockValidationResult.BLOCK_INVALID_HEADER, 'high-hash', 'proof of work failed');
  }
  return true;
}

/** Core's CheckMerkleRoot: the header commits to these transactions, and no duplicated subtree fakes it. */
export function checkMerkleRoot(block: Block, state: BlockValidationState): boolean {
  const { root, mutated } = merkleRootOfBlock(block);
  if (!bytesEqual(block.header.hashMerkleRoot, root)) {
    return state.invalid(BlockValidationResult.BLOCK_MUTATED, 'bad-txnmrklroot', 'hashMerkleRoot mismatch');
  }
  // Repeating sequences of transactions keep the merkle root but invalidate the block.
  if (mutated) return state.invalid(BlockValidationResult.BLOCK_MUTATED, 'bad-txns-duplicate', 'duplicate transaction');
  return true;
}

/**
 * Transaction lists whose witness commitment was found to match (Core's m_checked_witness_commitment, which a
 * template's copy keeps). It reads only the frozen list, so a block built on the same list needs no second check.
 */
const witnessCommitmentChecked = new WeakSet<readonly Transaction[]>();

/**
 * Core's CheckWitnessMalleation. With `expectWitnessCommitment` (segwit active) and a commitment present,
 * the coinbase witness must be one 32-byte reserved value and the commitment must match; otherwise no
 * transaction may carry witness data.
 */
export function checkWitnessMalleation(block: Block, expectWitnessCommitment: boolean, state: BlockValidationState): boolean {
  if (expectWitnessCommitment) {
    if (witnessCommitmentChecked.has(block.vtx)) return true;
    const commitpos = getWitnessCommitmentIndex(block);
    if (commitpos !== NO_WITNESS_COMMITMENT) {
      const coinbase = block.vtx[0]!;
      const stack = coinbase.vin[0]?.witness ?? [];
      if (stack.length !== 1 || stack[0]!.length !== 32) {
        return state.invalid(
          BlockValidationResult.BLOCK_MUTATED,
          'bad-witness-nonce-size',
          'CheckWitnessMalleation : invalid witness reserved value size',
        );
      }
      // The transaction tree already rules out duplicate-subtree malleation, so the flag is ignored here.
      const witnessRoot = witnessMerkleRootOfBlock(block);
      const buf = new Uint8Array(64);
      buf.set(witnessRoot, 0);
      buf.set(stack[0]!, 32);
      const commitment = hash256(buf);
      if (!bytesEqual(commitment, coinbase.vout[commitpos]!.scriptPubKey.subarray(6, 38))) {
        return state.invalid(
          BlockValidationResult.BLOCK_MUTATED,
          'bad-witness-merkle-match',
          'CheckWitnessMalleation : witness merkle commitment mismatch',
        );
      }
      witnessCommitmentChecked.add(block.vtx);
      return true;
    }
  }
  // Without a commitment (or before segwit) witness bytes would be unaccounted-for payload, so none are allowed.
  for (const tx of block.vtx) {
    if (tx.hasWitness()) {
      return state.invalid(BlockValidationResult.BLOCK_MUTATED, 'unexpected-witness', 'CheckWitnessMalleation : unexpected witness data found');
    }
  }
  return true;
}

export interface CheckBlockOptions {
  checkPow?: boolean;
  checkMerkleRoot?: boolean;
  /** Replaces the signet block solution check (Core's CheckSignetBlockSolution), which runs by default. */
  checkSignetSolution?: (block: Block, params: ConsensusParams) => boolean;
}

/**
 * CheckBlock's options with proof of work and merkle root switched as given and the node's signet check kept: built
 * field by field, so every caller's options have one shape.
 */
export function checkBlockOptionsWith(base: Pick<CheckBlockOptions, 'checkSignetSolution'> | undefined, checkPow: boolean, checkMerkleRoot: boolean): CheckBlockOptions {
  return { checkPow, checkMerkleRoot, checkSignetSolution: base?.checkSignetSolution };
}

/**
 * Transaction lists that passed CheckBlock's checks after the merkle root. Those read nothing but the (frozen) list,
 * so a block built on the same list (a template, then the solved block) passes them again without re-running them.
 */
const transactionsChecked = new WeakSet<readonly Transaction[]>();

/** Core's CheckBlock: every check that does not depend on the block's position in the chain. */
export function checkBlock(block: Block, state: BlockValidationState, params: ConsensusParams, opts: CheckBlockOptions = {}): boolean {
  if (block.checkedUnder === params && block.checkedSolution === opts.checkSignetSolution) return true;
  const checkPow = opts.checkPow ?? true;
  const checkMerkle = opts.checkMerkleRoot ?? true;

  if (!checkBlockHeader(block.header, state, params, checkPow)) return false;

  if (params.signetBlocks && checkPow) {
    const checkSolution = opts.checkSignetSolution ?? checkSignetBlockSolution;
    if (!checkSolution(block, params)) {
      return state.invalid(BlockValidationResult.BLOCK_CONSENSUS, 'bad-signet-blksig', 'signet block signature validation failure');
    }
  }

  if (checkMerkle && !checkMerkleRoot(block, state)) return false;
  if (!transactionsChecked.has(block.vtx)) {
    if (!checkTransactions(block, state)) return false;
    transactionsChecked.add(block.vtx);
  }
  if (checkPow && checkMerkle) {
    block.checkedUnder = params;
    block.checkedSolution = opts.checkSignetSolution;
  }
  return true;
}

/** CheckBlock's checks of the transaction list: sizes, the coinbase, each transaction, the legacy sigops. */
function checkTransactions(block: Block, state: BlockValidationState): boolean {
  // All potential-corruption checks come before transaction checks, so that receiving the wrong
  // transactions for a header never marks the header itself invalid. Witness data is not looked at here.

  // Size limits.
  if (
    block.vtx.length === 0 ||
    block.vtx.length * WITNESS_SCALE_FACTOR > MAX_BLOCK_WEIGHT ||
    block.getStrippedSize() * WITNESS_SCALE_FACTOR > MAX_BLOCK_WEIGHT
  ) {
    return state.invalid(BlockValidationResult.BLOCK_CONSENSUS, 'bad-blk-length', 'size limits failed');
  }

  // Exactly one coinbase, in position 0.
  if (!block.vtx[0]!.isCoinBase()) return state.invalid(BlockValidationResult.BLOCK_CONSENSUS, 'bad-cb-missing', 'first tx is not coinbase');
  for (let i = 1; i < block.vtx.length; i++) {
    if (block.vtx[i]!.isCoinBase()) return state.invalid(BlockValidationResult.BLOCK_CONSENSUS, 'bad-cb-multiple', 'more than one coinbase');
  }

  // Check transactions, including duplicate inputs (CVE-2018-17144).
  for (const tx of block.vtx) {
    const txState = new TxValidationState();
    if (!checkTransaction(tx, txState)) {
      return state.invalid(
        BlockValidationResult.BLOCK_CONSENSUS,
        txState.getRejectReason(),
        `Transaction check failed (tx hash ${hashToHex(tx.txid)}) ${txState.getDebugMessage()}`,
      );
    }
  }

  // This underestimates the sigops: unlike ConnectBlock it counts neither witness nor P2SH sigops.
  let sigOps = 0;
  for (const tx of block.vtx) sigOps += getLegacySigOpCount(tx);
  if (sigOps * WITNESS_SCALE_FACTOR > MAX_BLOCK_SIGOPS_COST) {
    return state.invalid(BlockValidationResult.BLOCK_CONSENSUS, 'bad-blk-sigops', 'out-of-bounds SigOpCount');
  }
  return true;
}

/**
 * Core's IsBlockMutated: the merkle root or witness commitment does not match the transactions, or (for a
 * block without a coinbase) some transaction is 64 bytes long and could pose as an inner merkle node.
 */
export function isBlockMutated(block: Block, checkWitnessRoot: boolean): boolean {
  const state = new BlockValidationState();
  if (!checkMerkleRoot(block, state)) return true;
  if (block.vtx.length === 0 || !block.vtx[0]!.isCoinBase()) {
    return block.vtx.some((tx) => tx.getStrippedSize() === 64);
  }
  return !checkWitnessMalleation(block, checkWitnessRoot, state);
}

/**
 * Core's ContextualCheckBlockHeader: difficulty, timestamps (median time past, BIP94 timewarp, future
 * limit) and the minimum block version once BIP34/66/65 are active. `now` is the node's adjusted time in seconds.
 */
export function contextualCheckBlockHeader(
  header: BlockHeader,
  state: BlockValidationState,
  prev: ChainEntry,
  params: ConsensusParams,
  now: number,
): boolean {
  const height = prev.height + 1;

  if (header.bits !== getNextWorkRequired(prev, header.time, params)) {
    return state.invalid(BlockValidationResult.BLOCK_INVALID_HEADER, 'bad-diffbits', 'incorrect proof of work');
  }
  if (header.time <= getMedianTimePast(prev)) {
    return state.invalid(BlockValidationResult.BLOCK_INVALID_HEADER, 'time-too-old', "block's timestamp is too early");
  }
  // BIP94 (testnet4, and regtest with -test=bip94): a period's opening block may precede its parent by at
  // most MAX_TIMEWARP seconds, which closes the timewarp attack.
  if (params.enforceBIP94 && height % difficultyAdjustmentInterval(params) === 0) {
    if (header.time < prev.time - MAX_TIMEWARP) {
      return state.invalid(
        BlockValidationResult.BLOCK_INVALID_HEADER,
        'time-timewarp-attack',
        "block's timestamp is too early on diff adjustment block",
      );
    }
  }
  if (header.time > now + MAX_FUTURE_BLOCK_TIME) {
    return state.invalid(BlockValidationResult.BLOCK_TIME_FUTURE, 'time-too-new', 'block timestamp too far in the future');
  }
  // Once BIP34, BIP66 and BIP65 are active, header versions below 2, 3 and 4 respectively are refused.
  const active = (dep: BuriedDeployment): boolean => deploymentActiveAfter(prev.height, params, dep);
  if (
    (header.version < 2 && active(BuriedDeployment.DEPLOYMENT_HEIGHTINCB)) ||
    (header.version < 3 && active(BuriedDeployment.DEPLOYMENT_DERSIG)) ||
    (header.version < 4 && active(BuriedDeployment.DEPLOYMENT_CLTV))
  ) {
    const hex = (header.version >>> 0).toString(16).padStart(8, '0');
    return state.invalid(BlockValidationResult.BLOCK_INVALID_HEADER, `bad-version(0x${hex})`, `rejected nVersion=0x${hex} block`);
  }
  return true;
}

/**
 * Core's ContextualCheckBlock: transactions final (BIP113 median time past once CSV is active), the
 * height in the coinbase (BIP34), the witness commitment (BIP141) and the weight limit.
 * `prev` is undefined for the genesis block.
 */
export function contextualCheckBlock(block: Block, state: BlockValidationState, prev: ChainEntry | undefined, params: ConsensusParams): boolean {
  const prevHeight = prev ? prev.height : -1;
  const height = prevHeight + 1;
  const active = (dep: BuriedDeployment): boolean => deploymentActiveAfter(prevHeight, params, dep);

  // BIP113: with CSV active, lock times are judged against the parent's median time past.
  const lockTimeCutoff = active(BuriedDeployment.DEPLOYMENT_CSV) && prev ? getMedianTimePast(prev) : block.header.time;
  for (const tx of block.vtx) {
    if (!isFinalTx(tx, height, lockTimeCutoff)) {
      return state.invalid(BlockValidationResult.BLOCK_CONSENSUS, 'bad-txns-nonfinal', 'non-final transaction');
    }
  }

  // BIP34: the coinbase scriptSig opens with a push of this block's height.
  if (active(BuriedDeployment.DEPLOYMENT_HEIGHTINCB)) {
    const expect = pushIntBytes(height);
    const scriptSig = block.vtx[0]?.vin[0]?.scriptSig ?? new Uint8Array(0);
    if (scriptSig.length < expect.length || !bytesEqual(scriptSig.subarray(0, expect.length), expect)) {
      return state.invalid(BlockValidationResult.BLOCK_CONSENSUS, 'bad-cb-height', 'block height mismatch in coinbase');
    }
  }

  if (!checkWitnessMalleation(block, active(BuriedDeployment.DEPLOYMENT_SEGWIT), state)) return false;

  // The weight is checked last on purpose: until the commitment and the coinbase's reserved value are
  // known good, padding in the coinbase witness could make an honest block appear overweight.
  if (block.getWeight() > MAX_BLOCK_WEIGHT) {
    return state.invalid(BlockValidationResult.BLOCK_CONSENSUS, 'bad-blk-weight', 'ContextualCheckBlock : weight limit failed');
  }
  return true;
}
