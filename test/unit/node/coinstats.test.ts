// gettxoutsetinfo's figures over the UTXO set Core wrote (test/data/core-regtest): both hash types must give exactly
// what Core reported, and the pass must keep Core's grouping, ordering and overflow rules.
import assert from 'node:assert/strict';
import { type Coin } from '../../../src/node/coin.js';
import { HashTypeError, computeUTXOStats, getBogoSize, parseHashType, txOutSer } from '../../../src/node/coinstats.js';
import { MuHash3072 } from '../../../src/crypto/muhash.js';
import { OutPoint, TxOut } from '../../../src/primitives/transaction.js';
import { bytesToHex, hashToHex } from '../../../src/util/hex.js';
import { requireLevelDB } from '../leveldb/helpers.js';
import { readTestJson } from '../util/paths.js';
import { suiteTempDirs } from '../wrapper/temp_dirs.js';
import { type FixtureCoins, readFixtureCoins } from './chainstate_fixture.js';

interface TxOutSetInfo {
  height: number;
  bestblock: string;
  txouts: number;
  bogosize: number;
  total_amount: number;
  transactions: number;
  hash_serialized_3?: string;
  muhash?: string;
}

interface Expected {
  block_hashes: string[];
  gettxoutsetinfo_hash_serialized_3: TxOutSetInfo;
  gettxoutsetinfo_muhash: TxOutSetInfo;
}

const expected = readTestJson<Expected>('core-regtest/expected.json');

function coin(value: bigint, script: number[], height = 7, coinbase = false): Coin {
  return { out: new TxOut(value, Uint8Array.from(script)), height, coinbase };
}

function txid(b: number): Uint8Array {
  return new Uint8Array(32).fill(b);
}

describe('coinstats over Core\'s regtest UTXO set', () => {
  requireLevelDB();
  const tempDir = suiteTempDirs('smithcoin-coinstats-');
  let fx: FixtureCoins;
  let base: { height: number; hashBlock: Uint8Array };
  before(function () {
    fx = readFixtureCoins(tempDir());
    base = { height: expected.block_hashes.indexOf(hashToHex(fx.bestBlock)), hashBlock: fx.bestBlock };
  });

  /** The fields Core's gettxoutsetinfo printed for a pass without the index. */
  function asInfo(type: 'hash_serialized_3' | 'muhash'): TxOutSetInfo {
    const s = computeUTXOStats(type, fx.coins, base);
    assert.ok(s.totalAmount !== null);
    return {
      height: s.height, bestblock: hashToHex(s.hashBlock), txouts: s.txouts, bogosize: s.bogoSize,
      [type]: hashToHex(s.hashSerialized!), total_amount: Number(s.totalAmount) / 1e8, transactions: s.transactions,
    };
  }

  it('matches Core\'s gettxoutsetinfo with hash_serialized_3', () => {
    assert.deepEqual(asInfo('hash_serialized_3'), expected.gettxoutsetinfo_hash_serialized_3);
  });

  it('matches Core\'s gettxoutsetinfo with muhash', () => {
    assert.deepEqual(asInfo('muhash'), expected.gettxoutsetinfo_muhash);
  });

  it('counts every coin and leaves the hash out for hash type none', () => {
    const s = computeUTXOStats('none', fx.coins, base);
    assert.equal(s.hashSerialized, undefined);
    assert.equal(s.coinsCount, expected.gettxoutsetinfo_muhash.txouts);
    assert.equal(s.txouts, s.coinsCount);
  });

  it('gives the same muhash in any order, and hash_serialized_3 only in key order', () => {
    const reversed = [...fx.coins].reverse();
    assert.deepEqual(computeUTXOStats('muhash', reversed, base).hashSerialized,
      computeUTXOStats('muhash', fx.coins, base).hashSerialized);
    assert.notDeepEqual(computeUTXOStats('hash_serialized_3', reversed, base).hashSerialized,
      computeUTXOStats('hash_serialized_3', fx.coins, base).hashSerialized);
  });

  it('tracks a spend by removing the coin\'s serialization from the muhash', () => {
    const [spent, ...rest] = fx.coins;
    const full = new MuHash3072();
    for (const [op, c] of fx.coins) full.insert(txOutSer(op, c));
    full.remove(txOutSer(spent![0], spent![1]));
    assert.deepEqual(full.finalize(), computeUTXOStats('muhash', rest, base).hashSerialized);
  });

  it('calls the interruption point once per coin and stops when it throws', () => {
    let calls = 0;
    computeUTXOStats('none', fx.coins, base, { interruptionPoint: () => { calls++; } });
    assert.equal(calls, fx.coins.length);
    assert.throws(() => computeUTXOStats('muhash', fx.coins, base, {
      interruptionPoint: () => { if (++calls > fx.coins.length + 3) throw new Error('Shutting down'); },
    }), /Shutting down/);
  });
});

describe('coinstats rules', () => {
  const base = { height: 5, hashBlock: txid(9) };

  it('serializes a coin as Core\'s TxOutSer', () => {
    const ser = txOutSer(new OutPoint(txid(1), 2), coin(5000n, [0x51], 300, true));
    assert.equal(bytesToHex(ser), `${'01'.repeat(32)}02000000` + '59020000' + '8813000000000000' + '0151');
  });

  it('measures bogosize as 50 bytes plus the script', () => {
    assert.equal(getBogoSize(new Uint8Array(0)), 50);
    assert.equal(getBogoSize(new Uint8Array(25)), 75);
  });

  it('hashes a transaction\'s outputs in index order, whatever order they arrive in', () => {
    const a = coin(1n, [0x51]);
    const b = coin(2n, [0x52]);
    const inOrder = computeUTXOStats('hash_serialized_3', [[new OutPoint(txid(1), 1), a], [new OutPoint(txid(1), 200), b]], base);
    const swapped = computeUTXOStats('hash_serialized_3', [[new OutPoint(txid(1), 200), b], [new OutPoint(txid(1), 1), a]], base);
    assert.deepEqual(swapped.hashSerialized, inOrder.hashSerialized);
    assert.equal(swapped.transactions, 1);
  });

  it('counts a transaction each time the txid changes', () => {
    const c = coin(1n, [0x51]);
    const s = computeUTXOStats('none', [[new OutPoint(txid(1), 0), c], [new OutPoint(txid(2), 0), c], [new OutPoint(txid(2), 1), c]], base);
    assert.equal(s.transactions, 2);
    assert.equal(s.txouts, 3);
    assert.equal(s.totalAmount, 3n);
  });

  it('reports no total amount once the sum overflows int64', () => {
    const big = coin((1n << 62n), [0x51]);
    const s = computeUTXOStats('none', [[new OutPoint(txid(1), 0), big], [new OutPoint(txid(1), 1), big]], base);
    assert.equal(s.totalAmount, null);
    const fits = computeUTXOStats('none', [[new OutPoint(txid(1), 0), big], [new OutPoint(txid(1), 1), coin((1n << 62n) - 1n, [])]], base);
    assert.equal(fits.totalAmount, (1n << 63n) - 1n);
  });

  it('parses hash types with Core\'s error text', () => {
    assert.equal(parseHashType('muhash'), 'muhash');
    assert.equal(parseHashType('none'), 'none');
    assert.equal(parseHashType('hash_serialized_3'), 'hash_serialized_3');
    assert.throws(() => parseHashType('hash_serialized_2'), (e: unknown) => e instanceof HashTypeError && e.message === '\'hash_serialized_2\' is not a valid hash_type');
  });
});
