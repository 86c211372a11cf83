// CDiskBlockIndex (chain.h): the value of a block index record ('b' + block hash) in blocks/index.
import { BlockHeader } from '../primitives/block.js';
import { ByteReader, ByteWriter } from '../util/serialize.js';

/** BlockStatus flags of nStatus. */
export const BlockStatus = {
  BLOCK_VALID_UNKNOWN: 0,
  BLOCK_VALID_RESERVED: 1,
  BLOCK_VALID_TREE: 2,
  BLOCK_VALID_TRANSACTIONS: 3,
  BLOCK_VALID_CHAIN: 4,
  BLOCK_VALID_SCRIPTS: 5,
  BLOCK_VALID_MASK: 7,
  BLOCK_HAVE_DATA: 8,
  BLOCK_HAVE_UNDO: 16,
  BLOCK_HAVE_MASK: 24,
  BLOCK_FAILED_VALID: 32,
  BLOCK_FAILED_CHILD: 64,
  BLOCK_OPT_WITNESS: 128,
  BLOCK_STATUS_RESERVED: 256,
} as const;

/** The client version Core writes in front of every record (CDiskBlockIndex::DUMMY_VERSION); readers ignore it. */
export const DISK_BLOCK_INDEX_DUMMY_VERSION = 259900;

export interface DiskBlockIndex {
  readonly height: number;
  readonly status: number;
  readonly nTx: number;
  /** Present when status has BLOCK_HAVE_DATA or BLOCK_HAVE_UNDO. */
  readonly file?: number;
  /** Offset of the block bytes (after the 8-byte storage header), present with BLOCK_HAVE_DATA. */
  readonly dataPos?: number;
  /** Offset of the undo bytes (after the storage header), present with BLOCK_HAVE_UNDO. */
  readonly undoPos?: number;
  /** The header; hashPrevBlock is the disk record's hashPrev. */
  readonly header: BlockHeader;
}

const HAVE_FILE = BlockStatus.BLOCK_HAVE_DATA | BlockStatus.BLOCK_HAVE_UNDO;

function need(value: number | undefined, what: string): number {
  if (value === undefined) throw new RangeError(`block index with this status needs ${what}`);
  return value;
}

/** Serializes with Core's dummy version. Fields the status does not call for are not written. */
export function writeDiskBlockIndex(w: ByteWriter, idx: DiskBlockIndex, version = DISK_BLOCK_INDEX_DUMMY_VERSION): void {
  w.writeVarInt(version).writeVarInt(idx.height).writeVarInt(idx.status).writeVarInt(idx.nTx);
  if (idx.status & HAVE_FILE) w.writeVarInt(need(idx.file, 'a file number'));
  if (idx.status & BlockStatus.BLOCK_HAVE_DATA) w.writeVarInt(need(idx.dataPos, 'a data position'));
  if (idx.status & BlockStatus.BLOCK_HAVE_UNDO) w.writeVarInt(need(idx.undoPos, 'an undo position'));
  idx.header.write(w);
}

/** Reads a record; the signed fields (version, height, file) are VarIntMode::NONNEGATIVE_SIGNED ints. */
export function readDiskBlockIndex(r: ByteReader): DiskBlockIndex {
  r.readVarIntNumber(31);
  const height = r.readVarIntNumber(31);
  const status = r.readVarIntU32();
  const nTx = r.readVarIntU32();
  const file = status & HAVE_FILE ? r.readVarIntNumber(31) : undefined;
  const dataPos = status & BlockStatus.BLOCK_HAVE_DATA ? r.readVarIntU32() : undefined;
  const undoPos = status & BlockStatus.BLOCK_HAVE_UNDO ? r.readVarIntU32() : undefined;
  const header = BlockHeader.read(r);
  return { height, status, nTx, file, dataPos, undoPos, header };
}
