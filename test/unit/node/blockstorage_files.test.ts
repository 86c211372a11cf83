// FlatFileSeq keeps a few files open between calls, yet a file renamed or replaced behind its back is found by name
// again, as Core finds it (it opens the file on every access).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { FlatFileSeq } from '../../../src/node/blockstorage_files.js';
import { suiteTempDirs } from '../wrapper/temp_dirs.js';

const MAGIC = Uint8Array.of(0xfa, 0xbf, 0xb5, 0xda);
const KEY = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);

describe('node/blockstorage: FlatFileSeq open files', () => {
  const tempDir = suiteTempDirs('smithcoin-flatfile-');

  function seqWithRecord(payload: Uint8Array): { seq: FlatFileSeq; at: { file: number; pos: number } } {
    const seq = new FlatFileSeq(tempDir(), 'blk', 0x4000, KEY, MAGIC);
    seq.allocate({ file: 0, pos: 0 }, 8 + payload.length);
    return { seq, at: seq.writeRecord({ file: 0, pos: 0 }, payload) };
  }

  it('reads back what it wrote through the kept descriptor', () => {
    const { seq, at } = seqWithRecord(Uint8Array.of(9, 8, 7));
    assert.deepEqual(seq.recordReader(at, 3).read(at.pos, 3), Uint8Array.of(9, 8, 7));
    seq.closeFiles();
  });

  it('a renamed file is gone until it is back under its name', () => {
    const { seq, at } = seqWithRecord(Uint8Array.of(1, 2, 3));
    const name = seq.fileName(0);
    fs.renameSync(name, `${name}.bak`);
    assert.throws(() => seq.recordReader(at, 3), (e: NodeJS.ErrnoException) => e.code === 'ENOENT');
    fs.renameSync(`${name}.bak`, name);
    assert.deepEqual(seq.recordReader(at, 3).read(at.pos, 3), Uint8Array.of(1, 2, 3));
    seq.closeFiles();
  });

  it('a file replaced under its name is read from the new one', () => {
    const { seq, at } = seqWithRecord(Uint8Array.of(4, 5, 6));
    const name = seq.fileName(0);
    const other = new FlatFileSeq(path.dirname(name), 'blk', 0x4000, KEY, MAGIC);
    other.allocate({ file: 1, pos: 0 }, 11);
    other.writeRecord({ file: 1, pos: 0 }, Uint8Array.of(7, 7, 7));
    other.closeFiles();
    fs.renameSync(other.fileName(1), name);
    assert.deepEqual(seq.recordReader(at, 3).read(at.pos, 3), Uint8Array.of(7, 7, 7));
    seq.closeFiles();
  });
});
