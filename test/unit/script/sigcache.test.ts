// The salted cache entries: SHA256(prefix || parts) as Core's hashers compute them, whichever SHA-256 backend runs.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { describe, it } from 'mocha';
import { SaltedHasher, SignatureCache, saltPrefix } from '../../../src/script/sigcache.js';

const bytes = (n: number, seed: number): Uint8Array => new Uint8Array(n).map((_, i) => (i * 31 + seed) & 0xff);

function reference(...parts: Uint8Array[]): string {
  const h = crypto.createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('binary');
}

describe('script/sigcache salted entries', () => {
  it('hashes the 64-byte prefix and the parts back to back, as a 32-char latin1 key', () => {
    const prefix = bytes(64, 1);
    const hasher = new SaltedHasher(prefix);
    const parts = [bytes(32, 2), bytes(33, 3), bytes(71, 4)];
    const key = hasher.hash(...parts);
    assert.equal(key.length, 32);
    assert.equal(key, reference(prefix, ...parts));
    assert.equal(hasher.hash(), reference(prefix));
    assert.equal(hasher.hash(new Uint8Array(0), parts[0]!), reference(prefix, parts[0]!));
    // The hasher keeps its own copy of the prefix.
    prefix.fill(0);
    assert.equal(hasher.hash(...parts), key);
  });

  it("keys ECDSA and Schnorr entries apart, as Core's tagged salts do", () => {
    const nonce = bytes(32, 9);
    const cache = new SignatureCache(1 << 16, nonce);
    const sighash = bytes(32, 5);
    const pub = bytes(32, 6);
    const sig = bytes(64, 7);
    assert.equal(cache.entryECDSA(sighash, sig, pub), reference(saltPrefix(nonce, 'E'), sighash, pub, sig));
    assert.equal(cache.entrySchnorr(sighash, sig, pub), reference(saltPrefix(nonce, 'S'), sighash, pub, sig));
    assert.notEqual(cache.entryECDSA(sighash, sig, pub), cache.entrySchnorr(sighash, sig, pub));
  });
});
