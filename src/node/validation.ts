// The chainstate manager (Core's ChainstateManager with its one Chainstate): the block index, the active chain, the
// coins cache over the chainstate database, block acceptance and best-chain activation. The work is split over
// validation_*.ts; this class holds the state and implements the ChainstateManagerApi contract.
import type { MaybePromise } from '../util/maybe_async.js';
import type { CheckBlockOptions } from '../consensus/block_check.js';
import type { BlockValidationState } from '../consensus/validation.js';
import type { ChainParams } from '../kernel/chainparams.js';
import type { Block, BlockHeader } from '../primitives/block.js';
import type { OutPoint } from '../primitives/transaction.js';
import { LogFlags, LogSite, type Logger } from '../util/logging.js';
import type { NodeClock } from '../util/time.js';
import { BlockIndexCandidates } from './block_candidates.js';
import { BlockReadAhead } from './block_readahead.js';
import { type BlockManager, PRUNE_TARGET_MANUAL } from './blockstorage.js';
import { BlockStorageError } from './blockstorage_format.js';
import { firstStoredHeight } from './blockstorage_prune.js';
import { BlockIndex, Chain } from './chain.js';
import type {
  ChainstateManagerApi, CoinsCache, CoinsReader, ProcessBlockOptions, ProcessBlockResult, TipChange,
} from './chainstate_api.js';
import type { Coin } from './coin.js';
import type { DisconnectResult } from './connect_coins.js';
import type { CoinsViewCache } from './coins.js';
import type { CoinsViewDB } from './txdb.js';
import type { BlockUndo } from './undo.js';
import { activateBestChain, candidateLess, chainTips, pruneBlockIndexCandidates } from './validation_chain.js';
import { acceptBlock, processNewBlockHeaders, testBlockValidity } from './validation_accept.js';
import { FlushStateMode, flushStateToDisk, pruneBlockchain } from './validation_flush.js';
import { invalidateBlock, preciousBlock, reconsiderBlock } from './validation_invalidate.js';
import { ValidationSignals, type ValidationInterface } from './validationinterface.js';
import { verifyDB } from './verifydb.js';

/** Core's DEFAULT_MAX_TIP_AGE: a tip older than a day means we are still catching up. */
export const DEFAULT_MAX_TIP_AGE = 24 * 60 * 60;

export type { DisconnectResult } from './connect_coins.js';

/**
 * Block connection, written against the coins cache (node/connect_block.ts): ConnectBlock applies a block's
 * transactions to `view` after checking them, and returns the undo data (undefined with `state` set when invalid);
 * DisconnectBlock reverses a block with its undo data.
 */
export interface BlockConnector {
  /**
   * `whileScriptsRun` gets the undo data while script workers verify the block (it is not called when scripts ran
   * inline or nothing went to the workers).
   */
  connectBlock(block: Block, index: BlockIndex, view: CoinsCache, state: BlockValidationState, justCheck: boolean, whileScriptsRun?: (undo: BlockUndo) => void): MaybePromise<BlockUndo | undefined>;
  /**
   * Optional: CheckBlock ahead of ConnectBlock for a block read early, remembered in the block when it passes;
   * returns whether it passed.
   */
  precheckBlock?(block: Block): boolean;
  /**
   * Optional: the script checks of the block connected next (`index`, on top of `view`), started while the current
   * block's are verified. Its connection uses them only where they are still the same checks.
   */
  postScriptsAhead?(block: Block, index: BlockIndex, view: CoinsCache): void;
  disconnectBlock(block: Block, index: BlockIndex, undo: BlockUndo, view: CoinsCache): DisconnectResult;
}

/** Block or undo data that cannot be served (Core's RPC_MISC_ERROR texts of GetBlockChecked/GetUndoChecked). */
export class BlockDataError extends Error {
  override name = 'BlockDataError';
}

/** A failure that stops the node (Core's FatalError / AbortNode): the message is the user-facing text. */
export class ChainstateFatalError extends Error {
  override name = 'ChainstateFatalError';
}

/** What the chainstate tells the mempool of each new tip (Core's AddTransactionsUpdated from UpdateTip). */
export interface TipUpdateListener {
  addTransactionsUpdated(n: number): void;
}

export interface ChainstateManagerOptions {
  params: ChainParams;
  clock: NodeClock;
  logger: Logger;
  connector: BlockConnector;
  /** Coins cache budget in bytes (the part of -dbcache the coins tip gets). */
  coinsCacheBytes: number;
  /** -maxtipage in seconds. */
  maxTipAge?: number;
  /** -minimumchainwork. */
  minimumChainWork?: bigint;
  /** -maxmempool in bytes: the mempool's unused allowance goes to the coins cache (the node's pool is empty). */
  maxMempoolBytes?: number;
  /** The node's mempool, told of every new tip as Core's UpdateTip tells it (getblocktemplate's longpollid). */
  mempool?: TipUpdateListener;
  /** The signet block solution check, required on signet (CheckBlock throws without it there). */
  checkBlockOptions?: Pick<CheckBlockOptions, 'checkSignetSolution'>;
}

/** Every validation line comes through log(): one location, looked up once. */
const validationLogSite = new LogSite();
const VALIDATION_LOG = { site: validationLogSite };

export class ChainstateManager implements ChainstateManagerApi {
  readonly params: ChainParams;
  readonly chain = new Chain();
  /** Blocks that could become the tip: fully received, not invalid, at least as much work as the tip. */
  readonly candidates = new BlockIndexCandidates();
  coinsDB!: CoinsViewDB;
  coinsCache!: CoinsViewCache;
  bestHeaderIndex: BlockIndex | undefined;
  bestInvalid: BlockIndex | undefined;
  /** Core's nBlockSequenceId (0 marks the loaded best chain, 1 headers and blocks loaded from disk). */
  nextSequenceId = 2;
  reverseSequenceId = -1;
  lastPreciousChainwork = 0n;
  private cachedIBD = true;
  /** Milliseconds (node clock) at which a periodic flush is due; undefined until the first flush decision. */
  nextWrite: number | undefined;
  lastFlushedBlock: BlockIndex | undefined;
  /** True while -reindex or -loadblock feed blocks from files (Core's LoadingBlocks). */
  importing = false;
  /** Set by interrupt(): long jobs (activation, import, reindex) stop between blocks (Core's m_interrupt). */
  interrupted = false;
  readonly signals: ValidationSignals;
  private queueTail: Promise<unknown> = Promise.resolve();
  readonly clock: NodeClock;
  readonly logger: Logger;
  readonly connector: BlockConnector;
  readonly coinsCacheBytes: number;
  readonly maxMempoolBytes: number;
  readonly mempool: TipUpdateListener | undefined;
  readonly maxTipAge: number;
  readonly minimumChainWork: bigint;
  readonly checkBlockOptions: Pick<CheckBlockOptions, 'checkSignetSolution'>;
  /**
   * Why the last block's scripts were verified (null: they were not), as last logged; undefined before the first
   * block (Core's m_last_script_check_reason_logged).
   */
  lastScriptCheckReasonLogged: string | null | undefined = undefined;
  /** The next block to connect, read while the script workers verify the current one. */
  readonly readAhead = new BlockReadAhead();

  constructor(readonly blockman: BlockManager, opts: ChainstateManagerOptions) {
    this.params = opts.params;
    this.clock = opts.clock;
    this.logger = opts.logger;
    this.connector = opts.connector;
    this.coinsCacheBytes = opts.coinsCacheBytes;
    this.maxMempoolBytes = Math.max(0, opts.maxMempoolBytes ?? 0);
    this.mempool = opts.mempool;
    this.maxTipAge = opts.maxTipAge ?? DEFAULT_MAX_TIP_AGE;
    this.minimumChainWork = opts.minimumChainWork ?? 0n;
    this.checkBlockOptions = opts.checkBlockOptions ?? {};
    this.signals = new ValidationSignals((err) => this.logger.error(`Validation interface subscriber failed: ${String(err)}`), {
      enabled: () => this.logger.shouldDebugLog(LogFlags.VALIDATION),
      debug: (message) => this.logger.debug(LogFlags.VALIDATION, message),
    });
  }

  log(msg: string): void {
    this.logger.info(msg, VALIDATION_LOG);
  }

  debug(category: number, msg: string): void {
    this.logger.debug(category, msg);
  }

  get blockIndex(): ReadonlyMap<string, BlockIndex> {
    return this.blockman.blockIndex;
  }

  lookupBlockIndex(hashHex: string): BlockIndex | undefined {
    return this.blockman.lookup(hashHex);
  }

  bestHeader(): BlockIndex | undefined {
    return this.bestHeaderIndex;
  }

  get pruneMode(): boolean {
    return this.blockman.pruneMode;
  }

  firstStoredHeight(): number {
    return firstStoredHeight(this.chain.tip());
  }

  /** -prune's target in bytes; undefined when pruning is off or manual only (-prune=1). */
  pruneTarget(): number | undefined {
    const t = this.blockman.pruneTarget;
    return t === 0 || t === PRUNE_TARGET_MANUAL ? undefined : t;
  }

  /** Bytes of all blk and rev files (Core's CalculateCurrentUsage). */
  calculateCurrentUsage(): number {
    return this.blockman.calculateCurrentUsage();
  }

  /** Approximate bytes of the coins in the chainstate database (Core's CCoinsViewDB::EstimateSize). */
  coinsDbEstimateSize(): number {
    return this.coinsDB.estimateSize();
  }

  /** Core's IsInitialBlockDownload: latched to false for good once the tip was recent and had enough work. */
  isInitialBlockDownload(): boolean {
    return this.cachedIBD;
  }

  /** Core's UpdateIBDStatus, called whenever the tip moves. Never while blocks are loaded (Core's LoadingBlocks). */
  updateIBDStatus(): void {
    if (!this.cachedIBD || this.importing || !this.blockman.blockfilesIndexed) return;
    const tip = this.chain.tip();
    if (!tip || tip.chainWork < this.minimumChainWork) return;
    if (tip.time < this.clock.now() - this.maxTipAge) return;
    this.log('Leaving InitialBlockDownload (latching to false)');
    this.cachedIBD = false;
  }

  /** Records a better header (Core's m_best_header). */
  noteHeader(index: BlockIndex): void {
    if (this.bestHeaderIndex === undefined || candidateLess(this.bestHeaderIndex, index)) this.bestHeaderIndex = index;
  }

  /** Core's TryAddBlockIndexCandidate. */
  tryAddCandidate(index: BlockIndex): void {
    const tip = this.chain.tip();
    if (tip !== undefined && candidateLess(index, tip)) return;
    this.candidates.add(index);
  }

  /** Core's PopulateBlockIndexCandidates, after loading. */
  populateCandidates(): void {
    for (const e of this.blockman.blockIndex.values()) {
      if (e.isValid() && e.chainTx > 0) this.tryAddCandidate(e);
    }
    if (this.chain.tip()) pruneBlockIndexCandidates(this);
  }

  /**
   * Runs chain-changing work one job at a time (Core's m_chainstate_mutex): block connection awaits the script
   * workers, and nothing else may move the tip meanwhile.
   */
  exclusive<T>(job: () => MaybePromise<T>): Promise<T> {
    const run = this.queueTail.then(job);
    this.queueTail = run.catch(() => undefined);
    return run;
  }

  processNewBlock(block: Block, opts: ProcessBlockOptions): Promise<ProcessBlockResult> {
    return this.exclusive(() => {
      const { accepted, newBlock, state } = acceptBlock(this, block, opts.forceProcessing, opts.minPowChecked);
      if (!accepted) return { accepted, newBlock, state };
      const result = (connectState: BlockValidationState | undefined): ProcessBlockResult => ({ accepted: true, newBlock, state: connectState ?? state });
      // A promise only when the block's scripts went to the pool.
      const connecting = activateBestChain(this, block);
      return connecting instanceof Promise ? connecting.then(result) : result(connecting);
    });
  }

  /** Connects the best chain the index knows (after start, or after blocks arrived out of order). */
  activateBestChain(): Promise<BlockValidationState | undefined> {
    return this.exclusive(() => activateBestChain(this));
  }

  processNewBlockHeaders(headers: readonly BlockHeader[], minPowChecked: boolean): BlockValidationState {
    return processNewBlockHeaders(this, headers, minPowChecked);
  }

  testBlockValidity(block: Block, opts: { checkPow: boolean; checkMerkleRoot: boolean }): Promise<BlockValidationState> {
    return this.exclusive(() => testBlockValidity(this, block, opts));
  }

  /** Core's GetBlockChecked: the texts RPC shows when a block's data is missing or unreadable. */
  readBlock(index: BlockIndex): Block {
    this.requireData(index, false);
    return this.readOrThrow(() => this.blockman.readBlock(index), 'Block not found on disk');
  }

  readRawBlock(index: BlockIndex): Uint8Array {
    this.requireData(index, false);
    return this.readOrThrow(() => this.blockman.readRawBlock(index), 'Block not found on disk');
  }

  /** Core's GetUndoChecked: the genesis block has empty undo data. */
  readBlockUndo(index: BlockIndex): BlockUndo {
    if (index.height === 0) return { vtxundo: [] };
    this.requireData(index, true);
    return this.readOrThrow(() => this.blockman.readBlockUndo(index), "Can't read undo data from disk");
  }

  /** Core's CheckBlockDataAvailability. */
  private requireData(index: BlockIndex, undo: boolean): void {
    if (undo ? index.haveUndo() : index.haveData()) return;
    const what = undo ? 'Undo data' : 'Block';
    if (this.blockman.isBlockPruned(index)) throw new BlockDataError(`${what} not available (pruned data)`);
    throw new BlockDataError(undo ? 'Undo data not available' : 'Block not available (not fully downloaded)');
  }

  /** A read that fails is logged with the storage layer's text and reported with Core's RPC text. */
  private readOrThrow<T>(read: () => T, text: string): T {
    try {
      return read();
    } catch (e) {
      if (!(e instanceof BlockStorageError) && (e as NodeJS.ErrnoException).code === undefined) throw e;
      this.logger.error((e as Error).message);
      throw new BlockDataError(text, { cause: e });
    }
  }

  coinsTip(): CoinsReader {
    return this.coinsCache;
  }

  *coinsCursor(opts: { flush: boolean } = { flush: true }): Iterable<[OutPoint, Coin]> {
    if (opts.flush) this.flush();
    yield* this.coinsDB.cursor();
  }

  flush(): void {
    flushStateToDisk(this, FlushStateMode.FORCE_SYNC);
  }

  invalidateBlock(index: BlockIndex): Promise<BlockValidationState> {
    return this.exclusive(() => invalidateBlock(this, index));
  }

  reconsiderBlock(index: BlockIndex): Promise<void> {
    return this.exclusive(() => reconsiderBlock(this, index));
  }

  preciousBlock(index: BlockIndex): Promise<BlockValidationState> {
    return this.exclusive(() => preciousBlock(this, index));
  }

  verifyDB(level: number, depth: number): Promise<boolean> {
    return this.exclusive(() => verifyDB(this, level, depth));
  }

  pruneBlockchain(height: number): number {
    return pruneBlockchain(this, height);
  }

  chainTips(): BlockIndex[] {
    return chainTips(this);
  }

  onTipChanged(cb: (change: TipChange) => void): () => void {
    return this.signals.register({ updatedBlockTip: (tip, _fork, initialDownload) => cb({ tip, initialDownload }) });
  }

  registerValidationInterface(listener: ValidationInterface): () => void {
    return this.signals.register(listener);
  }

  syncWithValidationInterfaceQueue(): Promise<void> {
    return this.signals.sync();
  }

  /** Asks running chain work to stop at the next block boundary; the chain stays consistent. */
  interrupt(): void {
    this.interrupted = true;
  }

  /** Flushes everything and closes the databases (Core's shutdown path). */
  close(): void {
    if (this.coinsCache) flushStateToDisk(this, FlushStateMode.FORCE_FLUSH);
    this.coinsDB?.close();
    this.blockman.close();
  }
}
