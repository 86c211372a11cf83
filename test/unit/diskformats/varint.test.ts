// Core's VARINT in both modes: known encodings, boundaries of each integer width, overflow rejection.
import assert from 'node:assert/strict';
import { bytesToHex, hexToBytes } from '../../../src/util/hex.js';
import { ByteReader, ByteWriter, SerializationError, VARINT_TOO_LARGE } from '../../../src/util/serialize.js';

function enc(n: bigint): string {
  return bytesToHex(new ByteWriter().writeVarInt(n).toBytes());
}

function dec(hex: string, bits: 31 | 32 | 63 | 64): bigint {
  const r = new ByteReader(hexToBytes(hex));
  const v = r.readVarInt(bits);
  assert.ok(r.eof());
  return v;
}

describe('diskformats/varint', () => {
  it('encodes known values', () => {
    const known: [bigint, string][] = [
      [0n, '00'], [0x7fn, '7f'], [0x80n, '8000'], [0x1234n, 'a334'], [0xffffn, '82fe7f'], [0x4080n, '808000'], [0x407fn, 'ff7f'],
      [0x7fffffffn, '86fefefe7f'], [0xffffffffn, '8efefefe7f'], [(1n << 64n) - 1n, '80fefefefefefefefe7f'],
    ];
    for (const [n, hex] of known) {
      assert.equal(enc(n), hex);
      assert.equal(dec(hex, 64), n);
    }
  });

  it('reads each width up to its maximum and rejects one more (unsigned and NONNEGATIVE_SIGNED)', () => {
    for (const bits of [31, 32, 63, 64] as const) {
      const max = (1n << BigInt(bits)) - 1n;
      assert.equal(dec(enc(max), bits), max);
      assert.throws(() => dec(enc(max + 1n), bits), (e: unknown) => e instanceof SerializationError && e.message === VARINT_TOO_LARGE);
    }
    assert.equal(VARINT_TOO_LARGE, 'ReadVarInt(): size too large');
  });

  it('rejects a value that reaches the maximum with more bytes to come, before reading them', () => {
    for (const bits of [31, 32, 63, 64] as const) {
      // After these bytes the value is max >> 7; 0xff makes it max with a continuation bit, so nothing may follow.
      const prefix = new ByteWriter().writeVarInt(((1n << BigInt(bits)) - 1n >> 7n) - 1n).toBytes();
      prefix[prefix.length - 1]! |= 0x80;
      const r = new ByteReader(Uint8Array.of(...prefix, 0xff));
      assert.throws(() => r.readVarInt(bits), { message: VARINT_TOO_LARGE });
    }
  });

  it('rejects an endless continuation and a truncated value', () => {
    assert.throws(() => dec('ff'.repeat(12) + '00', 64), { message: VARINT_TOO_LARGE });
    assert.throws(() => dec('80', 64), SerializationError);
  });

  it('round-trips a spread of values', () => {
    for (let i = 0n; i < 64n; i++) {
      for (const v of [(1n << i) - 1n, 1n << i, (1n << i) + 1n]) if (v < 1n << 64n) assert.equal(dec(enc(v), 64), v);
    }
  });

  it('refuses to write a negative value (NONNEGATIVE_SIGNED)', () => {
    assert.throws(() => new ByteWriter().writeVarInt(-1), RangeError);
  });
});
