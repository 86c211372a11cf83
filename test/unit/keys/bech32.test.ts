// Bech32/Bech32m: BIP173/BIP350 valid strings and Core's LocateErrors cases (bech32_tests.cpp).
import assert from 'node:assert/strict';
import { Encoding, convertBits, decode, encode, locateErrors } from '../../../src/util/bech32.js';

const VALID_BECH32 = [
  'A12UEL5L',
  'a12uel5l',
  'an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs',
  'abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw',
  '11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j',
  'split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w',
  '?1ezyfcl',
];
const VALID_BECH32M = [
  'A1LQFN3A',
  'a1lqfn3a',
  'an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11sg7hg6',
  'abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx',
  '11llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllludsr8',
  'split1checkupstagehandshakeupstreamerranterredcaperredlc445v',
  '?1v759aa',
];

const INVALID_BECH32: [string, string, number[]][] = [
  [' 1nwldj5', 'Invalid character or mixed case', [0]],
  ['\x7f1axkwrx', 'Invalid character or mixed case', [0]],
  ['\x801eym55h', 'Invalid character or mixed case', [0]],
  ['an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx', 'Bech32 string too long', [90]],
  ['pzry9x0s0muk', 'Missing separator', []],
  ['1pzry9x0s0muk', 'Invalid separator position', [0]],
  ['x1b4n0q5v', 'Invalid Base 32 character', [2]],
  ['li1dgmt3', 'Invalid separator position', [2]],
  ['de1lg7wt\xff', 'Invalid character or mixed case', [8]],
  ['A1G7SGD8', 'Invalid checksum', []],
  ['10a06t8', 'Invalid separator position', [0]],
  ['1qzzfhee', 'Invalid separator position', [0]],
  ['a12UEL5L', 'Invalid character or mixed case', [3, 4, 5, 7]],
  ['A12uEL5L', 'Invalid character or mixed case', [3]],
  ['abcdef1qpzrz9x8gf2tvdw0s3jn54khce6mua7lmqqqxw', 'Invalid Bech32 checksum', [11]],
  ['test1zg69w7y6hn0aqy352euf40x77qddq3dc', 'Invalid Bech32 checksum', [9, 16]],
];
const INVALID_BECH32M: [string, string, number[]][] = [
  [' 1xj0phk', 'Invalid character or mixed case', [0]],
  ['\x7f1g6xzxy', 'Invalid character or mixed case', [0]],
  ['\x801vctc34', 'Invalid character or mixed case', [0]],
  ['an84characterslonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11d6pts4', 'Bech32 string too long', [90]],
  ['qyrz8wqd2c9m', 'Missing separator', []],
  ['1qyrz8wqd2c9m', 'Invalid separator position', [0]],
  ['y1b0jsk6g', 'Invalid Base 32 character', [2]],
  ['lt1igcx5c0', 'Invalid Base 32 character', [3]],
  ['in1muywd', 'Invalid separator position', [2]],
  ['mm1crxm3i', 'Invalid Base 32 character', [8]],
  ['au1s5cgom', 'Invalid Base 32 character', [7]],
  ['M1VUXWEZ', 'Invalid checksum', []],
  ['16plkw9', 'Invalid separator position', [0]],
  ['1p2gdwpf', 'Invalid separator position', [0]],
  ['abcdef1l7aum6echk45nj2s0wdvt2fg8x9yrzpqzd3ryx', 'Invalid Bech32m checksum', [21]],
  ['test1zg69v7y60n00qy352euf40x77qcusag6', 'Invalid Bech32m checksum', [13, 32]],
];

describe('bech32', () => {
  it('decodes and re-encodes the BIP173 and BIP350 valid strings', () => {
    for (const [list, enc] of [
      [VALID_BECH32, Encoding.BECH32],
      [VALID_BECH32M, Encoding.BECH32M],
    ] as const) {
      for (const s of list) {
        assert.equal(s.length <= 90, true);
        const dec = decode(s);
        assert.equal(dec.encoding, enc, s);
        assert.equal(encode(enc, dec.hrp, dec.data), s.toLowerCase());
        assert.deepEqual(locateErrors(s), ['', []]);
      }
    }
  });

  it('rejects strings over the 90-character limit unless a larger limit is given', () => {
    const long = encode(Encoding.BECH32M, 'x', new Array(83).fill(7));
    assert.equal(long.length, 91);
    assert.equal(decode(long).encoding, Encoding.INVALID);
    assert.deepEqual(locateErrors(long), ['Bech32 string too long', [90]]);
    assert.equal(decode(long, 120).encoding, Encoding.BECH32M);
  });

  it("locates errors with Core's messages and positions", () => {
    for (const [s, msg, where] of [...INVALID_BECH32, ...INVALID_BECH32M]) {
      assert.equal(decode(s).encoding, Encoding.INVALID, JSON.stringify(s));
      assert.deepEqual(locateErrors(s), [msg, where], JSON.stringify(s));
    }
  });

  it('converts between 8-bit and 5-bit groups with Core padding rules', () => {
    assert.deepEqual(convertBits([0xff], 8, 5, true), [31, 28]);
    assert.deepEqual(convertBits([31, 28], 5, 8, false), [0xff]);
    assert.equal(convertBits([31, 29], 5, 8, false), null); // non-zero padding
    assert.equal(convertBits([31, 28, 0], 5, 8, false), null); // a whole extra group
  });
});
