// CBlockFileInfo (node/blockstorage.h): per blk/rev file statistics, the value of a block index 'f' record.
import { ByteReader, ByteWriter } from '../util/serialize.js';

export interface BlockFileInfo {
  readonly nBlocks: number;
  readonly nSize: number;
  readonly nUndoSize: number;
  readonly nHeightFirst: number;
  readonly nHeightLast: number;
  /** Block times are uint64 on disk. */
  readonly nTimeFirst: bigint;
  readonly nTimeLast: bigint;
}

/** Every field is a VARINT, in declaration order. */
export function writeBlockFileInfo(w: ByteWriter, info: BlockFileInfo): void {
  w.writeVarInt(info.nBlocks).writeVarInt(info.nSize).writeVarInt(info.nUndoSize);
  w.writeVarInt(info.nHeightFirst).writeVarInt(info.nHeightLast);
  w.writeVarInt(info.nTimeFirst).writeVarInt(info.nTimeLast);
}

export function readBlockFileInfo(r: ByteReader): BlockFileInfo {
  return {
    nBlocks: r.readVarIntU32(),
    nSize: r.readVarIntU32(),
    nUndoSize: r.readVarIntU32(),
    nHeightFirst: r.readVarIntU32(),
    nHeightLast: r.readVarIntU32(),
    nTimeFirst: r.readVarInt(64),
    nTimeLast: r.readVarInt(64),
  };
}
