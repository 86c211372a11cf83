// Garbage stress: 130 connections send random bytes, truncated frames, huge segment counts and sizes, frames that
// never complete, malformed messages and protocol violations, while a good client keeps calling. The server stays
// up and keeps serving; every bad connection is closed by the server (or by its peer) and freed.
import assert from 'node:assert/strict';
import net from 'node:net';
import { MessageBuilder, type ProxyConnection } from '../src/index.js';
import { Msg, beginCall, encodeAbort, encodeBootstrap } from '../src/rpc/messages.js';
import { makeInitServer, type EchoImplState } from './rpc-test-impl.js';
import { StressServer, connectClient, fdCount, inBatches, sleep, until } from './stress-helpers.js';

const PARTIAL_TIMEOUT_MS = 300;

function frame(words: number[][]): Buffer {
  // A frame whose segments hold the given 64-bit words (as [lo, hi] u32 pairs flattened per segment).
  const segs = words.map((w) => {
    const b = Buffer.alloc(w.length * 4);
    w.forEach((v, i) => b.writeUInt32LE(v >>> 0, i * 4));
    return b;
  });
  const table = Buffer.alloc((Math.floor(segs.length / 2) + 1) * 8);
  table.writeUInt32LE(segs.length - 1, 0);
  segs.forEach((s, i) => table.writeUInt32LE(s.length / 8, 4 + i * 4));
  return Buffer.concat([table, ...segs]);
}

function header(count: number, sizes: number[]): Buffer {
  const table = Buffer.alloc((Math.floor(count / 2) + 1) * 8);
  table.writeUInt32LE(count - 1, 0);
  sizes.forEach((s, i) => table.writeUInt32LE(s >>> 0, 4 + i * 4));
  return table;
}

/** A Call to the bootstrap capability whose cap table is a VOID list of `n` elements (amplification). */
function amplifiedCall(n: number): Buffer {
  const { mb, call, payload } = beginCall({ kind: 'answer', questionId: 0, path: [] }, 1n, 0, 0, 0, 128);
  call.setUint32(0, 1); // question 1 (0 is the bootstrap)
  payload.initList(1, 0, n);
  return Buffer.concat([Buffer.from(encodeBootstrap(0)), Buffer.from(mb.toFrame())]);
}

/** A Call on the bootstrap answer whose transform is a VOID list of `n` ops (amplification). */
function amplifiedTransform(n: number): Buffer {
  const { mb, call } = beginCall({ kind: 'answer', questionId: 0, path: [] }, 1n, 0, 0, 0, 128);
  call.setUint32(0, 1);
  const target = call.initStruct(0, 1, 1); // replaces the target written by beginCall
  target.setUint16(2, 1);
  target.initStruct(0, 1, 1).initList(0, 0, n);
  return Buffer.concat([Buffer.from(encodeBootstrap(0)), Buffer.from(mb.toFrame())]);
}

/** A Return for a question never asked (protocol violation). */
function strayReturn(): Buffer {
  const mb = new MessageBuilder();
  const root = mb.initRoot(1, 1);
  root.setUint16(0, Msg.return);
  root.initStruct(0, 2, 1).setUint32(0, 77);
  return Buffer.from(mb.toFrame());
}

interface Kind {
  name: string;
  bytes: (i: number) => Buffer;
  /** The server must close it (else the peer closes it after writing). */
  serverCloses: boolean;
  /** The bytes end inside a frame and the socket stays open: the close comes from the partial-frame timer. */
  partial?: boolean;
}

let seed = 0x5eed;
function rnd(): number { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed >>> 24; }

const KINDS: Kind[] = [
  { name: 'random bytes', serverCloses: false, bytes: (i) => Buffer.from(Array.from({ length: 16 + i * 7 }, rnd)) },
  { name: 'huge segment count', serverCloses: true, bytes: () => header(2, [1]).fill(0xff, 0, 4) },
  { name: 'segment count 513', serverCloses: true, bytes: () => header(513, []) },
  { name: 'huge segment size', serverCloses: true, bytes: () => header(1, [0xffffffff]) },
  { name: 'total size over the limit', serverCloses: true, bytes: () => header(2, [5 << 20, 5 << 20]) },
  { name: 'partial frame that never completes', serverCloses: true, partial: true,
    bytes: () => Buffer.concat([header(1, [16]), Buffer.alloc(24)]) },
  { name: 'partial segment table', serverCloses: true, partial: true, bytes: () => Buffer.from([7, 0, 0, 0]) },
  { name: 'root pointer out of bounds', serverCloses: true, bytes: () => frame([[0x00001000, 0x00010001]]) },
  { name: 'self-referencing struct pointer', serverCloses: false,
    bytes: () => frame([[0x00000000, 0x00010001, Msg.call, 0, 0xfffffffc, 0x00010000]]) },
  { name: 'stray Return', serverCloses: true, bytes: () => strayReturn() },
  { name: 'question id reused', serverCloses: true,
    bytes: () => Buffer.concat([Buffer.from(encodeBootstrap(0)), Buffer.from(encodeBootstrap(0))]) },
  { name: 'Abort', serverCloses: true, bytes: () => Buffer.from(encodeAbort('bye', 0)) },
  // ~40 bytes claiming 8M VOID cap descriptors / transform ops: refused before any per-element work.
  { name: 'amplified cap table', serverCloses: true, bytes: () => amplifiedCall(8_000_000) },
  { name: 'amplified transform', serverCloses: true, bytes: () => amplifiedTransform(8_000_000) },
  { name: 'truncated frame, then end', serverCloses: false,
    bytes: () => Buffer.from(encodeBootstrap(0)).subarray(0, 20) },
];
const PER_KIND = 10;

/** Writes `bytes` on a fresh connection; resolves with who closed it and when. */
function attack(socketPath: string, kind: Kind, i: number): Promise<{ closedByServer: boolean; ms: number }> {
  return new Promise((resolve, reject) => {
    const s = net.createConnection({ path: socketPath });
    let ended = false;
    const t0 = Date.now();
    s.on('error', () => undefined); // ECONNRESET/EPIPE are fine: the server may close while we write
    s.resume(); // read (and drop) whatever the server answers, or 'end' never comes
    s.on('end', () => { ended = true; });
    s.on('close', () => resolve({ closedByServer: ended, ms: Date.now() - t0 }));
    s.once('connect', () => {
      s.write(kind.bytes(i));
      if (!kind.serverCloses) {
        // Give the server a moment to act on it, then go away whatever it did.
        setTimeout(() => s.end(), 50);
      }
    });
    setTimeout(() => { s.destroy(); reject(new Error(`${kind.name} #${i}: connection still open`)); },
      PARTIAL_TIMEOUT_MS + 3000).unref();
  });
}

describe('stress: garbage from many connections', function () {
  this.timeout(15_000);

  it(`${KINDS.length * PER_KIND} bad connections: server up, good client served, bad ones closed and freed`, async () => {
    const fd0 = fdCount();
    const state: EchoImplState = { destroyed: 0, signals: [], order: [] };
    const server = await StressServer.start((c: ProxyConnection) => makeInitServer(c, state),
      { stream: { partialFrameTimeoutMs: PARTIAL_TIMEOUT_MS }, logLevel: 'error' });
    const good = await connectClient(server.socketPath);
    assert.equal(await good.echo.echo('before'), 'before');
    await until(() => server.totals().answers === 0, 'the good client to settle');
    const goodTables = server.totals();
    const fdGood = fdCount();

    // The good client keeps calling the whole time.
    let stop = false;
    let goodCalls = 0;
    const goodLoop = (async () => {
      while (!stop) {
        assert.equal(await good.echo.echo(`alive ${goodCalls}`), `alive ${goodCalls}`);
        goodCalls++;
        await sleep(1);
      }
    })();

    const jobs = KINDS.flatMap((k) => Array.from({ length: PER_KIND }, (_, i) => ({ k, i })));
    const outcomes: string[] = [];
    try {
      await inBatches(jobs, 40, async ({ k, i }) => {
        const r = await attack(server.socketPath, k, i);
        if (k.serverCloses) {
          assert.ok(r.closedByServer, `${k.name} #${i}: the server did not close it`);
          if (k.partial) assert.ok(r.ms >= PARTIAL_TIMEOUT_MS - 20, `${k.name} #${i}: closed after ${r.ms} ms`);
        }
        outcomes.push(k.name);
      });
      assert.equal(outcomes.length, jobs.length);
      stop = true;
      await goodLoop;
      assert.ok(goodCalls > 0);
      assert.equal(await good.echo.echo('after'), 'after');

      // Every bad connection is gone from the server; what is left is exactly the good client.
      await until(() => server.totals().conns === 1, 'bad connections to be freed', 5000,
        () => JSON.stringify(server.totals()));
      await until(() => server.totals().answers === 0, 'the good client to settle');
      assert.deepEqual(server.totals(), goodTables);
      await until(() => fdCount() === fdGood, 'fds back to baseline', 5000, () => `${fdCount()} vs ${fdGood}`);
      assert.equal(server.accepted, jobs.length + 1);
      const errors = server.lines.filter((l) => l.startsWith('error ') && l.includes('IPC connection error: '));
      assert.ok(errors.length >= 9 * PER_KIND, `${errors.length} connection errors logged`);
      assert.ok(server.lines.some((l) => l.includes('Timed out waiting for the rest of a message.')));
      assert.ok(server.lines.some((l) => l.includes('Message has too many segments.')));
      assert.ok(server.lines.some((l) => l.includes('Message is too large.')));
      assert.ok(server.lines.some((l) => l.includes('IPC connection error: Payload.capTable of 8000000 elements')));
      assert.ok(server.lines.some((l) => l.includes('IPC connection error: PromisedAnswer.transform of 8000000 elements')));
    } finally {
      stop = true;
      await goodLoop.catch(() => undefined);
      good.conn.close();
      await server.close();
    }
    await until(() => fdCount() === fd0, 'fds back to the start count', 5000, () => `${fdCount()} vs ${fd0}`);
  });
});
