// Script basics: opcodes, limits, op iteration, CScriptNum, push helpers, script predicates, sigop counts, asm.
import { bytesToHex } from '../util/hex.js';
import { checkSignatureEncoding } from './interpreter_encoding.js';
import { ScriptError } from './script_error.js';
import { SCRIPT_VERIFY_STRICTENC } from './verify_flags.js';

/** Script opcodes (Core's opcodetype). */
export enum Opcode {
  // push value
  OP_0 = 0x00,
  OP_FALSE = 0x00,
  OP_PUSHDATA1 = 0x4c,
  OP_PUSHDATA2 = 0x4d,
  OP_PUSHDATA4 = 0x4e,
  OP_1NEGATE = 0x4f,
  OP_RESERVED = 0x50,
  OP_1 = 0x51,
  OP_TRUE = 0x51,
  OP_2 = 0x52,
  OP_3 = 0x53,
  OP_4 = 0x54,
  OP_5 = 0x55,
  OP_6 = 0x56,
  OP_7 = 0x57,
  OP_8 = 0x58,
  OP_9 = 0x59,
  OP_10 = 0x5a,
  OP_11 = 0x5b,
  OP_12 = 0x5c,
  OP_13 = 0x5d,
  OP_14 = 0x5e,
  OP_15 = 0x5f,
  OP_16 = 0x60,
  // control
  OP_NOP = 0x61,
  OP_VER = 0x62,
  OP_IF = 0x63,
  OP_NOTIF = 0x64,
  OP_VERIF = 0x65,
  OP_VERNOTIF = 0x66,
  OP_ELSE = 0x67,
  OP_ENDIF = 0x68,
  OP_VERIFY = 0x69,
  OP_RETURN = 0x6a,
  // stack ops
  OP_TOALTSTACK = 0x6b,
  OP_FROMALTSTACK = 0x6c,
  OP_2DROP = 0x6d,
  OP_2DUP = 0x6e,
  OP_3DUP = 0x6f,
  OP_2OVER = 0x70,
  OP_2ROT = 0x71,
  OP_2SWAP = 0x72,
  OP_IFDUP = 0x73,
  OP_DEPTH = 0x74,
  OP_DROP = 0x75,
  OP_DUP = 0x76,
  OP_NIP = 0x77,
  OP_OVER = 0x78,
  OP_PICK = 0x79,
  OP_ROLL = 0x7a,
  OP_ROT = 0x7b,
  OP_SWAP = 0x7c,
  OP_TUCK = 0x7d,
  // splice ops
  OP_CAT = 0x7e,
  OP_SUBSTR = 0x7f,
  OP_LEFT = 0x80,
  OP_RIGHT = 0x81,
  OP_SIZE = 0x82,
  // bit logic
  OP_INVERT = 0x83,
  OP_AND = 0x84,
  OP_OR = 0x85,
  OP_XOR = 0x86,
  OP_EQUAL = 0x87,
  OP_EQUALVERIFY = 0x88,
  OP_RESERVED1 = 0x89,
  OP_RESERVED2 = 0x8a,
  // numeric
  OP_1ADD = 0x8b,
  OP_1SUB = 0x8c,
  OP_2MUL = 0x8d,
  OP_2DIV = 0x8e,
  OP_NEGATE = 0x8f,
  OP_ABS = 0x90,
  OP_NOT = 0x91,
  OP_0NOTEQUAL = 0x92,
  OP_ADD = 0x93,
  OP_SUB = 0x94,
  OP_MUL = 0x95,
  OP_DIV = 0x96,
  OP_MOD = 0x97,
  OP_LSHIFT = 0x98,
  OP_RSHIFT = 0x99,
  OP_BOOLAND = 0x9a,
  OP_BOOLOR = 0x9b,
  OP_NUMEQUAL = 0x9c,
  OP_NUMEQUALVERIFY = 0x9d,
  OP_NUMNOTEQUAL = 0x9e,
  OP_LESSTHAN = 0x9f,
  OP_GREATERTHAN = 0xa0,
  OP_LESSTHANOREQUAL = 0xa1,
  OP_GREATERTHANOREQUAL = 0xa2,
  OP_MIN = 0xa3,
  OP_MAX = 0xa4,
  OP_WITHIN = 0xa5,
  // crypto
  OP_RIPEMD160 = 0xa6,
  OP_SHA1 = 0xa7,
  OP_SHA256 = 0xa8,
  OP_HASH160 = 0xa9,
  OP_HASH256 = 0xaa,
  OP_CODESEPARATOR = 0xab,
  OP_CHECKSIG = 0xac,
  OP_CHECKSIGVERIFY = 0xad,
  OP_CHECKMULTISIG = 0xae,
  OP_CHECKMULTISIGVERIFY = 0xaf,
  // expansion
  OP_NOP1 = 0xb0,
  OP_CHECKLOCKTIMEVERIFY = 0xb1,
  OP_NOP2 = 0xb1,
  OP_CHECKSEQUENCEVERIFY = 0xb2,
  OP_NOP3 = 0xb2,
  OP_NOP4 = 0xb3,
  OP_NOP5 = 0xb4,
  OP_NOP6 = 0xb5,
  OP_NOP7 = 0xb6,
  OP_NOP8 = 0xb7,
  OP_NOP9 = 0xb8,
  OP_NOP10 = 0xb9,
  // Tapscript only (BIP342)
  OP_CHECKSIGADD = 0xba,
  OP_INVALIDOPCODE = 0xff,
}

/** Highest opcode that has a meaning (Core's MAX_OPCODE). */
export const MAX_OPCODE = Opcode.OP_CHECKSIGADD;
/** Largest stack element a push (or the witness) may carry, in bytes. */
export const MAX_SCRIPT_ELEMENT_SIZE = 520;
/** Per-script cap on counted (non-push) opcodes, legacy and segwit v0 only. */
export const MAX_OPS_PER_SCRIPT = 201;
/** Most keys a CHECKMULTISIG may name. */
export const MAX_PUBKEYS_PER_MULTISIG = 20;
/** Most keys a multi_a (CHECKSIGADD) script may have; the BIP342 stack limit bounds it. */
export const MAX_PUBKEYS_PER_MULTI_A = 999;
/** Size cap for legacy and segwit v0 scripts, in bytes. */
export const MAX_SCRIPT_SIZE = 10000;
/** Cap on the element count of the main and alt stacks together. */
export const MAX_STACK_SIZE = 1000;
/** nLockTime values below this are block heights, at or above it UNIX timestamps. */
export const LOCKTIME_THRESHOLD = 500000000;
/** Maximum nLockTime. */
export const LOCKTIME_MAX = 0xffffffff;
/** Tag byte of a taproot annex (BIP341). */
export const ANNEX_TAG = 0x50;
/** What each signature check with a non-empty signature costs from the BIP342 budget. */
export const VALIDATION_WEIGHT_PER_SIGOP_PASSED = 50;
/** BIP342 budget = serialized witness size plus this. */
export const VALIDATION_WEIGHT_OFFSET = 50;

// ---------------------------------------------------------------------------------------------
// CScriptNum

/** Thrown when a stack element is not a valid script number (Core's scriptnum_error). */
export class ScriptNumError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScriptNumError';
  }
}

/** Default size limit of numeric operands. */
export const SCRIPTNUM_DEFAULT_MAX_SIZE = 4;

/**
 * Decodes a script number (little-endian sign-magnitude) as CScriptNum's constructor does. The result is
 * exact: at most 5 bytes are ever accepted, so values fit a JS number.
 */
export function scriptNumDecode(vch: Uint8Array, requireMinimal: boolean, maxNumSize = SCRIPTNUM_DEFAULT_MAX_SIZE): number {
  const size = vch.length;
  if (size > maxNumSize) throw new ScriptNumError('script number overflow');
  if (size === 0) return 0;
  if (requireMinimal && (vch[size - 1]! & 0x7f) === 0) {
    // The last byte only carries the sign: allowed only when the byte before needs its high bit.
    if (size <= 1 || (vch[size - 2]! & 0x80) === 0) throw new ScriptNumError('non-minimally encoded script number');
  }
  let result = 0;
  for (let i = 0; i < size; i++) result += vch[i]! * 2 ** (8 * i);
  const last = vch[size - 1]!;
  // `|| 0` turns the negative zero of 0x80 into plain 0.
  if (last & 0x80) return -(result - 0x80 * 2 ** (8 * (size - 1))) || 0;
  return result;
}

/** CScriptNum::serialize: minimal little-endian sign-magnitude bytes (empty for zero). */
export function scriptNumEncode(value: number): Uint8Array {
  if (value === 0) return new Uint8Array(0);
  if (value > 0 && value < 0x80) {
    // One byte, no sign bit to add: OP_1..OP_16 and small counts, on the hot path of every multisig script.
    const one = new Uint8Array(1);
    one[0] = value;
    return one;
  }
  const neg = value < 0;
  // At most 7 bytes of magnitude (a safe integer) and a sign byte.
  const out = new Uint8Array(9);
  let size = 0;
  for (let rest = neg ? -value : value; rest > 0; rest = Math.floor(rest / 256)) out[size++] = rest % 256;
  if (out[size - 1]! & 0x80) out[size++] = neg ? 0x80 : 0;
  else if (neg) out[size - 1]! |= 0x80;
  return out.slice(0, size);
}

/** CScriptNum::getint: the value clamped to the int range. */
export function scriptNumGetInt(value: number): number {
  if (value > 0x7fffffff) return 0x7fffffff;
  if (value < -0x80000000) return -0x80000000;
  return value;
}

// ---------------------------------------------------------------------------------------------
// Iterating over opcodes

/**
 * A cursor over a script's operations (Core's GetScriptOp). After a successful next(), `opcode` is the
 * operation and, for pushes, the data is script[dataStart, dataEnd). `pc` is the offset of the next operation.
 */
export class ScriptReader {
  pc: number;
  opcode = Opcode.OP_INVALIDOPCODE as number;
  dataStart = 0;
  dataEnd = 0;

  constructor(
    readonly script: Uint8Array,
    start = 0,
  ) {
    this.pc = start;
  }

  /** True while operations remain. */
  get more(): boolean {
    return this.pc < this.script.length;
  }

  /** Reads one operation; false at the end or on a truncated push (as GetOp). */
  next(): boolean {
    const s = this.script;
    const end = s.length;
    this.opcode = Opcode.OP_INVALIDOPCODE;
    this.dataStart = this.dataEnd = this.pc;
    if (this.pc >= end) return false;
    const opcode = s[this.pc++]!;
    if (opcode <= Opcode.OP_PUSHDATA4) {
      let size: number;
      if (opcode < Opcode.OP_PUSHDATA1) {
        size = opcode;
      } else if (opcode === Opcode.OP_PUSHDATA1) {
        if (end - this.pc < 1) return false;
        size = s[this.pc++]!;
      } else if (opcode === Opcode.OP_PUSHDATA2) {
        if (end - this.pc < 2) return false;
        size = s[this.pc]! | (s[this.pc + 1]! << 8);
        this.pc += 2;
      } else {
        if (end - this.pc < 4) return false;
        size = (s[this.pc]! | (s[this.pc + 1]! << 8) | (s[this.pc + 2]! << 16) | (s[this.pc + 3]! << 24)) >>> 0;
        this.pc += 4;
      }
      if (end - this.pc < size) return false;
      this.dataStart = this.pc;
      this.pc += size;
      this.dataEnd = this.pc;
    } else {
      this.dataStart = this.dataEnd = this.pc;
    }
    this.opcode = opcode;
    return true;
  }

  /** The pushed data of the last operation (a view into the script; empty for non-pushes). */
  data(): Uint8Array {
    return this.script.subarray(this.dataStart, this.dataEnd);
  }
}

/** One decoded operation. */
export interface ScriptOp {
  opcode: number;
  /** Pushed bytes (empty for non-push opcodes). */
  data: Uint8Array;
  /** Offset of the opcode byte. */
  offset: number;
}

/** Decodes every operation; `ok` is false when the script ends in a truncated push. */
export function decodeScript(script: Uint8Array): { ops: ScriptOp[]; ok: boolean } {
  const ops: ScriptOp[] = [];
  const r = new ScriptReader(script);
  while (r.more) {
    const offset = r.pc;
    if (!r.next()) return { ops, ok: false };
    ops.push({ opcode: r.opcode, data: r.data(), offset });
  }
  return { ops, ok: true };
}

/** OP_0 → 0, OP_1..OP_16 → 1..16 (Core's DecodeOP_N). */
export function decodeOpN(opcode: number): number {
  if (opcode === Opcode.OP_0) return 0;
  if (opcode < Opcode.OP_1 || opcode > Opcode.OP_16) throw new RangeError(`not a small-number opcode: ${opcode}`);
  return opcode - (Opcode.OP_1 - 1);
}

/** 0..16 → OP_0, OP_1..OP_16 (Core's EncodeOP_N). */
export function encodeOpN(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > 16) throw new RangeError(`not a small number: ${n}`);
  return n === 0 ? Opcode.OP_0 : Opcode.OP_1 + (n - 1);
}

/** BIP342 OP_SUCCESSx opcodes (Core's IsOpSuccess). */
export function isOpSuccess(opcode: number): boolean {
  return (
    opcode === 80 ||
    opcode === 98 ||
    (opcode >= 126 && opcode <= 129) ||
    (opcode >= 131 && opcode <= 134) ||
    (opcode >= 137 && opcode <= 138) ||
    (opcode >= 141 && opcode <= 142) ||
    (opcode >= 149 && opcode <= 153) ||
    (opcode >= 187 && opcode <= 254)
  );
}

const OP_NAMES: ReadonlyMap<number, string> = (() => {
  const m = new Map<number, string>();
  m.set(Opcode.OP_0, '0');
  m.set(Opcode.OP_PUSHDATA1, 'OP_PUSHDATA1');
  m.set(Opcode.OP_PUSHDATA2, 'OP_PUSHDATA2');
  m.set(Opcode.OP_PUSHDATA4, 'OP_PUSHDATA4');
  m.set(Opcode.OP_1NEGATE, '-1');
  m.set(Opcode.OP_RESERVED, 'OP_RESERVED');
  for (let n = 1; n <= 16; n++) m.set(Opcode.OP_1 + n - 1, String(n));
  // Every other named opcode is spelled as its enumerator, except NOP2/NOP3 which carry their BIP names.
  for (let op = Opcode.OP_NOP; op <= Opcode.OP_CHECKSIGADD; op++) {
    if (op === Opcode.OP_CHECKLOCKTIMEVERIFY) m.set(op, 'OP_CHECKLOCKTIMEVERIFY');
    else if (op === Opcode.OP_CHECKSEQUENCEVERIFY) m.set(op, 'OP_CHECKSEQUENCEVERIFY');
    else m.set(op, Opcode[op]!);
  }
  m.set(Opcode.OP_INVALIDOPCODE, 'OP_INVALIDOPCODE');
  return m;
})();

/** Core's GetOpName ("OP_UNKNOWN" for undefined opcodes). */
export function getOpName(opcode: number): string {
  return OP_NAMES.get(opcode) ?? 'OP_UNKNOWN';
}

// ---------------------------------------------------------------------------------------------
// Building scripts

/** The bytes of one data push, using the smallest push opcode for its size (CScript << vector). */
export function pushDataBytes(data: Uint8Array): Uint8Array {
  const n = data.length;
  let header: number[];
  if (n < Opcode.OP_PUSHDATA1) header = [n];
  else if (n <= 0xff) header = [Opcode.OP_PUSHDATA1, n];
  else if (n <= 0xffff) header = [Opcode.OP_PUSHDATA2, n & 0xff, n >> 8];
  else header = [Opcode.OP_PUSHDATA4, n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];
  const out = new Uint8Array(header.length + n);
  out.set(header, 0);
  out.set(data, header.length);
  return out;
}

/** The bytes pushing an integer (CScript << int64: OP_0, OP_1NEGATE, OP_1..OP_16, else a script number). */
export function pushIntBytes(n: number): Uint8Array {
  if (n === -1 || (n >= 1 && n <= 16)) return Uint8Array.of(n + (Opcode.OP_1 - 1));
  if (n === 0) return Uint8Array.of(Opcode.OP_0);
  return pushDataBytes(scriptNumEncode(n));
}

/** Appends operations to a script, as Core's CScript operator<<. */
export class ScriptBuilder {
  private parts: Uint8Array[] = [];
  private length = 0;

  private add(b: Uint8Array): this {
    this.parts.push(b);
    this.length += b.length;
    return this;
  }

  /** A bare opcode. Push opcodes (below OP_PUSHDATA4 plus data) must go through pushData. */
  op(...opcodes: number[]): this {
    return this.add(Uint8Array.from(opcodes));
  }

  pushData(data: Uint8Array): this {
    return this.add(pushDataBytes(data));
  }

  pushInt(n: number): this {
    return this.add(pushIntBytes(n));
  }

  /** Raw bytes inserted as they are. */
  raw(bytes: Uint8Array): this {
    return this.add(bytes);
  }

  build(): Uint8Array {
    const out = new Uint8Array(this.length);
    let pos = 0;
    for (const p of this.parts) {
      out.set(p, pos);
      pos += p.length;
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// Predicates

/** HASH160 <20 bytes> EQUAL (BIP16). */
export function isPayToScriptHash(script: Uint8Array): boolean {
  return script.length === 23 && script[0] === Opcode.OP_HASH160 && script[1] === 0x14 && script[22] === Opcode.OP_EQUAL;
}

/** OP_0 <32 bytes>. */
export function isPayToWitnessScriptHash(script: Uint8Array): boolean {
  return script.length === 34 && script[0] === Opcode.OP_0 && script[1] === 0x20;
}

/** OP_1 <0x4e73> (pay-to-anchor). */
export function isPayToAnchor(script: Uint8Array): boolean {
  return script.length === 4 && script[0] === Opcode.OP_1 && script[1] === 0x02 && script[2] === 0x4e && script[3] === 0x73;
}

/** The witness program form of pay-to-anchor. */
export function isPayToAnchorProgram(version: number, program: Uint8Array): boolean {
  return version === 1 && program.length === 2 && program[0] === 0x4e && program[1] === 0x73;
}

/** A version byte (OP_0, OP_1..OP_16) followed by one 2-40 byte direct push (BIP141). */
export function isWitnessProgram(script: Uint8Array): { version: number; program: Uint8Array } | null {
  const version = witnessProgramVersion(script);
  return version < 0 ? null : { version, program: script.subarray(2) };
}

/** isWitnessProgram's version alone (-1 when not a witness program): the program is the script from byte 2 on. */
export function witnessProgramVersion(script: Uint8Array): number {
  if (script.length < 4 || script.length > 42) return -1;
  const v = script[0]!;
  if (v !== Opcode.OP_0 && (v < Opcode.OP_1 || v > Opcode.OP_16)) return -1;
  if (script[1]! + 2 !== script.length) return -1;
  return decodeOpN(v);
}

/** Only push operations (OP_RESERVED included, as in Core) from `start` on. */
export function isPushOnly(script: Uint8Array, start = 0): boolean {
  const r = new ScriptReader(script, start);
  while (r.more) {
    if (!r.next()) return false;
    // OP_RESERVED counts as a push: it fails only when executed, and P2SH evaluation must not change that.
    if (r.opcode > Opcode.OP_16) return false;
  }
  return true;
}

/** Every operation decodes and is a defined opcode (Core's HasValidOps). */
export function hasValidOps(script: Uint8Array): boolean {
  const r = new ScriptReader(script);
  while (r.more) {
    if (!r.next() || r.opcode > MAX_OPCODE) return false;
  }
  return true;
}

/** Provably unspendable: starts with OP_RETURN or is too large. */
export function isUnspendable(script: Uint8Array): boolean {
  return (script.length > 0 && script[0] === Opcode.OP_RETURN) || script.length > MAX_SCRIPT_SIZE;
}

/**
 * Core's CScript::GetSigOpCount(fAccurate): CHECKSIG counts 1, CHECKMULTISIG 20, or the preceding OP_n when
 * accurate. Stops at the first undecodable operation.
 */
export function getSigOpCount(script: Uint8Array, accurate: boolean): number {
  let n = 0;
  let last = Opcode.OP_INVALIDOPCODE as number;
  const r = new ScriptReader(script);
  while (r.more) {
    if (!r.next()) break;
    const op = r.opcode;
    if (op === Opcode.OP_CHECKSIG || op === Opcode.OP_CHECKSIGVERIFY) {
      n++;
    } else if (op === Opcode.OP_CHECKMULTISIG || op === Opcode.OP_CHECKMULTISIGVERIFY) {
      if (accurate && last >= Opcode.OP_1 && last <= Opcode.OP_16) n += decodeOpN(last);
      else n += MAX_PUBKEYS_PER_MULTISIG;
    }
    last = op;
  }
  return n;
}

/**
 * Core's CScript::GetSigOpCount(scriptSig) on a scriptPubKey: for P2SH, the accurate count of the redeem
 * script (the last push of a push-only scriptSig, 0 otherwise); for anything else the accurate count.
 */
export function getP2SHSigOpCount(scriptPubKey: Uint8Array, scriptSig: Uint8Array): number {
  if (!isPayToScriptHash(scriptPubKey)) return getSigOpCount(scriptPubKey, true);
  const r = new ScriptReader(scriptSig);
  let data: Uint8Array = new Uint8Array(0);
  while (r.more) {
    if (!r.next()) return 0;
    if (r.opcode > Opcode.OP_16) return 0;
    data = r.data();
  }
  return getSigOpCount(data, true);
}

// ---------------------------------------------------------------------------------------------
// Text form

const SIGHASH_NAMES: ReadonlyMap<number, string> = new Map([
  [0x01, 'ALL'],
  [0x81, 'ALL|ANYONECANPAY'],
  [0x02, 'NONE'],
  [0x82, 'NONE|ANYONECANPAY'],
  [0x03, 'SINGLE'],
  [0x83, 'SINGLE|ANYONECANPAY'],
]);

/**
 * Core's ScriptToAsmStr: pushes of up to 4 bytes as decimal numbers, longer ones as hex (optionally with a
 * decoded "[ALL]"-style sighash suffix for signature-like data), other opcodes by name; "[error]" on a bad push.
 */
export function scriptToAsm(script: Uint8Array, attemptSighashDecode = false): string {
  let str = '';
  const r = new ScriptReader(script);
  while (r.more) {
    if (str.length > 0) str += ' ';
    if (!r.next()) return str + '[error]';
    const op = r.opcode;
    if (op <= Opcode.OP_PUSHDATA4) {
      let vch = r.data();
      if (vch.length <= 4) {
        str += String(scriptNumGetInt(scriptNumDecode(vch, false)));
      } else if (attemptSighashDecode && !isUnspendable(script)) {
        let suffix = '';
        if (checkSignatureEncoding(vch, SCRIPT_VERIFY_STRICTENC) === ScriptError.SCRIPT_ERR_OK) {
          const name = SIGHASH_NAMES.get(vch[vch.length - 1]!);
          if (name !== undefined) {
            suffix = `[${name}]`;
            vch = vch.subarray(0, vch.length - 1);
          }
        }
        str += bytesToHex(vch) + suffix;
      } else {
        str += bytesToHex(vch);
      }
    } else {
      str += getOpName(op);
    }
  }
  return str;
}
