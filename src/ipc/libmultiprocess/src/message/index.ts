// Public surface of the Cap'n Proto message layer (wire format only; no RPC).
export {
  ElementSize,
  PointerKind,
  MessageError,
  DEFAULT_NESTING_LIMIT,
  DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
  type ReaderOptions,
} from './layout.js';
export {
  MessageReader,
  StructReader,
  ListReader,
  PointerReader,
  ReadArena,
  EMPTY_STRUCT,
  EMPTY_LIST,
  type PointerType,
} from './reader.js';
export { MessageBuilder, StructBuilder, ListBuilder, BuildArena } from './builder.js';
export {
  MAX_SEGMENTS,
  decodeFrame,
  encodeFrame,
  frameSize,
  splitFrame,
  segmentTableBytes,
  type FrameLimits,
} from './framing.js';
export { formatText, escapeBytes, escapeString } from './text-format.js';
