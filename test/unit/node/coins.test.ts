// CoinsViewCache's DIRTY/FRESH rules against a recording backend, and CoinsViewDB's head-blocks flush protocol,
// including a flush that stops after a partial batch as a crash would.
import assert from 'node:assert/strict';
import path from 'node:path';
import { CoinsCacheError, type CoinsBackend, CoinsViewCache } from '../../../src/node/coins.js';
import type { Coin } from '../../../src/node/coin.js';
import { CoinsViewDB, type CoinChange, SimulatedCrash } from '../../../src/node/txdb.js';
import { OutPoint, TxOut } from '../../../src/primitives/transaction.js';
import { bytesToHex } from '../../../src/util/hex.js';
import { suiteTempDirs } from '../wrapper/temp_dirs.js';

const P2WPKH = Uint8Array.from([0x00, 0x14, ...new Uint8Array(20).fill(7)]);

function coin(value: bigint, height = 1, script = P2WPKH): Coin {
  return { out: new TxOut(value, script), height, coinbase: false };
}

function op(i: number, n = 0): OutPoint {
  return new OutPoint(new Uint8Array(32).fill(i), n);
}

function hash(i: number): Uint8Array {
  return new Uint8Array(32).fill(i);
}

/** A backend holding coins in a map and recording every batch it is given. */
class MemoryBackend implements CoinsBackend {
  readonly coins = new Map<string, Coin>();
  readonly batches: { changes: (CoinChange & { fresh?: boolean })[]; best: Uint8Array }[] = [];
  best: Uint8Array = new Uint8Array(32);
  getCoin(o: OutPoint): Coin | undefined { return this.coins.get(o.key()); }
  haveCoin(o: OutPoint): boolean { return this.coins.has(o.key()); }
  getBestBlock(): Uint8Array { return this.best; }
  batchWrite(changes: Iterable<CoinChange & { fresh?: boolean }>, best: Uint8Array): void {
    const list = [...changes];
    this.batches.push({ changes: list, best });
    for (const c of list) {
      if (c.coin) this.coins.set(c.outpoint.key(), c.coin);
      else this.coins.delete(c.outpoint.key());
    }
    this.best = best;
  }
}

describe('node/coins: CoinsViewCache', () => {
  it('drops a coin created and spent between flushes (FRESH) and writes nothing for it', () => {
    const base = new MemoryBackend();
    const cache = new CoinsViewCache(base);
    cache.addCoin(op(1), coin(5n), false);
    assert.equal(cache.dirtyEntries, 1);
    assert.deepEqual(cache.spendCoin(op(1)), coin(5n));
    assert.equal(cache.cacheSize, 0);
    cache.setBestBlock(hash(9));
    cache.flush();
    assert.deepEqual(base.batches[0]!.changes, []);
  });

  it('answers haveAnyCoin from its entries (a cached spend hides the coin below) and asks the rest below', () => {
    const base = new MemoryBackend();
    base.coins.set(op(20).key(), coin(1n));
    base.coins.set(op(21).key(), coin(1n));
    const cache = new CoinsViewCache(base);
    cache.spendCoin(op(20));
    assert.equal(cache.haveAnyCoin([op(20), op(22)]), false, 'spent here, absent below');
    assert.equal(cache.haveAnyCoin([op(20), op(22), op(21)]), true, 'unspent below');
    cache.addCoin(op(23), coin(2n), false);
    assert.equal(cache.haveAnyCoin([op(23)]), true, 'unspent here');
    assert.equal(cache.haveAnyCoin([]), false);
    // Through two caches, as a block's scratch view sits on the chainstate's cache.
    assert.equal(new CoinsViewCache(cache).haveAnyCoin([op(22), op(21)]), true);
    assert.equal(new CoinsViewCache(cache).haveAnyCoin([op(20), op(22)]), false);
  });

  it('peeks as getCoin finds (its own spends and additions first), caching below but not at its own level', () => {
    const base = new MemoryBackend();
    base.coins.set(op(30).key(), coin(1n));
    base.coins.set(op(31).key(), coin(2n));
    const parent = new CoinsViewCache(base);
    const child = new CoinsViewCache(parent);
    child.spendCoin(op(30));
    child.addCoin(op(32), coin(3n), false);
    const size = child.cacheSize;
    assert.equal(child.peekCoin(op(30)), undefined, 'spent here');
    assert.equal(child.peekCoin(op(32))?.out.value, 3n, 'added here');
    assert.equal(child.peekCoin(op(31))?.out.value, 2n, 'found below');
    assert.equal(child.peekCoin(op(33)), undefined, 'nowhere');
    assert.equal(child.cacheSize, size, 'a peek cached the coin in the peeking view');
    assert.equal(parent.cacheSize, 2, 'the view below caches what it was asked for (30 by the spend, 31 by the peek)');
  });

  it('keeps a spend of a coin from below as a DIRTY erase', () => {
    const base = new MemoryBackend();
    base.coins.set(op(2).key(), coin(7n));
    const cache = new CoinsViewCache(base);
    assert.equal(cache.haveCoin(op(2)), true);
    assert.equal(cache.dirtyEntries, 0);
    cache.spendCoin(op(2));
    assert.equal(cache.haveCoin(op(2)), false);
    cache.setBestBlock(hash(9));
    cache.flush();
    assert.equal(base.batches[0]!.changes.length, 1);
    assert.equal(base.batches[0]!.changes[0]!.coin, undefined);
    assert.equal(base.coins.size, 0);
    assert.equal(bytesToHex(base.best), bytesToHex(hash(9)));
  });

  it('refuses to overwrite an unspent coin, and re-adding after an unflushed spend is not FRESH', () => {
    const base = new MemoryBackend();
    base.coins.set(op(3).key(), coin(1n));
    const cache = new CoinsViewCache(base);
    cache.getCoin(op(3));
    assert.throws(() => cache.addCoin(op(3), coin(2n), false), (e: unknown) => e instanceof CoinsCacheError
      && e.message === 'Attempted to overwrite an unspent coin (when possible_overwrite is false)');
    cache.spendCoin(op(3));
    cache.addCoin(op(3), coin(2n), false);
    cache.spendCoin(op(3)); // not FRESH: the erase of the coin below must still reach the backend
    cache.setBestBlock(hash(1));
    cache.flush();
    assert.equal(base.coins.has(op(3).key()), false);
    cache.addCoin(op(3), coin(4n), true);
    assert.equal(cache.getCoin(op(3))!.out.value, 4n);
  });

  it('never stores provably unspendable outputs', () => {
    const cache = new CoinsViewCache(new MemoryBackend());
    cache.addCoin(op(4), coin(0n, 1, Uint8Array.of(0x6a, 0x01, 0x01)), false);
    assert.equal(cache.cacheSize, 0);
  });

  it('merges a child cache into its parent with Core\'s rules', () => {
    const base = new MemoryBackend();
    base.coins.set(op(5).key(), coin(5n));
    const parent = new CoinsViewCache(base);
    const child = new CoinsViewCache(parent);
    child.addCoin(op(6), coin(6n), false);
    child.spendCoin(op(5));
    child.addCoin(op(7), coin(7n), false);
    child.spendCoin(op(7));
    child.setBestBlock(hash(2));
    child.flush();
    assert.equal(parent.haveCoinInCache(op(6)), true);
    assert.equal(parent.haveCoin(op(5)), false);
    assert.equal(parent.cacheSize, 2); // op(6) and the spent op(5); op(7) never reached the parent
    assert.equal(bytesToHex(parent.getBestBlock()), bytesToHex(hash(2)));
    const child2 = new CoinsViewCache(parent);
    child2.spendCoin(op(6)); // FRESH in the parent: dropped there
    child2.setBestBlock(hash(3));
    child2.flush();
    assert.equal(parent.cacheSize, 1);
    parent.flush();
    assert.deepEqual([...base.coins.keys()], []);
  });

  it('accounts memory per entry and returns to zero after a flush', () => {
    const cache = new CoinsViewCache(new MemoryBackend());
    for (let i = 0; i < 10; i++) cache.addCoin(op(10 + i), coin(1n), false);
    const used = cache.dynamicMemoryUsage();
    assert.ok(used >= 10 * P2WPKH.length, `usage ${used}`);
    cache.addCoin(op(30), coin(1n, 1, new Uint8Array(1000).fill(0x51)), false);
    assert.ok(cache.dynamicMemoryUsage() >= used + 1000);
    cache.setBestBlock(hash(1));
    cache.flush();
    assert.equal(cache.dynamicMemoryUsage(), 0);
  });
});

describe('node/txdb: CoinsViewDB flush protocol', () => {
  const tempDir = suiteTempDirs('smithcoin-coinsdb-');

  function openDB(dir: string, batchWriteBytes?: number): CoinsViewDB {
    return new CoinsViewDB({ path: path.join(dir, 'chainstate'), cacheBytes: 1 << 20, obfuscate: true }, { batchWriteBytes });
  }

  it('writes coins and the best block, and survives a reopen', () => {
    const dir = tempDir();
    const db = openDB(dir);
    db.batchWrite([{ outpoint: op(1), coin: coin(10n, 5) }, { outpoint: op(2, 3), coin: coin(20n, 6) }], hash(0xaa));
    db.close();
    const again = openDB(dir);
    try {
      assert.equal(bytesToHex(again.getBestBlock()), bytesToHex(hash(0xaa)));
      assert.deepEqual(again.getCoin(op(2, 3)), coin(20n, 6));
      assert.deepEqual([...again.cursor()].map(([o]) => o.n), [0, 3]);
      assert.deepEqual(again.getHeadBlocks(), []);
      assert.equal(again.haveAnyCoin([op(9), op(2, 3)]), true, 'one batched read finds the coin');
      assert.equal(again.haveAnyCoin([op(9), op(2, 4)]), false);
    } finally {
      again.close();
    }
  });

  it("logs Core's -debug=coindb lines for a flush: the final batch, then the changed outputs out of those the cursor visited (the same)", () => {
    const lines: string[] = [];
    const db = new CoinsViewDB({ path: path.join(tempDir(), 'chainstate'), cacheBytes: 1 << 20, obfuscate: true }, {}, (m) => lines.push(m));
    try {
      db.batchWrite([{ outpoint: op(1), coin: coin(5n) }, { outpoint: op(2), coin: undefined }], hash(1));
      assert.deepEqual(lines.slice(-2).map((l) => l.replace(/[0-9.]+ MiB/, 'N MiB')),
        ['Writing final batch of N MiB', 'Committed 2 changed transaction outputs (out of 2) to coin database...']);
    } finally {
      db.close();
    }
  });

  it('counts only the changed entries of a cache it syncs, not the clean ones it also holds, as Core\'s cursor does', () => {
    const lines: string[] = [];
    const db = new CoinsViewDB({ path: path.join(tempDir(), 'chainstate'), cacheBytes: 1 << 20, obfuscate: true }, {}, (m) => lines.push(m));
    try {
      db.batchWrite([{ outpoint: op(1), coin: coin(5n) }, { outpoint: op(2), coin: coin(6n) }], hash(1));
      const cache = new CoinsViewCache(db);
      assert.ok(cache.haveCoin(op(1)) && cache.haveCoin(op(2)), 'two clean entries fetched');
      cache.addCoin(op(3), coin(7n), false);
      cache.setBestBlock(hash(2));
      cache.sync();
      assert.equal(lines.at(-1), 'Committed 1 changed transaction outputs (out of 1) to coin database...');
      assert.equal(cache.cacheSize, 3, 'sync keeps the clean entries');
    } finally {
      db.close();
    }
  });

  it('answers from the first flush on what it holds, and a reopened database with coins reads them', () => {
    const dir = tempDir();
    const db = openDB(dir);
    try {
      assert.deepEqual([db.getCoin(op(1)), db.haveCoin(op(1)), db.haveAnyCoin([op(1)])], [undefined, false, false]);
      // Only erases: still no coin.
      db.batchWrite([{ outpoint: op(7), coin: undefined }], hash(1));
      assert.equal(db.haveCoin(op(7)), false);
      db.batchWrite([{ outpoint: op(1), coin: coin(5n) }], hash(2));
      assert.deepEqual([db.getCoin(op(1)), db.haveCoin(op(1)), db.haveAnyCoin([op(2), op(1)])], [coin(5n), true, true]);
      // All spent again: the database has no coin left, and it still finds nothing.
      db.batchWrite([{ outpoint: op(1), coin: undefined }], hash(3));
      assert.equal(db.haveCoin(op(1)), false);
    } finally {
      db.close();
    }
  });

  it('leaves the head-blocks marker after a crash mid-flush, and finishes on the next flush to the same block', () => {
    const dir = tempDir();
    const db = openDB(dir, 200);
    db.batchWrite([{ outpoint: op(1), coin: coin(1n) }], hash(1));
    db.crashAfterPartialBatches = 1;
    const changes = Array.from({ length: 40 }, (_, i) => ({ outpoint: op(50 + i), coin: coin(BigInt(i + 1)) as Coin | undefined }));
    changes.push({ outpoint: op(1), coin: undefined });
    assert.throws(() => db.batchWrite(changes, hash(2)), SimulatedCrash);
    db.close();
    const crashed = openDB(dir, 200);
    try {
      assert.equal(bytesToHex(crashed.getBestBlock()), bytesToHex(new Uint8Array(32)));
      assert.deepEqual(crashed.getHeadBlocks().map(bytesToHex), [bytesToHex(hash(2)), bytesToHex(hash(1))]);
      const written = [...crashed.cursor()].length;
      assert.ok(written > 1 && written < 42, `partial batch wrote ${written} coins`);
      assert.throws(() => crashed.batchWrite([], hash(3)), { message: /^The coins database detected an inconsistent state/ });
      crashed.batchWrite(changes, hash(2));
      assert.equal(bytesToHex(crashed.getBestBlock()), bytesToHex(hash(2)));
      assert.deepEqual(crashed.getHeadBlocks(), []);
      assert.equal([...crashed.cursor()].length, 40);
    } finally {
      crashed.close();
    }
  });
});
