// Init's RPC warm-up: while the chainstate loads, every call gets -28 with the current init message;
// after "Done loading" calls run; shutdown removes the cookie and the pid file.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { appInitMain, shutdown, type NodeInitState } from '../../../src/node/init.js';
import { prepareNode } from '../../../src/node/init_daemon.js';
import { setLoggingOptions } from '../../../src/util/logging_args.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function post(port: number, auth: string, body: string): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: { Authorization: `Basic ${Buffer.from(auth).toString('base64')}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(check(), 'condition never became true');
}

describe('node init: RPC warm-up', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smithcoin-init-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('answers -28 with the init message until the chainstate has loaded, then runs calls', async () => {
    const port = await freePort();
    const out: string[] = [];
    const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => out.push(t) };
    const prepared = prepareNode({ exeName: 'smithcoind', canListenIpc: false },
      ['-regtest', `-datadir=${dir}`, `-rpcport=${port}`, '-printtoconsole=0', '-server'], io);
    assert.ok(typeof prepared !== 'number');
    const state: NodeInitState = prepared;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    state.loadChainstate = async (_ctx, hooks) => {
      hooks.initMessage('Loading block index…');
      await gate;
      hooks.initMessage('Verifying blocks…');
      return { chainman: undefined as never, close: async () => undefined };
    };
    setLoggingOptions(state.ctx.args, state.ctx.logger);
    const cookie = path.join(dir, 'regtest', '.cookie');
    const pid = path.join(dir, 'regtest', 'smithcoind.pid');
    // Timers are in range: an overflowing one fires every millisecond (the log rate limiter's reset once did).
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    const started = appInitMain(state);
    try {
      await until(() => fs.existsSync(cookie));
      const auth = fs.readFileSync(cookie, 'utf8');
      // The cookie is written just before the server listens.
      let warm: Awaited<ReturnType<typeof post>> | undefined;
      for (let i = 0; i < 400 && warm === undefined; i++) {
        warm = await post(port, auth, '{"jsonrpc":"2.0","id":1,"method":"uptime"}').catch((e: NodeJS.ErrnoException) => {
          if (e.code !== 'ECONNREFUSED') throw e;
          return new Promise<undefined>((r) => setTimeout(() => r(undefined), 10));
        });
      }
      assert.ok(warm !== undefined, 'the RPC server never listened');
      assert.deepEqual([warm.status, warm.json.error], [200, { code: -28, message: 'Loading block index…' }]);
      const legacy = await post(port, auth, '{"id":1,"method":"uptime"}');
      assert.deepEqual([legacy.status, legacy.json.error], [500, { code: -28, message: 'Loading block index…' }]);
      release();
      assert.equal(await started, true);
      const ready = await post(port, auth, '{"jsonrpc":"2.0","id":1,"method":"uptime"}');
      assert.equal(typeof ready.json.result, 'number');
      assert.equal(fs.readFileSync(pid, 'utf8'), `${process.pid}\n`);
      const log = fs.readFileSync(path.join(dir, 'regtest', 'debug.log'), 'utf8');
      assert.match(log, /init message: Loading block index…\n.*init message: Verifying blocks…\n.*init message: Done loading\n/);
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(warnings.filter((w) => w.startsWith('TimeoutOverflowWarning')), []);
    } finally {
      process.off('warning', onWarning);
      release();
      await started;
      await shutdown(state);
    }
    assert.equal(fs.existsSync(cookie), false);
    assert.equal(fs.existsSync(pid), false);
    assert.deepEqual(out, []);
  });
});
