// The support addon's sameFile: whether a path still names the file a descriptor was opened on (the blk/rev files'
// check on every write), with "nothing there" and "ask again through fs" kept apart.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { supportAddon } from '../../../src/util/support_addon.js';

describe('util/support_addon: sameFile', () => {
  const sameFile = supportAddon()?.sameFile;
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smithcoin-same-file-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the build has it', () => {
    assert.equal(typeof sameFile, 'function');
  });

  it('true for the file at its name, false once renamed, replaced or removed', () => {
    const name = path.join(dir, 'blk00000.dat');
    fs.writeFileSync(name, 'a');
    const fd = fs.openSync(name, 'r+');
    const { dev, ino } = fs.fstatSync(fd, { bigint: true });
    try {
      assert.equal(sameFile!(name, dev, ino), true);
      assert.equal(sameFile!(name, dev, ino + 1n), false);
      assert.equal(sameFile!(name, dev + 1n, ino), false);
      assert.equal(sameFile!(name, -1n, ino), false, 'not a device number');
      fs.renameSync(name, `${name}.moved`);
      assert.equal(sameFile!(name, dev, ino), false, 'nothing at the name');
      fs.writeFileSync(name, 'b');
      assert.equal(sameFile!(name, dev, ino), false, 'another file at the name');
      fs.rmSync(name);
      fs.renameSync(`${name}.moved`, name);
      assert.equal(sameFile!(name, dev, ino), true, 'back at its name');
    } finally {
      fs.closeSync(fd);
    }
  });

  it('undefined for other errors (a path through a file), so the caller stats it and reports the error', () => {
    const name = path.join(dir, 'plain');
    fs.writeFileSync(name, 'a');
    const { dev, ino } = fs.statSync(name, { bigint: true });
    assert.equal(sameFile!(path.join(name, 'below'), dev, ino), undefined);
    assert.throws(() => fs.statSync(path.join(name, 'below'), { throwIfNoEntry: false }), { code: 'ENOTDIR' });
  });

  it('rejects arguments that are not a descriptor and a path', () => {
    assert.throws(() => (sameFile as unknown as (...a: unknown[]) => unknown)('x', 1, 2), TypeError);
    assert.throws(() => (sameFile as unknown as (...a: unknown[]) => unknown)(3, 1n, 2n), TypeError);
  });
});
