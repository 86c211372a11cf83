// Core's CDBWrapper over the LevelDB addon: a database whose values are XORed with a per-database
// 8-byte obfuscation key, stored unobfuscated under "\x0e\x00obfuscate_key" when the database is
// created. Keys and values are the callers' serialized bytes; only values are obfuscated.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { bytesToHex, isZero } from '../util/hex.js';
import { ByteReader, ByteWriter } from '../util/serialize.js';
import { leveldbAddon, type LevelDBDatabase, type LevelDBIterator } from './leveldb_native.js';

/** Core's dbwrapper_error: a LevelDB failure, or a database that cannot be used. */
export class DbWrapperError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DbWrapperError';
  }
}

export const OBFUSCATION_KEY_SIZE = 8;
/** Core's OBFUSCATION_KEY ("\0obfuscate_key", 14 bytes) serialized as a string: length prefix 0x0e. */
export const OBFUSCATION_KEY_KEY = Uint8Array.from([14, ...Buffer.from('\0obfuscate_key', 'latin1')]);

/** What CDBWrapper is opened with (Core's DBParams, less the in-memory and test environments). */
export interface DBParams {
  path: string;
  /** Split as Core does: half block cache, a quarter write buffer. */
  cacheBytes: number;
  /** Write a fresh random key when the database is new and empty. */
  obfuscate: boolean;
  maxFileSize?: number;
  /** Compact everything once opened (Core's -forcecompactdb). */
  forceCompact?: boolean;
  /** Where Core's open lines go; LevelDB's own lines go to `leveldb` (Core's -debug=leveldb). */
  log?: DBLog;
}

export interface DBLog {
  info(message: string): void;
  leveldb(message: string): void;
  /** Whether -debug=leveldb is on: the write batches' memory line costs two property reads. */
  leveldbEnabled?(): boolean;
}

const SILENT: DBLog = { info: () => {}, leveldb: () => {} };

/** LevelDB's max_open_files default; Core keeps it on 64-bit systems, this binding opens at most 64. */
const LEVELDB_DEFAULT_OPEN_FILES = 1000;
const MAX_OPEN_FILES = 64;

/** XORs `data` in place with `key` repeated from offset 0, as Core's Obfuscation does for a value. */
export function xorObfuscate(data: Uint8Array, key: Uint8Array): Uint8Array {
  if (isZero(key)) return data;
  for (let i = 0; i < data.length; i++) data[i]! ^= key[i % OBFUSCATION_KEY_SIZE]!;
  return data;
}

/** Rethrows an addon failure as DbWrapperError, keeping its text ("Fatal LevelDB error: ..."). */
function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof Error && !(err instanceof TypeError) && !(err instanceof RangeError)) {
      throw new DbWrapperError(err.message, { cause: err });
    }
    throw err;
  }
}

/** Writes collected for one atomic CDBWrapper.writeBatch (Core's CDBBatch). Values are copied. */
export class DBBatch {
  readonly keys: Uint8Array[] = [];
  readonly values: (Uint8Array | null)[] = [];
  private bytes = 0;

  constructor(private readonly parent: DBWrapper) {}

  write(key: Uint8Array, value: Uint8Array): void {
    this.keys.push(key);
    this.values.push(xorObfuscate(Uint8Array.from(value), this.parent.obfuscationKey));
    this.bytes += key.length + value.length;
  }

  erase(key: Uint8Array): void {
    this.keys.push(key);
    this.values.push(null);
    this.bytes += key.length;
  }

  clear(): void {
    this.keys.length = 0;
    this.values.length = 0;
    this.bytes = 0;
  }

  /** Key and value bytes queued (callers flush a batch once it grows past their limit). */
  get approximateSize(): number {
    return this.bytes;
  }
}

/** An iterator whose values come out de-obfuscated (Core's CDBIterator). */
/** Entries read from LevelDB per native call while walking a range. */
const RUN_ENTRIES = 4096;
const RUN_BYTES = 1 << 20;

/** The entries whose keys start with the one-byte `prefix`, in key order, as readRunBytes buffers of many each. */
export function* prefixRuns(db: DBWrapper, prefix: number): Generator<Uint8Array> {
  const start = Uint8Array.of(prefix);
  const it = db.newIterator();
  try {
    it.seek(start);
    for (let run = it.readRunBytes(start, RUN_ENTRIES, RUN_BYTES); run.length > 0; run = it.readRunBytes(start, RUN_ENTRIES, RUN_BYTES)) yield run;
  } finally {
    it.close();
  }
}

/** The (key, value) entries of a readRunBytes buffer, as views into it. */
export function splitRun(run: Uint8Array): Array<[Uint8Array, Uint8Array]> {
  const view = new DataView(run.buffer, run.byteOffset, run.byteLength);
  const out: Array<[Uint8Array, Uint8Array]> = [];
  for (let at = 0; at < run.length;) {
    const keyLength = view.getUint32(at, true);
    const key = run.subarray(at + 4, at + 4 + keyLength);
    at += 4 + keyLength;
    const valueLength = view.getUint32(at, true);
    out.push([key, run.subarray(at + 4, at + 4 + valueLength)]);
    at += 4 + valueLength;
  }
  return out;
}

export class DBIterator {
  constructor(private readonly it: LevelDBIterator, private readonly key8: Uint8Array) {}

  seek(key: Uint8Array): void { guard(() => this.it.seek(key)); }
  seekToFirst(): void { guard(() => this.it.seekToFirst()); }
  next(): void { guard(() => this.it.next()); }
  valid(): boolean { return guard(() => this.it.valid()); }
  key(): Uint8Array { return guard(() => this.it.key()); }
  value(): Uint8Array { return xorObfuscate(guard(() => this.it.value()), this.key8); }

  /**
   * The next entries whose keys start with `prefix` (at most `maxEntries`, about `maxBytes`), de-obfuscated, as
   * views into one buffer; the iterator moves past them. An empty array: no more such entries.
   */
  readRun(prefix: Uint8Array, maxEntries: number, maxBytes: number): Array<[Uint8Array, Uint8Array]> {
    return splitRun(this.readRunBytes(prefix, maxEntries, maxBytes));
  }

  /** readRun's entries as the one buffer the addon returns: (u32le key length, key, u32le value length, value)… */
  readRunBytes(prefix: Uint8Array, maxEntries: number, maxBytes: number): Uint8Array {
    return guard(() => this.it.readRun(prefix, maxEntries, maxBytes, this.key8));
  }
  close(): void { this.it.close(); }
}

export class DBWrapper {
  private readonly db: LevelDBDatabase;
  private key8: Uint8Array = new Uint8Array(OBFUSCATION_KEY_SIZE);
  /** True when this open wrote a new obfuscation key (Core logs "Wrote new obfuscation key"). */
  readonly createdObfuscationKey: boolean = false;
  private readonly log: DBLog;
  /** Core's m_name: the database directory's last part ("index", "chainstate"). */
  readonly name: string;

  constructor(params: DBParams) {
    const addon = leveldbAddon;
    if (addon === null) throw new DbWrapperError('LevelDB is not available: this build has no leveldb addon (configure found no LevelDB)');
    this.log = params.log ?? SILENT;
    this.name = path.basename(params.path);
    fs.mkdirSync(params.path, { recursive: true });
    this.log.leveldb(`LevelDB using max_open_files=${MAX_OPEN_FILES} (default=${LEVELDB_DEFAULT_OPEN_FILES})`);
    this.log.info(`Opening LevelDB in ${params.path}`);
    this.db = guard(() => new addon.Database(params.path, {
      createIfMissing: true,
      paranoidChecks: true,
      maxOpenFiles: MAX_OPEN_FILES,
      cacheSize: Math.floor(params.cacheBytes / 2),
      writeBufferSize: Math.floor(params.cacheBytes / 4),
      maxFileSize: params.maxFileSize,
    }));
    try {
      this.drainInfoLog();
      this.log.info('Opened LevelDB successfully');
      if (params.forceCompact) {
        this.log.info(`Starting database compaction of ${params.path}`);
        this.compactFull();
        this.log.info(`Finished database compaction of ${params.path}`);
      }
      const stored = this.readRaw(OBFUSCATION_KEY_KEY);
      if (stored !== null) {
        this.key8 = DBWrapper.parseObfuscationKey(stored);
      } else if (params.obfuscate && this.isEmpty()) {
        // Written before the key is in force, so the key itself is stored in the clear.
        const fresh = new Uint8Array(crypto.randomBytes(OBFUSCATION_KEY_SIZE));
        this.write(OBFUSCATION_KEY_KEY, new ByteWriter(9).writeVarBytes(fresh).toBytes());
        this.key8 = fresh;
        this.createdObfuscationKey = true;
        this.log.info(`Wrote new obfuscation key for ${params.path}: ${this.obfuscationKeyHex}`);
      }
      this.log.info(`Using obfuscation key for ${params.path}: ${this.obfuscationKeyHex}`);
    } catch (err) {
      this.close();
      throw err;
    }
  }

  /** The stored key is a serialized vector that must hold exactly 8 bytes. */
  static parseObfuscationKey(stored: Uint8Array): Uint8Array {
    const r = new ByteReader(stored);
    const len = r.readCompactSize();
    if (len !== OBFUSCATION_KEY_SIZE || r.remaining !== OBFUSCATION_KEY_SIZE) {
      throw new DbWrapperError(`Obfuscation key size should be exactly ${OBFUSCATION_KEY_SIZE} bytes long`);
    }
    return Uint8Array.from(r.readBytes(OBFUSCATION_KEY_SIZE));
  }

  /** The key in force (all zero for a database made without one). */
  get obfuscationKey(): Uint8Array {
    return this.key8;
  }

  /** Hex of the key, as Core's "Using obfuscation key for <path>: <hex>" prints it. */
  get obfuscationKeyHex(): string {
    return bytesToHex(this.key8);
  }

  private readRaw(key: Uint8Array): Uint8Array | null {
    return guard(() => this.db.get(key));
  }

  read(key: Uint8Array): Uint8Array | null {
    const value = this.readRaw(key);
    return value === null ? null : xorObfuscate(value, this.key8);
  }

  /** Batched reads: one addon call for many keys (a block's inputs), null where absent. */
  readMany(keys: Uint8Array[]): (Uint8Array | null)[] {
    const values = guard(() => this.db.getMany(keys));
    for (const v of values) if (v !== null) xorObfuscate(v, this.key8);
    return values;
  }

  exists(key: Uint8Array): boolean {
    return this.readRaw(key) !== null;
  }

  write(key: Uint8Array, value: Uint8Array, sync = false): void {
    const batch = new DBBatch(this);
    batch.write(key, value);
    this.writeBatch(batch, sync);
  }

  erase(key: Uint8Array, sync = false): void {
    const batch = new DBBatch(this);
    batch.erase(key);
    this.writeBatch(batch, sync);
  }

  writeBatch(batch: DBBatch, sync = false): void {
    const logMemory = this.log.leveldbEnabled?.() ?? false;
    const before = logMemory ? this.dynamicMemoryUsage() : 0;
    guard(() => this.db.write(batch.keys, batch.values, sync));
    // A write may start a compaction, which logs from LevelDB's thread; what it logged so far goes out now.
    this.drainInfoLog();
    if (logMemory) {
      const mib = (bytes: number): string => (bytes / 1048576).toFixed(1);
      this.log.leveldb(`WriteBatch memory usage: db=${this.name}, before=${mib(before)}MiB, after=${mib(this.dynamicMemoryUsage())}MiB`);
    }
  }

  /** LevelDB's own memory use (Core's DynamicMemoryUsage); 0, with Core's line, when it does not say. */
  private dynamicMemoryUsage(): number {
    const bytes = guard(() => this.db.approximateMemoryUsage());
    if (bytes !== null) return bytes;
    this.log.leveldb('Failed to get approximate-memory-usage property');
    return 0;
  }

  private drainInfoLog(): void {
    for (const line of this.db.takeInfoLog()) {
      // LevelDB 1.23 announces a new database; the LevelDB in Core does not, and its log has no such line.
      if (/^Creating DB .* since it was missing\.$/.test(line)) continue;
      this.log.leveldb(line);
    }
  }

  newBatch(): DBBatch {
    return new DBBatch(this);
  }

  newIterator(): DBIterator {
    return new DBIterator(guard(() => this.db.iterator()), this.key8);
  }

  isEmpty(): boolean {
    const it = this.newIterator();
    try {
      it.seekToFirst();
      return !it.valid();
    } finally {
      it.close();
    }
  }

  /** Approximate bytes on disk for keys in [begin, end) (Core's EstimateSize). */
  estimateSize(begin: Uint8Array, end: Uint8Array): number {
    return guard(() => this.db.approximateSize(begin, end));
  }

  compactRange(begin: Uint8Array | null, end: Uint8Array | null): void {
    guard(() => this.db.compactRange(begin, end));
    this.drainInfoLog();
  }

  compactFull(): void {
    this.compactRange(null, null);
  }

  close(): void {
    this.db.close();
    this.drainInfoLog();
  }
}
