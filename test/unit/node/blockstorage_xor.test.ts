// The blocksdir XOR key (xor.dat) as Core's InitBlocksdirXorKey makes it, and blocks written through it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { initBlocksDirXorKey } from '../../../src/node/blockstorage_files.js';
import { BlockStorageError } from '../../../src/node/blockstorage_format.js';
import { bytesToHex } from '../../../src/util/hex.js';
import { suiteTempDirs } from '../wrapper/temp_dirs.js';

describe('node/blockstorage: xor.dat', () => {
  const tempDir = suiteTempDirs('smithcoin-xor-');
  const quiet = (): void => {};

  it('makes a random key on a first start, even beside hidden files, and keeps it', () => {
    const dir = path.join(tempDir(), 'blocks');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, '.lock'), '');
    const lines: string[] = [];
    const key = initBlocksDirXorKey(dir, true, (m) => lines.push(m));
    assert.notEqual(bytesToHex(key), '0000000000000000');
    assert.deepEqual(lines, [`Using obfuscation key for blocksdir *.dat files (${dir}): '${bytesToHex(key)}'`]);
    assert.equal(bytesToHex(fs.readFileSync(path.join(dir, 'xor.dat'))), bytesToHex(key));
    assert.equal(bytesToHex(initBlocksDirXorKey(dir, true, quiet)), bytesToHex(key));
  });

  it('writes an all-zero key for a blocks dir that already holds files, and for -blocksxor=0', () => {
    const old = path.join(tempDir(), 'blocks');
    fs.mkdirSync(old);
    fs.writeFileSync(path.join(old, 'blk00000.dat'), 'x');
    assert.equal(bytesToHex(initBlocksDirXorKey(old, true, quiet)), '0000000000000000');
    assert.equal(bytesToHex(fs.readFileSync(path.join(old, 'xor.dat'))), '0000000000000000');
    const off = path.join(tempDir(), 'blocks');
    assert.equal(bytesToHex(initBlocksDirXorKey(off, false, quiet)), '0000000000000000');
  });

  it('refuses -blocksxor=0 once a random key is stored, and a key file of the wrong size', () => {
    const dir = path.join(tempDir(), 'blocks');
    const key = initBlocksDirXorKey(dir, true, quiet);
    assert.throws(() => initBlocksDirXorKey(dir, false, quiet), (e: unknown) => e instanceof BlockStorageError && e.message
      === `The blocksdir XOR-key can not be disabled when a random key was already stored! Stored key: '${bytesToHex(key)}', stored path: '${path.join(dir, 'xor.dat')}'.`);
    fs.writeFileSync(path.join(dir, 'xor.dat'), Buffer.alloc(7));
    assert.throws(() => initBlocksDirXorKey(dir, true, quiet), BlockStorageError);
  });
});
