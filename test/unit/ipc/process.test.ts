// -ipcbind / -ipcconnect addresses (Core's ParseAddress texts), binding and auto-connect fallback.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { IpcAddressError, UNIX_PATH_MAX, bindIpcAddress, connectIpcAddress, parseIpcAddress, spawnedIpcFd } from '../../../src/ipc/process.js';

describe('ipc/process: addresses', () => {
  it('unix and unix: are <datadir>/node.sock for smithcoin-node', () => {
    assert.deepEqual(parseIpcAddress('unix', '/d/regtest', 'smithcoin-node'), { path: '/d/regtest/node.sock', canonical: 'unix:/d/regtest/node.sock' });
    assert.equal(parseIpcAddress('unix:', '/d/regtest/', 'smithcoin-node').path, '/d/regtest/node.sock');
    assert.equal(parseIpcAddress('unix', '/d', 'smithcoin-gui').path, '/d/gui.sock');
  });

  it('unix:<path> is relative to the network datadir unless absolute', () => {
    assert.equal(parseIpcAddress('unix:sub/x.sock', '/d/regtest', 'smithcoin-node').canonical, 'unix:/d/regtest/sub/x.sock');
    assert.equal(parseIpcAddress('unix:/tmp/y.sock', '/d/regtest', 'smithcoin-node').path, '/tmp/y.sock');
  });

  it("other schemes get Core's Unrecognized address", () => {
    for (const a of ['tcp:127.0.0.1:1', 'unixx', 'UNIX', '', ' unix']) {
      assert.throws(() => parseIpcAddress(a, '/d', 'smithcoin-node'), (e: unknown) => e instanceof IpcAddressError && e.message === `Unrecognized address '${a}'`);
    }
  });

  it('a path of 108 bytes or more is too long, quoted as std::quoted does', () => {
    const ok = `/${'a'.repeat(UNIX_PATH_MAX - 2)}`;
    assert.equal(parseIpcAddress(`unix:${ok}`, '/d', 'smithcoin-node').path.length, 107);
    const long = `/${'a'.repeat(UNIX_PATH_MAX - 1)}`;
    assert.throws(() => parseIpcAddress(`unix:${long}`, '/d', 'smithcoin-node'), { message: `Unix address path "${long}" exceeded maximum socket path length` });
    const odd = `/q"\\${'b'.repeat(110)}`;
    assert.throws(() => parseIpcAddress(`unix:${odd}`, '/d', 'smithcoin-node'), { message: `Unix address path "/q\\"\\\\${'b'.repeat(110)}" exceeded maximum socket path length` });
  });

  it('-ipcfd only as the whole command line, decimal only', () => {
    assert.equal(spawnedIpcFd(['-ipcfd', '3']), 3);
    assert.equal(spawnedIpcFd(['-regtest']), undefined);
    assert.equal(spawnedIpcFd(['-ipcfd', '3', '-regtest']), undefined);
    assert.throws(() => spawnedIpcFd(['-ipcfd', '0x3']), { message: "Invalid -ipcfd number '0x3'" });
  });
});

describe('ipc/process: bind and connect', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smithcoin-ipcproc-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('binds owner-only under new parent dirs; auto connects, and falls back to null when nothing listens', async () => {
    const addr = parseIpcAddress('unix:a/b/node.sock', dir, 'smithcoin-node');
    assert.equal(await connectIpcAddress('auto', path.join(dir, 'a/b'), 'smithcoin-node'), null);
    const accepted: net.Socket[] = [];
    const server = await bindIpcAddress(addr, { onConnection: (s) => accepted.push(s) });
    try {
      assert.equal(fs.statSync(addr.path).mode & 0o777, 0o600);
      const sock = await connectIpcAddress('auto', path.join(dir, 'a/b'), 'smithcoin-node');
      assert.ok(sock);
      sock.destroy();
      assert.equal(await connectIpcAddress('0', dir, 'smithcoin-node'), null);
      assert.equal(await connectIpcAddress('', dir, 'smithcoin-node'), null);
    } finally {
      for (const s of accepted) s.destroy();
      await new Promise((r) => server.close(r));
    }
    // unix (not auto) reports the system error instead of falling back.
    await assert.rejects(connectIpcAddress('unix:nothing.sock', dir, 'smithcoin-node'), { code: 'ENOENT' });
  });

  it('a regular file at the path is left alone and the bind fails', async () => {
    const addr = parseIpcAddress('unix', dir, 'smithcoin-node');
    fs.writeFileSync(addr.path, 'keep me');
    await assert.rejects(bindIpcAddress(addr, { onConnection: () => undefined }), { code: 'EADDRINUSE' });
    assert.equal(fs.readFileSync(addr.path, 'utf8'), 'keep me');
  });
});
