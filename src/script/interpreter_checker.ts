// Signature checkers (Core's BaseSignatureChecker / GenericTransactionSignatureChecker): the interpreter's view
// of the spending transaction, for signatures and lock times. Subclasses can add caching around verify*().
import { TxIn, type Transaction } from '../primitives/transaction.js';
import { PrecomputedTransactionData, signatureHashLegacy, signatureHashSchnorr, signatureHashWitnessV0 } from './sighash.js';
import { ecdsaVerify, schnorrVerify } from '../crypto/secp256k1.js';
import { LOCKTIME_THRESHOLD } from './script.js';
import { ScriptError } from './script_error.js';
import { MissingDataBehavior, MissingDataError, SIGHASH_DEFAULT, type ScriptExecutionData, SigVersion } from './interpreter_types.js';

/** What EvalScript asks of the transaction it runs for. */
export interface SignatureChecker {
  /** ECDSA signature (with its hash type byte) over the BASE or WITNESS_V0 sighash of `scriptCode`. */
  checkECDSASignature(sig: Uint8Array, pubkey: Uint8Array, scriptCode: Uint8Array, sigversion: SigVersion): boolean;
  /** BIP340 signature over the BIP341/342 sighash; returns SCRIPT_ERR_OK or the error to fail with. */
  checkSchnorrSignature(sig: Uint8Array, pubkey32: Uint8Array, sigversion: SigVersion, execdata: ScriptExecutionData): ScriptError;
  /** OP_CHECKLOCKTIMEVERIFY's comparison against nLockTime (the operand is non-negative). */
  checkLockTime(lockTime: number): boolean;
  /** OP_CHECKSEQUENCEVERIFY's comparison against the input's nSequence (the operand is non-negative). */
  checkSequence(sequence: number): boolean;
}

/** Core's BaseSignatureChecker: every signature and lock time check fails. For evaluating scripts without a tx. */
export class BaseSignatureChecker implements SignatureChecker {
  checkECDSASignature(_sig: Uint8Array, _pubkey: Uint8Array, _scriptCode: Uint8Array, _sigversion: SigVersion): boolean {
    return false;
  }

  checkSchnorrSignature(_sig: Uint8Array, _pubkey32: Uint8Array, _sigversion: SigVersion, _execdata: ScriptExecutionData): ScriptError {
    // Core returns false without touching serror, so the error in place (UNKNOWN_ERROR) stands.
    return ScriptError.SCRIPT_ERR_UNKNOWN_ERROR;
  }

  checkLockTime(_lockTime: number): boolean {
    return false;
  }

  checkSequence(_sequence: number): boolean {
    return false;
  }
}

/**
 * Core's TransactionSignatureChecker for input `nIn` of `tx` spending `amount` satoshis (-1n when unknown).
 * `txdata` carries the precomputed BIP143/BIP341 hashes; Schnorr checks need it (with spent outputs).
 */
export class TransactionSignatureChecker implements SignatureChecker {
  constructor(
    readonly tx: Transaction,
    readonly nIn: number,
    readonly amount: bigint,
    readonly txdata: PrecomputedTransactionData | null = null,
    readonly mdb: MissingDataBehavior = MissingDataBehavior.ASSERT_FAIL,
  ) {}

  /** The raw ECDSA check; override to put a signature cache in front. */
  protected verifyECDSASignature(sigDer: Uint8Array, pubkey: Uint8Array, sighash: Uint8Array): boolean {
    return ecdsaVerify(sigDer, sighash, pubkey);
  }

  /** The raw BIP340 check; override to put a signature cache in front. */
  protected verifySchnorrSignature(sig64: Uint8Array, pubkey32: Uint8Array, sighash: Uint8Array): boolean {
    return schnorrVerify(sig64, sighash, pubkey32);
  }

  private handleMissingData(): false {
    if (this.mdb === MissingDataBehavior.ASSERT_FAIL) throw new MissingDataError();
    return false;
  }

  checkECDSASignature(sigIn: Uint8Array, pubkey: Uint8Array, scriptCode: Uint8Array, sigversion: SigVersion): boolean {
    if (!hasValidPubKeyLength(pubkey)) return false;
    if (sigIn.length === 0) return false;
    const hashType = sigIn[sigIn.length - 1]!;
    const sig = sigIn.subarray(0, sigIn.length - 1);

    let sighash: Uint8Array;
    if (sigversion === SigVersion.WITNESS_V0) {
      // Witness sighashes commit to the amount.
      if (this.amount < 0n) return this.handleMissingData();
      sighash = signatureHashWitnessV0(scriptCode, this.tx, this.nIn, hashType, this.amount, this.txdata);
    } else {
      sighash = signatureHashLegacy(scriptCode, this.tx, this.nIn, hashType);
    }
    return this.verifyECDSASignature(sig, pubkey, sighash);
  }

  checkSchnorrSignature(sigIn: Uint8Array, pubkey32: Uint8Array, sigversion: SigVersion, execdata: ScriptExecutionData): ScriptError {
    if (sigversion !== SigVersion.TAPROOT && sigversion !== SigVersion.TAPSCRIPT) {
      throw new RangeError('Schnorr signatures exist only in taproot and tapscript');
    }
    if (pubkey32.length !== 32) throw new RangeError('Schnorr public keys are 32 bytes');
    // Empty signatures never get here in tapscript (EvalChecksigTapscript handles them); elsewhere they are
    // just another wrong size.
    if (sigIn.length !== 64 && sigIn.length !== 65) return ScriptError.SCRIPT_ERR_SCHNORR_SIG_SIZE;
    let hashType = SIGHASH_DEFAULT;
    let sig = sigIn;
    if (sigIn.length === 65) {
      hashType = sigIn[64]!;
      sig = sigIn.subarray(0, 64);
      if (hashType === SIGHASH_DEFAULT) return ScriptError.SCRIPT_ERR_SCHNORR_SIG_HASHTYPE;
    }
    if (!this.txdata) {
      this.handleMissingData();
      return ScriptError.SCRIPT_ERR_UNKNOWN_ERROR;
    }
    const sighash = signatureHashSchnorr(
      this.tx,
      this.nIn,
      hashType,
      sigversion,
      this.txdata,
      execdata,
      this.mdb,
    );
    if (!sighash) return ScriptError.SCRIPT_ERR_SCHNORR_SIG_HASHTYPE;
    if (!this.verifySchnorrSignature(sig, pubkey32, sighash)) return ScriptError.SCRIPT_ERR_SCHNORR_SIG;
    return ScriptError.SCRIPT_ERR_OK;
  }

  checkLockTime(lockTime: number): boolean {
    const txLockTime = this.tx.lockTime;
    // Height-based and time-based lock times are not comparable; both must be of the same kind.
    if (!((txLockTime < LOCKTIME_THRESHOLD && lockTime < LOCKTIME_THRESHOLD) || (txLockTime >= LOCKTIME_THRESHOLD && lockTime >= LOCKTIME_THRESHOLD))) {
      return false;
    }
    if (lockTime > txLockTime) return false;
    // A final input disables nLockTime (IsFinalTx), which would bypass the opcode.
    if (this.tx.vin[this.nIn]!.sequence === TxIn.SEQUENCE_FINAL) return false;
    return true;
  }

  checkSequence(sequence: number): boolean {
    const txSequence = this.tx.vin[this.nIn]!.sequence;
    // BIP68 semantics apply from version 2 on (version is unsigned, as in current Core).
    if (this.tx.version < 2) return false;
    if (txSequence & TxIn.SEQUENCE_LOCKTIME_DISABLE_FLAG) return false;
    const mask = TxIn.SEQUENCE_LOCKTIME_TYPE_FLAG | TxIn.SEQUENCE_LOCKTIME_MASK;
    const txMasked = txSequence & mask;
    // `sequence` may exceed 32 bits (5-byte operand); the mask only keeps low bits, so int32 `&` is exact.
    const masked = sequence & mask;
    const flag = TxIn.SEQUENCE_LOCKTIME_TYPE_FLAG;
    if (!((txMasked < flag && masked < flag) || (txMasked >= flag && masked >= flag))) return false;
    if (masked > txMasked) return false;
    return true;
  }
}

/** CPubKey's size check: the length implied by the header byte must match (02/03 → 33, 04/06/07 → 65). */
function hasValidPubKeyLength(pubkey: Uint8Array): boolean {
  if (pubkey.length === 0) return false;
  const h = pubkey[0];
  if (h === 2 || h === 3) return pubkey.length === 33;
  if (h === 4 || h === 6 || h === 7) return pubkey.length === 65;
  return false;
}
