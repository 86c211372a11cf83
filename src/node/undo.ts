// Undo data (undo.h): the coins each block spent, kept in rev?????.dat to disconnect the block again.
import { sha256dConcat } from '../crypto/sha256.js';
import { ByteReader, ByteWriter } from '../util/serialize.js';
import { type Coin, readCoinCode, writeCoinCode } from './coin.js';
import { readCompressedTxOut, writeCompressedTxOut } from './compressor.js';

/** The coins one transaction spent, in input order (CTxUndo). */
export type TxUndo = readonly Coin[];

/** The spent coins of every transaction of a block but the coinbase (CBlockUndo). */
export interface BlockUndo {
  readonly vtxundo: readonly TxUndo[];
}

/**
 * TxInUndoFormatter::Ser. After a non-zero height comes a zero byte where old versions stored the transaction
 * version; readers must accept any VARINT there.
 */
export function writeTxInUndo(w: ByteWriter, coin: Coin): void {
  writeCoinCode(w, coin);
  if (coin.height > 0) w.writeU8(0);
  writeCompressedTxOut(w, coin.out);
}

/** TxInUndoFormatter::Unser. */
export function readTxInUndo(r: ByteReader): Coin {
  const { height, coinbase } = readCoinCode(r);
  if (height > 0) r.readVarIntU32();
  return { out: readCompressedTxOut(r), height, coinbase };
}

export function writeBlockUndo(w: ByteWriter, undo: BlockUndo): void {
  w.writeVector(undo.vtxundo, (ww, tx) => ww.writeVector(tx, writeTxInUndo));
}

/** CBlockUndo: counts are CompactSizes with Core's MAX_SIZE bound; entries are read one by one, never pre-reserved. */
export function readBlockUndo(r: ByteReader): BlockUndo {
  return { vtxundo: r.readVector((rr) => rr.readVector(readTxInUndo)) };
}

/** The checksum stored after a block's undo data: double SHA-256 of the previous block's hash and the undo bytes. */
export function undoChecksum(prevBlockHash: Uint8Array, undoBytes: Uint8Array): Uint8Array {
  return sha256dConcat(prevBlockHash, undoBytes);
}
