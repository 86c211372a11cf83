// Block subsidy schedule (Core's GetBlockSubsidy in validation.cpp).

import { type Amount, COIN } from './amount.js';
import type { ConsensusParams } from './params.js';

/** The subsidy after n halvings, n < 64: made once, since BigInt arithmetic is slow before V8 optimizes it. */
const SUBSIDY_AFTER_HALVINGS: readonly Amount[] = Array.from({ length: 64 }, (_, n) => (50n * COIN) >> BigInt(n));

/** The new coins a block at `height` may create: 50 BTC halved every interval, and 0 after 64 halvings. */
export function getBlockSubsidy(height: number, params: Pick<ConsensusParams, 'subsidyHalvingInterval'>): Amount {
  // One halving per subsidyHalvingInterval blocks (about four years on mainnet).
  const halvings = Math.floor(height / params.subsidyHalvingInterval);
  // After 64 halvings the shift would exceed the width of a 64-bit amount; the subsidy is simply zero.
  return halvings >= 64 ? 0n : SUBSIDY_AFTER_HALVINGS[halvings]!;
}
