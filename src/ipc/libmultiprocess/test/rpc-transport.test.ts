// Transports: framing across reads, malformed and truncated input (fuzz), unix listen/connect rules, spawning a
// child on `-ipcfd 3`, and the wire bytes checked with the C++ `capnp decode` tool.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Logger, MessageBuilder, ProxyConnection, RpcConnection, connectUnix, decodeFrame, listenUnix,
  spawnProcess, type FrameTransport,
} from '../src/index.js';
import { InitClient, Init_construct, makeInitServer } from './rpc-test-impl.js';
import { rpcSchemaPath, runCapnp } from './capnp-tool.js';
import { socketPair, sleep, waitFor } from './rpc-helpers.js';

const here = path.dirname(fileURLToPath(import.meta.url));

function bootstrapFrame(qid: number): Uint8Array {
  const mb = new MessageBuilder();
  const root = mb.initRoot(1, 1);
  root.setUint16(0, 8);
  root.initStruct(0, 1, 1).setUint32(0, qid);
  return mb.toFrame().slice();
}

/** Starts a served test connection on one end of a pair; returns the raw other end. */
async function servedPair(timeoutMs = 30_000, lines: string[] = []) {
  const [raw, b] = await socketPair();
  const log = new Logger({ logFn: (l, m) => lines.push(`${l} ${m}`), logLevel: 'info', exeName: 'test' });
  const conn = ProxyConnection.serve(b, (c) => makeInitServer(c, { destroyed: 0, signals: [], order: [] }),
    { log, stream: { partialFrameTimeoutMs: timeoutMs } });
  return { raw, conn, lines };
}

function readAll(sock: net.Socket): Promise<Buffer> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    sock.on('data', (d) => parts.push(d));
    sock.on('close', () => resolve(Buffer.concat(parts)));
    sock.on('error', () => undefined);
  });
}

describe('rpc transports', () => {
  it('parses frames split byte by byte and several frames in one write', async () => {
    const { raw, conn } = await servedPair();
    const got = readAll(raw);
    const f0 = bootstrapFrame(0);
    for (const byte of f0) { raw.write(Buffer.from([byte])); await sleep(0); }
    raw.write(Buffer.concat([bootstrapFrame(1), bootstrapFrame(2)]));
    await waitFor(() => conn.rpc.stats().answers === 3);
    raw.end();
    const bytes = await got;
    // Three Returns (each 1 segment): count the frames.
    let off = 0;
    let n = 0;
    while (off < bytes.length) { off += 8 + bytes.readUInt32LE(off + 4) * 8; n++; }
    assert.equal(n, 3);
  });

  it('survives random bytes, huge segment tables, truncated frames: only that connection closes', async function () {
    this.timeout(10_000);
    const cases: Buffer[] = [];
    let seed = 12345;
    const rnd = (): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed & 0xff; };
    for (let i = 0; i < 20; i++) cases.push(Buffer.from(Array.from({ length: 64 + i * 13 }, rnd)));
    const hugeCount = Buffer.alloc(16); hugeCount.writeUInt32LE(100000, 0); cases.push(hugeCount);
    const hugeSize = Buffer.alloc(8); hugeSize.writeUInt32LE(0xffffffff, 4); cases.push(hugeSize);
    const badPtr = Buffer.alloc(24); badPtr.writeUInt32LE(2, 4); badPtr.writeUInt32LE(0x7ffffff0, 8); cases.push(badPtr);
    const unknownTag = Buffer.from(bootstrapFrame(0)); unknownTag.writeUInt16LE(12, 16); cases.push(unknownTag);
    for (const c of cases) {
      const lines: string[] = [];
      const { raw, conn } = await servedPair(200, lines);
      const done = readAll(raw);
      raw.write(c);
      const closed = await Promise.race([conn.closed.then(() => true), sleep(300).then(() => false)]);
      if (!closed) {
        // Not malformed enough to kill the connection (e.g. answered with `unimplemented`): it must still work.
        raw.write(bootstrapFrame(99));
        await waitFor(() => conn.rpc.isDisconnected() || conn.rpc.stats().answers > 0);
      }
      raw.destroy();
      await done;
      await conn.closed;
    }
    // The process is fine and a fresh connection still works.
    const [a, b] = await socketPair();
    ProxyConnection.serve(b, (c) => makeInitServer(c, { destroyed: 0, signals: [], order: [] }));
    const client = ProxyConnection.connect(a);
    const init = client.bootstrap((cap, c) => new InitClient(cap, c));
    await client.construct(init.$cap, Init_construct);
    const echo = await init.makeEchoAwaited();
    assert.equal(await echo.echo('still alive'), 'still alive');
    client.close();
  });

  it('handles Resolve and Disembargo defensively (reference returned, loopback answered)', async () => {
    const { raw, conn } = await servedPair();
    const got = readAll(raw);
    const resolve = new MessageBuilder();
    const r = resolve.initRoot(1, 1);
    r.setUint16(0, 5); // resolve
    const body = r.initStruct(0, 1, 1);
    body.setUint32(0, 3); // promiseId
    const cap = body.initStruct(0, 1, 1);
    cap.setUint16(0, 1); // senderHosted
    cap.setUint32(1, 7);
    const dis = new MessageBuilder();
    const d = dis.initRoot(1, 1);
    d.setUint16(0, 13); // disembargo
    const db = d.initStruct(0, 1, 1);
    db.initStruct(0, 1, 1).setUint32(0, 0); // target importedCap 0
    db.setUint32(0, 42); // senderLoopback id 42
    raw.write(Buffer.concat([resolve.toFrame(), dis.toFrame()]));
    await sleep(50);
    raw.end();
    const bytes = await got;
    const msgs: string[] = [];
    for (let off = 0; off < bytes.length;) {
      const len = 8 + bytes.readUInt32LE(off + 4) * 8;
      const root = decodeFrame(new Uint8Array(bytes.subarray(off, off + len))).getRoot();
      const tag = root.getUint16(0);
      const b = root.getStruct(0);
      msgs.push(tag === 6 ? `release ${b.getUint32(0)} ${b.getUint32(1)}` : tag === 13 ?
        `disembargo ${b.getUint16(2)} ${b.getUint32(0)}` : `tag ${tag}`);
      off += len;
    }
    assert.deepEqual(msgs, ['release 7 1', 'disembargo 1 42']);
    await conn.closed;
  });

  it('logs and closes a connection whose frame never completes (bounded wait)', async () => {
    const lines: string[] = [];
    const { raw, conn } = await servedPair(100, lines);
    raw.write(bootstrapFrame(0).subarray(0, 20));
    const t0 = Date.now();
    await conn.closed;
    assert.ok(Date.now() - t0 < 2000);
    assert.ok(lines.some((l) => l.startsWith('error ') && l.includes('Timed out waiting for the rest of a message.')),
      lines.join('\n'));
    raw.destroy();
  });

  it('listens owner-only, replaces a stale socket, never removes another file type', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpc-listen-'));
    try {
      const p = path.join(dir, 'sub', 'node.sock');
      const s1 = await listenUnix(p, { onConnection: (s) => s.destroy() });
      assert.equal(fs.statSync(p).mode & 0o777, 0o600);
      // Leave a stale socket behind: listen again on the same path without closing the file.
      const s2 = await listenUnix(p, { onConnection: (s) => s.end() });
      const c = await connectUnix(p);
      c.destroy();
      s1.close(); s2.close();
      const file = path.join(dir, 'regular');
      fs.writeFileSync(file, 'keep me');
      await assert.rejects(listenUnix(file, { onConnection: () => undefined }), /EADDRINUSE/);
      assert.equal(fs.readFileSync(file, 'utf8'), 'keep me');
      await assert.rejects(connectUnix(path.join(dir, 'missing.sock')), /ENOENT/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('spawns a child with -ipcfd 3, talks to it, and the child exits when the parent goes away', async function () {
    this.timeout(15_000);
    const lines: string[] = [];
    const log = new Logger({ logFn: (l, m) => lines.push(`${l} ${m}`), logLevel: 'debug', exeName: 'test' });
    const proc = spawnProcess(process.execPath, [path.join(here, 'rpc-child.js')], { log });
    const client = ProxyConnection.connect(proc.socket, { log });
    const init = client.bootstrap((cap, c) => new InitClient(cap, c));
    await client.construct(init.$cap, Init_construct);
    const echo = init.makeEcho();
    assert.equal(await echo.echo('from parent'), 'from parent');
    client.close(); // the parent goes away
    assert.equal(await proc.exited, 0);
    const name = path.basename(process.execPath);
    assert.ok(lines.includes(`debug Process ${name} pid ${proc.pid} launched`), lines.join('\n'));
    assert.ok(lines.includes(`debug Process ${name} pid ${proc.pid} exited with status 0`), lines.join('\n'));
  });

  it('writes RPC messages the C++ capnp tool decodes as rpc.capnp Message', () => {
    const frames: Uint8Array[] = [];
    const t: FrameTransport = { send: (f) => frames.push(f.slice()), start: () => undefined, close: () => undefined };
    const conn = new RpcConnection(t);
    const cap = conn.bootstrap();
    const req = cap.newCall(0xf005d0634bafecf9n, 0, 0, 1);
    req.params.setCapability(0, req.addCap({ dispatch: () => undefined }));
    void req.send(() => undefined);
    const decode = (f: Uint8Array): string =>
      runCapnp('decode', ['--short', rpcSchemaPath(), 'Message'], f).toString().trim();
    assert.equal(decode(frames[0]!), '(bootstrap = (questionId = 0))');
    assert.equal(decode(frames[1]!), '(call = (questionId = 1, target = (promisedAnswer = (questionId = 0, ' +
      'transform = [])), interfaceId = 17295459068876418297, methodId = 0, params = (content = <opaque pointer>, ' +
      'capTable = [(senderHosted = 0, attachedFd = 255)]), sendResultsTo = (caller = void), ' +
      'allowThirdPartyTailCall = false))');
    assert.equal(frames.length, 2);
  });
});
