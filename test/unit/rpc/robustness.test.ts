// The work queue limit (503 "Work queue depth exceeded"), handler failures, the peer filter and
// malformed HTTP/JSON: the server answers as Core does and stays up for the next good request.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import net from 'node:net';
import { buildAllowList, clientAllowed, getBindAddresses, RPCConfigError } from '../../../src/rpc/netfilter.js';
import { cookieAuth, json, request, startServer, type Harness } from './harness.js';

const GOOD = '{"method":"echo","params":[1],"id":1}';

/** Sends raw bytes and collects whatever comes back until the server closes or goes quiet. */
function raw(port: number, bytes: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(port, '127.0.0.1', () => socket.end(bytes));
    socket.setTimeout(2000, () => socket.destroy());
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' || e.code === 'EPIPE' ? undefined : reject(e)));
  });
}

async function assertAlive(h: Harness): Promise<void> {
  const res = await request(h.port, GOOD, { auth: cookieAuth(h) });
  assert.deepEqual(json(res), { result: [1], error: null, id: 1 });
}

describe('rpc robustness', () => {
  it('refuses work beyond -rpcworkqueue with 503', async () => {
    const h = await startServer({ threads: 1, workQueue: 2 });
    try {
      let release!: () => void;
      const gate = new Promise<void>((r) => { release = r; });
      let started!: () => void;
      const running = new Promise<void>((r) => { started = r; });
      h.table.register('block', 'test', async () => { started(); await gate; return 'done'; });
      const auth = cookieAuth(h);
      const first = request(h.port, '{"method":"block","id":0}', { auth });
      await running;
      const queued = [request(h.port, GOOD, { auth }), request(h.port, GOOD, { auth })];
      // Let the two queued requests reach the server before the one that must overflow.
      while (h.server.queueSize() < 2) await new Promise((r) => setTimeout(r, 5));
      const over = await request(h.port, GOOD, { auth });
      assert.equal(over.status, 503);
      assert.equal(over.body, 'Work queue depth exceeded');
      assert.ok(h.log.warnings.includes('Request rejected because http work queue depth exceeded, it can be increased with the -rpcworkqueue= setting'));
      release();
      assert.equal((await first).status, 200);
      for (const q of await Promise.all(queued)) assert.equal(q.status, 200);
    } finally {
      await h.close();
    }
  });

  it('answers malformed HTTP with 400 and survives a fuzz loop', async () => {
    const h = await startServer();
    try {
      const reply = await raw(h.port, Buffer.from('POST / HTTP/1.1\r\nHost x\r\n\r\n'));
      assert.match(reply, /^HTTP\/1\.1 400 /);
      const bigHeader = await raw(h.port, Buffer.from(`POST / HTTP/1.1\r\nX: ${'a'.repeat(9000)}\r\n\r\n`));
      assert.match(bigHeader, /^HTTP\/1\.1 400 /);
      const auth = cookieAuth(h);
      const good = Buffer.from(`POST / HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth}\r\nContent-Length: ${GOOD.length}\r\n\r\n${GOOD}`);
      // A fixed seed keeps failures reproducible.
      let seed = 12345;
      const rand = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
      for (let i = 0; i < 150; i++) {
        const bytes = Buffer.from(good);
        const mode = rand(3);
        if (mode === 0) await raw(h.port, bytes.subarray(0, rand(bytes.length)));
        else if (mode === 1) {
          for (let k = 0; k < 1 + rand(8); k++) bytes[rand(bytes.length)] = rand(256);
          await raw(h.port, bytes);
        } else await raw(h.port, crypto.randomBytes(1 + rand(300)));
      }
      await assertAlive(h);
      for (let i = 0; i < 100; i++) {
        const body = GOOD.slice(0, rand(GOOD.length)) + crypto.randomBytes(rand(8)).toString('latin1');
        const res = await request(h.port, body, { auth });
        assert.ok([200, 400, 404, 500].includes(res.status), `status ${res.status} for ${JSON.stringify(body)}`);
        if (res.status !== 200 || res.body !== '') JSON.parse(res.body);
      }
      await assertAlive(h);
    } finally {
      await h.close();
    }
  });

  it('answers a failing path handler with 500 and closes the connection', async () => {
    const h = await startServer();
    try {
      h.server.registerHandler('/boom', true, async () => { throw new Error('handler blew up'); });
      const res = await request(h.port, '', { path: '/boom' });
      assert.deepEqual([res.status, res.body, res.headers.connection], [500, 'handler blew up', 'close']);
      assert.ok(h.log.warnings.includes('Unexpected error while processing request for \'/boom\'. Error msg: \'handler blew up\''));
      await assertAlive(h);
    } finally {
      await h.close();
    }
  });

  it('closes idle connections after -rpcservertimeout', async () => {
    const h = await startServer({ timeoutSeconds: 1 });
    try {
      const closed = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(h.port, '127.0.0.1');
        socket.on('close', () => resolve('closed'));
        socket.on('error', reject);
      });
      assert.equal(closed, 'closed');
    } finally {
      await h.close();
    }
  });

  it('answers a request handled for longer than -rpcservertimeout (libevent times out only reads and writes)', async () => {
    const h = await startServer({ timeoutSeconds: 1 });
    try {
      h.table.register('slow', 'test', async () => { await new Promise((r) => setTimeout(r, 1500)); return 'late'; });
      const res = await request(h.port, '{"method":"slow","id":1}', { auth: cookieAuth(h) });
      assert.deepEqual(json(res), { result: 'late', error: null, id: 1 });
    } finally {
      await h.close();
    }
  });

  it('filters peers by -rpcallowip and loopback', () => {
    const list = buildAllowList(['10.0.0.0/255.255.0.0', '192.168.1.7', 'fd00::/8']);
    assert.equal(clientAllowed(list, '127.5.6.7'), true);
    assert.equal(clientAllowed(list, '::ffff:127.0.0.1'), true);
    assert.equal(clientAllowed(list, '::1'), true);
    assert.equal(clientAllowed(list, '10.0.200.1'), true);
    assert.equal(clientAllowed(list, '10.1.0.1'), false);
    assert.equal(clientAllowed(list, '192.168.1.7'), true);
    assert.equal(clientAllowed(list, '192.168.1.8'), false);
    assert.equal(clientAllowed(list, 'fd12::1'), true);
    assert.equal(clientAllowed(buildAllowList([]), '10.0.0.1'), false);
    for (const bad of ['1.2.3.4/33', 'nonsense', '1.2.3.4/255.0.255.0']) {
      assert.throws(() => buildAllowList([bad]), (e: unknown) => e instanceof RPCConfigError
        && e.message.startsWith(`Invalid -rpcallowip subnet specification: ${bad}. Valid values are a single IP`));
    }
  });

  it('binds loopback unless -rpcbind and -rpcallowip come together', () => {
    const loop = [{ host: '::1', port: 8332 }, { host: '127.0.0.1', port: 8332 }];
    assert.deepEqual(getBindAddresses([], [], 8332), { endpoints: loop, warnings: [] });
    assert.deepEqual(getBindAddresses([], ['1.2.3.4'], 8332), {
      endpoints: loop, warnings: ['Option -rpcallowip was specified without -rpcbind; this doesn\'t usually make sense'],
    });
    assert.deepEqual(getBindAddresses(['0.0.0.0'], [], 8332), {
      endpoints: loop, warnings: ['Option -rpcbind was ignored because -rpcallowip was not specified, refusing to allow everyone to connect'],
    });
    assert.deepEqual(getBindAddresses(['0.0.0.0', '[::]:9000', '::', '1.2.3.4:18332'], ['1.2.3.4'], 8332).endpoints, [
      { host: '0.0.0.0', port: 8332 }, { host: '::', port: 9000 }, { host: '::', port: 8332 }, { host: '1.2.3.4', port: 18332 },
    ]);
    assert.throws(() => getBindAddresses(['1.2.3.4:99999'], ['1.2.3.4'], 8332),
      (e: unknown) => e instanceof RPCConfigError && e.message === 'Invalid port specified in -rpcbind: \'1.2.3.4:99999\'');
  });
});
