// Types and constants shared by the interpreter, the signature checkers and the sighash code.

/** Which rule set a script runs under (Core's SigVersion). */
export enum SigVersion {
  /** Legacy rules: scriptPubKeys, scriptSigs and P2SH redeem scripts (BIP16). */
  BASE = 0,
  /** Segwit v0 rules (BIP141/143): P2WPKH and P2WSH. */
  WITNESS_V0 = 1,
  /** Taproot key-path signature (BIP341); no script runs. */
  TAPROOT = 2,
  /** Tapscript rules (BIP342): a taproot script-path leaf of version 0xc0. */
  TAPSCRIPT = 3,
}

/** Signature hash types. */
export const SIGHASH_ALL = 1;
export const SIGHASH_NONE = 2;
export const SIGHASH_SINGLE = 3;
export const SIGHASH_ANYONECANPAY = 0x80;
/** Taproot only: no sighash byte, same as SIGHASH_ALL. */
export const SIGHASH_DEFAULT = 0;
export const SIGHASH_OUTPUT_MASK = 3;
export const SIGHASH_INPUT_MASK = 0x80;

export const WITNESS_V0_SCRIPTHASH_SIZE = 32;
export const WITNESS_V0_KEYHASH_SIZE = 20;
export const WITNESS_V1_TAPROOT_SIZE = 32;

export const TAPROOT_LEAF_MASK = 0xfe;
export const TAPROOT_LEAF_TAPSCRIPT = 0xc0;
export const TAPROOT_CONTROL_BASE_SIZE = 33;
export const TAPROOT_CONTROL_NODE_SIZE = 32;
export const TAPROOT_CONTROL_MAX_NODE_COUNT = 128;
export const TAPROOT_CONTROL_MAX_SIZE = TAPROOT_CONTROL_BASE_SIZE + TAPROOT_CONTROL_NODE_SIZE * TAPROOT_CONTROL_MAX_NODE_COUNT;

/** What a transaction checker does when data it needs (amounts, spent outputs) was not supplied. */
export enum MissingDataBehavior {
  /** Consensus code: a programming error, so throw. */
  ASSERT_FAIL = 0,
  /** Treat the signature as invalid. */
  FAIL = 1,
}

/** Thrown by MissingDataBehavior.ASSERT_FAIL (Core aborts with assert(!"Missing data")). */
export class MissingDataError extends Error {
  constructor() {
    super('Missing data');
    this.name = 'MissingDataError';
  }
}

/**
 * Per-execution data for taproot and tapscript (Core's ScriptExecutionData). Fields start unset;
 * the interpreter fills them as the spend is validated, and the Schnorr sighash reads them.
 */
export class ScriptExecutionData {
  /** BIP341 tapleaf hash of the executed leaf (script path only). */
  tapleafHash: Uint8Array | undefined = undefined;
  /** Index (counted in opcodes) of the most recent OP_CODESEPARATOR run, or 0xffffffff before any. */
  codeseparatorPos: number | undefined = undefined;
  /** Whether annexPresent (and annexHash) have been set from the witness. */
  annexInit = false;
  /** True when the witness ends in an annex. */
  annexPresent = false;
  /** SHA256 of the compact-size-prefixed annex. */
  annexHash: Uint8Array | undefined = undefined;
  /** Tapscript signature validation budget left. */
  validationWeightLeft: number | undefined = undefined;
  /** Cached SHA256 of the output at the input's index (SIGHASH_SINGLE). */
  outputHash: Uint8Array | undefined = undefined;
}
