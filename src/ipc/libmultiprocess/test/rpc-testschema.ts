// A test-only schema written by hand the way mpgen would generate it: Init / Echo / Fn with Context methods.
//   interface Init  @0xc1d2e3f4a5b60701 { construct @0 (threadMap :Proxy.ThreadMap) -> (threadMap :Proxy.ThreadMap);
//                                         makeEcho @1 (context :Proxy.Context) -> (result :Echo); }
//   interface Echo  @0xc1d2e3f4a5b60702 { destroy @0 (context) -> (); echo @1 (context, echo :Text) -> (result :Text);
//                                         add @2 (a :Int32, b :Int32) -> (result :Int32);
//                                         wait @3 (context, ms :UInt32, tag :Text) -> (result :Text);
//                                         callback @4 (context, fn :Fn, x :Int32) -> (result :Int32); }
//   interface Fn    @0xc1d2e3f4a5b60703 { call @0 (context, x :Int32) -> (result :Int32); }
import {
  ContextCodec, ProxyClient, ProxyServer, ThreadHandle, type CapRef, type ContextValue, type Handler, type InterfaceSpec,
  type MethodSpec, type ProxyConnection, type ServerContext, type StructCodec, type Capability,
} from '../src/index.js';

export const INIT_ID = 0xc1d2e3f4a5b60701n;
export const ECHO_ID = 0xc1d2e3f4a5b60702n;
export const FN_ID = 0xc1d2e3f4a5b60703n;

function capOf(i: number | null): CapRef | null { return i === null ? null : { cap: i }; }
const ctxEncode = (b: Parameters<StructCodec['encode']>[0], v: ContextValue | undefined, i = 0): void => {
  if (v) ContextCodec.encode(b.initStruct(i, 0, 2), v);
};
const ctxDecode = (r: Parameters<StructCodec['decode']>[0], i = 0): ContextValue | undefined =>
  r.hasPointer(i) ? ContextCodec.decode(r.getStruct(i)) : undefined;

type Ctx = { context?: ContextValue };
const ctxOnly = (name: string): StructCodec<Ctx> => ({
  name, dataWords: 0, ptrCount: 1,
  encode(b, v) { ctxEncode(b, v.context); },
  decode(r) { return { context: ctxDecode(r) }; },
});
const none = (name: string): StructCodec<Record<string, never>> => ({
  name, dataWords: 0, ptrCount: 0, encode() {}, decode() { return {}; },
});
const capResult = (name: string): StructCodec<{ result: CapRef | null }> => ({
  name, dataWords: 0, ptrCount: 1,
  encode(b, v) { if (v.result) b.setCapability(0, v.result.cap); },
  decode(r) { return { result: capOf(r.getCapability(0)) }; },
});
const textResult = (name: string): StructCodec<{ result: string }> => ({
  name, dataWords: 0, ptrCount: 1,
  encode(b, v) { b.setText(0, v.result); },
  decode(r) { return { result: r.getText(0) }; },
});
const intResult = (name: string): StructCodec<{ result: number }> => ({
  name, dataWords: 1, ptrCount: 0,
  encode(b, v) { b.setInt32(0, v.result); },
  decode(r) { return { result: r.getInt32(0) }; },
});

export const Init_construct: MethodSpec<{ threadMap: CapRef | null }, { threadMap: CapRef | null }> = {
  interfaceId: INIT_ID, interfaceName: 'Init', methodId: 0, name: 'construct',
  params: { name: 'Init.construct$Params', dataWords: 0, ptrCount: 1,
    encode(b, v) { if (v.threadMap) b.setCapability(0, v.threadMap.cap); },
    decode(r) { return { threadMap: capOf(r.getCapability(0)) }; } },
  results: { name: 'Init.construct$Results', dataWords: 0, ptrCount: 1,
    encode(b, v) { if (v.threadMap) b.setCapability(0, v.threadMap.cap); },
    decode(r) { return { threadMap: capOf(r.getCapability(0)) }; } },
};
export const Init_makeEcho: MethodSpec<Ctx, { result: CapRef | null }> = {
  interfaceId: INIT_ID, interfaceName: 'Init', methodId: 1, name: 'makeEcho', contextField: 'context',
  params: ctxOnly('Init.makeEcho$Params'), results: capResult('Init.makeEcho$Results'),
};
export const Echo_destroy: MethodSpec<Ctx, Record<string, never>> = {
  interfaceId: ECHO_ID, interfaceName: 'Echo', methodId: 0, name: 'destroy', contextField: 'context',
  params: ctxOnly('Echo.destroy$Params'), results: none('Echo.destroy$Results'),
};
export const Echo_echo: MethodSpec<Ctx & { echo: string }, { result: string }> = {
  interfaceId: ECHO_ID, interfaceName: 'Echo', methodId: 1, name: 'echo', contextField: 'context',
  params: { name: 'Echo.echo$Params', dataWords: 0, ptrCount: 2,
    encode(b, v) { ctxEncode(b, v.context); b.setText(1, v.echo); },
    decode(r) { return { context: ctxDecode(r), echo: r.getText(1) }; } },
  results: textResult('Echo.echo$Results'),
};
export const Echo_add: MethodSpec<{ a: number; b: number }, { result: number }> = {
  interfaceId: ECHO_ID, interfaceName: 'Echo', methodId: 2, name: 'add',
  params: { name: 'Echo.add$Params', dataWords: 1, ptrCount: 0,
    encode(b, v) { b.setInt32(0, v.a); b.setInt32(1, v.b); },
    decode(r) { return { a: r.getInt32(0), b: r.getInt32(1) }; } },
  results: intResult('Echo.add$Results'),
};
export const Echo_wait: MethodSpec<Ctx & { ms: number; tag: string }, { result: string }> = {
  interfaceId: ECHO_ID, interfaceName: 'Echo', methodId: 3, name: 'wait', contextField: 'context',
  params: { name: 'Echo.wait$Params', dataWords: 1, ptrCount: 2,
    encode(b, v) { ctxEncode(b, v.context); b.setUint32(0, v.ms); b.setText(1, v.tag); },
    decode(r) { return { context: ctxDecode(r), ms: r.getUint32(0), tag: r.getText(1) }; } },
  results: textResult('Echo.wait$Results'),
};
export const Echo_callback: MethodSpec<Ctx & { fn: CapRef | null; x: number }, { result: number }> = {
  interfaceId: ECHO_ID, interfaceName: 'Echo', methodId: 4, name: 'callback', contextField: 'context',
  params: { name: 'Echo.callback$Params', dataWords: 1, ptrCount: 2,
    encode(b, v) { ctxEncode(b, v.context); if (v.fn) b.setCapability(1, v.fn.cap); b.setInt32(0, v.x); },
    decode(r) { return { context: ctxDecode(r), fn: capOf(r.getCapability(1)), x: r.getInt32(0) }; } },
  results: intResult('Echo.callback$Results'),
};
export const Fn_call: MethodSpec<Ctx & { x: number }, { result: number }> = {
  interfaceId: FN_ID, interfaceName: 'Fn', methodId: 0, name: 'call', contextField: 'context',
  params: { name: 'Fn.call$Params', dataWords: 1, ptrCount: 1,
    encode(b, v) { ctxEncode(b, v.context); b.setInt32(0, v.x); },
    decode(r) { return { context: ctxDecode(r), x: r.getInt32(0) }; } },
  results: intResult('Fn.call$Results'),
};

export const InitInterface: InterfaceSpec = { id: INIT_ID, name: 'Init', methods: [Init_construct, Init_makeEcho] };
export const EchoInterface: InterfaceSpec = {
  id: ECHO_ID, name: 'Echo', methods: [Echo_destroy, Echo_echo, Echo_add, Echo_wait, Echo_callback],
};
export const FnInterface: InterfaceSpec = { id: FN_ID, name: 'Fn', methods: [Fn_call] };

// ---- what generated clients would look like ----

export class FnClient extends ProxyClient {
  call(x: number): Promise<number> { return this.$call(Fn_call, { x }, null, (v) => v.result); }
}
export class EchoClient extends ProxyClient {
  echo(s: string): Promise<string> { return this.$call(Echo_echo, { echo: s }, null, (v) => v.result); }
  add(a: number, b: number): Promise<number> { return this.$call(Echo_add, { a, b }, null, (v) => v.result); }
  wait(ms: number, tag: string): Promise<string> { return this.$call(Echo_wait, { ms, tag }, null, (v) => v.result); }
  callback(fn: (x: number) => Promise<number> | number, x: number): Promise<number> {
    const server = new ProxyServer(FnInterface, this.$conn, { call: async (p: { x: number }) => ({ result: await fn(p.x) }) });
    return this.$call(Echo_callback, { fn: { cap: 0 }, x }, [server], (v) => v.result);
  }
  destroy(): Promise<void> { return this.$destroy(Echo_destroy); }
}
export class InitClient extends ProxyClient {
  makeEcho(): EchoClient {
    // Pipelined: the returned client is usable before makeEcho returns.
    const req = this.$cap.newCall(INIT_ID, 1, 0, 1);
    const lane = this.$conn.defaultThread();
    const t = req.addCap(lane.cap);
    const cb = req.addCap(this.$conn.callbackThread());
    Init_makeEcho.params.encode(req.params, { context: { thread: { cap: t! }, callbackThread: { cap: cb! } } });
    const pending = req.send(() => undefined);
    pending.then(undefined, () => undefined);
    return new EchoClient(pending.pipeline(0), this.$conn);
  }
  async makeEchoAwaited(): Promise<EchoClient> {
    return this.$call(Init_makeEcho, {}, null, (v, resp) => new EchoClient(resp.cap(v.result!.cap)!, this.$conn));
  }
}

// ---- what generated servers would be given ----

export interface EchoImplState {
  destroyed: number;
  signals: AbortSignal[];
  order: string[];
}

export function makeEchoServer(conn: ProxyConnection, state: EchoImplState): ProxyServer {
  const handlers: Record<string, Handler> = {
    echo: (p: { echo: string }) => {
      if (p.echo === 'throw') throw new Error('boom');
      return { result: p.echo };
    },
    add: (p: { a: number; b: number }) => ({ result: p.a + p.b }),
    wait: async (p: { ms: number; tag: string }, ctx: ServerContext) => {
      state.signals.push(ctx.signal);
      state.order.push(`start ${p.tag}`);
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(resolve, p.ms);
        ctx.signal.addEventListener('abort', () => { clearTimeout(t); reject(new Error('canceled')); });
      });
      state.order.push(`end ${p.tag}`);
      return { result: p.tag };
    },
    callback: async (p: { fn: CapRef; x: number }, ctx: ServerContext) => {
      const cap = ctx.cap(p.fn) as Capability;
      const fn = new FnClient(cap, ctx.connection);
      const cb = ctx.callbackThread();
      const viaLane = cb ? fn.withThread(new ThreadHandle(cb, 'callback')) : fn;
      const r = await viaLane.call(p.x);
      fn.release();
      return { result: r * 2 };
    },
  };
  return new ProxyServer(EchoInterface, conn, handlers, { onDestroy: () => { state.destroyed++; } });
}

export function makeInitServer(conn: ProxyConnection, state: EchoImplState): ProxyServer {
  return new ProxyServer(InitInterface, conn, {
    makeEcho: (_p: unknown, ctx: ServerContext) => ({ result: ctx.export(makeEchoServer(conn, state)) }),
  });
}
