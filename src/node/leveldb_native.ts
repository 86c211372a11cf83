// The LevelDB addon (native/leveldb → <jsroot>/native/leveldb.node), loaded once, with its types.
import { loadNativeAddon } from '../util/native_addon.js';

/** Options of `new Database()`; compression is always off, as in Core. */
export interface LevelDBOptions {
  createIfMissing?: boolean;
  errorIfExists?: boolean;
  paranoidChecks?: boolean;
  maxOpenFiles?: number;
  writeBufferSize?: number;
  maxFileSize?: number;
  /** Bytes of the LRU block cache. */
  cacheSize?: number;
  /** A 10-bit-per-key bloom filter in every table, as Core's databases have (default true). */
  bloomFilter?: boolean;
}

/** A cursor over a snapshot taken when it was made. key()/value() throw unless valid(). */
export interface LevelDBIterator {
  seek(key: Uint8Array): void;
  seekToFirst(): void;
  next(): void;
  valid(): boolean;
  key(): Uint8Array;
  value(): Uint8Array;
  /**
   * The entries from here on whose keys start with `prefix`, until `maxEntries` or about `maxBytes`, as records of
   * (u32le key length, key, u32le value length, value XORed with `xorKey` repeated); leaves the iterator after them.
   */
  readRun(prefix: Uint8Array, maxEntries: number, maxBytes: number, xorKey: Uint8Array): Uint8Array;
  close(): void;
}

/** An open database. Every failing LevelDB status throws "Fatal LevelDB error: <status>". */
export interface LevelDBDatabase {
  get(key: Uint8Array): Uint8Array | null;
  /** One value per key, null where the key is absent. */
  getMany(keys: Uint8Array[]): (Uint8Array | null)[];
  /** One atomic batch applied in order; a null value erases its key. */
  write(keys: Uint8Array[], values: (Uint8Array | null)[], sync: boolean): void;
  iterator(): LevelDBIterator;
  approximateSize(begin: Uint8Array, end: Uint8Array): number;
  /** LevelDB's approximate memory use in bytes; null when it does not say. */
  approximateMemoryUsage(): number | null;
  /** null bounds mean the start or the end of the key space. */
  compactRange(begin: Uint8Array | null, end: Uint8Array | null): void;
  /** LevelDB's info log since the last call (it writes no LOG file); also after close. */
  takeInfoLog(): string[];
  /** Closes the iterators still open, then the database; idempotent. */
  close(): void;
}

/**
 * decodeBlockIndexRun's answer for a readRun buffer of block index records: the first `count` records, decoded;
 * `stopped` when the next record is not a well-formed one (the JavaScript reader then reports it).
 */
export interface DecodedBlockIndexRun {
  count: number;
  stopped: boolean;
  /** Per record: height, status, nTx, file, dataPos, undoPos, then the header's version, time, bits and nonce. */
  fields: Uint32Array;
  /** Per record: the 32-byte block hash from its key. */
  hashes: Uint8Array;
  /** Per record: the 80-byte header. */
  headers: Uint8Array;
}

export interface LevelDBAddon {
  Database: new (path: string, options?: LevelDBOptions) => LevelDBDatabase;
  decodeBlockIndexRun(run: Uint8Array): DecodedBlockIndexRun;
}

/** The addon, or null when this build has none (configure found no LevelDB). */
export const leveldbAddon: LevelDBAddon | null = loadNativeAddon<LevelDBAddon>('leveldb');
