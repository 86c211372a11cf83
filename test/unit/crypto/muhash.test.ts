// MuHash3072 against Core's vectors (src/test/crypto_tests.cpp muhash_tests) and the set properties it promises.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { chacha20Blocks } from '../../../src/crypto/chacha20.js';
import { MUHASH_PRIME, MuHash3072, bigIntToLeBytes, leBytesToBigInt } from '../../../src/crypto/muhash.js';
import { sha256 } from '../../../src/crypto/sha256.js';
import { bytesToHex, hashToHex, hexToBytes } from '../../../src/util/hex.js';

/** Core's FromInt: the singleton of 32 bytes {i, 0, ...}. */
function fromInt(i: number): MuHash3072 {
  const t = new Uint8Array(32);
  t[0] = i;
  return new MuHash3072(t);
}

const SER_1_TIMES_2 = '1fa093295ea30a6a3acdc7b3f770fa538eff537528e990e2910e40bbcfd7f6696b1256901929094694b56316de342f593303dd12ac43e06dce1be1ff8301c845beb15468fff0ef002dbf80c29f26e6452bccc91b5cb9437ad410d2a67ea847887fa3c6a6553309946880fe20db2c73fe0641adbd4e86edfee0d9f8cd0ee1230898873dc13ed8ddcaf045c80faa082774279007a2253f8922ee3ef361d378a6af3ddaf180b190ac97e556888c36b3d1fb1c85aab9ccd46e3deaeb7b7cf5db067a7e9ff86b658cf3acd6662bbcce37232daa753c48b794356c020090c831a8304416e2aa7ad633c0ddb2f11be1be316a81be7f7e472071c042cb68faef549c221ebff209273638b741aba5a81675c45a5fa92fea4ca821d7a324cb1e1a2ccd3b76c4228ec8066dad2a5df6e1bd0de45c7dd5de8070bdb46db6c554cf9aefc9b7b2bbf9f75b1864d9f95005314593905c0109b71f703d49944ae94477b51dac10a816bb6d1c700bafabc8bd86fac8df24be519a2f2836b16392e18036cb13e48c5c01'
  + '00'.repeat(383);

describe('MuHash3072', () => {
  it('uses the ChaCha20 keystream of RFC 8439 (zero key, zero nonce, counter 0)', () => {
    assert.equal(bytesToHex(chacha20Blocks(new Uint8Array(32), 1)),
      '76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586');
    assert.throws(() => chacha20Blocks(new Uint8Array(31), 1), RangeError);
  });

  it('gives the same keystream as node:crypto\'s chacha20 (OpenSSL: zero IV = counter 0, zero nonce)', () => {
    for (let i = 0; i < 20; i++) {
      const key = crypto.randomBytes(32);
      const openssl = crypto.createCipheriv('chacha20', key, Buffer.alloc(16)).update(Buffer.alloc(384));
      assert.equal(bytesToHex(chacha20Blocks(new Uint8Array(key), 6)), openssl.toString('hex'));
    }
  });

  it('gives Core\'s hash for {0} * {1} / {2}, by multiplication and by insert/remove', () => {
    const expected = '10d312b100cbd32ada024a6646e40d3482fcff103668d2625f10002a607d5863';
    const acc = fromInt(0).multiply(fromInt(1)).divide(fromInt(2));
    assert.equal(hashToHex(acc.finalize()), expected);
    const one = new Uint8Array(32);
    one[0] = 1;
    const two = new Uint8Array(32);
    two[0] = 2;
    assert.equal(hashToHex(fromInt(0).insert(one).remove(two).finalize()), expected);
  });

  it('serializes as Core does and reads it back to the same hash', () => {
    const m = fromInt(1).multiply(fromInt(2));
    const ser = m.serialize();
    assert.equal(bytesToHex(ser), SER_1_TIMES_2);
    const back = MuHash3072.deserialize(ser);
    assert.equal(bytesToHex(back.serialize()), SER_1_TIMES_2);
    assert.deepEqual(back.finalize(), m.finalize());
  });

  it('reduces a serialized numerator above the modulus (Core\'s overflow vector)', () => {
    const ser = new Uint8Array(768);
    ser.fill(0xff, 0, 384);
    ser[384] = 1;
    const m = MuHash3072.deserialize(ser);
    assert.equal(bytesToHex(m.serialize()), bytesToHex(ser), 'kept as read until used');
    assert.equal(bytesToHex(m.finalize()), '3a31e6903aff0de9f62f9a9f7f8b861de76ce2cda09822b90014319ae5dc2271');
  });

  it('reduces a serialized numerator equal to the modulus to zero', () => {
    const ser = new Uint8Array(768);
    ser.set(bigIntToLeBytes(MUHASH_PRIME), 0);
    ser[384] = 1;
    assert.equal(bytesToHex(MuHash3072.deserialize(ser).finalize()), bytesToHex(sha256(new Uint8Array(384))));
  });

  it('does not depend on the order of multiplications and divisions', () => {
    for (let iter = 0; iter < 10; iter++) {
      const table = Array.from({ length: 4 }, () => crypto.randomInt(8));
      const results = new Set<string>();
      for (let order = 0; order < 4; order++) {
        const acc = new MuHash3072();
        for (let i = 0; i < 4; i++) {
          const t = table[i ^ order]!;
          if (t & 4) acc.divide(fromInt(t & 3));
          else acc.multiply(fromInt(t & 3));
        }
        results.add(bytesToHex(acc.finalize()));
      }
      assert.equal(results.size, 1, `table ${table}`);
    }
  });

  it('returns to the empty set after X * Y / (Y * X)', () => {
    const empty = bytesToHex(new MuHash3072().finalize());
    for (let iter = 0; iter < 5; iter++) {
      const x = fromInt(crypto.randomInt(16));
      const y = fromInt(crypto.randomInt(16));
      const z = new MuHash3072().multiply(x).multiply(y);
      y.multiply(x);
      z.divide(y);
      assert.equal(bytesToHex(z.finalize()), empty);
    }
  });

  it('keeps finalizing to the same hash (Finalize folds the fraction without changing the set)', () => {
    const m = fromInt(3).divide(fromInt(5));
    const first = m.finalize();
    assert.deepEqual(m.finalize(), first);
    assert.deepEqual(m.insert(new Uint8Array([9])).remove(new Uint8Array([9])).finalize(), first);
  });

  it('converts 384-byte little-endian numbers both ways and rejects wrong sizes', () => {
    const bytes = new Uint8Array(crypto.randomBytes(384));
    assert.deepEqual(bigIntToLeBytes(leBytesToBigInt(bytes)), bytes);
    assert.deepEqual(bigIntToLeBytes(MUHASH_PRIME).subarray(0, 4), hexToBytes('9b28efff'));
    assert.throws(() => bigIntToLeBytes(1n << 3072n), RangeError);
    assert.throws(() => MuHash3072.deserialize(new Uint8Array(767)), /768 bytes/);
  });
});
