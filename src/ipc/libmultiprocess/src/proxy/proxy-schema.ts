// Hand-written codecs for include/mp/proxy.capnp (ThreadMap, Thread, Context): the runtime itself needs them.
import type { StructCodec, MethodSpec, InterfaceSpec, CapRef, ContextValue } from './spec.js';

export const THREAD_MAP_ID = 0xee5e37179ad9dc9dn;
export const THREAD_ID = 0x81c1e2600d0b56c5n;
export const CONTEXT_ID = 0x9c44e6645d0b22c6n;

function capOf(i: number | null): CapRef | null {
  return i === null ? null : { cap: i };
}

/** `Context` struct: 0 data words, 2 pointers (thread, callbackThread). */
export const ContextCodec: StructCodec<ContextValue> = {
  name: 'Context', dataWords: 0, ptrCount: 2,
  encode(b, v) {
    if (v.thread) b.setCapability(0, v.thread.cap);
    if (v.callbackThread) b.setCapability(1, v.callbackThread.cap);
  },
  decode(r) {
    return { thread: capOf(r.getCapability(0)), callbackThread: capOf(r.getCapability(1)) };
  },
};

const empty = (name: string): StructCodec<Record<string, never>> => ({
  name, dataWords: 0, ptrCount: 0, encode() {}, decode() { return {}; },
});

export const makeThread: MethodSpec<{ name: string }, { result: CapRef | null }> = {
  interfaceId: THREAD_MAP_ID, interfaceName: 'ThreadMap', methodId: 0, name: 'makeThread',
  params: {
    name: 'ThreadMap.makeThread$Params', dataWords: 0, ptrCount: 1,
    encode(b, v) { b.setText(0, v.name); },
    decode(r) { return { name: r.getText(0) }; },
  },
  results: {
    name: 'ThreadMap.makeThread$Results', dataWords: 0, ptrCount: 1,
    encode(b, v) { if (v.result) b.setCapability(0, v.result.cap); },
    decode(r) { return { result: capOf(r.getCapability(0)) }; },
  },
};

export const makePool: MethodSpec<{ count: number }, Record<string, never>> = {
  interfaceId: THREAD_MAP_ID, interfaceName: 'ThreadMap', methodId: 1, name: 'makePool',
  params: {
    name: 'ThreadMap.makePool$Params', dataWords: 1, ptrCount: 0,
    encode(b, v) { b.setUint32(0, v.count); },
    decode(r) { return { count: r.getUint32(0) }; },
  },
  results: empty('ThreadMap.makePool$Results'),
};

export const getName: MethodSpec<Record<string, never>, { result: string }> = {
  interfaceId: THREAD_ID, interfaceName: 'Thread', methodId: 0, name: 'getName',
  params: empty('Thread.getName$Params'),
  results: {
    name: 'Thread.getName$Results', dataWords: 0, ptrCount: 1,
    encode(b, v) { b.setText(0, v.result); },
    decode(r) { return { result: r.getText(0) }; },
  },
};

export const ThreadMapInterface: InterfaceSpec = { id: THREAD_MAP_ID, name: 'ThreadMap', methods: [makeThread, makePool] };
export const ThreadInterface: InterfaceSpec = { id: THREAD_ID, name: 'Thread', methods: [getName] };
