// The addon itself: reads, batched reads, ordered batches, iterators, sizes, compaction, and the
// errors it raises for misuse and for LevelDB failures.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { suiteTempDirs } from '../wrapper/temp_dirs.js';
import { b, requireLevelDB } from './helpers.js';
import type { LevelDBDatabase } from '../../../src/node/leveldb_native.js';

describe('leveldb addon', () => {
  const addon = requireLevelDB();
  const tempDir = suiteTempDirs('smithcoin-leveldb-');
  const open = (dir = tempDir()): LevelDBDatabase => new (addon().Database)(dir, { cacheSize: 1 << 20 });

  it('reads back what a batch wrote, null when absent', () => {
    const db = open();
    try {
      db.write([b('a'), b('b')], [b('1'), b('2')], true);
      assert.deepEqual(Buffer.from(db.get(b('a'))!), Buffer.from('1'));
      assert.equal(db.get(b('zz')), null);
      const many = db.getMany([b('b'), b('x'), b('a')]);
      assert.deepEqual(many.map((v) => (v === null ? null : Buffer.from(v).toString())), ['2', null, '1']);
      assert.deepEqual(db.getMany([]), []);
    } finally {
      db.close();
    }
  });

  it('applies a batch in order: a later erase wins over an earlier put, and the reverse', () => {
    const db = open();
    try {
      db.write([b('k'), b('k'), b('j'), b('j')], [b('v'), null, null, b('w')], false);
      assert.equal(db.get(b('k')), null);
      assert.equal(Buffer.from(db.get(b('j'))!).toString(), 'w');
    } finally {
      db.close();
    }
  });

  it('iterates in key order from a seek, on a snapshot', () => {
    const db = open();
    try {
      db.write(['c', 'a', 'e', 'b'].map(b), ['3', '1', '5', '2'].map(b), false);
      const it = db.iterator();
      db.write([b('d')], [b('4')], false); // after the snapshot: not seen
      it.seek(b('b'));
      const seen: string[] = [];
      for (; it.valid(); it.next()) seen.push(`${Buffer.from(it.key()).toString()}=${Buffer.from(it.value()).toString()}`);
      assert.deepEqual(seen, ['b=2', 'c=3', 'e=5']);
      assert.throws(() => it.key(), { message: 'LevelDB iterator is not on an entry' });
      it.seekToFirst();
      assert.equal(Buffer.from(it.key()).toString(), 'a');
      it.close();
      assert.throws(() => it.valid(), { message: 'LevelDB iterator is closed' });
    } finally {
      db.close();
    }
  });

  it('reads a run as (u32le length, bytes) records with the values XORed by the key', () => {
    const db = open();
    try {
      db.write(['p1', 'p2', 'q1'].map(b), [Uint8Array.of(1, 2, 3), new Uint8Array(0), Uint8Array.of(9)], false);
      const it = db.iterator();
      it.seek(b('p'));
      const key = Uint8Array.of(0xff, 0, 0, 0, 0, 0, 0, 0x10);
      const run = Buffer.from(it.readRun(b('p'), 10, 1000, key));
      assert.equal(run.toString('hex'), '02000000' + '7031' + '03000000' + 'fe0203' + '02000000' + '7032' + '00000000');
      assert.equal(Buffer.from(it.key()).toString(), 'q1');
      assert.equal(it.readRun(b('p'), 10, 1000, key).length, 0);
      assert.throws(() => it.readRun(b('p'), 10, 1000, new Uint8Array(7)), { name: 'RangeError', message: 'xorKey must be 8 bytes' });
      assert.throws(() => it.readRun(b('p'), '10' as unknown as number, 1000, key), TypeError);
      it.close();
      assert.throws(() => it.readRun(b('p'), 10, 1000, key), { message: 'LevelDB iterator is closed' });
    } finally {
      db.close();
    }
  });

  it('writes tables with Core\'s bloom filter unless told not to', () => {
    const tables = (dir: string): string => fs.readdirSync(dir).filter((f) => f.endsWith('.ldb'))
      .map((f) => fs.readFileSync(path.join(dir, f), 'latin1')).join('');
    for (const bloomFilter of [undefined, false]) {
      const dir = tempDir();
      const db = new (addon().Database)(dir, { cacheSize: 1 << 20, bloomFilter });
      try {
        db.write(['a', 'b', 'c'].map(b), ['1', '2', '3'].map(b), false);
        db.compactRange(null, null);
      } finally {
        db.close();
      }
      assert.equal(tables(dir).includes('filter.leveldb.BuiltinBloomFilter2'), bloomFilter === undefined);
    }
  });

  it('closes the iterators still open when the database closes', () => {
    const db = open();
    const it = db.iterator();
    db.close();
    assert.throws(() => it.seekToFirst(), { message: 'LevelDB iterator is closed' });
    assert.throws(() => db.get(b('a')), { message: 'LevelDB database is closed' });
    db.close(); // idempotent
  });

  it('estimates sizes and compacts ranges', () => {
    const db = open();
    try {
      const keys: Uint8Array[] = [];
      const values: Uint8Array[] = [];
      for (let i = 0; i < 2000; i++) {
        keys.push(b(`key${String(i).padStart(6, '0')}`));
        values.push(new Uint8Array(200).fill(i & 0xff));
      }
      db.write(keys, values, false);
      db.compactRange(null, null);
      const all = db.approximateSize(b('key'), b('kez'));
      assert.ok(all >= 2000 * 200, `approximate size ${all} is below the data written`);
      assert.equal(db.approximateSize(b('x'), b('y')), 0);
      db.compactRange(b('key000100'), b('key000200'));
      assert.equal(db.get(b('key000150'))![0], 150);
    } finally {
      db.close();
    }
  });

  it('rejects arguments of the wrong type', () => {
    const db = open();
    try {
      assert.throws(() => db.get('a' as unknown as Uint8Array), { name: 'TypeError', message: 'key must be a Uint8Array' });
      assert.throws(() => db.write([b('a')], [], false), { name: 'RangeError', message: 'keys and values differ in length' });
    } finally {
      db.close();
    }
  });

  it('fails to open a missing database without createIfMissing, with Core\'s prefix', () => {
    const dir = path.join(tempDir(), 'missing');
    assert.throws(() => new (addon().Database)(dir, { createIfMissing: false }),
      (err: Error) => err.message.startsWith('Fatal LevelDB error: Invalid argument: ') && err.message.includes('does not exist'));
  });
});
