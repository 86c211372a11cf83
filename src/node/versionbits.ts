// BIP9 version-bits deployments (Core's versionbits.cpp): the per-period state machine, its cache keyed by block
// index entries, the statistics getdeploymentinfo shows, the rules getblocktemplate lists, and the block version
// a miner should use.
import type { ChainParams } from '../kernel/chainparams.js';
import { VERSION_BITS_DEPLOYMENT_INFO } from '../kernel/chainparams.js';
import {
  ALWAYS_ACTIVE,
  type BIP9Deployment,
  type ConsensusParams,
  type DeploymentPos,
  MAX_VERSION_BITS_DEPLOYMENTS,
  NEVER_ACTIVE,
  difficultyAdjustmentInterval,
} from '../consensus/params.js';
import type { BlockIndex } from './chain.js';

/** Block version for new blocks before version bits. */
export const VERSIONBITS_LAST_OLD_BLOCK_VERSION = 4;
/** The top bits a version-bits block sets (001 in the top three). */
export const VERSIONBITS_TOP_BITS = 0x20000000;
/** Mask of the top three bits that mark a version-bits version (as an int32). */
export const VERSIONBITS_TOP_MASK = 0xe0000000 | 0;
/** Bits watched for unknown deployments (BIP 323 leaves the others to miners). */
export const VERSIONBITS_NUM_BITS = 5;

/** A deployment's state for one period; every block of a period shares it. */
export enum ThresholdState {
  DEFINED,
  STARTED,
  LOCKED_IN,
  ACTIVE,
  FAILED,
}

const STATE_NAMES = ['defined', 'started', 'locked_in', 'active', 'failed'] as const;

/** Core's StateName: the lower-case name RPCs print. */
export function stateName(state: ThresholdState): string {
  return STATE_NAMES[state];
}

/**
 * Cached states, keyed by the parent of each period's first block (so by entries whose height + 1 is a multiple of
 * the period); `null` stands for the genesis block's missing parent.
 */
export type ThresholdConditionCache = Map<BlockIndex | null, ThresholdState>;

/** What the threshold logic asks of a deployment (Core's AbstractThresholdConditionChecker). */
export interface ThresholdConditionChecker {
  condition(index: BlockIndex): boolean;
  beginTime(): number;
  endTime(): number;
  minActivationHeight(): number;
  period(): number;
  threshold(): number;
}

/** Counting in the period that contains a block (Core's BIP9Stats). */
export interface BIP9Stats {
  period: number;
  threshold: number;
  /** Blocks of the period up to and including the block. */
  elapsed: number;
  /** Of those, how many signalled. */
  count: number;
  /** Whether enough blocks remain for the threshold to be reached. */
  possible: boolean;
}

/** The getdeploymentinfo view of one deployment at a block (Core's BIP9Info). */
export interface BIP9Info {
  /** Height of the first block with the current state. */
  since: number;
  currentState: string;
  nextState: string;
  /** Only while signalling matters (started, locked_in). */
  stats?: BIP9Stats;
  /** Which blocks of the period signalled, oldest first; empty when signalling does not apply. */
  signallingBlocks: boolean[];
  /** Height from which the deployment is (or will be) active, when known. */
  activeSince?: number;
}

/** One deployment as getblocktemplate reports it. */
export interface GBTDeploymentInfo {
  bit: number;
  mask: number;
  gbtOptionalRule: boolean;
}

/** Deployments by name, grouped by their state at the block after the given one (Core's BIP9GBTStatus). */
export interface BIP9GBTStatus {
  signalling: Map<string, GBTDeploymentInfo>;
  lockedIn: Map<string, GBTDeploymentInfo>;
  active: Map<string, GBTDeploymentInfo>;
}

/** Core's period start: the parent of the first block of the period that the block after `prev` belongs to. */
function periodParent(prev: BlockIndex, period: number): BlockIndex | undefined {
  return prev.getAncestor(prev.height - ((prev.height + 1) % period));
}

/** Core's GetStateFor: the state of the block after `prev` (undefined: the genesis block), computed per period. */
export function getStateFor(checker: ThresholdConditionChecker, prev: BlockIndex | undefined, cache: ThresholdConditionCache): ThresholdState {
  const start = checker.beginTime();
  if (start === ALWAYS_ACTIVE) return ThresholdState.ACTIVE;
  if (start === NEVER_ACTIVE) return ThresholdState.FAILED;
  const period = checker.period();

  let walk: BlockIndex | null = prev ? periodParent(prev, period) ?? null : null;
  // Walk back a period at a time until a known state (or the start of the chain, or a time before the start).
  const toCompute: BlockIndex[] = [];
  while (!cache.has(walk)) {
    if (walk === null) {
      cache.set(null, ThresholdState.DEFINED);
      break;
    }
    if (walk.getMedianTimePast() < start) {
      // Every earlier period is before the start time too.
      cache.set(walk, ThresholdState.DEFINED);
      break;
    }
    toCompute.push(walk);
    walk = walk.getAncestor(walk.height - period) ?? null;
  }

  let state = cache.get(walk)!;
  while (toCompute.length > 0) {
    const entry = toCompute.pop()!;
    state = nextState(checker, entry, state);
    cache.set(entry, state);
  }
  return state;
}

/** One period's transition, decided at `entry`, the last block of the period before. */
function nextState(checker: ThresholdConditionChecker, entry: BlockIndex, state: ThresholdState): ThresholdState {
  switch (state) {
    case ThresholdState.DEFINED:
      return entry.getMedianTimePast() >= checker.beginTime() ? ThresholdState.STARTED : state;
    case ThresholdState.STARTED: {
      let count = 0;
      let walk: BlockIndex | undefined = entry;
      for (let i = 0; i < checker.period() && walk; i++, walk = walk.prev) {
        if (checker.condition(walk)) count++;
      }
      if (count >= checker.threshold()) return ThresholdState.LOCKED_IN;
      if (entry.getMedianTimePast() >= checker.endTime()) return ThresholdState.FAILED;
      return state;
    }
    case ThresholdState.LOCKED_IN:
      // Activation waits for min_activation_height, checked only at period boundaries.
      return entry.height + 1 >= checker.minActivationHeight() ? ThresholdState.ACTIVE : state;
    case ThresholdState.ACTIVE:
    case ThresholdState.FAILED:
      return state;
  }
}

/**
 * Core's GetStateStatisticsFor: the signalling count in the period containing `index`, up to it. With `signalling`,
 * also which of those blocks signalled (oldest first).
 */
export function getStateStatisticsFor(checker: ThresholdConditionChecker, index: BlockIndex | undefined, signalling?: boolean[]): BIP9Stats {
  const stats: BIP9Stats = { period: checker.period(), threshold: checker.threshold(), elapsed: 0, count: 0, possible: false };
  if (!index) return stats;
  let blocksInPeriod = 1 + (index.height % stats.period);
  if (signalling) signalling.splice(0, signalling.length, ...new Array<boolean>(blocksInPeriod).fill(false));
  let walk: BlockIndex | undefined = index;
  while (blocksInPeriod > 0 && walk) {
    stats.elapsed++;
    blocksInPeriod--;
    if (checker.condition(walk)) {
      stats.count++;
      if (signalling) signalling[blocksInPeriod] = true;
    }
    walk = walk.prev;
  }
  stats.possible = stats.period - stats.threshold >= stats.elapsed - stats.count;
  return stats;
}

/** Core's GetStateSinceHeightFor: the height of the first block that had the state of the block after `prev`. */
export function getStateSinceHeightFor(checker: ThresholdConditionChecker, prev: BlockIndex | undefined, cache: ThresholdConditionCache): number {
  const start = checker.beginTime();
  if (start === ALWAYS_ACTIVE || start === NEVER_ACTIVE) return 0;
  const initial = getStateFor(checker, prev, cache);
  // BIP9: the genesis block is DEFINED, so DEFINED has always been the state since 0.
  if (initial === ThresholdState.DEFINED || !prev) return 0;
  const period = checker.period();
  let walk = periodParent(prev, period)!;
  let previousPeriodParent = walk.getAncestor(walk.height - period);
  while (previousPeriodParent && getStateFor(checker, previousPeriodParent, cache) === initial) {
    walk = previousPeriodParent;
    previousPeriodParent = walk.getAncestor(walk.height - period);
  }
  return walk.height + 1;
}

/** Whether a block version signals on `bit`: the version-bits top bits and the bit itself. */
export function versionSignals(version: number, bit: number): boolean {
  return (version & VERSIONBITS_TOP_MASK) === VERSIONBITS_TOP_BITS && ((version >>> bit) & 1) !== 0;
}

/** Core's VersionBitsConditionChecker: a BIP9 deployment from the consensus parameters. */
export class VersionBitsConditionChecker implements ThresholdConditionChecker {
  constructor(private readonly dep: BIP9Deployment) {}

  static forPos(params: ConsensusParams, pos: DeploymentPos): VersionBitsConditionChecker {
    return new VersionBitsConditionChecker(params.deployments[pos]!);
  }

  beginTime(): number {
    return this.dep.startTime;
  }

  endTime(): number {
    return this.dep.timeout;
  }

  minActivationHeight(): number {
    return this.dep.minActivationHeight;
  }

  period(): number {
    return this.dep.period;
  }

  threshold(): number {
    return this.dep.threshold;
  }

  /** The version bit as a uint32 mask. */
  mask(): number {
    return (1 << this.dep.bit) >>> 0;
  }

  condition(index: BlockIndex): boolean {
    return versionSignals(index.version, this.dep.bit);
  }
}

/**
 * Unknown deployments seen on the network (Core's WarningBitsConditionChecker): a bit set by 90% of a 2016-block
 * period (75% of a retarget period on test chains) that our own deployments would not set.
 */
class WarningBitsConditionChecker implements ThresholdConditionChecker {
  private readonly periodBlocks: number;
  private readonly thresholdBlocks: number;

  constructor(
    private readonly chainParams: ChainParams,
    private readonly caches: ThresholdConditionCache[],
    private readonly bit: number,
  ) {
    this.periodBlocks = chainParams.isTestChain ? difficultyAdjustmentInterval(chainParams.consensus) : 2016;
    this.thresholdBlocks = chainParams.isTestChain ? Math.trunc((this.periodBlocks * 3) / 4) : 1815;
  }

  beginTime(): number {
    return 0;
  }

  endTime(): number {
    return Number.MAX_SAFE_INTEGER;
  }

  minActivationHeight(): number {
    return 0;
  }

  period(): number {
    return this.periodBlocks;
  }

  threshold(): number {
    return this.thresholdBlocks;
  }

  condition(index: BlockIndex): boolean {
    const params = this.chainParams.consensus;
    return index.height >= params.MinBIP9WarningHeight
      && versionSignals(index.version, this.bit)
      && ((computeBlockVersionWith(index.prev, params, this.caches) >>> this.bit) & 1) === 0;
  }
}

function computeBlockVersionWith(prev: BlockIndex | undefined, params: ConsensusParams, caches: ThresholdConditionCache[]): number {
  let version = VERSIONBITS_TOP_BITS;
  for (let pos = 0; pos < MAX_VERSION_BITS_DEPLOYMENTS; pos++) {
    const checker = VersionBitsConditionChecker.forPos(params, pos);
    const state = getStateFor(checker, prev, caches[pos]!);
    if (state === ThresholdState.LOCKED_IN || state === ThresholdState.STARTED) version |= checker.mask();
  }
  return version;
}

/**
 * Core's VersionBitsCache: per-deployment state caches (and per-bit warning caches). Entries are keyed by block
 * index objects, which live as long as the block index; clear() after the block index is unloaded.
 */
export class VersionBitsCache {
  private readonly caches: ThresholdConditionCache[] = newCaches(MAX_VERSION_BITS_DEPLOYMENTS);
  private readonly warningCaches: ThresholdConditionCache[] = newCaches(VERSIONBITS_NUM_BITS);

  /** The state of deployment `pos` for the block after `prev`. */
  state(prev: BlockIndex | undefined, params: ConsensusParams, pos: DeploymentPos): ThresholdState {
    return getStateFor(VersionBitsConditionChecker.forPos(params, pos), prev, this.caches[pos]!);
  }

  /** Whether deployment `pos` is active for the block after `prev`. */
  isActiveAfter(prev: BlockIndex | undefined, params: ConsensusParams, pos: DeploymentPos): boolean {
    return this.state(prev, params, pos) === ThresholdState.ACTIVE;
  }

  /** The nVersion a new block on `prev` should carry: the top bits plus the bits of started or locked-in deployments. */
  computeBlockVersion(prev: BlockIndex | undefined, params: ConsensusParams): number {
    return computeBlockVersionWith(prev, params, this.caches);
  }

  /** The getdeploymentinfo bip9 details of deployment `pos` at `index`. */
  info(index: BlockIndex, params: ConsensusParams, pos: DeploymentPos): BIP9Info {
    const checker = VersionBitsConditionChecker.forPos(params, pos);
    const cache = this.caches[pos]!;
    const current = getStateFor(checker, index.prev, cache);
    const next = getStateFor(checker, index, cache);
    const result: BIP9Info = {
      since: getStateSinceHeightFor(checker, index.prev, cache),
      currentState: stateName(current),
      nextState: stateName(next),
      signallingBlocks: [],
    };
    if (current === ThresholdState.STARTED || current === ThresholdState.LOCKED_IN) {
      result.stats = getStateStatisticsFor(checker, index, result.signallingBlocks);
      // Once locked in, nothing is counted any more.
      if (current === ThresholdState.LOCKED_IN) {
        result.stats.threshold = 0;
        result.stats.possible = false;
      }
    }
    if (current === ThresholdState.ACTIVE) result.activeSince = result.since;
    else if (next === ThresholdState.ACTIVE) result.activeSince = index.height + 1;
    return result;
  }

  /** Deployments for the block after `index`, as getblocktemplate groups them. DEFINED and FAILED are not shown. */
  gbtStatus(index: BlockIndex, params: ConsensusParams): BIP9GBTStatus {
    const status: BIP9GBTStatus = { signalling: new Map(), lockedIn: new Map(), active: new Map() };
    for (let pos = 0; pos < MAX_VERSION_BITS_DEPLOYMENTS; pos++) {
      const checker = VersionBitsConditionChecker.forPos(params, pos);
      const info = VERSION_BITS_DEPLOYMENT_INFO[pos]!;
      const entry: GBTDeploymentInfo = { bit: params.deployments[pos]!.bit, mask: checker.mask(), gbtOptionalRule: info.gbtOptionalRule };
      const state = getStateFor(checker, index, this.caches[pos]!);
      if (state === ThresholdState.STARTED) status.signalling.set(info.name, entry);
      else if (state === ThresholdState.LOCKED_IN) status.lockedIn.set(info.name, entry);
      else if (state === ThresholdState.ACTIVE) status.active.set(info.name, entry);
    }
    return status;
  }

  /** Core's CheckUnknownActivations: bits that unknown deployments locked in (active = false) or activated (true). */
  checkUnknownActivations(index: BlockIndex | undefined, chainParams: ChainParams): Array<{ bit: number; active: boolean }> {
    const found: Array<{ bit: number; active: boolean }> = [];
    for (let bit = 0; bit < VERSIONBITS_NUM_BITS; bit++) {
      const checker = new WarningBitsConditionChecker(chainParams, this.caches, bit);
      const state = getStateFor(checker, index, this.warningCaches[bit]!);
      if (state === ThresholdState.ACTIVE || state === ThresholdState.LOCKED_IN) found.push({ bit, active: state === ThresholdState.ACTIVE });
    }
    return found;
  }

  clear(): void {
    for (const c of this.caches) c.clear();
    for (const c of this.warningCaches) c.clear();
  }
}

function newCaches(n: number): ThresholdConditionCache[] {
  return Array.from({ length: n }, () => new Map());
}

/** Where a chainstate keeps its cache (Core's ChainstateManager::m_versionbitscache). */
export interface HasVersionBitsCache {
  readonly versionBitsCache?: VersionBitsCache;
}

// Chainstates that do not carry their own cache get one here, tied to the object's lifetime.
const attachedCaches = new WeakMap<object, VersionBitsCache>();

/** The chainstate's version-bits cache: its own when it has one, else one kept alongside it. */
export function versionBitsCacheOf(chainman: HasVersionBitsCache & object): VersionBitsCache {
  if (chainman.versionBitsCache) return chainman.versionBitsCache;
  let cache = attachedCaches.get(chainman);
  if (!cache) {
    cache = new VersionBitsCache();
    attachedCaches.set(chainman, cache);
  }
  return cache;
}
