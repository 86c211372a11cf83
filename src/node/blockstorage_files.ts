// The blk/rev flat file sequences of the blocks directory (Core's FlatFileSeq) and the blocksdir XOR key (xor.dat).
// All file access is synchronous: block writes and reads sit on the validation hot path.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { bytesToHex } from '../util/hex.js';
import { supportAddon } from '../util/support_addon.js';
import { BlockStorageError, FlatFileReader, STORAGE_HEADER_BYTES, XOR_KEY_SIZE, parseXorKey, xorAt, xorInPlace } from './blockstorage_format.js';
import { type FlatFilePos, flatFileName } from './flatfile.js';

/** Read-write, created when missing and never truncated: one open call where exists-then-open took two. */
const OPEN_OR_CREATE = fs.constants.O_RDWR | fs.constants.O_CREAT;

/** Core's BLOCKFILE_CHUNK_SIZE: blk files grow in steps of 16 MiB. */
export const BLOCKFILE_CHUNK_SIZE = 16 * 1024 * 1024;
/** Core's UNDOFILE_CHUNK_SIZE: rev files grow in steps of 1 MiB. */
export const UNDOFILE_CHUNK_SIZE = 1024 * 1024;
/** Core's MAX_BLOCKFILE_SIZE. */
export const MAX_BLOCKFILE_SIZE = 128 * 1024 * 1024;
/** With -fastprune, block files are at most 64 KiB and grow in 16 KiB steps. */
export const FASTPRUNE_BLOCKFILE_SIZE = 0x10000;
export const FASTPRUNE_CHUNK_SIZE = 0x4000;
/** Core's CheckDiskSpace keeps 50 MiB free besides what it is asked for. */
const DISK_SPACE_RESERVE = 50 * 1024 * 1024;

/** The disk is full: Core's fatal "Disk space is too low!". */
export class DiskSpaceError extends BlockStorageError {
  override name = 'DiskSpaceError';
  constructor() {
    super('Disk space is too low!');
  }
}

/** Whether `dir` has `extra` bytes free beyond Core's reserve (CheckDiskSpace). */
export function checkDiskSpace(dir: string, extra = 0): boolean {
  const st = fs.statfsSync(dir);
  return st.bavail * st.bsize >= DISK_SPACE_RESERVE + extra;
}

/**
 * The blocksdir XOR key (Core's InitBlocksdirXorKey): an existing xor.dat wins; otherwise a fresh random key is made
 * when -blocksxor is on and the directory holds nothing but hidden files (a first start), else an all-zero key, and
 * either is written to xor.dat. A stored non-zero key cannot be switched off.
 */
export function initBlocksDirXorKey(blocksDir: string, useXor: boolean, log: (msg: string) => void): Uint8Array {
  fs.mkdirSync(blocksDir, { recursive: true });
  const firstRun = fs.readdirSync(blocksDir, { withFileTypes: true }).every((e) => e.isFile() && e.name.startsWith('.'));
  const keyPath = path.join(blocksDir, 'xor.dat');
  let key: Uint8Array = new Uint8Array(XOR_KEY_SIZE);
  if (fs.existsSync(keyPath)) {
    key = parseXorKey(new Uint8Array(fs.readFileSync(keyPath)));
  } else {
    if (useXor && firstRun) key = new Uint8Array(crypto.randomBytes(XOR_KEY_SIZE));
    fs.writeFileSync(keyPath, key, { flag: 'wx' });
  }
  if (!useXor && key.some((b) => b !== 0)) {
    throw new BlockStorageError(
      `The blocksdir XOR-key can not be disabled when a random key was already stored! Stored key: '${bytesToHex(key)}', stored path: '${keyPath}'.`,
    );
  }
  log(`Using obfuscation key for blocksdir *.dat files (${blocksDir}): '${bytesToHex(key)}'`);
  return key;
}

/** Open files kept per sequence: the file being appended to and the few being read back (reindex, reorgs). */
const OPEN_FILES = 4;

/** A kept descriptor and the identity of the file it was opened on (exact: BigInt stats). */
interface OpenFile {
  fd: number;
  ino: bigint;
  dev: bigint;
}

/**
 * One numbered sequence of flat files, blk?????.dat or rev?????.dat, obfuscated with the blocksdir key. A few files
 * stay open (read-write) between calls, so writing a block and its undo data or reading one back costs no open and
 * close; removing a file closes it first, and a file renamed or removed by someone else is opened again by name.
 */
export class FlatFileSeq {
  /** Open files by file number, least recently used first. */
  private readonly open = new Map<number, OpenFile>();
  /** Path of each file number asked for (joined once, not on every access). */
  private readonly names = new Map<number, string>();

  constructor(
    readonly dir: string,
    readonly prefix: 'blk' | 'rev',
    readonly chunkSize: number,
    private readonly xorKey: Uint8Array,
    private readonly messageStart: Uint8Array,
    /** Core's -debug=validation line for each new chunk. */
    private readonly logValidation?: (message: string) => void,
  ) {}

  fileName(file: number): string {
    let name = this.names.get(file);
    if (name === undefined) {
      name = path.join(this.dir, flatFileName(this.prefix, file));
      this.names.set(file, name);
    }
    return name;
  }

  /** A read-write descriptor for `file`, from the cache or opened (created only with `create`; else ENOENT). */
  private fd(file: number, create: boolean): number {
    const cached = this.open.get(file);
    if (cached !== undefined) {
      this.open.delete(file);
      if (this.stillNamed(cached, file)) {
        this.open.set(file, cached);
        return cached.fd;
      }
      fs.closeSync(cached.fd);
    }
    const fd = fs.openSync(this.fileName(file), create ? OPEN_OR_CREATE : fs.constants.O_RDWR);
    const st = fs.fstatSync(fd, { bigint: true });
    this.open.set(file, { fd, ino: st.ino, dev: st.dev });
    if (this.open.size > OPEN_FILES) {
      const [oldest, old] = this.open.entries().next().value as [number, OpenFile];
      this.open.delete(oldest);
      fs.closeSync(old.fd);
    }
    return fd;
  }

  /**
   * Whether the descriptor is still the file at its name. Core opens the file by name on every access, so a file
   * renamed, replaced or deleted behind its back is gone for it (`Block not found on disk`); a kept descriptor must
   * not go on serving the old one. A stat by name per access (with the descriptor's identity, taken when it was
   * opened: an open file's inode cannot be reused) costs less than the open and close it spares.
   */
  private stillNamed(open: OpenFile, file: number): boolean {
    const name = this.fileName(file);
    // The addon's check builds no Stats object; its errors other than a missing file come from the stat below.
    const same = supportAddon()?.sameFile?.(name, open.dev, open.ino);
    if (same !== undefined) return same;
    const byName = fs.statSync(name, { bigint: true, throwIfNoEntry: false });
    return byName !== undefined && byName.ino === open.ino && byName.dev === open.dev;
  }

  /** Closes the cached descriptor of `file` (or of every file). */
  closeFiles(file?: number): void {
    for (const [n, open] of [...this.open]) {
      if (file !== undefined && n !== file) continue;
      this.open.delete(n);
      fs.closeSync(open.fd);
    }
  }

  exists(file: number): boolean {
    return fs.existsSync(this.fileName(file));
  }

  size(file: number): number {
    try {
      return fs.statSync(this.fileName(file)).size;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw e;
    }
  }

  /**
   * Makes room for `addSize` bytes at `pos` in whole chunks (Core's FlatFileSeq::Allocate): the new space is zeros,
   * left unobfuscated, which is how readers find the end of the written records. Returns the bytes added.
   */
  allocate(pos: FlatFilePos, addSize: number): number {
    const oldChunks = Math.ceil(pos.pos / this.chunkSize);
    const newChunks = Math.ceil((pos.pos + addSize) / this.chunkSize);
    if (newChunks <= oldChunks) return 0;
    const newSize = newChunks * this.chunkSize;
    const inc = newSize - pos.pos;
    if (!checkDiskSpace(this.dir, inc)) throw new DiskSpaceError();
    const fd = this.fd(pos.file, true);
    if (fs.fstatSync(fd).size < newSize) {
      this.logValidation?.(`Pre-allocating up to position 0x${newSize.toString(16)} in ${flatFileName(this.prefix, pos.file)}`);
      fs.ftruncateSync(fd, newSize);
    }
    return inc;
  }

  /** Writes `payload` behind a storage header (magic + size) and then `trailer`; returns the payload's position. */
  writeRecord(pos: FlatFilePos, payload: Uint8Array, trailer?: Uint8Array): FlatFilePos {
    const total = STORAGE_HEADER_BYTES + payload.length + (trailer?.length ?? 0);
    const buf = new Uint8Array(total);
    buf.set(this.messageStart, 0);
    new DataView(buf.buffer).setUint32(4, payload.length, true);
    buf.set(payload, STORAGE_HEADER_BYTES);
    if (trailer) buf.set(trailer, STORAGE_HEADER_BYTES + payload.length);
    fs.writeSync(this.fd(pos.file, true), xorInPlace(buf, this.xorKey, pos.pos), 0, total, pos.pos);
    return { file: pos.file, pos: pos.pos + STORAGE_HEADER_BYTES };
  }

  /**
   * Flushes a file to disk (Core's FlatFileSeq::Flush): with `finalize`, first cuts the preallocated tail at `pos`.
   * A missing file is an error, as in Core.
   */
  flush(pos: FlatFilePos, finalize: boolean): void {
    const fd = this.fd(pos.file, false);
    if (finalize) fs.ftruncateSync(fd, pos.pos);
    fs.fsyncSync(fd);
  }

  /**
   * A reader over the record whose payload starts at `payloadPos`: its storage header, at most `maxPayload` bytes of
   * payload and `trailer` bytes after it, as far as the file goes. The size field is read first so a damaged one
   * never makes us read more than the file holds.
   */
  recordReader(payloadPos: FlatFilePos, maxPayload: number, trailer = 0): FlatFileReader {
    const fd = this.fd(payloadPos.file, false);
    const fileSize = fs.fstatSync(fd).size;
    const start = Math.max(0, payloadPos.pos - STORAGE_HEADER_BYTES);
    const header = readAt(fd, start, Math.min(STORAGE_HEADER_BYTES, Math.max(0, fileSize - start)));
    let size = 0;
    if (header.length === STORAGE_HEADER_BYTES) size = new DataView(xorAt(header, this.xorKey, start).buffer).getUint32(4, true);
    const want = Math.min(STORAGE_HEADER_BYTES + Math.min(size, maxPayload) + trailer, Math.max(0, fileSize - start));
    return new FlatFileReader(payloadPos.file, readAt(fd, start, want), this.xorKey, this.messageStart, start);
  }

  /** The whole file through a reader (for reindex and tests). */
  fileReader(file: number): FlatFileReader {
    return new FlatFileReader(file, new Uint8Array(fs.readFileSync(this.fileName(file))), this.xorKey, this.messageStart);
  }

  remove(file: number): boolean {
    this.closeFiles(file);
    try {
      fs.unlinkSync(this.fileName(file));
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw e;
    }
  }
}

function readAt(fd: number, at: number, length: number): Uint8Array {
  const buf = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const n = fs.readSync(fd, buf, done, length - done, at + done);
    if (n === 0) break;
    done += n;
  }
  return done === length ? buf : buf.subarray(0, done);
}
