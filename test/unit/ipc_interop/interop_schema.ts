// TypeScript side of test/ipc/interop_test.capnp, written with the runtime's lower-level API because mpgen does not
// generate servers of derived interfaces (TestInit extends Init). schema_ids.test.ts checks the ids against capnp.
import {
  ContextCodec, ProxyClient, ProxyServer, ThreadHandle, type CapRef, type Capability, type ContextValue,
  type IncomingCall, type InterfaceSpec, type MethodSpec, type ProxyConnection, type ServerTarget, type StructCodec,
} from '@smithcoin/libmultiprocess';
import type { Init as InitApi } from '../../../src/interfaces/init.js';
import { Init, InitClient, InitServer } from '../../../src/ipc/capnp/init.capnp.js';

export const INTEROP_FILE_ID = 0xd67798f5d095c9acn;
export const TEST_INIT_ID = 0xd9b60e4b1af67871n;
export const CALLBACK_ID = 0x8ffa4bd8ae58bb94n;
export const CALLBACK_TEST_ID = 0xa6b76639a00de3fbn;

/** One pointer field of a params/results struct, in slot order: its kind and name. */
export type Field = readonly ['context' | 'text' | 'cap', string];
type Value = Record<string, unknown>;
/** A codec that also lists its fields (schema_ids.test.ts compares them with the schema). */
export type PointerStructCodec = StructCodec<Value> & { readonly fields: readonly Field[] };

/** A codec for a struct made only of pointer fields (slot i = fields[i]), as all of this schema's structs are. */
function pointerStruct(name: string, fields: readonly Field[]): PointerStructCodec {
  return {
    name, dataWords: 0, ptrCount: fields.length, fields,
    encode(b, v) {
      fields.forEach(([kind, key], i) => {
        const x = v[key];
        if (x === undefined || x === null) return;
        if (kind === 'context') ContextCodec.encode(b.initStruct(i, ContextCodec.dataWords, ContextCodec.ptrCount), x as ContextValue);
        else if (kind === 'text') b.setText(i, x as string);
        else b.setCapability(i, (x as CapRef).cap);
      });
    },
    decode(r) {
      const v: Value = {};
      fields.forEach(([kind, key], i) => {
        if (kind === 'text') v[key] = r.getText(i);
        else if (!r.hasPointer(i)) return;
        else if (kind === 'context') v[key] = ContextCodec.decode(r.getStruct(i));
        else { const c = r.getCapability(i); v[key] = c === null ? null : { cap: c }; }
      });
      return v;
    },
  };
}

function method(iface: string, interfaceId: bigint, methodId: number, name: string, params: readonly Field[],
  results: readonly Field[]): MethodSpec<Value, Value> & { params: PointerStructCodec; results: PointerStructCodec } {
  const hasContext = params.some(([kind]) => kind === 'context');
  return {
    interfaceId, interfaceName: iface, methodId, name,
    params: pointerStruct(`${iface}.${name}$Params`, params),
    results: pointerStruct(`${iface}.${name}$Results`, results),
    ...(hasContext ? { contextField: 'context' } : {}),
  };
}

const CTX: Field = ['context', 'context'];
const RESULT_TEXT: Field = ['text', 'result'];
const RESULT_CAP: Field = ['cap', 'result'];

export const CallbackSpec = {
  id: CALLBACK_ID, name: 'Callback',
  methods: [
    method('Callback', CALLBACK_ID, 0, 'destroy', [CTX], []),
    method('Callback', CALLBACK_ID, 1, 'call', [CTX, ['text', 'value']], [RESULT_TEXT]),
  ],
} as const satisfies InterfaceSpec;

export const CallbackTestSpec = {
  id: CALLBACK_TEST_ID, name: 'CallbackTest',
  methods: [
    method('CallbackTest', CALLBACK_TEST_ID, 0, 'destroy', [CTX], []),
    method('CallbackTest', CALLBACK_TEST_ID, 1, 'callBack', [CTX, ['cap', 'callback'], ['text', 'value']], [RESULT_TEXT]),
    method('CallbackTest', CALLBACK_TEST_ID, 2, 'fail', [CTX, ['text', 'message']], []),
  ],
} as const satisfies InterfaceSpec;

export const TestInitSpec = {
  id: TEST_INIT_ID, name: 'TestInit',
  methods: [method('TestInit', TEST_INIT_ID, 0, 'makeCallbackTest', [CTX], [RESULT_CAP])],
  extends: [Init],
} as const satisfies InterfaceSpec;

// ---- the API (what local implementations provide) ---------------------------------------------------------------

/** A std::function<std::string(std::string)>-style capability. */
export interface Callback {
  call(value: string): Promise<string>;
  destroy(): Promise<void>;
}

export interface CallbackTest {
  /** Calls `callback.call(value)` and returns what it answered. */
  callBack(callback: Callback, value: string): Promise<string>;
  /** Throws Error(message). */
  fail(message: string): Promise<void>;
  destroy(): Promise<void>;
}

export interface TestInit extends InitApi {
  makeCallbackTest(): Promise<CallbackTest | null>;
}

// ---- clients ------------------------------------------------------------------------------------------------------

export class CallbackClient extends ProxyClient implements Callback {
  call(value: string): Promise<string> {
    return this.$call(CallbackSpec.methods[1], { value }, null, (v) => v['result'] as string);
  }
  destroy(): Promise<void> { return this.$destroy(CallbackSpec.methods[0]); }
}

export class CallbackTestClient extends ProxyClient implements CallbackTest {
  callBack(callback: Callback, value: string): Promise<string> {
    const cap = callback instanceof ProxyClient ? callback.$cap : new CallbackServer(this.$conn, callback);
    return this.$call(CallbackTestSpec.methods[1], { callback: { cap: 0 }, value }, [cap], (v) => v['result'] as string);
  }
  fail(message: string): Promise<void> {
    return this.$call(CallbackTestSpec.methods[2], { message }, null, () => undefined);
  }
  destroy(): Promise<void> { return this.$destroy(CallbackTestSpec.methods[0]); }
}

export class TestInitClient extends InitClient {
  makeCallbackTest(): Promise<CallbackTestClient | null> {
    return this.$call(TestInitSpec.methods[0], {}, null, (v, resp) => {
      const cap = resp.cap((v['result'] as CapRef | undefined)?.cap ?? null);
      return cap === null ? null : new CallbackTestClient(cap, this.$conn);
    });
  }
}

// ---- servers ------------------------------------------------------------------------------------------------------

export class CallbackServer extends ProxyServer {
  constructor(conn: ProxyConnection, impl: Callback) {
    super(CallbackSpec, conn, {
      call: async (p: Value) => ({ result: await impl.call(p['value'] as string) }),
    }, { onDestroy: () => impl.destroy() });
  }
}

export class CallbackTestServer extends ProxyServer {
  constructor(conn: ProxyConnection, impl: CallbackTest) {
    super(CallbackTestSpec, conn, {
      callBack: async (p: Value, ctx) => {
        const cap = ctx.cap(p['callback'] as CapRef | undefined);
        if (cap === null) throw new Error('callBack called without a callback');
        const client = new CallbackClient(cap, ctx.connection);
        // Like a libmultiprocess server: run the callback on the thread the caller is blocked on.
        const thread: Capability | null = ctx.callbackThread();
        const view = thread === null ? client : client.withThread(new ThreadHandle(thread, 'callbackThread'));
        try {
          return { result: await impl.callBack(view, p['value'] as string) };
        } finally {
          client.release();
        }
      },
      fail: async (p: Value) => { await impl.fail(p['message'] as string); return {}; },
    }, { onDestroy: () => impl.destroy() });
  }
}

/**
 * Serves a TestInit: its own method (makeCallbackTest) here, everything inherited from Init (construct included) by
 * the generated InitServer, chosen by the call's interface id as Cap'n Proto dispatches inherited methods.
 */
export class TestInitServer implements ServerTarget {
  private readonly init: InitServer;
  private readonly own: ProxyServer;

  constructor(conn: ProxyConnection, impl: TestInit) {
    this.init = new InitServer(conn, impl);
    this.own = new ProxyServer(TestInitSpec, conn, {
      makeCallbackTest: async (_p: Value, ctx) => {
        const r = await impl.makeCallbackTest();
        return { result: ctx.export(r === null ? null : r instanceof ProxyClient ? r.$cap : new CallbackTestServer(conn, r)) };
      },
    });
  }

  dispatch(call: IncomingCall): void | Promise<void> {
    return call.interfaceId === TEST_INIT_ID ? this.own.dispatch(call) : this.init.dispatch(call);
  }

  onRelease(): void {
    this.own.onRelease();
    this.init.onRelease();
  }
}
