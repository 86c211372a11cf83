// Standard (unpacked) Cap'n Proto stream framing: u32 segmentCount-1, u32 size per segment, pad to 8, segments.
import { DEFAULT_TRAVERSAL_LIMIT_IN_WORDS, ERR, MessageError, type ReaderOptions } from './layout.js';
import { MessageReader } from './reader.js';

/**
 * Most segments a frame may have: C++ Cap'n Proto's readers require `segmentCount < 512` ("Message has too many
 * segments."). The count field is a UInt32 holding count-1; its largest value, which wraps to 0 in C++'s `uint`, is
 * 2^32 here and refused like any other count over the limit.
 */
export const MAX_SEGMENTS = 511;

/** Bytes taken by the segment table for `segmentCount` segments (always a multiple of 8). */
export function segmentTableBytes(segmentCount: number): number {
  return (Math.floor(segmentCount / 2) + 1) * 8;
}

export interface FrameLimits {
  /** Maximum number of segments (default MAX_SEGMENTS = 511, as Cap'n Proto). */
  maxSegments?: number;
  /** Maximum total words of all segments (default: the traversal limit, 8 Mi words). */
  maxWords?: number;
}

/**
 * Inspects the start of a frame. Returns the total frame size in bytes once the whole segment table is present,
 * or -1 if more bytes are needed. Throws MessageError if the table exceeds the limits.
 */
export function frameSize(buf: Uint8Array, start: number, available: number, limits?: FrameLimits): number {
  if (available < 8) return -1;
  const count = u32(buf, start) + 1;
  if (count > (limits?.maxSegments ?? MAX_SEGMENTS)) throw new MessageError(ERR.tooManySegments);
  const table = segmentTableBytes(count);
  if (available < table) return -1;
  const maxWords = limits?.maxWords ?? DEFAULT_TRAVERSAL_LIMIT_IN_WORDS;
  let words = 0;
  for (let i = 0; i < count; i++) {
    words += u32(buf, start + 4 + i * 4);
    if (words > maxWords) throw new MessageError(ERR.tooLarge);
  }
  return table + words * 8;
}

function u32(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}

/** Splits one complete frame (exactly `frame.length` bytes) into segment views (no copy). */
export function splitFrame(frame: Uint8Array): Uint8Array[] {
  if (frame.length < 8) throw new MessageError(ERR.prematureTable);
  const count = u32(frame, 0) + 1;
  if (count > MAX_SEGMENTS) throw new MessageError(ERR.tooManySegments);
  let off = segmentTableBytes(count);
  if (frame.length < off) throw new MessageError(ERR.prematureTable);
  if (count === 1) {
    const bytes = u32(frame, 4) * 8;
    if (off + bytes > frame.length) throw new MessageError(ERR.prematureFirst);
    return [frame.subarray(off, off + bytes)];
  }
  const segments: Uint8Array[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const bytes = u32(frame, 4 + i * 4) * 8;
    if (off + bytes > frame.length) throw new MessageError(i === 0 ? ERR.prematureFirst : ERR.premature);
    segments[i] = frame.subarray(off, off + bytes);
    off += bytes;
  }
  return segments;
}

/** Decodes one framed message; `frame` may hold trailing bytes, which are ignored. */
export function decodeFrame(frame: Uint8Array, options?: ReaderOptions): MessageReader {
  const size = frameSize(frame, 0, frame.length, { maxWords: options?.traversalLimitInWords });
  if (size < 0) throw new MessageError(ERR.prematureTable);
  if (size > frame.length) throw new MessageError(ERR.premature);
  return new MessageReader(splitFrame(frame.subarray(0, size)), options);
}

/** Frames segments for a stream (one allocation). */
export function encodeFrame(segments: Uint8Array[]): Uint8Array {
  if (segments.length === 0) throw new MessageError('Tried to serialize uninitialized message.');
  const table = segmentTableBytes(segments.length);
  let total = table;
  for (const s of segments) {
    if (s.length % 8 !== 0) throw new MessageError('segment length is not a multiple of 8 bytes');
    total += s.length;
  }
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, segments.length - 1, true);
  for (let i = 0; i < segments.length; i++) view.setUint32(4 + i * 4, segments[i]!.length / 8, true);
  let off = table;
  for (const s of segments) {
    out.set(s, off);
    off += s.length;
  }
  return out;
}
