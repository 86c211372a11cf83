// The JSON-RPC server over real HTTP: Core's status codes for 1.0 and 2.0, batches, notifications,
// named params, methods and paths, body limits and keep-alive.
import assert from 'node:assert/strict';
import http from 'node:http';
import { json, request, startServer, cookieAuth, type Harness } from './harness.js';

describe('rpc over http', () => {
  let h: Harness;
  let auth: string;
  before(async () => {
    h = await startServer({ walletSupport: true });
    auth = cookieAuth(h);
  });
  after(async () => h.close());

  const post = (body: unknown): ReturnType<typeof request> =>
    request(h.port, typeof body === 'string' ? body : JSON.stringify(body), { auth });

  it('answers a legacy request with result, error and id, as application/json', async () => {
    const res = await post({ method: 'echo', params: [1, 'x'], id: 7 });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/json');
    assert.equal(res.body, '{"result":[1,"x"],"error":null,"id":7}\n');
  });

  it('answers 2.0 without an error key', async () => {
    const res = await post({ jsonrpc: '2.0', method: 'echo', params: { arg2: 5 }, id: 'a' });
    assert.equal(res.status, 200);
    assert.deepEqual(json(res), { jsonrpc: '2.0', result: [null, 5], id: 'a' });
  });

  it('maps legacy errors to 400/404/500 and keeps 2.0 errors at 200', async () => {
    const cases: [unknown, number, number, string][] = [
      [{ method: 'nosuch', id: 1 }, 404, -32601, 'Method not found'],
      [{ id: 1 }, 400, -32600, 'Missing method'],
      [{ method: 'fail', id: 1 }, 500, -1, 'it failed'],
      [{ method: 'echo', params: { zz: 1 }, id: 1 }, 500, -8, 'Unknown named parameter zz'],
      [{ method: 'echo', params: { args: [1], arg1: 2 }, id: 1 }, 500, -8, 'Parameter arg1 specified twice both as positional and named argument'],
    ];
    for (const [body, status, code, message] of cases) {
      const res = await post(body);
      assert.equal(res.status, status, message);
      assert.deepEqual(json(res), { result: null, error: { code, message }, id: 1 });
      const v2 = await post({ ...(body as object), jsonrpc: '2.0' });
      assert.equal(v2.status, message === 'Missing method' ? 400 : 200, `2.0 ${message}`);
    }
  });

  it('answers parse errors as Core', async () => {
    let res = await post('{"method":');
    assert.equal(res.status, 500);
    assert.deepEqual(json(res), { result: null, error: { code: -32700, message: 'Parse error' }, id: null });
    for (const bad of ['[]]', '{"a":1} x', `${'['.repeat(513)}${']'.repeat(513)}`]) {
      res = await post(bad);
      assert.deepEqual([res.status, json(res)], [500, { result: null, error: { code: -32700, message: 'Parse error' }, id: null }], bad);
    }
    res = await request(h.port, Buffer.from('{"method":"echo","params":["\xff"],"id":1}', 'latin1'), { auth });
    assert.deepEqual([res.status, json(res)], [500, { result: null, error: { code: -32700, message: 'Parse error' }, id: null }], 'invalid UTF-8');
    res = await post(`${'['.repeat(512)}${']'.repeat(512)}`);
    assert.equal(res.status, 200, '512 levels of nesting are allowed');
    res = await post('42');
    assert.equal(res.status, 500);
    assert.deepEqual(json(res), { result: null, error: { code: -32700, message: 'Top-level object parse error' }, id: null });
  });

  it('runs notifications without a reply (204)', async () => {
    const res = await post({ jsonrpc: '2.0', method: 'echo' });
    assert.equal(res.status, 204);
    assert.equal(res.body, '');
    assert.equal(res.headers['content-type'], undefined);
  });

  it('answers batches in order, leaving notifications out', async () => {
    const res = await post([
      { jsonrpc: '2.0', method: 'echo', params: [1], id: 1 },
      { jsonrpc: '2.0', method: 'echo' },
      { method: 'nosuch', id: 2 },
      5,
    ]);
    assert.equal(res.status, 200);
    assert.deepEqual(json(res), [
      { jsonrpc: '2.0', result: [1], id: 1 },
      { result: null, error: { code: -32601, message: 'Method not found' }, id: 2 },
      { result: null, error: { code: -32600, message: 'Invalid Request object' }, id: 2 },
    ]);
    const empty = await post([]);
    assert.equal(empty.status, 200);
    assert.equal(empty.body, '[]\n');
    const notes = await post([{ jsonrpc: '2.0', method: 'echo' }]);
    assert.equal(notes.status, 204);
  });

  it('answers -28 during warm-up', async () => {
    const cold = await startServer({ warm: false });
    try {
      cold.table.setWarmupStatus('Verifying blocks…');
      const res = await request(cold.port, '{"method":"echo","id":1}', { auth: cookieAuth(cold) });
      assert.equal(res.status, 500);
      assert.deepEqual(json(res), { result: null, error: { code: -28, message: 'Verifying blocks…' }, id: 1 });
    } finally {
      await cold.close();
    }
  });

  it('accepts only POST, on / and /wallet/<name>', async () => {
    let res = await request(h.port, '', { auth, method: 'GET' });
    assert.equal(res.status, 405);
    assert.equal(res.body, 'JSONRPC server handles only POST requests');
    res = await request(h.port, '', { auth, method: 'DELETE' });
    assert.equal(res.status, 405);
    assert.equal(res.body, '');
    res = await request(h.port, '{"method":"echo","id":1}', { auth, path: '/other' });
    assert.equal(res.status, 404);
    res = await request(h.port, '{"method":"echo","id":1}', { auth, path: '/wallet/w1' });
    assert.equal(res.status, 200);
    const noWallet = await startServer();
    try {
      res = await request(noWallet.port, '{"method":"echo","id":1}', { auth: cookieAuth(noWallet), path: '/wallet/w1' });
      assert.equal(res.status, 404);
    } finally {
      await noWallet.close();
    }
  });

  it('refuses bodies over 32 MiB with 413', async () => {
    const res = await request(h.port, Buffer.alloc(32 * 1024 * 1024 + 1, 0x20), { auth });
    assert.equal(res.status, 413);
    const chunked = await request(h.port, Buffer.alloc(32 * 1024 * 1024 + 1, 0x20), { auth, headers: { 'Transfer-Encoding': 'chunked' } });
    assert.equal(chunked.status, 413, 'a streamed body without a declared length is limited too');
    const ok = await request(h.port, `${' '.repeat(1000)}{"method":"echo","id":1}`, { auth });
    assert.equal(ok.status, 200);
  });

  it('serves several requests on one kept-alive connection, some in flight together', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    agent.on('free', (socket) => sockets.add(socket));
    try {
      const replies = await Promise.all([1, 2, 3, 4].map((i) =>
        request(h.port, JSON.stringify({ method: 'echo', params: [i], id: i }), { auth, agent })));
      replies.forEach((r, i) => assert.deepEqual(json(r), { result: [i + 1], error: null, id: i + 1 }));
      // Core's HTTP/1.1 replies name no Connection: the connection stays, and the agent used one socket throughout.
      assert.deepEqual(replies.map((r) => r.headers.connection), [undefined, undefined, undefined, undefined]);
      assert.equal(sockets.size, 1);
    } finally {
      agent.destroy();
    }
  });
});

describe('rpc over http: debug lines', () => {
  it("logs Core's -debug=http lines for a connection's life and -debug=rpc's line per request", async () => {
    const h = await startServer({ debug: true });
    try {
      const auth = cookieAuth(h);
      h.log.debugs.length = 0;
      const res = await request(h.port, JSON.stringify({ method: 'echo', params: ['a$b'], id: 'x"1' }), { auth, headers: { Connection: 'close' } });
      assert.equal(res.status, 200);
      // The connection's close is seen a moment after the reply.
      for (let i = 0; i < 100 && !h.log.debugs.some((l) => l.startsWith('Disconnecting')); i++) await new Promise((r) => setTimeout(r, 10));
      const peer = /^HTTP Connection accepted from (127\.0\.0\.1:\d+) \(id=(\d+)\)$/.exec(h.log.debugs[0] ?? '');
      assert.ok(peer, h.log.debugs.join('\n'));
      const [, from, id] = peer;
      const size = h.log.debugs.find((l) => l.startsWith('HTTPResponse'))?.match(/size: (\d+)\)/)?.[1];
      assert.deepEqual(h.log.debugs, [
        `HTTP Connection accepted from ${from} (id=${id})`,
        `Received a POST request for / from ${from} (id=${id})`,
        // SanitizeString drops the quote from the id.
        'ThreadRPCServer method=echo user=__cookie__ id=x1',
        `HTTPResponse (status code: 200 size: ${size}) added to send buffer for client ${from} (id=${id})`,
        `Sent ${size} bytes to client ${from} (id=${id})`,
        `Received EOF from ${from} (id=${id})`,
        `Disconnecting HTTP client ${from} (id=${id})`,
      ]);
      assert.ok(Number(size) > res.body.length);
    } finally {
      await h.close();
    }
  });
});
