// Bitcoin Core's own databases (test/data/core-regtest, written by Core v31.99) opened from a scratch
// copy: the chainstate's obfuscation key, its best block, its coins, and the block index's tip entry.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { sha256d } from '../../../src/crypto/sha256.js';
import { DBWrapper, OBFUSCATION_KEY_KEY } from '../../../src/node/dbwrapper.js';
import { hashToHex, hexToHash } from '../../../src/util/hex.js';
import { ByteReader } from '../../../src/util/serialize.js';
import { readTestJson, testDataPath } from '../util/paths.js';
import { suiteTempDirs } from '../wrapper/temp_dirs.js';
import { requireLevelDB } from './helpers.js';

interface Expected {
  getblockchaininfo: { bestblockhash: string; blocks: number };
  gettxoutsetinfo_muhash: { txouts: number };
}

describe('Core regtest databases', () => {
  requireLevelDB();
  const tempDir = suiteTempDirs('smithcoin-core-ldb-');
  const expected = readTestJson<Expected>('core-regtest/expected.json');
  const tip = expected.getblockchaininfo.bestblockhash;

  /** Opens a writable copy: LevelDB writes a new log and manifest even when only read. */
  function openCopy(sub: string, obfuscate: boolean): DBWrapper {
    const dir = path.join(tempDir(), path.basename(sub));
    fs.cpSync(testDataPath(path.join('core-regtest', 'regtest', sub)), dir, { recursive: true });
    for (const f of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, f), 0o644);
    fs.chmodSync(dir, 0o755);
    return new DBWrapper({ path: dir, cacheBytes: 8 << 20, obfuscate });
  }

  it('reads the chainstate\'s obfuscation key and its best block through it', () => {
    const db = openCopy('chainstate', true);
    try {
      assert.equal(db.createdObfuscationKey, false);
      assert.notEqual(db.obfuscationKeyHex, '0000000000000000');
      assert.equal(db.exists(OBFUSCATION_KEY_KEY), true);
      const best = db.read(Uint8Array.of(0x42)); // DB_BEST_BLOCK 'B'
      assert.ok(best !== null, 'no best block entry');
      assert.equal(hashToHex(best), tip);
    } finally {
      db.close();
    }
  });

  it('counts the chainstate\'s coins (\'C\' keys) as gettxoutsetinfo does', () => {
    const db = openCopy('chainstate', true);
    try {
      const it = db.newIterator();
      let coins = 0;
      try {
        for (it.seek(Uint8Array.of(0x43)); it.valid() && it.key()[0] === 0x43; it.next()) coins++;
      } finally {
        it.close();
      }
      assert.equal(coins, expected.gettxoutsetinfo_muhash.txouts);
    } finally {
      db.close();
    }
  });

  it('finds the tip in the block index, which has no obfuscation key', () => {
    const db = openCopy('blocks/index', false);
    try {
      assert.equal(db.obfuscationKeyHex, '0000000000000000');
      const entry = db.read(Uint8Array.from([0x62, ...hexToHash(tip)])); // 'b' + hash
      assert.ok(entry !== null, 'no block index entry for the tip');
      const r = new ByteReader(entry);
      r.readVarInt(); // the client version that wrote it
      assert.equal(Number(r.readVarInt()), expected.getblockchaininfo.blocks);
      // The entry ends with the 80-byte header, which hashes to the tip.
      assert.equal(hashToHex(sha256d(entry.subarray(entry.length - 80))), tip);
    } finally {
      db.close();
    }
  });
});
