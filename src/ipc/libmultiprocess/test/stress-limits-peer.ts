// Tools of the limit stress tests: a server in a child process watched from outside (so a peer that could crash or
// bloat it cannot take the test runner along), and a raw peer that writes frames of its choosing and decodes what
// the server sends back (Returns, the Abort).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { MessageReader, frameSize, splitFrame, type ExceptionTypeName } from '../src/index.js';
import { Msg, readException } from '../src/rpc/messages.js';
import type { ChildConfig, ChildStats } from './stress-limits-child.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** A StressServer running in a child process (stress-limits-child.js). */
export class ChildServer {
  /** Servers not stopped yet (a test that timed out leaves its server to the suite's afterEach). */
  static readonly live = new Set<ChildServer>();
  /** Every log line of the server so far (as far as stats() has fetched them). */
  readonly log: string[] = [];
  private readonly replies: ((s: ChildStats) => void)[] = [];
  private exitCode: number | null = null;
  private constructor(readonly child: ChildProcess, readonly dir: string, readonly socketPath: string,
    lines: readline.Interface, readonly exited: Promise<void>) {
    lines.on('line', (l) => {
      const s = JSON.parse(l) as ChildStats;
      this.log.push(...s.lines);
      this.replies.shift()?.(s);
    });
    child.once('exit', (code, signal) => { this.exitCode = code ?? (signal ? 128 : 0); });
  }

  static async start(config: Omit<ChildConfig, 'dir'>): Promise<ChildServer> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-limits-'));
    const child = spawn(process.execPath, ['--expose-gc', path.join(here, 'stress-limits-child.js'),
      JSON.stringify({ ...config, dir })], { stdio: ['pipe', 'pipe', 'inherit'] });
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    const lines = readline.createInterface({ input: child.stdout! });
    try {
      const first = await new Promise<string>((resolve, reject) => {
        lines.once('line', resolve);
        child.once('exit', (code) => reject(new Error(`limits child exited (${code}) before it was ready`)));
      });
      const { ready } = JSON.parse(first) as { ready: string };
      const server = new ChildServer(child, dir, ready, lines, exited);
      ChildServer.live.add(server);
      return server;
    } catch (e) {
      child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }

  /** The child's state (after a full gc unless `peek`); fails if the child died (a hostile peer crashed it). */
  stats(peek = false): Promise<ChildStats> {
    if (this.exitCode !== null) return Promise.reject(new Error(`the server process died (exit ${this.exitCode})`));
    return new Promise<ChildStats>((resolve, reject) => {
      const onExit = (): void => reject(new Error('the server process died'));
      this.child.once('exit', onExit);
      this.replies.push((s) => { this.child.off('exit', onExit); resolve(s); });
      this.child.stdin!.write(peek ? 'peek\n' : 'stats\n');
    });
  }

  /** Polls (without gc) until `cond` holds; fails with `what` and the last state after `ms`. */
  async waitFor(cond: (s: ChildStats) => boolean, what: string, ms = 10_000): Promise<ChildStats> {
    const end = Date.now() + ms;
    for (;;) {
      const s = await this.stats(true);
      if (cond(s)) return s;
      if (Date.now() > end) {
        throw new Error(`timed out waiting for ${what}: ${JSON.stringify({ ...s, lines: undefined })}\n` +
          this.log.slice(-5).join('\n'));
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Whether a log line containing `text` was seen (fetching the latest lines first). */
  async logged(text: string): Promise<boolean> {
    await this.stats(true);
    return this.log.some((l) => l.includes(text));
  }

  async stop(): Promise<void> {
    ChildServer.live.delete(this);
    this.child.stdin!.end();
    const t = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(t);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A decoded message the server sent a raw peer. */
export interface Received { tag: number; questionId?: number; abort?: { type: ExceptionTypeName; reason: string } }

/** A peer that writes raw bytes and decodes whatever comes back. */
export class RawPeer {
  readonly received: Received[] = [];
  bytesIn = 0;
  /** The server ended the stream (as opposed to us). */
  endedByServer = false;
  readonly closed: Promise<void>;
  private buf = Buffer.alloc(0);

  private constructor(readonly socket: net.Socket) {
    socket.on('error', () => undefined); // EPIPE/ECONNRESET: the server may close while we write
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('end', () => { this.endedByServer = true; });
    this.closed = new Promise<void>((r) => socket.once('close', () => r()));
  }

  static connect(socketPath: string): Promise<RawPeer> {
    return new Promise((resolve, reject) => {
      const s = net.createConnection({ path: socketPath });
      s.once('error', reject);
      s.once('connect', () => { s.off('error', reject); resolve(new RawPeer(s)); });
    });
  }

  write(bytes: Uint8Array): void { if (this.socket.writable) this.socket.write(bytes); }

  /** The Abort the server sent, if any. */
  get abort(): Received['abort'] | undefined { return this.received.find((m) => m.tag === Msg.abort)?.abort; }

  count(tag: number): number { return this.received.filter((m) => m.tag === tag).length; }

  private onData(d: Buffer): void {
    this.bytesIn += d.length;
    this.buf = Buffer.concat([this.buf, d]);
    for (;;) {
      const size = frameSize(this.buf, 0, this.buf.length);
      if (size < 0 || size > this.buf.length) return;
      const root = new MessageReader(splitFrame(this.buf.subarray(0, size))).getRoot();
      this.buf = this.buf.subarray(size);
      const tag = root.getUint16(0);
      const body = root.getStruct(0);
      if (tag === Msg.abort) this.received.push({ tag, abort: readException(body) });
      else if (tag === Msg.return) this.received.push({ tag, questionId: body.getUint32(0) });
      else this.received.push({ tag });
    }
  }
}
