// Key derivation and tweaks through both backends (BIP32 tweaks, BIP341 taproot commitments), and
// agreement of the native and JS backends on random keys.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { jsBackend } from '../../../src/crypto/secp256k1_js.js';
import { computeTapTweakHash } from '../../../src/script/interpreter_taproot.js';
import { readTestJson } from '../util/paths.js';
import { backends, N, toBigInt, toBytes32, unhex } from './secp256k1_helpers.js';

interface Bip341Vectors {
  scriptPubKey: Array<{ given: { internalPubkey: string }; intermediary: { merkleRoot: string | null; tweak: string; tweakedPubkey: string } }>;
  keyPathSpending: Array<{
    inputSpending: Array<{
      given: { internalPrivkey: string; merkleRoot: string | null };
      intermediary: { internalPubkey: string; tweak: string; tweakedPrivkey: string; sigHash: string };
      expected: { witness: string[] };
    }>;
  }>;
}

/** BIP341's TapTweak of an internal key and optional merkle root, computed here rather than read from the vector. */
function tapTweak(internal: Uint8Array, merkleRoot: string | null): Uint8Array {
  return computeTapTweakHash(internal, merkleRoot === null ? null : unhex(merkleRoot));
}

const bip341 = readTestJson<Bip341Vectors>('bip341_wallet_vectors.json');

function randomSeckey(): Uint8Array {
  for (;;) {
    const k = new Uint8Array(crypto.randomBytes(32));
    const v = toBigInt(k);
    if (v > 0n && v < N) return k;
  }
}

for (const [name, get] of backends()) {
  describe(`secp256k1 keys (${name})`, () => {
    it('checks secret keys', () => {
      const b = get();
      assert.ok(b.seckeyVerify(toBytes32(1n)));
      assert.ok(b.seckeyVerify(toBytes32(N - 1n)));
      assert.ok(!b.seckeyVerify(toBytes32(0n)));
      assert.ok(!b.seckeyVerify(toBytes32(N)));
      assert.ok(!b.seckeyVerify(new Uint8Array(31)));
    });

    it('tweaks secret and public keys consistently (BIP32 derivation)', () => {
      const b = get();
      for (let i = 0; i < 8; i++) {
        const sk = randomSeckey();
        const tweak = randomSeckey();
        const child = b.seckeyTweakAdd(sk, tweak)!;
        assert.deepEqual(child, toBytes32((toBigInt(sk) + toBigInt(tweak)) % N));
        assert.deepEqual(b.pubkeyTweakAdd(b.pubkeyCreate(sk), tweak), b.pubkeyCreate(child));
        assert.deepEqual(b.pubkeyTweakAdd(b.pubkeyCreate(sk, false), tweak), b.pubkeyCreate(child, false));
        assert.deepEqual(b.pubkeyTweakAdd(b.pubkeyCreate(sk, false), tweak, true), b.pubkeyCreate(child, true));
      }
    });

    it('rejects tweaks out of range and sums that vanish', () => {
      const b = get();
      const sk = randomSeckey();
      assert.equal(b.seckeyTweakAdd(sk, toBytes32(N)), null);
      assert.equal(b.seckeyTweakAdd(sk, toBytes32(N - toBigInt(sk))), null);
      assert.equal(b.seckeyTweakAdd(toBytes32(0n), toBytes32(1n)), null);
      assert.deepEqual(b.seckeyTweakAdd(sk, toBytes32(0n)), sk);
      assert.equal(b.pubkeyTweakAdd(b.pubkeyCreate(sk), toBytes32(N)), null);
      assert.equal(b.pubkeyTweakAdd(b.pubkeyCreate(sk), toBytes32(N - toBigInt(sk))), null);
      assert.equal(b.pubkeyTweakAdd(new Uint8Array(33), toBytes32(1n)), null);
    });

    it('makes and checks the BIP341 output keys', () => {
      const b = get();
      for (const v of bip341.scriptPubKey) {
        const internal = unhex(v.given.internalPubkey);
        const tweak = tapTweak(internal, v.intermediary.merkleRoot);
        assert.deepEqual(tweak, unhex(v.intermediary.tweak));
        const want = unhex(v.intermediary.tweakedPubkey);
        assert.ok(b.isValidXOnly(internal));
        const r = b.xonlyTweakAdd(internal, tweak)!;
        assert.deepEqual(r.output, want);
        assert.ok(b.xonlyTweakAddCheck(want, r.parity, internal, tweak));
        assert.ok(!b.xonlyTweakAddCheck(want, r.parity === 0 ? 1 : 0, internal, tweak));
        assert.ok(!b.xonlyTweakAddCheck(internal, r.parity, internal, tweak));
        assert.ok(!b.xonlyTweakAddCheck(want, r.parity, internal, toBytes32(N)));
      }
    });

    it('signs BIP341 key-path spends like the reference wallet', () => {
      const b = get();
      const inputs = bip341.keyPathSpending.flatMap((g) => g.inputSpending);
      assert.equal(inputs.length, 7);
      for (const v of inputs) {
        const sk = unhex(v.given.internalPrivkey);
        const internal = b.xonlyFromSeckey(sk);
        assert.deepEqual(internal, unhex(v.intermediary.internalPubkey));
        const tweak = tapTweak(internal, v.given.merkleRoot);
        assert.deepEqual(tweak, unhex(v.intermediary.tweak));
        // The internal key is used with even Y: negate a secret key whose point has odd Y.
        const even = b.pubkeyCreate(sk)[0] === 0x02;
        const base = even ? sk : toBytes32(N - toBigInt(sk));
        const tweaked = b.seckeyTweakAdd(base, tweak)!;
        assert.deepEqual(tweaked, unhex(v.intermediary.tweakedPrivkey));
        // The reference signatures use all-zero aux randomness.
        const sig = b.schnorrSign(unhex(v.intermediary.sigHash), tweaked);
        assert.deepEqual(sig, unhex(v.expected.witness[0]!).subarray(0, 64));
      }
    });

    it('rejects invalid x-only keys and parities', () => {
      const b = get();
      assert.ok(!b.isValidXOnly(new Uint8Array(31)));
      assert.ok(!b.isValidXOnly(unhex('fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f')));
      assert.equal(b.xonlyTweakAdd(unhex('fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f'), toBytes32(1n)), null);
      const k = b.xonlyFromSeckey(randomSeckey());
      assert.throws(() => b.xonlyTweakAddCheck(k, 2 as 0 | 1, k, toBytes32(1n)), { name: 'TypeError', message: 'parity must be 0 or 1' });
    });
  });
}

describe('native and JS backends agree on random keys', () => {
  it('for every operation', () => {
    const [[, getNative]] = backends();
    const n = getNative();
    const j = jsBackend;
    for (let i = 0; i < 24; i++) {
      const sk = randomSeckey();
      const msg = new Uint8Array(crypto.randomBytes(32));
      const aux = new Uint8Array(crypto.randomBytes(32));
      const tweak = new Uint8Array(crypto.randomBytes(32));
      for (const c of [true, false]) assert.deepEqual(n.pubkeyCreate(sk, c), j.pubkeyCreate(sk, c));
      const xonly = n.xonlyFromSeckey(sk);
      assert.deepEqual(j.xonlyFromSeckey(sk), xonly);
      assert.deepEqual(n.ecdsaSign(msg, sk), j.ecdsaSign(msg, sk));
      assert.deepEqual(n.ecdsaSign(msg, sk, false), j.ecdsaSign(msg, sk, false));
      for (const c of [true, false]) assert.deepEqual(n.ecdsaSignRecoverable(msg, sk, c), j.ecdsaSignRecoverable(msg, sk, c));
      assert.deepEqual(n.schnorrSign(msg, sk, aux), j.schnorrSign(msg, sk, aux));
      assert.deepEqual(n.schnorrSign(msg, sk), j.schnorrSign(msg, sk));
      const ssig = n.schnorrSign(msg, sk, aux);
      assert.ok(j.schnorrVerify(ssig, msg, xonly) && n.schnorrVerify(ssig, msg, xonly));
      const bad = Uint8Array.from(ssig);
      bad[i % 64] ^= 0x40;
      assert.equal(n.schnorrVerify(bad, msg, xonly), j.schnorrVerify(bad, msg, xonly));
      const esig = j.ecdsaSign(msg, sk);
      const pub = n.pubkeyCreate(sk);
      assert.ok(n.ecdsaVerify(esig, msg, pub) && j.ecdsaVerify(esig, msg, pub));
      assert.deepEqual(n.xonlyTweakAdd(xonly, tweak), j.xonlyTweakAdd(xonly, tweak));
      assert.deepEqual(n.pubkeyTweakAdd(pub, tweak), j.pubkeyTweakAdd(pub, tweak));
      assert.deepEqual(n.seckeyTweakAdd(sk, tweak), j.seckeyTweakAdd(sk, tweak));
      // A random 32-byte string is a valid x coordinate about half of the time.
      assert.equal(n.isValidXOnly(tweak), j.isValidXOnly(tweak));
      const rpub = Uint8Array.from([2 + (i & 1), ...tweak]);
      assert.equal(n.isValidPubKey(rpub), j.isValidPubKey(rpub));
    }
  });
});
