// invalidateblock, reconsiderblock and preciousblock (Core's InvalidateBlock, ResetBlockFailureFlags, PreciousBlock).
import { BlockValidationState } from '../consensus/validation.js';
import type { BlockIndex } from './chain.js';
import { BlockStatus } from './disk_block_index.js';
import type { ChainstateManager } from './validation.js';
import { activateBestChain, candidateLess, disconnectTip, invalidChainFound, pruneBlockIndexCandidates } from './validation_chain.js';

function markFailed(cm: ChainstateManager, index: BlockIndex): void {
  index.status |= BlockStatus.BLOCK_FAILED_VALID;
  cm.blockman.dirtyBlockIndex.add(index);
  cm.candidates.delete(index);
}

/**
 * Marks `index` and its descendants invalid, disconnecting the active chain down to its parent; blocks on other
 * branches with at least the parent's work become candidates again. Then activates the best remaining chain.
 */
export async function invalidateBlock(cm: ChainstateManager, index: BlockIndex): Promise<BlockValidationState> {
  const state = new BlockValidationState();
  if (index.height === 0) return state;
  let toMarkFailed = index;
  let wasInChain = false;
  while (cm.chain.contains(index)) {
    wasInChain = true;
    const disconnected = cm.chain.tip()!;
    disconnectTip(cm);
    const newTip = cm.chain.tip()!;
    markFailed(cm, disconnected);
    cm.candidates.add(newTip);
    if (cm.bestHeaderIndex?.getAncestor(disconnected.height) === disconnected) cm.bestHeaderIndex = newTip;
    toMarkFailed = disconnected;
  }
  if (!wasInChain && !(index.status & BlockStatus.BLOCK_FAILED_VALID)) markFailed(cm, index);
  // Blocks off the failed branch that now have as much work as the tip may take over.
  const tip = cm.chain.tip()!;
  for (const e of cm.blockman.blockIndex.values()) {
    if (e.getAncestor(toMarkFailed.height) === toMarkFailed) continue;
    if (e.isValid() && e.chainTx > 0 && !candidateLess(e, tip)) cm.candidates.add(e);
  }
  invalidChainFound(cm, toMarkFailed);
  if (cm.bestHeaderIndex === undefined || cm.bestHeaderIndex.isFailed()) cm.bestHeaderIndex = tip;
  for (const e of cm.blockman.blockIndex.values()) if (!e.isFailed()) cm.noteHeader(e);
  // Core's InvalidateBlock tells subscribers of the tip it left, then invalidateblock activates the best chain.
  if (wasInChain) cm.signals.activeTipChange(tip, cm.isInitialBlockDownload());
  await activateBestChain(cm);
  return state;
}

/** Clears the failure flags of `index`, its ancestors and descendants (Core's ResetBlockFailureFlags). */
export function resetBlockFailureFlags(cm: ChainstateManager, index: BlockIndex): void {
  const tip = cm.chain.tip();
  for (const e of cm.blockman.blockIndex.values()) {
    if (!(e.status & BlockStatus.BLOCK_FAILED_VALID)) continue;
    if (e.getAncestor(index.height) !== index && index.getAncestor(e.height) !== e) continue;
    e.status &= ~(BlockStatus.BLOCK_FAILED_VALID | BlockStatus.BLOCK_FAILED_CHILD);
    cm.blockman.dirtyBlockIndex.add(e);
    if (e.isValid() && e.chainTx > 0 && (!tip || candidateLess(tip, e))) cm.candidates.add(e);
    if (e === cm.bestInvalid) cm.bestInvalid = undefined;
    cm.noteHeader(e);
  }
}

export async function reconsiderBlock(cm: ChainstateManager, index: BlockIndex): Promise<void> {
  resetBlockFailureFlags(cm, index);
  await activateBestChain(cm);
}

/**
 * Treats `index` as if it arrived before any block of equal work (Core's PreciousBlock): successive calls keep
 * winning over each other through ever lower sequence ids, until the tip's work moves on.
 */
export async function preciousBlock(cm: ChainstateManager, index: BlockIndex): Promise<BlockValidationState> {
  const state = new BlockValidationState();
  const tip = cm.chain.tip()!;
  if (index.chainWork < tip.chainWork) return state;
  if (tip.chainWork > cm.lastPreciousChainwork) cm.reverseSequenceId = -1;
  cm.lastPreciousChainwork = tip.chainWork;
  cm.candidates.delete(index);
  index.sequenceId = cm.reverseSequenceId;
  if (cm.reverseSequenceId > -0x80000000) cm.reverseSequenceId--;
  if (index.isValid() && index.chainTx > 0) {
    cm.candidates.add(index);
    pruneBlockIndexCandidates(cm);
  }
  await activateBestChain(cm);
  return state;
}
