// The hook behind each capability reference (local server, broken; imports and promises live with their
// owners) and the routing decision every call makes.
import type { Target } from './messages.js';
import { RpcError, TEXT } from './errors.js';
import type { IncomingCall, PendingCall, PromiseHook, Request } from './call.js';

/** An object that can receive calls: implemented by generated servers (ProxyServer) and by tests. */
export interface ServerTarget {
  dispatch(call: IncomingCall): void | Promise<void>;
  /** Called once no Capability handle and no connection export refers to this object any more. */
  onRelease?(): void;
}

/** The connection side of routing (implemented by RpcConnection); kept abstract to avoid an import cycle. */
export interface CallSender {
  sendCall(req: Request, target: Target, pending: PendingCall<unknown>): void;
  /** The wire target for a promise on this connection's outstanding question, or null once it returned. */
  remoteTarget(p: PromiseHook): Target | null;
}

/** Where a call on a hook goes right now. */
export type Route =
  | { readonly kind: 'remote'; readonly conn: CallSender; readonly target: Target }
  | { readonly kind: 'local'; readonly server: ServerTarget }
  | { readonly kind: 'broken'; readonly error: Error }
  | { readonly kind: 'wait'; readonly ready: Promise<unknown> };

/** The shared state behind Capability handles. `refs` counts handles and table entries holding it. */
export abstract class CapHook {
  refs = 0;
  abstract route(): Route;
  /** The hook a resolved promise now stands for (itself for non-promises). */
  resolved(): CapHook { return this; }
  whenResolved(): Promise<void> { return Promise.resolve(); }
  addRef(): this { this.refs++; return this; }
  decRef(): void {
    if (--this.refs === 0) this.disposed();
  }
  /** Last reference gone. */
  protected abstract disposed(): void;
}

const HOOK = Symbol('libmultiprocess.localHook');

/** A capability hosted in this process. One hook per ServerTarget object, so exports keep a stable id. */
export class LocalHook extends CapHook {
  private readonly localRoute: Route;
  constructor(readonly server: ServerTarget) {
    super();
    this.localRoute = { kind: 'local', server };
  }
  static of(server: ServerTarget): LocalHook {
    const holder = server as ServerTarget & { [HOOK]?: LocalHook };
    let hook = holder[HOOK];
    if (hook === undefined || hook.refs === 0) {
      hook = new LocalHook(server);
      Object.defineProperty(holder, HOOK, { value: hook, writable: true, configurable: true, enumerable: false });
    }
    return hook;
  }
  route(): Route { return this.localRoute; }
  protected disposed(): void {
    const holder = this.server as ServerTarget & { [HOOK]?: LocalHook };
    if (holder[HOOK] === this) holder[HOOK] = undefined;
    this.server.onRelease?.();
  }
}

/** A capability whose calls all fail (null capability, disconnected import, failed promise). */
export class BrokenHook extends CapHook {
  private readonly brokenRoute: Route;
  constructor(readonly error: Error) {
    super();
    this.brokenRoute = { kind: 'broken', error };
  }
  route(): Route { return this.brokenRoute; }
  protected disposed(): void {}
}

export function nullCapError(): RpcError {
  return new RpcError('failed', TEXT.nullCap);
}
