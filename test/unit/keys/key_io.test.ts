// key_io against Core's key_io_valid.json / key_io_invalid.json (procedure of key_io_tests.cpp) and error strings.
import assert from 'node:assert/strict';
import { ADDRESS_CHAINS, addressParams } from '../../../src/kernel/chainparams_base.js';
import { Key } from '../../../src/key.js';
import { decodeDestination, decodeSecret, encodeDestination, encodeSecret, isValidDestinationString } from '../../../src/key_io.js';
import { extractDestination, getScriptForDestination, isValidDestination } from '../../../src/script/standard.js';
import { bytesToHex, hexToBytes } from '../../../src/util/hex.js';
import { Encoding, convertBits, encode } from '../../../src/util/bech32.js';
import { readTestJson } from '../util/paths.js';

type ValidCase = [string, string, { chain: string; isPrivkey: boolean; isCompressed?: boolean; tryCaseFlip?: boolean }];

function swapCase(s: string): string {
  let out = '';
  for (const c of s) out += c >= 'a' && c <= 'z' ? c.toUpperCase() : c >= 'A' && c <= 'Z' ? c.toLowerCase() : c;
  return out;
}

describe('key_io', () => {
  const valid = readTestJson<ValidCase[]>('key_io_valid.json');
  const invalid = readTestJson<[string][]>('key_io_invalid.json');
  const counts = { parse: 0, gen: 0, invalid: 0 };
  after(() => {
    console.log(`      key_io_valid.json: ${counts.parse}/${valid.length} parsed, ${counts.gen}/${valid.length} generated`);
    console.log(`      key_io_invalid.json: ${counts.invalid}/${invalid.length} rejected on ${ADDRESS_CHAINS.length} chains`);
  });

  it('has every case of the vector files', () => {
    assert.equal(valid.length, 70);
    assert.equal(invalid.length, 70);
  });

  it('parses every key_io_valid.json case (key_io_valid_parse)', () => {
    for (const [str, payloadHex, meta] of valid) {
      const params = addressParams(meta.chain);
      const what = JSON.stringify([str, meta]);
      if (meta.isPrivkey) {
        const key = decodeSecret(str, params);
        assert.ok(key, `!IsValid: ${what}`);
        assert.equal(key.compressed, meta.isCompressed, `compressed mismatch: ${what}`);
        assert.equal(bytesToHex(key.secret), payloadHex, `key mismatch: ${what}`);
        assert.ok(!isValidDestination(decodeDestination(str, params).dest), `IsValid privkey as pubkey: ${what}`);
      } else {
        const dec = decodeDestination(str, params);
        assert.ok(isValidDestination(dec.dest), `!IsValid: ${what} (${dec.error})`);
        assert.equal(dec.error, '');
        assert.equal(bytesToHex(getScriptForDestination(dec.dest)), payloadHex, what);
        const flipped = swapCase(str);
        const decFlipped = decodeDestination(flipped, params);
        assert.equal(isValidDestination(decFlipped.dest), meta.tryCaseFlip ?? false, `case flipped: ${what}`);
        if (isValidDestination(decFlipped.dest)) assert.equal(bytesToHex(getScriptForDestination(decFlipped.dest)), payloadHex);
        assert.equal(decodeSecret(flipped, params), null, `IsValid pubkey as privkey: ${what}`);
      }
      counts.parse++;
    }
  });

  it('generates every key_io_valid.json string (key_io_valid_gen)', () => {
    for (const [str, payloadHex, meta] of valid) {
      const params = addressParams(meta.chain);
      if (meta.isPrivkey) {
        const key = Key.fromSecret(hexToBytes(payloadHex), meta.isCompressed!);
        assert.ok(key);
        assert.equal(encodeSecret(key, params), str);
      } else {
        const { ok, dest } = extractDestination(hexToBytes(payloadHex));
        assert.ok(ok, str);
        assert.equal(encodeDestination(dest, params), str);
      }
      counts.gen++;
    }
  });

  it('rejects every key_io_invalid.json string on every chain (key_io_invalid)', () => {
    for (const [str] of invalid) {
      for (const chain of ADDRESS_CHAINS) {
        const params = addressParams(chain);
        assert.ok(!isValidDestinationString(str, params), `IsValid pubkey on ${chain}: ${str}`);
        assert.equal(decodeSecret(str, params), null, `IsValid privkey on ${chain}: ${str}`);
      }
      counts.invalid++;
    }
  });

  it("returns Core's DecodeDestination error strings and locations (rpc_invalid_address_message.py)", () => {
    const regtest = addressParams('regtest');
    const cases: [string, string, number[]][] = [
      ['bcrt1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqdmchcc', 'Version 1+ witness address must use Bech32m checksum', []],
      ['bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7k35mrzd', 'Version 0 witness address must use Bech32 checksum', []],
      ['bcrt130xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqynjegk', 'Invalid Bech32 address witness version', []],
      ['bcrt1s0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav25430mtr', 'Invalid Bech32 address program size (41 bytes)', []],
      ['bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx', 'Invalid or unsupported Segwit (Bech32) or Base58 encoding.', []],
      ['bcrt1q049edschfnwystcqnsvyfpj23mpsg3jcedq9xv049edschfnwystcqnsvyfpj23mpsg3jcedq9xv049edschfnwystcqnsvyfpj23m', 'Bech32 string too long', Array.from({ length: 18 }, (_, i) => 90 + i)],
      ['bcrt1q049edschfnwystcqnsvyfpj23mpsg3jcedq9xv', 'Invalid Bech32 checksum', [9]],
      ['BCRT1QPLMTZKC2XHARPPZDLNPAQL78RSHJ68U32RAH7R', 'Invalid Bech32 checksum', [38]],
      ['bcrt1qax9suht3qv95sw33xavx8crpxduefdrsvgsklu', 'Invalid Bech32 checksum', [22, 43]],
      ['bcrtq049ldschfnwystcqnsvyfpj23mpsg3jcedq9xv', 'Missing separator', []],
      ['bcrt1q04oldschfnwystcqnsvyfpj23mpsg3jcedq9xv', 'Invalid Base 32 character', [8]],
      ['bcrt1qdg3myrgvzw7ml8q0ejxhlkyxn7vl9r56yzkfgvzclrf4hkpx9yfqhpsuks', 'Invalid Bech32 checksum', [19, 30]],
      ['bcrt1ptmp74ayg7p24uslctssvjm06q5phz4yrxucgnv', 'Invalid Bech32 checksum', [5]],
      ['17VZNX1SN5NtKa8UQFxwQbFeFc3iqRYhem', 'Invalid or unsupported Base58-encoded address.', []],
      ['mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJJfn', 'Invalid checksum or length of Base58 address (P2PKH or P2SH)', []],
      ['2VKf7XKMrp4bVNVmuRbyCewkP8FhGLP2E54LHDPakr9Sq5mtU2', 'Invalid checksum or length of Base58 address (P2PKH or P2SH)', []],
      ['asfah14i8fajz0123f', 'Invalid or unsupported Segwit (Bech32) or Base58 encoding.', []],
      ['1q049ldschfnwystcqnsvyfpj23mpsg3jcedq9xv', 'Invalid or unsupported Segwit (Bech32) or Base58 encoding.', []],
    ];
    for (const [addr, error, where] of cases) {
      const dec = decodeDestination(addr, regtest);
      assert.ok(!isValidDestination(dec.dest), addr);
      assert.deepEqual([dec.error, dec.errorLocations], [error, where], addr);
    }
    // Well-formed bech32 strings whose program does not fit a witness version.
    const v0of21 = encode(Encoding.BECH32, 'bcrt', [0, ...convertBits(new Uint8Array(21), 8, 5, true)!]);
    assert.equal(decodeDestination(v0of21, regtest).error, 'Invalid Bech32 v0 address program size (21 bytes), per BIP141');
    const v2of1 = encode(Encoding.BECH32M, 'bcrt', [2, ...convertBits(new Uint8Array(1), 8, 5, true)!]);
    assert.equal(decodeDestination(v2of1, regtest).error, 'Invalid Bech32 address program size (1 byte)');
    assert.equal(decodeDestination(encode(Encoding.BECH32M, 'bcrt', []), regtest).error, 'Empty Bech32 data section');
    assert.equal(decodeDestination(encode(Encoding.BECH32M, 'bcrt', [1, 31]), regtest).error, 'Invalid padding in Bech32 data section');
    for (const good of ['bcrt1qtmp74ayg7p24uslctssvjm06q5phz4yrxucgnv', 'bcrt1qdg3myrgvzw7ml9q0ejxhlkyxm7vl9r56yzkfgvzclrf4hkpx9yfqhpsuks', 'mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn']) {
      assert.deepEqual(decodeDestination(good, regtest).error, '');
    }
  });

  it('keeps mainnet, test and regtest addresses apart and names the expected HRP', () => {
    const dec = decodeDestination('tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx', addressParams('regtest'));
    assert.equal(dec.error, 'Invalid or unsupported Segwit (Bech32) or Base58 encoding.');
    const main = decodeDestination('BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4', addressParams('main'));
    assert.equal(main.error, '');
    assert.equal(bytesToHex(getScriptForDestination(main.dest)), '0014751e76e8199196d454941c45d1b3a323f1433bd6');
    assert.ok(!isValidDestinationString('BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4', addressParams('test')));
  });

  it('encodes pay-to-anchor as a bech32m v1 address and decodes it back', () => {
    const params = addressParams('main');
    const addr = encodeDestination({ type: 'anchor' }, params);
    assert.equal(addr, 'bc1pfeessrawgf');
    assert.deepEqual(decodeDestination(addr, params).dest, { type: 'anchor' });
    assert.equal(encodeDestination({ type: 'pubkey', pubkey: new Uint8Array(33) }, params), '');
  });
});
