// BIP32 test vectors 1-5 (test/data/bip32_vectors.json, from the BIP-0032 text) and key path helpers.
import assert from 'node:assert/strict';
import { addressParams } from '../../../src/kernel/chainparams_base.js';
import {
  BIP32_HARDENED_FLAG,
  ExtKey,
  formatHDKeypath,
  parseHDKeypath,
  parseKeyPathElement,
  writeHDKeypath,
} from '../../../src/key_bip32.js';
import { decodeExtKey, decodeExtPubKey, encodeExtKey, encodeExtPubKey } from '../../../src/key_io.js';
import { hexToBytes } from '../../../src/util/hex.js';
import { readTestJson } from '../util/paths.js';

interface Vectors {
  valid: { name: string; seed: string; chains: [string, string, string][] }[];
  invalid: [string, string][];
}

describe('BIP32', () => {
  const vectors = readTestJson<Vectors>('bip32_vectors.json');
  const main = addressParams('main');
  const counts = { chains: 0, invalid: 0 };
  after(() => console.log(`      bip32_vectors.json: ${counts.chains} derivations in ${vectors.valid.length} vectors, ${counts.invalid} invalid keys`));

  it('has every vector of the BIP', () => {
    assert.equal(vectors.valid.length, 4);
    assert.equal(vectors.valid.reduce((n, v) => n + v.chains.length, 0), 17);
    assert.equal(vectors.invalid.length, 16);
  });

  for (const v of vectors.valid) {
    it(`derives ${v.name}`, () => {
      const master = ExtKey.fromSeed(hexToBytes(v.seed));
      assert.ok(master);
      for (const [pathStr, xpub, xprv] of v.chains) {
        const path = parseHDKeypath(pathStr);
        assert.ok(path, pathStr);
        const key = master.derivePath(path);
        assert.ok(key, pathStr);
        assert.equal(encodeExtKey(key, main), xprv, `${pathStr} xprv`);
        assert.equal(encodeExtPubKey(key.neuter(), main), xpub, `${pathStr} xpub`);
        // Decoding and re-encoding is the identity.
        const dk = decodeExtKey(xprv, main);
        const dp = decodeExtPubKey(xpub, main);
        assert.ok(dk && dp);
        assert.equal(encodeExtKey(dk, main), xprv);
        assert.equal(encodeExtPubKey(dp, main), xpub);
        // An xprv is not an xpub and the other way round.
        assert.equal(decodeExtPubKey(xprv, main), null);
        assert.equal(decodeExtKey(xpub, main), null);
        // CKDpub from the parent's xpub gives the same key for non-hardened steps.
        const last = path[path.length - 1];
        if (last !== undefined && last < BIP32_HARDENED_FLAG) {
          const parent = master.derivePath(path.slice(0, -1))!.neuter();
          const child = parent.derive(last);
          assert.ok(child);
          assert.equal(encodeExtPubKey(child, main), xpub, `${pathStr} CKDpub`);
        }
        counts.chains++;
      }
    });
  }

  it('rejects every invalid extended key of test vector 5', () => {
    for (const [str, why] of vectors.invalid) {
      assert.equal(decodeExtKey(str, main), null, why);
      assert.equal(decodeExtPubKey(str, main), null, why);
      counts.invalid++;
    }
  });

  it('refuses CKDpub for hardened children and network mismatches', () => {
    const master = ExtKey.fromSeed(hexToBytes('000102030405060708090a0b0c0d0e0f'))!;
    assert.equal(master.neuter().derive(BIP32_HARDENED_FLAG), null);
    const tprv = encodeExtKey(master, addressParams('test'));
    assert.ok(tprv.startsWith('tprv'));
    assert.equal(decodeExtKey(tprv, main), null);
    assert.ok(decodeExtKey(tprv, addressParams('regtest')));
  });

  it('parses and formats key paths like Core', () => {
    assert.deepEqual(parseKeyPathElement('0'), { child: 0, hardened: false });
    assert.deepEqual(parseKeyPathElement("2147483647'"), { child: 0xffffffff, hardened: true });
    assert.deepEqual(parseKeyPathElement('5h'), { child: 0x80000005, hardened: true });
    assert.deepEqual(parseKeyPathElement('2147483648'), { error: 'Key path value 2147483648 is out of range' });
    assert.deepEqual(parseKeyPathElement('1aa'), { error: "Key path value '1aa' is not a valid uint32" });
    assert.deepEqual(parseKeyPathElement('+1'), { error: "Key path value '+1' is not a valid uint32" });
    assert.deepEqual(parseKeyPathElement(''), { error: "Key path value '' is not a valid uint32" });
    assert.deepEqual(parseKeyPathElement("1a'"), { error: "Key path value '1a' is not a valid uint32" });
    assert.deepEqual(parseKeyPathElement('4294967296'), { error: "Key path value '4294967296' is not a valid uint32" });
    assert.equal(formatHDKeypath([1, 0x80000002, 3]), '/1/2h/3');
    assert.equal(writeHDKeypath([0x80000000, 1], true), "m/0'/1");
    assert.deepEqual(parseHDKeypath("m/7/0'/2000"), [7, 0x80000000, 2000]);
    assert.equal(parseHDKeypath('m/x'), null);
  });
});
