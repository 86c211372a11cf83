// Validation results (Core's consensus/validation.h): result enums, ValidationState and the typed ValidationError.

/** Why a transaction was rejected, so callers can decide how to treat the peer that sent it. */
export enum TxValidationResult {
  /** Initial value. The tx has not yet been rejected. */
  TX_RESULT_UNSET = 0,
  /** Invalid by consensus rules. */
  TX_CONSENSUS,
  /** Inputs (covered by txid) failed policy rules. */
  TX_INPUTS_NOT_STANDARD,
  /** Otherwise didn't meet our local policy rules. */
  TX_NOT_STANDARD,
  /** Transaction was missing some of its inputs. */
  TX_MISSING_INPUTS,
  /** Transaction spends a coinbase too early, or violates locktime/sequence locks. */
  TX_PREMATURE_SPEND,
  /** Transaction might have a witness prior to SegWit activation, or the witness may have been malleated. */
  TX_WITNESS_MUTATED,
  /** Transaction is missing a witness. */
  TX_WITNESS_STRIPPED,
  /** Tx already in mempool or conflicts with a tx in the chain. */
  TX_CONFLICT,
  /** Violated mempool's fee/size/descendant/RBF/etc limits. */
  TX_MEMPOOL_POLICY,
  /** This node does not have a mempool so can't validate the transaction. */
  TX_NO_MEMPOOL,
  /** Fails some policy, but might be acceptable if submitted in a (different) package. */
  TX_RECONSIDERABLE,
  /** Transaction was not validated because package failed. */
  TX_UNKNOWN,
}

/** Why a block was rejected, so callers can decide whether to ban or ignore the provider. */
export enum BlockValidationResult {
  /** Initial value. Block has not yet been rejected. */
  BLOCK_RESULT_UNSET = 0,
  /** Invalid by consensus rules (excluding any below reasons). */
  BLOCK_CONSENSUS,
  /** This block was cached as being invalid and we didn't store the reason why. */
  BLOCK_CACHED_INVALID,
  /** Invalid proof of work or time too old. */
  BLOCK_INVALID_HEADER,
  /** The block's data didn't match the data committed to by the PoW. */
  BLOCK_MUTATED,
  /** We don't have the previous block the checked one is built on. */
  BLOCK_MISSING_PREV,
  /** A block this one builds on is invalid. */
  BLOCK_INVALID_PREV,
  /** Block timestamp was > 2 hours in the future (or our clock is bad). */
  BLOCK_TIME_FUTURE,
  /** The block header may be on a too-little-work chain. */
  BLOCK_HEADER_LOW_WORK,
}

type ModeState = 'valid' | 'invalid' | 'error';

/**
 * Captures the outcome of validating a transaction or block: valid, invalid (with a result code, Core's
 * reject reason and a debug message) or a run-time error.
 */
export class ValidationState<R extends number> {
  private mode: ModeState = 'valid';
  private result: R;
  private rejectReason = '';
  private debugMessage = '';

  constructor(unset: R) {
    this.result = unset;
  }

  /** Marks the state invalid; always returns false so checks can `return state.invalid(...)`. */
  invalid(result: R, rejectReason = '', debugMessage = ''): false {
    this.result = result;
    this.rejectReason = rejectReason;
    this.debugMessage = debugMessage;
    if (this.mode !== 'error') this.mode = 'invalid';
    return false;
  }

  /** Marks a run-time (not consensus) failure; always returns false. */
  error(rejectReason: string): false {
    if (this.mode === 'valid') this.rejectReason = rejectReason;
    this.mode = 'error';
    return false;
  }

  isValid(): boolean {
    return this.mode === 'valid';
  }

  isInvalid(): boolean {
    return this.mode === 'invalid';
  }

  isError(): boolean {
    return this.mode === 'error';
  }

  getResult(): R {
    return this.result;
  }

  getRejectReason(): string {
    return this.rejectReason;
  }

  getDebugMessage(): string {
    return this.debugMessage;
  }

  /** Core's ToString: "Valid", the reject reason, or "reason, debug". */
  toString(): string {
    if (this.isValid()) return 'Valid';
    if (this.debugMessage !== '') return `${this.rejectReason}, ${this.debugMessage}`;
    return this.rejectReason;
  }
}

export class TxValidationState extends ValidationState<TxValidationResult> {
  constructor() {
    super(TxValidationResult.TX_RESULT_UNSET);
  }
}

export class BlockValidationState extends ValidationState<BlockValidationResult> {
  constructor() {
    super(BlockValidationResult.BLOCK_RESULT_UNSET);
  }
}

/**
 * A consensus or policy rejection as an exception, for callers that prefer throwing. `code` is the
 * result enum value, `reason` Core's reject reason and `debug` its debug message.
 */
export class ValidationError extends Error {
  override name = 'ValidationError';
  readonly code: TxValidationResult | BlockValidationResult;
  readonly reason: string;
  readonly debug: string;
  /** Whether `code` is a TxValidationResult (true) or a BlockValidationResult (false). */
  readonly isTx: boolean;

  constructor(code: TxValidationResult | BlockValidationResult, reason: string, debug = '', isTx = false) {
    super(debug !== '' ? `${reason}, ${debug}` : reason);
    this.code = code;
    this.reason = reason;
    this.debug = debug;
    this.isTx = isTx;
  }

  /** The error for an invalid state (throws if the state is valid: that would be a caller bug). */
  static fromTxState(state: TxValidationState): ValidationError {
    if (state.isValid()) throw new Error('ValidationError.fromTxState: state is valid');
    return new ValidationError(state.getResult(), state.getRejectReason(), state.getDebugMessage(), true);
  }

  static fromBlockState(state: BlockValidationState): ValidationError {
    if (state.isValid()) throw new Error('ValidationError.fromBlockState: state is valid');
    return new ValidationError(state.getResult(), state.getRejectReason(), state.getDebugMessage(), false);
  }
}
