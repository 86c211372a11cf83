// Helpers for the Finish / Release / cancellation tests: a test object with gated methods, a transport tap that
// records what a connection sends (and can hold back what it receives), and a raw peer that speaks hand-built frames.
import type net from 'node:net';
import {
  Capability, IncomingCall, MessageReader, RpcConnection, SocketTransport, decodeFrame, methodNotImplemented,
  type FrameTransport, type ServerTarget, type StructReader,
} from '../src/index.js';
import {
  Msg, Ret, beginCall, encodeBootstrap, encodeFinish, readCapTable, readException, writeCapTable, type Descriptor, type Target,
} from '../src/rpc/messages.js';
import { socketPair } from './rpc-helpers.js';

export const OBJ = 0x9e1f2a3b4c5d6e7fn;
// make @0 () -> (child :Obj)            waits for ctl.makeGate (if set), then returns a new child
// ping @1 (x :Int32) -> (y :Int32)      y = x + 1
// hold @2 () -> ()                      waits for ctl.holdGate or its AbortSignal
// useCap @3 (c :Obj) -> (y :Int32)      c.ping(1), once c has resolved
// dropCap @4 (c :Obj) -> ()             waits for ctl.dropGate without using c
// relay @5 () -> (c :Obj)               returns ctl.relay (a capability the test gives it)
export const M = { make: 0, ping: 1, hold: 2, useCap: 3, dropCap: 4, relay: 5 } as const;

/** A promise the test opens by hand. */
export class Gate {
  readonly promise: Promise<void>;
  open!: () => void;
  constructor() { this.promise = new Promise((r) => { this.open = r; }); }
}

/** What the test objects share: gates, the AbortSignals of started methods, every object made. */
export class Control {
  makeGate: Gate | null = null;
  holdGate = new Gate();
  dropGate = new Gate();
  relay: Capability | null = null;
  private readonly signals: [string, AbortSignal][] = [];
  readonly objects = new Map<string, Obj>();
  readonly events: string[] = [];
  /** Records the AbortSignal of a method that started (`what`: "<object>.<method>"). */
  started(what: string, signal: AbortSignal): void { this.signals.push([what, signal]); }
  /** The AbortSignal of the last `what` that started. */
  signal(what: string): AbortSignal {
    for (let i = this.signals.length - 1; i >= 0; i--) if (this.signals[i]![0] === what) return this.signals[i]![1];
    throw new Error(`${what} never started`);
  }
}

export class Obj implements ServerTarget {
  released = 0;
  constructor(readonly name: string, private readonly ctl: Control) { ctl.objects.set(name, this); }

  async dispatch(call: IncomingCall): Promise<void> {
    if (call.interfaceId !== OBJ) throw methodNotImplemented('Obj', call.interfaceId, call.methodId);
    const ctl = this.ctl;
    switch (call.methodId) {
      case M.make: {
        ctl.started(`${this.name}.make`, call.signal);
        await ctl.makeGate?.promise;
        // A method may finish its work although it was canceled (most do): the runtime then drops the results.
        const r = call.initResults(0, 1);
        r.setCapability(0, call.addCap(new Obj(`${this.name}.child${ctl.objects.size}`, ctl)));
        return;
      }
      case M.ping:
        ctl.events.push(`${this.name}: ping`);
        call.initResults(1, 0).setInt32(0, call.params.getInt32(0) + 1);
        return;
      case M.hold: {
        const signal = call.signal;
        ctl.started(`${this.name}.hold`, signal);
        ctl.events.push(`${this.name}: hold started`);
        await new Promise<void>((resolve, reject) => {
          void ctl.holdGate.promise.then(resolve);
          signal.addEventListener('abort', () => reject(signal.reason));
        });
        ctl.events.push(`${this.name}: hold returned`);
        return;
      }
      case M.useCap: {
        const c = call.cap(call.params.getCapability(0))!;
        try {
          await c.whenResolved();
          call.initResults(1, 0).setInt32(0, await ping(c, 1));
        } finally {
          c.release();
        }
        return;
      }
      case M.dropCap:
        await ctl.dropGate.promise;
        return;
      case M.relay:
        call.initResults(0, 1).setCapability(0, call.addCap(ctl.relay));
        return;
      default:
        throw methodNotImplemented('Obj', call.interfaceId, call.methodId);
    }
  }

  onRelease(): void {
    this.released++;
    this.ctl.events.push(`${this.name}: released`);
  }
}

export function ping(cap: Capability, x: number): Promise<number> {
  const req = cap.newCall(OBJ, M.ping, 1, 0);
  req.params.setInt32(0, x);
  return req.send((r) => r.results.getInt32(0));
}

/** One message a connection sent or received, reduced to what these tests look at. */
export interface Seen {
  type: string;
  /** question / answer id */
  id: number;
  /** Finish.releaseResultCaps */
  releaseResultCaps?: boolean;
  /** Return: results | exception | canceled */
  ret?: string;
  reason?: string;
}

const NAMES: Record<number, string> = {
  [Msg.call]: 'call', [Msg.return]: 'return', [Msg.finish]: 'finish', [Msg.release]: 'release',
  [Msg.bootstrap]: 'bootstrap', [Msg.abort]: 'abort',
};
const RET_NAMES: Record<number, string> = { [Ret.results]: 'results', [Ret.exception]: 'exception', [Ret.canceled]: 'canceled' };

export function describeMessage(root: StructReader): Seen {
  const tag = root.getUint16(0);
  const type = NAMES[tag] ?? String(tag);
  if (tag === Msg.abort) return { type, id: -1 };
  const body = root.getStruct(0);
  const seen: Seen = { type, id: body.getUint32(0) };
  if (tag === Msg.finish) seen.releaseResultCaps = body.getBool(32, true);
  if (tag === Msg.return) {
    const which = body.getUint16(3);
    seen.ret = RET_NAMES[which] ?? String(which);
    if (which === Ret.exception) seen.reason = readException(body.getStruct(0)).reason;
  }
  return seen;
}

/** Wraps a transport: records every message sent and received, and can hold back received ones. */
export class Tap implements FrameTransport {
  readonly sent: Seen[] = [];
  readonly received: Seen[] = [];
  private held: Uint8Array[][] | null = null;
  private onMessage: ((segments: Uint8Array[]) => void) | null = null;

  constructor(private readonly inner: FrameTransport) {}

  send(frame: Uint8Array): void {
    this.sent.push(describeMessage(decodeFrame(frame).getRoot()));
    this.inner.send(frame);
  }
  start(handlers: { onMessage(segments: Uint8Array[]): void; onClose(err: Error | null): void }): void {
    this.onMessage = (segments) => {
      handlers.onMessage(segments);
      this.received.push(describeMessage(new MessageReader(segments).getRoot()));
    };
    this.inner.start({
      onMessage: (segments) => { if (this.held !== null) this.held.push(segments); else this.onMessage!(segments); },
      onClose: (err) => handlers.onClose(err),
    });
  }
  close(err?: Error): void { this.inner.close(err); }

  /** Holds back received messages until `deliver()`. */
  hold(): void { this.held ??= []; }
  deliver(): void {
    const q = this.held ?? [];
    this.held = null;
    for (const s of q) this.onMessage!(s);
  }
  /** Number of held-back messages. */
  get heldCount(): number { return this.held?.length ?? 0; }
}

export interface TappedPair {
  client: RpcConnection;
  server: RpcConnection;
  clientTap: Tap;
  serverTap: Tap;
}

/** A client and a server RpcConnection over a socket pair, both tapped. */
export async function tappedPair(bootstrap: ServerTarget): Promise<TappedPair> {
  const [a, b] = await socketPair();
  const serverTap = new Tap(new SocketTransport(b));
  const clientTap = new Tap(new SocketTransport(a));
  const server = new RpcConnection(serverTap, { bootstrap });
  const client = new RpcConnection(clientTap, {});
  return { client, server, clientTap, serverTap };
}

/** A peer that writes hand-built frames and reads what comes back, message by message. */
export class RawPeer {
  private readonly inbox: StructReader[] = [];
  private waiter: (() => void) | null = null;
  private closed: Error | null = null;
  private readonly transport: SocketTransport;

  constructor(socket: net.Socket) {
    this.transport = new SocketTransport(socket);
    this.transport.start({
      onMessage: (segments) => { this.inbox.push(new MessageReader(segments).getRoot()); this.wake(); },
      onClose: (err) => { this.closed = err ?? new Error('closed'); this.wake(); },
    });
  }
  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  send(frame: Uint8Array): void { this.transport.send(frame); }
  close(): void { this.transport.close(); }

  /** The next message received. */
  async next(): Promise<StructReader> {
    while (this.inbox.length === 0) {
      if (this.closed !== null) throw this.closed;
      await new Promise<void>((r) => { this.waiter = r; });
    }
    return this.inbox.shift()!;
  }

  /** The next message, which must be the Return for `id`; with its cap table and results struct (if any). */
  async returnFor(id: number): Promise<Seen & { caps: Descriptor[]; results: StructReader | null }> {
    const root = await this.next();
    const seen = describeMessage(root);
    if (seen.type !== 'return' || seen.id !== id) throw new Error(`expected return ${id}, got ${JSON.stringify(seen)}`);
    if (seen.ret !== 'results') return { ...seen, caps: [], results: null };
    const payload = root.getStruct(0).getStruct(0);
    const content = payload.getPointer(0);
    const results = !content.isNull() && content.pointerType() === 'struct' ? content.getStruct() : null;
    return { ...seen, caps: readCapTable(payload), results };
  }

  /** A round trip on `target` (ping with a fresh question id): everything sent before it has been handled. */
  async sync(qid: number, target: Target): Promise<void> {
    this.call(qid, target, M.ping, { x: 0 });
    await this.returnFor(qid);
    this.send(encodeFinish(qid, true));
  }

  bootstrap(qid: number): void { this.send(encodeBootstrap(qid)); }

  /** Sends Call `qid` to Obj method `method` on `target`; `x` for ping, `cap` (a descriptor) for useCap/dropCap. */
  call(qid: number, target: Target, method: number, arg?: { x?: number; cap?: Descriptor }): void {
    const b = beginCall(target, OBJ, method, 1, 1, 128);
    b.call.setUint32(0, qid);
    if (arg?.x !== undefined) b.params.setInt32(0, arg.x);
    if (arg?.cap !== undefined) b.params.setCapability(0, 0);
    writeCapTable(b.payload, 1, arg?.cap !== undefined ? [arg.cap] : []);
    this.send(b.mb.toFrame());
  }
}

/** A server RpcConnection serving `bootstrap` to a RawPeer. */
export async function rawPair(bootstrap: ServerTarget): Promise<{ server: RpcConnection; serverTap: Tap; peer: RawPeer }> {
  const [a, b] = await socketPair();
  const serverTap = new Tap(new SocketTransport(b));
  const server = new RpcConnection(serverTap, { bootstrap });
  return { server, serverTap, peer: new RawPeer(a) };
}
