// Authentication and authorization over real HTTP: the cookie file, -rpcuser/-rpcpassword,
// -rpcauth lines, wrong passwords (401 + WWW-Authenticate) and -rpcwhitelist.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deleteAuthCookie, RPCAuth } from '../../../src/rpc/auth.js';
import { RPCConfigError } from '../../../src/rpc/netfilter.js';
import { basic, cookieAuth, json, makeLog, request, startServer, type Harness } from './harness.js';

const CALL = '{"method":"echo","params":[1],"id":1}';

/** An -rpcauth line the way share/rpcauth makes one. */
function rpcauthLine(user: string, password: string, salt: string): string {
  return `${user}:${salt}$${crypto.createHmac('sha256', salt).update(password).digest('hex')}`;
}

async function withServer(opts: Parameters<typeof startServer>[0], fn: (h: Harness) => Promise<void>): Promise<void> {
  const h = await startServer(opts);
  try {
    await fn(h);
  } finally {
    await h.close();
  }
}

function assertUnauthorized(res: { status: number; headers: Record<string, unknown> }): void {
  assert.equal(res.status, 401);
  assert.equal(res.headers['www-authenticate'], 'Basic realm="jsonrpc"');
}

describe('rpc authentication', () => {
  it('writes an owner-only cookie and accepts only it', async () => {
    await withServer({}, async (h) => {
      const file = path.join(h.datadir, '.cookie');
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
      assert.match(fs.readFileSync(file, 'utf8'), /^__cookie__:[0-9a-f]{64}$/);
      assert.equal(fs.existsSync(`${file}.tmp`), false);
      assert.equal(h.auth.cookiePath, file);
      assert.equal((await request(h.port, CALL, { auth: cookieAuth(h) })).status, 200);
      assertUnauthorized(await request(h.port, CALL, { auth: basic('__cookie__', 'wrong') }));
      assertUnauthorized(await request(h.port, CALL));
      assert.ok(h.log.warnings.some((w) => w.startsWith('ThreadRPCServer incorrect password attempt from 127.0.0.1')));
    });
  });

  it('deletes the cookie on request', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smithcoin-rpc-'));
    try {
      const auth = new RPCAuth({ datadir: dir, log: makeLog() });
      assert.ok(auth.cookiePath !== undefined && fs.existsSync(auth.cookiePath));
      deleteAuthCookie(auth.cookiePath);
      assert.equal(fs.existsSync(auth.cookiePath), false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checks -rpcuser/-rpcpassword and writes no cookie', async () => {
    await withServer({ auth: { rpcuser: 'alice', rpcpassword: 'secret' } }, async (h) => {
      assert.equal(fs.existsSync(path.join(h.datadir, '.cookie')), false);
      assert.equal((await request(h.port, CALL, { auth: basic('alice', 'secret') })).status, 200);
      assertUnauthorized(await request(h.port, CALL, { auth: basic('alice', 'secreT') }));
      assertUnauthorized(await request(h.port, CALL, { auth: basic('bob', 'secret') }));
      assertUnauthorized(await request(h.port, CALL, { auth: 'Bearer x' }));
      assertUnauthorized(await request(h.port, CALL, { auth: `Basic ${Buffer.from('alicesecret').toString('base64')}` }));
      assertUnauthorized(await request(h.port, CALL, { auth: 'Basic !!!!' }));
      assert.ok(h.log.warnings.some((w) => w.startsWith('The use of rpcuser/rpcpassword is less secure')));
    });
  });

  it('checks -rpcauth salted HMAC-SHA256 lines', async () => {
    const rpcauth = [rpcauthLine('carol', 'pw1', 'cafe01'), rpcauthLine('dave', 'pass:with:colons', 'beef')];
    await withServer({ auth: { rpcauth } }, async (h) => {
      assert.equal((await request(h.port, CALL, { auth: basic('carol', 'pw1') })).status, 200);
      assert.equal((await request(h.port, CALL, { auth: basic('dave', 'pass:with:colons') })).status, 200);
      assertUnauthorized(await request(h.port, CALL, { auth: basic('carol', 'pass:with:colons') }));
      assert.equal((await request(h.port, CALL, { auth: cookieAuth(h) })).status, 200, 'the cookie still works');
    });
  });

  it('refuses malformed -rpcauth lines', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smithcoin-rpc-'));
    try {
      for (const line of ['carol', 'carol:salt', 'a:b:c$d', 'carol:s$h$x']) {
        const log = makeLog();
        assert.throws(() => new RPCAuth({ rpcauth: [line], datadir: dir, log }),
          (e: unknown) => e instanceof RPCConfigError && e.message === 'Invalid -rpcauth argument.', line);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('enforces -rpcwhitelist per user, with 403', async () => {
    const auth = { rpcauth: [rpcauthLine('u1', 'p', 's'), rpcauthLine('u2', 'p', 's')], rpcwhitelist: ['u1:echo', 'u1:echo,fail'] };
    await withServer({ auth }, async (h) => {
      const u1 = basic('u1', 'p');
      assert.equal((await request(h.port, CALL, { auth: u1 })).status, 200);
      let res = await request(h.port, '{"method":"fail","id":1}', { auth: u1 });
      assert.equal(res.status, 403, 'two lists for one user keep only their intersection');
      assert.equal(res.body, '');
      res = await request(h.port, JSON.stringify([{ method: 'echo', id: 1 }, { method: 'fail', id: 2 }]), { auth: u1 });
      assert.equal(res.status, 403);
      res = await request(h.port, '[{"method":"echo","id":1}]', { auth: u1 });
      assert.deepEqual(json(res), [{ result: [], error: null, id: 1 }]);
      res = await request(h.port, '[{"id":1}]', { auth: u1 });
      assert.deepEqual([res.status, json(res)], [500, { result: null, error: { code: -32700, message: 'JSON value of type null is not of expected type string' }, id: null }]);
      res = await request(h.port, '[3]', { auth: u1 });
      assert.deepEqual([res.status, json(res)], [400, { result: null, error: { code: -32600, message: 'Invalid Request object' }, id: null }]);
      assert.equal((await request(h.port, CALL, { auth: basic('u2', 'p') })).status, 403, 'whitelistdefault follows -rpcwhitelist');
      assert.ok(h.log.warnings.includes('RPC User u2 not allowed to call any methods'));
      assert.ok(h.log.warnings.includes('RPC User u1 not allowed to call method fail'));
    });
    await withServer({ auth: { ...auth, rpcwhitelistdefault: false } }, async (h) => {
      assert.equal((await request(h.port, '{"method":"fail","id":1}', { auth: basic('u2', 'p') })).status, 500);
    });
  });
  it('remembers only headers that passed: repeats pass, other passwords of that user still fail', () => {
    const auth = new RPCAuth({ rpcuser: 'alice', rpcpassword: 'secret', datadir: os.tmpdir(), log: makeLog() });
    const good = basic('alice', 'secret');
    for (let i = 0; i < 3; i++) assert.deepEqual(auth.authorize(good), { user: 'alice', ok: true });
    assert.deepEqual(auth.authorize(basic('alice', 'secreT')), { user: 'alice', ok: false });
    assert.deepEqual(auth.authorize(basic('alice', 'secreT')), { user: 'alice', ok: false }, 'a failure is not remembered as a pass');
    assert.deepEqual(auth.authorize(`${good} `), { user: 'alice', ok: true }, 'the same credentials in another spelling');
    // More distinct good headers than the cache holds: every one keeps passing.
    const rpcauth = Array.from({ length: 70 }, (_, i) => rpcauthLine(`u${i}`, `p${i}`, `s${i}`));
    const many = new RPCAuth({ rpcauth, rpcpassword: 'x', rpcuser: 'x', datadir: os.tmpdir(), log: makeLog() });
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 70; i++) assert.deepEqual(many.authorize(basic(`u${i}`, `p${i}`)), { user: `u${i}`, ok: true });
    }
    assert.equal(many.authorize(basic('u1', 'p2'))?.ok, false);
  });
});
