// Mining: block templates and block submission for external miners (Stratum v2 template providers, etc.).

/** A block by hash (32 bytes, internal byte order) and height. */
export interface BlockRef {
  hash: Uint8Array;
  height: number;
}

/** Options of createNewBlock; omitted fields take Core's defaults. */
export interface BlockCreateOptions {
  /** Include mempool transactions (default true). */
  useMempool?: boolean;
  /** Weight reserved for the coinbase and block header (default 8000). */
  blockReservedWeight?: bigint;
  /** Sigops the miner may add in coinbase outputs (default 400). */
  coinbaseOutputMaxAdditionalSigops?: bigint;
}

/** Options of BlockTemplate.waitNext; omitted fields take Core's defaults. */
export interface BlockWaitOptions {
  /** Milliseconds to wait (default: forever). */
  timeout?: number;
  /** Fee increase in satoshis that makes a new template worth returning (default: MAX_MONEY). */
  feeThreshold?: bigint;
}

/** Options of checkBlock. */
export interface BlockCheckOptions {
  checkMerkleRoot?: boolean;
  checkPow?: boolean;
}

/** What a miner needs to build its own coinbase transaction. */
export interface CoinbaseTx {
  version: number;
  sequence: number;
  /** The BIP34 height push only; miners append their own extranonce. */
  scriptSigPrefix: Uint8Array;
  /** Witness reserved value; empty when the block has no witness commitment. */
  witness: Uint8Array;
  /** Subsidy plus fees, in satoshis. */
  blockRewardRemaining: bigint;
  /** Serialized outputs the coinbase must contain (e.g. the witness commitment). */
  requiredOutputs: Uint8Array[];
  lockTime: number;
}

/** `bool f(…, reason&, debug&)` in Core: the out-parameters become fields. */
export interface CheckResult {
  reason: string;
  debug: string;
  result: boolean;
}

export interface BlockTemplate {
  /** Frees the template. */
  destroy(): Promise<void>;
  /** The 80-byte block header. */
  getBlockHeader(): Promise<Uint8Array>;
  /** The whole block (with a dummy coinbase), serialized with witness. */
  getBlock(): Promise<Uint8Array>;
  /** Fee of each transaction in satoshis, coinbase excluded. */
  getTxFees(): Promise<bigint[]>;
  /** Sigops cost of each transaction, coinbase excluded. */
  getTxSigops(): Promise<bigint[]>;
  getCoinbaseTx(): Promise<CoinbaseTx>;
  /** Merkle branch of the coinbase, deepest first. */
  getCoinbaseMerklePath(): Promise<Uint8Array[]>;
  /**
   * Sets version, time, nonce and coinbase (with its witness) in the template's block and submits it; the
   * template's block is changed even when the block is rejected. True when processed (also a duplicate).
   */
  submitSolution(version: number, timestamp: number, nonce: number, coinbase: Uint8Array): Promise<boolean>;
  /** A new template once the tip changes or fees rise by `feeThreshold`; null on timeout or interruptWait(). */
  waitNext(options: BlockWaitOptions): Promise<BlockTemplate | null>;
  /** Makes a pending waitNext return null. Does not block. */
  interruptWait(): Promise<void>;
}

export interface Mining {
  /** True on test networks (testnet, signet, regtest). */
  isTestChain(): Promise<boolean>;
  isInitialBlockDownload(): Promise<boolean>;
  /** The tip, or undefined before the first block is connected. */
  getTip(): Promise<BlockRef | undefined>;
  /**
   * Waits until the tip is no longer `currentTip` or `timeout` milliseconds pass (then returns the unchanged tip);
   * undefined on interrupt() or shutdown (Core's std::nullopt: IPC leaves the result unset, which a client that
   * does not look whether it is set reads as an empty BlockRef).
   */
  waitTipChanged(currentTip: Uint8Array, timeout?: number): Promise<BlockRef | undefined>;
  /** A new template; with `cooldown` (default true) first waits for IBD and header sync. Null on interrupt(). */
  createNewBlock(options: BlockCreateOptions, cooldown?: boolean): Promise<BlockTemplate | null>;
  /** Checks a block without submitting it; `reason` is the BIP22 reject reason. */
  checkBlock(block: Uint8Array, options: BlockCheckOptions): Promise<CheckResult>;
  /** Makes pending waitTipChanged / createNewBlock calls return. Does not block. */
  interrupt(): Promise<void>;
  /** Processes a complete block; `result` true when accepted. */
  submitBlock(block: Uint8Array): Promise<CheckResult>;
  /** Mempool transactions by txid, serialized with witness; empty for unknown ones. */
  getTransactionsByTxID(txids: readonly Uint8Array[]): Promise<Uint8Array[]>;
  /** Mempool transactions by wtxid, serialized with witness; empty for unknown ones. */
  getTransactionsByWitnessID(wtxids: readonly Uint8Array[]): Promise<Uint8Array[]>;
}
