// Block index records decoded by the addon (decodeBlockIndexRun) against the JavaScript reader: the same records
// from Core's regtest index, and the same records then the same error when a record is damaged.
import assert from 'node:assert/strict';
import path from 'node:path';
import { blockIndexRecords } from '../../../src/node/block_index_records.js';
import { DBWrapper } from '../../../src/node/dbwrapper.js';
import { BlockStatus, writeDiskBlockIndex, type DiskBlockIndex } from '../../../src/node/disk_block_index.js';
import { BlockHeader } from '../../../src/primitives/block.js';
import { ByteWriter } from '../../../src/util/serialize.js';
import { copyCoreRegtest } from '../node/helpers.js';
import { suiteTempDirs } from '../wrapper/temp_dirs.js';
import { requireLevelDB } from './helpers.js';

type Record = [Uint8Array, DiskBlockIndex];

/** The records as plain data (header fields and its hash included) for deep comparison. */
function plain(records: Record[]): unknown[] {
  return records.map(([hash, r]) => ({
    key: Buffer.from(hash).toString('hex'), height: r.height, status: r.status, nTx: r.nTx, file: r.file, dataPos: r.dataPos, undoPos: r.undoPos,
    header: Buffer.from(r.header.toBytes()).toString('hex'), hash: Buffer.from(r.header.hash).toString('hex'),
  }));
}

/** Walks the records, natively decoded (the default) or with the JavaScript reader only. */
function walk(db: DBWrapper, native: boolean): { records: Record[]; error?: string } {
  const records: Record[] = [];
  try {
    for (const r of native ? blockIndexRecords(db) : blockIndexRecords(db, undefined)) records.push(r);
    return { records };
  } catch (e) {
    return { records, error: (e as Error).message };
  }
}

function record(height: number, status: number, fill: number): Uint8Array {
  const header = new BlockHeader({ version: -2, hashPrevBlock: new Uint8Array(32).fill(fill), hashMerkleRoot: new Uint8Array(32).fill(fill + 1), time: 0xfffffff0, bits: 0x207fffff, nonce: 7 * fill });
  const w = new ByteWriter();
  writeDiskBlockIndex(w, { height, status, nTx: 3, file: 2, dataPos: 0x87654321, undoPos: 123, header });
  return w.toBytes();
}

function key(fill: number, length = 33): Uint8Array {
  const k = new Uint8Array(length).fill(fill);
  k[0] = 0x62;
  return k;
}

describe('block index records', () => {
  const addon = requireLevelDB();
  const tempDir = suiteTempDirs('smithcoin-blockindex-');

  it('decodes Core\'s regtest index as the JavaScript reader does', () => {
    const dir = copyCoreRegtest(tempDir());
    const db = new DBWrapper({ path: path.join(dir, 'blocks', 'index'), cacheBytes: 1 << 20, obfuscate: false });
    try {
      const native = walk(db, true);
      const js = walk(db, false);
      assert.equal(native.error, undefined);
      assert.equal(js.error, undefined);
      assert.ok(native.records.length > 300);
      assert.deepEqual(plain(native.records), plain(js.records));
    } finally {
      db.close();
    }
  });

  it('reads every status\'s optional fields and the full uint32 range', () => {
    const db = new DBWrapper({ path: tempDir(), cacheBytes: 1 << 20, obfuscate: true });
    try {
      const statuses = [0, BlockStatus.BLOCK_HAVE_DATA, BlockStatus.BLOCK_HAVE_UNDO, BlockStatus.BLOCK_HAVE_DATA | BlockStatus.BLOCK_HAVE_UNDO | BlockStatus.BLOCK_OPT_WITNESS | 5];
      statuses.forEach((status, i) => db.write(key(i + 1), record(0x7fffffff - i, status, i + 1)));
      const native = walk(db, true);
      assert.equal(native.error, undefined);
      assert.equal(native.records.length, statuses.length);
      assert.deepEqual(plain(native.records), plain(walk(db, false).records));
      assert.equal(native.records[0]![1].file, undefined);
      assert.equal(native.records[1]![1].dataPos, 0x87654321);
      assert.equal(native.records[1]![1].undoPos, undefined);
      assert.equal(native.records[3]![1].header.version, -2);
    } finally {
      db.close();
    }
  });

  const damaged: Array<[string, (db: DBWrapper) => void]> = [
    ['a truncated header', (db) => db.write(key(3), record(5, 8, 3).subarray(0, 60))],
    ['a VARINT past 31 bits', (db) => db.write(key(3), Uint8Array.of(0x88, 0x80, 0x80, 0x80, 0x00))],
    ['a key of the wrong length', (db) => db.write(key(3, 40), record(5, 8, 3))],
  ];
  for (const [what, damage] of damaged) {
    it(`stops at ${what} with the JavaScript reader's error`, () => {
      const db = new DBWrapper({ path: tempDir(), cacheBytes: 1 << 20, obfuscate: false });
      try {
        db.write(key(1), record(1, 8, 1));
        db.write(key(2), record(2, 24, 2));
        damage(db);
        db.write(key(4), record(4, 0, 4));
        const native = walk(db, true);
        const js = walk(db, false);
        assert.ok(js.error, 'the JavaScript reader rejects the record');
        assert.equal(native.error, js.error);
        assert.equal(native.records.length, 2);
        assert.deepEqual(plain(native.records), plain(js.records));
      } finally {
        db.close();
      }
    });
  }

  it('decodeBlockIndexRun reports where it stopped', () => {
    const decode = addon().decodeBlockIndexRun;
    const entry = (k: Uint8Array, v: Uint8Array): Uint8Array => {
      const out = new Uint8Array(8 + k.length + v.length);
      const dv = new DataView(out.buffer);
      dv.setUint32(0, k.length, true);
      out.set(k, 4);
      dv.setUint32(4 + k.length, v.length, true);
      out.set(v, 8 + k.length);
      return out;
    };
    const good = entry(key(1), record(9, 8, 1));
    const run = Buffer.concat([good, entry(key(2), Uint8Array.of(1, 2)), good]);
    const d = decode(new Uint8Array(run));
    assert.equal(d.count, 1);
    assert.equal(d.stopped, true);
    assert.deepEqual([...d.fields.subarray(0, 6)], [9, 8, 3, 2, 0x87654321, 0]);
    const whole = decode(new Uint8Array(Buffer.concat([good, good])));
    assert.equal(whole.count, 2);
    assert.equal(whole.stopped, false);
    assert.equal(whole.headers.length, 160);
    assert.throws(() => decode('x' as never), /run must be a Uint8Array/);
  });
});
