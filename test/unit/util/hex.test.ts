import assert from 'node:assert/strict';
import { bytesToHex, hexToBytes, isHex } from '../../../src/util/hex.js';

// Both sides of the size where Node's codec takes over must agree byte for byte.
const SIZES = [0, 1, 31, 4096, 4097, 100_000];

function pattern(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 151 + 7) & 0xff);
}

describe('hex', () => {
  it('round trips at every size, in either case, into a plain Uint8Array of its own', () => {
    for (const n of SIZES) {
      const bytes = pattern(n);
      const hex = bytesToHex(bytes);
      assert.equal(hex, Buffer.from(bytes).toString('hex'), `size ${n}`);
      for (const text of [hex, hex.toUpperCase()]) {
        const back = hexToBytes(text);
        assert.equal(Object.getPrototypeOf(back), Uint8Array.prototype, `size ${n}`);
        assert.deepEqual(back, bytes, `size ${n}`);
        assert.equal(back.byteOffset, 0);
        assert.equal(back.buffer.byteLength, n);
      }
    }
  });

  it('rejects a bad character anywhere, and an odd length, at every size', () => {
    for (const n of SIZES.filter((k) => k > 0)) {
      const hex = bytesToHex(pattern(n));
      for (const at of [0, hex.length - 1, hex.length >> 1]) {
        const bad = `${hex.slice(0, at)}g${hex.slice(at + 1)}`;
        assert.throws(() => hexToBytes(bad), /non-hex character/, `size ${n} at ${at}`);
        assert.equal(isHex(bad), false);
      }
      assert.throws(() => hexToBytes(hex.slice(1)), /odd length/);
      assert.equal(isHex(hex.slice(1)), false);
      assert.equal(isHex(hex), true);
    }
    assert.equal(isHex(''), false);
    assert.equal(isHex(' 00'), false);
  });
});
