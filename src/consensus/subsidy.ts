// Block subsidy schedule (Core's GetBlockSubsidy in validation.cpp).

import { type Amount, COIN } from './amount.js';
import type { ConsensusParams } from './params.js';

/** The new coins a block at `height` may create: 50 BTC halved every interval, and 0 after 64 halvings. */
export function getBlockSubsidy(height: number, params: Pick<ConsensusParams, 'subsidyHalvingInterval'>): Amount {
  const halvings = Math.floor(height / params.subsidyHalvingInterval);
  // Force block reward to zero when right shift is undefined.
  if (halvings >= 64) return 0n;
  // Subsidy is cut in half every subsidyHalvingInterval blocks, which will occur approximately every 4 years.
  return (50n * COIN) >> BigInt(halvings);
}
