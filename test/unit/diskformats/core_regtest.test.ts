// Reads the blk/rev files of a regtest datadir written by Bitcoin Core: every block, every undo record (checksums), and
// checks each spent coin in the undo data against the output it came from.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createChainParams } from '../../../src/kernel/chainparams.js';
import { Block } from '../../../src/primitives/block.js';
import { OutPoint, TxOut } from '../../../src/primitives/transaction.js';
import { BlockStorageError, FlatFileReader, type UndoRecord, parseXorKey, rawBlockHash, xorAt } from '../../../src/node/blockstorage_format.js';
import { type BlockUndo, undoChecksum } from '../../../src/node/undo.js';
import { bytesEqual, bytesToHex, hashToHex } from '../../../src/util/hex.js';
import { readTestJson, testDataPath } from '../util/paths.js';

interface Expected {
  block_hashes: string[];
  stale_branch_first: string;
  getchaintips: { hash: string; height: number; status: string }[];
  xor_key: string;
  tx_count: number;
}

const BLOCKS = 'core-regtest/regtest/blocks';
const expected = readTestJson<Expected>('core-regtest/expected.json');
const magic = createChainParams('regtest').messageStart;
const xorKey = parseXorKey(fs.readFileSync(testDataPath(`${BLOCKS}/xor.dat`)));
const blkRaw = new Uint8Array(fs.readFileSync(testDataPath(`${BLOCKS}/blk00000.dat`)));
const revRaw = new Uint8Array(fs.readFileSync(testDataPath(`${BLOCKS}/rev00000.dat`)));
const blk = new FlatFileReader(0, blkRaw, xorKey, magic);
const rev = new FlatFileReader(0, revRaw, xorKey, magic);

interface Stored {
  pos: number;
  block: Block;
  hash: string;
  prev: string;
}

const stored: Stored[] = [...blk.blocks()].map(({ pos, payload }) => {
  const block = blk.readBlock(pos.pos, rawBlockHash(payload));
  return { pos: pos.pos, block, hash: block.header.hashHex(), prev: hashToHex(block.header.hashPrevBlock) };
});
const byHash = new Map(stored.map((s) => [s.hash, s]));

/** Whether the undo data has one entry per input of each non-coinbase transaction of `block`. */
function undoFits(undo: BlockUndo, block: Block): boolean {
  const txs = block.vtx.slice(1);
  return undo.vtxundo.length === txs.length && txs.every((tx, t) => undo.vtxundo[t]!.length === tx.vin.length);
}

/**
 * The block each rev record belongs to. The checksum binds a record to the previous block's hash, which siblings at
 * the fork share, so the record's shape (transactions and inputs) picks between them; it must then be unique.
 */
function undoOwners(): { rec: UndoRecord; owner: Stored; undo: BlockUndo }[] {
  return [...rev.undoRecords()].map((rec) => {
    const candidates = stored.filter((s) => bytesEqual(undoChecksum(s.block.header.hashPrevBlock, rec.payload), rec.checksum));
    const fits = candidates.map((owner) => ({ owner, undo: rev.readBlockUndo(rec.pos.pos, owner.block.header.hashPrevBlock) }))
      .filter(({ owner, undo }) => undoFits(undo, owner.block));
    assert.equal(fits.length, 1, `undo record at ${rec.pos.pos} fits ${fits.length} blocks`);
    return { rec, ...fits[0]! };
  });
}

function heightOf(hash: string): number {
  let h = 0;
  for (let s = byHash.get(hash)!; byHash.has(s.prev); s = byHash.get(s.prev)!) h++;
  return h;
}

describe('diskformats/core_regtest', () => {
  it('uses the XOR key Core reported', () => {
    assert.equal(bytesToHex(xorKey), expected.xor_key);
    assert.notEqual(bytesToHex(blkRaw.subarray(0, 4)), bytesToHex(magic)); // the file really is obfuscated
  });

  it('reads the active chain from blk00000.dat in order, plus the stale branch', () => {
    const active = new Set(expected.block_hashes);
    assert.deepEqual(stored.filter((s) => active.has(s.hash)).map((s) => s.hash), expected.block_hashes);
    const stale = stored.filter((s) => !active.has(s.hash));
    const fork = expected.getchaintips.find((t) => t.status === 'valid-fork')!;
    assert.equal(stale.length, 3);
    assert.equal(stale[0]!.hash, expected.stale_branch_first);
    assert.equal(stale[2]!.hash, fork.hash);
    assert.equal(heightOf(fork.hash), fork.height);
    const activeTxs = stored.filter((s) => active.has(s.hash)).reduce((n, s) => n + s.block.vtx.length, 0);
    assert.equal(activeTxs, expected.tx_count);
  });

  it('finds an undo record with a valid checksum for every block after genesis', () => {
    const owners = undoOwners();
    assert.equal(owners.length, stored.length - 1);
    const claimed = new Set(owners.map((o) => o.owner.hash));
    assert.equal(claimed.size, owners.length);
    assert.equal(claimed.has(expected.block_hashes[0]!), false);
  });

  it('matches every spent coin in the undo data to the output it spends', () => {
    // A transaction may sit in both branches of the fork, so each output is keyed by the block holding it too.
    const outputs = new Map<string, { out: TxOut; height: number; coinbase: boolean; block: string }[]>();
    for (const s of stored) {
      const height = heightOf(s.hash);
      s.block.vtx.forEach((tx, i) => tx.vout.forEach((out, n) => {
        const key = new OutPoint(tx.txid, n).key();
        outputs.set(key, [...(outputs.get(key) ?? []), { out, height, coinbase: i === 0, block: s.hash }]);
      }));
    }
    let spent = 0;
    const kinds = new Set<number>();
    for (const { owner: s, undo } of undoOwners()) {
      const ancestors = new Set<string>([s.hash]); // an input may spend an earlier output of its own block
      for (let a = byHash.get(s.prev); a; a = byHash.get(a.prev)) ancestors.add(a.hash);
      s.block.vtx.slice(1).forEach((tx, t) => {
        assert.equal(undo.vtxundo[t]!.length, tx.vin.length);
        tx.vin.forEach((input, i) => {
          const coin = undo.vtxundo[t]![i]!;
          const source = outputs.get(input.prevout.key())?.find((o) => ancestors.has(o.block));
          assert.ok(source, `undo for an unknown output ${input.prevout.key()}`);
          assert.equal(coin.out.value, source.out.value);
          assert.equal(bytesToHex(coin.out.scriptPubKey), bytesToHex(source.out.scriptPubKey));
          assert.equal(coin.height, source.height);
          assert.equal(coin.coinbase, source.coinbase);
          kinds.add(coin.out.scriptPubKey.length);
          spent++;
        });
      });
    }
    assert.ok(spent > 6000, `only ${spent} spent coins`);
    // The spends are P2PKH 25, P2SH 23, P2WPKH 22 and P2WSH/P2TR 34 bytes; the P2PK, bare multisig and OP_TRUE
    // coinbases stay unspent, in the chainstate.
    for (const len of [22, 23, 25, 34]) assert.ok(kinds.has(len), `no spent script of ${len} bytes`);
  });

  it('reports a damaged undo record, a wrong key and a bad position with Core\'s texts', () => {
    const first = [...rev.undoRecords()][0]!;
    const second = stored[1]!;
    const damaged = revRaw.slice();
    damaged[first.pos.pos + first.payload.length + 31]! ^= 1;
    const bad = new FlatFileReader(0, damaged, xorKey, magic);
    assert.throws(() => bad.readBlockUndo(first.pos.pos, second.block.header.hashPrevBlock),
      (e: unknown) => e instanceof BlockStorageError && e.message === `Checksum mismatch at FlatFilePos(nFile=0, nPos=${first.pos.pos}) while reading block undo`);
    const wrongKey = new FlatFileReader(0, blkRaw, new Uint8Array(8), magic);
    assert.throws(() => wrongKey.readRawBlock(8), { message: /^Block magic mismatch for FlatFilePos\(nFile=0, nPos=8\): [0-9a-f]{8} versus expected fabfb5da while reading raw block$/ });
    assert.throws(() => blk.readBlock(second.pos, rawBlockHash(stored[2]!.block.toBytes())), { message: /^GetHash\(\) doesn't match index at / });
    assert.throws(() => blk.readRawBlock(4), { message: 'Failed for FlatFilePos(nFile=0, nPos=4) while reading raw block storage header' });
  });

  it('reports a truncated block and a block that does not parse', () => {
    const first = stored[1]!;
    const cut = new FlatFileReader(0, blkRaw.subarray(0, first.pos + 100), xorKey, magic);
    assert.throws(() => cut.readRawBlock(first.pos), {
      message: `Read from block file failed: AutoFile::read: end of file: iostream error for FlatFilePos(nFile=0, nPos=${first.pos}) while reading raw block`,
    });
    const garbled = blkRaw.slice();
    garbled.set(xorAt(Uint8Array.of(0xff), xorKey, first.pos + 80), first.pos + 80); // a 9-byte transaction count
    assert.throws(() => new FlatFileReader(0, garbled, xorKey, magic).readBlock(first.pos), {
      message: /^Deserialize or I\/O error - .*: iostream error at FlatFilePos\(nFile=0, nPos=\d+\) while reading block$/,
    });
  });

  it('rejects a record whose size field exceeds MAX_SIZE', () => {
    const forged = blkRaw.slice(0, 64);
    forged.set(xorAt(Uint8Array.of(...magic, 0xff, 0xff, 0xff, 0x7f), xorKey, 0), 0);
    assert.throws(() => [...new FlatFileReader(0, forged, xorKey, magic).blocks()], {
      message: 'Block data is larger than maximum deserialization size for FlatFilePos(nFile=0, nPos=8): 2147483647 versus 33554432 while reading raw block',
    });
  });
});
