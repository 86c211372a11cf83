// Hand-written codec for capnp/rpc.capnp (Cap'n Proto 0.9.2 layout) on top of the message reader/builder.
// Offsets come from `capnp compile -ocapnp /usr/include/capnp/rpc.capnp`; the writer follows the canonical rule
// (pointer slots in order, depth-first).
import { ElementSize, MessageError } from '../message/layout.js';
import { MessageBuilder, type StructBuilder } from '../message/builder.js';
import type { ListReader, StructReader } from '../message/reader.js';

/** Message union tags. */
export const Msg = {
  unimplemented: 0, abort: 1, call: 2, return: 3, finish: 4, resolve: 5, release: 6, obsoleteSave: 7,
  bootstrap: 8, obsoleteDelete: 9, provide: 10, accept: 11, join: 12, disembargo: 13,
} as const;
export const MSG_NAMES = ['unimplemented', 'abort', 'call', 'return', 'finish', 'resolve', 'release',
  'obsoleteSave', 'bootstrap', 'obsoleteDelete', 'provide', 'accept', 'join', 'disembargo'];

/** Return union tags. */
export const Ret = { results: 0, exception: 1, canceled: 2, resultsSentElsewhere: 3, takeFromOtherQuestion: 4,
  acceptFromThirdParty: 5 } as const;

/** CapDescriptor union tags. */
export const Cap = { none: 0, senderHosted: 1, senderPromise: 2, receiverHosted: 3, receiverAnswer: 4,
  thirdPartyHosted: 5 } as const;

/** Exception.Type. */
export const ExceptionType = { failed: 0, overloaded: 1, disconnected: 2, unimplemented: 3 } as const;
export type ExceptionTypeName = 'failed' | 'overloaded' | 'disconnected' | 'unimplemented';
export const EXCEPTION_TYPE_NAMES: readonly ExceptionTypeName[] = ['failed', 'overloaded', 'disconnected',
  'unimplemented'];

// Struct sizes (data words, pointers).
export const SIZE = {
  Message: [1, 1], Bootstrap: [1, 1], Call: [3, 3], Return: [2, 1], Finish: [1, 0], Resolve: [1, 1],
  Release: [1, 0], Disembargo: [1, 1], MessageTarget: [1, 1], Payload: [0, 2], CapDescriptor: [1, 1],
  PromisedAnswer: [1, 1], Op: [1, 0], Exception: [1, 2],
} as const;

/** Where a call goes: an imported capability, or a capability inside a (pending) answer. */
export type Target =
  | { readonly kind: 'imported'; readonly id: number }
  | { readonly kind: 'answer'; readonly questionId: number; readonly path: readonly number[] };

/** A decoded CapDescriptor. */
export type Descriptor =
  | { readonly kind: 'none' }
  | { readonly kind: 'senderHosted' | 'senderPromise' | 'receiverHosted'; readonly id: number }
  | { readonly kind: 'receiverAnswer'; readonly questionId: number; readonly path: readonly number[] }
  | { readonly kind: 'thirdPartyHosted' };

const NONE: Descriptor = { kind: 'none' };
const NO_PATH: readonly number[] = [];

/** A builder for one outgoing message, with its root Message struct. */
export function newMessage(tag: number, initialBytes = 128): { mb: MessageBuilder; body: StructBuilder; bodyIdx: 0 } {
  const mb = new MessageBuilder(initialBytes);
  const root = mb.initRoot(1, 1);
  root.setUint16(0, tag);
  return { mb, body: root, bodyIdx: 0 };
}

function writePromisedAnswer(pa: StructBuilder, questionId: number, path: readonly number[]): void {
  pa.setUint32(0, questionId);
  if (path.length === 0) {
    pa.initStructList(0, 0, 1, 0); // C++ always writes the (possibly empty) transform list
    return;
  }
  const ops = pa.initStructList(0, path.length, 1, 0);
  for (let i = 0; i < path.length; i++) {
    const op = ops.getStruct(i);
    op.setUint16(0, 1); // getPointerField
    op.setUint16(1, path[i]!);
  }
}

/** Writes a MessageTarget into pointer `idx` of `parent`. */
export function writeTarget(parent: StructBuilder, idx: number, t: Target): void {
  const mt = parent.initStruct(idx, 1, 1);
  if (t.kind === 'imported') {
    mt.setUint32(0, t.id);
  } else {
    mt.setUint16(2, 1);
    writePromisedAnswer(mt.initStruct(0, 1, 1), t.questionId, t.path);
  }
}

/**
 * Most elements a cap table or transform may have when they take less than a word each. A VOID (or zero-sized
 * struct) list costs nothing on the wire, so a ~40-byte message could otherwise claim 8 Mi descriptors and make
 * us build them all (~250 ms of CPU and ~128 MB). Real encoders write full-size structs, which the traversal
 * limit already bounds by the message's own size; no real message has more than a few such elements.
 */
export const MAX_SUBWORD_ELEMENTS = 64;

/** Throws (closing the connection as any malformed message) when `list` amplifies work past the bound above. */
function checkAmplification(list: ListReader, what: string): void {
  if (list.stepBits < 64 && list.length > MAX_SUBWORD_ELEMENTS) {
    throw new MessageError(`${what} of ${list.length} elements of ${list.stepBits} bits each exceeds the limit of ` +
      `${MAX_SUBWORD_ELEMENTS} elements smaller than a word.`);
  }
}

export function readPath(list: ListReader): number[] {
  checkAmplification(list, 'PromisedAnswer.transform');
  const n = list.length;
  const path: number[] = [];
  for (let i = 0; i < n; i++) {
    const op = list.getStruct(i);
    if (op.getUint16(0) === 1) path.push(op.getUint16(1));
  }
  return path;
}

/** Reads a MessageTarget; null if it uses an unknown union member. */
export function readTarget(mt: StructReader): Target | null {
  const tag = mt.getUint16(2);
  if (tag === 0) return { kind: 'imported', id: mt.getUint32(0) };
  if (tag !== 1) return null;
  const pa = mt.getStruct(0);
  const list = pa.getList(0, ElementSize.INLINE_COMPOSITE);
  return { kind: 'answer', questionId: pa.getUint32(0), path: list.length ? readPath(list) : NO_PATH };
}

/** Writes a cap table (List(CapDescriptor)) into pointer `idx` of `payload`. */
export function writeCapTable(payload: StructBuilder, idx: number, caps: readonly Descriptor[]): void {
  const list = payload.initStructList(idx, caps.length, 1, 1);
  for (let i = 0; i < caps.length; i++) {
    const d = caps[i]!;
    const s = list.getStruct(i);
    switch (d.kind) {
      case 'none': break;
      case 'senderHosted': s.setUint16(0, Cap.senderHosted); s.setUint32(1, d.id); break;
      case 'senderPromise': s.setUint16(0, Cap.senderPromise); s.setUint32(1, d.id); break;
      case 'receiverHosted': s.setUint16(0, Cap.receiverHosted); s.setUint32(1, d.id); break;
      case 'receiverAnswer':
        s.setUint16(0, Cap.receiverAnswer);
        writePromisedAnswer(s.initStruct(0, 1, 1), d.questionId, d.path);
        break;
      case 'thirdPartyHosted': break;
    }
    s.setUint8(2, 255, 255); // attachedFd = 255 (none): stored XORed with its default, i.e. 0
  }
}

export function readDescriptor(s: StructReader): Descriptor {
  switch (s.getUint16(0)) {
    case Cap.senderHosted: return { kind: 'senderHosted', id: s.getUint32(1) };
    case Cap.senderPromise: return { kind: 'senderPromise', id: s.getUint32(1) };
    case Cap.receiverHosted: return { kind: 'receiverHosted', id: s.getUint32(1) };
    case Cap.receiverAnswer: {
      const pa = s.getStruct(0);
      return { kind: 'receiverAnswer', questionId: pa.getUint32(0), path: readPath(pa.getList(0, ElementSize.INLINE_COMPOSITE)) };
    }
    case Cap.thirdPartyHosted: return { kind: 'thirdPartyHosted' };
    default: return NONE;
  }
}

export function readCapTable(payload: StructReader): Descriptor[] {
  const list = payload.getList(1, ElementSize.INLINE_COMPOSITE);
  checkAmplification(list, 'Payload.capTable');
  const out: Descriptor[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) out[i] = readDescriptor(list.getStruct(i));
  return out;
}

/** Writes an Exception struct into pointer `idx`. */
export function writeException(parent: StructBuilder, idx: number, reason: string, type: number): void {
  const ex = parent.initStruct(idx, 1, 2);
  ex.setText(0, reason);
  ex.setUint16(2, type);
}

export function readException(ex: StructReader): { reason: string; type: ExceptionTypeName } {
  const t = ex.getUint16(2);
  return { reason: ex.getText(0), type: EXCEPTION_TYPE_NAMES[t] ?? 'failed' };
}

export function encodeBootstrap(questionId: number): Uint8Array {
  const { mb, body } = newMessage(Msg.bootstrap, 16);
  body.initStruct(0, 1, 1).setUint32(0, questionId);
  return mb.toFrame();
}

export function encodeFinish(questionId: number, releaseResultCaps: boolean): Uint8Array {
  const { mb, body } = newMessage(Msg.finish, 16);
  const f = body.initStruct(0, 1, 0);
  f.setUint32(0, questionId);
  f.setBool(32, releaseResultCaps, true);
  return mb.toFrame();
}

export function encodeRelease(id: number, referenceCount: number): Uint8Array {
  const { mb, body } = newMessage(Msg.release, 16);
  const r = body.initStruct(0, 1, 0);
  r.setUint32(0, id);
  r.setUint32(1, referenceCount);
  return mb.toFrame();
}

export function encodeAbort(reason: string, type: number): Uint8Array {
  const { mb, body } = newMessage(Msg.abort, 64 + reason.length);
  writeException(body, 0, reason, type);
  return mb.toFrame();
}

/** Return with an exception (or `canceled` when reason is null). */
export function encodeReturnException(answerId: number, releaseParamCaps: boolean, reason: string | null,
  type: number): Uint8Array {
  const { mb, body } = newMessage(Msg.return, 64 + (reason?.length ?? 0));
  const r = body.initStruct(0, 2, 1);
  r.setUint32(0, answerId);
  r.setBool(32, releaseParamCaps, true);
  if (reason === null) {
    r.setUint16(3, Ret.canceled);
  } else {
    r.setUint16(3, Ret.exception);
    writeException(r, 0, reason, type);
  }
  return mb.toFrame();
}

/** Disembargo reply for a senderLoopback request. */
export function encodeDisembargoLoopback(target: Target, embargoId: number): Uint8Array {
  const { mb, body } = newMessage(Msg.disembargo, 64);
  const d = body.initStruct(0, 1, 1);
  writeTarget(d, 0, target);
  d.setUint16(2, 1); // receiverLoopback
  d.setUint32(0, embargoId);
  return mb.toFrame();
}

/** `unimplemented` echoing a received message back. */
export function encodeUnimplemented(original: StructReader): Uint8Array {
  const { mb, body } = newMessage(Msg.unimplemented, 128);
  body.setStruct(0, original);
  return mb.toFrame();
}

/**
 * Starts a Call message: writes target (ptr 0) and allocates params content (ptr 1 → Payload.content) so the
 * caller can fill params; the cap table (Payload ptr 1) is written at send time, after the content.
 */
export function beginCall(target: Target | null, interfaceId: bigint, methodId: number, dataWords: number,
  ptrCount: number, initialBytes: number): { mb: MessageBuilder; call: StructBuilder; payload: StructBuilder;
  params: StructBuilder } {
  const { mb, body } = newMessage(Msg.call, initialBytes);
  const call = body.initStruct(0, 3, 3);
  call.setUint64(1, interfaceId);
  call.setUint16(2, methodId);
  // A local call has no wire target; keep a zero MessageTarget so the layout stays canonical.
  writeTarget(call, 0, target ?? { kind: 'imported', id: 0 });
  const payload = call.initStruct(1, 0, 2);
  const params = payload.initStruct(0, dataWords, ptrCount);
  return { mb, call, payload, params };
}

/** Starts a Return message with results; the content struct is allocated by the caller via `payload`. */
export function beginReturn(answerId: number, releaseParamCaps: boolean, initialBytes: number): {
  mb: MessageBuilder; ret: StructBuilder; payload: StructBuilder } {
  const { mb, body } = newMessage(Msg.return, initialBytes);
  const ret = body.initStruct(0, 2, 1);
  ret.setUint32(0, answerId);
  ret.setBool(32, releaseParamCaps, true);
  const payload = ret.initStruct(0, 0, 2);
  return { mb, ret, payload };
}
