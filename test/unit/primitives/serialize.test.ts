// ByteReader/ByteWriter: integers, CompactSize (canonical + range checks), VARINT, bounded byte vectors.
import assert from 'node:assert/strict';
import {
  ByteReader,
  ByteWriter,
  MAX_SIZE,
  SerializationError,
  compactSizeLen,
} from '../../../src/util/serialize.js';
import { bytesToHex, hashToHex, hexToBytes, hexToHash, isHex } from '../../../src/util/hex.js';

const reader = (hex: string): ByteReader => new ByteReader(hexToBytes(hex));

function throwsSer(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => e instanceof SerializationError && e.message === message);
}

describe('util/serialize', () => {
  it('reads and writes fixed-width integers little-endian', () => {
    const w = new ByteWriter(4);
    w.writeU8(0xab).writeU16LE(0x1234).writeU32LE(0xdeadbeef).writeI32LE(-2);
    w.writeU64LE(0x0102030405060708n).writeI64LE(-1n).writeU32BE(0x01020304);
    assert.equal(bytesToHex(w.toBytes()), 'ab3412efbeaddefeffffff0807060504030201ffffffffffffffff01020304');
    const r = new ByteReader(w.toBytes());
    assert.equal(r.readU8(), 0xab);
    assert.equal(r.readU16LE(), 0x1234);
    assert.equal(r.readU32LE(), 0xdeadbeef);
    assert.equal(r.readI32LE(), -2);
    assert.equal(r.readU64LE(), 0x0102030405060708n);
    assert.equal(r.readI64LE(), -1n);
    assert.equal(r.readU32BE(), 0x01020304);
    assert.ok(r.eof());
  });

  it('throws Core\'s end-of-data error when reading past the end', () => {
    throwsSer(() => reader('010203').readU32LE(), 'SpanReader::read(): end of data');
    throwsSer(() => reader('').readU8(), 'SpanReader::read(): end of data');
    const e = (() => {
      try {
        reader('00').readHash();
      } catch (err) {
        return err as SerializationError;
      }
      return undefined;
    })();
    assert.equal(e?.what, 'SpanReader::read(): end of data: iostream error');
  });

  it('round-trips CompactSize at every size boundary', () => {
    const cases: Array<[number | bigint, string]> = [
      [0, '00'], [252, 'fc'], [253, 'fdfd00'], [0xffff, 'fdffff'], [0x10000, 'fe00000100'],
      [0xffffffff, 'feffffffff'], [0x100000000n, 'ff0000000001000000'], [0xffffffffffffffffn, 'ffffffffffffffffff'],
    ];
    for (const [n, hex] of cases) {
      const w = new ByteWriter().writeCompactSize(n);
      assert.equal(bytesToHex(w.toBytes()), hex);
      assert.equal(compactSizeLen(n), hex.length / 2);
      assert.equal(reader(hex).readCompactSizeBig(), BigInt(n));
    }
    assert.equal(reader('fe00000002').readCompactSize(), MAX_SIZE);
  });

  it('rejects non-canonical CompactSize encodings', () => {
    for (const hex of ['fdfc00', 'fd0000', 'feffff0000', 'ffffffffff00000000', 'ff0000000000000000']) {
      throwsSer(() => reader(hex).readCompactSizeBig(), 'non-canonical ReadCompactSize()');
      throwsSer(() => reader(hex).readCompactSize(), 'non-canonical ReadCompactSize()');
    }
  });

  it('range-checks CompactSize against MAX_SIZE', () => {
    throwsSer(() => reader('fe01000002').readCompactSize(), 'ReadCompactSize(): size too large');
    throwsSer(() => reader('ff0000000001000000').readCompactSize(), 'ReadCompactSize(): size too large');
    assert.equal(reader('fe01000002').readCompactSizeBig(), 0x02000001n);
  });

  it('never allocates more than the input holds for a length prefix', () => {
    // MAX_SIZE announced with 3 bytes of data: fails before allocating.
    throwsSer(() => reader('fe00000002aabbcc').readVarBytes(), 'SpanReader::read(): end of data');
    // A huge item count with nothing behind it fails on the first item.
    throwsSer(() => reader('fe00000002').readVector((r) => r.readVarBytes()), 'SpanReader::read(): end of data');
    assert.equal(bytesToHex(reader('03aabbcc').readVarBytes()), 'aabbcc');
  });

  it('encodes Core\'s VARINT bit patterns', () => {
    const cases: Array<[bigint, string]> = [
      [0n, '00'], [0x7fn, '7f'], [0x80n, '8000'], [0x1234n, 'a334'], [0xffffn, '82fe7f'],
      [0x123456n, 'c7e756'], [0x80123456n, '86ffc7e756'], [0xffffffffn, '8efefefe7f'],
      [0x7fffffffffffffffn, 'fefefefefefefefe7f'], [0xffffffffffffffffn, '80fefefefefefefefe7f'],
    ];
    for (const [n, hex] of cases) {
      assert.equal(bytesToHex(new ByteWriter().writeVarInt(n).toBytes()), hex, `VARINT(${n})`);
      assert.equal(reader(hex).readVarInt(), n);
    }
    assert.equal(reader('8efefefe7f').readVarIntU32(), 0xffffffff);
  });

  it('rejects VARINTs that overflow the target integer', () => {
    // 0x100000000 does not fit a uint32, 2^64 does not fit a uint64.
    const over32 = bytesToHex(new ByteWriter().writeVarInt(0x100000000n).toBytes());
    throwsSer(() => reader(over32).readVarIntU32(), 'ReadVarInt(): size too large');
    assert.equal(reader(over32).readVarInt(64), 0x100000000n);
    throwsSer(() => reader('80fefefefefefefeff00').readVarInt(), 'ReadVarInt(): size too large');
    throwsSer(() => reader('81fefefefefefefefe7f').readVarInt(), 'ReadVarInt(): size too large');
    throwsSer(() => reader('80').readVarInt(), 'SpanReader::read(): end of data');
  });

  it('reads 31- and 32-bit VARINTs as numbers exactly as readVarInt does, limits and errors included', () => {
    const values = [0n, 1n, 0x7fn, 0x80n, 0x407fn, 0x4080n, 0x1234n, 0x7fffffffn, 0x80000000n, 0xfffffffen, 0xffffffffn, 0x100000000n, 0x7fffffffffffffffn];
    const encodings = values.map((v) => bytesToHex(new ByteWriter().writeVarInt(v).toBytes()));
    // Overlong and overflowing encodings: n reaches the maximum and continues, or passes the limit before a shift.
    encodings.push('8efefefeff00', '8ffefefe7f', '87fefefe7f', '8efefefeff', '80');
    for (const hex of encodings) {
      for (const bits of [31, 32] as const) {
        let expected: number | string;
        try {
          expected = Number(reader(hex).readVarInt(bits));
        } catch (err) {
          expected = (err as Error).message;
        }
        let actual: number | string;
        try {
          actual = reader(hex).readVarIntNumber(bits);
        } catch (err) {
          assert.ok(err instanceof SerializationError, `${hex}/${bits}: ${String(err)}`);
          actual = err.message;
        }
        assert.equal(actual, expected, `VARINT ${hex} as ${bits} bits`);
      }
    }
    assert.equal(reader('8efefefe7f').readVarIntNumber(32), 0xffffffff);
    throwsSer(() => reader('8efefefe7f').readVarIntNumber(31), 'ReadVarInt(): size too large');
  });

  it('starts over after reset, and drops a buffer grown past the kept size', () => {
    const w = new ByteWriter(16);
    w.writeBytes(new Uint8Array(100).fill(7)).writeU32LE(1);
    assert.equal(w.reset().length, 0);
    w.writeU8(9).writeU16LE(0x0201);
    assert.deepEqual(w.toBytes(), Uint8Array.of(9, 1, 2));
    const big = new Uint8Array(5000).map((_, i) => i & 0xff);
    w.reset().writeBytes(big);
    assert.deepEqual(w.peek(), big);
    // Shrunk to 1 KiB: the next message must still come out whole, growing again as needed.
    w.reset(1024).writeU32LE(0xdeadbeef).writeBytes(big.subarray(0, 2000));
    assert.equal(w.length, 2004);
    assert.deepEqual(w.peek().subarray(0, 4), Uint8Array.of(0xef, 0xbe, 0xad, 0xde));
    assert.deepEqual(w.peek().subarray(4), big.subarray(0, 2000));
  });

  it('grows the writer buffer as needed', () => {
    const w = new ByteWriter(1);
    const chunk = new Uint8Array(1000).fill(5);
    for (let i = 0; i < 50; i++) w.writeBytes(chunk);
    assert.equal(w.length, 50_000);
    assert.equal(w.toBytes()[49_999], 5);
  });
});

describe('util/hex', () => {
  it('converts between bytes, hex and display-order hashes', () => {
    assert.equal(bytesToHex(hexToBytes('00ff10AB')), '00ff10ab');
    assert.equal(hashToHex(hexToBytes('0102')), '0201');
    assert.deepEqual(hexToHash('0201'), hexToBytes('0102'));
    assert.throws(() => hexToBytes('abc'), RangeError);
    assert.throws(() => hexToBytes('zz'), RangeError);
    assert.equal(isHex('00aa'), true);
    assert.equal(isHex(''), false);
    assert.equal(isHex('0g'), false);
  });
});
