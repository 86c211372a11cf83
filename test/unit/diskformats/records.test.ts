// CDiskBlockIndex, CBlockFileInfo, Coin, undo entries and database keys: encodings and round trips.
import assert from 'node:assert/strict';
import { BlockHeader } from '../../../src/primitives/block.js';
import { OutPoint, TxOut } from '../../../src/primitives/transaction.js';
import { readBlockFileInfo, writeBlockFileInfo } from '../../../src/node/block_file_info.js';
import { readCoin, writeCoin } from '../../../src/node/coin.js';
import { BlockStatus, readDiskBlockIndex, writeDiskBlockIndex } from '../../../src/node/disk_block_index.js';
import { xorAt } from '../../../src/node/blockstorage_format.js';
import { flatFileName, flatFilePosToString } from '../../../src/node/flatfile.js';
import * as keys from '../../../src/node/txdb_keys.js';
import { readBlockUndo, readTxInUndo, writeBlockUndo, writeTxInUndo } from '../../../src/node/undo.js';
import { bytesToHex, hexToBytes } from '../../../src/util/hex.js';
import { ByteReader, ByteWriter, SerializationError } from '../../../src/util/serialize.js';

function ser(write: (w: ByteWriter) => void): Uint8Array {
  const w = new ByteWriter();
  write(w);
  return w.toBytes();
}

const header = new BlockHeader({ version: 0x20000000, hashPrevBlock: new Uint8Array(32).fill(7), time: 1767225600, bits: 0x207fffff, nonce: 5 });

describe('diskformats/records', () => {
  it('round-trips a CDiskBlockIndex with data and undo positions', () => {
    const idx = { height: 300, status: BlockStatus.BLOCK_VALID_SCRIPTS | BlockStatus.BLOCK_HAVE_DATA | BlockStatus.BLOCK_HAVE_UNDO | BlockStatus.BLOCK_OPT_WITNESS, nTx: 13, file: 0, dataPos: 123456, undoPos: 7890, header };
    const bytes = ser((w) => writeDiskBlockIndex(w, idx));
    // VARINT(259900) VARINT(300) VARINT(157) VARINT(13) VARINT(0) ... then the 80-byte header.
    assert.equal(bytesToHex(bytes.subarray(0, 9)), '8eed3c812c801d0d00');
    const back = readDiskBlockIndex(new ByteReader(bytes));
    assert.deepEqual({ ...back, header: back.header.toHex() }, { ...idx, header: header.toHex() });
    assert.equal(bytes.length, 9 + 3 + 2 + 80);
  });

  it('omits the file fields the status does not call for', () => {
    const idx = { height: 5, status: BlockStatus.BLOCK_VALID_TREE, nTx: 0, header };
    const bytes = ser((w) => writeDiskBlockIndex(w, idx));
    assert.equal(bytes.length, 3 + 1 + 1 + 1 + 80);
    const back = readDiskBlockIndex(new ByteReader(bytes));
    assert.equal(back.file, undefined);
    assert.equal(back.dataPos, undefined);
    assert.throws(() => writeDiskBlockIndex(new ByteWriter(), { ...idx, status: BlockStatus.BLOCK_HAVE_DATA }), RangeError);
    const dataOnly = readDiskBlockIndex(new ByteReader(ser((w) => writeDiskBlockIndex(w, { ...idx, status: BlockStatus.BLOCK_HAVE_DATA, file: 2, dataPos: 9, undoPos: 4 }))));
    assert.deepEqual([dataOnly.file, dataOnly.dataPos, dataOnly.undoPos], [2, 9, undefined]);
    const undoOnly = readDiskBlockIndex(new ByteReader(ser((w) => writeDiskBlockIndex(w, { ...idx, status: BlockStatus.BLOCK_HAVE_UNDO, file: 2, dataPos: 9, undoPos: 4 }))));
    assert.deepEqual([undoOnly.file, undoOnly.dataPos, undoOnly.undoPos], [2, undefined, 4]);
  });

  it('rejects a height beyond int (NONNEGATIVE_SIGNED)', () => {
    const bytes = ser((w) => w.writeVarInt(259900).writeVarInt(0x80000000n));
    assert.throws(() => readDiskBlockIndex(new ByteReader(bytes)), { message: 'ReadVarInt(): size too large' });
  });

  it('round-trips CBlockFileInfo', () => {
    const info = { nBlocks: 322, nSize: 1234567, nUndoSize: 89012, nHeightFirst: 0, nHeightLast: 318, nTimeFirst: 1296688602n, nTimeLast: 1767359400n };
    const bytes = ser((w) => writeBlockFileInfo(w, info));
    assert.deepEqual(readBlockFileInfo(new ByteReader(bytes)), info);
    assert.equal(bytesToHex(ser((w) => writeBlockFileInfo(w, { ...info, nBlocks: 1, nSize: 0x80 }))).slice(0, 6), '018000');
  });

  it('encodes a Coin and an undo entry, with the dummy version byte only above height 0', () => {
    const out = new TxOut(5000000000n, hexToBytes('76a914' + '11'.repeat(20) + '88ac'));
    const coin = { out, height: 120, coinbase: true };
    const c = ser((w) => writeCoin(w, coin));
    assert.equal(bytesToHex(c), '8071' + '32' + '00' + '11'.repeat(20)); // code 241 = 120 * 2 + 1
    assert.deepEqual(readCoin(new ByteReader(c)), coin);
    const u = ser((w) => writeTxInUndo(w, coin));
    assert.equal(bytesToHex(u), '807100' + '32' + '00' + '11'.repeat(20));
    assert.deepEqual(readTxInUndo(new ByteReader(u)), coin);
    const genesisCoin = { out, height: 0, coinbase: false };
    assert.equal(bytesToHex(ser((w) => writeTxInUndo(w, genesisCoin))).slice(0, 4), '0032');
    // Old undo data may hold any VARINT version there.
    assert.deepEqual(readTxInUndo(new ByteReader(hexToBytes('80718001' + '32' + '00' + '11'.repeat(20)))), coin);
  });

  it('round-trips CBlockUndo and bounds its counts', () => {
    const out = new TxOut(1n, Uint8Array.of(0x51));
    const undo = { vtxundo: [[{ out, height: 1, coinbase: true }], [{ out, height: 2, coinbase: false }, { out, height: 3, coinbase: false }]] };
    const bytes = ser((w) => writeBlockUndo(w, undo));
    assert.deepEqual(readBlockUndo(new ByteReader(bytes)), undo);
    assert.throws(() => readBlockUndo(new ByteReader(hexToBytes('fe00000010'))), { message: 'ReadCompactSize(): size too large' });
    assert.throws(() => readBlockUndo(new ByteReader(hexToBytes('fdffff'))), SerializationError);
  });

  it('builds and parses Core\'s database keys', () => {
    const txid = new Uint8Array(32).fill(0xab);
    const ck = keys.coinKey(new OutPoint(txid, 200));
    assert.equal(bytesToHex(ck), '43' + 'ab'.repeat(32) + '8048');
    assert.equal(keys.parseCoinKey(ck).n, 200);
    assert.throws(() => keys.parseCoinKey(Uint8Array.of(...ck, 0)), SerializationError);
    assert.throws(() => keys.parseCoinKey(Uint8Array.of(0x63, ...ck.subarray(1))), SerializationError);
    assert.equal(bytesToHex(keys.blockIndexKey(txid)), '62' + 'ab'.repeat(32));
    assert.deepEqual(keys.parseBlockIndexKey(keys.blockIndexKey(txid)), txid);
    assert.equal(bytesToHex(keys.blockFilesKey(1)), '6601000000');
    assert.equal(keys.parseBlockFilesKey(keys.blockFilesKey(7)), 7);
    assert.equal(bytesToHex(keys.flagKey('txindex')), '4607' + Buffer.from('txindex').toString('hex'));
    assert.equal(keys.decodeFlag(keys.encodeFlag(true)), true);
    assert.equal(keys.decodeFlag(keys.encodeFlag(false)), false);
    assert.equal(bytesToHex(keys.singleByteKey(keys.DB_BEST_BLOCK)), '42');
    assert.equal(String.fromCharCode(keys.DB_COIN, keys.DB_HEAD_BLOCKS, keys.DB_REINDEX_FLAG, keys.DB_LAST_BLOCK), 'CHRl');
    assert.equal(keys.decodeLastBlockFile(keys.encodeLastBlockFile(3)), 3);
    assert.equal(keys.decodeHeadBlocks(keys.encodeHeadBlocks([txid, txid])).length, 2);
  });

  it('names flat files and positions as Core does', () => {
    assert.equal(flatFileName('blk', 0), 'blk00000.dat');
    assert.equal(flatFileName('rev', 123456), 'rev123456.dat');
    assert.equal(flatFilePosToString({ file: 0, pos: 8 }), 'FlatFilePos(nFile=0, nPos=8)');
  });
  it('xors data at any file offset with the key repeated from the start of the file', () => {
    const key = Uint8Array.of(0x1c, 0x80, 0xe1, 0x7f, 0x97, 0x16, 0x0d, 0x1b);
    const source = new Uint8Array(2048).map((_, i) => (i * 37 + 11) & 0xff);
    for (const offset of [0, 1, 7, 8, 13, 1000003]) {
      // Up to 64 bytes byte by byte, beyond that a word at a time with a byte tail.
      for (const length of [0, 1, 7, 8, 9, 23, 40, 64, 65, 72, 77, 1000]) {
        // Views that start at odd places of a larger buffer, as file windows are.
        const data = source.subarray(3, 3 + length);
        const expected = data.map((b, i) => b ^ key[(offset + i) % 8]!);
        const out = xorAt(data, key, offset);
        assert.equal(bytesToHex(out), bytesToHex(expected), `offset ${offset} length ${length}`);
        assert.equal(bytesToHex(xorAt(out, key, offset)), bytesToHex(data), 'its own inverse');
      }
    }
    assert.equal(source[3], (3 * 37 + 11) & 0xff, 'the input is left alone');
  });
});
