// Amounts (MoneyRange, FormatMoney) and the subsidy schedule (Core's validation_tests block_subsidy_test).

import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { COIN, MAX_MONEY, formatMoney, moneyRange } from '../../../src/consensus/amount.js';
import { getBlockSubsidy } from '../../../src/consensus/subsidy.js';
import { createChainParams } from '../../../src/kernel/chainparams.js';

describe('amounts', () => {
  it('MoneyRange accepts 0..MAX_MONEY only', () => {
    assert.equal(MAX_MONEY, 2_100_000_000_000_000n);
    assert.ok(moneyRange(0n));
    assert.ok(moneyRange(MAX_MONEY));
    assert.ok(!moneyRange(-1n));
    assert.ok(!moneyRange(MAX_MONEY + 1n));
  });

  it('FormatMoney matches Core (util_tests)', () => {
    const cases: Array<[bigint, string]> = [
      [0n, '0.00'],
      [(COIN / 10000n) * 123456789n, '12345.6789'],
      [-COIN, '-1.00'],
      [COIN * 100000000n, '100000000.00'],
      [COIN * 10000000n, '10000000.00'],
      [COIN * 100n, '100.00'],
      [COIN, '1.00'],
      [COIN / 10n, '0.10'],
      [COIN / 100n, '0.01'],
      [COIN / 1000n, '0.001'],
      [COIN / 10000000n, '0.0000001'],
      [COIN / 100000000n, '0.00000001'],
      [-(1n << 63n), '-92233720368.54775808'],
      [(1n << 63n) - 1n, '92233720368.54775807'],
    ];
    for (const [v, s] of cases) assert.equal(formatMoney(v), s, `FormatMoney(${v})`);
  });
});

describe('GetBlockSubsidy', () => {
  it('halves every 210000 blocks on mainnet and reaches 0 after 64 halvings', () => {
    const params = createChainParams('main').consensus;
    let previous = 100n * COIN;
    for (let halvings = 0; halvings < 64; halvings++) {
      const subsidy = getBlockSubsidy(halvings * params.subsidyHalvingInterval, params);
      assert.ok(subsidy <= 50n * COIN);
      assert.equal(subsidy, previous / 2n);
      previous = subsidy;
    }
    assert.equal(getBlockSubsidy(64 * params.subsidyHalvingInterval, params), 0n);
  });

  it('gives the known amounts around the first halvings', () => {
    const params = createChainParams('main').consensus;
    assert.equal(getBlockSubsidy(0, params), 50n * COIN);
    assert.equal(getBlockSubsidy(209999, params), 50n * COIN);
    assert.equal(getBlockSubsidy(210000, params), 25n * COIN);
    assert.equal(getBlockSubsidy(840000, params), 312_500_000n);
    assert.equal(getBlockSubsidy(6_930_000, params), 0n); // 33 halvings: below one satoshi
    assert.equal(getBlockSubsidy(6_929_999, params), 1n);
  });

  it('sums to just under 21 million BTC (subsidy_limit_test)', () => {
    const params = createChainParams('main').consensus;
    let sum = 0n;
    for (let height = 0; height < 14_000_000; height += 1000) {
      const subsidy = getBlockSubsidy(height, params);
      assert.ok(subsidy <= 50n * COIN);
      sum += subsidy * 1000n;
      assert.ok(moneyRange(sum));
    }
    assert.equal(sum, 2_099_999_997_690_000n);
  });

  it('uses a 150-block halving interval on regtest', () => {
    const params = createChainParams('regtest').consensus;
    assert.equal(getBlockSubsidy(149, params), 50n * COIN);
    assert.equal(getBlockSubsidy(150, params), 25n * COIN);
  });
});
