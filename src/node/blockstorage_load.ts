// Building the in-memory block index from blocks/index records (Core's LoadBlockIndexGuts and LoadBlockIndex).
import type { ConsensusParams } from '../consensus/params.js';
import { checkProofOfWork } from '../consensus/pow.js';
import { BlockHeader } from '../primitives/block.js';
import { hashToHex } from '../util/hex.js';
import { BlockStorageError } from './blockstorage_format.js';
import { BlockIndex } from './chain.js';
import { BlockStatus, type DiskBlockIndex } from './disk_block_index.js';
import type { BlockTreeDB } from './txdb.js';

/**
 * Every record as a BlockIndex, parents before children (so prev, skip, chain work and time max are set as each is
 * built), with chainTx where all ancestors' data was seen. Entries whose stored status had to change (the deprecated
 * FAILED_CHILD, descendants of a failed block) are returned as dirty.
 */
export function loadBlockIndexRecords(db: BlockTreeDB, consensus: ConsensusParams): { entries: BlockIndex[]; dirty: BlockIndex[] } {
  const records: DiskBlockIndex[] = [];
  for (const [hash, rec] of db.blockIndexRecords()) {
    if (!checkProofOfWork(hash, rec.header.bits, consensus)) {
      throw new BlockStorageError(`LoadBlockIndexGuts: CheckProofOfWork failed: CBlockIndex(pprev=${hashToHex(rec.header.hashPrevBlock)}, nHeight=${rec.height}, merkle=${hashToHex(rec.header.hashMerkleRoot)}, hashBlock=${hashToHex(hash)})`);
    }
    records.push(rec);
  }
  records.sort((a, b) => a.height - b.height);
  BlockHeader.hashAll(records.map((rec) => rec.header));
  const built = new Map<string, BlockIndex>();
  const entries: BlockIndex[] = [];
  const dirty: BlockIndex[] = [];
  let previousHeight: number | undefined;
  for (const rec of records) {
    if (previousHeight !== undefined && rec.height > previousHeight + 1) {
      throw new BlockStorageError(`LoadBlockIndex: block index is non-contiguous, index of height ${previousHeight + 1} missing`);
    }
    previousHeight = rec.height;
    const prev = rec.height > 0 ? built.get(hashToHex(rec.header.hashPrevBlock)) : undefined;
    if (rec.height > 0 && (prev === undefined || prev.height !== rec.height - 1)) {
      throw new BlockStorageError(`LoadBlockIndex: parent of block ${rec.header.hashHex()} at height ${rec.height} is not in the index`);
    }
    const e = new BlockIndex(rec.header, prev);
    e.status = rec.status;
    e.nTx = rec.nTx;
    e.file = rec.file ?? 0;
    e.dataPos = rec.dataPos ?? 0;
    e.undoPos = rec.undoPos ?? 0;
    e.sequenceId = 1;
    if (e.nTx > 0) e.chainTx = prev ? (prev.chainTx > 0 ? prev.chainTx + e.nTx : 0) : e.nTx;
    if (e.status & BlockStatus.BLOCK_FAILED_CHILD) {
      e.status = (e.status & ~BlockStatus.BLOCK_FAILED_CHILD) | BlockStatus.BLOCK_FAILED_VALID;
      dirty.push(e);
    }
    if (!(e.status & BlockStatus.BLOCK_FAILED_VALID) && prev && prev.status & BlockStatus.BLOCK_FAILED_VALID) {
      e.status |= BlockStatus.BLOCK_FAILED_VALID;
      dirty.push(e);
    }
    built.set(e.hashHex, e);
    entries.push(e);
  }
  return { entries, dirty };
}
