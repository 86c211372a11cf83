// EvalScript: the script evaluation loop (every opcode), as Core's interpreter.cpp runs it.
import { findAndDeletePush } from './sighash.js';
import { hash160, ripemd160 } from '../crypto/ripemd160.js';
import { sha1 } from '../crypto/sha1.js';
import { hash256, sha256 } from '../crypto/sha256.js';
import { bytesEqual } from '../util/hex.js';
import { checkPubKeyEncoding, checkSignatureEncoding } from './interpreter_encoding.js';
import type { SignatureChecker } from './interpreter_checker.js';
import { ScriptExecutionData, SigVersion } from './interpreter_types.js';
import {
  MAX_OPS_PER_SCRIPT,
  MAX_PUBKEYS_PER_MULTISIG,
  MAX_SCRIPT_ELEMENT_SIZE,
  MAX_SCRIPT_SIZE,
  MAX_STACK_SIZE,
  Opcode,
  ScriptNumError,
  ScriptReader,
  VALIDATION_WEIGHT_PER_SIGOP_PASSED,
  scriptNumDecode,
  scriptNumEncode,
  scriptNumGetInt,
} from './script.js';
import { ScriptError } from './script_error.js';
import {
  SCRIPT_VERIFY_CHECKLOCKTIMEVERIFY,
  SCRIPT_VERIFY_CHECKSEQUENCEVERIFY,
  SCRIPT_VERIFY_CONST_SCRIPTCODE,
  SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_NOPS,
  SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_PUBKEYTYPE,
  SCRIPT_VERIFY_MINIMALDATA,
  SCRIPT_VERIFY_MINIMALIF,
  SCRIPT_VERIFY_NULLDUMMY,
  SCRIPT_VERIFY_NULLFAIL,
  type ScriptVerifyFlags,
} from './verify_flags.js';

const OK = ScriptError.SCRIPT_ERR_OK;
const SEQUENCE_LOCKTIME_DISABLE_FLAG = 0x80000000;

/** A stack of byte strings; the top is the last element. Elements are never modified in place. */
export type Stack = Uint8Array[];

/** True unless all bytes are zero, allowing a final 0x80 ("negative zero"). */
export function castToBool(v: Uint8Array): boolean {
  for (let i = 0; i < v.length; i++) {
    if (v[i] !== 0) return !(i === v.length - 1 && v[i] === 0x80);
  }
  return false;
}

/** The push used the smallest encoding for its data (BIP62 rule 3). */
export function checkMinimalPush(data: Uint8Array, opcode: number): boolean {
  const n = data.length;
  if (n === 0) return opcode === Opcode.OP_0;
  if (n === 1 && data[0]! >= 1 && data[0]! <= 16) return opcode === Opcode.OP_1 + (data[0]! - 1);
  if (n === 1 && data[0] === 0x81) return opcode === Opcode.OP_1NEGATE;
  if (n <= 75) return opcode === n;
  if (n <= 255) return opcode === Opcode.OP_PUSHDATA1;
  if (n <= 65535) return opcode === Opcode.OP_PUSHDATA2;
  return true;
}

/**
 * The IF/ELSE nesting as Core's ConditionStack keeps it: a depth and the index of the outermost false
 * level are all that is needed, so each IF, ELSE and ENDIF costs O(1) however deep the nesting.
 */
class ConditionStack {
  private size = 0;
  private firstFalse = -1;

  empty(): boolean {
    return this.size === 0;
  }
  allTrue(): boolean {
    return this.firstFalse === -1;
  }
  push(v: boolean): void {
    if (this.firstFalse === -1 && !v) this.firstFalse = this.size;
    this.size++;
  }
  pop(): void {
    this.size--;
    if (this.firstFalse === this.size) this.firstFalse = -1;
  }
  toggleTop(): void {
    if (this.firstFalse === -1) this.firstFalse = this.size - 1;
    else if (this.firstFalse === this.size - 1) this.firstFalse = -1;
    // A false below the top stays the first false: toggling the top is unobservable then.
  }
}

const DISABLED_OPCODES: ReadonlySet<number> = new Set([
  Opcode.OP_CAT,
  Opcode.OP_SUBSTR,
  Opcode.OP_LEFT,
  Opcode.OP_RIGHT,
  Opcode.OP_INVERT,
  Opcode.OP_AND,
  Opcode.OP_OR,
  Opcode.OP_XOR,
  Opcode.OP_2MUL,
  Opcode.OP_2DIV,
  Opcode.OP_MUL,
  Opcode.OP_DIV,
  Opcode.OP_MOD,
  Opcode.OP_LSHIFT,
  Opcode.OP_RSHIFT,
]);

// Fresh arrays each time (callers own the stack). Index assignment is cheaper than Uint8Array.of.
const vTrue = (): Uint8Array => {
  const v = new Uint8Array(1);
  v[0] = 1;
  return v;
};
const vFalse = (): Uint8Array => new Uint8Array(0);

/** What a checksig helper reports: an error that ends the script, and otherwise the verdict on the signature. */
type ChecksigResult = { error: ScriptError; success: boolean };

function evalChecksigPreTapscript(
  sig: Uint8Array,
  pubkey: Uint8Array,
  scriptCodeIn: Uint8Array,
  flags: ScriptVerifyFlags,
  checker: SignatureChecker,
  sigversion: SigVersion,
): ChecksigResult {
  let scriptCode = scriptCodeIn;
  // Legacy scripts cannot sign over their own signature, so it is removed from the scriptCode.
  if (sigversion === SigVersion.BASE) {
    const r = findAndDeletePush(scriptCode, sig);
    if (r.found > 0 && flags & SCRIPT_VERIFY_CONST_SCRIPTCODE) return { error: ScriptError.SCRIPT_ERR_SIG_FINDANDDELETE, success: false };
    scriptCode = r.script;
  }
  let e = checkSignatureEncoding(sig, flags);
  if (e === OK) e = checkPubKeyEncoding(pubkey, flags, sigversion);
  if (e !== OK) return { error: e, success: false };
  const success = checker.checkECDSASignature(sig, pubkey, scriptCode, sigversion);
  if (!success && flags & SCRIPT_VERIFY_NULLFAIL && sig.length > 0) return { error: ScriptError.SCRIPT_ERR_SIG_NULLFAIL, success };
  return { error: OK, success };
}

function evalChecksigTapscript(
  sig: Uint8Array,
  pubkey: Uint8Array,
  execdata: ScriptExecutionData,
  flags: ScriptVerifyFlags,
  checker: SignatureChecker,
): ChecksigResult {
  // The order below is consensus: the budget is charged first (even for unknown key types), then an empty key
  // fails, then a 32-byte key with a non-empty signature must verify.
  const success = sig.length > 0;
  if (success) {
    if (execdata.validationWeightLeft === undefined) throw new Error('tapscript validation weight is not initialised');
    execdata.validationWeightLeft -= VALIDATION_WEIGHT_PER_SIGOP_PASSED;
    if (execdata.validationWeightLeft < 0) return { error: ScriptError.SCRIPT_ERR_TAPSCRIPT_VALIDATION_WEIGHT, success };
  }
  if (pubkey.length === 0) return { error: ScriptError.SCRIPT_ERR_TAPSCRIPT_EMPTY_PUBKEY, success };
  if (pubkey.length === 32) {
    if (success) {
      const e = checker.checkSchnorrSignature(sig, pubkey, SigVersion.TAPSCRIPT, execdata);
      if (e !== OK) return { error: e, success };
    }
  } else if (flags & SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_PUBKEYTYPE) {
    // Unknown key types succeed for future soft forks unless discouraged.
    return { error: ScriptError.SCRIPT_ERR_DISCOURAGE_UPGRADABLE_PUBKEYTYPE, success };
  }
  return { error: OK, success };
}

/**
 * Core's EvalScript: runs `script` on `stack` (modified in place) and returns SCRIPT_ERR_OK or the failure.
 * `sigversion` must not be TAPROOT (key path spends run no script).
 */
export function evalScript(
  stack: Stack,
  script: Uint8Array,
  flags: ScriptVerifyFlags,
  checker: SignatureChecker,
  sigversion: SigVersion,
  execdata: ScriptExecutionData = new ScriptExecutionData(),
): ScriptError {
  if (sigversion === SigVersion.TAPROOT) throw new RangeError('EvalScript cannot run a taproot key path spend');
  const legacy = sigversion === SigVersion.BASE || sigversion === SigVersion.WITNESS_V0;
  if (legacy && script.length > MAX_SCRIPT_SIZE) return ScriptError.SCRIPT_ERR_SCRIPT_SIZE;
  try {
    return evalLoop(stack, script, flags, checker, sigversion, execdata, legacy);
  } catch (e) {
    // Only number decoding failures are script failures; anything else is a bug and propagates.
    if (e instanceof ScriptNumError) return ScriptError.SCRIPT_ERR_SCRIPTNUM;
    throw e;
  }
}

function evalLoop(
  stack: Stack,
  script: Uint8Array,
  flags: ScriptVerifyFlags,
  checker: SignatureChecker,
  sigversion: SigVersion,
  execdata: ScriptExecutionData,
  legacy: boolean,
): ScriptError {
  const r = new ScriptReader(script);
  let pbegincodehash = 0;
  const vfExec = new ConditionStack();
  const altstack: Stack = [];
  let nOpCount = 0;
  const fRequireMinimal = (flags & SCRIPT_VERIFY_MINIMALDATA) !== 0;
  let opcodePos = 0;
  execdata.codeseparatorPos = 0xffffffff;

  const top = (i: number): Uint8Array => stack[stack.length + i]!;
  const num = (v: Uint8Array): number => scriptNumDecode(v, fRequireMinimal);

  for (; r.more; ++opcodePos) {
    const fExec = vfExec.allTrue();
    if (!r.next()) return ScriptError.SCRIPT_ERR_BAD_OPCODE;
    const opcode = r.opcode;
    if (r.dataEnd - r.dataStart > MAX_SCRIPT_ELEMENT_SIZE) return ScriptError.SCRIPT_ERR_PUSH_SIZE;

    // OP_RESERVED (and the pushes) do not count towards the limit; tapscript has no limit.
    if (legacy && opcode > Opcode.OP_16 && ++nOpCount > MAX_OPS_PER_SCRIPT) return ScriptError.SCRIPT_ERR_OP_COUNT;

    // Disabled opcodes fail on sight, executed or not (CVE-2010-5137).
    if (DISABLED_OPCODES.has(opcode)) return ScriptError.SCRIPT_ERR_DISABLED_OPCODE;

    // Under CONST_SCRIPTCODE any OP_CODESEPARATOR in a legacy script fails, inside a skipped branch too.
    if (opcode === Opcode.OP_CODESEPARATOR && sigversion === SigVersion.BASE && flags & SCRIPT_VERIFY_CONST_SCRIPTCODE) {
      return ScriptError.SCRIPT_ERR_OP_CODESEPARATOR;
    }

    if (fExec && opcode <= Opcode.OP_PUSHDATA4) {
      const data = r.data();
      if (fRequireMinimal && !checkMinimalPush(data, opcode)) return ScriptError.SCRIPT_ERR_MINIMALDATA;
      stack.push(data);
    } else if (fExec || (Opcode.OP_IF <= opcode && opcode <= Opcode.OP_ENDIF)) {
      switch (opcode) {
        case Opcode.OP_1NEGATE:
        case Opcode.OP_1:
        case Opcode.OP_2:
        case Opcode.OP_3:
        case Opcode.OP_4:
        case Opcode.OP_5:
        case Opcode.OP_6:
        case Opcode.OP_7:
        case Opcode.OP_8:
        case Opcode.OP_9:
        case Opcode.OP_10:
        case Opcode.OP_11:
        case Opcode.OP_12:
        case Opcode.OP_13:
        case Opcode.OP_14:
        case Opcode.OP_15:
        case Opcode.OP_16:
          stack.push(scriptNumEncode(opcode - (Opcode.OP_1 - 1)));
          break;

        case Opcode.OP_NOP:
          break;

        case Opcode.OP_CHECKLOCKTIMEVERIFY: {
          if (!(flags & SCRIPT_VERIFY_CHECKLOCKTIMEVERIFY)) break; // not enabled: NOP2
          if (stack.length < 1) return ScriptError.SCRIPT_ERR_INVALID_STACK_OPERATION;
          // 5-byte operands: lock times are uint32, beyond the 4-byte arithmetic range.
          const lockTime = scriptNumDecode(top(-1), fRequireMinimal, 5);
          if (lockTime < 0) return ScriptError.SCRIPT_ERR_NEGATIVE_LOCKTIME;
          if (!checker.checkLockTime(lockTime)) return ScriptError.SCRIPT_ERR_UNSATISFIED_LOCKTIME;
          break;
        }

        case Opcode.OP_CHECKSEQUENCEVERIFY: {
          if (!(flags & SCRIPT_VERIFY_CHECKSEQUENCEVERIFY)) break; // not enabled: NOP3
          if (stack.length < 1) return ScriptError.SCRIPT_ERR_INVALID_STACK_OPERATION;
          const sequence = scriptNumDecode(top(-1), fRequireMinimal, 5);
          if (sequence < 0) return ScriptError.SCRIPT_ERR_NEGATIVE_LOCKTIME;
          // The disable flag in the operand keeps the opcode a NOP, for future soft forks.
          // (`&` works on the low 32 bits, which hold bit 31 even for 5-byte operands.)
          if ((sequence & SEQUENCE_LOCKTIME_DISABLE_FLAG) !== 0) break;
          if (!checker.checkSequence(sequence)) return ScriptError.SCRIPT_ERR_UNSATISFIED_LOCKTIME;
          break;
        }

        case Opcode.OP_NOP1:
        case Opcode.OP_NOP4:
        case Opcode.OP_NOP5:
        case Opcode.OP_NOP6:
        case Opcode.OP_NOP7:
        case Opcode.OP_NOP8:
        case Opcode.OP_NOP9:
        case Opcode.OP_NOP10:
          if (flags & SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_NOPS) return ScriptError.SCRIPT_ERR_DISCOURAGE_UPGRADABLE_NOPS;
          break;

        case Opcode.OP_IF:
        case Opcode.OP_NOTIF: {
          let fValue = false;
          if (fExec) {
            if (stack.length < 1) return ScriptError.SCRIPT_ERR_INVALID_STACK_OPERATION;
            const vch = top(-1);
            // Tapscript requires a minimal argument by consensus; witness v0 only under MINIMALIF (policy).
            if (sigversion === SigVersion.TAPSCRIPT && (vch.length > 1 || (vch.length === 1 && vch[0] !== 1))) {
              return ScriptError.SCRIPT_ERR_TAPSCRIPT_MINIMALIF;
            }
            if (sigversion === SigVersion.WITNESS_V0 && flags & SCRIPT_VERIFY_MINIMALIF) {
              if (vch.length > 1 || (vch.length === 1 && vch[0] !== 1)) return ScriptError.SCRIPT_ERR_MINIMALIF;
            }
            fValue = castToBool(vch);
            if (opcode === Opcode.OP_NOTIF) fValue = !fValue;
            stack.pop();
          }
          vfExec.push(fValue);
          break;
        }

        case Opcode.OP_ELSE:
          if (vfExec.empty()) return ScriptError.SCRIPT_ERR_UNBALANCED_CONDITIONAL;
          vfExec.toggleTop();
          break;

        case Opcode.OP_ENDIF:
          if (vfExec.empty()) return ScriptError.SCRIPT_ERR_UNBALANCED_CONDITIONAL;
          vfExec.pop();
          break;

        case Opcode.OP_VERIFY:
          if (stack.length < 1) return ScriptError.SCRIPT_ERR_INVALID_STACK_OPERATION;
          if (!castToBool(top(-1))) return ScriptError.SCRIPT_ERR_VERIFY;
          stack.pop();
          break;

        case Opcode.OP_RETURN:
          return ScriptError.SCRIPT_ERR_OP_RETURN;

        // Stack ops
        case Opcode.OP_TOALTSTACK:
          if (stack.length < 1) return ScriptError.SCRIPT_ERR_INVALID_STACK_OPERATION;
          altstack.push(stack.pop()!);
          break;

        case Opcode.OP_FROMALTSTACK:
          if (altstack.length < 1) return ScriptError.SCRIPT_ERR_INVALID_ALTSTACK_OPERATION;
          stack.push(altstack.pop()!);
          break;

        case Opcode.OP_2DROP:
          if (stack.length < 2) return ScriptError.SCRIPT_ERR_INVALID_STACK_OPERATION;
          stack.length -= 2;
          break;

        case Opcode.OP_2DUP: {
          if (stack.length < 2) return ScriptError.SCRIPT_ERR_INVALID_STACK_OPERATION;
          const a = top(-2);
          const b = top(-1);
          stack.push(a, b);
          break;
        }

        case Opcode.OP_3DUP: {
          if (stack.length < 3) return ScriptError.SCRIPT_ERR_INVALID_STACK_OPERATION;
          const a = top(-3);
          const b = top(-2);
          const c = top(-1);
          stack.push(a, b, c);
          break;
        }

        case Opcode.OP_2OVER: {
          if (stack.length < 4) return ScriptError.SCRIPT_ERR_INVALID_STACK_OPERATION;
          const a = top(-4);
          const b = top(-3);
          stack.push(a, b);
          break;
        }

        case Opcode.OP_2ROT: {
          if (stack.length < 6) return ScriptError.SCRIPT_ERR_INVALID_STACK_OPERATION;
          const moved = stack.splice(stack.length - 6, 2);
          stack.push(moved[0]!, moved[1]!);
          break;
        }

        case Opcode.OP_2SWAP: {
          if (stack.length < 4) return ScriptError.SCRIPT_ERR_INVALID_STACK_OPERATION;
          const n = stack.length;
          [stack[n - 4], stack[n - 2]] = [stack[n - 2]!, stack[n - 4]!];
          [stack[n - 3], stack[n - 1]] = [stack[n - 1]!, stack[n - 3]!];
          break;
        }

        case Opcode.OP_IFDUP: {
          if (stack.length < 1) return ScriptError.SCRIPT_ERR_INVALID_STACK_OPERATION;
          const v = top(-1);
          if (castToBool(v)) stack.push(v);
          break;
        }

        case Opcode.OP_DEPTH:
          stack.push(scriptNumEncode(stack.length));
          break;

        case Opcode.OP_DROP:
          if (stack.length < 1) return ScriptError.SCRIPT_ERR_INVALID_STACK_OPERATION;
          stack.pop();
          break;

        case Opcode.OP_DUP:
          if (stack.length < 1) return ScriptError.SCRIPT_ERR_INVALID_STACK_OPERATION;
          stack.push(top(-1));
          break;

        case Opcode.OP_NIP:
          if (stack.length < 2) return ScriptError.SCRIPT_ERR_INVALID_STACK_OPERATION;
          stack.splice(stack.length - 2, 1);
          break;

        case Opcode.OP_OVER:
          if (stack.length < 2) return ScriptError.SCRIPT_ERR_INVALID_STACK_OPERATION;
          stack.push(top(-2));
          break;

        case Opcode.OP_PICK:
        case Opcode.OP_ROLL: {
          if (stack.length < 2) return ScriptError.SCRIPT_ERR_INVALID_STACK_OPERATION;
          const n = scriptNumGetInt(num(top(-1)));
          stack.pop();
          if (n < 0 || n >= stack.length) return ScriptError.SCRIPT_ERR_INVALID_STACK_OPERATION;
          const v = top(-n - 1);
          if (opcode === Opcode.OP_ROLL) stack.splice(stack.length - n - 1, 1);
          stack.push(v);
          break;
        }

        case Opcode.OP_ROT: {
          if (stack.length < 3) return ScriptError.SCRIPT_ERR_INVALID_STACK_OPERATION;
          const moved = stack.splice(stack.length - 3, 1);
          stack.push(moved[0]!);
          break;
        }

        case Opcode.OP_SWAP: {
          if (stack.length < 2) return ScriptError.SCRIPT_ERR_INVALID_STACK_OPERATION;
          const n = stack.length;
          [stack[n - 2], stack[n - 1]] = [stack[n - 1]!, stack[n - 2]!];
          break;
        }

        case Opcode.OP_TUCK:
          if (stack.length < 2) return ScriptError.SCRIPT_ERR_INVALID_STACK_OPERATION;
          stack.splice(stack.length - 2, 0, top(-1));
          break;

        case Opcode.OP_SIZE:
          if (stack.length < 1) return ScriptError.SCRIPT_ERR_INVALID_STACK_OPERATION;
          stack.push(scriptNumEncode(top(-1).length));
          break;

        // Bitwise logic
        case Opcode.OP_EQUAL:
        case Opcode.OP_EQUALVERIFY: {
          if (stack.length < 2) return ScriptError.SCRIPT_ERR_INVALID_STACK_OPERATION;
          const equal = bytesEqual(top(-2), top(-1));
          stack.length -= 2;
          if (opcode === Opcode.OP_EQUALVERIFY) {
            if (!equal) {
              stack.push(vFalse());
              return ScriptError.SCRIPT_ERR_EQUALVERIFY;
            }
          } else {
            stack.push(equal ? vTrue() : vFalse());
          }
          break;
        }

        // Numeric
        case Opcode.OP_1ADD:
        case Opcode.OP_1SUB:
        case Opcode.OP_NEGATE:
        case Opcode.OP_ABS:
        case Opcode.OP_NOT:
        case Opcode.OP_0NOTEQUAL: {
          if (stack.length < 1) return ScriptError.SCRIPT_ERR_INVALID_STACK_OPERATION;
          let bn = num(top(-1));
          switch (opcode) {
            case Opcode.OP_1ADD:
              bn += 1;
              break;
            case Opcode.OP_1SUB:
              bn -= 1;
              break;
            case Opcode.OP_NEGATE:
              bn = -bn;
              break;
            case Opcode.OP_ABS:
              if (bn < 0) bn = -bn;
              break;
            case Opcode.OP_NOT:
              bn = bn === 0 ? 1 : 0;
              break;
            default:
              bn = bn !== 0 ? 1 : 0;
          }
          stack.pop();
          stack.push(scriptNumEncode(bn));
          break;
        }

        case Opcode.OP_ADD:
        case Opcode.OP_SUB:
        case Opcode.OP_BOOLAND:
        case Opcode.OP_BOOLOR:
        case Opcode.OP_NUMEQUAL:
        case Opcode.OP_NUMEQUALVERIFY:
        case Opcode.OP_NUMNOTEQUAL:
        case Opcode.OP_LESSTHAN:
        case Opcode.OP_GREATERTHAN:
        case Opcode.OP_LESSTHANOREQUAL:
        case Opcode.OP_GREATERTHANOREQUAL:
        case Opcode.OP_MIN:
        case Opcode.OP_MAX: {
          if (stack.length < 2) return ScriptError.SCRIPT_ERR_INVALID_STACK_OPERATION;
          const bn1 = num(top(-2));
          const bn2 = num(top(-1));
          let bn: number;
          switch (opcode) {
            case Opcode.OP_ADD:
              bn = bn1 + bn2;
              break;
            case Opcode.OP_SUB:
              bn = bn1 - bn2;
              break;
            case Opcode.OP_BOOLAND:
              bn = bn1 !== 0 && bn2 !== 0 ? 1 : 0;
              break;
            case Opcode.OP_BOOLOR:
              bn = bn1 !== 0 || bn2 !== 0 ? 1 : 0;
              break;
            case Opcode.OP_NUMEQUAL:
            case Opcode.OP_NUMEQUALVERIFY:
              bn = bn1 === bn2 ? 1 : 0;
              break;
            case Opcode.OP_NUMNOTEQUAL:
              bn = bn1 !== bn2 ? 1 : 0;
              break;
            case Opcode.OP_LESSTHAN:
              bn = bn1 < bn2 ? 1 : 0;
              break;
            case Opcode.OP_GREATERTHAN:
              bn = bn1 > bn2 ? 1 : 0;
              break;
            case Opcode.OP_LESSTHANOREQUAL:
              bn = bn1 <= bn2 ? 1 : 0;
              break;
            case Opcode.OP_GREATERTHANOREQUAL:
              bn = bn1 >= bn2 ? 1 : 0;
              break;
            case Opcode.OP_MIN:
              bn = bn1 < bn2 ? bn1 : bn2;
              break;
            default:
              bn = bn1 > bn2 ? bn1 : bn2;
          }
          stack.length -= 2;
          stack.push(scriptNumEncode(bn));
          if (opcode === Opcode.OP_NUMEQUALVERIFY) {
            if (!castToBool(top(-1))) return ScriptError.SCRIPT_ERR_NUMEQUALVERIFY;
            stack.pop();
          }
          break;
        }

        case Opcode.OP_WITHIN: {
          if (stack.length < 3) return ScriptError.SCRIPT_ERR_INVALID_STACK_OPERATION;
          const x = num(top(-3));
          const min = num(top(-2));
          const max = num(top(-1));
          stack.length -= 3;
          stack.push(min <= x && x < max ? vTrue() : vFalse());
          break;
        }

        // Crypto
        case Opcode.OP_RIPEMD160:
        case Opcode.OP_SHA1:
        case Opcode.OP_SHA256:
        case Opcode.OP_HASH160:
        case Opcode.OP_HASH256: {
          if (stack.length < 1) return ScriptError.SCRIPT_ERR_INVALID_STACK_OPERATION;
          const v = stack.pop()!;
          const h =
            opcode === Opcode.OP_RIPEMD160
              ? ripemd160(v)
              : opcode === Opcode.OP_SHA1
                ? sha1(v)
                : opcode === Opcode.OP_SHA256
                  ? sha256(v)
                  : opcode === Opcode.OP_HASH160
                    ? hash160(v)
                    : hash256(v);
          stack.push(h);
          break;
        }

        case Opcode.OP_CODESEPARATOR:
          // Signatures commit to the script from just after the last executed separator.
          pbegincodehash = r.pc;
          execdata.codeseparatorPos = opcodePos;
          break;

        case Opcode.OP_CHECKSIG:
        case Opcode.OP_CHECKSIGVERIFY: {
          if (stack.length < 2) return ScriptError.SCRIPT_ERR_INVALID_STACK_OPERATION;
          const sig = top(-2);
          const pubkey = top(-1);
          const res =
            sigversion === SigVersion.TAPSCRIPT
              ? evalChecksigTapscript(sig, pubkey, execdata, flags, checker)
              : evalChecksigPreTapscript(sig, pubkey, script.subarray(pbegincodehash), flags, checker, sigversion);
          if (res.error !== OK) return res.error;
          stack.length -= 2;
          if (opcode === Opcode.OP_CHECKSIGVERIFY) {
            if (!res.success) {
              stack.push(vFalse());
              return ScriptError.SCRIPT_ERR_CHECKSIGVERIFY;
            }
          } else {
            stack.push(res.success ? vTrue() : vFalse());
          }
          break;
        }

        case Opcode.OP_CHECKSIGADD: {
          // Only tapscript has OP_CHECKSIGADD.
          if (legacy) return ScriptError.SCRIPT_ERR_BAD_OPCODE;
          if (stack.length < 3) return ScriptError.SCRIPT_ERR_INVALID_STACK_OPERATION;
          const sig = top(-3);
          const n = num(top(-2));
          const pubkey = top(-1);
          const res = evalChecksigTapscript(sig, pubkey, execdata, flags, checker);
          if (res.error !== OK) return res.error;
          stack.length -= 3;
          stack.push(scriptNumEncode(n + (res.success ? 1 : 0)));
          break;
        }

        case Opcode.OP_CHECKMULTISIG:
        case Opcode.OP_CHECKMULTISIGVERIFY: {
          if (sigversion === SigVersion.TAPSCRIPT) return ScriptError.SCRIPT_ERR_TAPSCRIPT_CHECKMULTISIG;
          // Stack, top first: key count, keys, signature count, signatures, then the extra dummy element.
          let i = 1;
          if (stack.length < i) return ScriptError.SCRIPT_ERR_INVALID_STACK_OPERATION;
          let nKeysCount = scriptNumGetInt(num(top(-i)));
          if (nKeysCount < 0 || nKeysCount > MAX_PUBKEYS_PER_MULTISIG) return ScriptError.SCRIPT_ERR_PUBKEY_COUNT;
          nOpCount += nKeysCount;
          if (nOpCount > MAX_OPS_PER_SCRIPT) return ScriptError.SCRIPT_ERR_OP_COUNT;
          let ikey = ++i;
          // ikey2: position of the last non-signature item (top = 1), for the NULLFAIL cleanup below.
          let ikey2 = nKeysCount + 2;
          i += nKeysCount;
          if (stack.length < i) return ScriptError.SCRIPT_ERR_INVALID_STACK_OPERATION;
          let nSigsCount = scriptNumGetInt(num(top(-i)));
          if (nSigsCount < 0 || nSigsCount > nKeysCount) return ScriptError.SCRIPT_ERR_SIG_COUNT;
          let isig = ++i;
          i += nSigsCount;
          if (stack.length < i) return ScriptError.SCRIPT_ERR_INVALID_STACK_OPERATION;

          let scriptCode = script.subarray(pbegincodehash);
          // Legacy scripts drop every signature from the scriptCode before any is checked.
          if (sigversion === SigVersion.BASE) {
            for (let k = 0; k < nSigsCount; k++) {
              const fd = findAndDeletePush(scriptCode, top(-isig - k));
              if (fd.found > 0 && flags & SCRIPT_VERIFY_CONST_SCRIPTCODE) return ScriptError.SCRIPT_ERR_SIG_FINDANDDELETE;
              scriptCode = fd.script;
            }
          }

          let fSuccess = true;
          while (fSuccess && nSigsCount > 0) {
            const sig = top(-isig);
            const pubkey = top(-ikey);
            // Encoding is checked pair by pair, so which pair fails first is observable (see script tests).
            let e = checkSignatureEncoding(sig, flags);
            if (e === OK) e = checkPubKeyEncoding(pubkey, flags, sigversion);
            if (e !== OK) return e;
            if (checker.checkECDSASignature(sig, pubkey, scriptCode, sigversion)) {
              isig++;
              nSigsCount--;
            }
            ikey++;
            nKeysCount--;
            // Fewer keys than signatures remain, so the check can no longer succeed.
            if (nSigsCount > nKeysCount) fSuccess = false;
          }

          // Pop the arguments; with NULLFAIL every signature of a failed check must be empty.
          while (i-- > 1) {
            if (!fSuccess && flags & SCRIPT_VERIFY_NULLFAIL && !ikey2 && top(-1).length > 0) return ScriptError.SCRIPT_ERR_SIG_NULLFAIL;
            if (ikey2 > 0) ikey2--;
            stack.pop();
          }

          // The historical off-by-one consumes one more element; NULLDUMMY requires it to be empty.
          if (stack.length < 1) return ScriptError.SCRIPT_ERR_INVALID_STACK_OPERATION;
          if (flags & SCRIPT_VERIFY_NULLDUMMY && top(-1).length > 0) return ScriptError.SCRIPT_ERR_SIG_NULLDUMMY;
          stack.pop();

          if (opcode === Opcode.OP_CHECKMULTISIGVERIFY) {
            if (!fSuccess) {
              stack.push(vFalse());
              return ScriptError.SCRIPT_ERR_CHECKMULTISIGVERIFY;
            }
          } else {
            stack.push(fSuccess ? vTrue() : vFalse());
          }
          break;
        }

        default:
          return ScriptError.SCRIPT_ERR_BAD_OPCODE;
      }
    }

    if (stack.length + altstack.length > MAX_STACK_SIZE) return ScriptError.SCRIPT_ERR_STACK_SIZE;
  }

  if (!vfExec.empty()) return ScriptError.SCRIPT_ERR_UNBALANCED_CONDITIONAL;
  return OK;
}
