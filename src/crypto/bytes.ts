// Small byte helpers: node:crypto digests as plain Uint8Arrays, concatenation (also used by src/script) and
// argument checks.
import crypto from 'node:crypto';

/**
 * A plain Uint8Array view of a Buffer (no copy). node:crypto returns Buffers; handing out plain
 * arrays keeps results comparable with deepStrictEqual against other byte arrays.
 */
export function plain(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/**
 * node:crypto's one-shot digest of `data` as a plain Uint8Array. The digest comes back as a 'binary' (latin1)
 * string, one char per byte, and is copied out: for the short inputs of script and sighash code that is about
 * twice as fast as 'buffer' output, whose Buffer allocation costs more than the hash itself.
 */
export function digest(algorithm: string, data: Uint8Array): Uint8Array {
  return latin1Bytes(crypto.hash(algorithm, data, 'binary'));
}

const SLAB_BYTES = 16 * 1024;
let slab = new ArrayBuffer(SLAB_BYTES);
let slabUsed = 0;

/**
 * latin1Bytes into a shared slab outside the V8 heap, for short-lived digests handed straight to the addon
 * (signature hashes, taproot tweaks): a small Uint8Array of its own lives on the V8 heap, and the first native
 * call moves it off at the cost of an allocation. A kept result pins its 16 KiB slab: do not store these.
 */
export function latin1BytesTransient(s: string): Uint8Array {
  if (slabUsed + s.length > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabUsed = 0;
  }
  const out = new Uint8Array(slab, slabUsed, s.length);
  slabUsed += s.length;
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** The bytes of a 'binary' (latin1) string, one per char, in a fresh Uint8Array. */
export function latin1Bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** The concatenation of `parts`. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let size = 0;
  for (let i = 0; i < parts.length; i++) size += parts[i]!.length;
  const out = new Uint8Array(size);
  let pos = 0;
  for (let i = 0; i < parts.length; i++) {
    out.set(parts[i]!, pos);
    pos += parts[i]!.length;
  }
  return out;
}

/** Throws the same TypeError as the native addon unless `value` is a Uint8Array. */
export function checkBytes(value: unknown, name: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${name} must be a Uint8Array`);
}

/** Throws the same TypeError as the native addon unless `value` is a Uint8Array of `size` bytes. */
export function checkFixedBytes(value: unknown, size: number, name: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array) || value.length !== size) {
    throw new TypeError(`${name} must be a ${size}-byte Uint8Array`);
  }
}

/** Throws the same TypeError as the native addon unless `value` is a boolean. */
export function checkBoolean(value: unknown, name: string): asserts value is boolean {
  if (typeof value !== 'boolean') throw new TypeError(`${name} must be a boolean`);
}
