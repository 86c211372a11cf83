// The coins cache budget (Core's GetCoinsCacheSizeState): the -dbcache share plus the mempool's unused -maxmempool.
import assert from 'node:assert/strict';
import type { ChainstateManager } from '../../../src/node/validation.js';
import { CoinsCacheSizeState, coinsCacheSizeState } from '../../../src/node/validation_flush.js';

const MiB = 1024 * 1024;

function chainman(usage: number, coinsCacheBytes: number, maxMempoolBytes: number, lines: string[] = []): ChainstateManager {
  return { coinsCache: { dynamicMemoryUsage: () => usage }, coinsCacheBytes, maxMempoolBytes, log: (m: string) => lines.push(m) } as unknown as ChainstateManager;
}

describe('node/validation_flush: coinsCacheSizeState', () => {
  it('is critical over the -dbcache share alone when -maxmempool is 0, and says so as Core does', () => {
    const lines: string[] = [];
    assert.equal(coinsCacheSizeState(chainman(5 * MiB, 4 * MiB, 0, lines)), CoinsCacheSizeState.CRITICAL);
    assert.deepEqual(lines, [`Cache size (${5 * MiB}) exceeds total space (${4 * MiB})`]);
  });

  it('lets the coins use the empty mempool\'s allowance', () => {
    assert.equal(coinsCacheSizeState(chainman(5 * MiB, 4 * MiB, 300_000_000)), CoinsCacheSizeState.OK);
    // Large within 10 MiB of the whole budget (more than 10% of it).
    const total = 4 * MiB + 300_000_000;
    assert.equal(coinsCacheSizeState(chainman(total - 5 * MiB, 4 * MiB, 300_000_000)), CoinsCacheSizeState.LARGE);
    assert.equal(coinsCacheSizeState(chainman(total + 1, 4 * MiB, 300_000_000)), CoinsCacheSizeState.CRITICAL);
  });
});
