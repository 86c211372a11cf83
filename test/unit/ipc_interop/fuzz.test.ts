// Hostile bytes against the TS server from outside: random bytes, bad segment tables, truncated frames and mutations
// of a real C++ client session. The server must drop each bad connection alone and keep serving a C++ client.
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { PARTIAL_FRAME_TIMEOUT_TEXT, frameSize, type ProxyConnection } from '@smithcoin/libmultiprocess';
import type { Echo } from '../../../src/interfaces/echo.js';
import { OLD_MINING_INTERFACE_ERROR } from '../../../src/ipc/capnp/init-types.js';
import { Resources, interopProgram, runProgram, startTsServer, type TsServer } from './harness.js';
import { TestInitServer, type CallbackTest, type TestInit } from '../../ipc/interop_test.capnp.js';

const SEED = Number(process.env['SMITHCOIN_FUZZ_SEED'] ?? 0x5eed1);
const PARTIAL_TIMEOUT_MS = 150;
// Cap'n Proto's own texts (capnp/serialize.c++) for segment tables it refuses.
const TOO_MANY_SEGMENTS = 'Message has too many segments.';
const TOO_LARGE = 'Message is too large.  To increase the limit on the receiving end, see capnp::ReaderOptions.';

/** mulberry32: small, fast, reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const impl: TestInit = {
  makeEcho: async (): Promise<Echo> => ({ echo: async (s) => s, destroy: async () => {} }),
  makeMiningOld2: async () => { throw new Error(OLD_MINING_INTERFACE_ERROR); },
  makeMining: async () => null,
  makeRpc: async () => null,
  makeCallbackTest: async (): Promise<CallbackTest> => ({
    callBack: (cb, v) => cb!.call(v),
    fail: async (m) => { throw new Error(m); },
    destroy: async () => {},
  }),
};

function u32s(...words: number[]): Buffer {
  const b = Buffer.alloc(words.length * 4);
  words.forEach((w, i) => b.writeUInt32LE(w >>> 0, i * 4));
  return b;
}

interface Outcome { closedByServer: boolean; ms: number }

/**
 * Sends `chunks` on a new connection, each after the server answered the previous one (or after 10 ms, like a client
 * waiting for its results); then waits up to `waitMs` for the server to close the connection before closing it.
 */
function attack(sock: string, chunks: Uint8Array | Uint8Array[], waitMs: number): Promise<Outcome> {
  const queue = Array.isArray(chunks) ? [...chunks] : [chunks];
  return new Promise((resolve, reject) => {
    const start = Date.now();
    const s = net.createConnection({ path: sock });
    let done = false;
    const finish = (closedByServer: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      s.destroy();
      resolve({ closedByServer, ms: Date.now() - start });
    };
    let timer = setTimeout(() => undefined, 0);
    let answered: (() => void) | null = null;
    const sendNext = (): void => {
      const c = queue.shift();
      if (c === undefined) { timer = setTimeout(() => finish(false), waitMs); return; }
      s.write(c);
      const next = (): void => { answered = null; clearTimeout(timer); if (!done) sendNext(); };
      answered = next;
      timer = setTimeout(next, 10);
    };
    s.on('error', (e: NodeJS.ErrnoException) => {
      // The server may reset a connection it dropped while our bytes were still unread.
      if (e.code === 'ECONNRESET' || e.code === 'EPIPE') finish(true);
      else { clearTimeout(timer); reject(e); }
    });
    s.on('data', () => answered?.()); // what the server says (answers, calls back into us) is not checked
    s.on('end', () => finish(true));
    s.on('close', () => finish(true));
    s.on('connect', sendNext);
  });
}

/** Runs `jobs` with at most `width` at a time. */
async function inBatches<T>(jobs: (() => Promise<T>)[], width: number): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < jobs.length; i += width) out.push(...await Promise.all(jobs.slice(i, i + width).map((j) => j())));
  return out;
}

/** A unix-socket relay in front of the server that records what the client sends (a real C++ session as a corpus). */
async function record(res: Resources, target: string): Promise<{ sock: string; sent: Buffer[][] }> {
  const sock = path.join(res.tempDir(), 'relay.sock');
  // Per connection, the chunks the client wrote (a chunk boundary is where the client waited for an answer).
  const sent: Buffer[][] = [];
  const sockets = new Set<net.Socket>();
  const relay = net.createServer((c) => {
    const chunks: Buffer[] = [];
    sent.push(chunks);
    const up = net.createConnection({ path: target });
    for (const s of [c, up]) { sockets.add(s); s.on('close', () => sockets.delete(s)); }
    c.on('data', (d: Buffer) => { chunks.push(d); up.write(d); });
    up.on('data', (d: Buffer) => c.write(d));
    c.on('close', () => up.destroy());
    up.on('close', () => c.destroy());
    c.on('error', () => up.destroy());
    up.on('error', () => c.destroy());
  });
  await new Promise<void>((r) => relay.listen(sock, r));
  res.onCleanup(() => {
    for (const s of sockets) s.destroy();
    return new Promise<void>((r) => relay.close(() => r()));
  });
  return { sock, sent };
}

/** Frame boundaries of a recorded stream. */
function frames(stream: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let off = 0;
  while (off < stream.length) {
    const n = frameSize(stream, off, stream.length - off);
    assert.ok(n > 0 && off + n <= stream.length, 'the recorded stream ends inside a frame');
    out.push(stream.subarray(off, off + n));
    off += n;
  }
  return out;
}

describe('ipc_interop: fuzzing the TS server from outside', function () {
  this.timeout(20_000);
  const res = new Resources();
  afterEach(() => res.cleanup());

  let sock: string;
  let ts: TsServer;
  beforeEach(async () => {
    sock = path.join(res.tempDir(), 'ts.sock');
    ts = await startTsServer(res, sock, (conn) => new TestInitServer(conn, impl), {
      stream: { partialFrameTimeoutMs: PARTIAL_TIMEOUT_MS },
    }, 64); // room for the attacks made in parallel
  });

  async function cppClientPasses(at: string): Promise<void> {
    const run = await runProgram(res, interopProgram('client'), [at, '--callback']);
    assert.equal(run.code, 0, run.lines.join('\n') + run.stderr);
    assert.equal(run.lines.filter((l) => l.startsWith('ok ')).length, 9, run.lines.join('\n'));
  }

  function errorsLogged(): string[] {
    return ts.lines.filter((l) => l.startsWith('error IPC connection error: ')).map((l) => l.slice('error IPC connection error: '.length));
  }

  it('bad segment tables: the server drops the connection at once with Cap\'n Proto\'s message', async () => {
    const cases: [string, Buffer, string][] = [
      ['2^32 segments', u32s(0xffffffff, 1), TOO_MANY_SEGMENTS],
      ['513 segments', u32s(512, ...new Array<number>(513).fill(0)), TOO_MANY_SEGMENTS],
      ['512 segments (C++ requires fewer)', u32s(511, ...new Array<number>(512).fill(0), 0), TOO_MANY_SEGMENTS],
      ['2^31 segments', u32s(0x7fffffff, 0), TOO_MANY_SEGMENTS],
      ['one segment of 2^32-1 words', u32s(0, 0xffffffff), TOO_LARGE],
      // The full table (511 sizes, no padding needed) arrives, the sizes add up past 8 Mi words.
      ['511 segments summing past the limit', u32s(510, ...new Array<number>(511).fill(0x10000)), TOO_LARGE],
    ];
    for (const [what, bytes, message] of cases) {
      const before = errorsLogged().length;
      const o = await attack(sock, bytes, 2000);
      assert.ok(o.closedByServer, `${what}: the server kept the connection open`);
      assert.deepEqual(errorsLogged().slice(before), [message], what);
    }
    await cppClientPasses(sock);
  });

  it('truncated frames: a frame that never completes is dropped after the partial-frame timeout', async () => {
    const { sock: relay, sent } = await record(res, sock);
    await cppClientPasses(relay);
    const fs = frames(Buffer.concat(sent[0]!));
    assert.ok(fs.length >= 10, `only ${fs.length} frames recorded`);
    const rand = rng(SEED);
    // Inside the first frame's segment table, just after it, inside its segment; then the session's first two
    // frames (Bootstrap, construct: valid on their own) followed by part of a later frame.
    const cuts: Buffer[] = [4, 8, 12].map((n) => fs[0]!.subarray(0, n));
    for (let i = 0; i < 5; i++) {
      const f = fs[2 + Math.floor(rand() * (fs.length - 2))]!;
      cuts.push(Buffer.concat([fs[0]!, fs[1]!, f.subarray(0, 1 + Math.floor(rand() * (f.length - 1)))]));
    }
    const before = errorsLogged().length;
    const outcomes = await Promise.all(cuts.map((c) => attack(sock, c, 3000)));
    outcomes.forEach((o, i) => {
      assert.ok(o.closedByServer, `cut ${i} (seed ${SEED}): still open after ${o.ms} ms`);
      assert.ok(o.ms >= PARTIAL_TIMEOUT_MS - 20, `cut ${i} (seed ${SEED}): closed after ${o.ms} ms, before the timeout`);
    });
    assert.deepEqual(errorsLogged().slice(before), cuts.map(() => PARTIAL_FRAME_TIMEOUT_TEXT));
    await cppClientPasses(sock);
  });

  it('random bytes and mutated C++ sessions: every connection ends, the server keeps serving', async () => {
    const { sock: relay, sent } = await record(res, sock);
    await cppClientPasses(relay);
    const session = sent[0]!;
    const rand = rng(SEED);
    const jobs: (() => Promise<Outcome>)[] = [];
    for (let i = 0; i < 60; i++) {
      const bytes = Buffer.alloc(1 + Math.floor(rand() * 2048));
      for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(rand() * 256);
      jobs.push(() => attack(sock, bytes, 60));
    }
    for (let i = 0; i < 240; i++) {
      // Replay the session with 1-8 bytes changed anywhere (headers and pointers included), sometimes cut short.
      const chunks = session.map((c) => Buffer.from(c));
      const flips = 1 + Math.floor(rand() * 8);
      for (let j = 0; j < flips; j++) {
        const c = chunks[Math.floor(rand() * chunks.length)]!;
        c[Math.floor(rand() * c.length)] = Math.floor(rand() * 256);
      }
      if (rand() < 0.25) chunks.length = 1 + Math.floor(rand() * chunks.length);
      jobs.push(() => attack(sock, chunks, 60));
    }
    const outcomes = await inBatches(jobs, 25);
    // A unix socket connects before the server accepts: wait until it has taken every attack, then until it has
    // seen each of them go (our side closed the ones it kept open).
    const deadline = Date.now() + 5000;
    while (ts.connections.length < 1 + jobs.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    const attacks = ts.connections.slice(1);
    assert.equal(attacks.length, jobs.length);
    await Promise.all(attacks.map((c: ProxyConnection) => c.closed));
    assert.ok(outcomes.some((o) => o.closedByServer), 'no input was rejected: the mutations did not reach the parser');
    await cppClientPasses(sock);
    await cppClientPasses(relay);
  });
});
