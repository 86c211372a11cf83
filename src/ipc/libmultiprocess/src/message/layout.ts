// Cap'n Proto wire-layout constants shared by the reader and the builder, plus the error type they throw.

/** List element sizes as encoded in bits 32-34 of a list pointer. */
export const ElementSize = {
  VOID: 0,
  BIT: 1,
  BYTE: 2,
  TWO_BYTES: 3,
  FOUR_BYTES: 4,
  EIGHT_BYTES: 5,
  POINTER: 6,
  INLINE_COMPOSITE: 7,
} as const;
export type ElementSize = (typeof ElementSize)[keyof typeof ElementSize];

/** Pointer kinds (the low two bits of a pointer word). */
export const PointerKind = { STRUCT: 0, LIST: 1, FAR: 2, OTHER: 3 } as const;

/** Data bits per element for each ElementSize (composite is per-list). */
export const DATA_BITS_PER_ELEMENT: readonly number[] = [0, 1, 8, 16, 32, 64, 0, 0];
/** Pointers per element for each ElementSize. */
export const POINTERS_PER_ELEMENT: readonly number[] = [0, 0, 0, 0, 0, 0, 1, 0];

/** Limits applied when reading a message, like capnp::ReaderOptions. */
export interface ReaderOptions {
  /** Words that may be traversed in total (amplification guard). Default 8 Mi words (64 MiB). */
  traversalLimitInWords?: number;
  /** Maximum pointer depth. Default 64. */
  nestingLimit?: number;
}

export const DEFAULT_TRAVERSAL_LIMIT_IN_WORDS = 8 * 1024 * 1024;
export const DEFAULT_NESTING_LIMIT = 64;

/**
 * A malformed or over-limit message, or a misuse of the builder. The message texts are Cap'n Proto's
 * (layout.c++ / serialize.c++) so that logs read the same as the C++ peer's.
 */
export class MessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MessageError';
  }
}

// Cap'n Proto's own texts for the conditions we detect.
export const ERR = {
  tooDeep: 'Message is too deeply-nested or contains cycles.  See capnp::ReaderOptions.',
  traversal: 'Exceeded message traversal limit.  See capnp::ReaderOptions.',
  tooLarge: 'Message is too large.  To increase the limit on the receiving end, see capnp::ReaderOptions.',
  tooManySegments: 'Message has too many segments.',
  farOutOfBounds: 'Message contains out-of-bounds far pointer.',
  farSegment: 'Message contains far pointer to unknown segment.',
  doubleFarLanding: 'Second word of double-far pad must be far pointer.',
  notStruct: 'Message contains non-struct pointer where struct pointer was expected.',
  structOutOfBounds: 'Message contained out-of-bounds struct pointer.',
  notList: 'Message contains non-list pointer where list pointer was expected.',
  listOutOfBounds: 'Message contains out-of-bounds list pointer.',
  compositeNotStruct: 'INLINE_COMPOSITE lists of non-STRUCT type are not supported.',
  compositeOverrun: "INLINE_COMPOSITE list's elements overrun its word count.",
  amplified: 'Message contains amplified list pointer.',
  bitListAsStruct:
    'Found bit list where struct list was expected; upgrading boolean lists to structs is no longer supported.',
  structListAsBit:
    'Found struct list where bit list was expected; upgrading boolean lists to structs is no longer supported.',
  incompatibleList: 'Message contained list with incompatible element type.',
  notPrimitiveList: 'Expected a primitive list, but got a list of pointer-only structs.',
  notPointerList: 'Expected a pointer list, but got a list of data-only structs.',
  notText: 'Message contains non-list pointer where text was expected.',
  textNotBytes: 'Message contains list pointer of non-bytes where text was expected.',
  textOutOfBounds: 'Message contained out-of-bounds text pointer.',
  textNoNul: 'Message contains text that is not NUL-terminated.',
  notData: 'Message contains non-list pointer where data was expected.',
  dataNotBytes: 'Message contains list pointer of non-bytes where data was expected.',
  dataOutOfBounds: 'Message contained out-of-bounds data pointer.',
  notCap: 'Message contains non-capability pointer where capability pointer was expected.',
  unknownPointer: 'Unknown pointer type.',
  rootOutOfBounds: 'Root location out-of-bounds.',
  prematureTable: 'Message ends prematurely in segment table.',
  prematureFirst: 'Message ends prematurely in first segment.',
  premature: 'Message ends prematurely.',
  emptyMessage: 'Message is empty.',
} as const;
