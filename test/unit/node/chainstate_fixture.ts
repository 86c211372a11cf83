// The UTXO set of the Core-written regtest datadir (test/data/core-regtest), read from a scratch copy of its
// chainstate LevelDB: every 'C' record in key order, de-obfuscated and decoded, with the best block.
import fs from 'node:fs';
import path from 'node:path';
import { type Coin, readCoin } from '../../../src/node/coin.js';
import { DBWrapper } from '../../../src/node/dbwrapper.js';
import { DB_BEST_BLOCK, DB_COIN, decodeBestBlock, parseCoinKey, singleByteKey } from '../../../src/node/txdb_keys.js';
import type { OutPoint } from '../../../src/primitives/transaction.js';
import { deserializeExact } from '../../../src/util/serialize.js';
import { testDataPath } from '../util/paths.js';

export interface FixtureCoins {
  coins: [OutPoint, Coin][];
  bestBlock: Uint8Array;
  /** Core's CCoinsViewDB::EstimateSize on the copy. */
  diskSize: number;
}

/** Reads every coin of the fixture's chainstate through a copy made in `dir` (LevelDB writes even when reading). */
export function readFixtureCoins(dir: string): FixtureCoins {
  const copy = path.join(dir, 'chainstate');
  fs.cpSync(testDataPath('core-regtest/regtest/chainstate'), copy, { recursive: true });
  fs.chmodSync(copy, 0o755);
  for (const f of fs.readdirSync(copy)) fs.chmodSync(path.join(copy, f), 0o644);
  const db = new DBWrapper({ path: copy, cacheBytes: 8 << 20, obfuscate: false });
  try {
    const best = db.read(singleByteKey(DB_BEST_BLOCK));
    if (best === null) throw new Error('fixture chainstate has no best block');
    const coins: [OutPoint, Coin][] = [];
    const it = db.newIterator();
    try {
      for (it.seek(Uint8Array.of(DB_COIN)); it.valid() && it.key()[0] === DB_COIN; it.next()) {
        coins.push([parseCoinKey(it.key()), deserializeExact(it.value(), readCoin, 'Data after coin')]);
      }
    } finally {
      it.close();
    }
    const diskSize = db.estimateSize(Uint8Array.of(DB_COIN), Uint8Array.of(DB_COIN + 1));
    return { coins, bestBlock: decodeBestBlock(best), diskSize };
  } finally {
    db.close();
  }
}
