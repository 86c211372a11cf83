// Best-chain selection (Core's FindMostWorkChain, ActivateBestChain(Step), ConnectTip, DisconnectTip): the chain
// with the most work among fully received, not-invalid blocks becomes active, disconnecting back to the fork and
// connecting forward. Everything here is synchronous; callers yield between calls.
import { BlockValidationResult, BlockValidationState } from '../consensus/validation.js';
import type { Block } from '../primitives/block.js';
import { LogFlags } from '../util/logging.js';
import { formatISO8601DateTime } from '../util/logging_format.js';
import { type MaybeAsync, type MaybePromise, runMaybeAsync } from '../util/maybe_async.js';
import { candidateLess } from './block_candidates.js';
import type { BlockIndex } from './chain.js';
import { CoinsViewCache } from './coins.js';
import { BlockStatus } from './disk_block_index.js';
import type { BlockUndo } from './undo.js';
import { ChainstateFatalError, type ChainstateManager } from './validation.js';
import { FlushStateMode, flushStateToDisk } from './validation_flush.js';

export { candidateLess };

/** The last time isoDateTime formatted: a chain mined or synced in a burst has many tips in one second. */
let lastIsoSeconds = NaN;
let lastIsoText = '';

/** ISO 8601 date-time without milliseconds (Core's FormatISO8601DateTime). */
export function isoDateTime(seconds: number): string {
  if (seconds !== lastIsoSeconds) {
    lastIsoText = formatISO8601DateTime(seconds);
    lastIsoSeconds = seconds;
  }
  return lastIsoText;
}

export function log2Work(work: bigint): string {
  return Math.log2(Number(work)).toFixed(6);
}

/** Core's GuessVerificationProgress from the chain's transaction count and the network's ChainTxData. */
export function guessVerificationProgress(cm: ChainstateManager, index: BlockIndex | undefined): number {
  if (!index) return 0;
  if (index.chainTx <= 0) {
    cm.debug(LogFlags.VALIDATION, `Block ${index.height} has unset m_chain_tx_count. Unable to estimate verification progress.`);
    return 0;
  }
  const data = cm.params.chainTxData;
  const now = cm.clock.now();
  // Near the best header's time the estimate goes by height, so that it reaches exactly 1 at the best header
  // whatever time its miner wrote (Core's change of 2025).
  const best = cm.bestHeader();
  const blockTime = best !== undefined && Math.abs(now - index.time) <= 2 * 60 * 60 && best.height >= index.height
    ? now - (best.height - index.height) * cm.params.consensus.powTargetSpacing
    : index.time;
  const total = index.chainTx <= data.txCount
    ? data.txCount + (now - data.time) * data.txRate
    : index.chainTx + (now - blockTime) * data.txRate;
  return Math.min(index.chainTx / total, 1);
}

/** Core's InvalidChainFound: remember the best invalid block, fail its descendants, log both ends. */
export function invalidChainFound(cm: ChainstateManager, index: BlockIndex): void {
  if (!cm.bestInvalid || index.chainWork > cm.bestInvalid.chainWork) cm.bestInvalid = index;
  setBlockFailureFlags(cm, index);
  if (cm.bestHeaderIndex && cm.bestHeaderIndex.getAncestor(index.height) === index) recalculateBestHeader(cm);
  cm.log(`InvalidChainFound: invalid block=${index.hashHex} height=${index.height} log2_work=${log2Work(index.chainWork)} date=${isoDateTime(index.time)}`);
  const tip = cm.chain.tip()!;
  cm.log(`InvalidChainFound: current best=${tip.hashHex} height=${tip.height} log2_work=${log2Work(tip.chainWork)} date=${isoDateTime(tip.time)}`);
}

/** Core's InvalidBlockFound: a mutated block says nothing about its header, so only other failures mark it. */
export function invalidBlockFound(cm: ChainstateManager, index: BlockIndex, state: BlockValidationState): void {
  if (state.getResult() === BlockValidationResult.BLOCK_MUTATED) return;
  index.status |= BlockStatus.BLOCK_FAILED_VALID;
  cm.blockman.dirtyBlockIndex.add(index);
  cm.candidates.delete(index);
  invalidChainFound(cm, index);
}

/** Every descendant of an invalid block is invalid too (Core's SetBlockFailureFlags). */
export function setBlockFailureFlags(cm: ChainstateManager, invalid: BlockIndex): void {
  for (const e of cm.blockman.blockIndex.values()) {
    if (e !== invalid && e.getAncestor(invalid.height) === invalid && !(e.status & BlockStatus.BLOCK_FAILED_VALID)) {
      e.status |= BlockStatus.BLOCK_FAILED_VALID;
      cm.blockman.dirtyBlockIndex.add(e);
      cm.candidates.delete(e);
    }
  }
}

/** Core's RecalculateBestHeader: the valid header with the most work. */
export function recalculateBestHeader(cm: ChainstateManager): void {
  cm.bestHeaderIndex = cm.chain.tip();
  for (const e of cm.blockman.blockIndex.values()) {
    if (!e.isFailed() && cm.bestHeaderIndex && candidateLess(cm.bestHeaderIndex, e)) cm.bestHeaderIndex = e;
  }
}

/** Drops candidates that are worse than the tip (Core's PruneBlockIndexCandidates). */
export function pruneBlockIndexCandidates(cm: ChainstateManager): void {
  cm.candidates.pruneLessThan(cm.chain.tip()!);
}

/** The candidate with the most work whose whole branch is connectable (Core's FindMostWorkChain). */
function findMostWorkChain(cm: ChainstateManager): BlockIndex | undefined {
  for (;;) {
    const best = cm.candidates.best();
    if (best === undefined) return undefined;
    let bad: BlockIndex | undefined;
    for (let t: BlockIndex | undefined = best; t && !cm.chain.contains(t); t = t.prev) {
      const failed = (t.status & BlockStatus.BLOCK_FAILED_VALID) !== 0;
      if (failed || !t.haveData()) {
        if (failed && (!cm.bestInvalid || best.chainWork > cm.bestInvalid.chainWork)) cm.bestInvalid = best;
        for (let f: BlockIndex = best; f !== t; f = f.prev!) {
          if (!failed) cm.blockman.addUnlinkedBlock(f);
          cm.candidates.delete(f);
        }
        bad = t;
        break;
      }
    }
    if (bad === undefined) return best;
    cm.candidates.delete(bad);
  }
}

function updateTip(cm: ChainstateManager, tip: BlockIndex): void {
  cm.mempool?.addTransactionsUpdated(1);
  cm.updateIBDStatus();
  const progress = guessVerificationProgress(cm, tip).toFixed(6);
  const cache = (cm.coinsCache.dynamicMemoryUsage() / 1048576).toFixed(1);
  const version = (tip.version >>> 0).toString(16).padStart(8, '0');
  cm.log(`UpdateTip: new best=${tip.hashHex} height=${tip.height} version=0x${version} log2_work=${log2Work(tip.chainWork)} tx=${tip.chainTx} date='${isoDateTime(tip.time)}' progress=${progress} cache=${cache}MiB(${cm.coinsCache.cacheSize}txo)`);
}

/** Disconnects the tip with its undo data (Core's DisconnectTip). */
export function disconnectTip(cm: ChainstateManager): void {
  const index = cm.chain.tip()!;
  const block = cm.blockman.readBlock(index);
  const undo = cm.blockman.readBlockUndo(index);
  const view = new CoinsViewCache(cm.coinsCache);
  if (cm.connector.disconnectBlock(block, index, undo, view) !== 'ok') {
    throw new ChainstateFatalError(`DisconnectTip(): DisconnectBlock ${index.hashHex} failed`);
  }
  view.setBestBlock(index.prev!.hash);
  view.flush();
  flushStateToDisk(cm, FlushStateMode.IF_NEEDED);
  cm.chain.setTip(index.prev);
  updateTip(cm, index.prev!);
  cm.signals.blockDisconnected(block, index);
}

/**
 * Connects `index` on top of the tip (Core's ConnectTip): ConnectBlock on a scratch view, undo data to the rev file,
 * then the view into the coins cache. Returns false with `state` set when the block is invalid.
 */
function* connectTip(cm: ChainstateManager, index: BlockIndex, given: Block | undefined, state: BlockValidationState, connected: [Block, BlockIndex][], next: BlockIndex | undefined): MaybeAsync<boolean> {
  const block = given ?? cm.readAhead.take(index) ?? cm.blockman.readBlock(index);
  const view = new CoinsViewCache(cm.coinsCache);
  if (index.height > 0) {
    const connecting = cm.connector.connectBlock(block, index, view, state, false, (undo) => whileScriptsRun(cm, undo, index, view, next));
    // Waited for only when script checks went to the pool: otherwise the result is here, and a turn is saved.
    const undo = connecting instanceof Promise ? (yield connecting) as BlockUndo | undefined : connecting;
    // Core writes the undo data inside ConnectBlock, so subscribers hear BlockChecked after it.
    if (undo !== undefined) {
      cm.blockman.writeBlockUndo(undo, index);
      if (index.raiseValidity(BlockStatus.BLOCK_VALID_SCRIPTS)) cm.blockman.dirtyBlockIndex.add(index);
    }
    cm.signals.blockChecked(block, state);
    if (undo === undefined) {
      if (state.isInvalid()) invalidBlockFound(cm, index, state);
      cm.logger.error(`ConnectTip: ConnectBlock ${index.hashHex} failed, ${state.toString()}`);
      return false;
    }
  } else {
    // ConnectBlock has nothing to check in the genesis block, and says so.
    cm.signals.blockChecked(block, state);
  }
  view.setBestBlock(index.hash);
  view.flush();
  flushStateToDisk(cm, FlushStateMode.IF_NEEDED);
  // Core's mempool removeForBlock: ours holds no transactions, so none leave it, but subscribers hear of the block.
  if (cm.mempool) cm.signals.mempoolTransactionsRemovedForBlock([], index.height);
  cm.chain.setTip(index);
  updateTip(cm, index);
  connected.push([block, index]);
  return true;
}

/**
 * Serial work of ConnectTip that needs no script verdict, done while the workers verify `index`: its undo bytes, and
 * for the block connected next (when it is not given: the caller's block is in hand) the read, the context-free
 * checks and the posting of its script checks on top of `view` (which holds `index`'s changes), so that the workers
 * go on to them without waiting for its turn.
 */
function whileScriptsRun(cm: ChainstateManager, undo: BlockUndo, index: BlockIndex, view: CoinsViewCache, next: BlockIndex | undefined): void {
  cm.blockman.prepareBlockUndo(undo, index);
  if (next === undefined) return;
  let passed = false;
  const block = cm.readAhead.load(next, (i) => {
    const read = cm.blockman.readBlock(i);
    passed = cm.connector.precheckBlock?.(read) ?? false;
    return read;
  });
  if (block !== undefined && passed) cm.connector.postScriptsAhead?.(block, next, view);
}

/** One step toward `target` (Core's ActivateBestChainStep): back to the fork, then forward up to 32 blocks. */
function* activateBestChainStep(cm: ChainstateManager, target: BlockIndex, block: Block | undefined, connected: [Block, BlockIndex][], checked: { state?: BlockValidationState }): MaybeAsync<boolean> {
  const oldTip = cm.chain.tip();
  const fork = cm.chain.findFork(target);
  while (cm.chain.tip() && cm.chain.tip() !== fork) disconnectTip(cm);
  let height = fork ? fork.height : -1;
  let invalidFound = false;
  while (height !== target.height) {
    const targetHeight = Math.min(height + 32, target.height);
    const toConnect: BlockIndex[] = [];
    for (let i = target.getAncestor(targetHeight); i && i.height !== height; i = i.prev) toConnect.unshift(i);
    height = targetHeight;
    for (let k = 0; k < toConnect.length; k++) {
      const index = toConnect[k]!;
      const state = new BlockValidationState();
      // The caller's block (the target's, when given) is in hand: it needs no read ahead.
      const next = toConnect[k + 1] === target && block ? undefined : toConnect[k + 1];
      const ok = yield* connectTip(cm, index, index === target ? block : undefined, state, connected, next);
      if (block && index.hashHex === block.header.hashHex()) checked.state = state;
      if (!ok) {
        if (!state.isInvalid()) throw new ChainstateFatalError(`ConnectTip failed: ${state.toString()}`);
        if (state.getResult() !== BlockValidationResult.BLOCK_MUTATED) invalidChainFound(cm, toConnect[toConnect.length - 1]!);
        invalidFound = true;
        break;
      }
      pruneBlockIndexCandidates(cm);
      if (!oldTip || cm.chain.tip()!.chainWork > oldTip.chainWork) return invalidFound;
    }
    if (invalidFound) break;
  }
  return invalidFound;
}

/**
 * Makes the most-work valid chain active (Core's ActivateBestChain), queueing BlockConnected/Disconnected and
 * UpdatedBlockTip. Returns the validation state of `block` when it was connected or failed here: at once when
 * nothing had to wait (one block on the tip, scripts checked inline), else as a promise.
 */
export function activateBestChain(cm: ChainstateManager, block?: Block): MaybePromise<BlockValidationState | undefined> {
  return runMaybeAsync(activateBestChainWork(cm, block));
}

function* activateBestChainWork(cm: ChainstateManager, block: Block | undefined): MaybeAsync<BlockValidationState | undefined> {
  const checked: { state?: BlockValidationState } = {};
  // Core's pindexMostWork: found once and kept while the tip moves toward it (a step connects one block), found
  // again only after an invalid block. Finding it walks from the candidate back to the active chain, so finding it
  // per step made a reindex quadratic in the chain's length. Between steps only headers can arrive: whatever else
  // changes the candidates runs as exclusive work, as Core's m_chainstate_mutex keeps it out.
  let target: BlockIndex | undefined;
  for (let step = 0; ; step++) {
    target ??= findMostWorkChain(cm);
    if (target === undefined || target === cm.chain.tip()) break;
    if (step > 0) {
      // More than one block to connect (reindex, a big reorg): RPC keeps being served, as Core's other threads are.
      yield new Promise((resolve) => setImmediate(resolve));
      if (cm.interrupted) break;
    }
    const startTip = cm.chain.tip();
    const connected: [Block, BlockIndex][] = [];
    const blockForTarget = block && block.header.hashHex() === target.hashHex ? block : undefined;
    if (yield* activateBestChainStep(cm, target, blockForTarget, connected, checked)) target = undefined;
    for (const [b, i] of connected) cm.signals.blockConnected(b, i);
    const newTip = cm.chain.tip();
    if (newTip && newTip !== startTip) cm.signals.updatedBlockTip(newTip, cm.chain.findFork(startTip), cm.isInitialBlockDownload());
    // Even when the tip did not move (Core's ActiveTipChange after every activation step).
    if (newTip) cm.signals.activeTipChange(newTip, cm.isInitialBlockDownload());
  }
  flushStateToDisk(cm, FlushStateMode.PERIODIC);
  return checked.state;
}

/** Leaves of the block tree plus the active tip (what getchaintips lists). */
export function chainTips(cm: ChainstateManager): BlockIndex[] {
  const hasChild = new Set<BlockIndex>();
  for (const e of cm.blockman.blockIndex.values()) if (e.prev) hasChild.add(e.prev);
  const tips = [...cm.blockman.blockIndex.values()].filter((e) => !hasChild.has(e));
  const tip = cm.chain.tip();
  if (tip && !tips.includes(tip)) tips.push(tip);
  return tips;
}
