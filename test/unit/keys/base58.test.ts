// Base58/Base58Check against Core's base58_encode_decode.json and Core's decoding edge cases.
import assert from 'node:assert/strict';
import { decodeBase58, decodeBase58Check, encodeBase58, encodeBase58Check } from '../../../src/util/base58.js';
import { bytesToHex, hexToBytes } from '../../../src/util/hex.js';
import { readTestJson } from '../util/paths.js';

describe('base58', () => {
  const vectors = readTestJson<[string, string][]>('base58_encode_decode.json');
  let checked = 0;
  after(() => console.log(`      base58_encode_decode.json: ${checked}/${vectors.length} cases`));

  it('encodes and decodes every vector of base58_encode_decode.json', () => {
    assert.equal(vectors.length, 21);
    for (let [hex, b58] of vectors) {
      assert.equal(encodeBase58(hexToBytes(hex)), b58, `encode ${hex}`);
      hex = hex.toLowerCase();
      const dec = decodeBase58(b58, 256);
      assert.ok(dec, `decode ${b58}`);
      assert.equal(bytesToHex(dec), hex);
      checked++;
    }
  });

  it('follows Core on white space, bad characters and length limits', () => {
    assert.equal(decodeBase58('invalid', 100), null); // 'l' is not Base58
    assert.equal(decodeBase58('invalid\0', 100), null);
    assert.equal(decodeBase58('\0invalid', 100), null);
    assert.equal(bytesToHex(decodeBase58(' \t\n\v\f\r skip \r\f\v\n\t ', 3)!), '971a55');
    assert.equal(decodeBase58(' \t\n\v\f\r skip \r\f\v\n\t a', 3), null);
    assert.ok(decodeBase58('good', 100));
    assert.equal(decodeBase58('bad0IOl', 100), null);
    assert.equal(decodeBase58('good\0bad0IOl', 100), null);
    assert.equal(decodeBase58('11', 1), null);
    assert.equal(bytesToHex(decodeBase58('11', 2)!), '0000');
  });

  it('round-trips Base58Check and rejects checksum and length errors', () => {
    const payload = hexToBytes('00a31c06bd463e3923bc1aadbde48b16976c080717');
    const s = encodeBase58Check(payload);
    assert.equal(s, '1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo');
    assert.equal(bytesToHex(decodeBase58Check(s, 21)!), bytesToHex(payload));
    assert.equal(decodeBase58Check(s, 20), null);
    assert.equal(decodeBase58Check(s.slice(0, -1) + 'n', 21), null);
    assert.ok(decodeBase58Check('3vQB7B6MrGQZaxCuFg4oh', 100));
    assert.equal(decodeBase58Check('3vQB7B6MrGQZaxCuFg4oi', 100), null);
    assert.equal(decodeBase58Check('3vQB7B6MrGQZaxCuFg4oh0IOl', 100), null);
    assert.equal(decodeBase58Check('3vQB7B6MrGQZaxCuFg4oh\x000IOl', 100), null);
    assert.equal(decodeBase58Check('', 100), null);
  });
});
