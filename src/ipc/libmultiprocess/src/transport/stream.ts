// Message framing over a net.Socket: splits the byte stream into frames (frames may span reads, a read may hold
// several), bounds segment count/size and how long a partial frame may wait, batches writes per tick, and applies
// write backpressure (see SendLimits).
import type net from 'node:net';
import { frameSize, splitFrame, type FrameLimits } from '../message/framing.js';
import { MessageError } from '../message/layout.js';
import type { FrameTransport, TransportHandlers } from '../rpc/connection.js';
import { LimitError, limitText, resolveLimits } from '../rpc/limits.js';
import { Logger } from '../log.js';

/**
 * Bounds on bytes the peer has not taken (see doc/runtime-api.md, "Limits"). While more than `sendHighWaterBytes`
 * wait to be sent, the peer's messages are not processed (they are what makes us send: Returns, Finishes): they
 * are read and held, up to `maxHeldBytes`, so that two peers that both stop processing still drain each other's
 * sockets instead of deadlocking. Past `maxSendBufferBytes` waiting to be sent, or `maxHeldBytes` held, the
 * connection is aborted.
 */
export interface SendLimits {
  /** Stop processing the peer's messages above this many unsent bytes (default 8 MiB). */
  sendHighWaterBytes?: number;
  /** Abort above this many unsent bytes (default 128 MiB: twice the largest message a peer accepts). */
  maxSendBufferBytes?: number;
  /** Abort when the peer sends more than this while its messages are held (default 64 MiB: one largest message). */
  maxHeldBytes?: number;
}

export const DEFAULT_SEND_LIMITS: Readonly<Required<SendLimits>> = {
  sendHighWaterBytes: 8 * 1024 * 1024,
  maxSendBufferBytes: 128 * 1024 * 1024,
  maxHeldBytes: 64 * 1024 * 1024,
};

export interface StreamOptions extends FrameLimits, SendLimits {
  /** How long the rest of a started frame may take to arrive (default 30 s). */
  partialFrameTimeoutMs?: number;
  /** After close(), how long to wait for the peer to close its side before destroying the socket (default 1 s). */
  closeLingerMs?: number;
  log?: Logger;
}

export const PARTIAL_FRAME_TIMEOUT_TEXT = 'Timed out waiting for the rest of a message.';

/** Default StreamOptions.closeLingerMs. */
export const CLOSE_LINGER_MS = 1000;

/** FrameTransport over a connected stream socket. */
export class SocketTransport implements FrameTransport {
  private readonly socket: net.Socket;
  private readonly limits: FrameLimits;
  private readonly sendLimits: Readonly<Required<SendLimits>>;
  private readonly timeoutMs: number;
  private readonly lingerMs: number;
  private readonly log: Logger;
  /** Received bytes not yet parsed: the start of a partial frame, or everything held while throttled. */
  private pending: Buffer[] = [];
  private pendingLen = 0;
  private need = -1;
  private timer: NodeJS.Timeout | null = null;
  private queued: Uint8Array[] = [];
  private queuedBytes = 0;
  private flushScheduled = false;
  /** Unsent bytes are over the high-water mark: the peer's messages are held, not processed. */
  private throttled = false;
  /** How many times processing stopped because of unsent bytes (for tests and diagnostics). */
  throttles = 0;
  /** A limit was exceeded: sends are dropped and nothing more is processed. */
  private failed = false;
  private closed = false;
  private closeErr: Error | null = null;
  private handlers: TransportHandlers | null = null;
  private readonly flush = (): void => {
    this.flushScheduled = false;
    const q = this.queued;
    if (q.length === 0 || this.socket.destroyed) { this.queued = []; this.queuedBytes = 0; return; }
    // One write per tick: small RPC messages are cheaper to copy together than to write one by one.
    const data = q.length === 1 ? q[0]! : Buffer.concat(q, this.queuedBytes);
    this.queued = [];
    this.queuedBytes = 0;
    this.socket.write(data);
    // A write the kernel takes at once emits no 'drain': look now whether we are below the mark again.
    if (this.throttled) this.resumeIfDrained();
  };

  constructor(socket: net.Socket, options: StreamOptions = {}) {
    this.socket = socket;
    this.limits = { maxSegments: options.maxSegments, maxWords: options.maxWords };
    this.sendLimits = resolveLimits(DEFAULT_SEND_LIMITS, options, 'StreamOptions');
    this.timeoutMs = options.partialFrameTimeoutMs ?? 30_000;
    this.lingerMs = options.closeLingerMs ?? CLOSE_LINGER_MS;
    this.log = options.log ?? new Logger(null);
    socket.setNoDelay?.(true);
  }

  /** Bytes queued for the peer that it has not taken yet (ours and the socket's buffer; not the kernel's). */
  get unsentBytes(): number { return this.queuedBytes + this.socket.writableLength; }

  /** Received bytes waiting to be parsed or processed. */
  get heldBytes(): number { return this.pendingLen; }

  start(handlers: TransportHandlers): void {
    this.handlers = handlers;
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('drain', () => this.resumeIfDrained());
    this.socket.on('error', (err) => { this.closeErr ??= err; });
    this.socket.on('close', () => this.finish());
    this.socket.on('end', () => { if (!this.socket.destroyed) this.socket.end(); });
  }

  send(frame: Uint8Array): void {
    if (this.closed || this.failed || this.socket.destroyed) return;
    this.queued.push(frame);
    this.queuedBytes += frame.length;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      process.nextTick(this.flush);
    }
    const unsent = this.unsentBytes;
    if (unsent > this.sendLimits.sendHighWaterBytes) {
      if (unsent > this.sendLimits.maxSendBufferBytes) {
        this.overLimit('maxSendBufferBytes', 'bytes waiting to be sent to the peer', unsent);
      } else {
        this.throttle();
      }
    }
  }

  close(err?: Error): void {
    if (err !== undefined) this.closeErr ??= err;
    if (this.closed) return;
    this.closed = true;
    this.clearTimer();
    this.flush();
    // Half-close and keep reading (dropping what comes) until the peer closes its side too: a peer still writing
    // then reads our last message (an Abort) instead of failing its write first. A peer that does not close gets
    // closeLingerMs, so it cannot keep the fd open.
    this.socket.end();
    const t = setTimeout(() => this.socket.destroy(), this.lingerMs);
    t.unref();
    this.socket.once('close', () => clearTimeout(t));
  }

  private finish(): void {
    this.clearTimer();
    this.closed = true;
    this.dropInput();
    const h = this.handlers;
    this.handlers = null;
    h?.onClose(this.closeErr);
  }

  /** The peer broke a rule: the connection aborts (through the RPC layer when it listens, else here). */
  private fail(err: Error): void {
    this.dropInput();
    this.clearTimer();
    const onError = this.handlers?.onError;
    if (onError !== undefined) {
      onError(err);
      if (this.closed) return;
    }
    this.log.log('error', `IPC connection error: ${err.message}`);
    this.closeErr ??= err;
    this.closed = true;
    this.socket.destroy();
  }

  /** A send limit was exceeded (inside send() or onData(): report it after the caller is done). */
  private overLimit(name: 'maxSendBufferBytes' | 'maxHeldBytes', what: string, reached: number): void {
    if (this.failed) return;
    this.failed = true;
    this.queued = [];
    this.queuedBytes = 0;
    this.dropInput();
    const err = new LimitError(name, limitText(what, this.sendLimits[name], `StreamOptions.${name}`, reached));
    queueMicrotask(() => { if (!this.closed) this.fail(err); });
  }

  private dropInput(): void {
    this.pending = [];
    this.pendingLen = 0;
    this.need = -1;
  }

  private clearTimer(): void {
    if (this.timer !== null) { clearTimeout(this.timer); this.timer = null; }
  }

  private throttle(): void {
    if (this.throttled) return;
    this.throttled = true;
    this.throttles++;
    // The peer cannot complete a frame we are not processing: its partial-frame clock stops too.
    this.clearTimer();
  }

  /** Processes the held input once the unsent bytes are back under the high-water mark. */
  private resumeIfDrained(): void {
    if (!this.throttled || this.closed || this.failed || this.unsentBytes > this.sendLimits.sendHighWaterBytes) return;
    this.throttled = false;
    if (this.pendingLen === 0) return;
    const held = Buffer.concat(this.pending, this.pendingLen);
    this.dropInput();
    this.onData(held);
  }

  /** Keeps received bytes for later (a partial frame, or all input while throttled). */
  private hold(bytes: Buffer): void {
    this.pending.push(bytes);
    this.pendingLen += bytes.length;
    if (this.throttled && this.pendingLen > this.sendLimits.maxHeldBytes) {
      this.overLimit('maxHeldBytes', 'bytes received from a peer that does not read', this.pendingLen);
    }
  }

  private onData(chunk: Buffer): void {
    if (this.closed || this.failed) return;
    if (this.throttled) { this.hold(chunk); return; }
    let buf: Uint8Array = chunk;
    if (this.pendingLen > 0) {
      this.hold(chunk);
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
      this.dropInput();
      this.clearTimer();
    }
    this.parse(buf);
  }

  /** Delivers the complete frames in `buf`; keeps the rest (a partial frame, or everything once throttled). */
  private parse(buf: Uint8Array): void {
    let off = 0;
    const len = buf.length;
    try {
      while (off < len) {
        const size = this.throttled ? -1 : frameSize(buf, off, len - off, this.limits);
        if (size < 0 || size > len - off) {
          // Keep a private copy: the socket may reuse its read buffer.
          this.hold(Buffer.from(buf.subarray(off)));
          this.need = this.throttled ? -1 : size;
          if (!this.throttled) this.armTimer();
          return;
        }
        const frame = buf.subarray(off, off + size);
        off += size;
        this.handlers?.onMessage(splitFrame(frame));
        if (this.closed || this.failed) return;
      }
    } catch (e) {
      this.fail(e instanceof Error ? e : new MessageError(String(e)));
    }
  }

  private armTimer(): void {
    if (this.timer !== null || this.timeoutMs <= 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.pendingLen > 0 && !this.throttled) this.fail(new MessageError(PARTIAL_FRAME_TIMEOUT_TEXT));
    }, this.timeoutMs);
    this.timer.unref();
  }
}
