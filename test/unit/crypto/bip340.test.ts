// BIP340 reference vectors (test/data/bip340_test_vectors.csv, unchanged from bitcoin/bips), run
// through both secp256k1 backends: signing where a secret key is given, verification of every row.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { testDataPath } from '../util/paths.js';
import { backends, hex, unhex } from './secp256k1_helpers.js';

interface Bip340Row {
  index: string;
  seckey: string;
  pubkey: string;
  auxRand: string;
  message: string;
  signature: string;
  result: boolean;
  comment: string;
}

function readRows(): Bip340Row[] {
  // The file keeps the BIP repository's CRLF line endings.
  const lines = fs.readFileSync(testDataPath('bip340_test_vectors.csv'), 'utf8').split(/\r?\n/).filter((l) => l !== '');
  assert.equal(lines[0], 'index,secret key,public key,aux_rand,message,signature,verification result,comment');
  return lines.slice(1).map((line) => {
    const f = line.split(',');
    assert.equal(f.length, 8, `malformed row: ${line}`);
    return {
      index: f[0]!, seckey: f[1]!, pubkey: f[2]!, auxRand: f[3]!, message: f[4]!,
      signature: f[5]!, result: f[6] === 'TRUE', comment: f[7]!,
    };
  });
}

describe('BIP340 test vectors', () => {
  const rows = readRows();
  let checked = 0;

  after(() => {
    console.log(`bip340_test_vectors.csv: ${checked} cases`);
  });

  it('has every row of the BIP', () => {
    assert.equal(rows.length, 19);
  });

  for (const [name, get] of backends()) {
    it(`${name}: signs every row with a secret key and verifies every row`, () => {
      const b = get();
      let done = 0;
      for (const row of rows) {
        const label = `vector ${row.index} (${row.comment || 'valid'})`;
        const msg = unhex(row.message);
        const sig = unhex(row.signature);
        const pub = unhex(row.pubkey);
        if (row.seckey !== '') {
          const sk = unhex(row.seckey);
          assert.equal(hex(b.xonlyFromSeckey(sk)).toUpperCase(), row.pubkey, label);
          const made = b.schnorrSignMessage(msg, sk, unhex(row.auxRand));
          assert.equal(hex(made).toUpperCase(), row.signature, label);
          if (msg.length === 32) assert.equal(hex(b.schnorrSign(msg, sk, unhex(row.auxRand))).toUpperCase(), row.signature, label);
        }
        assert.equal(b.schnorrVerifyMessage(sig, msg, pub), row.result, label);
        if (msg.length === 32) assert.equal(b.schnorrVerify(sig, msg, pub), row.result, label);
        // Rows 5 and 14 fail because the key itself is invalid.
        if (/public key/.test(row.comment)) assert.equal(b.isValidXOnly(pub), false, label);
        else assert.equal(b.isValidXOnly(pub), true, label);
        done++;
      }
      checked = done;
    });
  }

  it('the strict entry points insist on 32-byte messages', () => {
    const row = rows.find((r) => r.message.length !== 64 && r.seckey !== '')!;
    for (const [, get] of backends()) {
      const b = get();
      assert.throws(() => b.schnorrVerify(unhex(row.signature), unhex(row.message), unhex(row.pubkey)), {
        name: 'TypeError', message: 'msg32 must be a 32-byte Uint8Array',
      });
      assert.throws(() => b.schnorrSign(unhex(row.message), unhex(row.seckey)), {
        name: 'TypeError', message: 'msg32 must be a 32-byte Uint8Array',
      });
    }
  });
});
