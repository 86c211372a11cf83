// core_io: amounts as 8-decimal JSON numbers, the UniValue writer, scripts and transactions as JSON
// (vectors from Core's rpc_decodescript.py and its mainnet transactions).
import assert from 'node:assert/strict';
import { scriptToUniv, scriptPubKeyToUniv, txToUniv, valueFromAmount, TxVerbosity } from '../../../src/core_io.js';
import { inferDescriptor } from '../../../src/core_infer.js';
import { addressParams } from '../../../src/kernel/chainparams_base.js';
import { MutableTransaction, OutPoint, Transaction, TxOut } from '../../../src/primitives/transaction.js';
import { JSONNumber, formatDouble, writeJSON } from '../../../src/rpc/json.js';
import { parseDescriptor } from '../../../src/script/descriptor_parser.js';
import { hexToBytes } from '../../../src/util/hex.js';

const REGTEST = addressParams('regtest');
const MAIN = addressParams('main');

// A mainnet P2SH multisig spend (rpc_decodescript.py).
const MULTISIG_SPEND = '01000000018d1f5635abd06e2c7e2ddf58dc85b3de111e4ad6e0ab51bb0dcf5e84126d927300000000fdfe0000483045022100ae3b4e589dfc9d48cb82d41008dc5fa6a86f94d5c54f9935531924602730ab8002202f88cf464414c4ed9fa11b773c5ee944f66e9b05cc1e51d97abc22ce098937ea01483045022100b44883be035600e9328a01b66c7d8439b74db64187e76b99a68f7893b701d5380220225bf286493e4c4adcf928c40f785422572eb232f84a0b83b0dea823c3a19c75014c695221020743d44be989540d27b1b4bbbcfd17721c337cb6bc9af20eb8a32520b393532f2102c0120a1dda9e51a938d39ddd9fe0ebc45ea97e1d27a7cbd671d5431416d3dd87210213820eb3d5f509d7438c9eeecb4157b2f595105e7cd564b3cdbb9ead3da41eed53aeffffffff02611e0000000000001976a914dc863734a218bfe83ef770ee9d41a27f824a6e5688acee2a02000000000017a9142a5edea39971049a540474c6a99edf0aa4074c588700000000';
const SATOSHI_PUBKEY = '04678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5f';

describe('core_io', () => {
  it('ValueFromAmount prints 8 decimals, negative amounts with a sign', () => {
    assert.equal(valueFromAmount(5_000_000_000n).text, '50.00000000');
    assert.equal(valueFromAmount(0n).text, '0.00000000');
    assert.equal(valueFromAmount(1n).text, '0.00000001');
    assert.equal(valueFromAmount(-1n).text, '-0.00000001');
    assert.equal(valueFromAmount(-123_456_789_012n).text, '-1234.56789012');
    assert.equal(valueFromAmount(2_100_000_000_000_000n).text, '21000000.00000000');
  });

  it('the writer emits amounts exactly and doubles as %.16g', () => {
    assert.equal(writeJSON({ value: valueFromAmount(5_000_000_000n), n: 0 }), '{"value":50.00000000,"n":0}');
    assert.equal(JSON.stringify({ v: new JSONNumber('1.50000000') }), '{"v":1.5}');
    assert.equal(formatDouble(0.1 + 0.2), '0.3');
    assert.equal(formatDouble(4.656542373906925e-10), '4.656542373906925e-10');
    assert.equal(formatDouble(0.00001), '1e-05');
    assert.equal(formatDouble(0.0001), '0.0001');
    assert.equal(formatDouble(1.5e16), '1.5e+16');
    assert.equal(formatDouble(1234.5), '1234.5');
    assert.equal(writeJSON(3.25), '3.25');
    assert.equal(writeJSON(-7), '-7');
    assert.throws(() => new JSONNumber('1.'), RangeError);
  });

  it('the writer escapes as UniValue and pretty-prints as UniValue::write(indent)', () => {
    assert.equal(writeJSON('a"b\\c\n\x01\x7fé'), '"a\\"b\\\\c\\n\\u0001\\u007fé"');
    assert.equal(writeJSON({ a: [1, { b: null }], c: [], d: {} }), '{"a":[1,{"b":null}],"c":[],"d":{}}');
    assert.equal(writeJSON({ a: [1, true], c: [] }, 2), '{\n  "a": [\n    1,\n    true\n  ],\n  "c": [\n  ]\n}');
    assert.equal(writeJSON([], 2), '[\n]');
  });

  it('decodes scriptSig asm with sighash names, scriptPubKeys without', () => {
    const tx = Transaction.fromHex(MULTISIG_SPEND);
    const j = txToUniv(tx, MAIN, { includeHex: true }) as any;
    assert.equal(j.txid, '8e3730608c3b0bb5df54f09076e196bc292a8e39a78e73b44b6ba08c78f5cbb0');
    assert.equal(j.vin[0].scriptSig.asm, '0 3045022100ae3b4e589dfc9d48cb82d41008dc5fa6a86f94d5c54f9935531924602730ab8002202f88cf464414c4ed9fa11b773c5ee944f66e9b05cc1e51d97abc22ce098937ea[ALL] 3045022100b44883be035600e9328a01b66c7d8439b74db64187e76b99a68f7893b701d5380220225bf286493e4c4adcf928c40f785422572eb232f84a0b83b0dea823c3a19c75[ALL] 5221020743d44be989540d27b1b4bbbcfd17721c337cb6bc9af20eb8a32520b393532f2102c0120a1dda9e51a938d39ddd9fe0ebc45ea97e1d27a7cbd671d5431416d3dd87210213820eb3d5f509d7438c9eeecb4157b2f595105e7cd564b3cdbb9ead3da41eed53ae');
    assert.equal(j.vout[0].scriptPubKey.asm, 'OP_DUP OP_HASH160 dc863734a218bfe83ef770ee9d41a27f824a6e56 OP_EQUALVERIFY OP_CHECKSIG');
    assert.equal(j.vout[1].scriptPubKey.asm, 'OP_HASH160 2a5edea39971049a540474c6a99edf0aa4074c58 OP_EQUAL');
    assert.equal(j.hex, MULTISIG_SPEND);
  });

  it('TxToUniv: Core key order, sizes, values, no fee without undo data', () => {
    const tx = Transaction.fromHex(MULTISIG_SPEND);
    const j = txToUniv(tx, MAIN, { includeHex: false });
    assert.deepEqual(Object.keys(j), ['txid', 'hash', 'version', 'size', 'vsize', 'weight', 'locktime', 'vin', 'vout']);
    assert.deepEqual(Object.keys((j.vin as any)[0]), ['txid', 'vout', 'scriptSig', 'sequence']);
    assert.equal(j.size, MULTISIG_SPEND.length / 2);
    assert.equal(j.weight, 4 * (MULTISIG_SPEND.length / 2));
    assert.equal(j.vsize, MULTISIG_SPEND.length / 2);
    assert.equal(writeJSON((j.vout as any)[0].value), '0.00007777');
    assert.deepEqual((j.vout as any)[0].scriptPubKey, {
      asm: 'OP_DUP OP_HASH160 dc863734a218bfe83ef770ee9d41a27f824a6e56 OP_EQUALVERIFY OP_CHECKSIG',
      desc: (j.vout as any)[0].scriptPubKey.desc,
      hex: '76a914dc863734a218bfe83ef770ee9d41a27f824a6e5688ac',
      address: '1M72Sfpbz1BPpXFHz9m3CdqATR44Jvaydd',
      type: 'pubkeyhash',
    });
    assert.match((j.vout as any)[0].scriptPubKey.desc, /^addr\(1M72Sfpbz1BPpXFHz9m3CdqATR44Jvaydd\)#[a-z0-9]{8}$/);
  });

  it('TxToUniv with undo data: fee, and prevout only at SHOW_DETAILS_AND_PREVOUT; witness and coinbase inputs', () => {
    const tx = Transaction.fromHex(MULTISIG_SPEND);
    const spent = { out: new TxOut(250_000n, hexToBytes('a9142a5edea39971049a540474c6a99edf0aa4074c5887')), height: 7, coinbase: true };
    const details = txToUniv(tx, MAIN, { includeHex: false, undo: [spent], verbosity: TxVerbosity.SHOW_DETAILS }) as any;
    assert.equal(writeJSON(details.fee), '0.00100161');
    assert.equal(details.vin[0].prevout, undefined);
    const prev = txToUniv(tx, MAIN, { includeHex: false, undo: [spent], verbosity: TxVerbosity.SHOW_DETAILS_AND_PREVOUT }) as any;
    assert.deepEqual(Object.keys(prev.vin[0]), ['txid', 'vout', 'scriptSig', 'prevout', 'sequence']);
    assert.equal(writeJSON(prev.vin[0].prevout), '{"generated":true,"height":7,"value":0.00250000,"scriptPubKey":' + writeJSON(scriptPubKeyToUniv(spent.out.scriptPubKey, MAIN)) + '}');
    assert.throws(() => txToUniv(tx, MAIN, { includeHex: false, undo: [{ ...spent, out: new TxOut(1n, spent.out.scriptPubKey) }] }), /MoneyRange\(fee\)/);

    const cb = new MutableTransaction({ version: 2 })
      .addInput(new OutPoint(), hexToBytes('01650101'))
      .addOutput(5_000_000_000n, hexToBytes('51024e73'))
      .addOutput(0n, hexToBytes('6a24aa21a9ed' + '11'.repeat(32)))
      .setWitness(0, [new Uint8Array(32)])
      .toTransaction();
    const c = txToUniv(cb, REGTEST, { includeHex: false, blockHash: 'ab'.repeat(32) }) as any;
    assert.deepEqual(c.vin[0], { coinbase: '01650101', txinwitness: ['00'.repeat(32)], sequence: 4294967295 });
    assert.equal(c.blockhash, 'ab'.repeat(32));
    assert.equal(c.vout[1].scriptPubKey.type, 'nulldata');
    assert.equal(c.vout[1].scriptPubKey.address, undefined);
    assert.equal(c.vout[0].scriptPubKey.address, 'bcrt1pfeesnyr2tx');
    assert.equal(writeJSON(c.vout[0].value), '50.00000000');
    assert.equal(c.weight, cb.getStrippedSize() * 3 + cb.getTotalSize());
    assert.equal(c.vsize, Math.ceil(c.weight / 4));
  });

  it('ScriptToUniv: types and addresses as Core (P2A, bare pubkey without address, no desc/hex when not asked)', () => {
    assert.deepEqual(scriptPubKeyToUniv(hexToBytes('51024e73'), REGTEST), {
      asm: '1 29518', desc: scriptPubKeyToUniv(hexToBytes('51024e73'), REGTEST).desc, hex: '51024e73', address: 'bcrt1pfeesnyr2tx', type: 'anchor',
    });
    const pk = scriptPubKeyToUniv(hexToBytes(`41${SATOSHI_PUBKEY}ac`), MAIN);
    assert.equal(pk.type, 'pubkey');
    assert.equal(pk.address, undefined);
    assert.deepEqual(scriptToUniv(hexToBytes('6a0430060201'), MAIN, { includeHex: false, includeAddress: false }), { asm: 'OP_RETURN 16909872', type: 'nulldata' });
  });

  it('InferDescriptor: pk(), multi(), rawtr(), addr(), raw(), each with a checksum that parses back to the script', () => {
    const cases: [string, RegExp][] = [
      [`41${SATOSHI_PUBKEY}ac`, new RegExp(`^pk\\(${SATOSHI_PUBKEY}\\)#`)],
      ['5221020743d44be989540d27b1b4bbbcfd17721c337cb6bc9af20eb8a32520b393532f2102c0120a1dda9e51a938d39ddd9fe0ebc45ea97e1d27a7cbd671d5431416d3dd87210213820eb3d5f509d7438c9eeecb4157b2f595105e7cd564b3cdbb9ead3da41eed53ae',
        /^multi\(2,020743d44be989540d27b1b4bbbcfd17721c337cb6bc9af20eb8a32520b393532f,02c0120a1dda9e51a938d39ddd9fe0ebc45ea97e1d27a7cbd671d5431416d3dd87,0213820eb3d5f509d7438c9eeecb4157b2f595105e7cd564b3cdbb9ead3da41eed\)#/],
      ['5120' + '79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798', /^rawtr\(79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798\)#/],
      ['a9142a5edea39971049a540474c6a99edf0aa4074c5887', /^addr\(35Z3xG92YkW5Xo4ngQw6w5b3Ce6MDw94A8\)#/],
      ['6a0430060201', /^raw\(6a0430060201\)#/],
    ];
    for (const [hex, re] of cases) {
      const desc = inferDescriptor(hexToBytes(hex), MAIN).toString();
      assert.match(desc, re);
      assert.match(desc, /#[a-z0-9]{8}$/);
      const parsed = parseDescriptor(desc, MAIN, { requireChecksum: true });
      assert.ok(parsed.ok, desc);
    }
    // An x-only key that is not on the curve cannot be rawtr(); the output is an addr().
    const offCurve = '5120' + '00'.repeat(32);
    assert.match(inferDescriptor(hexToBytes(offCurve), MAIN).toString(), /^addr\(bc1p/);
    // A hybrid key is no descriptor key: the bare script is raw().
    const hybrid = '4106' + SATOSHI_PUBKEY.slice(2) + 'ac';
    assert.match(inferDescriptor(hexToBytes(hybrid), MAIN).toString(), /^raw\(/);
  });
});
