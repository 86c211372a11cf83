// -assumevalid: whether block connection may skip script checks for a block (Core's script_check_reason in
// Chainstate::ConnectBlock). Scripts are skipped only for an ancestor of the assumed-valid block that is also
// in the best header chain, when that chain has the minimum work and the block is buried under two weeks of it.
import { getBlockProof } from '../consensus/pow.js';
import type { ConsensusParams } from '../consensus/params.js';
import { hashToHex, isZero } from '../util/hex.js';
import type { BlockIndex } from './chain.js';

/** What the chainstate knows for the decision; pass nothing (or an all-zero hash) for -assumevalid=0. */
export interface AssumeValidContext {
  /** The -assumevalid block hash, internal byte order. */
  hash: Uint8Array;
  /** Looks a header up by display hex (the chainstate's block index). */
  lookup(hashHex: string): BlockIndex | undefined;
  /** The valid header with the most work (Core's m_best_header). */
  bestHeader: BlockIndex | undefined;
  /** -minimumchainwork (Core's MinimumChainWork()). */
  minimumChainWork: bigint;
}

const TWO_WEEKS_IN_SECONDS = 60 * 60 * 24 * 7 * 2;
const INT64_MAX = (1n << 63n) - 1n;
const UINT256_MASK = (1n << 256n) - 1n;

/**
 * Core's GetBlockProofEquivalentTime: the work between `from` and `to`, in seconds of block production at `tip`'s
 * difficulty (saturating at the int64 range, as Core's does). Returned as a bigint so the saturated value is exact.
 */
export function getBlockProofEquivalentTime(to: BlockIndex, from: BlockIndex, tip: BlockIndex, params: ConsensusParams): bigint {
  const sign = to.chainWork > from.chainWork ? 1n : -1n;
  const diff = sign > 0n ? to.chainWork - from.chainWork : from.chainWork - to.chainWork;
  const r = ((diff * BigInt(params.powTargetSpacing)) & UINT256_MASK) / getBlockProof(tip.bits);
  return sign * (r > INT64_MAX ? INT64_MAX : r);
}

/**
 * Why the scripts of `index` must be verified (Core's script_check_reason, with its exact texts), or null when
 * they may be skipped.
 */
export function scriptCheckReason(index: BlockIndex, av: AssumeValidContext | undefined, params: ConsensusParams): string | null {
  if (!av || isZero(av.hash)) return 'assumevalid=0 (always verify)';
  const assumed = av.lookup(hashToHex(av.hash));
  if (!assumed) return 'assumevalid hash not in headers';
  if (assumed.getAncestor(index.height) !== index) {
    return index.height > assumed.height ? 'block height above assumevalid height' : 'block not in assumevalid chain';
  }
  const best = av.bestHeader;
  if (!best || best.getAncestor(index.height) !== index) return 'block not in best header chain';
  if (best.chainWork < av.minimumChainWork) return 'best header chainwork below minimumchainwork';
  if (getBlockProofEquivalentTime(best, index, best, params) <= BigInt(TWO_WEEKS_IN_SECONDS)) return 'block too recent relative to best header';
  return null;
}

/**
 * Core's log line when script checking switches on or off between blocks (it logs only on a change of reason);
 * undefined when the reason is unchanged.
 */
export function scriptCheckSwitchLogLine(previous: string | null | undefined, reason: string | null, index: BlockIndex): string | undefined {
  if (reason === previous) return undefined;
  if (reason !== null) return `Enabling script verification at block #${index.height} (${index.hashHex}): ${reason}.`;
  return `Disabling script verification at block #${index.height} (${index.hashHex}).`;
}
