// BIP158 basic filters against Core's blockfilters.json (testnet3 blocks, filters and filter headers).
import assert from 'node:assert/strict';
import { BlockFilter, BlockFilterType, GCSFilter, basicFilterElements, basicFilterParams } from '../../../src/blockfilter.js';
import { Block } from '../../../src/primitives/block.js';
import { BitReader, BitWriter, golombRiceDecode, golombRiceEncode } from '../../../src/util/golombrice.js';
import { bytesToHex, hashToHex, hexToBytes, hexToHash } from '../../../src/util/hex.js';
import { SerializationError } from '../../../src/util/serialize.js';
import { readTestJson } from '../util/paths.js';

type Row = [number, string, string, string[], string, string, string, string];

describe('blockfilter', () => {
  const rows = readTestJson<unknown[][]>('blockfilters.json').slice(1) as Row[];
  let checked = 0;
  after(() => console.log(`      blockfilters.json: ${checked}/${rows.length} blocks (filter bytes and header)`));

  it('builds every filter and header of blockfilters.json', () => {
    assert.equal(rows.length, 10);
    for (const [height, hashHex, blockHex, prevScripts, prevHeaderHex, filterHex, headerHex, notes] of rows) {
      const block = Block.fromHex(blockHex);
      const hash = block.header.getHash();
      assert.equal(hashToHex(hash), hashHex, `block hash at ${height}`);
      const filter = BlockFilter.fromBlock(block, hash, prevScripts.map(hexToBytes));
      assert.equal(bytesToHex(filter.encoded), filterHex, `filter at ${height} (${notes})`);
      assert.equal(hashToHex(filter.computeHeader(hexToHash(prevHeaderHex))), headerHex, `header at ${height}`);
      // The received form decodes and hashes the same.
      const received = BlockFilter.fromEncoded(BlockFilterType.BASIC, hash, hexToBytes(filterHex));
      assert.ok(received.equals(filter));
      checked++;
    }
  });

  it('matches every element of a block and rejects others', () => {
    for (const [, , blockHex, prevScripts] of rows) {
      const block = Block.fromHex(blockHex);
      const filter = BlockFilter.fromBlock(block, block.header.getHash(), prevScripts.map(hexToBytes)).filter;
      const elements = basicFilterElements(block, prevScripts.map(hexToBytes));
      for (const e of elements) assert.ok(filter.match(e));
      if (elements.length) assert.ok(filter.matchAny([Uint8Array.of(1, 2, 3), elements[elements.length - 1]!]));
      assert.ok(!filter.matchAny([]));
      for (const out of block.vtx.flatMap((tx) => tx.vout)) {
        if (out.scriptPubKey.length && out.scriptPubKey[0] === 0x6a && !elements.some((e) => bytesToHex(e) === bytesToHex(out.scriptPubKey))) {
          // OP_RETURN outputs are left out of the set; a match would only be a 1/M false positive.
          assert.ok(!filter.match(out.scriptPubKey));
        }
      }
    }
  });

  it('has no false positives among 1000 random elements of a 100-element filter (rate 1/784931)', () => {
    const params = basicFilterParams(new Uint8Array(32).fill(7));
    const members = Array.from({ length: 100 }, (_, i) => Uint8Array.of(0xaa, i));
    const gcs = GCSFilter.fromElements(params, members);
    for (const m of members) assert.ok(gcs.match(m));
    let fp = 0;
    for (let i = 0; i < 1000; i++) if (gcs.match(Uint8Array.of(0xbb, i & 0xff, i >> 8))) fp++;
    assert.equal(fp, 0);
    assert.ok(GCSFilter.fromElements(params, []).encoded.length === 1 && !GCSFilter.fromElements(params, []).match(members[0]!));
  });

  describe('decoding a received filter (Core\'s GCSFilter checks)', () => {
    const params = basicFilterParams(new Uint8Array(32).fill(3));
    const members = Array.from({ length: 5 }, (_, i) => Uint8Array.of(0xcc, i));
    const good = GCSFilter.fromElements(params, members).encoded;
    const decode = (bytes: Uint8Array, skip = false) => GCSFilter.fromEncoded(params, bytes, skip);
    const throwsSer = (bytes: Uint8Array, message: string) =>
      assert.throws(() => decode(bytes), (e: unknown) => e instanceof SerializationError && e.message === message);

    it('accepts an exact encoding, padding bits included', () => {
      const f = decode(good);
      assert.equal(f.n, 5);
      for (const m of members) assert.ok(f.match(m));
      assert.equal(decode(Uint8Array.of(0)).n, 0);
    });

    it('rejects any byte after the last code: encoded_filter contains excess data', () => {
      throwsSer(Uint8Array.from([...good, 0]), 'encoded_filter contains excess data');
      throwsSer(Uint8Array.of(0, 0), 'encoded_filter contains excess data');
      // Core does not look past N when told to skip the check.
      assert.equal(decode(Uint8Array.from([...good, 0]), true).n, 5);
      const blockHash = new Uint8Array(32).fill(3);
      assert.throws(
        () => BlockFilter.fromEncoded(BlockFilterType.BASIC, blockHash, Uint8Array.from([...good, 0xff])),
        (e: unknown) => e instanceof SerializationError && e.message === 'encoded_filter contains excess data',
      );
    });

    it('rejects too few codes: end of data', () => {
      throwsSer(good.subarray(0, good.length - 1), 'SpanReader::read(): end of data');
      throwsSer(Uint8Array.of(6, ...good.subarray(1)), 'SpanReader::read(): end of data');
      throwsSer(new Uint8Array(0), 'SpanReader::read(): end of data');
    });

    it('reads N with the CompactSize range and canonical checks', () => {
      // MAX_SIZE + 1 = 0x02000001 elements: refused before any decoding, even with the check skipped.
      const tooMany = Uint8Array.of(0xfe, 0x01, 0x00, 0x00, 0x02);
      throwsSer(tooMany, 'ReadCompactSize(): size too large');
      assert.throws(() => decode(tooMany, true), /ReadCompactSize\(\): size too large/);
      assert.equal(decode(Uint8Array.of(0xfe, 0x00, 0x00, 0x00, 0x02), true).n, 0x02000000);
      throwsSer(Uint8Array.of(0xfd, 0x05, 0x00), 'non-canonical ReadCompactSize()');
    });
  });

  it('round-trips Golomb-Rice codes', () => {
    const w = new BitWriter();
    const values = [0n, 1n, 524287n, 524288n, 123456789n, (1n << 30n) + 3n];
    for (const v of values) golombRiceEncode(w, 19, v);
    const r = new BitReader(w.finish());
    for (const v of values) assert.equal(golombRiceDecode(r, 19), v);
    assert.throws(() => new BitReader(new Uint8Array(0)).read(1), (e: unknown) => e instanceof SerializationError && e.message === 'SpanReader::read(): end of data');
  });
});
