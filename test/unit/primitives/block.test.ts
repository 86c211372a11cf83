// BlockHeader and Block: genesis block hash, (de)serialization with and without witness, weight.
import assert from 'node:assert/strict';
import { Block, BlockHeader } from '../../../src/primitives/block.js';
import { MutableTransaction, OutPoint, Transaction } from '../../../src/primitives/transaction.js';
import { SerializationError } from '../../../src/util/serialize.js';
import { hashToHex, hexToBytes, hexToHash } from '../../../src/util/hex.js';
import { GENESIS_COINBASE_HEX } from './fixtures.js';

const GENESIS_HEADER_HEX =
  '0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc388' +
  '8a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c';
const GENESIS_HASH = '000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f';

describe('primitives/block', () => {
  it('hashAll fills the same hashes as hashing each header', () => {
    const headers = [0, 1, 2, 3].map((n) => new BlockHeader({ version: 4, time: 1296688602 + n, bits: 0x207fffff, nonce: n * 7 }));
    headers.push(BlockHeader.fromHex(GENESIS_HEADER_HEX));
    const expected = headers.map((h) => BlockHeader.fromBytes(h.toBytes()).hashHex());
    BlockHeader.hashAll([headers[1]!]);
    BlockHeader.hashAll(headers);
    BlockHeader.hashAll([]);
    assert.deepEqual(headers.map((h) => h.hashHex()), expected);
    assert.equal(headers[4]!.hashHex(), GENESIS_HASH);
  });
  it('hashes the genesis header', () => {
    const h = BlockHeader.fromHex(GENESIS_HEADER_HEX);
    assert.equal(h.hashHex(), GENESIS_HASH);
    assert.equal(h.version, 1);
    assert.equal(h.time, 1231006505);
    assert.equal(h.bits, 0x1d00ffff);
    assert.equal(h.nonce, 2083236893);
    assert.equal(hashToHex(h.hashMerkleRoot), '4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b');
    assert.equal(h.toHex(), GENESIS_HEADER_HEX);
    assert.equal(h.isNull(), false);
    assert.equal(new BlockHeader().isNull(), true);
  });

  it('parses and re-serializes the genesis block', () => {
    const hex = GENESIS_HEADER_HEX + '01' + GENESIS_COINBASE_HEX;
    const b = Block.fromHex(hex);
    assert.equal(b.hashHex(), GENESIS_HASH);
    assert.equal(b.vtx.length, 1);
    assert.deepEqual(b.vtx[0]!.txid, b.header.hashMerkleRoot);
    assert.equal(b.toHex(), hex);
    assert.equal(b.getTotalSize(), 285);
    assert.equal(b.getStrippedSize(), 285);
    assert.equal(b.getWeight(), 1140);
  });

  it('serializes witness blocks with and without witness data', () => {
    const coinbase = Transaction.fromHex(GENESIS_COINBASE_HEX);
    const m = new MutableTransaction();
    m.addInput(new OutPoint(coinbase.txid, 0)).addOutput(1000n, hexToBytes('51'));
    m.setWitness(0, [hexToBytes('aabbcc'), new Uint8Array(0)]);
    const spend = m.toTransaction();
    const header = new BlockHeader({ version: 0x20000000, hashPrevBlock: hexToHash(GENESIS_HASH), time: 1, bits: 0x207fffff });
    const block = new Block(header, [coinbase, spend]);

    const full = block.toBytes(true);
    const stripped = block.toBytes(false);
    assert.equal(full.length, block.getTotalSize());
    assert.equal(stripped.length, block.getStrippedSize());
    assert.equal(full.length - stripped.length, 2 + 1 + 4 + 1, 'marker+flag, stack count, two items');
    assert.equal(block.getWeight(), stripped.length * 3 + full.length);

    const back = Block.fromBytes(full);
    assert.equal(back.vtx[1]!.wtxidHex(), spend.wtxidHex());
    assert.equal(back.hashHex(), block.hashHex());
    const legacy = Block.fromBytes(stripped, { allowWitness: false });
    assert.equal(legacy.vtx[1]!.hasWitness(), false);
    assert.equal(legacy.vtx[1]!.txidHex(), spend.txidHex());

    // keepBytes: wireBytes() is a view of the block's own bytes, equal to a fresh serialization.
    const kept = Block.fromBytes(full, { keepBytes: true });
    kept.vtx.forEach((tx, i) => {
      const wire = tx.wireBytes();
      assert.deepEqual(wire, block.vtx[i]!.toBytes(true));
      assert.equal(wire.buffer, full.buffer, 'a view, not a copy');
    });
    assert.notEqual(back.vtx[1]!.wireBytes().buffer, full.buffer, 'without keepBytes: serialized again');
    assert.deepEqual(back.vtx[1]!.wireBytes(), spend.toBytes(true));
  });

  it('fails cleanly on truncated or padded blocks', () => {
    const bytes = hexToBytes(GENESIS_HEADER_HEX + '01' + GENESIS_COINBASE_HEX);
    for (const len of [0, 79, 80, 81, 100, bytes.length - 1]) {
      assert.throws(() => Block.fromBytes(bytes.subarray(0, len)), (e: unknown) =>
        e instanceof SerializationError && e.message === 'SpanReader::read(): end of data');
    }
    assert.throws(() => Block.fromBytes(new Uint8Array([...bytes, 0])), SerializationError);
    // A block claiming 16M transactions with none present.
    assert.throws(() => Block.fromHex(GENESIS_HEADER_HEX + 'fe00000001'), SerializationError);
  });
});
