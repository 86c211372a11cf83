// RIPEMD-160 and HASH160 (RIPEMD-160 of SHA-256: key and script hashes for addresses).
import { digest, latin1Bytes } from './bytes.js';
import { cryptoAddon } from './native.js';
import { sha256 } from './sha256.js';

type Hasher = (data: Uint8Array) => Uint8Array;

/** node:crypto's RIPEMD-160 (OpenSSL 3 has it in the default provider since 3.0.7). */
export function ripemd160Node(data: Uint8Array): Uint8Array {
  return digest('ripemd160', data);
}

function nodeHasRipemd160(): boolean {
  try {
    ripemd160Node(new Uint8Array(0));
    return true;
  } catch {
    // A node linked against an OpenSSL that keeps RIPEMD-160 in its legacy provider.
    return false;
  }
}

/** The pure-JS implementation, used only when node:crypto lacks RIPEMD-160. */
export async function loadRipemd160Js(): Promise<Hasher> {
  const { ripemd160: nobleRipemd160 } = await import('@noble/hashes/legacy.js');
  return (data: Uint8Array) => nobleRipemd160(data);
}

const impl: Hasher = nodeHasRipemd160() ? ripemd160Node : await loadRipemd160Js();

/** RIPEMD-160 of `data`. */
export function ripemd160(data: Uint8Array): Uint8Array {
  return impl(data);
}

const nativeHash160 = cryptoAddon?.hasSha256 === true ? cryptoAddon.hash160 : undefined;

/** HASH160 through node:crypto (or the JS fallback) only; exported for tests. */
export function hash160Js(data: Uint8Array): Uint8Array {
  return impl(sha256(data));
}

/** HASH160 (Core's Hash160): RIPEMD-160(SHA-256(data)); one addon call when the build has it (every P2PKH spend). */
export function hash160(data: Uint8Array): Uint8Array {
  return nativeHash160 !== undefined ? latin1Bytes(nativeHash160(data)) : hash160Js(data);
}
