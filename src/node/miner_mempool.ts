// What block assembly and the mining RPCs need from the mempool: the seam the mempool fills in. Until the node has a
// mempool, EMPTY_MEMPOOL stands in (no transactions, nothing ever updated), as a node with an empty mempool behaves.
import type { Amount } from '../consensus/amount.js';
import type { Transaction } from '../primitives/transaction.js';

/** One transaction offered for a block, with what block assembly counts. */
export interface BlockTxCandidate {
  tx: Transaction;
  /** Fee actually paid, in satoshis (what the template reports). */
  fee: Amount;
  /** Fee with the prioritisetransaction delta, in satoshis (what selection and -printpriority use). */
  modifiedFee: Amount;
  sigOpCost: number;
  weight: number;
  /** Virtual size in vbytes (sigops-adjusted, as the mempool computes it). */
  vsize: number;
}

/** A chunk: transactions that go into a block together, with their combined modified fee and weight. */
export interface BlockChunk {
  txs: BlockTxCandidate[];
  fee: Amount;
  weight: number;
}

/**
 * The mempool's block builder (Core's StartBlockBuilding / GetBlockBuilderChunk / IncludeBuilderChunk /
 * SkipBuilderChunk / StopBlockBuilding): chunks in descending fee-rate order; after each one the caller says whether
 * it went in, so the builder knows which later chunks still have their parents.
 */
export interface BlockBuilder {
  /** The next chunk, or undefined when none is left. */
  next(): BlockChunk | undefined;
  include(): void;
  skip(): void;
  /** Ends this build. */
  stop(): void;
}

/** One prioritisetransaction delta (Core's delta_info). */
export interface PrioritisedTransaction {
  /** Display hex of the txid. */
  txid: string;
  delta: Amount;
  inMempool: boolean;
  /** Fee plus delta, when the transaction is in the mempool. */
  modifiedFee?: Amount;
}

/** The mempool as mining sees it. */
export interface MiningMempool {
  startBlockBuilding(): BlockBuilder;
  /** A transaction by display-hex txid. */
  get(txidHex: string): Transaction | undefined;
  /** Counter bumped on every change, for getblocktemplate's template reuse and longpoll. */
  getTransactionsUpdated(): number;
  size(): number;
  prioritiseTransaction(txidHex: string, delta: Amount): void;
  getPrioritisedTransactions(): PrioritisedTransaction[];
}

/** A build with nothing to offer: what a pool without transactions returns. */
export const NO_CHUNKS: BlockBuilder = {
  next: () => undefined,
  include: () => {},
  skip: () => {},
  stop: () => {},
};

/**
 * The mempool of a node that has none yet: nothing to select, nothing to find. prioritisetransaction needs a real
 * mempool, so the RPCs refuse it (Core's "Mempool disabled") rather than reach this object.
 */
export const EMPTY_MEMPOOL: MiningMempool = {
  startBlockBuilding: () => NO_CHUNKS,
  get: () => undefined,
  getTransactionsUpdated: () => 0,
  size: () => 0,
  prioritiseTransaction: () => {
    throw new Error('EMPTY_MEMPOOL cannot hold fee deltas');
  },
  getPrioritisedTransactions: () => [],
};
