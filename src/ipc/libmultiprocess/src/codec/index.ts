// Public surface of the codec layer: the native addon loader and the per-connection codec choice.
export {
  NativeCodec, loadNativeCodec, findNativeCodec, NATIVE_CODEC_FILE, NATIVE_CODEC_ENV,
  type NativeEncoder, type NativeStructCodec, type StructSpec, type StructValue, type AnyPointerHint,
} from './native.js';
export { CodecSelector, CODEC_ENV, AUTO_PREFERS_NATIVE, type CodecChoice, type CapnpSchema, type MethodCodecs } from './select.js';
