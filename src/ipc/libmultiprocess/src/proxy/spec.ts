// The shapes generated code hands to the runtime: struct codecs, method and interface descriptions.
import type { StructBuilder } from '../message/builder.js';
import type { StructReader } from '../message/reader.js';
import type { CapnpSchema } from '../codec/select.js';

/** Encodes/decodes one struct type in the value representation (caps as `{ cap: index }`). */
export interface StructCodec<T = unknown> {
  /** Display name used in log lines, e.g. `Echo.echo$Params`. */
  readonly name: string;
  readonly dataWords: number;
  readonly ptrCount: number;
  encode(b: StructBuilder, value: T): void;
  decode(r: StructReader): T;
}

/** One method of an interface. */
export interface MethodSpec<P = any, R = any> {
  readonly interfaceId: bigint;
  /** Interface display name for logs ("Echo"). */
  readonly interfaceName: string;
  readonly methodId: number;
  readonly name: string;
  readonly params: StructCodec<P>;
  readonly results: StructCodec<R>;
  /** Name of the `context :Proxy.Context` parameter, when the method has one. */
  readonly contextField?: string;
  /** The schema (set by mpgen): lets a connection swap in the native codec for this method. */
  readonly schema?: CapnpSchema;
}

/** An interface: its own methods plus the interfaces it extends (whose methods keep their own interface id). */
export interface InterfaceSpec {
  readonly id: bigint;
  readonly name: string;
  readonly methods: readonly MethodSpec[];
  readonly extends?: readonly InterfaceSpec[];
}

/** A capability in the value representation. */
export interface CapRef {
  cap: number;
}

/** The value representation of `Proxy.Context`. */
export interface ContextValue {
  thread: CapRef | null;
  callbackThread: CapRef | null;
}

/** Every method of an interface including inherited ones, keyed by `interfaceId:methodId`. */
export function methodTable(iface: InterfaceSpec): Map<string, MethodSpec> {
  const out = new Map<string, MethodSpec>();
  const visit = (i: InterfaceSpec): void => {
    for (const m of i.methods) {
      const key = methodKey(m.interfaceId, m.methodId);
      if (!out.has(key)) out.set(key, m);
    }
    for (const p of i.extends ?? []) visit(p);
  };
  visit(iface);
  return out;
}

export function methodKey(interfaceId: bigint, methodId: number): string {
  return `${interfaceId}:${methodId}`;
}
