// IpcImpl (src/ipc/interfaces.ts), the process's IPC as init uses it: listenAddress's address and errors as
// Core words them, and disconnectIncoming letting running calls finish for a bounded time before it drops the
// clients and stops listening.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'mocha';
import { Logger, MessageBuilder, ProxyConnection, connectUnix } from '@smithcoin/libmultiprocess';
import type { Echo } from '../../../src/interfaces/echo.js';
import type { Init } from '../../../src/interfaces/init.js';
import { IpcListenError } from '../../../src/interfaces/ipc.js';
import { InitClient } from '../../../src/ipc/capnp/init.capnp.js';
import { IpcImpl } from '../../../src/ipc/interfaces.js';

/**
 * An Init whose Echo answers once `release()` is called (a call that runs as long as the test wants); `started`
 * resolves once the server runs the call.
 */
function slowInit(): { init: Init; release: () => void; started: Promise<void> } {
  let release = (): void => undefined;
  let start = (): void => undefined;
  const gate = new Promise<void>((resolve) => { release = resolve; });
  const started = new Promise<void>((resolve) => { start = resolve; });
  const echo: Echo = { echo: async (s) => { start(); await gate; return s; }, destroy: async () => undefined };
  return {
    started,
    init: {
      makeEcho: async () => echo,
      makeMiningOld2: async () => undefined,
      makeMining: async () => null,
      makeRpc: async () => null,
    },
    release,
  };
}

describe('ipc_node: IpcImpl', () => {
  let dir: string;
  const lines: string[] = [];
  const log = new Logger({ logFn: (_level, m) => lines.push(m), logLevel: 'info', exeName: 'smithcoin-node' });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-impl-'));
    lines.length = 0;
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const make = (init: Init, graceMs = 2000): IpcImpl =>
    new IpcImpl({ exeName: 'smithcoin-node', init, log, dataDirNet: dir, disconnectGraceMs: graceMs });

  async function echoCall(text: string) {
    const conn = ProxyConnection.connect(await connectUnix(path.join(dir, 'node.sock')));
    const init = conn.bootstrap((cap, c) => new InitClient(cap, c));
    await init.construct();
    const echo = await init.makeEcho();
    assert.ok(echo !== null);
    return { conn, pending: echo.echo(text) };
  }

  it('listenAddress: "unix" is <datadir>/node.sock for smithcoin-node, owner-only', async () => {
    const ipc = make(slowInit().init);
    assert.equal(await ipc.listenAddress('unix'), `unix:${dir}/node.sock`);
    assert.equal(fs.statSync(path.join(dir, 'node.sock')).mode & 0o777, 0o600);
    await ipc.disconnectIncoming();
  });

  it('listenAddress: errors carry the address Core prints and its reason', async () => {
    const ipc = make(slowInit().init);
    await assert.rejects(ipc.listenAddress('tcp:1'), (e: unknown) =>
      e instanceof IpcListenError && e.address === 'tcp:1' && e.message === "Unrecognized address 'tcp:1'");
    const long = 'y'.repeat(120);
    await assert.rejects(ipc.listenAddress(`unix:${long}`), (e: unknown) =>
      e instanceof IpcListenError && e.address === `unix:${dir}/${long}` &&
      e.message === `Unix address path "${dir}/${long}" exceeded maximum socket path length`);
    fs.writeFileSync(path.join(dir, 'file'), 'x');
    await assert.rejects(ipc.listenAddress('unix:file'), (e: unknown) =>
      e instanceof IpcListenError && e.address === `unix:${dir}/file` && e.message === 'Address already in use');
    assert.equal(fs.readFileSync(path.join(dir, 'file'), 'utf8'), 'x');
  });

  it('disconnectIncoming: a running call finishes and its client gets the result, then the listener is gone', async () => {
    const slow = slowInit();
    const ipc = make(slow.init);
    await ipc.listenAddress('unix');
    const { conn, pending } = await echoCall('hallo');
    await slow.started;
    const done = ipc.disconnectIncoming();
    setTimeout(slow.release, 50);
    assert.equal(await pending, 'hallo');
    await done;
    await conn.closed;
    await assert.rejects(connectUnix(path.join(dir, 'node.sock')));
  });

  it('disconnectIncoming: a call still running after the grace period is dropped with its client', async () => {
    const slow = slowInit();
    const ipc = make(slow.init, 100);
    await ipc.listenAddress('unix');
    const { conn, pending } = await echoCall('never');
    pending.catch(() => undefined);
    await slow.started;
    await ipc.disconnectIncoming();
    await assert.rejects(pending, /disconnect/);
    await conn.closed;
    assert.ok(lines.some((l) => l === 'IPC server: disconnecting with 1 calls still running after 100 ms.'), lines.join('\n'));
    slow.release();
  });

  it('disconnectIncoming: calls that returned are not waited for, although the client never finished them', async () => {
    const ipc = make(slowInit().init, 3000);
    await ipc.listenAddress('unix');
    // A raw peer bootstraps and, like a C++ client that keeps the capability, never sends the Finish.
    const socket = await connectUnix(path.join(dir, 'node.sock'));
    const mb = new MessageBuilder(64);
    const message = mb.initRoot(1, 1);
    message.setUint16(0, 8); // Message.bootstrap
    message.initStruct(0, 1, 1).setUint32(0, 0); // questionId 0
    const answered = new Promise((resolve) => socket.once('data', resolve));
    socket.write(mb.toFrame());
    await answered;
    const closed = new Promise((resolve) => socket.once('close', resolve));
    await ipc.disconnectIncoming();
    await closed;
    assert.ok(!lines.some((l) => l.includes('still running')), lines.join('\n'));
  });
});
