// One two-party Cap'n Proto RPC connection (level 1): question/answer/import/export tables with exact reference
// counts, Bootstrap, Call/Return/Finish/Release/Abort, promise pipelining both ways, defensive Resolve/Disembargo.
import { MessageReader, type PointerReader, type StructReader, EMPTY_STRUCT } from '../message/reader.js';
import { MessageError, type ReaderOptions } from '../message/layout.js';
import type { MessageBuilder } from '../message/builder.js';
import { Logger } from '../log.js';
import {
  Msg, MSG_NAMES, Ret, ExceptionType, beginReturn, encodeAbort, encodeBootstrap,
  encodeDisembargoLoopback, encodeFinish, encodeRelease, encodeReturnException, encodeUnimplemented,
  readCapTable, readDescriptor, readException, readTarget, writeCapTable, writeTarget, type Descriptor, type Target,
} from './messages.js';
import { BrokenHook, CapHook, LocalHook, type CallSender, type Route, type ServerTarget } from './capability.js';
import {
  Capability, IncomingCall, PendingCall, PromiseHook, Request, Response, capIndexAtPath, invokeServer, type CallSink,
} from './call.js';
import { RpcError, TEXT, reasonFromError } from './errors.js';
import { LimitError, LimitTracker, type RpcLimits } from './limits.js';

/** A message-framed byte stream (see transport/). */
export interface FrameTransport {
  /** Queues one framed message (the bytes are not modified afterwards). */
  send(frame: Uint8Array): void;
  /**
   * Starts delivering messages (as segment lists) and the close notification. `onError`: the stream broke a rule
   * (malformed frame, a transport limit); the connection aborts. Without it the transport closes itself.
   */
  start(handlers: TransportHandlers): void;
  /** Closes the stream; onClose follows. */
  close(err?: Error): void;
}

export interface TransportHandlers {
  onMessage(segments: Uint8Array[]): void;
  onClose(err: Error | null): void;
  onError?(err: Error): void;
}

export interface RpcOptions {
  /** The object a peer's Bootstrap gets (server side). */
  bootstrap?: ServerTarget | null;
  log?: Logger;
  readerOptions?: ReaderOptions;
  /** Table limits (defaults: DEFAULT_RPC_LIMITS). */
  limits?: RpcLimits;
}

/** Smallest-first id allocator (ids are reused as soon as they are freed, like Cap'n Proto's ExportTable). */
class IdPool {
  private next = 0;
  private readonly free: number[] = []; // kept sorted descending; pop() gives the smallest
  take(): number {
    return this.free.length > 0 ? this.free.pop()! : this.next++;
  }
  give(id: number): void {
    const f = this.free;
    let lo = 0;
    let hi = f.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (f[mid]! > id) lo = mid + 1; else hi = mid;
    }
    f.splice(lo, 0, id);
  }
}

interface Question {
  pending: PendingCall<unknown>;
  /** Export ids we wrote as senderHosted in the params (for Return.releaseParamCaps). */
  paramExports: number[] | null;
  isBootstrap: boolean;
  /** Finish went out before the Return (the caller canceled): the id stays taken until the Return comes. */
  finishSent: boolean;
}

interface Answer {
  call: IncomingCall | null;
  returned: boolean;
  finished: boolean;
  /** Our results, readable, for pipelined calls and receiverAnswer descriptors. */
  content: PointerReader | null;
  /** One reference each, held until Finish. */
  hooks: (CapHook | null)[];
  /** Export ids we wrote in the Return (for Finish.releaseResultCaps). */
  resultExports: number[] | null;
  /** Calls that arrived for this answer before it returned. */
  queued: IncomingCall[] | null;
  queuedPaths: (readonly number[])[] | null;
  /** Live capabilities the peer passed as receiverAnswer before this answer returned. */
  promiseHooks: Set<AnswerPromiseHook> | null;
  error: Error | null;
}

interface Export {
  hook: CapHook;
  refcount: number;
}

/** A capability the peer hosts. */
class ImportHook extends CapHook {
  private readonly remote: Route;
  remoteRefs = 0;
  constructor(readonly conn: RpcConnection, readonly id: number) {
    super();
    this.remote = { kind: 'remote', conn, target: { kind: 'imported', id } };
  }
  route(): Route {
    const err = this.conn.closedError;
    return err === null ? this.remote : { kind: 'broken', error: err };
  }
  protected disposed(): void { this.conn.releaseImport(this); }
}

/**
 * A capability inside one of *our* answers that has not returned yet (peer sent receiverAnswer). It takes its own
 * reference when the answer settles, so it stays valid after the answer's Finish releases the answer's references.
 */
class AnswerPromiseHook extends CapHook {
  private resolution: CapHook | null = null;
  private waiters: (() => void)[] | null = null;
  constructor(private readonly conn: RpcConnection, private readonly answer: Answer, readonly path: readonly number[]) {
    super();
    (answer.promiseHooks ??= new Set()).add(this);
  }
  /** @internal the answer settled: `cap` (no reference added) is what this promise stands for from now on */
  settle(cap: CapHook): void {
    this.resolution = cap.addRef();
    const w = this.waiters;
    this.waiters = null;
    if (w !== null) for (const f of w) f();
  }
  override resolved(): CapHook { return this.resolution?.resolved() ?? this; }
  route(): Route {
    if (this.resolution !== null) return this.resolution.route();
    return { kind: 'wait', ready: this.whenResolved() };
  }
  override whenResolved(): Promise<void> {
    if (this.resolution !== null) return this.resolution.whenResolved();
    return new Promise<void>((resolve) => { (this.waiters ??= []).push(resolve); });
  }
  protected disposed(): void {
    if (this.resolution === null) {
      this.conn.answerPromiseGone(this.answer, this);
      return;
    }
    this.resolution.decRef();
    this.resolution = null;
  }
}

/** Sends an incoming call's outcome back as a Return. */
class RemoteSink implements CallSink {
  constructor(private readonly conn: RpcConnection) {}
  returnResults(call: IncomingCall): void { this.conn.sendReturn(call, null); }
  returnError(call: IncomingCall, err: unknown): void { this.conn.sendReturn(call, err ?? new Error('undefined')); }
}

/** A two-party RPC connection. Both sides can call and serve over it. */
export class RpcConnection implements CallSender {
  readonly log: Logger;
  private readonly transport: FrameTransport;
  private readonly readerOptions: ReaderOptions | undefined;
  private bootstrapHook: CapHook | null;
  private readonly questions = new Map<number, Question>();
  private readonly questionIds = new IdPool();
  private readonly answers = new Map<number, Answer>();
  private readonly exports = new Map<number, Export>();
  private readonly exportIds = new IdPool();
  private readonly exportIdByHook = new Map<CapHook, number>();
  private readonly imports = new Map<number, ImportHook>();
  private readonly sink: RemoteSink;
  private readonly disconnectFns: ((err: Error) => void)[] = [];
  private readonly closingFns: ((err: Error) => void)[] = [];
  /** @internal what the peer makes this connection hold, against RpcOptions.limits */
  readonly limits: LimitTracker;
  /** @internal null while connected */
  closedError: Error | null = null;
  /** Resolves with the reason once the connection has ended. */
  readonly closed: Promise<Error>;
  private resolveClosed!: (e: Error) => void;

  constructor(transport: FrameTransport, options: RpcOptions = {}) {
    this.transport = transport;
    this.log = options.log ?? new Logger(null);
    this.readerOptions = options.readerOptions;
    this.bootstrapHook = options.bootstrap ? LocalHook.of(options.bootstrap).addRef() : null;
    this.sink = new RemoteSink(this);
    this.limits = new LimitTracker(options.limits, (err) => this.abortForPeer(err));
    this.closed = new Promise<Error>((r) => { this.resolveClosed = r; });
    transport.start({
      onMessage: (segments) => this.onMessage(segments),
      onClose: (err) => this.shutdown(closeReason(err)),
      onError: (err) => this.abortForPeer(err),
    });
  }

  isDisconnected(): boolean { return this.closedError !== null; }

  onDisconnect(fn: (err: Error) => void): void {
    if (this.closedError !== null) queueMicrotask(() => fn(this.closedError!));
    else this.disconnectFns.push(fn);
  }

  /**
   * Runs once the connection has ended, before its running calls are aborted (onDisconnect runs after them): the
   * order libmultiprocess logs in, the disconnect first and then each call it cancels.
   */
  onClosing(fn: (err: Error) => void): void {
    if (this.closedError === null) this.closingFns.push(fn);
  }

  /** Closes the connection (an Abort is sent first when a reason is given). */
  close(reason?: Error): void {
    if (this.closedError !== null) return;
    if (reason !== undefined) {
      const { reason: text, type } = reasonFromError(reason);
      try { this.transport.send(encodeAbort(text, ExceptionType[type])); } catch { /* closing anyway */ }
    }
    this.transport.close(reason);
    this.shutdown(reason ?? new RpcError('disconnected', TEXT.disconnected));
  }

  /** The peer's bootstrap capability (pipelined: usable before the answer arrives). */
  bootstrap(): Capability {
    const pending = new PendingCall<void>(() => undefined);
    if (this.closedError !== null) {
      pending.fail(this.closedError);
    } else {
      const qid = this.questionIds.take();
      pending.questionId = qid;
      pending.sender = this;
      this.questions.set(qid, { pending: pending as PendingCall<unknown>, paramExports: null, isBootstrap: true,
        finishSent: false });
      this.transport.send(encodeBootstrap(qid));
    }
    pending.then(undefined, () => undefined); // failures surface through the capability
    return pending.pipeline();
  }

  // ---- outgoing calls --------------------------------------------------------------------------------------

  /** @internal CallSender */
  remoteTarget(p: PromiseHook): Target | null {
    const q = p.pending;
    if (q.sender !== this || q.done || q.questionId < 0) return null;
    return { kind: 'answer', questionId: q.questionId, path: p.path };
  }

  /** @internal CallSender: assigns a question id, writes the cap table and sends. */
  sendCall(req: Request, target: Target, pending: PendingCall<unknown>): void {
    if (this.closedError !== null) {
      req.dropCaps();
      pending.fail(this.closedError);
      return;
    }
    const written = req.writtenTarget;
    if (written === null || !sameTarget(written, target)) {
      writeTarget(req.callSb, 0, target);
      req.setWrittenTarget(target);
    }
    if (!this.limits.admitQuestion(this.questions.size)) {
      req.dropCaps();
      pending.fail(this.limits.tripped!);
      return;
    }
    const qid = this.questionIds.take();
    req.callSb.setUint32(0, qid);
    const caps = req.caps.splice(0);
    let paramExports: number[] | null = null;
    const descs: Descriptor[] = new Array(caps.length);
    for (let i = 0; i < caps.length; i++) {
      const h = caps[i]!;
      descs[i] = h === null ? NONE_DESC : this.describe(h, (id) => { (paramExports ??= []).push(id); });
    }
    writeCapTable(req.payload, 1, descs);
    for (const h of caps) h?.decRef();
    pending.questionId = qid;
    pending.sender = this;
    pending.onDrop = () => this.finishEarly(qid, pending);
    this.questions.set(qid, { pending, paramExports, isBootstrap: false, finishSent: false });
    this.transport.send(req.mb.toFrame());
  }

  /**
   * The caller canceled a call and holds no capability pipelined on it: send Finish now, as Cap'n Proto does when the
   * last reference to a promise goes. releaseResultCaps: we will not read the results, so the callee releases them.
   */
  private finishEarly(qid: number, pending: PendingCall<unknown>): void {
    const q = this.questions.get(qid);
    if (q === undefined || q.pending !== pending || q.finishSent || this.closedError !== null) return;
    q.finishSent = true;
    this.transport.send(encodeFinish(qid, true));
  }

  /** Descriptor for sending `hook` to the peer; exports it (one more reference) when we host it. */
  private describe(hook0: CapHook, onExport: (id: number) => void): Descriptor {
    const hook = hook0.resolved();
    if (hook instanceof ImportHook && hook.conn === this && this.imports.get(hook.id) === hook) {
      return { kind: 'receiverHosted', id: hook.id };
    }
    if (hook instanceof PromiseHook) {
      const t = this.remoteTarget(hook);
      if (t !== null && t.kind === 'answer') return { kind: 'receiverAnswer', questionId: t.questionId, path: t.path };
    }
    let id = this.exportIdByHook.get(hook);
    if (id === undefined) {
      id = this.exportIds.take();
      this.exports.set(id, { hook: hook.addRef(), refcount: 1 });
      this.exportIdByHook.set(hook, id);
      this.limits.exportAdded(this.exports.size);
    } else {
      this.exports.get(id)!.refcount++;
    }
    onExport(id);
    return { kind: 'senderHosted', id };
  }

  /** @internal last local reference to an import dropped: tell the peer how many references we had. */
  releaseImport(hook: ImportHook): void {
    if (this.imports.get(hook.id) !== hook) return;
    this.imports.delete(hook.id);
    if (this.closedError === null && hook.remoteRefs > 0) this.transport.send(encodeRelease(hook.id, hook.remoteRefs));
  }

  private releaseExport(id: number, count: number): void {
    const e = this.exports.get(id);
    if (e === undefined) return;
    e.refcount -= count;
    if (e.refcount > 0) return;
    this.exports.delete(id);
    this.exportIdByHook.delete(e.hook);
    this.exportIds.give(id);
    e.hook.decRef();
  }

  /** Turns a received descriptor into a hook with one reference owned by the caller. */
  private importDescriptor(d: Descriptor): CapHook | null {
    switch (d.kind) {
      case 'none': return null;
      case 'senderHosted':
      case 'senderPromise': {
        let h = this.imports.get(d.id);
        if (h === undefined) {
          h = new ImportHook(this, d.id);
          this.imports.set(d.id, h);
        }
        h.remoteRefs++;
        return h.addRef();
      }
      case 'receiverHosted': {
        const e = this.exports.get(d.id);
        return (e ? e.hook : new BrokenHook(new RpcError('failed', TEXT.badTarget))).addRef();
      }
      case 'receiverAnswer': {
        const a = this.answers.get(d.questionId);
        // After Finish the question id is no longer the peer's to name (Cap'n Proto drops the answer's pipeline).
        if (a === undefined || a.finished) return new BrokenHook(new RpcError('failed', TEXT.badPipeline)).addRef();
        if (a.returned || a.error !== null) return this.answerCap(a, d.path).addRef();
        return new AnswerPromiseHook(this, a, d.path).addRef();
      }
      case 'thirdPartyHosted':
        return new BrokenHook(new RpcError('unimplemented', 'Third-party capabilities are not supported.')).addRef();
    }
  }

  /** @internal the capability at `path` in a returned (or failed) answer (no reference added). */
  answerCap(a: Answer, path: readonly number[]): CapHook {
    if (a.error !== null) return new BrokenHook(a.error);
    if (a.content === null) return new BrokenHook(new RpcError('failed', TEXT.badPipeline));
    try {
      const idx = capIndexAtPath(a.content, path);
      const h = idx === null ? null : a.hooks[idx];
      return h ?? new BrokenHook(new RpcError('failed', TEXT.nullCap));
    } catch (e) {
      return new BrokenHook(e instanceof Error ? e : new RpcError('failed', String(e)));
    }
  }

  // ---- incoming messages -----------------------------------------------------------------------------------

  private onMessage(segments: Uint8Array[]): void {
    if (this.closedError !== null || this.limits.tripped !== null) return;
    try {
      const root = new MessageReader(segments, this.readerOptions).getRoot();
      this.handle(root);
    } catch (err) {
      // A malformed message or protocol violation ends this connection only.
      this.abortForPeer(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** Ends this connection because of the peer (protocol violation, a limit): log line, Abort, close. */
  private abortForPeer(e: Error): void {
    if (this.closedError !== null) return;
    this.log.log('error', `IPC connection error: ${e.message}`);
    this.close(e instanceof LimitError ? e : new RpcError('failed', e.message));
  }

  private handle(root: StructReader): void {
    const tag = root.getUint16(0);
    switch (tag) {
      case Msg.call: return this.handleCall(root.getStruct(0));
      case Msg.return: return this.handleReturn(root.getStruct(0));
      case Msg.finish: return this.handleFinish(root.getStruct(0));
      case Msg.release: {
        const r = root.getStruct(0);
        this.releaseExport(r.getUint32(0), r.getUint32(1));
        return;
      }
      case Msg.bootstrap: return this.handleBootstrap(root.getStruct(0));
      case Msg.abort: {
        const ex = readException(root.getStruct(0));
        this.transport.close();
        this.shutdown(new RpcError(ex.type, ex.reason, true));
        return;
      }
      case Msg.resolve: return this.handleResolve(root.getStruct(0));
      case Msg.disembargo: return this.handleDisembargo(root.getStruct(0));
      case Msg.unimplemented: return this.handleUnimplemented(root.getStruct(0));
      default:
        this.log.log('warning', `IPC received unsupported message type ${MSG_NAMES[tag] ?? tag}`);
        this.transport.send(encodeUnimplemented(root));
        return;
    }
  }

  private newAnswer(call: IncomingCall | null): Answer {
    return { call, returned: false, finished: false, content: null, hooks: [], resultExports: null, queued: null,
      queuedPaths: null, promiseHooks: null, error: null };
  }

  private handleBootstrap(b: StructReader): void {
    const qid = b.getUint32(0);
    if (this.answers.has(qid)) throw new RpcError('failed', TEXT.questionInUse);
    if (!this.limits.admitCall(qid, this.answers.size, null)) return;
    const a = this.newAnswer(null);
    this.answers.set(qid, a);
    if (this.bootstrapHook === null) {
      a.returned = true;
      a.error = new RpcError('failed', TEXT.noBootstrap);
      this.transport.send(encodeReturnException(qid, true, TEXT.noBootstrap, ExceptionType.failed));
      this.wakeAnswer(a);
      return;
    }
    const { mb, payload } = beginReturn(qid, true, 64);
    payload.setCapability(0, 0);
    const exportsWritten: number[] = [];
    writeCapTable(payload, 1, [this.describe(this.bootstrapHook, (id) => exportsWritten.push(id))]);
    a.resultExports = exportsWritten;
    a.hooks = [this.bootstrapHook.addRef()];
    a.content = resultsContent(mb);
    a.returned = true;
    this.transport.send(mb.toFrame());
    this.wakeAnswer(a);
  }

  private handleCall(c: StructReader): void {
    const qid = c.getUint32(0);
    if (this.answers.has(qid)) throw new RpcError('failed', TEXT.questionInUse);
    if (!this.limits.admitCall(qid, this.answers.size, c)) return;
    const target = readTarget(c.getStruct(0));
    const interfaceId = c.getUint64(1);
    const methodId = c.getUint16(2);
    const payload = c.getStruct(1);
    const descs = readCapTable(payload);
    const hooks: (CapHook | null)[] = new Array(descs.length);
    for (let i = 0; i < descs.length; i++) hooks[i] = this.importDescriptor(descs[i]!);
    const content = payload.getPointer(0);
    const params = content.isNull() ? EMPTY_STRUCT : content.getStruct();
    const call = new IncomingCall(interfaceId, methodId, params, content, hooks, this.sink, qid);
    const a = this.newAnswer(call);
    this.answers.set(qid, a);
    if (target === null) {
      this.sendReturn(call, new RpcError('unimplemented', 'Unknown MessageTarget type.'));
      return;
    }
    if (target.kind === 'imported') {
      const e = this.exports.get(target.id);
      if (e === undefined) { this.sendReturn(call, new RpcError('failed', TEXT.badTarget)); return; }
      this.deliver(call, e.hook);
      return;
    }
    const pa = this.answers.get(target.questionId);
    if (pa === undefined || pa === a || pa.finished) {
      this.sendReturn(call, new RpcError('failed', TEXT.badPipeline));
      return;
    }
    if (pa.returned || pa.error !== null) {
      this.deliver(call, this.answerCap(pa, target.path));
      return;
    }
    if (!this.limits.admitPipelined()) { this.sendReturn(call, this.limits.tripped); return; }
    (pa.queued ??= []).push(call);
    (pa.queuedPaths ??= []).push(target.path);
  }

  /** Delivers a call to whatever `hook` is now: a local server, a forward, or an error. */
  private deliver(call: IncomingCall, hook: CapHook): void {
    call.holdTarget(hook);
    const r = hook.route();
    switch (r.kind) {
      case 'local': invokeServer(r.server, call); return;
      case 'broken': this.sendReturn(call, r.error); return;
      case 'remote': forwardCall(call, hook); return;
      case 'wait':
        r.ready.then(() => this.deliver(call, hook), (e: unknown) => this.sendReturn(call, e));
        return;
    }
  }

  /** @internal sends the Return for an incoming call (results when err is null). */
  sendReturn(call: IncomingCall, err: unknown): void {
    if (call.settled) return;
    call.settled = true;
    this.limits.callSettled(call.answerId);
    call.release();
    const a = this.answers.get(call.answerId);
    if (a === undefined || a.call !== call || this.closedError !== null) {
      call.dropResults();
      return;
    }
    a.returned = true;
    if (a.finished) {
      this.returnAfterFinish(a, call, err);
      return;
    }
    if (err !== null) {
      call.dropResults();
      const { reason, type } = reasonFromError(err);
      a.error = err instanceof RpcError ? err : new RpcError(type, reason);
      this.transport.send(encodeReturnException(call.answerId, false, reason, ExceptionType[type]));
      this.wakeAnswer(a);
      return;
    }
    const { mb, payload } = call.payload();
    const caps = call.resultCaps.splice(0);
    const descs: Descriptor[] = new Array(caps.length);
    let exportsWritten: number[] | null = null;
    for (let i = 0; i < caps.length; i++) {
      const h = caps[i]!;
      descs[i] = h === null ? NONE_DESC : this.describe(h, (id) => { (exportsWritten ??= []).push(id); });
    }
    writeCapTable(payload, 1, descs);
    a.resultExports = exportsWritten;
    a.hooks = caps; // keep for pipelined calls until Finish
    if (caps.length > 0 || a.queued !== null || a.promiseHooks !== null) a.content = resultsContent(mb);
    this.transport.send(mb.toFrame());
    this.wakeAnswer(a);
  }

  /**
   * The call returned after the caller's Finish. The caller gets `canceled` (Cap'n Proto sends no results once
   * Finish came), but calls pipelined on the results before the Finish still get them: rpc.capnp lets the callee
   * drop the results only if nothing else cares about them.
   */
  private returnAfterFinish(a: Answer, call: IncomingCall, err: unknown): void {
    this.transport.send(encodeReturnException(call.answerId, false, null, 0));
    this.answers.delete(call.answerId);
    if (err !== null) {
      call.dropResults();
      const { reason, type } = reasonFromError(err);
      a.error = err instanceof RpcError ? err : new RpcError(type, reason);
    } else {
      a.hooks = call.resultCaps.splice(0);
      a.content = resultsContent(call.payload().mb);
    }
    this.wakeAnswer(a);
    // Each waiting call and promise now holds what it needs; nothing was exported, so the rest can go.
    for (const h of a.hooks) h?.decRef();
    a.hooks = [];
    a.content = null;
  }

  /** Runs calls queued on an answer and settles its AnswerPromiseHooks (each takes its own reference). */
  private wakeAnswer(a: Answer): void {
    const q = a.queued;
    const paths = a.queuedPaths;
    a.queued = null;
    a.queuedPaths = null;
    if (q !== null) this.limits.pipelinedDone(q.length);
    if (q !== null && paths !== null) for (let i = 0; i < q.length; i++) this.deliver(q[i]!, this.answerCap(a, paths[i]!));
    const hooks = a.promiseHooks;
    a.promiseHooks = null;
    if (hooks !== null) for (const h of hooks) h.settle(this.answerCap(a, h.path));
  }

  /** @internal an AnswerPromiseHook was released before its answer settled */
  answerPromiseGone(a: Answer, hook: AnswerPromiseHook): void {
    a.promiseHooks?.delete(hook);
    this.cancelIfUnwanted(a);
  }

  /** After Finish, a call still running is aborted only once no pipelined call or promise waits for its results. */
  private cancelIfUnwanted(a: Answer): void {
    if (!a.finished || a.returned || a.queued !== null || (a.promiseHooks !== null && a.promiseHooks.size > 0)) return;
    a.call?.abort(new RpcError('failed', TEXT.canceled));
  }

  private handleReturn(r: StructReader): void {
    const id = r.getUint32(0);
    const q = this.questions.get(id);
    if (q === undefined) throw new RpcError('failed', `Invalid question ID in Return message: ${id}`);
    this.questions.delete(id);
    if (r.getBool(32, true) && q.paramExports !== null) {
      for (const e of q.paramExports) this.releaseExport(e, 1);
    }
    if (q.finishSent) {
      // Canceled by the caller: our Finish asked the callee to release the result caps itself; the id is free now.
      this.questionIds.give(id);
      q.pending.questionId = -1;
      q.pending.fail(new RpcError('failed', TEXT.canceled));
      return;
    }
    const tag = r.getUint16(3);
    let resp: Response | null = null;
    let err: Error | null = null;
    if (tag === Ret.results) {
      const payload = r.getStruct(0);
      const descs = readCapTable(payload);
      const hooks: (CapHook | null)[] = new Array(descs.length);
      for (let i = 0; i < descs.length; i++) hooks[i] = this.importDescriptor(descs[i]!);
      const content = payload.getPointer(0);
      resp = new Response(content.isNull() || content.pointerType() !== 'struct' ? EMPTY_STRUCT : content.getStruct(),
        content, hooks);
    } else if (tag === Ret.exception) {
      const ex = readException(r.getStruct(0));
      err = new RpcError(ex.type, ex.reason, true);
    } else if (tag === Ret.canceled) {
      err = new RpcError('failed', TEXT.canceled);
    } else {
      err = new RpcError('unimplemented', `Unsupported Return type ${tag}.`);
    }
    // Finish goes out before the results are used, so the question id is free again at once.
    this.transport.send(encodeFinish(id, false));
    this.questionIds.give(id);
    q.pending.questionId = -1;
    if (resp !== null) q.pending.complete(resp);
    else q.pending.fail(err!);
  }

  private handleFinish(f: StructReader): void {
    const qid = f.getUint32(0);
    const a = this.answers.get(qid);
    if (a === undefined || a.finished) return;
    a.finished = true;
    if (!a.returned) {
      // The caller dropped its promise, but calls pipelined on the results may still need them.
      this.cancelIfUnwanted(a);
      return;
    }
    this.answers.delete(qid);
    if (f.getBool(32, true) && a.resultExports !== null) for (const e of a.resultExports) this.releaseExport(e, 1);
    for (const h of a.hooks) h?.decRef();
    a.hooks = [];
  }

  private handleResolve(r: StructReader): void {
    // We never hold calls on peer promises specially: calls to a resolved promise import keep flowing to the peer,
    // which forwards them. Only the reference the Resolve carries has to be taken and given back.
    if (r.getUint16(2) === 0) this.importDescriptor(readDescriptor(r.getStruct(0)))?.decRef();
  }

  private handleDisembargo(d: StructReader): void {
    const tag = d.getUint16(2);
    if (tag === 0) {
      const target = readTarget(d.getStruct(0));
      if (target !== null) this.transport.send(encodeDisembargoLoopback(target, d.getUint32(0)));
    }
    // receiverLoopback: we never send senderLoopback, so there is nothing to release. accept/provide: level 3.
  }

  private handleUnimplemented(m: StructReader): void {
    const tag = m.getUint16(0);
    if (tag === Msg.call) {
      const c = m.getStruct(0);
      const id = c.getUint32(0);
      const q = this.questions.get(id);
      if (q !== undefined) {
        this.questions.delete(id);
        this.questionIds.give(id);
        q.pending.fail(new RpcError('unimplemented', 'Peer does not implement Call.'));
      }
    }
    this.log.log('warning', `IPC peer did not implement message type ${MSG_NAMES[tag] ?? tag}`);
  }

  // ---- teardown --------------------------------------------------------------------------------------------

  private shutdown(err: Error): void {
    if (this.closedError !== null) return;
    this.closedError = err;
    this.runHandlers(this.closingFns, err);
    const questions = [...this.questions.values()];
    this.questions.clear();
    for (const q of questions) q.pending.fail(err);
    const answers = [...this.answers.values()];
    this.answers.clear();
    for (const a of answers) {
      a.call?.abort(err);
      a.error ??= err;
      const q = a.queued;
      a.queued = null;
      if (q !== null) for (const c of q) { c.settled = true; c.release(); }
      const promises = a.promiseHooks;
      a.promiseHooks = null;
      if (promises !== null) for (const h of promises) h.settle(new BrokenHook(err));
      for (const h of a.hooks) h?.decRef();
      a.hooks = [];
    }
    const exports = [...this.exports.values()];
    this.exports.clear();
    this.exportIdByHook.clear();
    for (const e of exports) e.hook.decRef();
    this.imports.clear();
    this.bootstrapHook?.decRef();
    this.bootstrapHook = null;
    this.runHandlers(this.disconnectFns, err);
    this.resolveClosed(err);
  }

  private runHandlers(list: ((err: Error) => void)[], err: Error): void {
    for (const f of list.splice(0)) {
      try { f(err); } catch (e) { this.log.log('error', `IPC disconnect handler failed: ${String(e)}`); }
    }
  }

  /** Numbers of table entries (for tests and leak checks). */
  stats(): { questions: number; answers: number; exports: number; imports: number } {
    return { questions: this.questions.size, answers: this.answers.size, exports: this.exports.size,
      imports: this.imports.size };
  }

  /**
   * The peer's calls still running here (not yet returned). Unlike stats().answers this leaves out answers that
   * returned and wait for the peer's Finish, which a client holding a pipelined capability may never send.
   */
  runningCalls(): number {
    let n = 0;
    for (const a of this.answers.values()) if (!a.returned) n++;
    return n;
  }
}

const NONE_DESC: Descriptor = { kind: 'none' };

/** Payload.content of a Return being built (its results), readable for pipelined calls. */
function resultsContent(mb: MessageBuilder): PointerReader {
  return mb.asReader().getRoot().getStruct(0).getStruct(0).getPointer(0);
}

/**
 * Why the stream ended, as calls see it. A socket error (ECONNRESET, EPIPE, ...) is a disconnect, as KJ reports it
 * (type DISCONNECTED), so callers can tell "the peer went away" from protocol failures (RpcError, MessageError).
 */
function closeReason(err: Error | null): Error {
  if (err === null) return new RpcError('disconnected', TEXT.disconnected);
  if (err instanceof RpcError || err instanceof MessageError) return err;
  return new RpcError('disconnected', err.message);
}

function sameTarget(a: Target, b: Target): boolean {
  if (a.kind === 'imported') return b.kind === 'imported' && a.id === b.id;
  if (b.kind !== 'answer' || a.questionId !== b.questionId || a.path.length !== b.path.length) return false;
  for (let i = 0; i < a.path.length; i++) if (a.path[i] !== b.path[i]) return false;
  return true;
}

/** Re-sends a call received for a capability that lives elsewhere (no third-party handoff, like libmultiprocess). */
function forwardCall(call: IncomingCall, hook: CapHook): void {
  const src = call.params;
  const req = new Request(hook, call.interfaceId, call.methodId, src.dataBytes >>> 3, src.ptrCount,
    256 + src.dataBytes);
  req.params.copyFrom(src);
  for (let i = 0; i < call.capHooks.length; i++) {
    const h = call.capHooks[i]!;
    req.caps.push(h === null ? null : h.addRef());
  }
  const pending = req.send((resp) => {
    const content = resp.content;
    if (!content.isNull() && content.pointerType() === 'struct') {
      const r = resp.results;
      call.initResults(r.dataBytes >>> 3, r.ptrCount).copyFrom(r);
    }
    for (const h of resp.hooks) call.resultCaps.push(h === null ? null : h.addRef());
  });
  pending.then(() => call.sink.returnResults(call), (e: unknown) => call.sink.returnError(call, e));
  // Our caller canceled (Finish, nothing pipelined on our answer): drop the forwarded call the same way.
  if (call.aborted) pending.cancel(call.abortReason);
  else call.signal.addEventListener('abort', () => pending.cancel(call.abortReason), { once: true });
}
