// BIP9 state machine (Core's versionbits_tests): states per period, thresholds, timeouts, min_activation_height,
// ALWAYS/NEVER_ACTIVE, statistics, getblocktemplate grouping, the block version and unknown-bit warnings,
// over BlockIndex chains built in memory.
import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { ALWAYS_ACTIVE, type BIP9Deployment, type ConsensusParams, DeploymentPos, NEVER_ACTIVE, NO_TIMEOUT } from '../../../src/consensus/params.js';
import { createChainParams } from '../../../src/kernel/chainparams.js';
import { BlockIndex } from '../../../src/node/chain.js';
import {
  ThresholdState,
  VERSIONBITS_TOP_BITS,
  VersionBitsCache,
  VersionBitsConditionChecker,
  getStateFor,
  getStateSinceHeightFor,
  getStateStatisticsFor,
  stateName,
  versionBitsCacheOf,
} from '../../../src/node/versionbits.js';
import { BlockHeader } from '../../../src/primitives/block.js';

const SIGNAL = VERSIONBITS_TOP_BITS | (1 << 28);
const NO_SIGNAL = VERSIONBITS_TOP_BITS;
const T0 = 1_600_000_000;

/** Regtest consensus with the testdummy deployment replaced by `dep` fields. */
function params(dep: Partial<BIP9Deployment>): ConsensusParams {
  const c = createChainParams('regtest').consensus;
  c.deployments[DeploymentPos.DEPLOYMENT_TESTDUMMY] = { ...c.deployments[DeploymentPos.DEPLOYMENT_TESTDUMMY]!, ...dep };
  return c;
}

/** Appends `n` blocks, `spacing` seconds apart, with versions from `version(height)`. */
function extend(tip: BlockIndex | undefined, n: number, version: (h: number) => number, spacing = 600): BlockIndex {
  let walk = tip;
  for (let i = 0; i < n; i++) {
    const height = walk ? walk.height + 1 : 0;
    const header = new BlockHeader({ version: version(height), hashPrevBlock: walk?.hash, time: T0 + height * spacing, bits: 0x207fffff, nonce: height });
    walk = new BlockIndex(header, walk);
  }
  return walk!;
}

function states(p: ConsensusParams, tip: BlockIndex, heights: number[]): string[] {
  const cache = new VersionBitsCache();
  return heights.map((h) => stateName(cache.state(tip.getAncestor(h - 1), p, DeploymentPos.DEPLOYMENT_TESTDUMMY)));
}

describe('versionbits: the BIP9 state machine', () => {
  const p = params({ startTime: 0, timeout: NO_TIMEOUT, threshold: 108, period: 144, minActivationHeight: 0 });

  it('goes DEFINED → STARTED → LOCKED_IN → ACTIVE at period boundaries with 108 of 144 signalling', () => {
    // Heights 144..251 signal (108 blocks), the rest do not.
    const tip = extend(undefined, 600, (h) => (h >= 144 && h < 252 ? SIGNAL : NO_SIGNAL));
    assert.deepEqual(states(p, tip, [0, 143, 144, 287, 288, 431, 432, 599]),
      ['defined', 'defined', 'started', 'started', 'locked_in', 'locked_in', 'active', 'active']);
  });

  it('does not lock in with 107 of 144 (the threshold is inclusive)', () => {
    const tip = extend(undefined, 450, (h) => (h >= 144 && h < 251 ? SIGNAL : NO_SIGNAL));
    assert.deepEqual(states(p, tip, [288, 432]), ['started', 'started']);
  });

  it('counts only versions with the 001 top bits', () => {
    const tip = extend(undefined, 300, (h) => (h >= 144 ? 0x50000000 | (1 << 28) : NO_SIGNAL));
    assert.deepEqual(states(p, tip, [288]), ['started']);
  });

  it('stays DEFINED while the median time past is before the start time', () => {
    const late = params({ startTime: T0 + 1000 * 600, timeout: NO_TIMEOUT, threshold: 108, period: 144 });
    const tip = extend(undefined, 1300, () => SIGNAL);
    // The MTP of height h is the time of h - 5: at 863 it is before the start, at 1007 past it.
    assert.deepEqual(states(late, tip, [864, 1008, 1152, 1296]), ['defined', 'started', 'locked_in', 'active']);
  });

  it('FAILS once the median time past reaches the timeout without lock-in', () => {
    const timed = params({ startTime: 0, timeout: T0 + 200 * 600, threshold: 108, period: 144 });
    const tip = extend(undefined, 450, () => NO_SIGNAL);
    assert.deepEqual(states(timed, tip, [144, 288, 432]), ['started', 'failed', 'failed']);
  });

  it('judges the timeout by median time past, not the block time', () => {
    // At height 287 the block time is past the timeout but the median (height 282's time) is not.
    const timed = params({ startTime: 0, timeout: T0 + 285 * 600, threshold: 108, period: 144 });
    const tip = extend(undefined, 450, () => NO_SIGNAL);
    assert.deepEqual(states(timed, tip, [288, 432]), ['started', 'failed']);
  });

  it('locks in even in the period where the timeout passes (lock-in wins)', () => {
    const timed = params({ startTime: 0, timeout: T0 + 200 * 600, threshold: 108, period: 144 });
    const tip = extend(undefined, 450, (h) => (h >= 144 ? SIGNAL : NO_SIGNAL));
    assert.deepEqual(states(timed, tip, [288, 432]), ['locked_in', 'active']);
  });

  it('holds LOCKED_IN until min_activation_height, checked at period boundaries', () => {
    const delayed = params({ startTime: 0, timeout: NO_TIMEOUT, threshold: 108, period: 144, minActivationHeight: 576 });
    const tip = extend(undefined, 800, (h) => (h >= 144 && h < 288 ? SIGNAL : NO_SIGNAL));
    assert.deepEqual(states(delayed, tip, [288, 432, 575, 576]), ['locked_in', 'locked_in', 'locked_in', 'active']);
    const later = params({ startTime: 0, timeout: NO_TIMEOUT, threshold: 108, period: 144, minActivationHeight: 577 });
    assert.deepEqual(states(later, tip, [576, 720]), ['locked_in', 'active']);
  });

  it('ALWAYS_ACTIVE is active from genesis, NEVER_ACTIVE failed, both since 0', () => {
    const tip = extend(undefined, 10, () => SIGNAL);
    for (const [start, state] of [[ALWAYS_ACTIVE, ThresholdState.ACTIVE], [NEVER_ACTIVE, ThresholdState.FAILED]] as const) {
      const q = params({ startTime: start });
      const cache = new VersionBitsCache();
      assert.equal(cache.state(undefined, q, DeploymentPos.DEPLOYMENT_TESTDUMMY), state);
      assert.equal(cache.state(tip, q, DeploymentPos.DEPLOYMENT_TESTDUMMY), state);
      assert.equal(cache.info(tip, q, DeploymentPos.DEPLOYMENT_TESTDUMMY).since, 0);
    }
  });

  it('caches one state per period, keyed by the parent of the period\'s first block', () => {
    const tip = extend(undefined, 600, (h) => (h >= 144 && h < 252 ? SIGNAL : NO_SIGNAL));
    const cache = new Map<BlockIndex | null, ThresholdState>();
    const checker = VersionBitsConditionChecker.forPos(p, DeploymentPos.DEPLOYMENT_TESTDUMMY);
    assert.equal(getStateFor(checker, tip, cache), ThresholdState.ACTIVE);
    const keys = [...cache.keys()].map((k) => (k === null ? -1 : k.height)).sort((a, b) => a - b);
    assert.deepEqual(keys, [-1, 143, 287, 431, 575]);
    // Before the start time the walk back stops at the first period whose median time is too early.
    const late = params({ startTime: T0 + 700 * 600, timeout: NO_TIMEOUT, threshold: 108, period: 144 });
    const lateCache = new Map<BlockIndex | null, ThresholdState>();
    getStateFor(VersionBitsConditionChecker.forPos(late, DeploymentPos.DEPLOYMENT_TESTDUMMY), tip, lateCache);
    assert.deepEqual([...lateCache.keys()].map((k) => k?.height).sort((a, b) => a! - b!), [575]);
    // A second lookup answers from the cache: a poisoned entry shows through.
    cache.set(tip.getAncestor(575)!, ThresholdState.FAILED);
    assert.equal(getStateFor(checker, tip, cache), ThresholdState.FAILED);
  });

  it('reports the height a state began (GetStateSinceHeightFor)', () => {
    const tip = extend(undefined, 600, (h) => (h >= 144 && h < 252 ? SIGNAL : NO_SIGNAL));
    const checker = VersionBitsConditionChecker.forPos(p, DeploymentPos.DEPLOYMENT_TESTDUMMY);
    const cache = new Map<BlockIndex | null, ThresholdState>();
    assert.equal(getStateSinceHeightFor(checker, tip.getAncestor(100), cache), 0);
    assert.equal(getStateSinceHeightFor(checker, tip.getAncestor(200), cache), 144);
    assert.equal(getStateSinceHeightFor(checker, tip.getAncestor(300), cache), 288);
    assert.equal(getStateSinceHeightFor(checker, tip.getAncestor(598), cache), 432);
  });
});

describe('versionbits: statistics and getdeploymentinfo', () => {
  const p = params({ startTime: 0, timeout: NO_TIMEOUT, threshold: 108, period: 144 });
  const checker = VersionBitsConditionChecker.forPos(p, DeploymentPos.DEPLOYMENT_TESTDUMMY);

  it('counts the period so far and marks the signalling blocks oldest first', () => {
    // Period 144..287: heights 144 and 146 signal.
    const tip = extend(undefined, 148, (h) => (h === 144 || h === 146 ? SIGNAL : NO_SIGNAL));
    const signalling: boolean[] = [true, true, true, true, true, true, true, true];
    const stats = getStateStatisticsFor(checker, tip, signalling);
    assert.deepEqual(stats, { period: 144, threshold: 108, elapsed: 4, count: 2, possible: true });
    assert.deepEqual(signalling, [true, false, true, false]);
  });

  it('possible turns false once too many blocks did not signal', () => {
    const base = extend(undefined, 144, () => NO_SIGNAL);
    const at36 = extend(base, 36, () => NO_SIGNAL); // 36 misses: 144 - 108 = 36 still possible
    assert.equal(getStateStatisticsFor(checker, at36).possible, true);
    const at37 = extend(at36, 1, () => NO_SIGNAL);
    assert.equal(getStateStatisticsFor(checker, at37).possible, false);
  });

  it('info(): states, since, stats only while signalling matters, active_since', () => {
    const tip = extend(undefined, 600, (h) => (h >= 144 && h < 252 ? SIGNAL : NO_SIGNAL));
    const cache = new VersionBitsCache();
    const at = (h: number) => cache.info(tip.getAncestor(h)!, p, DeploymentPos.DEPLOYMENT_TESTDUMMY);

    const defined = at(100);
    assert.deepEqual([defined.currentState, defined.nextState, defined.since, defined.stats, defined.activeSince], ['defined', 'defined', 0, undefined, undefined]);
    assert.deepEqual(defined.signallingBlocks, []);

    const started = at(145);
    assert.deepEqual([started.currentState, started.since], ['started', 144]);
    assert.deepEqual(started.stats, { period: 144, threshold: 108, elapsed: 2, count: 2, possible: true });
    assert.deepEqual(started.signallingBlocks, [true, true]);

    const lockedIn = at(300);
    assert.equal(lockedIn.currentState, 'locked_in');
    assert.equal(lockedIn.stats!.threshold, 0);
    assert.equal(lockedIn.stats!.possible, false);
    assert.equal(lockedIn.activeSince, undefined);

    const lastLocked = at(431);
    assert.deepEqual([lastLocked.currentState, lastLocked.nextState, lastLocked.activeSince], ['locked_in', 'active', 432]);

    const active = at(500);
    assert.deepEqual([active.currentState, active.since, active.activeSince, active.stats], ['active', 432, 432, undefined]);
  });
});

describe('versionbits: block version, getblocktemplate status, warnings', () => {
  it('ComputeBlockVersion sets the bit while STARTED or LOCKED_IN only', () => {
    const p = params({ startTime: 0, timeout: NO_TIMEOUT, threshold: 108, period: 144 });
    const tip = extend(undefined, 600, (h) => (h >= 144 && h < 252 ? SIGNAL : NO_SIGNAL));
    const cache = new VersionBitsCache();
    const v = (h: number) => cache.computeBlockVersion(tip.getAncestor(h), p);
    assert.equal(v(100), 0x20000000);
    assert.equal(v(200), 0x30000000);
    assert.equal(v(300), 0x30000000);
    assert.equal(v(500), 0x20000000);
    assert.equal(cache.computeBlockVersion(undefined, p), 0x20000000);
  });

  it('regtest defaults: testdummy starts signalling after the first 144 blocks', () => {
    const regtest = createChainParams('regtest').consensus;
    const tip = extend(undefined, 200, () => NO_SIGNAL);
    const cache = new VersionBitsCache();
    assert.equal(cache.computeBlockVersion(tip.getAncestor(142), regtest), 0x20000000);
    assert.equal(cache.computeBlockVersion(tip.getAncestor(143), regtest), 0x30000000);
  });

  it('gbtStatus groups deployments by state with bit, mask and optional flag', () => {
    const p = params({ startTime: 0, timeout: NO_TIMEOUT, threshold: 108, period: 144 });
    const tip = extend(undefined, 600, (h) => (h >= 144 && h < 252 ? SIGNAL : NO_SIGNAL));
    const cache = new VersionBitsCache();
    const names = (h: number) => {
      const s = cache.gbtStatus(tip.getAncestor(h)!, p);
      return [[...s.signalling.keys()], [...s.lockedIn.keys()], [...s.active.keys()]];
    };
    assert.deepEqual(names(100), [[], [], []]);
    assert.deepEqual(names(200), [['testdummy'], [], []]);
    assert.deepEqual(names(300), [[], ['testdummy'], []]);
    assert.deepEqual(names(500), [[], [], ['testdummy']]);
    assert.deepEqual(cache.gbtStatus(tip.getAncestor(200)!, p).signalling.get('testdummy'), { bit: 28, mask: 0x10000000, gbtOptionalRule: true });
  });

  it('CheckUnknownActivations: 75% of a regtest period on an unknown bit locks in, then activates', () => {
    const chain = createChainParams('regtest');
    const unknown = VERSIONBITS_TOP_BITS | (1 << 3);
    const tip = extend(undefined, 600, (h) => (h >= 144 && h < 252 ? unknown : NO_SIGNAL));
    const cache = new VersionBitsCache();
    assert.deepEqual(cache.checkUnknownActivations(tip.getAncestor(200), chain), []);
    assert.deepEqual(cache.checkUnknownActivations(tip.getAncestor(300), chain), [{ bit: 3, active: false }]);
    assert.deepEqual(cache.checkUnknownActivations(tip.getAncestor(500), chain), [{ bit: 3, active: true }]);
  });

  it('CheckUnknownActivations ignores bits our own deployments set', () => {
    const chain = createChainParams('regtest');
    const unknown = VERSIONBITS_TOP_BITS | (1 << 3);
    const tip = extend(undefined, 600, (h) => (h >= 144 && h < 252 ? unknown : NO_SIGNAL));
    // With testdummy moved to bit 3 (STARTED from height 144), those blocks signal a known deployment.
    chain.consensus.deployments[DeploymentPos.DEPLOYMENT_TESTDUMMY] = { ...chain.consensus.deployments[0]!, bit: 3 };
    assert.deepEqual(new VersionBitsCache().checkUnknownActivations(tip, chain), []);
  });

  it('versionBitsCacheOf: the chainstate\'s own cache, else one per object', () => {
    const own = new VersionBitsCache();
    assert.equal(versionBitsCacheOf({ versionBitsCache: own }), own);
    const a = {};
    const b = {};
    assert.equal(versionBitsCacheOf(a), versionBitsCacheOf(a));
    assert.notEqual(versionBitsCacheOf(a), versionBitsCacheOf(b));
  });
});
