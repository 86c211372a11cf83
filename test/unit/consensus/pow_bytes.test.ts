// Proof of work compared as bytes: uint256AtMost and proofOfWorkTest against the BigInt comparison they replace.
import assert from 'node:assert/strict';
import { bigIntToUint256, proofOfWorkTest, uint256AtMost, uint256ToBigInt } from '../../../src/consensus/pow.js';

describe('consensus/pow: byte comparisons of 256-bit numbers', () => {
  it('uint256AtMost agrees with BigInt order, the most significant byte (index 31) first', () => {
    const values = [0n, 1n, 255n, 256n, (1n << 255n) - 1n, 1n << 255n, (1n << 256n) - 1n, 0x7fffffn << 232n, (0x7fffffn << 232n) + 1n];
    for (const a of values) {
      for (const b of values) assert.equal(uint256AtMost(bigIntToUint256(a), bigIntToUint256(b)), a <= b, `${a} <= ${b}`);
    }
    const low = new Uint8Array(32);
    const high = new Uint8Array(32);
    low[0] = 2;
    high[31] = 1;
    assert.equal(uint256AtMost(low, high), true);
    assert.equal(uint256AtMost(high, low), false);
    assert.equal(uint256ToBigInt(high) > uint256ToBigInt(low), true);
  });

  it('proofOfWorkTest: the regtest target admits hashes up to it, and an invalid nBits admits none', () => {
    const powLimit = (1n << 255n) - 1n;
    const meets = proofOfWorkTest(0x207fffff, powLimit);
    const target = 0x7fffffn << 232n;
    assert.equal(meets(bigIntToUint256(target)), true);
    assert.equal(meets(bigIntToUint256(target + 1n)), false);
    assert.equal(meets(new Uint8Array(32)), true);
    const none = proofOfWorkTest(0x00000000, powLimit);
    assert.equal(none(new Uint8Array(32)), false);
    // Easier than the limit: invalid.
    assert.equal(proofOfWorkTest(0x2100ffff, powLimit)(new Uint8Array(32)), false);
  });
});
