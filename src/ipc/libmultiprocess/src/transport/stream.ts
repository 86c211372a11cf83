// Message framing over a net.Socket: splits the byte stream into frames (frames may span reads, a read may hold
// several), bounds segment count/size and how long a partial frame may wait, and batches writes per tick.
import type net from 'node:net';
import { frameSize, splitFrame, type FrameLimits } from '../message/framing.js';
import { MessageError } from '../message/layout.js';
import type { FrameTransport } from '../rpc/connection.js';
import { Logger } from '../log.js';

export interface StreamOptions extends FrameLimits {
  /** How long the rest of a started frame may take to arrive (default 30 s). */
  partialFrameTimeoutMs?: number;
  log?: Logger;
}

export const PARTIAL_FRAME_TIMEOUT_TEXT = 'Timed out waiting for the rest of a message.';

/** FrameTransport over a connected stream socket. */
export class SocketTransport implements FrameTransport {
  private readonly socket: net.Socket;
  private readonly limits: FrameLimits;
  private readonly timeoutMs: number;
  private readonly log: Logger;
  private pending: Buffer[] = [];
  private pendingLen = 0;
  private need = -1;
  private timer: NodeJS.Timeout | null = null;
  private queued: Uint8Array[] = [];
  private queuedBytes = 0;
  private flushScheduled = false;
  private closed = false;
  private closeErr: Error | null = null;
  private handlers: { onMessage(segments: Uint8Array[]): void; onClose(err: Error | null): void } | null = null;
  private readonly flush = (): void => {
    this.flushScheduled = false;
    const q = this.queued;
    if (q.length === 0 || this.socket.destroyed) { this.queued = []; this.queuedBytes = 0; return; }
    // One write per tick: small RPC messages are cheaper to copy together than to write one by one.
    const data = q.length === 1 ? q[0]! : Buffer.concat(q, this.queuedBytes);
    this.queued = [];
    this.queuedBytes = 0;
    this.socket.write(data);
  };

  constructor(socket: net.Socket, options: StreamOptions = {}) {
    this.socket = socket;
    this.limits = { maxSegments: options.maxSegments, maxWords: options.maxWords };
    this.timeoutMs = options.partialFrameTimeoutMs ?? 30_000;
    this.log = options.log ?? new Logger(null);
    socket.setNoDelay?.(true);
  }

  start(handlers: { onMessage(segments: Uint8Array[]): void; onClose(err: Error | null): void }): void {
    this.handlers = handlers;
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', (err) => { this.closeErr ??= err; });
    this.socket.on('close', () => this.finish());
    this.socket.on('end', () => { if (!this.socket.destroyed) this.socket.end(); });
  }

  send(frame: Uint8Array): void {
    if (this.closed || this.socket.destroyed) return;
    this.queued.push(frame);
    this.queuedBytes += frame.length;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      process.nextTick(this.flush);
    }
  }

  close(err?: Error): void {
    if (err !== undefined) this.closeErr ??= err;
    if (this.closed) return;
    this.closed = true;
    this.clearTimer();
    this.flush();
    this.socket.end();
    this.socket.destroySoon?.();
    // Do not wait for the peer: a misbehaving peer must not keep the fd open.
    setImmediate(() => this.socket.destroy());
  }

  private finish(): void {
    this.clearTimer();
    this.closed = true;
    const h = this.handlers;
    this.handlers = null;
    h?.onClose(this.closeErr);
  }

  private fail(err: Error): void {
    this.log.log('error', `IPC connection error: ${err.message}`);
    this.closeErr ??= err;
    this.pending = [];
    this.pendingLen = 0;
    this.clearTimer();
    this.closed = true;
    this.socket.destroy();
  }

  private clearTimer(): void {
    if (this.timer !== null) { clearTimeout(this.timer); this.timer = null; }
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    let buf: Uint8Array = chunk;
    if (this.pendingLen > 0) {
      this.pending.push(chunk);
      this.pendingLen += chunk.length;
      if (this.need < 0) {
        try {
          const head = Buffer.concat(this.pending, this.pendingLen);
          this.pending = [head];
          this.need = frameSize(head, 0, head.length, this.limits);
        } catch (e) {
          this.fail(e instanceof Error ? e : new MessageError(String(e)));
          return;
        }
      }
      if (this.need < 0 || this.pendingLen < this.need) return;
      buf = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingLen);
      this.pending = [];
      this.pendingLen = 0;
      this.need = -1;
      this.clearTimer();
    }
    let off = 0;
    const len = buf.length;
    try {
      while (off < len) {
        const size = frameSize(buf, off, len - off, this.limits);
        if (size < 0 || size > len - off) {
          const rest = Buffer.from(buf.buffer, buf.byteOffset + off, len - off);
          // Keep a private copy: the socket may reuse its read buffer.
          this.pending = [Buffer.from(rest)];
          this.pendingLen = rest.length;
          this.need = size;
          this.armTimer();
          return;
        }
        const frame = buf.subarray(off, off + size);
        off += size;
        this.handlers?.onMessage(splitFrame(frame));
        if (this.closed) return;
      }
    } catch (e) {
      this.fail(e instanceof Error ? e : new MessageError(String(e)));
    }
  }

  private armTimer(): void {
    if (this.timer !== null || this.timeoutMs <= 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.pendingLen > 0) this.fail(new MessageError(PARTIAL_FRAME_TIMEOUT_TEXT));
    }, this.timeoutMs);
    this.timer.unref();
  }
}
