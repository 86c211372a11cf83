// Partial merkle trees and merkle blocks (Core's merkleblock.cpp): the proof format of gettxoutproof,
// verifytxoutproof and BIP37 `merkleblock` messages.
import { MAX_BLOCK_WEIGHT, MIN_TRANSACTION_WEIGHT } from './consensus/consensus.js';
import { concatBytes } from './crypto/bytes.js';
import { hash256 } from './crypto/sha256.js';
import { Block, BlockHeader } from './primitives/block.js';
import { ByteReader, ByteWriter } from './util/serialize.js';
import { bytesEqual, hashToHex } from './util/hex.js';

/** Bits packed least significant first into bytes (BitsToBytes). */
export function bitsToBytes(bits: readonly boolean[]): Uint8Array {
  const out = new Uint8Array(Math.ceil(bits.length / 8));
  bits.forEach((b, p) => {
    if (b) out[p >> 3]! |= 1 << (p & 7);
  });
  return out;
}

export function bytesToBits(bytes: Uint8Array): boolean[] {
  const out: boolean[] = [];
  for (let p = 0; p < bytes.length * 8; p++) out.push((bytes[p >> 3]! & (1 << (p & 7))) !== 0);
  return out;
}

/** What ExtractMatches recovered: the root (undefined when the tree is malformed) and the matched txids. */
export interface MerkleMatches {
  root: Uint8Array | undefined;
  matches: Uint8Array[];
  indexes: number[];
}

/** Core's CPartialMerkleTree: the hashes and flag bits of a depth-first walk that prunes unmatched subtrees. */
export class PartialMerkleTree {
  private constructor(readonly nTransactions: number, readonly hashes: Uint8Array[], readonly bits: boolean[]) {}

  static build(txids: readonly Uint8Array[], match: readonly boolean[]): PartialMerkleTree {
    const tree = new PartialMerkleTree(txids.length, [], []);
    tree.traverseAndBuild(tree.treeHeight(), 0, txids, match);
    return tree;
  }

  static read(r: ByteReader): PartialMerkleTree {
    const n = r.readU32LE();
    const hashes = r.readVector((rr) => rr.readHash());
    return new PartialMerkleTree(n, hashes, bytesToBits(r.readVarBytes()));
  }

  write(w: ByteWriter): void {
    w.writeU32LE(this.nTransactions);
    w.writeVector(this.hashes, (ww, h) => ww.writeBytes(h));
    w.writeVarBytes(bitsToBytes(this.bits));
  }

  private width(height: number): number {
    return Math.floor((this.nTransactions + 2 ** height - 1) / 2 ** height);
  }

  private treeHeight(): number {
    let height = 0;
    while (this.width(height) > 1) height++;
    return height;
  }

  private calcHash(height: number, pos: number, txids: readonly Uint8Array[]): Uint8Array {
    if (height === 0) return txids[pos]!;
    const left = this.calcHash(height - 1, pos * 2, txids);
    const right = pos * 2 + 1 < this.width(height - 1) ? this.calcHash(height - 1, pos * 2 + 1, txids) : left;
    return hash256(concatBytes(left, right));
  }

  private traverseAndBuild(height: number, pos: number, txids: readonly Uint8Array[], match: readonly boolean[]): void {
    let parentOfMatch = false;
    for (let p = pos * 2 ** height; p < (pos + 1) * 2 ** height && p < this.nTransactions; p++) parentOfMatch ||= match[p]!;
    this.bits.push(parentOfMatch);
    if (height === 0 || !parentOfMatch) {
      this.hashes.push(this.calcHash(height, pos, txids));
      return;
    }
    this.traverseAndBuild(height - 1, pos * 2, txids, match);
    if (pos * 2 + 1 < this.width(height - 1)) this.traverseAndBuild(height - 1, pos * 2 + 1, txids, match);
  }

  /** ExtractMatches: the root the proof commits to and the matched txids, or no root when it is malformed. */
  extractMatches(): MerkleMatches {
    const result: MerkleMatches = { root: undefined, matches: [], indexes: [] };
    if (this.nTransactions === 0) return result;
    if (this.nTransactions > MAX_BLOCK_WEIGHT / MIN_TRANSACTION_WEIGHT) return result;
    if (this.hashes.length > this.nTransactions) return result;
    if (this.bits.length < this.hashes.length) return result;
    const walk = { bitsUsed: 0, hashesUsed: 0, bad: false };
    const root = this.traverseAndExtract(this.treeHeight(), 0, walk, result);
    if (walk.bad) return { ...result, root: undefined };
    // Every bit but the byte padding, and every hash, must have been used.
    if (Math.ceil(walk.bitsUsed / 8) !== Math.ceil(this.bits.length / 8)) return { ...result, root: undefined };
    if (walk.hashesUsed !== this.hashes.length) return { ...result, root: undefined };
    return { ...result, root };
  }

  private traverseAndExtract(height: number, pos: number, walk: { bitsUsed: number; hashesUsed: number; bad: boolean },
    out: MerkleMatches): Uint8Array {
    if (walk.bitsUsed >= this.bits.length) {
      walk.bad = true;
      return new Uint8Array(32);
    }
    const parentOfMatch = this.bits[walk.bitsUsed++]!;
    if (height === 0 || !parentOfMatch) {
      if (walk.hashesUsed >= this.hashes.length) {
        walk.bad = true;
        return new Uint8Array(32);
      }
      const hash = this.hashes[walk.hashesUsed++]!;
      if (height === 0 && parentOfMatch) {
        out.matches.push(hash);
        out.indexes.push(pos);
      }
      return hash;
    }
    const left = this.traverseAndExtract(height - 1, pos * 2, walk, out);
    let right = left;
    if (pos * 2 + 1 < this.width(height - 1)) {
      right = this.traverseAndExtract(height - 1, pos * 2 + 1, walk, out);
      // Both branches cover distinct transactions, so equal hashes mean a forged (CVE-2012-2459 style) tree.
      if (bytesEqual(left, right)) walk.bad = true;
    }
    return hash256(concatBytes(left, right));
  }
}

/** Core's CMerkleBlock: a header and the partial tree over its transactions. */
export class MerkleBlock {
  constructor(readonly header: BlockHeader, readonly txn: PartialMerkleTree) {}

  /** The proof for the transactions of `block` whose txids (display hex) are in `txids`. */
  static fromBlock(block: Block, txids: ReadonlySet<string>): MerkleBlock {
    const hashes = block.vtx.map((tx) => tx.txid);
    return new MerkleBlock(block.header, PartialMerkleTree.build(hashes, hashes.map((h) => txids.has(hashToHex(h)))));
  }

  static read(r: ByteReader): MerkleBlock {
    return new MerkleBlock(BlockHeader.read(r), PartialMerkleTree.read(r));
  }

  /** Parses a proof; extra bytes after it are ignored, as Core's stream read does. */
  static fromBytes(bytes: Uint8Array): MerkleBlock {
    return MerkleBlock.read(new ByteReader(bytes));
  }

  toBytes(): Uint8Array {
    const w = new ByteWriter();
    this.header.write(w);
    this.txn.write(w);
    return w.toBytes();
  }
}

