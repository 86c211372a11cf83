// SHA-1, needed only by the OP_SHA1 script opcode.
import { digest } from './bytes.js';

/** SHA-1 of `data`. */
export function sha1(data: Uint8Array): Uint8Array {
  return digest('sha1', data);
}
