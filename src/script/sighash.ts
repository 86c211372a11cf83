// Signature hashes exactly as Core's SignatureHash / SignatureHashSchnorr: legacy, BIP143 (segwit v0), BIP341/342.
import { sha256, sha256ConcatTransient, sha256dConcatTransient } from '../crypto/sha256.js';
import { taggedHashPrefix } from '../crypto/tagged.js';
import type { Transaction } from '../primitives/transaction.js';
import { ByteWriter } from '../util/serialize.js';
import {
  PrecomputedTransactionData,
  getOutputsSHA256,
  getPrevoutsSHA256,
  getSequencesSHA256,
  hashSingleOutput,
} from './sighash_precompute.js';
import { writeScriptCodeLegacy } from './sighash_scriptops.js';

import {
  MissingDataBehavior,
  MissingDataError,
  SIGHASH_ALL,
  SIGHASH_ANYONECANPAY,
  SIGHASH_DEFAULT,
  SIGHASH_INPUT_MASK,
  SIGHASH_NONE,
  SIGHASH_OUTPUT_MASK,
  SIGHASH_SINGLE,
  SigVersion,
} from './interpreter_types.js';

export { PrecomputedTransactionData } from './sighash_precompute.js';
export { findAndDelete, findAndDeletePush, stepScriptOp } from './sighash_scriptops.js';
export {
  MissingDataBehavior,
  SIGHASH_ALL,
  SIGHASH_ANYONECANPAY,
  SIGHASH_DEFAULT,
  SIGHASH_INPUT_MASK,
  SIGHASH_NONE,
  SIGHASH_OUTPUT_MASK,
  SIGHASH_SINGLE,
} from './interpreter_types.js';

/** The two Schnorr signature versions, by name or as the interpreter's SigVersion. */
export type SchnorrSigVersion = 'taproot' | 'tapscript' | SigVersion.TAPROOT | SigVersion.TAPSCRIPT;

/**
 * The ScriptExecutionData fields the BIP341/342 hash reads (interpreter_types' ScriptExecutionData fits).
 * annexHash is needed when annexPresent; tapleafHash and codeseparatorPos for tapscript.
 */
export interface SchnorrExecData {
  annexPresent: boolean;
  annexHash?: Uint8Array | undefined;
  tapleafHash?: Uint8Array | undefined;
  codeseparatorPos?: number | undefined;
  /** Filled in for SIGHASH_SINGLE and reused by later signatures of the same input. */
  outputHash?: Uint8Array | undefined;
}

/** uint256::ONE: what legacy SIGHASH_SINGLE returns when the input has no matching output (the "one" bug). */
export function uint256One(): Uint8Array {
  const one = new Uint8Array(32);
  one[0] = 1;
  return one;
}

// One reusable writer per message kind (none of these functions nests another's use of the same writer).
const legacyScratch = new ByteWriter(1024);
const witnessV0Scratch = new ByteWriter(256);
const schnorrScratch = new ByteWriter(256);
const outputScratch = new ByteWriter(64);

function checkInput(tx: Transaction, nIn: number): void {
  if (!Number.isInteger(nIn) || nIn < 0 || nIn >= tx.vin.length) {
    throw new RangeError(`input index ${nIn} out of range`);
  }
}

/**
 * Legacy (pre-segwit) signature hash. `scriptCode` is used as given: the caller (the interpreter) has already
 * cut it at the last OP_CODESEPARATOR and run FindAndDelete on the signature; OP_CODESEPARATORs are removed here.
 * `hashType` is the full int32 appended to the message.
 */
export function signatureHashLegacy(scriptCode: Uint8Array, tx: Transaction, nIn: number, hashType: number): Uint8Array {
  checkInput(tx, nIn);
  const base = hashType & 0x1f;
  const anyoneCanPay = (hashType & SIGHASH_ANYONECANPAY) !== 0;
  const single = base === SIGHASH_SINGLE;
  const none = base === SIGHASH_NONE;
  if (single && nIn >= tx.vout.length) return uint256One();

  // Kept up to 1 MiB: a transaction with thousands of inputs hashes a preimage of that order for each of them.
  const w = legacyScratch.reset(1 << 20);
  w.writeU32LE(tx.version);
  const nInputs = anyoneCanPay ? 1 : tx.vin.length;
  w.writeCompactSize(nInputs);
  for (let k = 0; k < nInputs; k++) {
    const idx = anyoneCanPay ? nIn : k;
    const input = tx.vin[idx]!;
    input.prevout.write(w);
    if (idx !== nIn) w.writeU8(0); // other inputs' scripts are blanked
    else writeScriptCodeLegacy(w, scriptCode);
    if (idx !== nIn && (single || none)) w.writeU32LE(0); // others may update their sequence at will
    else w.writeU32LE(input.sequence);
  }
  const nOutputs = none ? 0 : single ? nIn + 1 : tx.vout.length;
  w.writeCompactSize(nOutputs);
  for (let k = 0; k < nOutputs; k++) {
    // SIGHASH_SINGLE commits to the other positions only as null outputs (value -1, empty script).
    if (single && k !== nIn) w.writeI64LE(-1n).writeU8(0);
    else tx.vout[k]!.write(w);
  }
  w.writeU32LE(tx.lockTime);
  w.writeI32LE(hashType);
  // Signature hashes go to the verifier and the signature cache, both native, and are not kept.
  return sha256dConcatTransient(w.peek());
}

/** What BIP143 commits to in place of a hash the hash type leaves out (only ever read). */
const ZERO_HASH: Uint8Array = new Uint8Array(32);

/**
 * BIP143 signature hash for witness v0 scripts. Uses txdata's hashes when bip143Ready, else computes them
 * (quadratic over all inputs: pass a PrecomputedTransactionData when hashing many inputs).
 */
export function signatureHashWitnessV0(
  scriptCode: Uint8Array,
  tx: Transaction,
  nIn: number,
  hashType: number,
  amount: bigint,
  txdata?: PrecomputedTransactionData | null,
): Uint8Array {
  checkInput(tx, nIn);
  const base = hashType & 0x1f;
  const anyoneCanPay = (hashType & SIGHASH_ANYONECANPAY) !== 0;
  const ready = txdata?.bip143Ready === true;
  let hashPrevouts = ZERO_HASH;
  let hashSequence = ZERO_HASH;
  let hashOutputs = ZERO_HASH;
  if (!anyoneCanPay) hashPrevouts = ready ? txdata!.hashPrevouts : sha256(getPrevoutsSHA256(tx));
  if (!anyoneCanPay && base !== SIGHASH_SINGLE && base !== SIGHASH_NONE) {
    hashSequence = ready ? txdata!.hashSequence : sha256(getSequencesSHA256(tx));
  }
  if (base !== SIGHASH_SINGLE && base !== SIGHASH_NONE) {
    hashOutputs = ready ? txdata!.hashOutputs : sha256(getOutputsSHA256(tx));
  } else if (base === SIGHASH_SINGLE && nIn < tx.vout.length) {
    hashOutputs = hashSingleOutput(tx.vout[nIn]!);
  }

  const input = tx.vin[nIn]!;
  const w = witnessV0Scratch.reset();
  w.writeU32LE(tx.version);
  w.writeBytes(hashPrevouts).writeBytes(hashSequence);
  input.prevout.write(w);
  w.writeVarBytes(scriptCode);
  w.writeI64LE(amount);
  w.writeU32LE(input.sequence);
  w.writeBytes(hashOutputs);
  w.writeU32LE(tx.lockTime);
  w.writeI32LE(hashType);
  return sha256dConcatTransient(w.peek());
}

/** What the BIP341/342 message commits to, shared by the message and hash entry points; mdb defaults to FAIL. */
export type SchnorrSighashArgs = [
  tx: Transaction,
  nIn: number,
  hashType: number,
  sigversion: SchnorrSigVersion,
  txdata: PrecomputedTransactionData,
  execdata: SchnorrExecData,
  mdb?: MissingDataBehavior,
];

/**
 * The BIP341 signature message (SigMsg with its epoch byte, before the TapSighash tagged hash), or null where
 * Core's SignatureHashSchnorr returns false: an invalid hash type, or SIGHASH_SINGLE without a matching output.
 * Missing precomputed data returns null with MissingDataBehavior.FAIL and throws MissingDataError with ASSERT_FAIL.
 */
export function signatureMessageSchnorr(...args: SchnorrSighashArgs): Uint8Array | null {
  const w = new ByteWriter(SCHNORR_MSG_CAPACITY);
  return writeSchnorrMessage(w, ...args) ? w.toBytes() : null;
}

/** BIP341/342 signature hash (Core's SignatureHashSchnorr); null where Core returns false. */
export function signatureHashSchnorr(...args: SchnorrSighashArgs): Uint8Array | null {
  const w = schnorrScratch.reset();
  if (!writeSchnorrMessage(w, ...args)) return null;
  return sha256ConcatTransient(taggedHashPrefix('TapSighash'), w.peek());
}

// Largest message: full commitments, ANYONECANPAY input data, annex, single output hash and tapscript fields.
const SCHNORR_MSG_CAPACITY = 1 + 1 + 8 + 5 * 32 + 1 + 36 + 8 + 10 + 4 + 32 + 32 + 32 + 1 + 4 + 64;

function writeSchnorrMessage(
  w: ByteWriter,
  ...[tx, nIn, hashType, sigversion, txdata, execdata, mdb = MissingDataBehavior.FAIL]: SchnorrSighashArgs
): boolean {
  checkInput(tx, nIn);
  const tapscript = sigversion === 'tapscript' || sigversion === SigVersion.TAPSCRIPT;
  const extFlag = tapscript ? 1 : 0;
  if (!(txdata.bip341Ready && txdata.spentOutputsReady)) {
    if (mdb === MissingDataBehavior.ASSERT_FAIL) throw new MissingDataError();
    return false;
  }
  const outputType = hashType === SIGHASH_DEFAULT ? SIGHASH_ALL : hashType & SIGHASH_OUTPUT_MASK;
  const inputType = hashType & SIGHASH_INPUT_MASK;
  if (!(hashType >= 0 && (hashType <= 0x03 || (hashType >= 0x81 && hashType <= 0x83)))) return false;

  w.writeU8(0); // epoch
  w.writeU8(hashType);
  w.writeU32LE(tx.version).writeU32LE(tx.lockTime);
  if (inputType !== SIGHASH_ANYONECANPAY) {
    w.writeBytes(txdata.prevoutsSingleHash);
    w.writeBytes(txdata.spentAmountsSingleHash);
    w.writeBytes(txdata.spentScriptsSingleHash);
    w.writeBytes(txdata.sequencesSingleHash);
  }
  if (outputType === SIGHASH_ALL) w.writeBytes(txdata.outputsSingleHash);

  const haveAnnex = execdata.annexPresent;
  w.writeU8((extFlag << 1) + (haveAnnex ? 1 : 0)); // spend_type
  if (inputType === SIGHASH_ANYONECANPAY) {
    const input = tx.vin[nIn]!;
    input.prevout.write(w);
    txdata.spentOutputs[nIn]!.write(w);
    w.writeU32LE(input.sequence);
  } else {
    w.writeU32LE(nIn);
  }
  if (haveAnnex) w.writeBytes(required(execdata.annexHash, 'annexHash'));

  if (outputType === SIGHASH_SINGLE) {
    if (nIn >= tx.vout.length) return false;
    if (!execdata.outputHash) {
      const ow = outputScratch.reset();
      tx.vout[nIn]!.write(ow);
      execdata.outputHash = sha256(ow.peek());
    }
    w.writeBytes(execdata.outputHash);
  }

  if (tapscript) {
    w.writeBytes(required(execdata.tapleafHash, 'tapleafHash'));
    w.writeU8(0); // key_version
    w.writeU32LE(required(execdata.codeseparatorPos, 'codeseparatorPos'));
  }
  return true;
}

function required<T>(v: T | undefined, name: string): T {
  // Core asserts these are initialised; a missing one is a caller bug, not a consensus failure.
  if (v === undefined) throw new Error(`ScriptExecutionData.${name} is not initialised`);
  return v;
}
