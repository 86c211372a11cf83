// Generated Init/Echo client and server (src/ipc/capnp/*.capnp.ts from mpgen) over a real unix socket pair.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Logger, ProxyConnection, RequestCounter, RpcError, connectUnix, listenUnix } from '@smithcoin/libmultiprocess';
import type { Echo } from '../../../src/interfaces/echo.js';
import type { Init } from '../../../src/interfaces/init.js';
import type { Mining } from '../../../src/interfaces/mining.js';
import type { Rpc } from '../../../src/interfaces/rpc.js';
import { InitClient, InitServer } from '../../../src/ipc/capnp/init.capnp.js';
import { OLD_MINING_INTERFACE_ERROR } from '../../../src/ipc/capnp/init-types.js';

/** Echo that fails on request: `throw:<what>` makes it throw Error(<what>). */
class LocalEcho implements Echo {
  destroyed = 0;
  async echo(echo: string): Promise<string> {
    if (echo.startsWith('throw:')) throw new Error(echo.slice('throw:'.length));
    return echo;
  }
  async destroy(): Promise<void> { this.destroyed++; }
}

class LocalInit implements Init {
  readonly echoes: LocalEcho[] = [];
  async makeEcho(): Promise<Echo> {
    const e = new LocalEcho();
    this.echoes.push(e);
    return e;
  }
  async makeMiningOld2(): Promise<void> { throw new Error(OLD_MINING_INTERFACE_ERROR); }
  async makeMining(): Promise<Mining | null> { return null; }
  async makeRpc(): Promise<Rpc | null> { return null; }
}

/** A connected pair of unix stream sockets, made through a listening socket in a fresh temp dir. */
async function socketPair(): Promise<[net.Socket, net.Socket]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-echo-'));
  try {
    let accept!: (s: net.Socket) => void;
    const accepted = new Promise<net.Socket>((r) => { accept = r; });
    const server = await listenUnix(path.join(dir, 'test.sock'), { onConnection: (s) => accept(s) });
    const client = await connectUnix(path.join(dir, 'test.sock'));
    const serverSide = await accepted;
    server.close();
    return [client, serverSide];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function waitFor(cond: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 2000;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

interface Setup { impl: LocalInit; client: ProxyConnection; server: ProxyConnection; init: InitClient; lines: string[] }

/** Connections of the running test, closed after it whatever its outcome (so a failure cannot hang mocha). */
const open: ProxyConnection[] = [];

async function connect(): Promise<Setup> {
  const [a, b] = await socketPair();
  const lines: string[] = [];
  const log = new Logger({ logFn: (lvl, msg) => lines.push(`${lvl} ${msg}`), logLevel: 'debug', exeName: 'test' },
    new RequestCounter());
  const impl = new LocalInit();
  const server = ProxyConnection.serve(b, (conn) => new InitServer(conn, impl), { log });
  const client = ProxyConnection.connect(a, { log, threadName: 'client' });
  open.push(client, server);
  const init = client.bootstrap((cap, conn) => new InitClient(cap, conn));
  return { impl, client, server, init, lines };
}

async function close(s: Setup): Promise<void> {
  s.init.release();
  s.client.close();
  await s.server.closed;
}

/** Asserts that `p` rejects with a failed remote exception carrying `std::exception: <what>`. */
async function rejectsRemote(p: Promise<unknown>, what: string): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof RpcError, String(err));
    assert.equal(err.type, 'failed');
    assert.equal(err.message, `remote exception: std::exception: ${what}`);
    return true;
  });
}

describe('generated Init/Echo proxies over a socket pair', () => {
  afterEach(async () => {
    const conns = open.splice(0);
    for (const c of conns) c.close();
    await Promise.all(conns.map((c) => c.closed));
  });

  it('construct, makeThread, makeEcho, echo round trips and destroy', async () => {
    const s = await connect();
    await s.init.construct();
    const lane = s.client.makeThread('lane-a');
    const echo = await s.init.withThread(lane).makeEcho();
    assert.ok(echo !== null);
    assert.equal(s.impl.echoes.length, 1);
    const onLane = echo.withThread(lane);
    const kib = 'x'.repeat(1000) + 'é'.repeat(12); // 1024 bytes of UTF-8
    assert.equal(Buffer.byteLength(kib), 1024);
    assert.equal(await onLane.echo('hallo'), 'hallo');
    assert.equal(await onLane.echo(''), '');
    assert.equal(await onLane.echo(kib), kib);
    // The calls ran on the server thread that makeThread created for this lane.
    const executed = s.lines.filter((l) => /^debug \{test-\d+\/\d+ \(from test-\d+\/lane-a\)\} IPC server executing request #\d+$/.test(l));
    assert.equal(executed.length, 4, s.lines.join('\n')); // makeEcho + three echo calls
    await echo.destroy();
    assert.equal(s.impl.echoes[0]!.destroyed, 1);
    lane.release();
    await close(s);
    assert.equal(s.impl.echoes[0]!.destroyed, 1); // not again when the connection goes
  });

  it('uses the default lane when no thread is given, and destroys dropped objects once', async () => {
    const s = await connect();
    await s.init.construct();
    const echo = (await s.init.makeEcho())!;
    assert.equal(await echo.echo('hallo'), 'hallo');
    echo.release(); // no destroy call: the server drops the object when the last reference goes
    await waitFor(() => s.impl.echoes[0]!.destroyed === 1, 'the dropped Echo to be destroyed');
    await close(s);
    assert.equal(s.impl.echoes[0]!.destroyed, 1);
  });

  it('delivers server exceptions as remote std::exception failures', async () => {
    const s = await connect();
    await s.init.construct();
    const echo = (await s.init.makeEcho())!;
    await rejectsRemote(echo.echo('throw:echo refused'), 'echo refused');
    assert.equal(await echo.echo('still works'), 'still works');
    await rejectsRemote(s.init.makeMiningOld2(),
      'Old mining interface (@2) not supported. Please update your client!');
    assert.equal(await s.init.makeMining(), null);
    await echo.destroy();
    await close(s);
  });
});
