// Compact targets (Core's arith_uint256_tests), CheckProofOfWork and retargeting (Core's pow_tests, real mainnet facts).

import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import type { ChainEntry } from '../../../src/consensus/chain_entry.js';
import { difficultyAdjustmentInterval } from '../../../src/consensus/params.js';
import {
  bigIntToUint256,
  calculateNextWorkRequired,
  checkProofOfWork,
  deriveTarget,
  getBlockProof,
  getCompact,
  getNextWorkRequired,
  permittedDifficultyTransition,
  setCompact,
  uint256Hex,
  uint256ToBigInt,
} from '../../../src/consensus/pow.js';
import { createChainParams } from '../../../src/kernel/chainparams.js';

const main = createChainParams('main').consensus;

function entry(height: number, time: number, bits: number, prev?: ChainEntry): ChainEntry {
  return { height, time, bits, prev };
}

/** A chain of `count` entries starting at `height0`, each `spacing` seconds apart, with bits from `bitsAt`. */
function buildChain(count: number, height0: number, time0: number, spacing: number, bitsAt: (h: number) => number): ChainEntry {
  let tip: ChainEntry | undefined;
  for (let i = 0; i < count; i++) tip = entry(height0 + i, time0 + i * spacing, bitsAt(height0 + i), tip);
  return tip!;
}

describe('compact bits (arith_uint256_tests)', () => {
  const zeroes = [0x00000000, 0x00123456, 0x01003456, 0x02000056, 0x03000000, 0x04000000, 0x00923456, 0x01803456, 0x02800056, 0x03800000, 0x04800000];
  for (const c of zeroes) {
    it(`SetCompact(0x${c.toString(16).padStart(8, '0')}) is zero and round-trips to 0`, () => {
      const d = setCompact(c);
      assert.equal(d.target, 0n);
      assert.equal(getCompact(d.target), 0);
      assert.equal(d.negative, false);
      assert.equal(d.overflow, false);
    });
  }

  const cases: Array<[number, string, number, boolean]> = [
    [0x01123456, '0000000000000000000000000000000000000000000000000000000000000012', 0x01120000, false],
    [0x01fedcba, '000000000000000000000000000000000000000000000000000000000000007e', 0x01fe0000, true],
    [0x02123456, '0000000000000000000000000000000000000000000000000000000000001234', 0x02123400, false],
    [0x03123456, '0000000000000000000000000000000000000000000000000000000000123456', 0x03123456, false],
    [0x04123456, '0000000000000000000000000000000000000000000000000000000012345600', 0x04123456, false],
    [0x04923456, '0000000000000000000000000000000000000000000000000000000012345600', 0x04923456, true],
    [0x05009234, '0000000000000000000000000000000000000000000000000000000092340000', 0x05009234, false],
    [0x20123456, '1234560000000000000000000000000000000000000000000000000000000000', 0x20123456, false],
  ];
  for (const [compact, hex, back, negative] of cases) {
    it(`SetCompact(0x${compact.toString(16)}) = ${hex.replace(/^0+/, '')}`, () => {
      const d = setCompact(compact);
      assert.equal(uint256Hex(d.target), hex);
      assert.equal(getCompact(d.target, negative), back);
      assert.equal(d.negative, negative);
      assert.equal(d.overflow, false);
    });
  }

  it('never produces a compact with the 0x00800000 bit set', () => {
    assert.equal(getCompact(0x80n), 0x02008000);
  });

  it('flags overflow for 0xff123456', () => {
    const d = setCompact(0xff123456);
    assert.equal(d.negative, false);
    assert.equal(d.overflow, true);
  });

  it('round-trips the pow limits of all chains', () => {
    assert.equal(getCompact(main.powLimit), 0x1d00ffff);
    assert.equal(getCompact(createChainParams('regtest').consensus.powLimit), 0x207fffff);
    assert.equal(getCompact(createChainParams('signet').consensus.powLimit), 0x1e0377ae);
  });
});

describe('uint256 <-> bigint', () => {
  it('reads 32 little-endian bytes at any offset, as the hex reading does', () => {
    const backing = new Uint8Array(40);
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < backing.length; i++) backing[i] = (i * 97 + round * 31 + (round * i) % 7) & 0xff;
      if (round === 0) backing.fill(0xff);
      if (round === 1) backing.fill(0);
      const offset = round % 9;
      const bytes = backing.subarray(offset, offset + 32);
      const expected = BigInt(`0x${Buffer.from(bytes).reverse().toString('hex')}`);
      assert.equal(uint256ToBigInt(bytes), expected);
      assert.deepEqual(bigIntToUint256(expected), Uint8Array.from(bytes));
    }
    assert.throws(() => uint256ToBigInt(new Uint8Array(31)), RangeError);
  });
});

describe('CheckProofOfWork (pow_tests)', () => {
  const one = bigIntToUint256(1n);
  it('rejects a negative target', () => {
    assert.equal(checkProofOfWork(one, getCompact(main.powLimit, true), main), false);
  });
  it('rejects an overflowing target', () => {
    assert.equal(checkProofOfWork(one, ~0x00800000 >>> 0, main), false);
  });
  it('rejects a target easier than the pow limit', () => {
    assert.equal(checkProofOfWork(one, getCompact(main.powLimit * 2n), main), false);
  });
  it('rejects a hash above the target', () => {
    const bits = getCompact(main.powLimit);
    assert.equal(checkProofOfWork(bigIntToUint256(main.powLimit * 2n), bits, main), false);
    const target = setCompact(bits).target;
    assert.equal(checkProofOfWork(bigIntToUint256(target), bits, main), true);
    assert.equal(checkProofOfWork(bigIntToUint256(target + 1n), bits, main), false);
  });
  it('rejects a zero target', () => {
    assert.equal(checkProofOfWork(bigIntToUint256(0n), getCompact(0n), main), false);
  });
  it('deriveTarget follows the same range rules', () => {
    assert.equal(deriveTarget(0x1d00ffff, main.powLimit), 0xffffn << 208n);
    assert.equal(deriveTarget(0x1d01ffff, main.powLimit), undefined);
    assert.equal(deriveTarget(0x01803456, main.powLimit), undefined);
  });
  it('deriveTarget and getBlockProof give the same answers when asked again (their last result is kept)', () => {
    const regtestLimit = createChainParams('regtest').consensus.powLimit;
    for (let i = 0; i < 2; i++) {
      assert.equal(deriveTarget(0x207fffff, regtestLimit), 0x7fffffn << 232n);
      assert.equal(deriveTarget(0x207fffff, regtestLimit), 0x7fffffn << 232n);
      assert.equal(deriveTarget(0x207fffff, main.powLimit), undefined, 'the same nBits under another limit');
      assert.equal(deriveTarget(0x1d00ffff, main.powLimit), 0xffffn << 208n);
      assert.equal(getBlockProof(0x207fffff), 2n);
      assert.equal(getBlockProof(0x207fffff), 2n);
      assert.equal(getBlockProof(0x1d00ffff), 0x100010001n);
    }
  });
  it('getBlockProof is 2^256 / (target + 1)', () => {
    assert.equal(getBlockProof(0x1d00ffff), 0x100010001n);
    assert.equal(getBlockProof(0x207fffff), 2n);
    assert.equal(getBlockProof(0), 0n);
  });
});

describe('CalculateNextWorkRequired (pow_tests, mainnet)', () => {
  const cases: Array<[string, number, number, number, number, number]> = [
    // name, last retarget time, height, time, bits, expected
    ['no constraint (block #32255)', 1261130161, 32255, 1262152739, 0x1d00ffff, 0x1d00d86a],
    ['pow limit (block #2015)', 1231006505, 2015, 1233061996, 0x1d00ffff, 0x1d00ffff],
    ['lower limit of actual time (block #68543)', 1279008237, 68543, 1279297671, 0x1c05a3f4, 0x1c0168fd],
    ['upper limit of actual time (block #46367)', 1263163443, 46367, 1269211443, 0x1c387f6f, 0x1d00e1fd],
  ];
  for (const [name, first, height, time, bits, expected] of cases) {
    it(name, () => {
      const last = entry(height, time, bits);
      assert.equal(calculateNextWorkRequired(last, first, main), expected);
      assert.ok(permittedDifficultyTransition(main, height + 1, bits, expected));
    });
  }
  it('refuses transitions beyond the factor-4 limits', () => {
    assert.ok(!permittedDifficultyTransition(main, 68544, 0x1c05a3f4, 0x1c0168fd - 1));
    assert.ok(!permittedDifficultyTransition(main, 46368, 0x1c387f6f, 0x1d00e1fd + 1));
    // Between retargets nBits may not change at all.
    assert.ok(!permittedDifficultyTransition(main, 46367, 0x1c387f6f, 0x1c387f6e));
    assert.ok(permittedDifficultyTransition(main, 46367, 0x1c387f6f, 0x1c387f6f));
  });
});

describe('GetNextWorkRequired on constructed header chains', () => {
  it('mainnet keeps nBits inside a period and retargets at its end', () => {
    const interval = difficultyAdjustmentInterval(main);
    assert.equal(interval, 2016);
    // Blocks 30240..32255 at the real start and end times of that period (see get_next_work above).
    const span = 1262152739 - 1261130161;
    let tip: ChainEntry | undefined;
    for (let h = 30240; h <= 32255; h++) {
      const t = h === 32255 ? 1262152739 : 1261130161 + Math.floor(((h - 30240) * span) / 2015);
      tip = entry(h, t, 0x1d00ffff, tip);
    }
    assert.equal(getNextWorkRequired(tip!, 1262153464, main), 0x1d00d86a);
    assert.equal(getNextWorkRequired(tip!.prev!, 1262153464, main), 0x1d00ffff);
  });

  it('testnet3 allows a min-difficulty block after 20 minutes and otherwise restores the real difficulty', () => {
    const test = createChainParams('test').consensus;
    const limit = getCompact(test.powLimit);
    // Height 4032 starts a period at 0x1c0fffff; then two min-difficulty blocks follow.
    const tip = buildChain(3, 4032, 1_400_000_000, 1300, (h) => (h === 4032 ? 0x1c0fffff : limit));
    assert.equal(getNextWorkRequired(tip, tip.time + 1201, test), limit);
    assert.equal(getNextWorkRequired(tip, tip.time + 1200, test), 0x1c0fffff);
  });

  it('regtest never retargets', () => {
    const regtest = createChainParams('regtest').consensus;
    const interval = difficultyAdjustmentInterval(regtest);
    assert.equal(interval, 144);
    const tip = buildChain(interval, 0, 1296688602, 1, () => 0x207fffff);
    assert.equal(tip.height + 1, interval);
    assert.equal(getNextWorkRequired(tip, tip.time + 1, regtest), 0x207fffff);
  });

  it('testnet4 (BIP94) retargets from the first block of the period, not a min-difficulty last block', () => {
    const t4 = createChainParams('testnet4').consensus;
    const limit = getCompact(t4.powLimit);
    const first = 0x1c00ffff;
    // A whole period exactly on schedule whose last block used the min-difficulty exception.
    const tip = buildChain(2016, 2016, 1_714_800_000, 600, (h) => (h === 2016 ? first : h === 4031 ? limit : first));
    const next = getNextWorkRequired(tip, tip.time + 600, t4);
    // 2015 intervals of 600 s against a 2016-interval timespan.
    const expected = getCompact((setCompact(first).target * BigInt(2015 * 600)) / BigInt(2016 * 600));
    assert.equal(next, expected);
    // Without BIP94 the min-difficulty last block would have set the base.
    const test3 = createChainParams('test').consensus;
    const fromLimit = getCompact((setCompact(limit).target * BigInt(2015 * 600)) / BigInt(2016 * 600));
    assert.equal(getNextWorkRequired(tip, tip.time + 600, test3), fromLimit);
    assert.notEqual(fromLimit, expected);
  });
});
