// The record framing of blk?????.dat and rev?????.dat (node/blockstorage.cpp) and their xor.dat obfuscation.
import { hash256 } from '../crypto/sha256.js';
import { Block } from '../primitives/block.js';
import { bytesEqual, bytesToHex, hashToHex, isZero } from '../util/hex.js';
import { ByteReader, MAX_SIZE, SerializationError } from '../util/serialize.js';
import { type FlatFilePos, flatFilePosToString } from './flatfile.js';
import { type BlockUndo, readBlockUndo, undoChecksum } from './undo.js';

/** Each record starts with the network magic and a uint32 size (STORAGE_HEADER_BYTES). */
export const STORAGE_HEADER_BYTES = 8;
/** Length of the key in blocks/xor.dat (Obfuscation::KEY_SIZE). */
export const XOR_KEY_SIZE = 8;
const HASH_SIZE = 32;

/** A block or undo record that cannot be read; `message` is Core's log text for the same failure. */
export class BlockStorageError extends Error {
  override name = 'BlockStorageError';
}

/** Parses the contents of xor.dat. An all-zero key means the files are stored in the clear. */
export function parseXorKey(bytes: Uint8Array): Uint8Array {
  if (bytes.length !== XOR_KEY_SIZE) throw new BlockStorageError(`xor.dat must hold ${XOR_KEY_SIZE} bytes, not ${bytes.length}`);
  return bytes.slice();
}

/**
 * XORs `data`, which sits at byte `fileOffset` of its file, with the key repeated from the start of the file.
 * The operation is its own inverse, so it both obfuscates and recovers. Returns a new array.
 */
export function xorAt(data: Uint8Array, key: Uint8Array, fileOffset: number): Uint8Array {
  const out = new Uint8Array(data.length);
  out.set(data);
  return xorInPlace(out, key, fileOffset);
}

/** xorAt on `data` itself (a buffer the caller owns and is about to write); returns it. */
/** Typed arrays up to this size may live on V8's heap (its typed_array_max_size_in_heap, 64 bytes). */
const SMALL_TYPED_ARRAY = 65;

export function xorInPlace(data: Uint8Array, key: Uint8Array, fileOffset: number): Uint8Array {
  if (key.length !== XOR_KEY_SIZE) throw new RangeError(`xor key must be ${XOR_KEY_SIZE} bytes`);
  const lined = new Uint8Array(XOR_KEY_SIZE);
  for (let j = 0; j < XOR_KEY_SIZE; j++) lined[j] = key[(fileOffset + j) % XOR_KEY_SIZE]!;
  // On a 4-byte aligned start the bulk goes 4 bytes at a time with the key turned to line up with data[0]. Small
  // arrays go byte by byte: V8 keeps them on its heap, and asking for their .buffer would copy them out of it.
  const bulk = data.length >= SMALL_TYPED_ARRAY && data.byteOffset % 4 === 0 ? data.length & ~(XOR_KEY_SIZE - 1) : 0;
  if (bulk > 0) {
    const keyWords = new Uint32Array(lined.buffer);
    xorWords(new Uint32Array(data.buffer, data.byteOffset, bulk >>> 2), keyWords[0]!, keyWords[1]!);
  }
  for (let i = bulk; i < data.length; i++) data[i]! ^= lined[i & (XOR_KEY_SIZE - 1)]!;
  return data;
}

/**
 * The long loop in a function of its own: a whole block file read at start-up gets it optimized on stack (OSR), and
 * V8 keeps entering that code on later calls. Compiled inside xorInPlace, it also held the byte tail, which had no
 * type feedback yet, and deoptimized on every call that had one.
 */
function xorWords(words: Uint32Array, k0: number, k1: number): void {
  for (let i = 0; i < words.length; i += 2) {
    words[i]! ^= k0;
    words[i + 1]! ^= k1;
  }
}

/** One record of a flat file: `pos` is the offset of its payload, just past the storage header. */
export interface FlatFileRecord {
  readonly pos: FlatFilePos;
  readonly payload: Uint8Array;
}

/** One undo record with the checksum stored after it. */
export interface UndoRecord extends FlatFileRecord {
  readonly checksum: Uint8Array;
}

/**
 * A blk or rev file held in memory, de-obfuscated on read: the whole file, or (with `base`) the window of it that
 * starts at file offset `base`, so that one record can be read without loading the file.
 */
export class FlatFileReader {
  constructor(
    readonly fileNumber: number,
    private readonly raw: Uint8Array,
    private readonly xorKey: Uint8Array,
    private readonly messageStart: Uint8Array,
    private readonly base = 0,
  ) {}

  /** File offset just past the bytes held. */
  private get end(): number {
    return this.base + this.raw.length;
  }

  /** `length` clear bytes from file offset `at`; reading past the end is Core's end-of-data failure. */
  read(at: number, length: number): Uint8Array {
    if (at < this.base || length < 0 || length > this.end - at) throw new SerializationError('AutoFile::read: end of file');
    const rel = at - this.base;
    return xorAt(this.raw.subarray(rel, rel + length), this.xorKey, at);
  }

  private pos(at: number): FlatFilePos {
    return { file: this.fileNumber, pos: at };
  }

  /** The payload size from the storage header in front of `payloadPos`, checked as ReadRawBlock checks it. */
  private headerSize(payloadPos: number, what: string): number {
    const posText = flatFilePosToString(this.pos(payloadPos));
    if (payloadPos < STORAGE_HEADER_BYTES) throw new BlockStorageError(`Failed for ${posText} while reading raw ${what} storage header`);
    const header = new ByteReader(this.read(payloadPos - STORAGE_HEADER_BYTES, STORAGE_HEADER_BYTES));
    const magic = header.readBytes(4);
    const size = header.readU32LE();
    if (!bytesEqual(magic, this.messageStart)) {
      throw new BlockStorageError(
        `Block magic mismatch for ${posText}: ${bytesToHex(magic)} versus expected ${bytesToHex(this.messageStart)} while reading raw ${what}`,
      );
    }
    if (size > MAX_SIZE) {
      throw new BlockStorageError(
        `Block data is larger than maximum deserialization size for ${posText}: ${size} versus ${MAX_SIZE} while reading raw ${what}`,
      );
    }
    return size;
  }

  /** The serialized block at `payloadPos` (ReadRawBlock). */
  readRawBlock(payloadPos: number): Uint8Array {
    try {
      return this.read(payloadPos, this.headerSize(payloadPos, 'block'));
    } catch (e) {
      if (!(e instanceof SerializationError)) throw e;
      throw new BlockStorageError(`Read from block file failed: ${e.what} for ${flatFilePosToString(this.pos(payloadPos))} while reading raw block`);
    }
  }

  /** ReadBlock: parses the block and, when given, checks its hash against the index's. */
  readBlock(payloadPos: number, expectedHash?: Uint8Array): Block {
    const posText = flatFilePosToString(this.pos(payloadPos));
    const raw = this.readRawBlock(payloadPos);
    let block: Block;
    try {
      // `raw` is a fresh buffer of this block alone, so its transactions may keep views of it.
      block = Block.fromBytes(raw, { keepBytes: true });
    } catch (e) {
      if (!(e instanceof SerializationError)) throw e;
      throw new BlockStorageError(`Deserialize or I/O error - ${e.what} at ${posText} while reading block`);
    }
    if (expectedHash && !bytesEqual(block.hash, expectedHash)) {
      throw new BlockStorageError(
        `GetHash() doesn't match index at ${posText} while reading block (${hashToHex(block.hash)} != ${hashToHex(expectedHash)})`,
      );
    }
    return block;
  }

  /**
   * Every record from the start of the file, in order, until the unwritten preallocated tail (or the end).
   * Each payload is `size` bytes; an undo record's 32-byte checksum follows outside the counted size.
   */
  *records(trailer = 0): Generator<FlatFileRecord & { trailer: Uint8Array }> {
    let at = this.base;
    while (at + STORAGE_HEADER_BYTES <= this.end) {
      // Core preallocates files with zeros it never obfuscates: raw zeros where a header would be mark the end.
      const rel = at - this.base;
      if (isZero(this.raw.subarray(rel, rel + STORAGE_HEADER_BYTES))) return;
      const payloadPos = at + STORAGE_HEADER_BYTES;
      const size = this.headerSize(payloadPos, trailer ? 'undo' : 'block');
      const payload = this.read(payloadPos, size);
      yield { pos: this.pos(payloadPos), payload, trailer: this.read(payloadPos + size, trailer) };
      at = payloadPos + size + trailer;
    }
  }

  /** The blocks of a blk file in file order. */
  *blocks(): Generator<FlatFileRecord> {
    for (const { pos, payload } of this.records()) yield { pos, payload };
  }

  /** The undo records of a rev file in file order, each with its stored checksum. */
  *undoRecords(): Generator<UndoRecord> {
    for (const { pos, payload, trailer } of this.records(HASH_SIZE)) yield { pos, payload, checksum: trailer };
  }

  /**
   * ReadBlockUndo: parses the undo data at `payloadPos` and verifies the checksum that follows it against the hash of
   * the previous block and the bytes consumed. Like Core, the checksum is taken where the serialization ends; the
   * header's size only bounds how much is read.
   */
  readBlockUndo(payloadPos: number, prevBlockHash: Uint8Array): BlockUndo {
    const posText = flatFilePosToString(this.pos(payloadPos));
    const window = Math.min(this.headerSize(payloadPos, 'undo') + HASH_SIZE, this.end - payloadPos);
    const rest = this.read(payloadPos, window);
    const r = new ByteReader(rest);
    let undo: BlockUndo;
    let stored: Uint8Array;
    try {
      undo = readBlockUndo(r);
      stored = new ByteReader(rest, r.pos).readHash();
    } catch (e) {
      if (!(e instanceof SerializationError)) throw e;
      throw new BlockStorageError(`Deserialize or I/O error - ${e.what} at ${posText} while reading block undo`);
    }
    if (!bytesEqual(stored, undoChecksum(prevBlockHash, rest.subarray(0, r.pos)))) {
      throw new BlockStorageError(`Checksum mismatch at ${posText} while reading block undo`);
    }
    return undo;
  }
}

/** The hash of a serialized block's header (its first 80 bytes), without parsing the transactions. */
export function rawBlockHash(payload: Uint8Array): Uint8Array {
  if (payload.length < 80) throw new SerializationError('SpanReader::read(): end of data');
  return hash256(payload.subarray(0, 80));
}
