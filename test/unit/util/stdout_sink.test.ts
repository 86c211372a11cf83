// The console writer's choice: descriptors Node writes synchronously (files, /dev/null) are written directly; a
// pipe is not (process.stdout handles it).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isSyncFileDescriptor } from '../../../src/util/stdout_sink.js';

describe('util/stdout_sink: isSyncFileDescriptor', () => {
  it('is true for a regular file and for /dev/null', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smithcoin-stdout-sink-'));
    const file = fs.openSync(path.join(dir, 'out.txt'), 'w');
    const devNull = fs.openSync('/dev/null', 'w');
    try {
      assert.equal(isSyncFileDescriptor(file), true);
      assert.equal(isSyncFileDescriptor(devNull), true);
    } finally {
      fs.closeSync(file);
      fs.closeSync(devNull);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is false for a pipe and for a closed descriptor', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, ['-e', 'process.stdin.resume()'], { stdio: ['pipe', 'ignore', 'ignore'] });
    const fd = (child.stdin as unknown as { _handle: { fd: number } })._handle.fd;
    try {
      assert.equal(isSyncFileDescriptor(fd), false);
    } finally {
      child.kill();
    }
    const closed = fs.openSync('/dev/null', 'r');
    fs.closeSync(closed);
    assert.equal(isSyncFileDescriptor(closed), false);
  });
});
