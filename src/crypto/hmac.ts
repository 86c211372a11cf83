// HMAC-SHA512 (BIP32 key derivation) and HMAC-SHA256 through node:crypto.
import crypto from 'node:crypto';
import { plain } from './bytes.js';

/** HMAC-SHA512(key, data): 64 bytes. BIP32 uses it for master keys and child derivation. */
export function hmacSha512(key: Uint8Array, data: Uint8Array): Uint8Array {
  return plain(crypto.createHmac('sha512', key).update(data).digest());
}

/** HMAC-SHA256(key, data): 32 bytes. */
export function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  return plain(crypto.createHmac('sha256', key).update(data).digest());
}
