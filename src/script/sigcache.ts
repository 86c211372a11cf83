// The signature cache (Core's script/sigcache.cpp): signatures already found valid, keyed by a salted SHA-256 of
// what was verified, so a transaction checked once (by the mempool, or by a block template test) costs no ECDSA or
// Schnorr verification when its block arrives. One cache per thread: JS threads share no memory.
import crypto from 'node:crypto';
import { cryptoAddon } from '../crypto/native.js';
import type { Transaction } from '../primitives/transaction.js';
import { TransactionSignatureChecker } from './interpreter_checker.js';
import { MissingDataBehavior } from './interpreter_types.js';
import type { PrecomputedTransactionData } from './sighash.js';

/** Core's DEFAULT_VALIDATION_CACHE_BYTES (-maxsigcachesize), split evenly between the two caches. */
export const DEFAULT_VALIDATION_CACHE_BYTES = 32 << 20;
export const DEFAULT_SIGNATURE_CACHE_BYTES = DEFAULT_VALIDATION_CACHE_BYTES / 2;
export const DEFAULT_SCRIPT_EXECUTION_CACHE_BYTES = DEFAULT_VALIDATION_CACHE_BYTES / 2;

/** Core sizes its cuckoo caches in uint256 entries; the element count follows from the bytes the same way. */
const ENTRY_BYTES = 32;

/**
 * A bounded set of 32-byte cache keys (the role of Core's CuckooCache::cache<uint256>). Keys are held as 32-char
 * latin1 strings, which V8 hashes and compares fast. When full, an insert evicts the oldest entry; Core's cuckoo
 * table evicts approximately the oldest generation, which the callers cannot observe either way.
 */
export class BoundedKeySet {
  private readonly keys = new Set<string>();
  /** How many entries fit (Core's setup_bytes: at least 2). */
  readonly maxEntries: number;

  constructor(maxBytes: number) {
    if (!Number.isFinite(maxBytes) || maxBytes < 0) throw new RangeError(`cache size must be a non-negative number of bytes, got ${maxBytes}`);
    this.maxEntries = Math.max(2, Math.floor(maxBytes / ENTRY_BYTES));
  }

  get size(): number {
    return this.keys.size;
  }

  /** Bytes Core would report for this many entries (for the "Using N MiB out of M MiB" log line). */
  get approxBytes(): number {
    return this.maxEntries * ENTRY_BYTES;
  }

  /** Whether `key` is present; with `erase`, a hit also removes it (an entry used once by a block is not needed again). */
  contains(key: string, erase: boolean): boolean {
    if (!this.keys.has(key)) return false;
    if (erase) this.keys.delete(key);
    return true;
  }

  insert(key: string): void {
    if (this.keys.has(key)) return;
    if (this.keys.size >= this.maxEntries) {
      // Sets iterate in insertion order: the first key is the oldest.
      const oldest = this.keys.values().next();
      if (!oldest.done) this.keys.delete(oldest.value);
    }
    this.keys.add(key);
  }

  clear(): void {
    this.keys.clear();
  }
}

const nativeSha256Concat = cryptoAddon?.hasSha256 === true ? cryptoAddon.sha256Concat : undefined;

/**
 * Hashes messages behind a fixed secret 64-byte prefix: SHA256(prefix || parts...) as a 32-char latin1 string.
 * The secret salt keeps peers from crafting entries that collide in the cache.
 */
export class SaltedHasher {
  private readonly prefix: Uint8Array;

  constructor(prefix: Uint8Array) {
    if (prefix.length !== 64) throw new RangeError('the salted prefix is 64 bytes (one SHA-256 block)');
    this.prefix = prefix.slice();
  }

  hash(...parts: Uint8Array[]): string {
    // Every check computes its entry (a block's signatures are looked up too), so this is on the hot path:
    // the addon hashes the parts in place, where crypto.hash would first need them copied into one buffer.
    if (nativeSha256Concat !== undefined) return nativeSha256Concat(this.prefix, ...parts);
    let size = this.prefix.length;
    for (const p of parts) size += p.length;
    const buf = new Uint8Array(size);
    buf.set(this.prefix, 0);
    let pos = this.prefix.length;
    for (const p of parts) {
      buf.set(p, pos);
      pos += p.length;
    }
    return crypto.hash('sha256', buf, 'binary');
  }
}

/** 32 random bytes followed by a 32-byte block that starts with `tag` (zero padded), or the nonce twice without a tag. */
export function saltPrefix(nonce: Uint8Array, tag?: string): Uint8Array {
  if (nonce.length !== 32) throw new RangeError('the salt nonce is 32 bytes');
  const prefix = new Uint8Array(64);
  prefix.set(nonce, 0);
  if (tag === undefined) prefix.set(nonce, 32);
  else prefix[32] = tag.charCodeAt(0);
  return prefix;
}

/** A bounded set of salted 32-byte entries: what the signature and script-execution caches have in common. */
export class SaltedEntryCache {
  private readonly set: BoundedKeySet;

  constructor(maxBytes: number) {
    this.set = new BoundedKeySet(maxBytes);
  }

  get maxEntries(): number {
    return this.set.maxEntries;
  }

  get size(): number {
    return this.set.size;
  }

  get approxBytes(): number {
    return this.set.approxBytes;
  }

  /** Whether `entry` is cached; with `erase`, a hit is also dropped. */
  contains(entry: string, erase: boolean): boolean {
    return this.set.contains(entry, erase);
  }

  insert(entry: string): void {
    this.set.insert(entry);
  }
}

/**
 * Core's SignatureCache. An entry is SHA256(nonce || 'E' or 'S' || 31 zero bytes || sighash || public key ||
 * signature): ECDSA and Schnorr entries can never collide.
 */
export class SignatureCache extends SaltedEntryCache {
  private readonly ecdsa: SaltedHasher;
  private readonly schnorr: SaltedHasher;

  constructor(maxBytes: number = DEFAULT_SIGNATURE_CACHE_BYTES, nonce: Uint8Array = crypto.randomBytes(32)) {
    super(maxBytes);
    this.ecdsa = new SaltedHasher(saltPrefix(nonce, 'E'));
    this.schnorr = new SaltedHasher(saltPrefix(nonce, 'S'));
  }

  entryECDSA(sighash: Uint8Array, sig: Uint8Array, pubkey: Uint8Array): string {
    return this.ecdsa.hash(sighash, pubkey, sig);
  }

  entrySchnorr(sighash: Uint8Array, sig: Uint8Array, pubkey32: Uint8Array): string {
    return this.schnorr.hash(sighash, pubkey32, sig);
  }
}

/**
 * Core's CachingTransactionSignatureChecker: a hit skips the verification (and, unless `store`, drops the entry:
 * blocks use each signature once); a miss verifies and, with `store`, remembers a valid signature.
 */
export class CachingTransactionSignatureChecker extends TransactionSignatureChecker {
  constructor(
    tx: Transaction,
    nIn: number,
    amount: bigint,
    private readonly store: boolean,
    private readonly cache: SignatureCache,
    txdata: PrecomputedTransactionData,
  ) {
    super(tx, nIn, amount, txdata, MissingDataBehavior.ASSERT_FAIL);
  }

  protected override verifyECDSASignature(sigDer: Uint8Array, pubkey: Uint8Array, sighash: Uint8Array): boolean {
    return this.cached(this.cache.entryECDSA(sighash, sigDer, pubkey), () => super.verifyECDSASignature(sigDer, pubkey, sighash));
  }

  protected override verifySchnorrSignature(sig64: Uint8Array, pubkey32: Uint8Array, sighash: Uint8Array): boolean {
    return this.cached(this.cache.entrySchnorr(sighash, sig64, pubkey32), () => super.verifySchnorrSignature(sig64, pubkey32, sighash));
  }

  private cached(entry: string, verify: () => boolean): boolean {
    if (this.cache.contains(entry, !this.store)) return true;
    if (!verify()) return false;
    if (this.store) this.cache.insert(entry);
    return true;
  }
}
