// CPubKey / CKey validity checks of src/key.ts, which go through the secp256k1 façade.
import assert from 'node:assert/strict';
import { Key, pubkeyIsFullyValid, pubkeyIsValidNonHybrid, secretIsValid, xonlyFromPubkey, xonlyIsFullyValid } from '../../../src/key.js';
import { hexToBytes } from '../../../src/util/hex.js';

const N = hexToBytes('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141');

describe('key (CPubKey checks)', () => {
  const key = Key.fromSecret(new Uint8Array(32).fill(7), false)!;
  const uncompressed = key.getPubKey();
  const compressed = Key.fromSecret(new Uint8Array(32).fill(7), true)!.getPubKey();
  const yOdd = (uncompressed[64]! & 1) === 1;

  it('accepts hybrid (06/07) keys with the right parity, as secp256k1_ec_pubkey_parse does', () => {
    assert.ok(pubkeyIsFullyValid(compressed));
    assert.ok(pubkeyIsFullyValid(uncompressed));
    const hybrid = Uint8Array.from(uncompressed);
    hybrid[0] = yOdd ? 0x07 : 0x06;
    assert.ok(pubkeyIsFullyValid(hybrid));
    assert.ok(!pubkeyIsValidNonHybrid(hybrid));
    const wrongParity = Uint8Array.from(hybrid);
    wrongParity[0] = yOdd ? 0x06 : 0x07;
    assert.ok(!pubkeyIsFullyValid(wrongParity));
  });

  it('rejects bad sizes, headers and points off the curve', () => {
    assert.ok(!pubkeyIsFullyValid(new Uint8Array(0)));
    assert.ok(!pubkeyIsFullyValid(compressed.subarray(0, 32)));
    assert.ok(!pubkeyIsFullyValid(Uint8Array.from([0x05, ...compressed.subarray(1)])));
    // A compressed header with a 65-byte body is a size mismatch, even though the point is valid.
    assert.ok(!pubkeyIsFullyValid(Uint8Array.from([0x02, ...uncompressed.subarray(1)])));
    const offCurve = Uint8Array.from(uncompressed);
    offCurve[64] = offCurve[64]! ^ 1;
    assert.ok(!pubkeyIsFullyValid(offCurve));
  });

  it('checks x-only keys and secrets', () => {
    assert.ok(xonlyIsFullyValid(xonlyFromPubkey(compressed)));
    assert.ok(!xonlyIsFullyValid(new Uint8Array(32).fill(0xff)));
    assert.ok(!xonlyIsFullyValid(compressed));
    assert.ok(!secretIsValid(new Uint8Array(32)));
    assert.ok(!secretIsValid(N));
    assert.ok(!secretIsValid(new Uint8Array(31).fill(1)));
    const nMinus1 = Uint8Array.from(N);
    nMinus1[31] = nMinus1[31]! - 1;
    assert.ok(secretIsValid(nMinus1));
  });
});
