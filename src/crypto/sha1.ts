// SHA-1, needed only by the OP_SHA1 script opcode.
import crypto from 'node:crypto';
import { plain } from './bytes.js';

/** SHA-1 of `data`. */
export function sha1(data: Uint8Array): Uint8Array {
  return plain(crypto.hash('sha1', data, 'buffer'));
}
