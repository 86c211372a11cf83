// Accepting headers and blocks into the block index (Core's AcceptBlockHeader, AcceptBlock, ProcessNewBlock's checks,
// ReceivedBlockTransactions) and TestBlockValidity.
import type { MaybePromise } from '../util/maybe_async.js';
import { checkBlock, checkBlockHeader, checkBlockOptionsWith, contextualCheckBlock, contextualCheckBlockHeader } from '../consensus/block_check.js';
import { BuriedDeployment, deploymentActiveAt } from '../consensus/params.js';
import { BlockValidationResult, BlockValidationState } from '../consensus/validation.js';
import type { Block, BlockHeader } from '../primitives/block.js';
import { bytesEqual, hashToHex } from '../util/hex.js';
import { LogFlags } from '../util/logging.js';
import { MIN_BLOCKS_TO_KEEP } from './blockstorage_prune.js';
import { BlockIndex } from './chain.js';
import { CoinsViewCache } from './coins.js';
import { BlockStatus } from './disk_block_index.js';
import type { FlatFilePos } from './flatfile.js';
import type { ChainstateManager } from './validation.js';
import { invalidBlockFound } from './validation_chain.js';
import { FlushStateMode, flushStateToDisk } from './validation_flush.js';

/** Core's AcceptBlockHeader: returns the (new or known) index, or undefined with `state` saying why not. */
export function acceptBlockHeader(cm: ChainstateManager, header: BlockHeader, state: BlockValidationState, minPowChecked: boolean): BlockIndex | undefined {
  const hashHex = header.hashHex();
  const consensus = cm.params.consensus;
  const known = cm.blockman.lookup(hashHex);
  if (!bytesEqual(header.hash, consensus.hashGenesisBlock)) {
    if (known) {
      if (known.status & BlockStatus.BLOCK_FAILED_VALID) {
        cm.debug(LogFlags.VALIDATION, `AcceptBlockHeader: block ${hashHex} is marked invalid`);
        state.invalid(BlockValidationResult.BLOCK_CACHED_INVALID, 'duplicate-invalid', `block ${hashHex} was previously marked invalid`);
        return undefined;
      }
      return known;
    }
    if (!checkBlockHeader(header, state, consensus)) {
      cm.debug(LogFlags.VALIDATION, `AcceptBlockHeader: Consensus::CheckBlockHeader: ${hashHex}, ${state.toString()}`);
      return undefined;
    }
    const prev = cm.blockman.lookup(header.prevHashHex());
    if (!prev) {
      cm.debug(LogFlags.VALIDATION, `header ${hashHex} has prev block not found: ${hashToHex(header.hashPrevBlock)}`);
      state.invalid(BlockValidationResult.BLOCK_MISSING_PREV, 'prev-blk-not-found');
      return undefined;
    }
    if (prev.status & BlockStatus.BLOCK_FAILED_VALID) {
      cm.debug(LogFlags.VALIDATION, `header ${hashHex} has prev block invalid: ${hashToHex(header.hashPrevBlock)}`);
      state.invalid(BlockValidationResult.BLOCK_INVALID_PREV, 'bad-prevblk');
      return undefined;
    }
    if (!contextualCheckBlockHeader(header, state, prev, consensus, cm.clock.now())) {
      cm.debug(LogFlags.VALIDATION, `AcceptBlockHeader: Consensus::ContextualCheckBlockHeader: ${hashHex}, ${state.toString()}`);
      return undefined;
    }
  } else if (known) {
    return known;
  }
  if (!minPowChecked) {
    cm.debug(LogFlags.VALIDATION, `AcceptBlockHeader: not adding new block header ${hashHex}, missing anti-dos proof-of-work validation`);
    state.invalid(BlockValidationResult.BLOCK_HEADER_LOW_WORK, 'too-little-chainwork');
    return undefined;
  }
  const index = cm.blockman.addToBlockIndex(header);
  cm.noteHeader(index);
  return index;
}

export function processNewBlockHeaders(cm: ChainstateManager, headers: readonly BlockHeader[], minPowChecked: boolean): BlockValidationState {
  const state = new BlockValidationState();
  for (const header of headers) {
    if (!acceptBlockHeader(cm, header, state, minPowChecked)) break;
  }
  return state;
}

/**
 * Marks a block's data as received (Core's ReceivedBlockTransactions): when its parent's chain is complete, it and
 * any waiting descendants get chainTx and a sequence id and become candidates for the tip.
 */
export function receivedBlockTransactions(cm: ChainstateManager, block: Block, index: BlockIndex, pos: FlatFilePos): void {
  index.nTx = block.vtx.length;
  index.file = pos.file;
  index.dataPos = pos.pos;
  index.undoPos = 0;
  index.status |= BlockStatus.BLOCK_HAVE_DATA;
  if (deploymentActiveAt(index.height, cm.params.consensus, BuriedDeployment.DEPLOYMENT_SEGWIT)) index.status |= BlockStatus.BLOCK_OPT_WITNESS;
  index.raiseValidity(BlockStatus.BLOCK_VALID_TRANSACTIONS);
  cm.blockman.dirtyBlockIndex.add(index);
  if (index.prev && index.prev.chainTx === 0) {
    cm.blockman.addUnlinkedBlock(index);
    return;
  }
  const queue = [index];
  while (queue.length > 0) {
    const e = queue.shift()!;
    e.chainTx = e.nTx + (e.prev?.chainTx ?? 0);
    e.sequenceId = cm.nextSequenceId++;
    cm.tryAddCandidate(e);
    const waiting = cm.blockman.blocksUnlinked.get(e);
    if (waiting) {
      queue.push(...waiting);
      cm.blockman.blocksUnlinked.delete(e);
    }
  }
}

export interface AcceptResult {
  accepted: boolean;
  newBlock: boolean;
  state: BlockValidationState;
  index?: BlockIndex;
}

/**
 * ProcessNewBlock's first half: CheckBlock, then AcceptBlock (header, contextual checks, write to disk). `dbp` is the
 * block's position when it is already in a blk file (reindex).
 */
export function acceptBlock(cm: ChainstateManager, block: Block, requested: boolean, minPowChecked: boolean, dbp?: FlatFilePos): AcceptResult {
  const state = new BlockValidationState();
  const consensus = cm.params.consensus;
  const fail = (index?: BlockIndex): AcceptResult => {
    cm.signals.blockChecked(block, state);
    cm.logger.error(`ProcessNewBlock: AcceptBlock FAILED (${state.toString()})`);
    return { accepted: false, newBlock: false, state, index };
  };
  if (!checkBlock(block, state, consensus, cm.checkBlockOptions)) return fail();
  const index = acceptBlockHeader(cm, block.header, state, minPowChecked);
  if (!index) return fail();
  if (index.haveData()) return { accepted: true, newBlock: false, state, index };
  const tip = cm.chain.tip();
  if (!requested) {
    const moreWork = tip ? index.chainWork >= tip.chainWork : true;
    const tooFarAhead = index.height > cm.chain.height() + MIN_BLOCKS_TO_KEEP;
    if (index.nTx !== 0 || !moreWork || tooFarAhead || index.chainWork < cm.minimumChainWork) {
      return { accepted: true, newBlock: false, state, index };
    }
  }
  if (!contextualCheckBlock(block, state, index.prev, consensus)) {
    if (state.isInvalid()) invalidBlockFound(cm, index, state);
    cm.logger.error(`AcceptBlock: ${state.toString()}`);
    return fail(index);
  }
  // Core relays such a block at once; its subscribers hear of it before it is stored.
  if (!cm.isInitialBlockDownload() && tip === index.prev) cm.signals.newPoWValidBlock(index, block);
  let pos: FlatFilePos;
  if (dbp) {
    pos = dbp;
    cm.blockman.updateBlockInfo(block, index.height, pos);
  } else {
    pos = cm.blockman.writeBlock(block, index.height);
  }
  receivedBlockTransactions(cm, block, index, pos);
  flushStateToDisk(cm, FlushStateMode.NONE);
  return { accepted: true, newBlock: true, state, index };
}

/**
 * Core's TestBlockValidity: every check of connecting `block` on the tip, without storing anything. The state comes
 * back at once unless script checks went to the pool.
 */
export function testBlockValidity(cm: ChainstateManager, block: Block, opts: { checkPow: boolean; checkMerkleRoot: boolean }): MaybePromise<BlockValidationState> {
  const state = new BlockValidationState();
  const tip = cm.chain.tip()!;
  if (!bytesEqual(block.header.hashPrevBlock, tip.hash)) {
    state.invalid(BlockValidationResult.BLOCK_RESULT_UNSET, 'inconclusive-not-best-prevblk');
    return state;
  }
  const consensus = cm.params.consensus;
  if (!checkBlock(block, state, consensus, checkBlockOptionsWith(cm.checkBlockOptions, opts.checkPow, opts.checkMerkleRoot))) return state;
  if (!contextualCheckBlockHeader(block.header, state, tip, consensus, cm.clock.now())) return state;
  if (!contextualCheckBlock(block, state, tip, consensus)) return state;
  const dummy = new BlockIndex(block.header, tip);
  const checking = cm.connector.connectBlock(block, dummy, new CoinsViewCache(cm.coinsCache), state, true);
  return checking instanceof Promise ? checking.then(() => state) : state;
}
