// Amount and script compression (compressor.cpp): Core's compress_tests vectors, every special script, round trips.
import assert from 'node:assert/strict';
import { pubkeyCreate } from '../../../src/crypto/secp256k1.js';
import { TxOut } from '../../../src/primitives/transaction.js';
import {
  compressAmount, compressScript, decompressAmount, readCompressedScript, readCompressedTxOut,
  writeCompressedScript, writeCompressedTxOut,
} from '../../../src/node/compressor.js';
import { bytesToHex, hexToBytes } from '../../../src/util/hex.js';
import { ByteReader, ByteWriter, SerializationError } from '../../../src/util/serialize.js';

const COIN = 100_000_000n;
const CENT = 1_000_000n;

function ser(write: (w: ByteWriter) => void): Uint8Array {
  const w = new ByteWriter();
  write(w);
  return w.toBytes();
}

function scriptRoundTrip(script: Uint8Array): Uint8Array {
  const bytes = ser((w) => writeCompressedScript(w, script));
  const r = new ByteReader(bytes);
  assert.deepEqual(readCompressedScript(r), script);
  assert.ok(r.eof());
  return bytes;
}

describe('diskformats/compressor', () => {
  it('compresses amounts as Core does (compress_tests pairs)', () => {
    const pairs: [bigint, bigint][] = [[0n, 0x0n], [1n, 0x1n], [CENT, 0x7n], [COIN, 0x9n], [50n * COIN, 0x32n], [21000000n * COIN, 0x1406f40n]];
    for (const [dec, enc] of pairs) {
      assert.equal(compressAmount(dec), enc);
      assert.equal(decompressAmount(enc), dec);
    }
  });

  it('round-trips amounts and codes (compress_tests ranges, sampled)', () => {
    for (let i = 1n; i <= 100000n; i++) assert.equal(decompressAmount(compressAmount(i)), i);
    for (let i = 1n; i <= 10000n; i++) assert.equal(decompressAmount(compressAmount(i * CENT)), i * CENT);
    for (let i = 1n; i <= 10000n; i++) assert.equal(decompressAmount(compressAmount(i * COIN)), i * COIN);
    for (let i = 1n; i <= 420000n; i += 7n) assert.equal(decompressAmount(compressAmount(i * 50n * COIN)), i * 50n * COIN);
    for (let i = 0n; i < 100000n; i++) assert.equal(compressAmount(decompressAmount(i)), i);
  });

  it('compresses each special script type to code + payload', () => {
    const h20 = hexToBytes('00112233445566778899aabbccddeeff00112233');
    const p2pkh = hexToBytes(`76a914${bytesToHex(h20)}88ac`);
    assert.equal(bytesToHex(scriptRoundTrip(p2pkh)), `00${bytesToHex(h20)}`);
    const p2sh = hexToBytes(`a914${bytesToHex(h20)}87`);
    assert.equal(bytesToHex(scriptRoundTrip(p2sh)), `01${bytesToHex(h20)}`);
    const seckey = hexToBytes('0000000000000000000000000000000000000000000000000000000000000003');
    const compressed = pubkeyCreate(seckey, true);
    const p2pkC = Uint8Array.of(33, ...compressed, 0xac);
    assert.equal(bytesToHex(scriptRoundTrip(p2pkC)), bytesToHex(compressed));
    const uncompressed = pubkeyCreate(seckey, false);
    const p2pkU = Uint8Array.of(65, ...uncompressed, 0xac);
    const enc = scriptRoundTrip(p2pkU);
    assert.equal(enc.length, 33);
    assert.equal(enc[0], 0x04 | (uncompressed[64]! & 1));
    assert.deepEqual(enc.subarray(1), uncompressed.subarray(1, 33));
    // Cover both parities of y (codes 4 and 5): take the first small key whose y parity differs.
    const other = [4, 5, 6, 7, 8, 9].map((k) => pubkeyCreate(hexToBytes('00'.repeat(31) + '0' + k), false)).find((p) => (p[64]! & 1) !== (uncompressed[64]! & 1))!;
    assert.equal(scriptRoundTrip(Uint8Array.of(65, ...other, 0xac))[0], 0x04 | (other[64]! & 1));
  });

  it('stores other scripts as VARINT(size + 6) and the bytes', () => {
    assert.equal(bytesToHex(scriptRoundTrip(Uint8Array.of(0x51))), '0751');
    assert.equal(bytesToHex(scriptRoundTrip(new Uint8Array(0))), '06');
    const big = new Uint8Array(200).fill(0x6a);
    assert.equal(bytesToHex(scriptRoundTrip(big).subarray(0, 2)), '804e'); // 206 as a VARINT
    // An uncompressed key that is not on the curve is not special.
    const offCurve = Uint8Array.of(65, 4, ...new Uint8Array(64).fill(0xff), 0xac);
    assert.equal(compressScript(offCurve), undefined);
    assert.equal(scriptRoundTrip(offCurve)[0], 67 + 6);
  });

  it('replaces an over-long script with OP_RETURN and rejects a length past the data', () => {
    const size = 10001;
    const bytes = ser((w) => w.writeVarInt(size + 6).writeBytes(new Uint8Array(size)).writeU8(0x99));
    const r = new ByteReader(bytes);
    assert.deepEqual(readCompressedScript(r), Uint8Array.of(0x6a));
    assert.equal(r.readU8(), 0x99);
    const lying = ser((w) => w.writeVarInt(0xffffffff).writeU8(1));
    assert.throws(() => readCompressedScript(new ByteReader(lying)), SerializationError);
  });

  it('decodes an x coordinate off the curve (codes 4/5) to the empty script', () => {
    const bytes = Uint8Array.of(0x04, ...new Uint8Array(32).fill(0xff));
    assert.deepEqual(readCompressedScript(new ByteReader(bytes)), new Uint8Array(0));
  });

  it('round-trips a compressed TxOut', () => {
    const out = new TxOut(50n * COIN, Uint8Array.of(0x51));
    const bytes = ser((w) => writeCompressedTxOut(w, out));
    assert.equal(bytesToHex(bytes), '320751');
    const back = readCompressedTxOut(new ByteReader(bytes));
    assert.equal(back.value, out.value);
    assert.deepEqual(back.scriptPubKey, out.scriptPubKey);
  });
});
