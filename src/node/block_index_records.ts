// The block index records of blocks/index ('b' + hash → CDiskBlockIndex), read a run of entries at a time. The
// LevelDB addon decodes a run in one call; the JavaScript reader takes over at a record the addon cannot read, so
// a damaged record fails with the same error either way.
import { sha256dBatch } from '../crypto/sha256_batch.js';
import { BlockHeader } from '../primitives/block.js';
import { ByteReader } from '../util/serialize.js';
import { type DBWrapper, prefixRuns, splitRun } from './dbwrapper.js';
import { BlockStatus, type DiskBlockIndex, readDiskBlockIndex } from './disk_block_index.js';
import { leveldbAddon, type DecodedBlockIndexRun } from './leveldb_native.js';
import { DB_BLOCK_INDEX, parseBlockIndexKey } from './txdb_keys.js';

const FIELDS = 10;
const HAVE_FILE = BlockStatus.BLOCK_HAVE_DATA | BlockStatus.BLOCK_HAVE_UNDO;

/** Every block index record in key order, with the hash its key names (LoadBlockIndexGuts' walk). */
export function* blockIndexRecords(db: DBWrapper, decode = leveldbAddon?.decodeBlockIndexRun): Generator<[Uint8Array, DiskBlockIndex]> {
  for (const run of prefixRuns(db, DB_BLOCK_INDEX)) {
    const decoded = decode?.(run);
    if (decoded) yield* decodedRecords(decoded);
    if (!decoded || decoded.stopped) yield* readRecords(splitRun(run).slice(decoded?.count ?? 0));
  }
}

function* readRecords(entries: Array<[Uint8Array, Uint8Array]>): Generator<[Uint8Array, DiskBlockIndex]> {
  for (const [key, value] of entries) yield [parseBlockIndexKey(key), readDiskBlockIndex(new ByteReader(value))];
}

/** The addon's records as the JavaScript reader builds them, with each header's hash computed in one batch. */
export function decodedRecords(d: DecodedBlockIndexRun): Array<[Uint8Array, DiskBlockIndex]> {
  const headerBytes = (i: number): Uint8Array => d.headers.subarray(i * BlockHeader.SIZE, (i + 1) * BlockHeader.SIZE);
  const headerHashes = sha256dBatch(Array.from({ length: d.count }, (_, i) => headerBytes(i)));
  const f = d.fields;
  const out = new Array<[Uint8Array, DiskBlockIndex]>(d.count);
  for (let i = 0; i < d.count; i++) {
    const o = FIELDS * i;
    const status = f[o + 1]!;
    const bytes = headerBytes(i);
    const header = BlockHeader.withHash({
      version: f[o + 6]! | 0, hashPrevBlock: bytes.subarray(4, 36), hashMerkleRoot: bytes.subarray(36, 68), time: f[o + 7], bits: f[o + 8], nonce: f[o + 9],
    }, headerHashes[i]!);
    const rec: DiskBlockIndex = {
      height: f[o]!,
      status,
      nTx: f[o + 2]!,
      file: status & HAVE_FILE ? f[o + 3] : undefined,
      dataPos: status & BlockStatus.BLOCK_HAVE_DATA ? f[o + 4] : undefined,
      undoPos: status & BlockStatus.BLOCK_HAVE_UNDO ? f[o + 5] : undefined,
      header,
    };
    out[i] = [d.hashes.subarray(32 * i, 32 * i + 32), rec];
  }
  return out;
}
