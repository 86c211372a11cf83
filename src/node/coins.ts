// The in-memory UTXO cache (Core's CCoinsViewCache) over the chainstate database or over another cache, with Core's
// DIRTY/FRESH flags: DIRTY entries differ from the view below; FRESH ones do not exist (unspent) below, so spending
// them just drops them and nothing is ever written for a coin created and spent between two flushes.
import { isUnspendable } from '../script/script.js';
import { OutPoint } from '../primitives/transaction.js';
import type { CoinsCache } from './chainstate_api.js';
import type { Coin } from './coin.js';
import type { CoinChange } from './txdb.js';

/** What a cache reads misses from and flushes into: the chainstate database or a parent cache. */
export interface CoinsBackend {
  getCoin(outpoint: OutPoint): Coin | undefined;
  haveCoin(outpoint: OutPoint): boolean;
  /** Batched haveCoin (the database answers many keys in one call); without it, haveCoin one by one. */
  haveAnyCoin?(outpoints: readonly OutPoint[]): boolean;
  getBestBlock(): Uint8Array;
  /** Applies changes written by a child cache; `fresh` entries do not exist unspent in this view. */
  batchWrite(changes: Iterable<CoinChange & { fresh?: boolean }>, bestBlock: Uint8Array): void;
}

/** Core's logic_error texts. */
export class CoinsCacheError extends Error {
  override name = 'CoinsCacheError';
}

interface Entry {
  readonly outpoint: OutPoint;
  /** undefined once spent. */
  coin: Coin | undefined;
  dirty: boolean;
  fresh: boolean;
}

/** Bytes charged per cached entry besides its script: map node, key string, coin and output objects. */
const ENTRY_OVERHEAD = 160;

function entryUsage(coin: Coin | undefined): number {
  return ENTRY_OVERHEAD + (coin?.out.scriptPubKey.length ?? 0);
}

/** Map key of an outpoint: its 36 serialized bytes as a binary string, kept on the outpoint object. */
function keyOf(outpoint: OutPoint): string {
  return outpoint.binaryKey();
}

export class CoinsViewCache implements CoinsCache, CoinsBackend {
  private readonly entries = new Map<string, Entry>();
  private bestBlock: Uint8Array | undefined;
  private usage = 0;
  private dirtyCount = 0;

  constructor(private readonly base: CoinsBackend) {}

  /** The cache entry for `outpoint`, pulled from the view below on a miss (Core's FetchCoin); undefined if unknown. */
  private fetch(outpoint: OutPoint): Entry | undefined {
    const key = keyOf(outpoint);
    const hit = this.entries.get(key);
    if (hit) return hit;
    const coin = this.base.getCoin(outpoint);
    if (coin === undefined) return undefined;
    const entry: Entry = { outpoint, coin, dirty: false, fresh: false };
    this.entries.set(key, entry);
    this.usage += entryUsage(coin);
    return entry;
  }

  getCoin(outpoint: OutPoint): Coin | undefined {
    return this.fetch(outpoint)?.coin;
  }

  haveCoin(outpoint: OutPoint): boolean {
    return this.fetch(outpoint)?.coin !== undefined;
  }

  peekCoin(outpoint: OutPoint): Coin | undefined {
    const hit = this.entries.get(keyOf(outpoint));
    return hit !== undefined ? hit.coin : this.base.getCoin(outpoint);
  }

  /**
   * Whether any outpoint is an unspent coin (BIP30's question about a block's new outputs). Cached entries answer
   * for themselves, spent ones included; the rest are asked below in one batch. Found coins are not cached: the
   * block is about to overwrite nothing, or fails.
   */
  haveAnyCoin(outpoints: readonly OutPoint[]): boolean {
    // An empty cache (a block's own view, asked first thing) has nothing to answer for itself.
    if (this.entries.size === 0) return this.haveAnyBelow(outpoints);
    const below: OutPoint[] = [];
    for (let i = 0; i < outpoints.length; i++) {
      const outpoint = outpoints[i]!;
      const entry = this.entries.get(keyOf(outpoint));
      if (entry === undefined) below.push(outpoint);
      else if (entry.coin !== undefined) return true;
    }
    return below.length > 0 && this.haveAnyBelow(below);
  }

  private haveAnyBelow(outpoints: readonly OutPoint[]): boolean {
    if (this.base.haveAnyCoin) return this.base.haveAnyCoin(outpoints);
    return outpoints.some((o) => this.base.haveCoin(o));
  }

  /** Whether the coin is in this cache, unspent, without looking below (HaveCoinInCache). */
  haveCoinInCache(outpoint: OutPoint): boolean {
    return this.entries.get(keyOf(outpoint))?.coin !== undefined;
  }

  getBestBlock(): Uint8Array {
    if (this.bestBlock === undefined) this.bestBlock = this.base.getBestBlock();
    return this.bestBlock;
  }

  setBestBlock(hash: Uint8Array): void {
    this.bestBlock = hash;
  }

  private markDirty(entry: Entry): void {
    if (!entry.dirty) this.dirtyCount++;
    entry.dirty = true;
  }

  /**
   * Core's AddCoin. Provably unspendable outputs are never stored. Without `possibleOverwrite` an unspent coin
   * already there is a logic error; the new entry is FRESH unless a spend of an older coin there is still unflushed.
   */
  addCoin(outpoint: OutPoint, coin: Coin, possibleOverwrite: boolean): void {
    if (isUnspendable(coin.out.scriptPubKey)) return;
    const key = keyOf(outpoint);
    let entry = this.entries.get(key);
    let fresh = false;
    if (!possibleOverwrite) {
      if (entry?.coin !== undefined) throw new CoinsCacheError('Attempted to overwrite an unspent coin (when possible_overwrite is false)');
      fresh = !(entry?.dirty ?? false);
    }
    if (entry === undefined) {
      entry = { outpoint, coin: undefined, dirty: false, fresh: false };
      this.entries.set(key, entry);
      this.usage += entryUsage(undefined);
    }
    this.usage += coin.out.scriptPubKey.length - (entry.coin?.out.scriptPubKey.length ?? 0);
    entry.coin = coin;
    this.markDirty(entry);
    if (fresh) entry.fresh = true;
  }

  /** Core's SpendCoin: a FRESH entry is dropped, any other is kept spent and DIRTY. Returns the coin spent. */
  spendCoin(outpoint: OutPoint): Coin | undefined {
    const entry = this.fetch(outpoint);
    if (entry?.coin === undefined) return undefined;
    const coin = entry.coin;
    if (entry.fresh) {
      this.entries.delete(keyOf(outpoint));
      if (entry.dirty) this.dirtyCount--;
      this.usage -= entryUsage(coin);
    } else {
      this.usage -= coin.out.scriptPubKey.length;
      entry.coin = undefined;
      this.markDirty(entry);
    }
    return coin;
  }

  /** Drops a clean entry to save memory (Core's Uncache). */
  uncache(outpoint: OutPoint): void {
    const key = keyOf(outpoint);
    const entry = this.entries.get(key);
    if (entry && !entry.dirty && !entry.fresh) {
      this.entries.delete(key);
      this.usage -= entryUsage(entry.coin);
    }
  }

  /** Takes a child cache's changes (Core's CCoinsViewCache::BatchWrite). */
  batchWrite(changes: Iterable<CoinChange & { fresh?: boolean }>, bestBlock: Uint8Array): void {
    for (const { outpoint, coin, fresh } of changes) {
      const key = keyOf(outpoint);
      const ours = this.entries.get(key);
      if (ours === undefined) {
        // A coin created and spent in the child never existed here: nothing to record.
        if (fresh && coin === undefined) continue;
        const entry: Entry = { outpoint, coin, dirty: false, fresh: fresh ?? false };
        this.entries.set(key, entry);
        this.usage += entryUsage(coin);
        this.markDirty(entry);
        continue;
      }
      if (fresh && ours.coin !== undefined) throw new CoinsCacheError('FRESH flag misapplied to coin that exists in parent cache');
      if (ours.fresh && coin === undefined) {
        this.entries.delete(key);
        if (ours.dirty) this.dirtyCount--;
        this.usage -= entryUsage(ours.coin);
      } else {
        this.usage += (coin?.out.scriptPubKey.length ?? 0) - (ours.coin?.out.scriptPubKey.length ?? 0);
        ours.coin = coin;
        this.markDirty(ours);
      }
    }
    this.bestBlock = bestBlock;
  }

  /** The dirty entries, as the view below takes them (the entries themselves: they are dropped or cleaned after). */
  private *changes(): Generator<CoinChange & { fresh: boolean }> {
    for (const e of this.entries.values()) if (e.dirty) yield e;
  }

  /** Writes every change down and empties the cache (Core's Flush). */
  flush(): void {
    this.base.batchWrite(this.changes(), this.getBestBlock());
    this.entries.clear();
    this.usage = 0;
    this.dirtyCount = 0;
  }

  /** Writes every change down but keeps the unspent entries, now clean (Core's Sync). */
  sync(): void {
    this.base.batchWrite(this.changes(), this.getBestBlock());
    for (const [key, e] of this.entries) {
      if (e.coin === undefined) {
        this.entries.delete(key);
        this.usage -= entryUsage(undefined);
      } else {
        e.dirty = false;
        e.fresh = false;
      }
    }
    this.dirtyCount = 0;
  }

  /** Entries held (Core's GetCacheSize). */
  get cacheSize(): number {
    return this.entries.size;
  }

  get dirtyEntries(): number {
    return this.dirtyCount;
  }

  /** Estimated bytes of memory the cache holds (Core's DynamicMemoryUsage), compared against -dbcache. */
  dynamicMemoryUsage(): number {
    return this.usage;
  }
}
