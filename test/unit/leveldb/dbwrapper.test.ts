// CDBWrapper semantics in TS: round trips, batches and iterators through the obfuscation key, the
// key's on-disk form, values XORed on disk, and the error for a database another opener holds.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  DBWrapper, DbWrapperError, OBFUSCATION_KEY_KEY, OBFUSCATION_KEY_SIZE, xorObfuscate, type DBParams,
} from '../../../src/node/dbwrapper.js';
import { suiteTempDirs } from '../wrapper/temp_dirs.js';
import { b, requireLevelDB } from './helpers.js';

const LOCK_ERROR = /^Fatal LevelDB error: IO error: lock .*\/LOCK: /;

describe('dbwrapper', () => {
  const addon = requireLevelDB();
  const tempDir = suiteTempDirs('smithcoin-dbwrapper-');
  const params = (dir: string, obfuscate = true): DBParams => ({ path: dir, cacheBytes: 1 << 20, obfuscate });

  function withDb<T>(p: DBParams, fn: (db: DBWrapper) => T): T {
    const db = new DBWrapper(p);
    try {
      return fn(db);
    } finally {
      db.close();
    }
  }

  it('logs Core\'s open lines, and LevelDB\'s own log goes to the leveldb category instead of a LOG file', () => {
    const dir = tempDir();
    const info: string[] = [];
    const leveldb: string[] = [];
    const log = { info: (m: string) => info.push(m), leveldb: (m: string) => leveldb.push(m) };
    const hex = withDb({ ...params(dir), log }, (db) => {
      db.write(b('k'), b('v'), true);
      return db.obfuscationKeyHex;
    });
    assert.deepEqual(info, [`Opening LevelDB in ${dir}`, 'Opened LevelDB successfully', `Wrote new obfuscation key for ${dir}: ${hex}`,
      `Using obfuscation key for ${dir}: ${hex}`]);
    assert.equal(leveldb[0], 'LevelDB using max_open_files=64 (default=1000)');
    // LevelDB 1.23 announces the new database; Core's LevelDB does not, and neither do we.
    assert.ok(!leveldb.some((l) => l.startsWith('Creating DB')), leveldb.join('\n'));
    leveldb.length = 0;
    withDb({ ...params(dir), log, forceCompact: true }, () => {});
    // Reopening replays the write-ahead log LevelDB left (one line among several), then -forcecompactdb's lines.
    assert.ok(leveldb.some((l) => /^Recovering log #\d+$/.test(l)), leveldb.join('\n'));
    assert.ok(info.includes(`Starting database compaction of ${dir}`) && info.includes(`Finished database compaction of ${dir}`));
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.startsWith('LOG')), []);
    // With -debug=leveldb, each write batch says what LevelDB's memory was before and after, as Core's.
    leveldb.length = 0;
    withDb({ ...params(dir), log: { ...log, leveldbEnabled: () => true } }, (db) => db.write(b('k2'), b('v'), false));
    assert.ok(leveldb.some((l) => /^WriteBatch memory usage: db=[^,]+, before=\d+\.\dMiB, after=\d+\.\dMiB$/.test(l)), leveldb.join('\n'));
  });

  it('writes a fresh 8-byte key, stored in the clear as a length-prefixed vector', () => {
    const dir = tempDir();
    const key = withDb(params(dir), (db) => {
      assert.equal(db.createdObfuscationKey, true);
      assert.equal(db.obfuscationKey.length, OBFUSCATION_KEY_SIZE);
      assert.ok(db.obfuscationKey.some((x) => x !== 0));
      return Uint8Array.from(db.obfuscationKey);
    });
    assert.deepEqual([...OBFUSCATION_KEY_KEY], [0x0e, 0x00, ...Buffer.from('obfuscate_key')]);
    const raw = new (addon().Database)(dir);
    try {
      assert.deepEqual(raw.get(OBFUSCATION_KEY_KEY), Uint8Array.from([8, ...key]));
    } finally {
      raw.close();
    }
    // Reopened: the same key is used and none is written.
    withDb(params(dir), (db) => {
      assert.equal(db.createdObfuscationKey, false);
      assert.deepEqual(db.obfuscationKey, key);
    });
  });

  it('keeps values XORed with the key on disk and reads them back in the clear', () => {
    const dir = tempDir();
    const value = b('coin value: 0123456789 abcdef');
    const key8 = withDb(params(dir), (db) => {
      db.write(b('Ckey'), value, true);
      assert.deepEqual(db.read(b('Ckey')), value);
      return Uint8Array.from(db.obfuscationKey);
    });
    const raw = new (addon().Database)(dir);
    try {
      const onDisk = raw.get(b('Ckey'))!;
      assert.notDeepEqual(Buffer.from(onDisk), Buffer.from(value));
      assert.deepEqual(onDisk, xorObfuscate(Uint8Array.from(value), key8));
    } finally {
      raw.close();
    }
  });

  it('gives a database that is not new no key, and one opened without obfuscation none either', () => {
    const dir = tempDir();
    const raw = new (addon().Database)(dir);
    raw.write([b('x')], [b('plain')], true);
    raw.close();
    withDb(params(dir), (db) => {
      assert.equal(db.createdObfuscationKey, false);
      assert.equal(db.obfuscationKeyHex, '0000000000000000');
      assert.deepEqual(db.read(b('x')), b('plain'));
    });
    withDb(params(tempDir(), false), (db) => {
      assert.equal(db.obfuscationKeyHex, '0000000000000000');
      assert.equal(db.exists(OBFUSCATION_KEY_KEY), false);
    });
  });

  it('rejects a stored key that is not 8 bytes', () => {
    const dir = tempDir();
    const raw = new (addon().Database)(dir);
    raw.write([OBFUSCATION_KEY_KEY], [Uint8Array.from([7, 1, 2, 3, 4, 5, 6, 7])], true);
    raw.close();
    assert.throws(() => new DBWrapper(params(dir)), { name: 'DbWrapperError', message: 'Obfuscation key size should be exactly 8 bytes long' });
  });

  it('round-trips read/write/exists/erase and batches', () => {
    withDb(params(tempDir()), (db) => {
      db.write(b('a'), b('alpha'));
      assert.equal(db.exists(b('a')), true);
      db.erase(b('a'), true);
      assert.equal(db.exists(b('a')), false);
      assert.equal(db.read(b('a')), null);
      const batch = db.newBatch();
      batch.write(b('k1'), b('v1'));
      batch.write(b('k2'), b('v2'));
      batch.erase(b('k1'));
      assert.equal(batch.approximateSize, 2 + 2 + 2 + 2 + 2);
      assert.equal(db.read(b('k2')), null); // nothing lands before writeBatch
      db.writeBatch(batch, true);
      assert.deepEqual(db.readMany([b('k1'), b('k2')]), [null, b('v2')]);
    });
  });

  it('iterates with values de-obfuscated', () => {
    withDb(params(tempDir()), (db) => {
      const batch = db.newBatch();
      for (let i = 0; i < 50; i++) batch.write(b(`C${String(i).padStart(3, '0')}`), b(`value ${i} with some length`));
      db.writeBatch(batch);
      const it = db.newIterator();
      try {
        it.seek(b('C'));
        let n = 0;
        for (; it.valid() && it.key()[0] === 0x43; it.next()) {
          assert.equal(Buffer.from(it.value()).toString(), `value ${n} with some length`);
          n++;
        }
        assert.equal(n, 50);
      } finally {
        it.close();
      }
    });
  });

  it('reads runs of a prefix de-obfuscated, within the entry and byte bounds, and stops at the prefix end', () => {
    withDb(params(tempDir()), (db) => {
      const batch = db.newBatch();
      for (let i = 0; i < 50; i++) batch.write(b(`C${String(i).padStart(3, '0')}`), b(`value ${i} with some length`));
      batch.write(b('B-before'), b('not C'));
      batch.write(b('D-after'), b('not C either'));
      batch.write(b('Cempty'), new Uint8Array(0));
      db.writeBatch(batch);
      const it = db.newIterator();
      try {
        it.seek(b('C'));
        const seen: string[] = [];
        const sizes: number[] = [];
        for (let run = it.readRun(b('C'), 7, 1 << 20); run.length > 0; run = it.readRun(b('C'), 7, 1 << 20)) {
          sizes.push(run.length);
          for (const [key, value] of run) seen.push(`${Buffer.from(key).toString()}=${Buffer.from(value).toString()}`);
        }
        assert.deepEqual(seen, [...Array.from({ length: 50 }, (_, i) => `C${String(i).padStart(3, '0')}=value ${i} with some length`), 'Cempty=']);
        assert.deepEqual(sizes, [7, 7, 7, 7, 7, 7, 7, 2]);
        // The byte bound ends a run after the entry that passes it.
        it.seek(b('C'));
        assert.equal(it.readRun(b('C'), 1000, 1).length, 1);
        assert.equal(it.readRun(b('C'), 1000, 60).length, 2);
        assert.equal(it.valid() && Buffer.from(it.key()).toString(), 'C003');
      } finally {
        it.close();
      }
    });
  });

  it('refuses a database this process already holds, with LevelDB\'s lock error', () => {
    const dir = tempDir();
    withDb(params(dir), () => {
      assert.throws(() => new DBWrapper(params(dir)), (err: unknown) =>
        err instanceof DbWrapperError && LOCK_ERROR.test(err.message) && err.message.includes(dir));
    });
  });

  it('refuses a database another process holds, with LevelDB\'s lock error', async () => {
    const dir = tempDir();
    const dbwrapperJs = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../src/node/dbwrapper.js');
    const script = path.join(tempDir(), 'hold.mjs');
    fs.writeFileSync(script, `import { DBWrapper } from ${JSON.stringify(pathToFileURL(dbwrapperJs).href)};
const db = new DBWrapper({ path: process.argv[2], cacheBytes: 1 << 20, obfuscate: true });
process.stdout.write('open\\n');
process.stdin.once('data', () => { db.close(); process.exit(0); });
`);
    const holder = spawn(process.execPath, [script, dir], { stdio: ['pipe', 'pipe', 'inherit'] });
    const exited = new Promise<number | null>((resolve) => holder.on('exit', resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.once('data', () => resolve());
        holder.once('exit', (code) => reject(new Error(`the holding process exited early (${code})`)));
      });
      assert.throws(() => new DBWrapper(params(dir)), (err: unknown) =>
        err instanceof DbWrapperError && LOCK_ERROR.test(err.message) && err.message.includes(dir));
    } finally {
      holder.stdin.end('x');
      assert.equal(await exited, 0);
    }
  });
});
