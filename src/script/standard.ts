// Script classification (Core's Solver, script/solver.cpp) and destinations (addresstype.cpp).
import { hash160 } from '../crypto/ripemd160.js';
import { sha256 } from '../crypto/sha256.js';
import { pubkeyValidSize } from '../key.js';
import { checkMinimalPush } from './interpreter.js';
import {
  MAX_PUBKEYS_PER_MULTISIG,
  MAX_PUBKEYS_PER_MULTI_A,
  Opcode,
  ScriptBuilder,
  ScriptNumError,
  ScriptReader,
  decodeOpN,
  isPayToAnchor,
  isPayToScriptHash,
  isPushOnly,
  isWitnessProgram,
  scriptNumDecode,
} from './script.js';

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

function isPayToPubKeyHash(s: Uint8Array): boolean {
  return (
    s.length === 25 &&
    s[0] === Opcode.OP_DUP &&
    s[1] === Opcode.OP_HASH160 &&
    s[2] === 20 &&
    s[23] === Opcode.OP_EQUALVERIFY &&
    s[24] === Opcode.OP_CHECKSIG
  );
}

/** The witness program form of pay-to-anchor (OP_1 <0x4e73>). */
const ANCHOR_PROGRAM = Uint8Array.of(0x4e, 0x73);

/**
 * A small number from OP_1..OP_16 or a minimal push of at most 4 bytes, within [min, max]
 * (solver.cpp GetScriptNumber). A push that is not a valid script number is simply no match.
 */
function getScriptNumber(opcode: number, data: Uint8Array, min: number, max: number): number | null {
  let count: number;
  if (opcode >= Opcode.OP_1 && opcode <= Opcode.OP_16) {
    count = decodeOpN(opcode);
  } else if (opcode > Opcode.OP_0 && opcode <= Opcode.OP_PUSHDATA4) {
    if (!checkMinimalPush(data, opcode)) return null;
    try {
      count = scriptNumDecode(data, true);
    } catch (e) {
      if (e instanceof ScriptNumError) return null;
      throw e;
    }
  } else {
    return null;
  }
  if (count < min || count > max) return null;
  return count;
}

function matchPayToPubkey(s: Uint8Array): Uint8Array | null {
  if (s.length === 67 && s[0] === 65 && s[66] === Opcode.OP_CHECKSIG) {
    const pub = s.slice(1, 66);
    return pubkeyValidSize(pub) ? pub : null;
  }
  if (s.length === 35 && s[0] === 33 && s[34] === Opcode.OP_CHECKSIG && (s[1] === 2 || s[1] === 3)) {
    return s.slice(1, 34);
  }
  return null;
}

function matchMultisig(s: Uint8Array): { required: number; keys: Uint8Array[] } | null {
  if (s.length < 1 || s[s.length - 1] !== Opcode.OP_CHECKMULTISIG) return null;
  const r = new ScriptReader(s);
  if (!r.next()) return null;
  const required = getScriptNumber(r.opcode, r.data(), 1, MAX_PUBKEYS_PER_MULTISIG);
  if (required === null) return null;
  const keys: Uint8Array[] = [];
  // A failed read leaves OP_INVALIDOPCODE and no data, which the count check below rejects.
  while (r.next() && pubkeyValidSize(r.data())) keys.push(r.data().slice());
  const numKeys = getScriptNumber(r.opcode, r.data(), required, MAX_PUBKEYS_PER_MULTISIG);
  if (numKeys === null || keys.length !== numKeys) return null;
  return r.pc + 1 === s.length ? { required, keys } : null;
}

/** Core's MatchMultiA: a tapscript k-of-n CHECKSIG/CHECKSIGADD/NUMEQUAL script. */
export function matchMultiA(s: Uint8Array): { threshold: number; keys: Uint8Array[] } | null {
  if (s.length === 0 || s[0] !== 32 || s[s.length - 1] !== Opcode.OP_NUMEQUAL) return null;
  const keys: Uint8Array[] = [];
  let pos = 0;
  while (s.length - pos >= 34) {
    if (s[pos] !== 32) return null;
    pos++;
    keys.push(s.slice(pos, pos + 32));
    pos += 32;
    if (s[pos] !== (keys.length === 1 ? Opcode.OP_CHECKSIG : Opcode.OP_CHECKSIGADD)) return null;
    pos++;
  }
  if (keys.length === 0 || keys.length > MAX_PUBKEYS_PER_MULTI_A) return null;
  const r = new ScriptReader(s, pos);
  if (!r.next()) return null;
  pos = r.pc;
  if (pos === s.length || s[pos] !== Opcode.OP_NUMEQUAL) return null;
  if (pos + 1 !== s.length) return null;
  const threshold = getScriptNumber(r.opcode, r.data(), 1, keys.length);
  return threshold === null ? null : { threshold, keys };
}

/** Classifies a scriptPubKey and returns its solutions exactly as Core's Solver. */
export function solver(s: Uint8Array): { type: TxoutType; solutions: Uint8Array[] } {
  if (isPayToScriptHash(s)) return { type: TxoutType.SCRIPTHASH, solutions: [s.slice(2, 22)] };
  const wp = isWitnessProgram(s);
  if (wp) {
    const program = wp.program.slice();
    if (wp.version === 0 && program.length === 20) return { type: TxoutType.WITNESS_V0_KEYHASH, solutions: [program] };
    if (wp.version === 0 && program.length === 32) return { type: TxoutType.WITNESS_V0_SCRIPTHASH, solutions: [program] };
    if (wp.version === 1 && program.length === 32) return { type: TxoutType.WITNESS_V1_TAPROOT, solutions: [program] };
    if (isPayToAnchor(s)) return { type: TxoutType.ANCHOR, solutions: [] };
    if (wp.version !== 0) return { type: TxoutType.WITNESS_UNKNOWN, solutions: [Uint8Array.of(wp.version), program] };
    return { type: TxoutType.NONSTANDARD, solutions: [] };
  }
  if (s.length >= 1 && s[0] === Opcode.OP_RETURN && isPushOnly(s, 1)) return { type: TxoutType.NULL_DATA, solutions: [] };
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

export function getScriptForRawPubKey(pub: Uint8Array): Uint8Array {
  return new ScriptBuilder().pushData(pub).op(Opcode.OP_CHECKSIG).build();
}

export function getScriptForMultisig(required: number, keys: readonly Uint8Array[]): Uint8Array {
  const b = new ScriptBuilder().pushInt(required);
  for (const k of keys) b.pushData(k);
  return b.pushInt(keys.length).op(Opcode.OP_CHECKMULTISIG).build();
}

function witnessScript(version: number, program: Uint8Array): Uint8Array {
  return new ScriptBuilder().op(version === 0 ? Opcode.OP_0 : Opcode.OP_1 + version - 1).pushData(program).build();
}

/** GetScriptForDestination. */
export function getScriptForDestination(d: Destination): Uint8Array {
  switch (d.type) {
    case 'none':
      return d.script.slice();
    case 'pubkey':
      return getScriptForRawPubKey(d.pubkey);
    case 'pkhash':
      return new ScriptBuilder().op(Opcode.OP_DUP, Opcode.OP_HASH160).pushData(d.hash).op(Opcode.OP_EQUALVERIFY, Opcode.OP_CHECKSIG).build();
    case 'scripthash':
      return new ScriptBuilder().op(Opcode.OP_HASH160).pushData(d.hash).op(Opcode.OP_EQUAL).build();
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
