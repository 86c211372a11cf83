// Block subsidy schedule (Core's GetBlockSubsidy in validation.cpp).

import { type Amount, COIN } from './amount.js';
import type { ConsensusParams } from './params.js';

/** The new coins a block at `height` may create: 50 BTC halved every interval, and 0 after 64 halvings. */
export function getBlockSubsidy(height: number, params: Pick<ConsensusParams, 'subsidyHalvingInterval'>): Amount {
  const halvings = Math.floor(height / params.subsidyHalvingInterval);
  // After 64 halvings the shift would exceed the width of a 64-bit amount; the subsidy is simply zero.
  if (halvings >= 64) return 0n;
  // One halving per subsidyHalvingInterval blocks (about four years on mainnet).
  return (50n * COIN) >> BigInt(halvings);
}
