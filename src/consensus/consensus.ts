// Consensus-wide constants: block limits, coinbase maturity, lock-time flags (Core's consensus/consensus.h, chain.h).

/** The maximum allowed size for a serialized block, in bytes (only for buffer size limits). */
export const MAX_BLOCK_SERIALIZED_SIZE = 4_000_000;
/** The maximum allowed weight for a block, see BIP 141 (network rule). */
export const MAX_BLOCK_WEIGHT = 4_000_000;
/** The maximum allowed number of signature check operations in a block (network rule), as sigop cost. */
export const MAX_BLOCK_SIGOPS_COST = 80_000;
/** Coinbase transaction outputs can only be spent after this number of new blocks (network rule). */
export const COINBASE_MATURITY = 100;
/** Factor between non-witness bytes and witness bytes in block weight. */
export const WITNESS_SCALE_FACTOR = 4;
/** 60 is the lower bound for the size of a valid serialized transaction. */
export const MIN_TRANSACTION_WEIGHT = WITNESS_SCALE_FACTOR * 60;
/** 10 is the lower bound for the size of a serialized transaction. */
export const MIN_SERIALIZABLE_TRANSACTION_WEIGHT = WITNESS_SCALE_FACTOR * 10;

/** Interpret sequence numbers as relative lock-time constraints (BIP 68); a LockTimeFlags bit. */
export const LOCKTIME_VERIFY_SEQUENCE = 1 << 0;

/**
 * Maximum number of seconds that the timestamp of the first block of a difficulty adjustment
 * period may be earlier than the last block of the previous period (BIP94).
 */
export const MAX_TIMEWARP = 600;

/** Maximum amount of time that a block timestamp may be ahead of the node's clock (chain.h). */
export const MAX_FUTURE_BLOCK_TIME = 2 * 60 * 60;

/** Number of previous blocks whose median time is a block's median-time-past (chain.h). */
export const MEDIAN_TIME_SPAN = 11;
