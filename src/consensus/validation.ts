// Validation results (Core's consensus/validation.h): result enums, ValidationState and the typed ValidationError.

/** Why a transaction was rejected, so callers can decide how to treat the peer that sent it. */
export enum TxValidationResult {
  /** Nothing rejected (yet); the default. */
  TX_RESULT_UNSET = 0,
  /** Breaks a consensus rule. */
  TX_CONSENSUS,
  /** An input (committed to by the txid) is non-standard. */
  TX_INPUTS_NOT_STANDARD,
  /** Fails some other rule of this node's policy. */
  TX_NOT_STANDARD,
  /** One or more spent coins are unknown. */
  TX_MISSING_INPUTS,
  /** Spends an immature coinbase, or is not yet final under nLockTime / sequence locks. */
  TX_PREMATURE_SPEND,
  /** Carries a witness before segwit is active, or a witness that may have been tampered with. */
  TX_WITNESS_MUTATED,
  /** Needs a witness but arrived without one. */
  TX_WITNESS_STRIPPED,
  /** Already known to the mempool, or double-spends something confirmed. */
  TX_CONFLICT,
  /** Exceeds a mempool limit (fees, size, descendants, replacement rules, ...). */
  TX_MEMPOOL_POLICY,
  /** Running without a mempool, so no transaction can be accepted. */
  TX_NO_MEMPOOL,
  /** Rejected alone, yet could pass as part of some package. */
  TX_RECONSIDERABLE,
  /** Skipped: the package it came in failed first. */
  TX_UNKNOWN,
}

/** Why a block was rejected, so callers can decide whether to ban or ignore the provider. */
export enum BlockValidationResult {
  /** Nothing rejected (yet); the default. */
  BLOCK_RESULT_UNSET = 0,
  /** Breaks a consensus rule not covered by a more specific value below. */
  BLOCK_CONSENSUS,
  /** Known invalid from an earlier check whose reason was not kept. */
  BLOCK_CACHED_INVALID,
  /** Header fails: proof of work, or a timestamp that is too early. */
  BLOCK_INVALID_HEADER,
  /** Contents differ from what the header's proof of work commits to (merkle or witness mismatch). */
  BLOCK_MUTATED,
  /** Its parent block is unknown here. */
  BLOCK_MISSING_PREV,
  /** Descends from a block already found invalid. */
  BLOCK_INVALID_PREV,
  /** Timestamp more than two hours past this node's clock (or the clock is wrong). */
  BLOCK_TIME_FUTURE,
  /** The header could belong to a chain with too little work. */
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
