// Transaction (de)serialization (BIP144 rules as in Core), txid/wtxid, sizes and weight, builders.
import assert from 'node:assert/strict';
import { hash256 } from '../../../src/crypto/sha256.js';
import { MutableTransaction, OutPoint, Transaction, TxIn, TxOut } from '../../../src/primitives/transaction.js';
import { ByteReader, SerializationError } from '../../../src/util/serialize.js';
import { bytesToHex, hashToHex, hexToBytes, hexToHash } from '../../../src/util/hex.js';
import { readTestJson } from '../util/paths.js';
import { GENESIS_COINBASE_HEX } from './fixtures.js';

const GENESIS_COINBASE_TXID = '4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b';

// BIP143 native P2WPKH example, signed (input 0 P2PK, input 1 P2WPKH).
const BIP143_SIGNED =
  '01000000000102fff7f7881a8099afa6940d42d1e7f6362bec38171ea3edf433541db4e4ad969f00000000494830450221008b9d1dc26ba6a9cb' +
  '62127b02742fa9d754cd3bebf337f7a55d114c8e5cdd30be022040529b194ba3f9281a99f2b1c0a19c0489bc22ede944ccf4ecbab4cc618ef3ed01' +
  'eeffffffef51e1b804cc89d182d279655c3aa89e815b1b309fe287d9b2b55d57b90ec68a0100000000ffffffff02202cb206000000001976a91482' +
  '80b37df378db99f66f85c95a783a76ac7a6d5988ac9093510d000000001976a9143bde42dbee7e4dbe6a21b2d50ce2f0167faa815988ac000247' +
  '304402203609e17b84f6a7d30c80bfa610b5b4542f32a8a0d5447a12fb1366d7f01cc44a0220573a954c4518331561406f90300e8f3358f51928' +
  'd43c212a8caed02de67eebee0121025476c2e83188368da1ff3e292e7acafcdb3566bb0ad253f62fc70f07aeee635711000000';

const counts: string[] = [];

function throwsSer(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => e instanceof SerializationError && e.message === message, message);
}

describe('primitives/transaction', () => {
  after(() => {
    if (counts.length) console.log(`      ${counts.join(', ')}`);
  });

  it('parses the genesis coinbase and computes its txid', () => {
    const tx = Transaction.fromHex(GENESIS_COINBASE_HEX);
    assert.equal(tx.txidHex(), GENESIS_COINBASE_TXID);
    assert.equal(tx.wtxidHex(), GENESIS_COINBASE_TXID);
    assert.deepEqual(tx.txid, hexToHash(GENESIS_COINBASE_TXID));
    assert.equal(tx.version, 1);
    assert.equal(tx.isCoinBase(), true);
    assert.equal(tx.hasWitness(), false);
    assert.equal(tx.getValueOut(), 5_000_000_000n);
    assert.equal(tx.getTotalSize(), 204);
    assert.equal(tx.getStrippedSize(), 204);
    assert.equal(tx.getWeight(), 816);
    assert.equal(tx.getVirtualSize(), 204);
    assert.equal(tx.toHex(), GENESIS_COINBASE_HEX);
    assert.equal(tx.txid, tx.txid, 'cached');
  });

  it('parses a segwit transaction: wtxid, sizes and weight', () => {
    const tx = Transaction.fromHex(BIP143_SIGNED);
    assert.equal(tx.hasWitness(), true);
    assert.equal(tx.toHex(), BIP143_SIGNED);
    const stripped = tx.toBytes(false);
    assert.deepEqual(tx.txid, hash256(stripped));
    assert.deepEqual(tx.wtxid, hash256(hexToBytes(BIP143_SIGNED)));
    assert.notDeepEqual(tx.txid, tx.wtxid);
    assert.equal(tx.getTotalSize(), BIP143_SIGNED.length / 2);
    assert.equal(tx.getStrippedSize(), stripped.length);
    assert.equal(tx.getWeight(), stripped.length * 3 + BIP143_SIGNED.length / 2);
    assert.equal(tx.getVirtualSize(), Math.ceil(tx.getWeight() / 4));
    assert.equal(tx.vin[0]!.witness.length, 0);
    assert.equal(tx.vin[1]!.witness.length, 2);
    assert.equal(tx.isCoinBase(), false);
    // Without witness support the stripped form parses to the same txid and no witness.
    const legacy = Transaction.fromBytes(stripped, { allowWitness: false });
    assert.equal(legacy.txidHex(), tx.txidHex());
    assert.equal(legacy.hasWitness(), false);
  });

  it('round-trips every transaction in tx_valid.json', () => {
    const rows = readTestJson<unknown[][]>('tx_valid.json');
    let n = 0;
    let witness = 0;
    for (const row of rows) {
      if (!Array.isArray(row[0])) continue;
      const hex = row[1] as string;
      const tx = Transaction.fromHex(hex);
      assert.equal(tx.toHex(), hex);
      assert.equal(tx.getTotalSize(), hex.length / 2);
      assert.equal(tx.getStrippedSize(), tx.toBytes(false).length);
      assert.deepEqual(tx.wtxid, hash256(hexToBytes(hex)));
      if (tx.hasWitness()) witness++;
      n++;
    }
    assert.equal(n, 121);
    assert.equal(witness, 28);
    counts.push(`tx_valid.json: ${n} transactions (${witness} with witness) round-tripped`);
  });

  it('reads a zero-input transaction as Core does (extended format, flag 0)', () => {
    // version, empty vin (the marker position), flag byte 0: no vout is read, then lockTime.
    const tx = Transaction.fromHex('01000000' + '00' + '00' + '00000000');
    assert.equal(tx.vin.length, 0);
    assert.equal(tx.vout.length, 0);
    assert.equal(tx.isNull(), true);
    assert.equal(tx.toHex(), '01000000000000000000');
    // A zero-input tx with outputs does not survive the extended-format reading: its vout count (1) becomes
    // the flag and the output is then read as inputs.
    const noInputs = new Transaction({ vout: [new TxOut(1n, new Uint8Array([0x51]))] });
    assert.equal(noInputs.toHex(), '0200000000010100000000000000015100000000');
    throwsSer(() => Transaction.fromBytes(noInputs.toBytes()), 'SpanReader::read(): end of data');
    const back = Transaction.fromBytes(noInputs.toBytes(), { allowWitness: false });
    assert.equal(back.vout.length, 1);
  });

  it('rejects a witness flag with all-empty witnesses and unknown flags', () => {
    const base = Transaction.fromHex(GENESIS_COINBASE_HEX);
    const body = base.toHex().slice(8, -8); // vin + vout
    throwsSer(() => Transaction.fromHex('01000000' + '0001' + body + '00' + '00000000'), 'Superfluous witness record');
    throwsSer(() => Transaction.fromHex('01000000' + '0002' + body + '00000000'), 'Unknown transaction optional data');
    throwsSer(() => Transaction.fromHex('01000000' + '0003' + body + '0101aa' + '00000000'), 'Unknown transaction optional data');
    const ok = Transaction.fromHex('01000000' + '0001' + body + '0101aa' + '00000000');
    assert.deepEqual(ok.vin[0]!.witness, [hexToBytes('aa')]);
  });

  it('fails cleanly at every truncation point', () => {
    const bytes = hexToBytes(BIP143_SIGNED);
    for (let len = 0; len < bytes.length; len++) {
      throwsSer(() => Transaction.fromBytes(bytes.subarray(0, len)), 'SpanReader::read(): end of data');
    }
    assert.throws(() => Transaction.fromBytes(new Uint8Array([...bytes, 0])), SerializationError);
    // Reading from a stream leaves the extra byte unread.
    const r = new ByteReader(new Uint8Array([...bytes, 0x42]));
    Transaction.read(r);
    assert.equal(r.remaining, 1);
  });

  it('does not allocate for huge announced lengths', () => {
    const ver = '01000000';
    throwsSer(() => Transaction.fromHex(ver + 'fe00000001'), 'SpanReader::read(): end of data'); // 16M inputs
    throwsSer(() => Transaction.fromHex(ver + 'fe01000002'), 'ReadCompactSize(): size too large');
    throwsSer(() => Transaction.fromHex(ver + 'feffffff01'), 'SpanReader::read(): end of data'); // MAX_SIZE - 1: in range
    throwsSer(() => Transaction.fromHex(ver + 'ffffffffffffffffff'), 'ReadCompactSize(): size too large');
    throwsSer(() => Transaction.fromHex(ver + '01' + '00'.repeat(36) + 'fe00000002'), 'SpanReader::read(): end of data');
    throwsSer(() => Transaction.fromHex(ver + '01' + '00'.repeat(36) + 'fd0100'), 'non-canonical ReadCompactSize()');
    // A witness stack with a huge element count.
    const body = Transaction.fromHex(GENESIS_COINBASE_HEX).toHex().slice(8, -8);
    throwsSer(() => Transaction.fromHex(ver + '0001' + body + 'fe00000002'), 'SpanReader::read(): end of data');
    throwsSer(() => Transaction.fromHex(ver + '0001' + body + '01fe00000002'), 'SpanReader::read(): end of data');
  });

  it('treats version as uint32', () => {
    const tx = Transaction.fromHex('ffffffff' + GENESIS_COINBASE_HEX.slice(8));
    assert.equal(tx.version, 0xffffffff);
    assert.equal(tx.toHex().slice(0, 8), 'ffffffff');
    assert.equal(new Transaction({ version: -1 }).version, 0xffffffff);
  });

  it('checks the output value range in getValueOut', () => {
    const spk = new Uint8Array([0x51]);
    const max = 21_000_000n * 100_000_000n;
    assert.equal(new Transaction({ vout: [new TxOut(max, spk)] }).getValueOut(), max);
    assert.throws(() => new Transaction({ vout: [new TxOut(-1n, spk)] }).getValueOut(), /GetValueOut: value out of range/);
    assert.throws(() => new Transaction({ vout: [new TxOut(max, spk), new TxOut(1n, spk)] }).getValueOut(), /value out of range/);
  });

  it('builds transactions with MutableTransaction', () => {
    const prev = new OutPoint(hexToHash(GENESIS_COINBASE_TXID), 0);
    const m = new MutableTransaction({ version: 2, lockTime: 100 });
    m.addInput(prev, undefined, TxIn.MAX_SEQUENCE_NONFINAL).addOutput(4_999_000_000n, hexToBytes('0014' + '11'.repeat(20)));
    const unsigned = m.toTransaction();
    assert.equal(unsigned.hasWitness(), false);
    m.setWitness(0, [hexToBytes('30' + '00'.repeat(70)), hexToBytes('02' + '22'.repeat(32))]);
    const signed = m.toTransaction();
    assert.equal(signed.txidHex(), unsigned.txidHex(), 'witness does not change the txid');
    assert.notEqual(signed.wtxidHex(), signed.txidHex());
    const back = Transaction.fromBytes(signed.toBytes());
    assert.equal(back.wtxidHex(), signed.wtxidHex());
    assert.equal(back.vin[0]!.sequence, 0xfffffffe);
    assert.equal(back.lockTime, 100);
    // The mutable copy is independent of the frozen transaction.
    const again = signed.toMutable();
    again.setScriptSig(0, hexToBytes('51'));
    assert.equal(signed.vin[0]!.scriptSig.length, 0);
    assert.throws(() => (signed.vin as TxIn[]).push(signed.vin[0]!), TypeError);
  });

  it('describes outpoints like Core', () => {
    const op = new OutPoint(hexToHash(GENESIS_COINBASE_TXID), 3);
    assert.equal(op.toString(), 'COutPoint(4a5e1e4baa, 3)');
    assert.equal(op.key(), `${GENESIS_COINBASE_TXID}:3`);
    assert.equal(new OutPoint().isNull(), true);
    assert.equal(op.isNull(), false);
    assert.equal(op.equals(new OutPoint(hexToHash(GENESIS_COINBASE_TXID), 3)), true);
    assert.equal(bytesToHex(new TxOut(-1n, new Uint8Array(0)).scriptPubKey), '');
    assert.equal(hashToHex(op.hash), GENESIS_COINBASE_TXID);
  });
});
