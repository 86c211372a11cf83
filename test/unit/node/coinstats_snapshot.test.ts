// dumptxoutset's file format: a round trip of Core's regtest UTXO set through a snapshot file, the exact layout of
// the metadata and of a transaction's coins, and Core's texts for every way loading a snapshot fails.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createChainParams } from '../../../src/kernel/chainparams.js';
import { type Coin, writeCoin } from '../../../src/node/coin.js';
import {
  SNAPSHOT_METADATA_SIZE, type SnapshotMetadata, SnapshotError, readSnapshotCoins, readSnapshotMetadata, writeSnapshot, writeSnapshotMetadata,
} from '../../../src/node/utxo_snapshot.js';
import { OutPoint, TxOut } from '../../../src/primitives/transaction.js';
import { bytesToHex } from '../../../src/util/hex.js';
import { ByteReader, ByteWriter } from '../../../src/util/serialize.js';
import { requireLevelDB } from '../leveldb/helpers.js';
import { suiteTempDirs } from '../wrapper/temp_dirs.js';
import { readFixtureCoins } from './chainstate_fixture.js';

const REGTEST = createChainParams('regtest').messageStart;
const MAIN = createChainParams('main').messageStart;

function meta(coinsCount: number, networkMagic = REGTEST): SnapshotMetadata {
  return { networkMagic, baseBlockhash: new Uint8Array(32).fill(0xab), coinsCount: BigInt(coinsCount) };
}

function coin(value: bigint, height = 10): Coin {
  return { out: new TxOut(value, Uint8Array.of(0x51)), height, coinbase: false };
}

/** Writes to a file in `dir` and returns its bytes. */
function dump(dir: string, m: SnapshotMetadata, coins: [OutPoint, Coin][]): Uint8Array {
  const file = path.join(dir, 'utxo.dat');
  const fd = fs.openSync(file, 'w');
  try {
    writeSnapshot(fd, m, coins);
  } finally {
    fs.closeSync(fd);
  }
  const bytes = new Uint8Array(fs.readFileSync(file));
  fs.rmSync(file);
  return bytes;
}

/** Loads `bytes` as a regtest node would with the base block at `baseHeight`. */
function load(bytes: Uint8Array, baseHeight = 100): { meta: SnapshotMetadata; coins: [OutPoint, Coin][] } {
  const r = new ByteReader(bytes);
  const m = readSnapshotMetadata(r, REGTEST);
  const coins: [OutPoint, Coin][] = [];
  readSnapshotCoins(r, m, { baseHeight, onCoin: (op, c) => coins.push([op, c]) });
  return { meta: m, coins };
}

function rejects(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => e instanceof SnapshotError && e.message === message);
}

describe('UTXO snapshot of Core\'s regtest set', () => {
  requireLevelDB();
  const tempDir = suiteTempDirs('smithcoin-snapshot-');

  it('reads back the same coins in the same order', () => {
    const dir = tempDir();
    const fx = readFixtureCoins(dir);
    const m = { networkMagic: REGTEST, baseBlockhash: fx.bestBlock, coinsCount: BigInt(fx.coins.length) };
    const bytes = dump(dir, m, fx.coins);
    const back = load(bytes, 318);
    assert.deepEqual(back.meta, m);
    assert.deepEqual(back.coins, fx.coins);
    // Grouping by txid: 32 + CompactSize per transaction instead of per coin.
    let coinBytes = 0;
    for (const [op, c] of fx.coins) {
      const w = new ByteWriter();
      w.writeCompactSize(op.n);
      writeCoin(w, c);
      coinBytes += w.length;
    }
    const txs = new Set(fx.coins.map(([op]) => bytesToHex(op.hash))).size;
    assert.equal(bytes.length, SNAPSHOT_METADATA_SIZE + txs * 33 + coinBytes);
  });
});

describe('UTXO snapshot format', () => {
  const tempDir = suiteTempDirs('smithcoin-snapshot-fmt-');
  const txA = new Uint8Array(32).fill(1);
  const txB = new Uint8Array(32).fill(2);
  const twoTxs = (): [OutPoint, Coin][] => [[new OutPoint(txA, 0), coin(5n)], [new OutPoint(txA, 300), coin(6n)], [new OutPoint(txB, 1), coin(7n)]];

  it('lays out the metadata as Core does', () => {
    const w = new ByteWriter();
    writeSnapshotMetadata(w, meta(0x0102));
    assert.equal(bytesToHex(w.toBytes()), `7574786fff0200fabfb5da${'ab'.repeat(32)}0201000000000000`);
    assert.equal(w.length, SNAPSHOT_METADATA_SIZE);
  });

  it('writes each txid once, then its coin count and each coin as CompactSize(vout) + Coin', () => {
    const bytes = dump(tempDir(), meta(3), twoTxs());
    const body = bytesToHex(bytes.subarray(SNAPSHOT_METADATA_SIZE));
    // Coin: VARINT(height*2)=0x14, CompressAmount(5, 6, 7) = 41, 51, 61, script code for 1 byte: size+6 = 0x07, 0x51.
    const c = (amt: string) => `14${amt}0751`;
    assert.equal(body, `${'01'.repeat(32)}02` + `00${c('29')}` + `fd2c01${c('33')}` + `${'02'.repeat(32)}01` + `01${c('3d')}`);
    assert.deepEqual(load(bytes).coins, twoTxs());
  });

  it('refuses to write a count that differs from the metadata', () => {
    assert.throws(() => dump(tempDir(), meta(2), twoTxs()), /Wrote 3 coins but the snapshot metadata says 2/);
  });

  it('rejects bad metadata with Core\'s texts', () => {
    const good = new ByteWriter();
    writeSnapshotMetadata(good, meta(0));
    const bytes = good.toBytes();
    const patched = (at: number, ...b: number[]) => { const x = Uint8Array.from(bytes); x.set(b, at); return x; };
    rejects(() => readSnapshotMetadata(new ByteReader(patched(4, 0xfe)), REGTEST),
      'Invalid UTXO set snapshot magic bytes. Please check if this is indeed a snapshot file or if you are using an outdated snapshot format.');
    rejects(() => readSnapshotMetadata(new ByteReader(patched(5, 1, 0)), REGTEST), 'Version of snapshot 1 does not match any of the supported versions.');
    rejects(() => readSnapshotMetadata(new ByteReader(patched(7, ...MAIN)), REGTEST),
      'The network of the snapshot (main) does not match the network of this node (regtest).');
    rejects(() => readSnapshotMetadata(new ByteReader(patched(7, 1, 2, 3, 4)), REGTEST),
      'This snapshot has been created for an unrecognized network. This could be a custom signet, a new testnet or possibly caused by data corruption.');
  });

  it('rejects bad coin data with Core\'s texts', () => {
    const dir = tempDir();
    const bytes = dump(dir, meta(3), twoTxs());
    // Metadata claiming fewer coins than the first transaction holds.
    const fewer = Uint8Array.from(bytes);
    fewer.set([1], SNAPSHOT_METADATA_SIZE - 8);
    rejects(() => load(fewer), 'Mismatch in coins count in snapshot metadata and actual snapshot data');
    // A coin above the base block.
    rejects(() => load(bytes, 9), 'Bad snapshot data after deserializing 0 coins');
    rejects(() => load(dump(dir, meta(2), [[new OutPoint(txA, 0), coin(5n, 5)], [new OutPoint(txB, 0), coin(5n, 50)]]), 20),
      'Bad snapshot data after deserializing 1 coins');
    // Output index 0xffffffff: its CompactSize is above MAX_SIZE, a format error.
    rejects(() => load(dump(dir, meta(1), [[new OutPoint(txA, 0xffffffff), coin(5n)]])), 'Bad snapshot format or truncated snapshot after deserializing 0 coins');
    // An amount above MAX_MONEY.
    rejects(() => load(dump(dir, meta(2), [[new OutPoint(txA, 0), coin(1n)], [new OutPoint(txA, 1), coin(21_000_000n * 100_000_000n + 1n)]])),
      'Bad snapshot data after deserializing 1 coins - bad tx out value');
    // Truncated inside the third coin, and one byte too many.
    rejects(() => load(bytes.subarray(0, bytes.length - 1)), 'Bad snapshot format or truncated snapshot after deserializing 2 coins');
    rejects(() => load(Uint8Array.from([...bytes, 0])), 'Bad snapshot - coins left over after deserializing 3 coins');
  });

  it('rejects an over-large per-transaction count as a format error, before reading coins', () => {
    const w = new ByteWriter();
    writeSnapshotMetadata(w, meta(5));
    w.writeBytes(txA).writeU8(0xff).writeU64LE(1n << 40n);
    rejects(() => load(w.toBytes()), 'Bad snapshot format or truncated snapshot after deserializing 0 coins');
  });
});
