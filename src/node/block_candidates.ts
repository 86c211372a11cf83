// The blocks that could become the tip (Core's setBlockIndexCandidates), kept ordered by Core's
// CBlockIndexWorkComparator so that the best is at hand and the ones worse than the tip go as a prefix. A reindex
// or an import can hold every block of the chain here at once, and each connected block prunes the set: a scan per
// block would make that quadratic.
import type { BlockIndex } from './chain.js';

/** Core's CBlockIndexWorkComparator: a < b when a has less work, or equal work but arrived later. */
export function candidateLess(a: BlockIndex, b: BlockIndex): boolean {
  if (a.chainWork !== b.chainWork) return a.chainWork < b.chainWork;
  if (a.sequenceId !== b.sequenceId) return a.sequenceId > b.sequenceId;
  // Core breaks the last tie by address; the hash is as arbitrary and stable across runs.
  return a.hashHex > b.hashHex;
}

/**
 * An ordered set: a sorted array read from `start`, so that dropping the worst blocks only moves `start`, compacted
 * once half of the array is dead. A block's chain work, sequence id and hash must not change while it is in the set
 * (Core has the same rule: preciousblock takes a block out before it changes its sequence id).
 */
export class BlockIndexCandidates implements Iterable<BlockIndex> {
  // Positions before `start` are cleared, so that dropped blocks can be collected.
  private items: (BlockIndex | undefined)[] = [];
  private start = 0;

  get size(): number {
    return this.items.length - this.start;
  }

  /** Where `index` is, or would go: the first position whose block is not less than it. */
  private lowerBound(index: BlockIndex): number {
    let lo = this.start;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (candidateLess(this.items[mid]!, index)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  has(index: BlockIndex): boolean {
    return this.items[this.lowerBound(index)] === index;
  }

  add(index: BlockIndex): this {
    const last = this.items[this.items.length - 1];
    // Blocks mostly arrive in order of work: appending is the common case.
    if (this.size === 0 || candidateLess(last!, index)) {
      this.items.push(index);
      return this;
    }
    const at = this.lowerBound(index);
    if (this.items[at] !== index) this.items.splice(at, 0, index);
    return this;
  }

  delete(index: BlockIndex): boolean {
    const at = this.lowerBound(index);
    if (this.items[at] !== index) return false;
    if (at === this.start) this.dropPrefix(1);
    else this.items.splice(at, 1);
    return true;
  }

  /** The block with the most work (Core's rbegin). */
  best(): BlockIndex | undefined {
    return this.size === 0 ? undefined : this.items[this.items.length - 1];
  }

  /** Drops every block less than `tip` (Core's PruneBlockIndexCandidates); the tip itself stays. */
  pruneLessThan(tip: BlockIndex): void {
    this.dropPrefix(this.lowerBound(tip) - this.start);
  }

  private dropPrefix(n: number): void {
    this.items.fill(undefined, this.start, this.start + n);
    this.start += n;
    if (this.start === this.items.length) {
      this.items = [];
      this.start = 0;
    } else if (this.start > this.items.length / 2) {
      this.items = this.items.slice(this.start);
      this.start = 0;
    }
  }

  *[Symbol.iterator](): Iterator<BlockIndex> {
    for (let i = this.start; i < this.items.length; i++) yield this.items[i]!;
  }
}
