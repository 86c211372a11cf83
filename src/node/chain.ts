// The in-memory block index (Core's CBlockIndex) and a chain of entries indexed by height (CChain).
import { getMedianTimePast, type ChainEntry } from '../consensus/chain_entry.js';
import { getBlockProof } from '../consensus/pow.js';
import { BlockHeader } from '../primitives/block.js';
import { hashToHex } from '../util/hex.js';
import { BlockStatus, type DiskBlockIndex } from './disk_block_index.js';

/** Height of the skip pointer for an entry at `height` (Core's GetSkipHeight): a deterministic jump back. */
function skipHeight(height: number): number {
  if (height < 2) return 0;
  const invertLowestOne = (n: number): number => n & (n - 1);
  return (height & 1) !== 0 ? invertLowestOne(invertLowestOne(height - 1)) + 1 : invertLowestOne(height);
}

/**
 * One block header the node knows, with where its data lives and how far it was validated. Entries form a tree
 * through `prev`; `skip` makes ancestor lookups logarithmic. Mutable fields are owned by the chainstate.
 */
export class BlockIndex implements ChainEntry {
  readonly hash: Uint8Array;
  /** The display (reversed) hex of `hash`; also the key of the block index map. */
  readonly hashHex: string;
  readonly prev: BlockIndex | undefined;
  readonly height: number;
  readonly version: number;
  readonly merkleRoot: Uint8Array;
  readonly time: number;
  readonly bits: number;
  readonly nonce: number;
  skip: BlockIndex | undefined;
  /** Total work of the chain up to and including this block. */
  chainWork: bigint;
  status = 0;
  /** Transactions in this block; 0 until its data has been seen. */
  nTx = 0;
  /** Transactions in the chain up to and including this block; 0 while an ancestor's data is missing. */
  chainTx = 0;
  file = -1;
  dataPos = 0;
  undoPos = 0;
  /** Order in which block data arrived, for ties in chain work (Core's nSequenceId). */
  sequenceId = 0;
  /** Largest block time of this block and its ancestors (Core's nTimeMax). */
  timeMax: number;
  private medianTimePast: number | undefined;

  constructor(header: BlockHeader, prev: BlockIndex | undefined) {
    this.hash = header.hash;
    this.hashHex = header.hashHex();
    this.prev = prev;
    this.height = prev ? prev.height + 1 : 0;
    this.version = header.version;
    this.merkleRoot = header.hashMerkleRoot;
    this.time = header.time;
    this.bits = header.bits;
    this.nonce = header.nonce;
    this.chainWork = (prev?.chainWork ?? 0n) + getBlockProof(header.bits);
    this.timeMax = prev ? Math.max(prev.timeMax, header.time) : header.time;
    this.skip = prev?.getAncestor(skipHeight(this.height));
  }

  header(): BlockHeader {
    return new BlockHeader({
      version: this.version, hashPrevBlock: this.prev?.hash ?? new Uint8Array(32), hashMerkleRoot: this.merkleRoot,
      time: this.time, bits: this.bits, nonce: this.nonce,
    });
  }

  getAncestor(height: number): BlockIndex | undefined {
    if (height > this.height || height < 0) return undefined;
    let walk: BlockIndex = this;
    let walkHeight = this.height;
    while (walkHeight > height) {
      const heightSkip = skipHeight(walkHeight);
      const heightSkipPrev = skipHeight(walkHeight - 1);
      const skipIsBetter = heightSkip === height
        || (heightSkip > height && !(heightSkipPrev < heightSkip - 2 && heightSkipPrev >= height));
      if (walk.skip !== undefined && skipIsBetter) {
        walk = walk.skip;
        walkHeight = heightSkip;
      } else {
        walk = walk.prev!;
        walkHeight--;
      }
    }
    return walk;
  }

  /** Median of this block's time and up to 10 before it; kept once computed (the ancestry never changes). */
  getMedianTimePast(): number {
    if (this.medianTimePast !== undefined) return this.medianTimePast;
    const times: number[] = [];
    let walk: BlockIndex | undefined = this;
    for (let i = 0; i < 11 && walk; i++, walk = walk.prev) times.push(walk.time);
    times.sort((a, b) => a - b);
    this.medianTimePast = times[Math.floor(times.length / 2)]!;
    return this.medianTimePast;
  }

  haveData(): boolean {
    return (this.status & BlockStatus.BLOCK_HAVE_DATA) !== 0;
  }

  haveUndo(): boolean {
    return (this.status & BlockStatus.BLOCK_HAVE_UNDO) !== 0;
  }

  isFailed(): boolean {
    return (this.status & (BlockStatus.BLOCK_FAILED_VALID | BlockStatus.BLOCK_FAILED_CHILD)) !== 0;
  }

  /** Whether validation reached `upTo` (a BLOCK_VALID_* level) and nothing failed. */
  isValid(upTo: number = BlockStatus.BLOCK_VALID_TRANSACTIONS): boolean {
    if (this.isFailed()) return false;
    return (this.status & BlockStatus.BLOCK_VALID_MASK) >= upTo;
  }

  /** Raises the validity level; returns whether it changed. Never lowers it, never raises a failed entry. */
  raiseValidity(upTo: number): boolean {
    if (this.isFailed()) return false;
    if ((this.status & BlockStatus.BLOCK_VALID_MASK) >= upTo) return false;
    this.status = (this.status & ~BlockStatus.BLOCK_VALID_MASK) | upTo;
    return true;
  }

  /** The block index record Core writes for this entry. */
  toDisk(): DiskBlockIndex {
    const haveFile = (this.status & (BlockStatus.BLOCK_HAVE_DATA | BlockStatus.BLOCK_HAVE_UNDO)) !== 0;
    return {
      height: this.height, status: this.status, nTx: this.nTx, header: this.header(),
      file: haveFile ? this.file : undefined,
      dataPos: this.haveData() ? this.dataPos : undefined,
      undoPos: this.haveUndo() ? this.undoPos : undefined,
    };
  }

  toString(): string {
    return `CBlockIndex(pprev=${this.prev?.hashHex ?? 'null'}, nHeight=${this.height}, merkle=${hashToHex(this.merkleRoot)}, hashBlock=${this.hashHex})`;
  }
}

/** Median time past of an entry, for callers holding a ChainEntry. */
export function medianTimePast(entry: ChainEntry): number {
  return getMedianTimePast(entry);
}

/** A chain of entries from genesis to a tip, indexed by height (Core's CChain). */
export class Chain {
  private entries: BlockIndex[] = [];

  tip(): BlockIndex | undefined {
    return this.entries[this.entries.length - 1];
  }

  genesis(): BlockIndex | undefined {
    return this.entries[0];
  }

  /** Height of the tip; -1 when empty. */
  height(): number {
    return this.entries.length - 1;
  }

  at(height: number): BlockIndex | undefined {
    return height >= 0 ? this.entries[height] : undefined;
  }

  contains(index: BlockIndex): boolean {
    return this.entries[index.height] === index;
  }

  /** The successor of `index` on this chain, if `index` is on it. */
  next(index: BlockIndex): BlockIndex | undefined {
    return this.contains(index) ? this.entries[index.height + 1] : undefined;
  }

  /** Makes `tip` the tip, reusing the shared part of the current chain. */
  setTip(tip: BlockIndex | undefined): void {
    if (tip === undefined) {
      this.entries = [];
      return;
    }
    this.entries.length = tip.height + 1;
    let walk: BlockIndex | undefined = tip;
    while (walk && this.entries[walk.height] !== walk) {
      this.entries[walk.height] = walk;
      walk = walk.prev;
    }
  }

  /** The last entry on this chain that is an ancestor of `index` (or `index` itself). */
  findFork(index: BlockIndex | undefined): BlockIndex | undefined {
    if (index === undefined) return undefined;
    let walk: BlockIndex | undefined = index.height > this.height() ? index.getAncestor(this.height()) : index;
    while (walk && !this.contains(walk)) walk = walk.prev;
    return walk;
  }

  /** The first entry whose timeMax is at least `time` and height at least `height` (Core's FindEarliestAtLeast). */
  findEarliestAtLeast(time: number, height: number): BlockIndex | undefined {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const e = this.entries[mid]!;
      if (e.timeMax < time || e.height < height) lo = mid + 1;
      else hi = mid;
    }
    return this.entries[lo];
  }
}
