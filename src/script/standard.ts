// Script classification (Core's Solver, script/solver.cpp) and destinations (addresstype.cpp).
// Holds a few private script-reading helpers until src/script/script.ts offers them.
import { hash160, pubkeyValidSize, sha256 } from '../key.js';
import { bytesEqual } from '../util/hex.js';

export const OP_0 = 0x00;
export const OP_PUSHDATA1 = 0x4c;
export const OP_PUSHDATA2 = 0x4d;
export const OP_PUSHDATA4 = 0x4e;
export const OP_1NEGATE = 0x4f;
export const OP_1 = 0x51;
export const OP_16 = 0x60;
export const OP_RETURN = 0x6a;
export const OP_DUP = 0x76;
export const OP_EQUAL = 0x87;
export const OP_EQUALVERIFY = 0x88;
export const OP_NUMEQUAL = 0x9c;
export const OP_HASH160 = 0xa9;
export const OP_CHECKSIG = 0xac;
export const OP_CHECKMULTISIG = 0xae;
export const OP_CHECKSIGADD = 0xba;
const OP_INVALIDOPCODE = 0xff;

/** Limits from script/script.h. */
export const MAX_PUBKEYS_PER_MULTISIG = 20;
export const MAX_PUBKEYS_PER_MULTI_A = 999;
export const MAX_SCRIPT_ELEMENT_SIZE = 520;

/** Core's TxoutType; the string values are GetTxnOutputType's names. */
export enum TxoutType {
  NONSTANDARD = 'nonstandard',
  PUBKEY = 'pubkey',
  PUBKEYHASH = 'pubkeyhash',
  SCRIPTHASH = 'scripthash',
  MULTISIG = 'multisig',
  NULL_DATA = 'nulldata',
  ANCHOR = 'anchor',
  WITNESS_V0_KEYHASH = 'witness_v0_keyhash',
  WITNESS_V0_SCRIPTHASH = 'witness_v0_scripthash',
  WITNESS_V1_TAPROOT = 'witness_v1_taproot',
  WITNESS_UNKNOWN = 'witness_unknown',
}

/** GetTxnOutputType. */
export function getTxnOutputType(t: TxoutType): string {
  return t;
}

export interface ScriptOp {
  opcode: number;
  data: Uint8Array;
}

/**
 * Reads the operation at `pos` (CScript::GetOp). Returns the op and the next position, or null when
 * the script ends or a push runs past the end.
 */
export function getOp(script: Uint8Array, pos: number): { op: ScriptOp; next: number } | null {
  if (pos >= script.length) return null;
  const opcode = script[pos++]!;
  if (opcode > OP_PUSHDATA4) return { op: { opcode, data: new Uint8Array(0) }, next: pos };
  let size: number;
  if (opcode < OP_PUSHDATA1) {
    size = opcode;
  } else if (opcode === OP_PUSHDATA1) {
    if (script.length - pos < 1) return null;
    size = script[pos]!;
    pos += 1;
  } else if (opcode === OP_PUSHDATA2) {
    if (script.length - pos < 2) return null;
    size = script[pos]! | (script[pos + 1]! << 8);
    pos += 2;
  } else {
    if (script.length - pos < 4) return null;
    size = (script[pos]! | (script[pos + 1]! << 8) | (script[pos + 2]! << 16) | (script[pos + 3]! << 24)) >>> 0;
    pos += 4;
  }
  if (script.length - pos < size) return null;
  return { op: { opcode, data: script.subarray(pos, pos + size) }, next: pos + size };
}

/** CScript::IsPushOnly from `start`: every op parses and is at most OP_16. */
export function isPushOnly(script: Uint8Array, start = 0): boolean {
  let pos = start;
  while (pos < script.length) {
    const r = getOp(script, pos);
    if (!r || r.op.opcode > OP_16) return false;
    pos = r.next;
  }
  return true;
}

export function decodeOpN(opcode: number): number {
  return opcode === OP_0 ? 0 : opcode - (OP_1 - 1);
}

export function isPayToScriptHash(s: Uint8Array): boolean {
  return s.length === 23 && s[0] === OP_HASH160 && s[1] === 0x14 && s[22] === OP_EQUAL;
}

export function isPayToPubKeyHash(s: Uint8Array): boolean {
  return s.length === 25 && s[0] === OP_DUP && s[1] === OP_HASH160 && s[2] === 20 && s[23] === OP_EQUALVERIFY && s[24] === OP_CHECKSIG;
}

/** CScript::IsWitnessProgram: version and program, or null. */
export function witnessProgram(s: Uint8Array): { version: number; program: Uint8Array } | null {
  if (s.length < 4 || s.length > 42) return null;
  if (s[0] !== OP_0 && (s[0]! < OP_1 || s[0]! > OP_16)) return null;
  if (s[1]! + 2 !== s.length) return null;
  return { version: decodeOpN(s[0]!), program: s.subarray(2) };
}

const ANCHOR_PROGRAM = Uint8Array.of(0x4e, 0x73);

/** CScript::IsPayToAnchor(version, program). */
export function isPayToAnchorProgram(version: number, program: Uint8Array): boolean {
  return version === 1 && bytesEqual(program, ANCHOR_PROGRAM);
}

export function isPayToAnchor(s: Uint8Array): boolean {
  return s.length === 4 && s[0] === OP_1 && s[1] === 0x02 && s[2] === 0x4e && s[3] === 0x73;
}

/** CheckMinimalPush from the interpreter. */
export function checkMinimalPush(data: Uint8Array, opcode: number): boolean {
  if (data.length === 0) return opcode === OP_0;
  if (data.length === 1 && data[0]! >= 1 && data[0]! <= 16) return false;
  if (data.length === 1 && data[0] === 0x81) return false;
  if (data.length <= 75) return opcode === data.length;
  if (data.length <= 255) return opcode === OP_PUSHDATA1;
  if (data.length <= 65535) return opcode === OP_PUSHDATA2;
  return true;
}

/** A minimally encoded CScriptNum of at most 4 bytes, or null. */
function decodeMinimalScriptNum(data: Uint8Array): number | null {
  if (data.length > 4) return null;
  if (data.length === 0) return 0;
  const last = data[data.length - 1]!;
  if ((last & 0x7f) === 0 && (data.length <= 1 || (data[data.length - 2]! & 0x80) === 0)) return null;
  let v = 0;
  for (let i = 0; i < data.length; i++) v += data[i]! * 2 ** (8 * i);
  if (last & 0x80) return -(v - 0x80 * 2 ** (8 * (data.length - 1)));
  return v;
}

/** A small number from OP_1..OP_16 or a minimal push, within [min, max] (solver.cpp GetScriptNumber). */
function getScriptNumber(op: ScriptOp, min: number, max: number): number | null {
  let count: number | null;
  if (op.opcode >= OP_1 && op.opcode <= OP_16) {
    count = decodeOpN(op.opcode);
  } else if (op.opcode > OP_0 && op.opcode <= OP_PUSHDATA4) {
    if (!checkMinimalPush(op.data, op.opcode)) return null;
    count = decodeMinimalScriptNum(op.data);
  } else {
    return null;
  }
  if (count === null || count < min || count > max) return null;
  return count;
}

function matchPayToPubkey(s: Uint8Array): Uint8Array | null {
  if (s.length === 67 && s[0] === 65 && s[66] === OP_CHECKSIG) {
    const pub = s.slice(1, 66);
    return pubkeyValidSize(pub) ? pub : null;
  }
  if (s.length === 35 && s[0] === 33 && s[34] === OP_CHECKSIG && (s[1] === 2 || s[1] === 3)) {
    return s.slice(1, 34);
  }
  return null;
}

function matchMultisig(s: Uint8Array): { required: number; keys: Uint8Array[] } | null {
  if (s.length < 1 || s[s.length - 1] !== OP_CHECKMULTISIG) return null;
  let r = getOp(s, 0);
  if (!r) return null;
  const required = getScriptNumber(r.op, 1, MAX_PUBKEYS_PER_MULTISIG);
  if (required === null) return null;
  let pos = r.next;
  const keys: Uint8Array[] = [];
  let last: ScriptOp = { opcode: OP_INVALIDOPCODE, data: new Uint8Array(0) };
  for (;;) {
    r = getOp(s, pos);
    if (!r) {
      last = { opcode: OP_INVALIDOPCODE, data: new Uint8Array(0) };
      break;
    }
    pos = r.next;
    last = r.op;
    if (!pubkeyValidSize(r.op.data)) break;
    keys.push(r.op.data.slice());
  }
  const numKeys = getScriptNumber(last, required, MAX_PUBKEYS_PER_MULTISIG);
  if (numKeys === null || keys.length !== numKeys) return null;
  return pos + 1 === s.length ? { required, keys } : null;
}

/** Core's MatchMultiA: a tapscript k-of-n CHECKSIG/CHECKSIGADD/NUMEQUAL script. */
export function matchMultiA(s: Uint8Array): { threshold: number; keys: Uint8Array[] } | null {
  if (s.length === 0 || s[0] !== 32 || s[s.length - 1] !== OP_NUMEQUAL) return null;
  const keys: Uint8Array[] = [];
  let pos = 0;
  while (s.length - pos >= 34) {
    if (s[pos] !== 32) return null;
    pos++;
    keys.push(s.slice(pos, pos + 32));
    pos += 32;
    if (s[pos] !== (keys.length === 1 ? OP_CHECKSIG : OP_CHECKSIGADD)) return null;
    pos++;
  }
  if (keys.length === 0 || keys.length > MAX_PUBKEYS_PER_MULTI_A) return null;
  const r = getOp(s, pos);
  if (!r) return null;
  pos = r.next;
  if (pos === s.length || s[pos] !== OP_NUMEQUAL) return null;
  if (pos + 1 !== s.length) return null;
  const threshold = getScriptNumber(r.op, 1, keys.length);
  return threshold === null ? null : { threshold, keys };
}

/** Classifies a scriptPubKey and returns its solutions exactly as Core's Solver. */
export function solver(s: Uint8Array): { type: TxoutType; solutions: Uint8Array[] } {
  if (isPayToScriptHash(s)) return { type: TxoutType.SCRIPTHASH, solutions: [s.slice(2, 22)] };
  const wp = witnessProgram(s);
  if (wp) {
    const program = wp.program.slice();
    if (wp.version === 0 && program.length === 20) return { type: TxoutType.WITNESS_V0_KEYHASH, solutions: [program] };
    if (wp.version === 0 && program.length === 32) return { type: TxoutType.WITNESS_V0_SCRIPTHASH, solutions: [program] };
    if (wp.version === 1 && program.length === 32) return { type: TxoutType.WITNESS_V1_TAPROOT, solutions: [program] };
    if (isPayToAnchor(s)) return { type: TxoutType.ANCHOR, solutions: [] };
    if (wp.version !== 0) return { type: TxoutType.WITNESS_UNKNOWN, solutions: [Uint8Array.of(wp.version), program] };
    return { type: TxoutType.NONSTANDARD, solutions: [] };
  }
  if (s.length >= 1 && s[0] === OP_RETURN && isPushOnly(s, 1)) return { type: TxoutType.NULL_DATA, solutions: [] };
  const pub = matchPayToPubkey(s);
  if (pub) return { type: TxoutType.PUBKEY, solutions: [pub] };
  if (isPayToPubKeyHash(s)) return { type: TxoutType.PUBKEYHASH, solutions: [s.slice(3, 23)] };
  const ms = matchMultisig(s);
  if (ms) {
    return { type: TxoutType.MULTISIG, solutions: [Uint8Array.of(ms.required), ...ms.keys, Uint8Array.of(ms.keys.length)] };
  }
  return { type: TxoutType.NONSTANDARD, solutions: [] };
}

/** Core's CTxDestination variants. */
export type Destination =
  | { type: 'none'; script: Uint8Array }
  | { type: 'pubkey'; pubkey: Uint8Array }
  | { type: 'pkhash'; hash: Uint8Array }
  | { type: 'scripthash'; hash: Uint8Array }
  | { type: 'witness_v0_keyhash'; hash: Uint8Array }
  | { type: 'witness_v0_scripthash'; hash: Uint8Array }
  | { type: 'witness_v1_taproot'; program: Uint8Array }
  | { type: 'anchor' }
  | { type: 'witness_unknown'; version: number; program: Uint8Array };

export const NO_DESTINATION: Destination = { type: 'none', script: new Uint8Array(0) };

/** IsValidDestination: anything but CNoDestination and PubKeyDestination. */
export function isValidDestination(d: Destination): boolean {
  return d.type !== 'none' && d.type !== 'pubkey';
}

/** Script push of `data` with the smallest push opcode (CScript << vector). */
export function pushData(data: Uint8Array): Uint8Array {
  let head: number[];
  if (data.length < OP_PUSHDATA1) head = [data.length];
  else if (data.length <= 0xff) head = [OP_PUSHDATA1, data.length];
  else if (data.length <= 0xffff) head = [OP_PUSHDATA2, data.length & 0xff, data.length >> 8];
  else head = [OP_PUSHDATA4, data.length & 0xff, (data.length >> 8) & 0xff, (data.length >> 16) & 0xff, data.length >>> 24];
  const out = new Uint8Array(head.length + data.length);
  out.set(head);
  out.set(data, head.length);
  return out;
}

/** Script push of a small integer (CScript << int64_t): OP_0, OP_1NEGATE, OP_1..OP_16 or a CScriptNum push. */
export function pushInt(n: number): Uint8Array {
  if (n === 0) return Uint8Array.of(OP_0);
  if (n === -1 || (n >= 1 && n <= 16)) return Uint8Array.of(n === -1 ? OP_1NEGATE : OP_1 + n - 1);
  const neg = n < 0;
  let abs = Math.abs(n);
  const bytes: number[] = [];
  while (abs > 0) {
    bytes.push(abs & 0xff);
    abs = Math.floor(abs / 256);
  }
  if (bytes[bytes.length - 1]! & 0x80) bytes.push(neg ? 0x80 : 0);
  else if (neg) bytes[bytes.length - 1]! |= 0x80;
  return pushData(Uint8Array.from(bytes));
}

/** Concatenates script pieces; numbers are single opcodes. */
export function buildScript(...parts: (number | Uint8Array)[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += typeof p === 'number' ? 1 : p.length;
  const out = new Uint8Array(len);
  let o = 0;
  for (const p of parts) {
    if (typeof p === 'number') out[o++] = p;
    else {
      out.set(p, o);
      o += p.length;
    }
  }
  return out;
}

export function getScriptForRawPubKey(pub: Uint8Array): Uint8Array {
  return buildScript(pushData(pub), OP_CHECKSIG);
}

export function getScriptForMultisig(required: number, keys: readonly Uint8Array[]): Uint8Array {
  return buildScript(pushInt(required), ...keys.map(pushData), pushInt(keys.length), OP_CHECKMULTISIG);
}

function witnessScript(version: number, program: Uint8Array): Uint8Array {
  return buildScript(version === 0 ? OP_0 : OP_1 + version - 1, pushData(program));
}

/** GetScriptForDestination. */
export function getScriptForDestination(d: Destination): Uint8Array {
  switch (d.type) {
    case 'none':
      return d.script.slice();
    case 'pubkey':
      return getScriptForRawPubKey(d.pubkey);
    case 'pkhash':
      return buildScript(OP_DUP, OP_HASH160, pushData(d.hash), OP_EQUALVERIFY, OP_CHECKSIG);
    case 'scripthash':
      return buildScript(OP_HASH160, pushData(d.hash), OP_EQUAL);
    case 'witness_v0_keyhash':
    case 'witness_v0_scripthash':
      return witnessScript(0, d.hash);
    case 'witness_v1_taproot':
      return witnessScript(1, d.program);
    case 'anchor':
      return witnessScript(1, ANCHOR_PROGRAM);
    case 'witness_unknown':
      return witnessScript(d.version, d.program);
  }
}

/**
 * ExtractDestination: the destination of a script and whether it is an address. Bare pubkeys give a
 * PubKeyDestination (not an address); multisig, data and non-standard scripts give CNoDestination.
 */
export function extractDestination(s: Uint8Array): { ok: boolean; dest: Destination } {
  const { type, solutions } = solver(s);
  switch (type) {
    case TxoutType.PUBKEY: {
      const pub = solutions[0]!;
      return { ok: false, dest: pubkeyValidSize(pub) ? { type: 'pubkey', pubkey: pub } : { type: 'none', script: s.slice() } };
    }
    case TxoutType.PUBKEYHASH:
      return { ok: true, dest: { type: 'pkhash', hash: solutions[0]! } };
    case TxoutType.SCRIPTHASH:
      return { ok: true, dest: { type: 'scripthash', hash: solutions[0]! } };
    case TxoutType.WITNESS_V0_KEYHASH:
      return { ok: true, dest: { type: 'witness_v0_keyhash', hash: solutions[0]! } };
    case TxoutType.WITNESS_V0_SCRIPTHASH:
      return { ok: true, dest: { type: 'witness_v0_scripthash', hash: solutions[0]! } };
    case TxoutType.WITNESS_V1_TAPROOT:
      return { ok: true, dest: { type: 'witness_v1_taproot', program: solutions[0]! } };
    case TxoutType.ANCHOR:
      return { ok: true, dest: { type: 'anchor' } };
    case TxoutType.WITNESS_UNKNOWN:
      return { ok: true, dest: { type: 'witness_unknown', version: solutions[0]![0]!, program: solutions[1]! } };
    default:
      return { ok: false, dest: { type: 'none', script: s.slice() } };
  }
}

/** P2SH destination of a redeem script (ScriptHash(CScript)). */
export function scriptHashOf(script: Uint8Array): Destination {
  return { type: 'scripthash', hash: hash160(script) };
}

/** P2WSH destination of a witness script (WitnessV0ScriptHash(CScript)). */
export function witnessScriptHashOf(script: Uint8Array): Destination {
  return { type: 'witness_v0_scripthash', hash: sha256(script) };
}
