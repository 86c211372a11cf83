// Solver, destinations and MatchMultiA (the cases of Core's script_standard_tests.cpp).
import assert from 'node:assert/strict';
import { hash160 } from '../../../src/crypto/ripemd160.js';
import { Opcode, ScriptBuilder } from '../../../src/script/script.js';
import {
  TxoutType,
  extractDestination,
  getScriptForDestination,
  getScriptForMultisig,
  getTxnOutputType,
  matchMultiA,
  solver,
} from '../../../src/script/standard.js';
import { Key, xonlyFromPubkey } from '../../../src/key.js';
import { bytesToHex } from '../../../src/util/hex.js';

const keys = [1, 2, 3].map((i) => Key.fromSecret(new Uint8Array(32).fill(i), true)!);
const pub = keys.map((k) => k.getPubKey());
const uncompressed = Key.fromSecret(new Uint8Array(32).fill(9), false)!.getPubKey();
const hex = (xs: Uint8Array[]) => xs.map(bytesToHex);
const script = () => new ScriptBuilder();
const { OP_0, OP_1, OP_16, OP_ADD, OP_CHECKMULTISIG, OP_CHECKSIG, OP_CHECKSIGADD, OP_NUMEQUAL, OP_RETURN } = Opcode;

describe('standard (Solver)', () => {
  it('classifies the standard script types with their solutions', () => {
    let r = solver(script().pushData(pub[0]!).op(OP_CHECKSIG).build());
    assert.equal(r.type, TxoutType.PUBKEY);
    assert.deepEqual(hex(r.solutions), hex([pub[0]!]));
    r = solver(script().pushData(uncompressed).op(OP_CHECKSIG).build());
    assert.deepEqual([r.type, hex(r.solutions)], [TxoutType.PUBKEY, hex([uncompressed])]);
    const id = hash160(pub[0]!);
    r = solver(getScriptForDestination({ type: 'pkhash', hash: id }));
    assert.deepEqual([r.type, hex(r.solutions)], [TxoutType.PUBKEYHASH, hex([id])]);
    r = solver(getScriptForDestination({ type: 'scripthash', hash: id }));
    assert.deepEqual([r.type, hex(r.solutions)], [TxoutType.SCRIPTHASH, hex([id])]);
    r = solver(getScriptForMultisig(1, pub.slice(0, 2)));
    assert.deepEqual([r.type, hex(r.solutions)], [TxoutType.MULTISIG, hex([Uint8Array.of(1), pub[0]!, pub[1]!, Uint8Array.of(2)])]);
    r = solver(script().op(OP_RETURN).pushData(Uint8Array.of(4, 5, 6)).build());
    assert.deepEqual([r.type, r.solutions.length], [TxoutType.NULL_DATA, 0]);
    assert.equal(solver(Uint8Array.of(OP_RETURN)).type, TxoutType.NULL_DATA);
    r = solver(getScriptForDestination({ type: 'witness_v0_keyhash', hash: id }));
    assert.deepEqual([r.type, hex(r.solutions)], [TxoutType.WITNESS_V0_KEYHASH, hex([id])]);
    const h32 = new Uint8Array(32).fill(0xab);
    r = solver(getScriptForDestination({ type: 'witness_v0_scripthash', hash: h32 }));
    assert.deepEqual([r.type, hex(r.solutions)], [TxoutType.WITNESS_V0_SCRIPTHASH, hex([h32])]);
    r = solver(getScriptForDestination({ type: 'witness_v1_taproot', program: h32 }));
    assert.deepEqual([r.type, hex(r.solutions)], [TxoutType.WITNESS_V1_TAPROOT, hex([h32])]);
    r = solver(script().op(OP_16).pushData(Uint8Array.of(0xad, 0xad)).build());
    assert.deepEqual([r.type, hex(r.solutions)], [TxoutType.WITNESS_UNKNOWN, ['10', 'adad']]);
    r = solver(Uint8Array.of(OP_1, 2, 0x4e, 0x73));
    assert.deepEqual([r.type, r.solutions.length], [TxoutType.ANCHOR, 0]);
    assert.equal(getTxnOutputType(TxoutType.WITNESS_V0_KEYHASH), 'witness_v0_keyhash');
    assert.equal(getTxnOutputType(TxoutType.NULL_DATA), 'nulldata');
  });

  it('leaves malformed scripts nonstandard', () => {
    const bad = [
      script().pushData(new Uint8Array(32).fill(2)).op(OP_CHECKSIG).build(), // not a pubkey size
      script().pushInt(2).pushData(pub[0]!).pushInt(1).op(OP_CHECKMULTISIG).build(), // n < m
      script().pushInt(0).pushInt(0).op(OP_CHECKMULTISIG).build(), // zero keys
      script().pushData(Uint8Array.of(1)).pushData(pub[0]!).pushInt(1).op(OP_CHECKMULTISIG).build(), // non-minimal threshold
      script().pushInt(1).pushData(pub[0]!).pushInt(1).op(OP_CHECKMULTISIG, OP_CHECKMULTISIG).build(),
      script().op(OP_RETURN).pushData(Uint8Array.of(0)).op(OP_ADD).build(), // OP_ADD is not a push
      Uint8Array.of(OP_RETURN, 0x4c), // truncated push
      script().op(OP_0).pushData(new Uint8Array(33)).build(), // v0 program of 33 bytes
      new Uint8Array(0),
    ];
    for (const s of bad) assert.deepEqual(solver(s), { type: TxoutType.NONSTANDARD, solutions: [] }, bytesToHex(s));
    // 17..20 keys use a minimal push for the count.
    const many = Array.from({ length: 17 }, (_, i) => Key.fromSecret(new Uint8Array(32).fill(i + 10), true)!.getPubKey());
    const ms = getScriptForMultisig(17, many);
    assert.equal(bytesToHex(ms.subarray(0, 2)), '0111');
    assert.equal(solver(ms).type, TxoutType.MULTISIG);
  });

  it('extracts destinations like ExtractDestination', () => {
    const p2pk = extractDestination(script().pushData(pub[0]!).op(OP_CHECKSIG).build());
    assert.equal(p2pk.ok, false);
    assert.equal(p2pk.dest.type, 'pubkey');
    const ms = extractDestination(getScriptForMultisig(1, pub));
    assert.deepEqual([ms.ok, ms.dest.type], [false, 'none']);
    const p2a = extractDestination(Uint8Array.of(OP_1, 2, 0x4e, 0x73));
    assert.deepEqual([p2a.ok, p2a.dest.type], [true, 'anchor']);
    const unk = extractDestination(script().op(OP_16).pushData(Uint8Array.of(0xad, 0xad)).build());
    assert.ok(unk.ok && unk.dest.type === 'witness_unknown' && unk.dest.version === 16);
    assert.equal(bytesToHex(getScriptForDestination(unk.dest)), '6002adad');
  });

  it('matches multi_a scripts (MatchMultiA)', () => {
    const xs = pub.map(xonlyFromPubkey);
    const s = script().pushData(xs[0]!).op(OP_CHECKSIG).pushData(xs[1]!).op(OP_CHECKSIGADD).pushData(xs[2]!).op(OP_CHECKSIGADD).pushInt(2).op(OP_NUMEQUAL).build();
    const m = matchMultiA(s);
    assert.ok(m);
    assert.equal(m.threshold, 2);
    assert.deepEqual(hex(m.keys), hex(xs));
    assert.equal(matchMultiA(script().pushData(xs[0]!).op(OP_CHECKSIG).pushInt(2).op(OP_NUMEQUAL).build()), null); // threshold > n
    assert.equal(matchMultiA(script().pushData(xs[0]!).op(OP_CHECKSIGADD).pushInt(1).op(OP_NUMEQUAL).build()), null); // first must be CHECKSIG
  });
});
