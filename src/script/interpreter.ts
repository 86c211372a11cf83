// VerifyScript and witness program validation (P2SH, segwit v0, taproot/tapscript), plus witness sigop counting.
// The opcode loop lives in interpreter_eval.ts; signature checkers in interpreter_checker.ts.
import { sha256 } from '../crypto/sha256.js';
import { bytesEqual } from '../util/hex.js';
import { ByteWriter, compactSizeLen } from '../util/serialize.js';
import { evalScript, castToBool, type Stack } from './interpreter_eval.js';
import type { SignatureChecker } from './interpreter_checker.js';
import { computeTapleafHash, verifyTaprootCommitment } from './interpreter_taproot.js';
import {
  ScriptExecutionData,
  SigVersion,
  TAPROOT_CONTROL_BASE_SIZE,
  TAPROOT_CONTROL_MAX_SIZE,
  TAPROOT_CONTROL_NODE_SIZE,
  TAPROOT_LEAF_MASK,
  TAPROOT_LEAF_TAPSCRIPT,
  WITNESS_V0_KEYHASH_SIZE,
  WITNESS_V0_SCRIPTHASH_SIZE,
  WITNESS_V1_TAPROOT_SIZE,
} from './interpreter_types.js';
import {
  ANNEX_TAG,
  MAX_SCRIPT_ELEMENT_SIZE,
  MAX_STACK_SIZE,
  Opcode,
  ScriptReader,
  VALIDATION_WEIGHT_OFFSET,
  getSigOpCount,
  isOpSuccess,
  isPayToAnchorProgram,
  isPayToScriptHash,
  isPushOnly,
  isWitnessProgram,
  pushDataBytes,
  witnessProgramVersion,
} from './script.js';
import { ScriptError, ScriptVerifyError } from './script_error.js';
import {
  SCRIPT_VERIFY_CLEANSTACK,
  SCRIPT_VERIFY_DISCOURAGE_OP_SUCCESS,
  SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_TAPROOT_VERSION,
  SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM,
  SCRIPT_VERIFY_P2SH,
  SCRIPT_VERIFY_SIGPUSHONLY,
  SCRIPT_VERIFY_TAPROOT,
  SCRIPT_VERIFY_WITNESS,
  type ScriptVerifyFlags,
} from './verify_flags.js';

export { castToBool, checkMinimalPush, evalScript, type Stack } from './interpreter_eval.js';
export { BaseSignatureChecker, TransactionSignatureChecker, type SignatureChecker } from './interpreter_checker.js';
export {
  checkPubKeyEncoding,
  checkSignatureEncoding,
  isDefinedHashtypeSignature,
  isLowDERSignature,
  isValidSignatureEncoding,
} from './interpreter_encoding.js';
export { computeTapbranchHash, computeTapleafHash, computeTaprootMerkleRoot, computeTapTweakHash } from './interpreter_taproot.js';
export { MissingDataBehavior, MissingDataError, ScriptExecutionData, SigVersion } from './interpreter_types.js';

const OK = ScriptError.SCRIPT_ERR_OK;

/** A witness stack (Core's CScriptWitness::stack). */
export type Witness = readonly Uint8Array[];

/** Thrown for flag sets VerifyScript refuses (Core asserts): CLEANSTACK without P2SH+WITNESS, WITNESS without P2SH. */
export class InvalidFlagCombinationError extends Error {
  constructor(what: string) {
    super(`invalid script verification flags: ${what}`);
    this.name = 'InvalidFlagCombinationError';
  }
}

/** Serialized size of a witness stack (GetSerializeSize of the vector of byte vectors). */
function witnessSerializedSize(stack: Witness): number {
  let size = compactSizeLen(stack.length);
  for (const item of stack) size += compactSizeLen(item.length) + item.length;
  return size;
}

function executeWitnessScript(
  stackIn: Witness,
  execScript: Uint8Array,
  flags: ScriptVerifyFlags,
  sigversion: SigVersion,
  checker: SignatureChecker,
  execdata: ScriptExecutionData,
): ScriptError {
  const stack: Stack = [...stackIn];
  if (sigversion === SigVersion.TAPSCRIPT) {
    // OP_SUCCESSx anywhere (before a decoding failure) makes the script succeed, overriding every other rule.
    const r = new ScriptReader(execScript);
    while (r.more) {
      if (!r.next()) return ScriptError.SCRIPT_ERR_BAD_OPCODE;
      if (isOpSuccess(r.opcode)) {
        if (flags & SCRIPT_VERIFY_DISCOURAGE_OP_SUCCESS) return ScriptError.SCRIPT_ERR_DISCOURAGE_OP_SUCCESS;
        return OK;
      }
    }
    // The initial stack counts against the limit in tapscript (the altstack is empty here).
    if (stack.length > MAX_STACK_SIZE) return ScriptError.SCRIPT_ERR_STACK_SIZE;
  }
  for (const elem of stack) {
    if (elem.length > MAX_SCRIPT_ELEMENT_SIZE) return ScriptError.SCRIPT_ERR_PUSH_SIZE;
  }
  const e = evalScript(stack, execScript, flags, checker, sigversion, execdata);
  if (e !== OK) return e;
  // Witness scripts require a clean stack by consensus.
  if (stack.length !== 1) return ScriptError.SCRIPT_ERR_CLEANSTACK;
  if (!castToBool(stack[0]!)) return ScriptError.SCRIPT_ERR_EVAL_FALSE;
  return OK;
}

/** OP_DUP OP_HASH160 <20-byte program> OP_EQUALVERIFY OP_CHECKSIG, filled in directly: every P2WPKH input runs it. */
function p2wpkhScript(program: Uint8Array): Uint8Array {
  const script = new Uint8Array(5 + WITNESS_V0_KEYHASH_SIZE);
  script[0] = Opcode.OP_DUP;
  script[1] = Opcode.OP_HASH160;
  script[2] = WITNESS_V0_KEYHASH_SIZE;
  script.set(program, 3);
  script[3 + WITNESS_V0_KEYHASH_SIZE] = Opcode.OP_EQUALVERIFY;
  script[4 + WITNESS_V0_KEYHASH_SIZE] = Opcode.OP_CHECKSIG;
  return script;
}

/** Core's VerifyWitnessProgram for a witness version and program found in a scriptPubKey or P2SH redeem script. */
export function verifyWitnessProgram(
  witness: Witness,
  witversion: number,
  program: Uint8Array,
  flags: ScriptVerifyFlags,
  checker: SignatureChecker,
  isP2SH: boolean,
): ScriptError {
  const execdata = new ScriptExecutionData();
  let stack = witness;

  if (witversion === 0) {
    if (program.length === WITNESS_V0_SCRIPTHASH_SIZE) {
      // P2WSH: the last item is the script, whose SHA256 is the program.
      if (stack.length === 0) return ScriptError.SCRIPT_ERR_WITNESS_PROGRAM_WITNESS_EMPTY;
      const execScript = stack[stack.length - 1]!;
      stack = stack.slice(0, -1);
      if (!bytesEqual(sha256(execScript), program)) return ScriptError.SCRIPT_ERR_WITNESS_PROGRAM_MISMATCH;
      return executeWitnessScript(stack, execScript, flags, SigVersion.WITNESS_V0, checker, execdata);
    }
    if (program.length === WITNESS_V0_KEYHASH_SIZE) {
      // P2WPKH: exactly signature and key, run through the implied P2PKH script.
      if (stack.length !== 2) return ScriptError.SCRIPT_ERR_WITNESS_PROGRAM_MISMATCH;
      return executeWitnessScript(stack, p2wpkhScript(program), flags, SigVersion.WITNESS_V0, checker, execdata);
    }
    return ScriptError.SCRIPT_ERR_WITNESS_PROGRAM_WRONG_LENGTH;
  }

  if (witversion === 1 && program.length === WITNESS_V1_TAPROOT_SIZE && !isP2SH) {
    // BIP341 taproot.
    if (!(flags & SCRIPT_VERIFY_TAPROOT)) return OK;
    if (stack.length === 0) return ScriptError.SCRIPT_ERR_WITNESS_PROGRAM_WITNESS_EMPTY;
    const last = stack[stack.length - 1]!;
    if (stack.length >= 2 && last.length > 0 && last[0] === ANNEX_TAG) {
      // The annex is committed to by signatures (as the hash of its serialization) but otherwise ignored.
      const annex = new ByteWriter(compactSizeLen(last.length) + last.length).writeVarBytes(last);
      execdata.annexHash = sha256(annex.peek());
      execdata.annexPresent = true;
      stack = stack.slice(0, -1);
    } else {
      execdata.annexPresent = false;
    }
    execdata.annexInit = true;

    if (stack.length === 1) {
      // Key path spend.
      return checker.checkSchnorrSignature(stack[0]!, program, SigVersion.TAPROOT, execdata);
    }

    // Script path spend: [...args, script, control block].
    const control = stack[stack.length - 1]!;
    const script = stack[stack.length - 2]!;
    stack = stack.slice(0, -2);
    if (
      control.length < TAPROOT_CONTROL_BASE_SIZE ||
      control.length > TAPROOT_CONTROL_MAX_SIZE ||
      (control.length - TAPROOT_CONTROL_BASE_SIZE) % TAPROOT_CONTROL_NODE_SIZE !== 0
    ) {
      return ScriptError.SCRIPT_ERR_TAPROOT_WRONG_CONTROL_SIZE;
    }
    execdata.tapleafHash = computeTapleafHash(control[0]! & TAPROOT_LEAF_MASK, script);
    if (!verifyTaprootCommitment(control, program, execdata.tapleafHash)) return ScriptError.SCRIPT_ERR_WITNESS_PROGRAM_MISMATCH;
    if ((control[0]! & TAPROOT_LEAF_MASK) === TAPROOT_LEAF_TAPSCRIPT) {
      // BIP342: the signature budget is the whole witness size (annex, script and control included) plus 50.
      execdata.validationWeightLeft = witnessSerializedSize(witness) + VALIDATION_WEIGHT_OFFSET;
      return executeWitnessScript(stack, script, flags, SigVersion.TAPSCRIPT, checker, execdata);
    }
    if (flags & SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_TAPROOT_VERSION) return ScriptError.SCRIPT_ERR_DISCOURAGE_UPGRADABLE_TAPROOT_VERSION;
    return OK;
  }

  if (!isP2SH && isPayToAnchorProgram(witversion, program)) return OK;

  // Other versions and sizes stay spendable for future soft forks.
  if (flags & SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM) return ScriptError.SCRIPT_ERR_DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM;
  return OK;
}

/**
 * Core's VerifyScript: runs scriptSig then scriptPubKey, then P2SH and witness programs as the flags ask.
 * Returns SCRIPT_ERR_OK or the failure code.
 */
export function verifyScript(
  scriptSig: Uint8Array,
  scriptPubKey: Uint8Array,
  witness: Witness | null | undefined,
  flags: ScriptVerifyFlags,
  checker: SignatureChecker,
): ScriptError {
  const wit: Witness = witness ?? [];
  let hadWitness = false;

  if (flags & SCRIPT_VERIFY_SIGPUSHONLY && !isPushOnly(scriptSig)) return ScriptError.SCRIPT_ERR_SIG_PUSHONLY;

  // scriptSig and scriptPubKey run one after the other on one stack, never concatenated (CVE-2010-5141).
  let stack: Stack = [];
  let e = evalScript(stack, scriptSig, flags, checker, SigVersion.BASE);
  if (e !== OK) return e;
  const stackCopy: Stack = flags & SCRIPT_VERIFY_P2SH ? [...stack] : [];
  e = evalScript(stack, scriptPubKey, flags, checker, SigVersion.BASE);
  if (e !== OK) return e;
  if (stack.length === 0 || !castToBool(stack[stack.length - 1]!)) return ScriptError.SCRIPT_ERR_EVAL_FALSE;

  // A scriptPubKey that is itself a witness program (native segwit).
  if (flags & SCRIPT_VERIFY_WITNESS) {
    const wp = isWitnessProgram(scriptPubKey);
    if (wp) {
      hadWitness = true;
      // Anything in the scriptSig would be malleable.
      if (scriptSig.length !== 0) return ScriptError.SCRIPT_ERR_WITNESS_MALLEATED;
      e = verifyWitnessProgram(wit, wp.version, wp.program, flags, checker, false);
      if (e !== OK) return e;
      // The real stack is irrelevant after a witness program; keep one element to pass CLEANSTACK.
      stack.length = 1;
    }
  }

  // P2SH: run the redeem script (the last scriptSig push) on the scriptSig's stack.
  if (flags & SCRIPT_VERIFY_P2SH && isPayToScriptHash(scriptPubKey)) {
    if (!isPushOnly(scriptSig)) return ScriptError.SCRIPT_ERR_SIG_PUSHONLY;
    stack = stackCopy;
    // Never empty: HASH160 <h> EQUAL on an empty stack would have failed above.
    const redeemScript = stack.pop()!;
    e = evalScript(stack, redeemScript, flags, checker, SigVersion.BASE);
    if (e !== OK) return e;
    if (stack.length === 0 || !castToBool(stack[stack.length - 1]!)) return ScriptError.SCRIPT_ERR_EVAL_FALSE;

    if (flags & SCRIPT_VERIFY_WITNESS) {
      const wp = isWitnessProgram(redeemScript);
      if (wp) {
        hadWitness = true;
        // The scriptSig must be exactly one push of the redeem script.
        if (!bytesEqual(scriptSig, pushDataBytes(redeemScript))) return ScriptError.SCRIPT_ERR_WITNESS_MALLEATED_P2SH;
        e = verifyWitnessProgram(wit, wp.version, wp.program, flags, checker, true);
        if (e !== OK) return e;
        stack.length = 1;
      }
    }
  }

  // CLEANSTACK comes after P2SH and witness evaluation, whose inputs would otherwise remain.
  if (flags & SCRIPT_VERIFY_CLEANSTACK) {
    // Without P2SH, going CLEANSTACK -> P2SH+CLEANSTACK would not be a soft fork.
    if (!(flags & SCRIPT_VERIFY_P2SH)) throw new InvalidFlagCombinationError('CLEANSTACK requires P2SH');
    if (!(flags & SCRIPT_VERIFY_WITNESS)) throw new InvalidFlagCombinationError('CLEANSTACK requires WITNESS');
    if (stack.length !== 1) return ScriptError.SCRIPT_ERR_CLEANSTACK;
  }

  if (flags & SCRIPT_VERIFY_WITNESS) {
    // Unexpected witness data can only be detected when P2SH is evaluated too.
    if (!(flags & SCRIPT_VERIFY_P2SH)) throw new InvalidFlagCombinationError('WITNESS requires P2SH');
    if (!hadWitness && wit.length > 0) return ScriptError.SCRIPT_ERR_WITNESS_UNEXPECTED;
  }

  return OK;
}

/** verifyScript that throws a ScriptVerifyError (code + Core's message) instead of returning a failure code. */
export function verifyScriptOrThrow(
  scriptSig: Uint8Array,
  scriptPubKey: Uint8Array,
  witness: Witness | null | undefined,
  flags: ScriptVerifyFlags,
  checker: SignatureChecker,
): void {
  const e = verifyScript(scriptSig, scriptPubKey, witness, flags, checker);
  if (e !== OK) throw new ScriptVerifyError(e);
}

// Takes the program's length only: counting runs for every input of every block, and needs no view of it.
function witnessSigOps(witversion: number, programLength: number, witness: Witness): number {
  if (witversion === 0) {
    if (programLength === WITNESS_V0_KEYHASH_SIZE) return 1;
    if (programLength === WITNESS_V0_SCRIPTHASH_SIZE && witness.length > 0) return getSigOpCount(witness[witness.length - 1]!, true);
  }
  // Taproot and future versions count nothing here (tapscript has its own budget).
  return 0;
}

/** Core's CountWitnessSigOps: sigops of a native or P2SH-wrapped witness program (0 without WITNESS). */
export function countWitnessSigOps(
  scriptSig: Uint8Array,
  scriptPubKey: Uint8Array,
  witness: Witness | null | undefined,
  flags: ScriptVerifyFlags,
): number {
  const wit = witness ?? [];
  if (!(flags & SCRIPT_VERIFY_WITNESS)) return 0;
  if (!(flags & SCRIPT_VERIFY_P2SH)) throw new InvalidFlagCombinationError('WITNESS requires P2SH');

  const version = witnessProgramVersion(scriptPubKey);
  if (version >= 0) return witnessSigOps(version, scriptPubKey.length - 2, wit);

  if (isPayToScriptHash(scriptPubKey) && isPushOnly(scriptSig)) {
    const r = new ScriptReader(scriptSig);
    let data: Uint8Array = new Uint8Array(0);
    while (r.more) {
      r.next();
      data = r.data();
    }
    const innerVersion = witnessProgramVersion(data);
    if (innerVersion >= 0) return witnessSigOps(innerVersion, data.length - 2, wit);
  }
  return 0;
}
