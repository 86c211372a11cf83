// SipHash-2-4: the reference vectors of the SipHash paper and Core's hash_tests cases.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { SipHasher, sipHash24, sipHashUint256, sipHashUint256Extra } from '../../../src/crypto/siphash.js';

const K0 = 0x0706050403020100n;
const K1 = 0x0f0e0d0c0b0a0908n;

// SipHash-2-4 with key 00 01 .. 0f of the messages (), (00), (00 01), … (00 .. 3e).
const REFERENCE = [
  0x726fdb47dd0e0e31n, 0x74f839c593dc67fdn, 0x0d6c8009d9a94f5an, 0x85676696d7fb7e2dn,
  0xcf2794e0277187b7n, 0x18765564cd99a68dn, 0xcbc9466e58fee3cen, 0xab0200f58b01d137n,
  0x93f5f5799a932462n, 0x9e0082df0ba9e4b0n, 0x7a5dbbc594ddb9f3n, 0xf4b32f46226bada7n,
  0x751e8fbc860ee5fbn, 0x14ea5627c0843d90n, 0xf723ca908e7af2een, 0xa129ca6149be45e5n,
  0x3f2acc7f57c29bdbn, 0x699ae9f52cbe4794n, 0x4bc1b3f0968dd39cn, 0xbb6dc91da77961bdn,
  0xbed65cf21aa2ee98n, 0xd0f2cbb02e3b67c7n, 0x93536795e3a33e88n, 0xa80c038ccd5ccec8n,
  0xb8ad50c6f649af94n, 0xbce192de8a85b8ean, 0x17d835b85bbb15f3n, 0x2f2e6163076bcfadn,
  0xde4daaaca71dc9a5n, 0xa6a2506687956571n, 0xad87a3535c49ef28n, 0x32d892fad841c342n,
  0x7127512f72f27ccen, 0xa7f32346f95978e3n, 0x12e0b01abb051238n, 0x15e034d40fa197aen,
  0x314dffbe0815a3b4n, 0x027990f029623981n, 0xcadcd4e59ef40c4dn, 0x9abfd8766a33735cn,
  0x0e3ea96b5304a7d0n, 0xad0c42d6fc585992n, 0x187306c89bc215a9n, 0xd4a60abcf3792b95n,
  0xf935451de4f21df2n, 0xa9538f0419755787n, 0xdb9acddff56ca510n, 0xd06c98cd5c0975ebn,
  0xe612a3cb9ecba951n, 0xc766e62cfcadaf96n, 0xee64435a9752fe72n, 0xa192d576b245165an,
  0x0a8787bf8ecb74b2n, 0x81b3e73d20b49b6fn, 0x7fa8220ba3b2ecean, 0x245731c13ca42499n,
  0xb78dbfaf3a8d83bdn, 0xea1ad565322a1a0bn, 0x60e61c23a3795013n, 0x6606d7e446282b93n,
  0x6ca4ecb15c5f91e1n, 0x9f626da15c9625f3n, 0xe51b38608ef25f57n, 0x958a324ceb064572n,
];

const seq = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => i);

describe('siphash', () => {
  it('matches the reference vectors one-shot', () => {
    for (let n = 0; n < REFERENCE.length; n++) assert.equal(sipHash24(K0, K1, seq(n)), REFERENCE[n], `length ${n}`);
  });

  it('matches the reference vectors one byte at a time (finalize keeps the state)', () => {
    const hasher = new SipHasher(K0, K1);
    for (let n = 0; n < REFERENCE.length; n++) {
      assert.equal(hasher.finalize(), REFERENCE[n]);
      hasher.write(Uint8Array.of(n));
    }
  });

  it('matches the reference vectors eight bytes at a time with writeU64', () => {
    const hasher = new SipHasher(K0, K1);
    for (let n = 0; n < REFERENCE.length; n += 8) {
      assert.equal(hasher.finalize(), REFERENCE[n]);
      let word = 0n;
      for (let i = 7; i >= 0; i--) word = (word << 8n) | BigInt(n + i);
      hasher.writeU64(word);
    }
  });

  it('follows Core\'s mixed-write sequence', () => {
    const h = new SipHasher(K0, K1);
    assert.equal(h.finalize(), 0x726fdb47dd0e0e31n);
    h.write(Uint8Array.of(0));
    assert.equal(h.finalize(), 0x74f839c593dc67fdn);
    h.write(Uint8Array.of(1, 2, 3, 4, 5, 6, 7));
    assert.equal(h.finalize(), 0x93f5f5799a932462n);
    h.writeU64(0x0f0e0d0c0b0a0908n);
    assert.equal(h.finalize(), 0x3f2acc7f57c29bdbn);
    h.write(Uint8Array.of(16, 17));
    assert.equal(h.finalize(), 0x4bc1b3f0968dd39cn);
    h.write(Uint8Array.of(18, 19, 20, 21, 22, 23, 24, 25, 26));
    assert.equal(h.finalize(), 0x2f2e6163076bcfadn);
    h.write(Uint8Array.of(27, 28, 29, 30, 31));
    assert.equal(h.finalize(), 0x7127512f72f27ccen);
    h.writeU64(0x2726252423222120n);
    assert.equal(h.finalize(), 0x0e3ea96b5304a7d0n);
    h.writeU64(0x2f2e2d2c2b2a2928n);
    assert.equal(h.finalize(), 0xe612a3cb9ecba951n);
  });

  it('refuses writeU64 at an unaligned position', () => {
    assert.throws(() => new SipHasher(K0, K1).write(Uint8Array.of(1)).writeU64(0n), RangeError);
  });

  it('SipHashUint256 hashes the 32 bytes of a uint256 (Core\'s vector)', () => {
    // uint256S("1f1e…0100") is stored little-endian: bytes 00 01 .. 1f.
    assert.equal(sipHashUint256(K0, K1, seq(32)), 0x7127512f72f27ccen);
  });

  it('SipHashUint256 and SipHashUint256Extra agree with the generic hasher on random input', () => {
    for (let i = 0; i < 32; i++) {
      const k0 = crypto.randomBytes(8).readBigUInt64LE();
      const k1 = crypto.randomBytes(8).readBigUInt64LE();
      const x = new Uint8Array(crypto.randomBytes(32));
      const n = crypto.randomBytes(4).readUInt32LE();
      const nb = new Uint8Array(4);
      new DataView(nb.buffer).setUint32(0, n, true);
      const h = new SipHasher(k0, k1).write(x);
      assert.equal(sipHashUint256(k0, k1, x), h.finalize());
      assert.equal(sipHashUint256Extra(k0, k1, x, n), h.write(nb).finalize());
    }
  });

  it('rejects a hash of the wrong size', () => {
    assert.throws(() => sipHashUint256(K0, K1, new Uint8Array(31)), TypeError);
  });
});
