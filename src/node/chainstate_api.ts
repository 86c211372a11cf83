// The chainstate as the rest of the node sees it (RPC, REST, mining, the IPC Mining interface): the contract that
// node/validation.ts implements. Everything here runs in the node's process; other processes go through interfaces/.
import type { BlockValidationState } from '../consensus/validation.js';
import type { ChainParams } from '../kernel/chainparams.js';
import type { Block, BlockHeader } from '../primitives/block.js';
import type { OutPoint } from '../primitives/transaction.js';
import type { BlockIndex, Chain } from './chain.js';
import type { Coin } from './coin.js';
import type { BlockUndo } from './undo.js';
import type { ValidationInterface } from './validationinterface.js';
import type { VersionBitsCache } from './versionbits.js';

export interface ProcessBlockResult {
  /** Whether the block was stored (or already known and valid). */
  accepted: boolean;
  /** Whether this call stored it for the first time (Core's new_block). */
  newBlock: boolean;
  state: BlockValidationState;
}

export interface ProcessBlockOptions {
  /** Store it even if it is not on a chain with more work than the tip (blocks we asked for or mined). */
  forceProcessing: boolean;
  /** The caller already checked its proof of work against its own target. */
  minPowChecked: boolean;
}

/** Reads of the UTXO set through the in-memory cache (misses go to the chainstate database). */
export interface CoinsReader {
  getCoin(outpoint: OutPoint): Coin | undefined;
  haveCoin(outpoint: OutPoint): boolean;
  /** Whether any of the outpoints is an unspent coin: haveCoin over all of them, in as few lookups below as it can. */
  haveAnyCoin?(outpoints: readonly OutPoint[]): boolean;
  /**
   * The coin getCoin would give, without caching it at this level (a look ahead that this view's owner will not
   * make itself); the views below may cache it.
   */
  peekCoin?(outpoint: OutPoint): Coin | undefined;
  /** Hash of the block the cache's view corresponds to (internal byte order). */
  getBestBlock(): Uint8Array;
}

/**
 * The writable coins cache that block connection works on (Core's CCoinsViewCache): node/coins.ts implements it,
 * node/connect_block.ts uses it. Changes stay in memory until the chainstate flushes them in one batch.
 */
export interface CoinsCache extends CoinsReader {
  /** Adds an unspent output. Without possibleOverwrite, an existing unspent coin there is a logic error. */
  addCoin(outpoint: OutPoint, coin: Coin, possibleOverwrite: boolean): void;
  /** Spends a coin; returns it (for undo data), or undefined when it was not there. */
  spendCoin(outpoint: OutPoint): Coin | undefined;
  setBestBlock(hash: Uint8Array): void;
}

/** What happened to the tip, for waiters (waitfornewblock, IPC waitTipChanged, longpoll). */
export interface TipChange {
  tip: BlockIndex;
  initialDownload: boolean;
}

export interface ChainstateManagerApi {
  readonly params: ChainParams;
  /** The active chain. Read it, never mutate it. */
  readonly chain: Chain;
  /** Every known header by display hex. */
  readonly blockIndex: ReadonlyMap<string, BlockIndex>;
  lookupBlockIndex(hashHex: string): BlockIndex | undefined;
  /** The valid header with the most work (Core's m_best_header). */
  bestHeader(): BlockIndex | undefined;
  isInitialBlockDownload(): boolean;
  /** Whether pruning is enabled, and the lowest height whose block data is still on disk. */
  readonly pruneMode: boolean;
  firstStoredHeight(): number;
  /** -prune's target in bytes; undefined without automatic pruning (-prune=1 or no pruning). For getblockchaininfo. */
  pruneTarget(): number | undefined;
  /** Bytes the blk/rev files take (Core's CalculateCurrentUsage), getblockchaininfo's size_on_disk. */
  calculateCurrentUsage(): number;

  processNewBlock(block: Block, opts: ProcessBlockOptions): Promise<ProcessBlockResult>;
  processNewBlockHeaders(headers: readonly BlockHeader[], minPowChecked: boolean): BlockValidationState;
  /**
   * Checks a block on top of the current tip without storing it (Core's TestBlockValidity). Asynchronous because
   * ConnectBlock joins the script-check workers.
   */
  testBlockValidity(block: Block, opts: { checkPow: boolean; checkMerkleRoot: boolean }): Promise<BlockValidationState>;

  /** Throws Core's texts: `Block not available (pruned data)`, `Block not found on disk`. */
  readBlock(index: BlockIndex): Block;
  readRawBlock(index: BlockIndex): Uint8Array;
  readBlockUndo(index: BlockIndex): BlockUndo;

  coinsTip(): CoinsReader;
  /** Flushes (unless told it just was), then walks every coin of the chainstate database in key order. */
  coinsCursor(opts?: { flush: boolean }): Iterable<[OutPoint, Coin]>;
  /** Approximate bytes the coins take in the chainstate database (Core's CCoinsViewDB::EstimateSize). */
  coinsDbEstimateSize(): number;
  /** Core's ForceFlushStateToDisk. */
  flush(): void;

  invalidateBlock(index: BlockIndex): Promise<BlockValidationState>;
  reconsiderBlock(index: BlockIndex): Promise<void>;
  preciousBlock(index: BlockIndex): Promise<BlockValidationState>;
  /** Core's CVerifyDB::VerifyDB on the active chain; true when everything checked out. */
  verifyDB(level: number, depth: number): Promise<boolean>;
  /** Prunes block files below `height`; returns the new first stored height - 1 (as pruneblockchain). */
  pruneBlockchain(height: number): number;
  /** Leaves of the block tree (for getchaintips), the active tip included. */
  chainTips(): BlockIndex[];

  /** BIP9 state caches (Core's m_versionbitscache); when absent, versionBitsCacheOf() keeps one for this object. */
  readonly versionBitsCache?: VersionBitsCache;

  /** Calls `cb` after each tip change (in order, off the validation path). Returns an unsubscribe function. */
  onTipChanged(cb: (change: TipChange) => void): () => void;
  /** Subscribes to the validation interface (Core's RegisterValidationInterface). Returns an unsubscribe function. */
  registerValidationInterface(listener: ValidationInterface): () => void;
  /** Resolves once every validation-interface notification queued so far has been delivered. */
  syncWithValidationInterfaceQueue(): Promise<void>;
}
