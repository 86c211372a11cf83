// BIP340 tagged hashes: SHA256(SHA256(tag) || SHA256(tag) || msg), with each tag's prefix cached.
import crypto from 'node:crypto';
import { sha256Concat } from './sha256.js';

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
  return sha256Concat(taggedHashPrefix(tag), ...parts);
}

/** A hasher bound to one tag, for hot paths that hash under the same tag many times. */
export function makeTaggedHasher(tag: string): (...parts: Uint8Array[]) => Uint8Array {
  taggedHashPrefix(tag);
  return (...parts: Uint8Array[]) => taggedHash(tag, ...parts);
}
