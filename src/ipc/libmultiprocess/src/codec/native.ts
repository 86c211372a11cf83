// Loads the native Cap'n Proto codec (capnp.node, built against the real libcapnp) and adapts it to the runtime.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageBuilder, decodeFrame, type StructBuilder, type StructReader } from '../message/index.js';

/**
 * Type of the AnyPointers a message does not type itself (see README.md): a struct type id, or a function
 * giving the results type of the question a `Return` answers.
 */
export type AnyPointerHint = bigint | ((answerId: number) => bigint | undefined) | undefined;

/** A decoded or to-be-encoded struct in the shared value representation. */
export type StructValue = Record<string, unknown>;

/** A compiled encoder of one struct type (see `NativeCodec.encoder`). */
export interface NativeEncoder {
  /** The framed message (a view into a shared 64 KiB slab for small frames, like Node's Buffer pool). */
  encode(value: object): Uint8Array;
  /** Writes the framed message at `target[offset..]`: the byte count, or -(bytes needed) if it does not fit. */
  encodeInto(value: object, target: Uint8Array, offset?: number): number;
}

/** The addon's own class (capnp.node exports `Codec`). */
interface AddonCodec {
  load(request: Uint8Array): number;
  encode(typeId: bigint, value: object): Uint8Array;
  encoder(typeId: bigint): NativeEncoder;
  decode(typeId: bigint, frame: Uint8Array, hint?: AnyPointerHint): StructValue;
  findType(displayName: string): bigint | undefined;
  methodTypes(interfaceId: bigint, methodId: number): { params: bigint; results: bigint } | undefined;
}
interface Addon {
  Codec: new () => AddonCodec;
}

/** What a struct codec needs to know about its struct (generated codecs have these fields). */
export interface StructSpec {
  readonly typeId: bigint;
  readonly name: string;
  readonly dataWords: number;
  readonly ptrCount: number;
}

/** Same shape as the runtime's per-struct codecs, so a native one can stand in for a generated one. */
export interface NativeStructCodec<T> extends StructSpec {
  encode(b: StructBuilder, value: T): void;
  decode(r: StructReader): T;
}

/** File name of the addon; the build writes it to `<js root>/native/`. */
export const NATIVE_CODEC_FILE = 'capnp.node';

/** Environment variable naming the addon explicitly (overrides the search). */
export const NATIVE_CODEC_ENV = 'MP_NATIVE_CODEC';

/** One schema set and its caches: load every schema the messages use before encoding or decoding them. */
export class NativeCodec {
  private readonly encoders = new Map<bigint, NativeEncoder>();

  private constructor(
    private readonly codec: AddonCodec,
    /** Path of the addon this codec comes from. */
    readonly addonPath: string,
  ) {}

  /** Opens the addon at `file` (throws if it cannot be loaded). */
  static open(file: string): NativeCodec {
    const require = createRequire(import.meta.url);
    const addon = require(path.resolve(file)) as Addon;
    return new NativeCodec(new addon.Codec(), path.resolve(file));
  }

  /** Loads every node of a CodeGeneratorRequest (`capnp compile -o- file.capnp`); returns the node count. */
  load(request: Uint8Array): number {
    return this.codec.load(request);
  }

  /** Encodes `value` as a struct of type `typeId`: one framed, single-segment message. */
  encode(typeId: bigint, value: object): Uint8Array {
    return this.encoder(typeId).encode(value);
  }

  /** Writes the framed message at `target[offset..]`: the byte count, or -(bytes needed) if it does not fit. */
  encodeInto(typeId: bigint, value: object, target: Uint8Array, offset = 0): number {
    return this.encoder(typeId).encodeInto(value, target, offset);
  }

  /** The compiled encoder of a struct type (made once; the hot path keeps it instead of looking it up). */
  encoder(typeId: bigint): NativeEncoder {
    let e = this.encoders.get(typeId);
    if (e === undefined) {
      e = this.codec.encoder(typeId);
      this.encoders.set(typeId, e);
    }
    return e;
  }

  /** Decodes a framed message whose root is a struct of type `typeId`. */
  decode<T = StructValue>(typeId: bigint, frame: Uint8Array, hint?: AnyPointerHint): T {
    return this.codec.decode(typeId, frame, hint) as T;
  }

  /** Id of a loaded type by its display name, e.g. `capnp/rpc.capnp:Message` or `echo.capnp:Echo.echo$Params`. */
  findType(displayName: string): bigint | undefined {
    return this.codec.findType(displayName);
  }

  /** Params and results struct ids of a loaded interface method. */
  methodTypes(interfaceId: bigint, methodId: number): { params: bigint; results: bigint } | undefined {
    return this.codec.methodTypes(interfaceId, methodId);
  }

  /**
   * A per-struct codec with the runtime's `encode(builder, value)` / `decode(reader)` shape. Encoding splices
   * the natively built struct into the builder without re-encoding it when the builder's struct is the last
   * thing allocated (the usual case for call params and results); otherwise it deep-copies.
   */
  structCodec<T>(spec: StructSpec): NativeStructCodec<T> {
    const codec = this.codec;
    const { typeId, dataWords, ptrCount } = spec;
    const encoder = this.encoder(typeId);
    return {
      typeId,
      name: spec.name,
      dataWords,
      ptrCount,
      encode(b: StructBuilder, value: T): void {
        const frame = encoder.encode(value as object);
        if (!spliceRoot(b, frame, dataWords, ptrCount)) b.copyFrom(decodeFrame(frame).getRoot());
      },
      decode(r: StructReader): T {
        const mb = new MessageBuilder();
        mb.setRoot(r);
        return codec.decode(typeId, mb.toFrame()) as T;
      },
    };
  }
}

/**
 * Copies a native single-segment message into `b` when `b` ends its segment: the root struct lands on `b` and
 * its children right after it, so every relative pointer stays valid. Returns false when that is not possible.
 */
function spliceRoot(b: StructBuilder, frame: Uint8Array, dataWords: number, ptrCount: number): boolean {
  const arena = b.arena;
  const size = dataWords + ptrCount;
  if (b.dataWords !== dataWords || b.ptrCount !== ptrCount || b.dataOff + size * 8 !== arena.end) return false;
  const header = new DataView(frame.buffer, frame.byteOffset, 8);
  if (header.getUint32(0, true) !== 0) return false; // not single-segment
  const words = header.getUint32(4, true);
  if (size === 0) return words === 1; // a zero-sized struct has no children to copy
  arena.alloc(words - 1 - size);
  arena.buf.set(frame.subarray(16, 8 + words * 8), b.dataOff);
  return true;
}

/** Directories from `start` up to the file system root. */
function ancestors(start: string): string[] {
  const out: string[] = [];
  let dir = path.resolve(start);
  for (;;) {
    out.push(dir);
    const parent = path.dirname(dir);
    if (parent === dir) return out;
    dir = parent;
  }
}

/**
 * Path of the addon, or null if it was not built. Order: `options.path`, `$MP_NATIVE_CODEC`, then
 * `native/capnp.node` or `js/native/capnp.node` in the ancestors of this module and of the main script
 * (so both `<build>/js/...` and the package inside the build tree find `<build>/js/native/capnp.node`).
 */
export function findNativeCodec(options: { path?: string } = {}): string | null {
  const explicit = options.path ?? process.env[NATIVE_CODEC_ENV];
  if (explicit) return fs.existsSync(explicit) ? path.resolve(explicit) : null;
  const starts = [path.dirname(fileURLToPath(import.meta.url))];
  if (process.argv[1]) starts.push(path.dirname(path.resolve(process.argv[1])));
  for (const start of starts) {
    for (const dir of ancestors(start)) {
      for (const candidate of [path.join(dir, 'native', NATIVE_CODEC_FILE), path.join(dir, 'js', 'native', NATIVE_CODEC_FILE)]) {
        if (fs.existsSync(candidate)) return candidate;
      }
    }
  }
  return null;
}

/** The native codec if the addon was built, else null (callers then use the pure-TS codecs). */
export function loadNativeCodec(options: { path?: string } = {}): NativeCodec | null {
  const file = findNativeCodec(options);
  return file === null ? null : NativeCodec.open(file);
}
