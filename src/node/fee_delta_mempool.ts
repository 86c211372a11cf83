// The mempool of a node that relays no transactions yet: it holds none, but it keeps prioritisetransaction's fee
// deltas as Core's CTxMemPool does (mapDeltas), including for transactions it has never seen, and drops a delta once
// a block confirms its transaction. Mining sees an empty pool that remembers the deltas for the mempool to come.
import { type Amount, formatMoney } from '../consensus/amount.js';
import type { Block } from '../primitives/block.js';
import type { Transaction } from '../primitives/transaction.js';
import { hexToHash } from '../util/hex.js';
import { type BlockBuilder, type MiningMempool, NO_CHUNKS, type PrioritisedTransaction } from './miner_mempool.js';
import type { ValidationInterface } from './validationinterface.js';

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);


/** Core's SaturatingAdd on CAmount. */
function saturatingAdd(a: Amount, b: Amount): Amount {
  const sum = a + b;
  return sum > INT64_MAX ? INT64_MAX : sum < INT64_MIN ? INT64_MIN : sum;
}

/** Core orders mapDeltas by the txid's bytes, which are the display hex reversed. */
function internalOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(hexToHash(a)), Buffer.from(hexToHash(b)));
}

export class FeeDeltaMempool implements MiningMempool, ValidationInterface {
  private readonly deltas = new Map<string, Amount>();
  private transactionsUpdated = 0;

  constructor(private readonly log: (message: string) => void) {}

  startBlockBuilding(): BlockBuilder {
    return NO_CHUNKS;
  }

  get(_txidHex: string): Transaction | undefined {
    return undefined;
  }

  /** Core's counter: bumped with every new tip (and by changes to the pool's transactions, which it has none of). */
  getTransactionsUpdated(): number {
    return this.transactionsUpdated;
  }

  addTransactionsUpdated(n: number): void {
    this.transactionsUpdated += n;
  }

  size(): number {
    return 0;
  }

  /** Core's PrioritiseTransaction: deltas add up, and a sum of zero removes the entry. */
  prioritiseTransaction(txidHex: string, delta: Amount): void {
    const sum = saturatingAdd(this.deltas.get(txidHex) ?? 0n, delta);
    if (sum === 0n) {
      this.deltas.delete(txidHex);
      this.log(`PrioritiseTransaction: ${txidHex} (not in mempool) delta cleared`);
    } else {
      this.deltas.set(txidHex, sum);
      this.log(`PrioritiseTransaction: ${txidHex} (not in mempool) fee += ${formatMoney(delta)}, new delta=${formatMoney(sum)}`);
    }
  }

  getPrioritisedTransactions(): PrioritisedTransaction[] {
    return [...this.deltas.keys()].sort(internalOrder).map((txid) => ({ txid, delta: this.deltas.get(txid)!, inMempool: false }));
  }

  /** A confirmed transaction's delta is spent (Core's ClearPrioritisation in removeForBlock). */
  blockConnected(block: Block): void {
    if (this.deltas.size === 0) return;
    for (const tx of block.vtx) this.deltas.delete(tx.txidHex());
  }
}
