// Database keys of blocks/index (node/blockstorage.cpp) and chainstate (txdb.cpp), serialized as Core writes them.
import { OutPoint } from '../primitives/transaction.js';
import { ByteReader, ByteWriter, SerializationError, deserializeExact } from '../util/serialize.js';

/** Chainstate: 'C' + txid + VARINT(vout) -> Coin. */
export const DB_COIN = 0x43;
/** Chainstate: 'B' -> hash of the block the coins are current for. */
export const DB_BEST_BLOCK = 0x42;
/** Chainstate: 'H' -> [new tip, old tip] while a flush is in progress. */
export const DB_HEAD_BLOCKS = 0x48;
/** Block index: 'f' + int32 file number -> CBlockFileInfo. */
export const DB_BLOCK_FILES = 0x66;
/** Block index: 'b' + block hash -> CDiskBlockIndex. */
export const DB_BLOCK_INDEX = 0x62;
/** Block index: 'F' + flag name -> '1' or '0'. */
export const DB_FLAG = 0x46;
/** Block index: 'R' -> '1' while a reindex is under way. */
export const DB_REINDEX_FLAG = 0x52;
/** Block index: 'l' -> int32 number of the last block file. */
export const DB_LAST_BLOCK = 0x6c;

const TRAILING = 'Data after database key';

function toBytes(write: (w: ByteWriter) => void): Uint8Array {
  const w = new ByteWriter(40);
  write(w);
  return w.toBytes();
}

function expectPrefix(r: ByteReader, prefix: number): void {
  if (r.readU8() !== prefix) throw new SerializationError('Unexpected database key prefix');
}

/** CoinEntry: the output index is a VARINT, so keys of one transaction sort together by txid. */
export function coinKey(outpoint: OutPoint): Uint8Array {
  // Made for every coin looked up, added or written: below 0x80 the VARINT is the index itself, one byte.
  const n = outpoint.n;
  if (n >= 0x80) return toBytes((w) => w.writeU8(DB_COIN).writeBytes(outpoint.hash).writeVarInt(n));
  const key = new Uint8Array(1 + 32 + 1);
  key[0] = DB_COIN;
  key.set(outpoint.hash, 1);
  key[33] = n;
  return key;
}

export function parseCoinKey(key: Uint8Array): OutPoint {
  return deserializeExact(key, (r) => {
    expectPrefix(r, DB_COIN);
    const hash = r.readHash();
    return new OutPoint(hash, r.readVarIntU32());
  }, TRAILING);
}

/** The one-byte keys: DB_BEST_BLOCK, DB_HEAD_BLOCKS, DB_REINDEX_FLAG, DB_LAST_BLOCK. */
export function singleByteKey(prefix: number): Uint8Array {
  return Uint8Array.of(prefix);
}

export function blockIndexKey(blockHash: Uint8Array): Uint8Array {
  if (blockHash.length !== 32) throw new RangeError('block hash must be 32 bytes');
  return toBytes((w) => w.writeU8(DB_BLOCK_INDEX).writeBytes(blockHash));
}

export function parseBlockIndexKey(key: Uint8Array): Uint8Array {
  return deserializeExact(key, (r) => {
    expectPrefix(r, DB_BLOCK_INDEX);
    return r.readHash();
  }, TRAILING);
}

/** The file number is a plain little-endian int32 here, not a VARINT. */
export function blockFilesKey(file: number): Uint8Array {
  return toBytes((w) => w.writeU8(DB_BLOCK_FILES).writeI32LE(file));
}

export function parseBlockFilesKey(key: Uint8Array): number {
  return deserializeExact(key, (r) => {
    expectPrefix(r, DB_BLOCK_FILES);
    return r.readI32LE();
  }, TRAILING);
}

/** 'F' + the name as a std::string (CompactSize length and bytes), e.g. "prunedblockfiles", "txindex". */
export function flagKey(name: string): Uint8Array {
  return toBytes((w) => w.writeU8(DB_FLAG).writeVarBytes(new TextEncoder().encode(name)));
}

/** A flag's value: the byte '1' for true, '0' for false; Core reads anything but '1' as false. */
export function encodeFlag(value: boolean): Uint8Array {
  return Uint8Array.of(value ? 0x31 : 0x30);
}

export function decodeFlag(value: Uint8Array): boolean {
  return deserializeExact(value, (r) => r.readU8() === 0x31, 'Data after flag');
}

/** DB_LAST_BLOCK's value. */
export function encodeLastBlockFile(file: number): Uint8Array {
  return toBytes((w) => w.writeI32LE(file));
}

export function decodeLastBlockFile(value: Uint8Array): number {
  return deserializeExact(value, (r) => r.readI32LE(), 'Data after last block file');
}

/** DB_BEST_BLOCK's value: a uint256. */
export function decodeBestBlock(value: Uint8Array): Uint8Array {
  return deserializeExact(value, (r) => r.readHash(), 'Data after best block');
}

/** DB_HEAD_BLOCKS's value: a vector of uint256 (Core expects exactly two while a flush is interrupted). */
export function encodeHeadBlocks(hashes: readonly Uint8Array[]): Uint8Array {
  return toBytes((w) => w.writeVector(hashes, (ww, h) => ww.writeBytes(h)));
}

export function decodeHeadBlocks(value: Uint8Array): Uint8Array[] {
  return deserializeExact(value, (r) => r.readVector((rr) => rr.readHash()), 'Data after head blocks');
}
