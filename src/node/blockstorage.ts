// The block manager (Core's node::BlockManager): the block index in memory and in blocks/index, and the blk/rev
// files. Blocks are appended to blk?????.dat as they arrive, undo data to the rev file of the same number.
import fs from 'node:fs';
import path from 'node:path';
import type { ChainParams } from '../kernel/chainparams.js';
import type { Block, BlockHeader } from '../primitives/block.js';
import { ByteWriter } from '../util/serialize.js';
import { BlockStorageError, STORAGE_HEADER_BYTES } from './blockstorage_format.js';
import {
  BLOCKFILE_CHUNK_SIZE, FASTPRUNE_BLOCKFILE_SIZE, FASTPRUNE_CHUNK_SIZE, FlatFileSeq, MAX_BLOCKFILE_SIZE, UNDOFILE_CHUNK_SIZE,
  initBlocksDirXorKey,
} from './blockstorage_files.js';
import { FileInfo } from './blockstorage_fileinfo.js';
import { loadBlockIndexRecords } from './blockstorage_load.js';
import { BlockIndex } from './chain.js';
import { BlockStatus } from './disk_block_index.js';
import { type FlatFilePos, flatFilePosToString } from './flatfile.js';
import type { DBLog } from './dbwrapper.js';
import { BlockTreeDB } from './txdb.js';
import { type BlockUndo, undoChecksum, writeBlockUndo } from './undo.js';
import { MAX_SIZE } from '../util/serialize.js';

/** Core's UNDO_DATA_DISK_OVERHEAD: storage header plus the checksum after the undo data. */
export const UNDO_DATA_DISK_OVERHEAD = STORAGE_HEADER_BYTES + 32;

/** The writer block undo data is serialized into, reused for every block (its bytes are copied out when written). */
const undoScratch = new ByteWriter(16 * 1024);

/**
 * A block's undo bytes and their checksum. Without `copy` the bytes are a view of the reused writer, good until the
 * next call (writeRecord copies them, undoChecksum only reads them).
 */
function encodeUndo(undo: BlockUndo, index: BlockIndex, copy: boolean): { bytes: Uint8Array; checksum: Uint8Array } {
  const w = undoScratch.reset(1 << 20);
  writeBlockUndo(w, undo);
  const bytes = copy ? w.peek().slice() : w.peek();
  return { bytes, checksum: undoChecksum(index.prev!.hash, bytes) };
}

export interface BlockManagerOptions {
  blocksDir: string;
  /** blocks/index; Core keeps it in the data directory even when -blocksdir moves the files (default <blocksDir>/index). */
  indexDir?: string;
  params: ChainParams;
  /** Cache for the blocks/index LevelDB. */
  indexCacheBytes: number;
  /** -blocksxor (default on). */
  useXor: boolean;
  /** -fastprune: small block files (regtest tests). */
  fastPrune: boolean;
  /** -prune target in bytes; 0 = off; Core's PRUNE_TARGET_MANUAL (-prune=1) = manual only. */
  pruneTarget: number;
  /** Wipe blocks/index (-reindex). */
  wipe: boolean;
  log: (msg: string) => void;
  logDebug?: (msg: string) => void;
  /** -debug=validation lines of the flat files (pre-allocation). */
  logValidation?: (msg: string) => void;
  /** The block index database's open lines and LevelDB's own log. */
  dbLog?: DBLog;
}

/** Core's -prune=1: prune only when asked through RPC. */
export const PRUNE_TARGET_MANUAL = Number.MAX_SAFE_INTEGER;

export class BlockManager {
  readonly blockIndex = new Map<string, BlockIndex>();
  readonly treeDB: BlockTreeDB;
  readonly blocks: FlatFileSeq;
  readonly undo: FlatFileSeq;
  readonly xorKey: Uint8Array;
  fileInfo: FileInfo[] = [];
  readonly dirtyBlockIndex = new Set<BlockIndex>();
  readonly dirtyFileInfo = new Set<number>();
  /** The file new blocks go to, and the highest block whose undo data went into it (Core's BlockfileCursor). */
  private cursor: { file: number; undoHeight: number } | undefined;
  /** Blocks whose data we have but whose ancestors' data we lack, by parent (Core's m_blocks_unlinked). */
  readonly blocksUnlinked = new Map<BlockIndex, BlockIndex[]>();
  /** Undo bytes serialized by prepareBlockUndo, for the undo data they came from. */
  private readonly preparedUndo = new WeakMap<BlockUndo, { index: BlockIndex; bytes: Uint8Array; checksum: Uint8Array }>();
  havePruned = false;
  /** False while a reindex has not finished reading the block files. */
  blockfilesIndexed = true;
  checkForPruning = false;
  readonly pruneTarget: number;
  private readonly maxBlockfileSize: number;

  constructor(readonly opts: BlockManagerOptions) {
    this.xorKey = initBlocksDirXorKey(opts.blocksDir, opts.useXor, opts.log);
    const magic = opts.params.messageStart;
    this.blocks = new FlatFileSeq(opts.blocksDir, 'blk', opts.fastPrune ? FASTPRUNE_CHUNK_SIZE : BLOCKFILE_CHUNK_SIZE, this.xorKey, magic, opts.logValidation);
    this.undo = new FlatFileSeq(opts.blocksDir, 'rev', UNDOFILE_CHUNK_SIZE, this.xorKey, magic, opts.logValidation);
    this.maxBlockfileSize = opts.fastPrune ? FASTPRUNE_BLOCKFILE_SIZE : MAX_BLOCKFILE_SIZE;
    this.pruneTarget = opts.pruneTarget;
    this.treeDB = new BlockTreeDB({ path: opts.indexDir ?? path.join(opts.blocksDir, 'index'), cacheBytes: opts.indexCacheBytes, obfuscate: false, wipe: opts.wipe, log: opts.dbLog });
    if (opts.wipe) {
      this.treeDB.writeReindexing(true);
      this.blockfilesIndexed = false;
      if (this.pruneMode) this.cleanupBlockRevFiles();
    }
  }

  /**
   * Core's CleanupBlockRevFiles, for a reindex in prune mode: every rev file goes (the reindex writes undo data
   * anew), and so does every blk file after the first gap in the numbering (what pruning left is unusable: nothing
   * before it can be read, and new blocks would later be written over it).
   */
  private cleanupBlockRevFiles(): void {
    this.opts.log('Removing unusable blk?????.dat and rev?????.dat files for -reindex with -prune');
    const blkFiles = new Map<number, string>();
    for (const entry of fs.readdirSync(this.opts.blocksDir, { withFileTypes: true })) {
      const match = /^(blk|rev)(\d{5})\.dat$/.exec(entry.name);
      if (!entry.isFile() || match === null) continue;
      const file = path.join(this.opts.blocksDir, entry.name);
      if (match[1] === 'rev') fs.rmSync(file);
      else blkFiles.set(Number(match[2]), file);
    }
    let contiguous = 0;
    for (const [n, file] of [...blkFiles].sort((x, y) => x[0] - y[0])) {
      if (n === contiguous) contiguous++;
      else fs.rmSync(file);
    }
  }

  get pruneMode(): boolean {
    return this.pruneTarget > 0;
  }

  private debug(msg: string): void {
    this.opts.logDebug?.(msg);
  }

  lookup(hashHex: string): BlockIndex | undefined {
    return this.blockIndex.get(hashHex);
  }

  /** Number of the highest block file in use (Core's MaxBlockfileNum). */
  maxBlockfileNum(): number {
    return Math.max(0, this.fileInfo.length - 1);
  }

  /**
   * Loads blocks/index (Core's LoadBlockIndexDB): every record becomes a BlockIndex, file statistics are read, the
   * blk files the index points into must exist, and the pruned and reindexing flags are read.
   */
  loadBlockIndexDB(): void {
    const { entries, dirty } = loadBlockIndexRecords(this.treeDB, this.opts.params.consensus);
    for (const e of entries) {
      this.blockIndex.set(e.hashHex, e);
      if (e.nTx > 0 && e.chainTx === 0 && e.haveData() && e.prev) this.addUnlinkedBlock(e);
    }
    for (const e of dirty) this.dirtyBlockIndex.add(e);
    const last = this.treeDB.readLastBlockFile() ?? 0;
    this.fileInfo = [];
    for (let n = 0; n <= last || this.treeDB.readBlockFileInfo(n) !== undefined; n++) {
      const info = this.treeDB.readBlockFileInfo(n);
      this.fileInfo.push(info ? FileInfo.from(info) : new FileInfo());
    }
    this.opts.log(`Loading block index db: last block file = ${last}`);
    this.opts.log(`Loading block index db: last block file info: ${this.fileInfo[last]!.toString()}`);
    this.opts.log('Checking all blk files are present...');
    const files = new Set<number>();
    for (const e of this.blockIndex.values()) if (e.haveData()) files.add(e.file);
    for (const f of files) {
      if (!this.blocks.exists(f)) throw new BlockStorageError(`Unable to open file ${this.blocks.fileName(f)}`);
    }
    this.cursor = this.fileInfo.length > 0 ? { file: this.fileInfo.length - 1, undoHeight: 0 } : undefined;
    this.havePruned = this.treeDB.readFlag('prunedblockfiles') ?? false;
    if (this.havePruned) this.opts.log('Loading block index db: Block files have previously been pruned');
    if (this.treeDB.readReindexing()) this.blockfilesIndexed = false;
  }

  addUnlinkedBlock(index: BlockIndex): void {
    const list = this.blocksUnlinked.get(index.prev!) ?? [];
    if (!list.includes(index)) list.push(index);
    this.blocksUnlinked.set(index.prev!, list);
  }

  /** A new header's entry (Core's AddToBlockIndex); its parent must be known already. Returns the existing one if any. */
  addToBlockIndex(header: BlockHeader): BlockIndex {
    const known = this.blockIndex.get(header.hashHex());
    if (known) return known;
    const prev = this.blockIndex.get(header.prevHashHex());
    const index = new BlockIndex(header, prev);
    index.sequenceId = 1;
    index.raiseValidity(BlockStatus.BLOCK_VALID_TREE);
    this.blockIndex.set(index.hashHex, index);
    this.dirtyBlockIndex.add(index);
    return index;
  }

  /** Writes the dirty entries and file statistics in one synced batch (Core's WriteBlockIndexDB). */
  writeBlockIndexDB(): void {
    const files: [number, FileInfo][] = [...this.dirtyFileInfo].sort((a, b) => a - b).map((n) => [n, this.fileInfo[n]!]);
    const blocks = [...this.dirtyBlockIndex].map((e) => [e.hash, e.toDisk()] as [Uint8Array, ReturnType<BlockIndex['toDisk']>]);
    this.treeDB.writeBatchSync(files, this.maxBlockfileNum(), blocks);
    this.dirtyFileInfo.clear();
    this.dirtyBlockIndex.clear();
  }

  private info(n: number): FileInfo {
    while (this.fileInfo.length <= n) this.fileInfo.push(new FileInfo());
    return this.fileInfo[n]!;
  }

  /** Where a record of `addSize` bytes goes (Core's FindNextBlockPos): the current file, or the next when full. */
  private findNextBlockPos(addSize: number, height: number, time: number): FlatFilePos {
    if (this.cursor === undefined) this.cursor = { file: 0, undoHeight: 0 };
    const lastFile = this.cursor.file;
    let file = lastFile;
    let max = this.maxBlockfileSize;
    if (this.opts.fastPrune && addSize >= max) max = addSize + 1;
    let finalizeUndo = false;
    while (this.info(file).nSize + addSize >= max) {
      finalizeUndo = this.info(file).nHeightLast === this.cursor.undoHeight;
      file = this.maxBlockfileNum() + 1;
      if (this.fileInfo.length === 0) file = 0;
      this.cursor = { file, undoHeight: 0 };
      this.info(file);
    }
    const pos = { file, pos: this.info(file).nSize };
    if (file !== lastFile) {
      this.debug(`Leaving block file ${lastFile}: ${this.info(lastFile).toString()} (onto ${file}) (height ${height})`);
      this.flushBlockFile(lastFile, true, finalizeUndo);
      this.cursor = { file, undoHeight: 0 };
    }
    const info = this.info(file);
    info.addBlock(height, time);
    info.nSize += addSize;
    if (this.blocks.allocate(pos, addSize) !== 0 && this.pruneMode) this.checkForPruning = true;
    this.dirtyFileInfo.add(file);
    return pos;
  }

  /** Appends a block (Core's WriteBlock); returns the position of its bytes after the storage header. */
  writeBlock(block: Block, height: number): FlatFilePos {
    const bytes = block.toBytes(true);
    const pos = this.findNextBlockPos(bytes.length + STORAGE_HEADER_BYTES, height, block.header.time);
    return this.blocks.writeRecord(pos, bytes);
  }

  /**
   * Records a block already in a blk file (reindex, Core's UpdateBlockInfo): file statistics follow the block, the
   * cursor moves to the highest file seen.
   */
  updateBlockInfo(block: Block, height: number, pos: FlatFilePos): void {
    if (this.cursor === undefined || this.cursor.file < pos.file) this.cursor = { file: pos.file, undoHeight: 0 };
    const info = this.info(pos.file);
    info.addBlock(height, block.header.time);
    info.nSize = Math.max(pos.pos + block.getTotalSize(), info.nSize);
    this.dirtyFileInfo.add(pos.file);
  }

  /** Appends a block's undo data and checksum to the rev file of its blk file (Core's WriteBlockUndo). */
  /**
   * Serializes `index`'s undo data and its checksum ahead of writeBlockUndo, which then writes these bytes (used
   * while script workers still verify the block; nothing touches the disk here).
   */
  prepareBlockUndo(undo: BlockUndo, index: BlockIndex): void {
    if (index.haveUndo()) return;
    this.preparedUndo.set(undo, { index, ...encodeUndo(undo, index, true) });
  }

  writeBlockUndo(undo: BlockUndo, index: BlockIndex): void {
    if (index.haveUndo()) return;
    const prepared = this.preparedUndo.get(undo);
    const { bytes, checksum } = prepared !== undefined && prepared.index === index ? prepared : encodeUndo(undo, index, false);
    const info = this.info(index.file);
    const pos = { file: index.file, pos: info.nUndoSize };
    info.nUndoSize += bytes.length + UNDO_DATA_DISK_OVERHEAD;
    this.dirtyFileInfo.add(index.file);
    if (this.undo.allocate(pos, bytes.length + UNDO_DATA_DISK_OVERHEAD) !== 0 && this.pruneMode) this.checkForPruning = true;
    const written = this.undo.writeRecord(pos, bytes, checksum);
    const cursor = this.cursor;
    // rev files fill in height order while blk files fill in arrival order: a rev file is finished once the
    // highest block of an older blk file has its undo data.
    if (cursor && pos.file < cursor.file && index.height === info.nHeightLast) {
      this.flushUndoFile(pos.file, true);
    } else if (cursor && pos.file === cursor.file && index.height > cursor.undoHeight) {
      cursor.undoHeight = index.height;
    }
    index.undoPos = written.pos;
    index.status |= BlockStatus.BLOCK_HAVE_UNDO;
    this.dirtyBlockIndex.add(index);
  }

  private flushUndoFile(file: number, finalize: boolean): void {
    if (!this.undo.exists(file)) return;
    this.undo.flush({ file, pos: this.info(file).nUndoSize }, finalize);
  }

  /** fsyncs a blk file and (unless finalizing without undo) its rev file; finalizing cuts the preallocated tail. */
  flushBlockFile(file: number, finalize: boolean, finalizeUndo: boolean): void {
    if (this.fileInfo.length === 0) return;
    if (this.blocks.exists(file)) this.blocks.flush({ file, pos: this.info(file).nSize }, finalize);
    if (!finalize || finalizeUndo) this.flushUndoFile(file, finalizeUndo);
  }

  /** Flushes the file the chainstate writes to (Core's FlushChainstateBlockFile), before the index is written. */
  flushChainstateBlockFile(): void {
    if (this.cursor) this.flushBlockFile(this.cursor.file, false, false);
  }

  private posOf(index: BlockIndex, what: 'block' | 'undo'): FlatFilePos {
    return { file: index.file, pos: what === 'block' ? index.dataPos : index.undoPos };
  }

  /** The serialized block (Core's ReadRawBlock). */
  readRawBlock(index: BlockIndex): Uint8Array {
    const pos = this.posOf(index, 'block');
    return this.openReader(pos, 'OpenBlockFile', 'reading raw block', 0).readRawBlock(pos.pos);
  }

  /** Core's ReadBlock: parsed and checked against the index's hash. */
  readBlock(index: BlockIndex): Block {
    const pos = this.posOf(index, 'block');
    return this.openReader(pos, 'OpenBlockFile', 'reading block', 0).readBlock(pos.pos, index.hash);
  }

  /** Core's ReadBlockUndo, checksum included. */
  readBlockUndo(index: BlockIndex): BlockUndo {
    const pos = this.posOf(index, 'undo');
    return this.openReader(pos, 'OpenUndoFile', 'reading block undo', 32).readBlockUndo(pos.pos, index.prev!.hash);
  }

  private openReader(pos: FlatFilePos, opener: string, doing: string, trailer: number) {
    const seq = trailer ? this.undo : this.blocks;
    try {
      return seq.recordReader(pos, MAX_SIZE, trailer);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      throw new BlockStorageError(`${opener} failed for ${flatFilePosToString(pos)} while ${doing}`);
    }
  }

  /** Bytes of all blk and rev files (Core's CalculateCurrentUsage). */
  calculateCurrentUsage(): number {
    return this.fileInfo.reduce((n, f) => n + f.nSize + f.nUndoSize, 0);
  }

  /** Whether the block's data was pruned away (Core's IsBlockPruned). */
  isBlockPruned(index: BlockIndex): boolean {
    return this.havePruned && !index.haveData() && index.nTx > 0;
  }

  close(): void {
    this.blocks.closeFiles();
    this.undo.closeFiles();
    this.treeDB.close();
  }
}

