// BIP340 tagged hashes: SHA256(SHA256(tag) || SHA256(tag) || msg), with each tag's prefix cached.
import crypto from 'node:crypto';
import { digest } from './bytes.js';

const prefixes = new Map<string, Uint8Array>();

/** The 64-byte prefix SHA256(tag) || SHA256(tag); callers may write it ahead of their message. */
export function taggedHashPrefix(tag: string): Uint8Array {
  let prefix = prefixes.get(tag);
  if (prefix === undefined) {
    const t = crypto.hash('sha256', tag, 'buffer');
    prefix = new Uint8Array(64);
    prefix.set(t, 0);
    prefix.set(t, 32);
    prefixes.set(tag, prefix);
  }
  return prefix;
}

/** Tagged hash of the concatenation of `parts` ('TapLeaf', 'TapTweak', 'BIP0340/challenge', …). */
export function taggedHash(tag: string, ...parts: Uint8Array[]): Uint8Array {
  const prefix = taggedHashPrefix(tag);
  let size = prefix.length;
  for (const p of parts) size += p.length;
  // One buffer and one one-shot hash beat an incremental Hash object for these short messages.
  const buf = new Uint8Array(size);
  buf.set(prefix, 0);
  let pos = prefix.length;
  for (const p of parts) {
    buf.set(p, pos);
    pos += p.length;
  }
  return digest('sha256', buf);
}

/** A hasher bound to one tag, for hot paths that hash under the same tag many times. */
export function makeTaggedHasher(tag: string): (...parts: Uint8Array[]) => Uint8Array {
  taggedHashPrefix(tag);
  return (...parts: Uint8Array[]) => taggedHash(tag, ...parts);
}
