// Script verification flags (Core's SCRIPT_VERIFY_* bit values), their names, and flag-set helpers.

/** A set of SCRIPT_VERIFY_* bits. Core keeps these in a uint32; bit n is flag number n. */
export type ScriptVerifyFlags = number;

export const SCRIPT_VERIFY_NONE = 0;
/** Run the redeem script of P2SH outputs (BIP16). */
export const SCRIPT_VERIFY_P2SH = 1 << 0;
/** Strict DER, defined hash types and well-formed pubkeys in checksig (policy only). */
export const SCRIPT_VERIFY_STRICTENC = 1 << 1;
/** Strict DER signatures (BIP66). */
export const SCRIPT_VERIFY_DERSIG = 1 << 2;
/** Low S values in signatures (BIP62 rule 5). */
export const SCRIPT_VERIFY_LOW_S = 1 << 3;
/** The dummy element of CHECKMULTISIG must be empty (BIP147). */
export const SCRIPT_VERIFY_NULLDUMMY = 1 << 4;
/** scriptSig must be push-only (BIP62 rule 2). */
export const SCRIPT_VERIFY_SIGPUSHONLY = 1 << 5;
/** Minimal pushes and minimal script numbers (BIP62 rules 3 and 4). */
export const SCRIPT_VERIFY_MINIMALDATA = 1 << 6;
/** Executing NOP1, NOP4-NOP10 fails. */
export const SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_NOPS = 1 << 7;
/** The stack must end with a single element (BIP62 rule 6); only valid together with P2SH and WITNESS. */
export const SCRIPT_VERIFY_CLEANSTACK = 1 << 8;
/** OP_CHECKLOCKTIMEVERIFY (BIP65). */
export const SCRIPT_VERIFY_CHECKLOCKTIMEVERIFY = 1 << 9;
/** OP_CHECKSEQUENCEVERIFY (BIP112). */
export const SCRIPT_VERIFY_CHECKSEQUENCEVERIFY = 1 << 10;
/** Segregated witness (BIP141/143); requires P2SH. */
export const SCRIPT_VERIFY_WITNESS = 1 << 11;
/** Witness versions 2-16 (and v1 other than taproot) fail. */
export const SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM = 1 << 12;
/** Witness v0 scripts: OP_IF/NOTIF argument must be empty or exactly 0x01. */
export const SCRIPT_VERIFY_MINIMALIF = 1 << 13;
/** A failed CHECK(MULTI)SIG requires all signatures to be empty (BIP146). */
export const SCRIPT_VERIFY_NULLFAIL = 1 << 14;
/** Witness v0 scripts accept compressed public keys only. */
export const SCRIPT_VERIFY_WITNESS_PUBKEYTYPE = 1 << 15;
/** OP_CODESEPARATOR and FindAndDelete matches fail in non-segwit scripts. */
export const SCRIPT_VERIFY_CONST_SCRIPTCODE = 1 << 16;
/** Taproot and tapscript (BIP341/342). */
export const SCRIPT_VERIFY_TAPROOT = 1 << 17;
/** Unknown taproot leaf versions fail. */
export const SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_TAPROOT_VERSION = 1 << 18;
/** OP_SUCCESSx opcodes fail. */
export const SCRIPT_VERIFY_DISCOURAGE_OP_SUCCESS = 1 << 19;
/** Tapscript public keys that are neither empty nor 32 bytes fail. */
export const SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_PUBKEYTYPE = 1 << 20;

/** Number of flag bits in use (Core's MAX_SCRIPT_VERIFY_FLAGS_BITS = SCRIPT_VERIFY_END_MARKER). */
export const MAX_SCRIPT_VERIFY_FLAGS_BITS = 21;
/** Every defined flag. */
export const ALL_SCRIPT_VERIFY_FLAGS = (1 << MAX_SCRIPT_VERIFY_FLAGS_BITS) - 1;
/**
 * The flags that blocks enforce once every soft fork up to taproot is active, with no policy flags
 * (Core's MANDATORY_SCRIPT_VERIFY_FLAGS in policy/policy.h).
 */
export const MANDATORY_SCRIPT_VERIFY_FLAGS =
  SCRIPT_VERIFY_P2SH |
  SCRIPT_VERIFY_DERSIG |
  SCRIPT_VERIFY_NULLDUMMY |
  SCRIPT_VERIFY_CHECKLOCKTIMEVERIFY |
  SCRIPT_VERIFY_CHECKSEQUENCEVERIFY |
  SCRIPT_VERIFY_WITNESS |
  SCRIPT_VERIFY_TAPROOT;

/** Core's g_verify_flag_names, in the same (std::map, so name-sorted) order. */
export const SCRIPT_VERIFY_FLAG_NAMES: ReadonlyMap<string, number> = new Map(
  (
    [
      ['CHECKLOCKTIMEVERIFY', SCRIPT_VERIFY_CHECKLOCKTIMEVERIFY],
      ['CHECKSEQUENCEVERIFY', SCRIPT_VERIFY_CHECKSEQUENCEVERIFY],
      ['CLEANSTACK', SCRIPT_VERIFY_CLEANSTACK],
      ['CONST_SCRIPTCODE', SCRIPT_VERIFY_CONST_SCRIPTCODE],
      ['DERSIG', SCRIPT_VERIFY_DERSIG],
      ['DISCOURAGE_OP_SUCCESS', SCRIPT_VERIFY_DISCOURAGE_OP_SUCCESS],
      ['DISCOURAGE_UPGRADABLE_NOPS', SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_NOPS],
      ['DISCOURAGE_UPGRADABLE_PUBKEYTYPE', SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_PUBKEYTYPE],
      ['DISCOURAGE_UPGRADABLE_TAPROOT_VERSION', SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_TAPROOT_VERSION],
      ['DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM', SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM],
      ['LOW_S', SCRIPT_VERIFY_LOW_S],
      ['MINIMALDATA', SCRIPT_VERIFY_MINIMALDATA],
      ['MINIMALIF', SCRIPT_VERIFY_MINIMALIF],
      ['NULLDUMMY', SCRIPT_VERIFY_NULLDUMMY],
      ['NULLFAIL', SCRIPT_VERIFY_NULLFAIL],
      ['P2SH', SCRIPT_VERIFY_P2SH],
      ['SIGPUSHONLY', SCRIPT_VERIFY_SIGPUSHONLY],
      ['STRICTENC', SCRIPT_VERIFY_STRICTENC],
      ['TAPROOT', SCRIPT_VERIFY_TAPROOT],
      ['WITNESS', SCRIPT_VERIFY_WITNESS],
      ['WITNESS_PUBKEYTYPE', SCRIPT_VERIFY_WITNESS_PUBKEYTYPE],
    ] as const
  ).map(([n, f]) => [n, f] as [string, number]),
);

/** Thrown for a flag name Core does not know. */
export class UnknownScriptFlagError extends Error {
  constructor(name: string) {
    super(`unknown verification flag '${name}'`);
    this.name = 'UnknownScriptFlagError';
  }
}

/** Parses "P2SH,WITNESS,…" ("" and "NONE" are the empty set), as Core's test ParseScriptFlags. */
export function parseScriptFlags(s: string): ScriptVerifyFlags {
  if (s === '' || s === 'NONE') return SCRIPT_VERIFY_NONE;
  let flags = 0;
  for (const word of s.split(',')) {
    const f = SCRIPT_VERIFY_FLAG_NAMES.get(word);
    if (f === undefined) throw new UnknownScriptFlagError(word);
    flags |= f;
  }
  return flags;
}

/** Core's GetScriptFlagNames: names in map order, then any unknown bits as "0x%08x". */
export function getScriptFlagNames(flags: ScriptVerifyFlags): string[] {
  const res: string[] = [];
  let leftover = flags >>> 0;
  for (const [name, flag] of SCRIPT_VERIFY_FLAG_NAMES) {
    if (flags & flag) {
      res.push(name);
      leftover = (leftover & ~flag) >>> 0;
    }
  }
  if (leftover !== 0) res.push(`0x${leftover.toString(16).padStart(8, '0')}`);
  return res;
}

/** The names joined by commas (the script_tests.json spelling). */
export function formatScriptFlags(flags: ScriptVerifyFlags): string {
  return getScriptFlagNames(flags).join(',');
}

/**
 * Core's IsValidFlagCombination: CLEANSTACK needs P2SH and WITNESS, WITNESS needs P2SH.
 * VerifyScript asserts this; we throw instead.
 */
export function isValidFlagCombination(flags: ScriptVerifyFlags): boolean {
  if (flags & SCRIPT_VERIFY_CLEANSTACK && (~flags & (SCRIPT_VERIFY_P2SH | SCRIPT_VERIFY_WITNESS)) !== 0) return false;
  if (flags & SCRIPT_VERIFY_WITNESS && (~flags & SCRIPT_VERIFY_P2SH) !== 0) return false;
  return true;
}
