// The node's two LevelDB databases: the block index in <datadir>/blocks/index (Core's BlockTreeDB) and the UTXO set
// in <datadir>/chainstate (Core's CCoinsViewDB), with Core's keys and Core's crash-safe flush protocol.
import { isZero } from '../util/hex.js';
import fs from 'node:fs';
import { OutPoint } from '../primitives/transaction.js';
import { ByteReader, ByteWriter } from '../util/serialize.js';
import { blockIndexRecords } from './block_index_records.js';
import { type BlockFileInfo, readBlockFileInfo, writeBlockFileInfo } from './block_file_info.js';
import { type Coin, readCoin, writeCoin } from './coin.js';
import { type DBParams, DBWrapper, prefixRuns, splitRun } from './dbwrapper.js';
import { type DiskBlockIndex, writeDiskBlockIndex } from './disk_block_index.js';
import {
  DB_BEST_BLOCK, DB_COIN, DB_HEAD_BLOCKS, DB_LAST_BLOCK, DB_REINDEX_FLAG, blockFilesKey, blockIndexKey, coinKey,
  decodeBestBlock, decodeFlag, decodeHeadBlocks, decodeLastBlockFile, encodeFlag, encodeHeadBlocks, encodeLastBlockFile, flagKey,
  parseCoinKey, singleByteKey,
} from './txdb_keys.js';

/** Core's DEFAULT_DB_CACHE_BATCH: a coins flush is written in batches of about this many bytes. */
export const DEFAULT_DB_CACHE_BATCH = 32 * 1024 * 1024;

/** DBParams plus Core's wipe_data: the database is destroyed first (-reindex, -reindex-chainstate). */
export interface NodeDBParams extends DBParams {
  wipe?: boolean;
}

function openDB(params: NodeDBParams): DBWrapper {
  if (params.wipe) {
    params.log?.info(`Wiping LevelDB in ${params.path}`);
    fs.rmSync(params.path, { recursive: true, force: true });
  }
  return new DBWrapper(params);
}

/** Every (key, value) whose key starts with the one-byte `prefix`, in key order. */
function* prefixRange(db: DBWrapper, prefix: number): Generator<[Uint8Array, Uint8Array]> {
  for (const run of prefixRuns(db, prefix)) yield* splitRun(run);
}

// Records are encoded here and copied out, so one writer serves every record (a flush encodes each coin).
const encodeScratch = new ByteWriter(128);

// Keys of coin reads (BIP30 asks for every new output) are built in one buffer outside the V8 heap: the addon
// reads a key synchronously and keeps nothing, and a fresh small array would be moved off the heap on each call.
const LOOKUP_KEY = new Uint8Array(new ArrayBuffer(1 + 32 + 1));

/** coinKey(outpoint) for a read: valid until the next call. */
function lookupCoinKey(outpoint: OutPoint): Uint8Array {
  if (outpoint.n >= 0x80) return coinKey(outpoint);
  LOOKUP_KEY[0] = DB_COIN;
  LOOKUP_KEY.set(outpoint.hash, 1);
  LOOKUP_KEY[33] = outpoint.n;
  return LOOKUP_KEY;
}

function encode(write: (w: ByteWriter) => void): Uint8Array {
  const w = encodeScratch.reset();
  write(w);
  return w.toBytes();
}

/** blocks/index: block index records, block file statistics, the last file number and flags. */
export class BlockTreeDB {
  readonly db: DBWrapper;

  constructor(params: NodeDBParams) {
    this.db = openDB(params);
  }

  readBlockFileInfo(file: number): BlockFileInfo | undefined {
    const v = this.db.read(blockFilesKey(file));
    return v === null ? undefined : readBlockFileInfo(new ByteReader(v));
  }

  readLastBlockFile(): number | undefined {
    const v = this.db.read(singleByteKey(DB_LAST_BLOCK));
    return v === null ? undefined : decodeLastBlockFile(v);
  }

  /** Core writes the reindex flag as '1' and erases it when done. */
  writeReindexing(reindexing: boolean): void {
    if (reindexing) this.db.write(singleByteKey(DB_REINDEX_FLAG), encodeFlag(true));
    else this.db.erase(singleByteKey(DB_REINDEX_FLAG));
  }

  readReindexing(): boolean {
    return this.db.exists(singleByteKey(DB_REINDEX_FLAG));
  }

  writeFlag(name: string, value: boolean): void {
    this.db.write(flagKey(name), encodeFlag(value));
  }

  readFlag(name: string): boolean | undefined {
    const v = this.db.read(flagKey(name));
    return v === null ? undefined : decodeFlag(v);
  }

  /** File statistics, the last file number and block index records in one synced batch (WriteBatchSync). */
  writeBatchSync(files: ReadonlyArray<[number, BlockFileInfo]>, lastFile: number, blocks: ReadonlyArray<[Uint8Array, DiskBlockIndex]>): void {
    const batch = this.db.newBatch();
    for (const [n, info] of files) batch.write(blockFilesKey(n), encode((w) => writeBlockFileInfo(w, info)));
    batch.write(singleByteKey(DB_LAST_BLOCK), encodeLastBlockFile(lastFile));
    for (const [hash, rec] of blocks) batch.write(blockIndexKey(hash), encode((w) => writeDiskBlockIndex(w, rec)));
    this.db.writeBatch(batch, true);
  }

  /** Every block index record in key order, with its hash (LoadBlockIndexGuts' walk). */
  blockIndexRecords(): Generator<[Uint8Array, DiskBlockIndex]> {
    return blockIndexRecords(this.db);
  }

  close(): void {
    this.db.close();
  }
}

/** One changed coin handed to CoinsViewDB.batchWrite: undefined `coin` means spent (erase). */
export interface CoinChange {
  readonly outpoint: OutPoint;
  readonly coin: Coin | undefined;
}

/** Raised on purpose by the crash simulation of tests, after a partial batch reached the disk. */
export class SimulatedCrash extends Error {
  override name = 'SimulatedCrash';
}

export interface CoinsViewDBOptions {
  /** Core's -dbbatchsize. */
  batchWriteBytes?: number;
  /** Tests only: stop the flush after this many partial batches were written, as a crash would. */
  crashAfterPartialBatches?: number;
}

/** The chainstate database: coins by outpoint, the best block, and the head-blocks marker of an unfinished flush. */
export class CoinsViewDB {
  readonly db: DBWrapper;
  private readonly batchWriteBytes: number;
  crashAfterPartialBatches: number | undefined;
  /**
   * False while the database holds no coin: a new or wiped chainstate (-reindex) until its first flush. Every lookup
   * then misses, so none is made; a reindex asks for each new output (BIP30) and for every coin it spends.
   */
  private mayHaveCoins: boolean;

  constructor(params: NodeDBParams, opts: CoinsViewDBOptions = {}, private readonly logDebug: (msg: string) => void = () => {}) {
    this.db = openDB(params);
    this.batchWriteBytes = opts.batchWriteBytes ?? DEFAULT_DB_CACHE_BATCH;
    this.crashAfterPartialBatches = opts.crashAfterPartialBatches;
    this.mayHaveCoins = this.holdsAnyCoin();
  }

  private holdsAnyCoin(): boolean {
    const it = this.db.newIterator();
    try {
      it.seek(Uint8Array.of(DB_COIN));
      return it.valid() && it.key()[0] === DB_COIN;
    } finally {
      it.close();
    }
  }

  getCoin(outpoint: OutPoint): Coin | undefined {
    if (!this.mayHaveCoins) return undefined;
    const v = this.db.read(lookupCoinKey(outpoint));
    return v === null ? undefined : readCoin(new ByteReader(v));
  }

  haveCoin(outpoint: OutPoint): boolean {
    return this.mayHaveCoins && this.db.exists(lookupCoinKey(outpoint));
  }

  /**
   * Whether any of the outpoints has a coin, stopping at the first. Single reads: the addon's batched read costs
   * more per key than one read per key (it builds its arrays through N-API), and this stops early.
   */
  haveAnyCoin(outpoints: readonly OutPoint[]): boolean {
    if (!this.mayHaveCoins) return false;
    for (const outpoint of outpoints) if (this.db.exists(lookupCoinKey(outpoint))) return true;
    return false;
  }

  /** The block the coins are current for; all zeros while a flush is unfinished or the database is new. */
  getBestBlock(): Uint8Array {
    const v = this.db.read(singleByteKey(DB_BEST_BLOCK));
    return v === null ? new Uint8Array(32) : decodeBestBlock(v);
  }

  /** [new tip, old tip] when a flush was interrupted; empty otherwise. */
  getHeadBlocks(): Uint8Array[] {
    const v = this.db.read(singleByteKey(DB_HEAD_BLOCKS));
    return v === null ? [] : decodeHeadBlocks(v);
  }

  /**
   * Writes `changes` and moves the best block to `bestBlock` (Core's CCoinsViewDB::BatchWrite). The first batch
   * erases the best block and records [new, old] as head blocks; large flushes go out in partial batches; the last
   * batch erases the marker and writes the new best block. A crash in between leaves the marker, and the next start
   * replays blocks from the old tip to the new one.
   */
  batchWrite(changes: Iterable<CoinChange>, bestBlock: Uint8Array): void {
    if (isZero(bestBlock)) throw new RangeError('batchWrite: the best block must not be null');
    let oldTip = this.getBestBlock();
    if (isZero(oldTip)) {
      const heads = this.getHeadBlocks();
      if (heads.length === 2) {
        if (!Buffer.from(heads[0]!).equals(bestBlock)) {
          throw new Error('The coins database detected an inconsistent state, likely due to a previous crash or shutdown. You will need to restart bitcoind with the -reindex-chainstate or -reindex configuration option.');
        }
        oldTip = heads[1]!;
      }
    }
    const batch = this.db.newBatch();
    batch.erase(singleByteKey(DB_BEST_BLOCK));
    batch.write(singleByteKey(DB_HEAD_BLOCKS), encodeHeadBlocks([bestBlock, oldTip]));
    let partials = 0;
    let changed = 0;
    for (const { outpoint, coin } of changes) {
      changed++;
      if (coin === undefined) {
        batch.erase(coinKey(outpoint));
      } else {
        batch.write(coinKey(outpoint), encode((w) => writeCoin(w, coin)));
        // Before the write: a partial batch may reach the disk even if this flush never finishes.
        this.mayHaveCoins = true;
      }
      if (batch.approximateSize > this.batchWriteBytes) {
        this.logDebug(`Writing partial batch of ${(batch.approximateSize / 1048576).toFixed(2)} MiB`);
        this.db.writeBatch(batch);
        batch.clear();
        if (this.crashAfterPartialBatches !== undefined && ++partials >= this.crashAfterPartialBatches) {
          throw new SimulatedCrash('Simulating a crash after a partial coins batch');
        }
      }
    }
    batch.erase(singleByteKey(DB_HEAD_BLOCKS));
    batch.write(singleByteKey(DB_BEST_BLOCK), bestBlock);
    this.logDebug(`Writing final batch of ${(batch.approximateSize / 1048576).toFixed(2)} MiB`);
    this.db.writeBatch(batch);
    // Core counts the entries its cursor visits, which are the flagged (dirty) ones: the same number as changed.
    this.logDebug(`Committed ${changed} changed transaction outputs (out of ${changed}) to coin database...`);
  }

  /** Every coin in key order (Core's cursor: txid, then output index). */
  *cursor(): Generator<[OutPoint, Coin]> {
    for (const [key, value] of prefixRange(this.db, DB_COIN)) yield [parseCoinKey(key), readCoin(new ByteReader(value))];
  }

  /** Approximate bytes the coins take on disk (Core's EstimateSize over the 'C' range). */
  estimateSize(): number {
    return this.db.estimateSize(Uint8Array.of(DB_COIN), Uint8Array.of(DB_COIN + 1));
  }

  close(): void {
    this.db.close();
  }
}
