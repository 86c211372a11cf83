// The UTXO set of the Core-written regtest datadir (test/data/core-regtest), read from a scratch copy of its
// chainstate LevelDB through CoinsViewDB: every coin in key order, with the best block.
import path from 'node:path';
import type { Coin } from '../../../src/node/coin.js';
import { CoinsViewDB } from '../../../src/node/txdb.js';
import type { OutPoint } from '../../../src/primitives/transaction.js';
import { copyCoreRegtest } from './helpers.js';

export interface FixtureCoins {
  coins: [OutPoint, Coin][];
  bestBlock: Uint8Array;
}

/** Reads every coin of the fixture's chainstate through a copy made in `dir` (LevelDB writes even when reading). */
export function readFixtureCoins(dir: string): FixtureCoins {
  const db = new CoinsViewDB({ path: path.join(copyCoreRegtest(dir), 'chainstate'), cacheBytes: 8 << 20, obfuscate: false });
  try {
    return { coins: [...db.cursor()], bestBlock: db.getBestBlock() };
  } finally {
    db.close();
  }
}
