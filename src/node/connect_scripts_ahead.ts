// The script checks of the block connected next, posted to the worker pool while the current block's scripts are
// still being verified. Without this, a worker idles from the moment it finishes block N until block N+1's
// transaction loop hands it work, which is every serial step of N's and N+1's connection in between; Core's
// CCheckQueue workers idle there too, but its serial steps are short. The checks are the ones ConnectBlock would
// queue for N+1 (the same transaction, flags and spent outputs), so a result is used only where all three are the
// same when N+1's connection reaches that transaction: any other outcome (N failed, a reorg, a different view)
// leaves the results unused, never wrong.
import type { Block } from '../primitives/block.js';
import type { Transaction, TxOut } from '../primitives/transaction.js';
import { type PostedBatch, type ScriptCheckQueue, type TxScriptResult, makeScriptCheckJob } from '../script/check_queue.js';
import { ScriptError } from '../script/script_error.js';
import type { ScriptVerifyFlags } from '../script/verify_flags.js';
import { bytesEqual } from '../util/hex.js';
import type { BlockIndex } from './chain.js';
import type { CoinsCache } from './chainstate_api.js';

/** One transaction's checks as posted: the outputs it spends, as they were when posted. */
interface AheadItem {
  readonly tx: Transaction;
  readonly spent: readonly TxOut[];
}

/** The result given for a job nobody needs any more: claimed so that the worker skips it, and never read. */
const UNUSED: TxScriptResult = { error: ScriptError.SCRIPT_ERR_OK, input: -1 };

function sameOutputs(a: readonly TxOut[], b: readonly TxOut[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y && (x.value !== y.value || !bytesEqual(x.scriptPubKey, y.scriptPubKey))) return false;
  }
  return true;
}

/** A txid's first four bytes as a small integer: a cheap Map key for the block's own transactions. */
function txidTag(hash: Uint8Array): number {
  return hash[0]! | (hash[1]! << 8) | (hash[2]! << 16) | (hash[3]! << 24);
}

/** The block's transactions so far by txid (tags collide rarely; the whole txid decides). */
class EarlierTransactions {
  private readonly byTag = new Map<number, Transaction[]>();

  add(tx: Transaction): void {
    const tag = txidTag(tx.txid);
    const same = this.byTag.get(tag);
    if (same === undefined) this.byTag.set(tag, [tx]);
    else same.push(tx);
  }

  output(hash: Uint8Array, n: number): TxOut | undefined {
    const same = this.byTag.get(txidTag(hash));
    if (same === undefined) return undefined;
    for (const tx of same) if (bytesEqual(tx.txid, hash)) return tx.vout[n];
    return undefined;
  }
}

/**
 * Checks posted for one block. ConnectBlock claims them transaction by transaction, in block order (take); from
 * the first transaction that does not match, it queues its own checks as if nothing had been posted.
 */
export class ScriptsAhead {
  /** Posted items claimed by ConnectBlock, in block order. */
  private readonly used: number[] = [];
  private next = 0;
  private broken = false;
  private closed = false;

  constructor(
    readonly index: BlockIndex,
    readonly flags: ScriptVerifyFlags,
    private readonly items: readonly AheadItem[],
    private readonly posted: PostedBatch,
  ) {}

  /** Transactions claimed so far. */
  get usedCount(): number {
    return this.used.length;
  }

  /**
   * Claims the posted checks of `tx` when they are exactly the ones ConnectBlock would queue now. Posted items
   * before it are passed over (the script-execution cache vouched for them); after a miss, nothing more is claimed.
   */
  take(tx: Transaction, spent: readonly TxOut[], flags: ScriptVerifyFlags): boolean {
    if (this.broken || this.closed) return false;
    let k = this.next;
    while (k < this.items.length && this.items[k]!.tx !== tx) k++;
    if (k === this.items.length || flags !== this.flags || !sameOutputs(this.items[k]!.spent, spent)) {
      this.broken = true;
      return false;
    }
    this.used.push(k);
    this.next = k + 1;
    return true;
  }

  /**
   * Verifies here the claimed checks that no worker has started, and takes every other job off the worker's list.
   * Only once: after it, results() gives the claimed checks' results.
   */
  help(verify: (tx: Transaction, spent: readonly TxOut[]) => TxScriptResult): void {
    const wanted = new Set(this.used);
    this.closed = true;
    this.posted.help((k) => (wanted.has(k) ? verify(this.items[k]!.tx, this.items[k]!.spent) : UNUSED));
  }

  /** Drops the checks: the worker skips whatever it has not started. Does nothing after help(). */
  discard(): void {
    if (this.closed) return;
    this.closed = true;
    this.posted.help(() => UNUSED);
  }

  /** The claimed checks' results in block order, now when the worker's are already here (see PostedBatch). */
  resultsNow(): TxScriptResult[] | undefined {
    const all = this.posted.resultsNow();
    return all === undefined ? undefined : this.used.map((k) => all[k]!);
  }

  async results(): Promise<TxScriptResult[]> {
    const all = await this.posted.results();
    return this.used.map((k) => all[k]!);
  }

  /** Waits for the worker, whatever it answers (after a failure elsewhere: no check may outlive the block). */
  async settle(): Promise<void> {
    this.discard();
    await this.posted.results().catch(() => undefined);
  }
}

/**
 * Posts the checks of `block` (connected next, on top of `view`) to the pool: every transaction up to the first
 * whose spent outputs are not all found, in the view or earlier in the block. Returns undefined when there is
 * nothing to post.
 */
export function postScriptsAhead(block: Block, index: BlockIndex, view: CoinsCache, flags: ScriptVerifyFlags, queue: ScriptCheckQueue): ScriptsAhead | undefined {
  const earlier = new EarlierTransactions();
  const items: AheadItem[] = [];
  for (const tx of block.vtx) {
    if (!tx.isCoinBase()) {
      const spent: TxOut[] = [];
      for (const input of tx.vin) {
        const { hash, n } = input.prevout;
        // Peeked, not fetched: the view is the current block's and goes away after it; its own lookups are done.
        const out = earlier.output(hash, n) ?? (view.peekCoin ? view.peekCoin(input.prevout) : view.getCoin(input.prevout))?.out;
        if (out === undefined) break;
        spent.push(out);
      }
      if (spent.length !== tx.vin.length) break;
      items.push({ tx, spent });
    }
    earlier.add(tx);
  }
  if (items.length === 0) return undefined;
  const posted = queue.post(items.map((item) => makeScriptCheckJob(item.tx, item.spent, flags, false)), true);
  return new ScriptsAhead(index, flags, items, posted);
}
