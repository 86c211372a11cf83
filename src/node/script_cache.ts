// The script-execution cache and the validation cache that holds it beside the signature cache (Core's
// ValidationCache in validation.h). A transaction whose every input script passed under a set of flags is
// remembered by a salted hash of its wtxid and those flags; a block containing it skips its script checks.
// It lives on the main thread (block connection consults it before handing work to the script workers),
// which is where it saves the most: a hit costs one SHA-256 instead of parsing, hashing and verifying.
import crypto from 'node:crypto';
import {
  BoundedKeySet,
  DEFAULT_SCRIPT_EXECUTION_CACHE_BYTES,
  DEFAULT_SIGNATURE_CACHE_BYTES,
  SaltedHasher,
  SignatureCache,
  saltPrefix,
} from '../script/sigcache.js';
import type { ScriptVerifyFlags } from '../script/verify_flags.js';

export class ScriptExecutionCache {
  private readonly set: BoundedKeySet;
  private readonly hasher: SaltedHasher;
  private readonly flagBytes = new Uint8Array(8);

  constructor(maxBytes: number = DEFAULT_SCRIPT_EXECUTION_CACHE_BYTES, nonce: Uint8Array = crypto.randomBytes(32)) {
    this.set = new BoundedKeySet(maxBytes);
    // Core writes its 32-byte nonce twice, filling the first SHA-256 block.
    this.hasher = new SaltedHasher(saltPrefix(nonce));
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

  /** SHA256(salt || wtxid || flags as a little-endian uint64), Core's hashCacheEntry. */
  entry(wtxid: Uint8Array, flags: ScriptVerifyFlags): string {
    const view = new DataView(this.flagBytes.buffer);
    view.setUint32(0, flags >>> 0, true);
    view.setUint32(4, 0, true);
    return this.hasher.hash(wtxid, this.flagBytes);
  }

  contains(entry: string, erase: boolean): boolean {
    return this.set.contains(entry, erase);
  }

  insert(entry: string): void {
    this.set.insert(entry);
  }
}

/** Core's ValidationCache: the main thread's signature cache and script-execution cache. */
export class ValidationCache {
  readonly signatureCache: SignatureCache;
  readonly scriptExecutionCache: ScriptExecutionCache;

  constructor(scriptExecutionCacheBytes = DEFAULT_SCRIPT_EXECUTION_CACHE_BYTES, signatureCacheBytes = DEFAULT_SIGNATURE_CACHE_BYTES) {
    this.signatureCache = new SignatureCache(signatureCacheBytes);
    this.scriptExecutionCache = new ScriptExecutionCache(scriptExecutionCacheBytes);
  }

  /** Core's two start-up lines ("Using N MiB out of M MiB requested for ... cache, able to store K elements"). */
  setupLogLines(scriptExecutionCacheBytes: number, signatureCacheBytes: number): string[] {
    const mib = (n: number) => Math.floor(n / (1 << 20));
    const sec = this.scriptExecutionCache;
    const sig = this.signatureCache;
    return [
      `Using ${mib(sig.approxBytes)} MiB out of ${mib(signatureCacheBytes)} MiB requested for signature cache, able to store ${sig.maxEntries} elements`,
      `Using ${mib(sec.approxBytes)} MiB out of ${mib(scriptExecutionCacheBytes)} MiB requested for script execution cache, able to store ${sec.maxEntries} elements`,
    ];
  }
}

/**
 * Core's -maxsigcachesize=<n> (MiB): each cache gets half, a negative value counts as 0 (the caches then hold
 * their minimum of 2 entries).
 */
export function validationCacheBytesFromArg(maxSigCacheSizeMiB: number | undefined): { scriptExecutionCacheBytes: number; signatureCacheBytes: number } {
  if (maxSigCacheSizeMiB === undefined) {
    return { scriptExecutionCacheBytes: DEFAULT_SCRIPT_EXECUTION_CACHE_BYTES, signatureCacheBytes: DEFAULT_SIGNATURE_CACHE_BYTES };
  }
  const each = Math.floor((Math.max(maxSigCacheSizeMiB, 0) * (1 << 20)) / 2);
  return { scriptExecutionCacheBytes: each, signatureCacheBytes: each };
}
