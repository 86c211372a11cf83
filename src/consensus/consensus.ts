// Consensus-wide constants: block limits, coinbase maturity, lock-time flags (Core's consensus/consensus.h, chain.h).

/** Largest serialized block in bytes; used to size buffers, not as a validity rule. */
export const MAX_BLOCK_SERIALIZED_SIZE = 4_000_000;
/** Block weight limit of BIP141, a consensus rule. */
export const MAX_BLOCK_WEIGHT = 4_000_000;
/** Consensus limit on a block's total sigop cost (signature checks, scaled by the witness factor). */
export const MAX_BLOCK_SIGOPS_COST = 80_000;
/** Blocks that must be built on top of a coinbase before its outputs may be spent (consensus). */
export const COINBASE_MATURITY = 100;
/** Factor between non-witness bytes and witness bytes in block weight. */
export const WITNESS_SCALE_FACTOR = 4;
/** Weight of the smallest transaction that can be valid (60 bytes, all non-witness). */
export const MIN_TRANSACTION_WEIGHT = WITNESS_SCALE_FACTOR * 60;
/** Weight of the smallest byte string that can parse as a transaction (10 bytes). */
export const MIN_SERIALIZABLE_TRANSACTION_WEIGHT = WITNESS_SCALE_FACTOR * 10;

/** LockTimeFlags bit: enforce nSequence as a BIP68 relative lock time. */
export const LOCKTIME_VERIFY_SEQUENCE = 1 << 0;

/**
 * BIP94: how many seconds a difficulty period's opening block may go back in time relative to the
 * block that closed the period before it.
 */
export const MAX_TIMEWARP = 600;

/** How far (seconds) a block's timestamp may run ahead of the node's adjusted time (chain.h). */
export const MAX_FUTURE_BLOCK_TIME = 2 * 60 * 60;

/** Number of previous blocks whose median time is a block's median-time-past (chain.h). */
export const MEDIAN_TIME_SPAN = 11;
