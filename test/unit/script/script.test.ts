// Script building blocks: CScriptNum, op iteration, predicates, sigop counts, asm, ParseScript, errors and flags.
import assert from 'node:assert/strict';
import { hash160 } from '../../../src/crypto/ripemd160.js';
import { sha256 } from '../../../src/crypto/sha256.js';
import { BaseSignatureChecker, countWitnessSigOps, evalScript } from '../../../src/script/interpreter.js';
import { SigVersion } from '../../../src/script/interpreter_types.js';
import {
  Opcode,
  ScriptBuilder,
  ScriptNumError,
  decodeScript,
  getOpName,
  getP2SHSigOpCount,
  getSigOpCount,
  isOpSuccess,
  isPayToAnchor,
  isPayToScriptHash,
  isPushOnly,
  isUnspendable,
  isWitnessProgram,
  pushDataBytes,
  scriptNumDecode,
  scriptNumEncode,
  scriptToAsm,
} from '../../../src/script/script.js';
import { ScriptError, ScriptVerifyError, scriptErrorShortName, scriptErrorString } from '../../../src/script/script_error.js';
import { ScriptParseError, parseScript } from '../../../src/script/script_parse.js';
import {
  SCRIPT_VERIFY_CHECKLOCKTIMEVERIFY,
  SCRIPT_VERIFY_P2SH,
  SCRIPT_VERIFY_WITNESS,
  formatScriptFlags,
  getScriptFlagNames,
  parseScriptFlags,
} from '../../../src/script/verify_flags.js';
import { bytesToHex, hexToBytes } from '../../../src/util/hex.js';

const hex = (b: Uint8Array): string => bytesToHex(b);

describe('script: CScriptNum', () => {
  const vectors: Array<[number, string]> = [
    [0, ''],
    [1, '01'],
    [-1, '81'],
    [127, '7f'],
    [128, '8000'],
    [-128, '8080'],
    [255, 'ff00'],
    [256, '0001'],
    [-255, 'ff80'],
    [0x7fffffff, 'ffffff7f'],
    [-0x7fffffff, 'ffffffff'],
    [0x80000000, '0000008000'],
    [-0x80000000, '0000008080'],
    [0xffffffff, 'ffffffff00'],
  ];
  it('serializes minimally and decodes back', () => {
    for (const [n, h] of vectors) {
      assert.equal(hex(scriptNumEncode(n)), h, `encode ${n}`);
      assert.equal(scriptNumDecode(hexToBytes(h), true, 5), n, `decode ${h}`);
    }
  });
  it('rejects oversize and (when asked) non-minimal encodings with Core messages', () => {
    assert.throws(() => scriptNumDecode(hexToBytes('0000008000'), false), new ScriptNumError('script number overflow'));
    for (const h of ['00', '80', '0100', '7f80', '000080']) {
      assert.throws(() => scriptNumDecode(hexToBytes(h), true), new ScriptNumError('non-minimally encoded script number'), h);
    }
    assert.equal(scriptNumDecode(hexToBytes('0100'), false), 1);
    assert.equal(scriptNumDecode(hexToBytes('80'), false), 0); // negative zero
    assert.equal(scriptNumDecode(hexToBytes('ff00'), true), 255);
  });
});

describe('script: parsing and predicates', () => {
  it('iterates ops and reports truncated pushes', () => {
    const { ops, ok } = decodeScript(hexToBytes('0001aa4c02bbcc76'));
    assert.ok(ok);
    assert.deepEqual(ops.map((o) => [o.opcode, hex(o.data), o.offset]), [[0, '', 0], [1, 'aa', 1], [0x4c, 'bbcc', 3], [0x76, '', 7]]);
    for (const h of ['4c', '4c01', '4d0100', '4e01000000', '02aa']) assert.equal(decodeScript(hexToBytes(h)).ok, false, h);
  });

  it('recognises standard forms', () => {
    const h20 = new Uint8Array(20).fill(7);
    const p2sh = new ScriptBuilder().op(Opcode.OP_HASH160).pushData(h20).op(Opcode.OP_EQUAL).build();
    assert.ok(isPayToScriptHash(p2sh));
    assert.deepEqual(isWitnessProgram(new ScriptBuilder().op(Opcode.OP_0).pushData(h20).build()), { version: 0, program: h20 });
    assert.equal(isWitnessProgram(new ScriptBuilder().op(Opcode.OP_16).pushData(new Uint8Array(41)).build()), null);
    assert.equal(isWitnessProgram(new ScriptBuilder().op(Opcode.OP_1NEGATE).pushData(h20).build()), null);
    assert.ok(isPayToAnchor(hexToBytes('51024e73')));
    assert.ok(isUnspendable(hexToBytes('6a')));
    assert.ok(isUnspendable(new Uint8Array(10001)));
    assert.ok(!isUnspendable(hexToBytes('51')));
    // OP_RESERVED counts as push-only; OP_NOP does not; a truncated push is not push-only.
    assert.ok(isPushOnly(hexToBytes('0050510181')));
    assert.ok(!isPushOnly(hexToBytes('0061')));
    assert.ok(!isPushOnly(hexToBytes('4c')));
  });

  it('OP_SUCCESSx set and opcode names', () => {
    const success = [80, 98, 126, 127, 128, 129, 131, 132, 133, 134, 137, 138, 141, 142, 149, 150, 151, 152, 153];
    for (let op = 0; op < 256; op++) {
      assert.equal(isOpSuccess(op), success.includes(op) || (op >= 187 && op <= 254), String(op));
    }
    assert.equal(getOpName(Opcode.OP_0), '0');
    assert.equal(getOpName(Opcode.OP_1NEGATE), '-1');
    assert.equal(getOpName(Opcode.OP_16), '16');
    assert.equal(getOpName(Opcode.OP_NOP2), 'OP_CHECKLOCKTIMEVERIFY');
    assert.equal(getOpName(Opcode.OP_NOP3), 'OP_CHECKSEQUENCEVERIFY');
    assert.equal(getOpName(Opcode.OP_CHECKSIGADD), 'OP_CHECKSIGADD');
    assert.equal(getOpName(0xbb), 'OP_UNKNOWN');
    assert.equal(getOpName(0xff), 'OP_INVALIDOPCODE');
  });

  it('counts sigops like Core (sigopcount_tests)', () => {
    const dummy = new Uint8Array(21);
    const s1 = new ScriptBuilder()
      .op(Opcode.OP_1)
      .pushData(dummy)
      .pushData(dummy)
      .op(Opcode.OP_2, Opcode.OP_CHECKMULTISIG, Opcode.OP_IF, Opcode.OP_CHECKSIG, Opcode.OP_ENDIF)
      .build();
    assert.equal(getSigOpCount(s1, true), 3);
    assert.equal(getSigOpCount(s1, false), 21);
    const p2sh = new ScriptBuilder().op(Opcode.OP_HASH160).pushData(hash160(s1)).op(Opcode.OP_EQUAL).build();
    const scriptSig = new ScriptBuilder().op(Opcode.OP_0).pushData(s1).build();
    assert.equal(getP2SHSigOpCount(p2sh, scriptSig), 3);
    assert.equal(getP2SHSigOpCount(p2sh, new ScriptBuilder().op(Opcode.OP_NOP).pushData(s1).build()), 0);
    assert.equal(getSigOpCount(new Uint8Array(0), true), 0);
  });

  it('counts witness sigops (CountWitnessSigOps)', () => {
    const pk = new Uint8Array(33).fill(2);
    const p2wpkh = new ScriptBuilder().op(Opcode.OP_0).pushData(hash160(pk)).build();
    const flags = SCRIPT_VERIFY_P2SH | SCRIPT_VERIFY_WITNESS;
    assert.equal(countWitnessSigOps(new Uint8Array(0), p2wpkh, [new Uint8Array(71), pk], flags), 1);
    assert.equal(countWitnessSigOps(new Uint8Array(0), p2wpkh, [], SCRIPT_VERIFY_P2SH), 0);
    const ms = new ScriptBuilder().op(Opcode.OP_2).pushData(pk).pushData(pk).op(Opcode.OP_2, Opcode.OP_CHECKMULTISIG).build();
    const p2wsh = new ScriptBuilder().op(Opcode.OP_0).pushData(sha256(ms)).build();
    const p2shWrapped = new ScriptBuilder().op(Opcode.OP_HASH160).pushData(hash160(p2wsh)).op(Opcode.OP_EQUAL).build();
    assert.equal(countWitnessSigOps(pushDataBytes(p2wsh), p2shWrapped, [new Uint8Array(0), ms], flags), 2);
    assert.equal(countWitnessSigOps(new Uint8Array(0), p2wsh, [], flags), 0);
  });
});

describe('script: text forms', () => {
  it('ParseScript accepts names with or without OP_, numbers, raw hex and strings', () => {
    assert.equal(hex(parseScript('0 1 -1 16 17 -2 1000 DUP OP_HASH160 0x4c01 0x07')), '00514f600111018202e80376a94c0107');
    assert.equal(hex(parseScript("'abc' 'a'")), '03616263' + '0161');
    assert.equal(hex(parseScript('  NOP\tCHECKLOCKTIMEVERIFY\nRESERVED ')), '61b150');
    assert.equal(hex(parseScript('4294967295 -4294967295')), '05ffffffff00' + '05ffffffff80');
  });

  it('ParseScript rejects what Core rejects, with Core messages', () => {
    assert.throws(() => parseScript('NOP2'), new ScriptParseError('script parse error: unknown opcode'));
    assert.throws(() => parseScript('OP_1'), new ScriptParseError('script parse error: unknown opcode'));
    assert.throws(() => parseScript('0x'), ScriptParseError);
    assert.throws(() => parseScript('0xabc'), ScriptParseError);
    assert.throws(
      () => parseScript('4294967296'),
      new ScriptParseError('script parse error: decimal numeric value only allowed in the range -0xFFFFFFFF...0xFFFFFFFF'),
    );
  });

  it('ScriptToAsmStr', () => {
    assert.equal(scriptToAsm(parseScript('0 1 -1 16 17 DUP 0x05 0x0102030405 CHECKLOCKTIMEVERIFY')), '0 1 -1 16 17 OP_DUP 0102030405 OP_CHECKLOCKTIMEVERIFY');
    assert.equal(scriptToAsm(hexToBytes('76a902aa')), 'OP_DUP OP_HASH160 [error]');
    const sig = '3006020101020101';
    const scriptSig = pushDataBytes(hexToBytes(sig + '81'));
    assert.equal(scriptToAsm(scriptSig, true), `${sig}[ALL|ANYONECANPAY]`);
    assert.equal(scriptToAsm(scriptSig, false), `${sig}81`);
  });
});

describe('script: errors and flags', () => {
  it('error strings are Core\'s', () => {
    assert.equal(scriptErrorString(ScriptError.SCRIPT_ERR_OK), 'No error');
    assert.equal(scriptErrorString(ScriptError.SCRIPT_ERR_EVAL_FALSE), 'Script evaluated without error but finished with a false/empty top stack element');
    assert.equal(scriptErrorString(ScriptError.SCRIPT_ERR_SIG_NULLFAIL), 'Signature must be zero for failed CHECK(MULTI)SIG operation');
    assert.equal(scriptErrorString(ScriptError.SCRIPT_ERR_UNKNOWN_ERROR), 'unknown error');
    for (let c = 0; c < ScriptError.SCRIPT_ERR_ERROR_COUNT; c++) {
      if (c === ScriptError.SCRIPT_ERR_UNKNOWN_ERROR) continue;
      assert.notEqual(scriptErrorString(c), 'unknown error', ScriptError[c]);
    }
    assert.equal(scriptErrorShortName(ScriptError.SCRIPT_ERR_SIG_NULLFAIL), 'NULLFAIL');
    assert.equal(ScriptError.SCRIPT_ERR_SCRIPTNUM, 4);
    const e = new ScriptVerifyError(ScriptError.SCRIPT_ERR_CLEANSTACK);
    assert.equal(e.message, 'Stack size must be exactly one after execution');
  });

  it('flag names round-trip and unknown bits print as hex', () => {
    assert.equal(parseScriptFlags('P2SH,WITNESS'), SCRIPT_VERIFY_P2SH | SCRIPT_VERIFY_WITNESS);
    assert.equal(parseScriptFlags('NONE'), 0);
    assert.throws(() => parseScriptFlags('P2SH,BOGUS'));
    assert.deepEqual(getScriptFlagNames(SCRIPT_VERIFY_P2SH | SCRIPT_VERIFY_WITNESS | (1 << 25)), ['P2SH', 'WITNESS', '0x02000000']);
    assert.equal(formatScriptFlags(SCRIPT_VERIFY_CHECKLOCKTIMEVERIFY | SCRIPT_VERIFY_P2SH), 'CHECKLOCKTIMEVERIFY,P2SH');
  });
});

describe('script: EvalScript edge cases (script_tests.cpp)', () => {
  const run = (h: string, flags = SCRIPT_VERIFY_P2SH): { err: ScriptError; stack: string[] } => {
    const stack: Uint8Array[] = [];
    const err = evalScript(stack, hexToBytes(h), flags, new BaseSignatureChecker(), SigVersion.BASE);
    return { err, stack: stack.map(hex) };
  };
  it('PUSHDATA1/2/4 push the same as a direct push; truncated ones are BAD_OPCODE', () => {
    for (const h of ['015a', '4c015a', '4d01005a', '4e010000005a']) assert.deepEqual(run(h), { err: ScriptError.SCRIPT_ERR_OK, stack: ['5a'] });
    for (const h of ['4c01', '4d0100', '4e01000000']) assert.equal(run(h).err, ScriptError.SCRIPT_ERR_BAD_OPCODE);
  });
  it('a bare CHECKLOCKTIMEVERIFY on an empty stack is INVALID_STACK_OPERATION', () => {
    assert.equal(run('b1', SCRIPT_VERIFY_CHECKLOCKTIMEVERIFY).err, ScriptError.SCRIPT_ERR_INVALID_STACK_OPERATION);
  });
  it('arithmetic beyond 4-byte operands fails with SCRIPTNUM', () => {
    assert.equal(run('0500000080005193').err, ScriptError.SCRIPT_ERR_SCRIPTNUM);
    // Results may exceed 4 bytes: 0x7fffffff + 0x7fffffff.
    assert.deepEqual(run('04ffffff7f04ffffff7f93'), { err: ScriptError.SCRIPT_ERR_OK, stack: ['feffffff00'] });
  });
});
