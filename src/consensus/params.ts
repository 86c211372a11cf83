// Consensus parameters of a chain (Core's consensus/params.h): buried and BIP9 deployments, PoW settings.

/**
 * Soft forks whose activation height is hard-coded (BIP 90). Core gives them negative values so they
 * never overlap the version-bits positions; the string values here are Core's deployment names.
 */
export enum BuriedDeployment {
  DEPLOYMENT_HEIGHTINCB = 'bip34',
  DEPLOYMENT_CLTV = 'bip65',
  DEPLOYMENT_DERSIG = 'bip66',
  DEPLOYMENT_CSV = 'csv',
  DEPLOYMENT_SEGWIT = 'segwit',
}

/**
 * Version-bits deployments, in Core's DeploymentPos order. Taproot is no longer one: Core enforces its rules
 * from genesis (with a script-flag exception for the one mainnet block that breaks them).
 */
export enum DeploymentPos {
  DEPLOYMENT_TESTDUMMY = 0,
}
export const MAX_VERSION_BITS_DEPLOYMENTS = 1;

/** One BIP9 deployment. Times are median-time-past seconds. */
export interface BIP9Deployment {
  /** Which nVersion bit signals this deployment. */
  bit: number;
  /** Median time past from which signalling counts (or ALWAYS_ACTIVE / NEVER_ACTIVE). */
  startTime: number;
  /** Median time past at which an attempt that has not locked in fails. */
  timeout: number;
  /** Earliest height at which a locked-in deployment may become active (checked at period boundaries). */
  minActivationHeight: number;
  /** Length in blocks of each signalling window. */
  period: number;
  /** Minimum number of signalling blocks in a period for lock-in. */
  threshold: number;
}

/** A timeout that never arrives (Core uses INT64_MAX). */
export const NO_TIMEOUT = Number.MAX_SAFE_INTEGER;
/** Start time marking a deployment that is active from genesis. */
export const ALWAYS_ACTIVE = -1;
/** Start time marking a deployment that can never activate. */
export const NEVER_ACTIVE = -2;

/** The consensus settings of one chain. Hashes are 32 bytes in internal (little-endian) order. */
export interface ConsensusParams {
  hashGenesisBlock: Uint8Array;
  subsidyHalvingInterval: number;
  /**
   * Blocks known to be valid and buried that fail with the default script flags: display-hex block
   * hash -> the script verification flags to use for that block instead.
   */
  scriptFlagExceptions: ReadonlyMap<string, number>;
  /** First block (height, then hash) that enforces BIP34. */
  BIP34Height: number;
  BIP34Hash: Uint8Array;
  /** First height enforcing BIP65 (CHECKLOCKTIMEVERIFY). */
  BIP65Height: number;
  /** First height enforcing BIP66 (strict DER). */
  BIP66Height: number;
  /** First height enforcing the CSV bundle: BIP68, BIP112, BIP113. */
  CSVHeight: number;
  /** First height enforcing segwit: BIP141, BIP143, BIP147. */
  SegwitHeight: number;
  /** Unknown version-bits signalling is not warned about before this height. */
  MinBIP9WarningHeight: number;
  /** Indexed by DeploymentPos. */
  deployments: BIP9Deployment[];
  /** Mining difficulty settings from here on. */
  powLimit: bigint;
  powAllowMinDifficultyBlocks: boolean;
  /** BIP94's timewarp rule is enforced (on testnet4 this also switches on the block-storm fix). */
  enforceBIP94: boolean;
  powNoRetargeting: boolean;
  powTargetSpacing: number;
  powTargetTimespan: number;
  /** Minimum total work a chain needs before it is trusted as the best one. */
  minimumChainWork: bigint;
  /** Default assumevalid block: script checks may be skipped for its ancestors (zero hash: none). */
  defaultAssumeValid: Uint8Array;
  /** Signet: blocks carry, in the witness commitment, a script solution that satisfies signetChallenge. */
  signetBlocks: boolean;
  signetChallenge: Uint8Array;
}

export function difficultyAdjustmentInterval(params: ConsensusParams): number {
  return Math.trunc(params.powTargetTimespan / params.powTargetSpacing);
}

/** Activation height of a buried deployment. */
export function deploymentHeight(params: ConsensusParams, dep: BuriedDeployment): number {
  switch (dep) {
    case BuriedDeployment.DEPLOYMENT_HEIGHTINCB:
      return params.BIP34Height;
    case BuriedDeployment.DEPLOYMENT_CLTV:
      return params.BIP65Height;
    case BuriedDeployment.DEPLOYMENT_DERSIG:
      return params.BIP66Height;
    case BuriedDeployment.DEPLOYMENT_CSV:
      return params.CSVHeight;
    case BuriedDeployment.DEPLOYMENT_SEGWIT:
      return params.SegwitHeight;
  }
}

/** Core's GetBuriedDeployment: the name used by -testactivationheight (note "dersig" and "cltv"). */
export function getBuriedDeployment(name: string): BuriedDeployment | undefined {
  switch (name) {
    case 'segwit':
      return BuriedDeployment.DEPLOYMENT_SEGWIT;
    case 'bip34':
      return BuriedDeployment.DEPLOYMENT_HEIGHTINCB;
    case 'dersig':
      return BuriedDeployment.DEPLOYMENT_DERSIG;
    case 'cltv':
      return BuriedDeployment.DEPLOYMENT_CLTV;
    case 'csv':
      return BuriedDeployment.DEPLOYMENT_CSV;
    default:
      return undefined;
  }
}

/**
 * Whether a buried deployment is active for the block after `prevHeight` (Core's DeploymentActiveAfter;
 * pass -1 for "no previous block", i.e. the genesis block).
 */
export function deploymentActiveAfter(prevHeight: number, params: ConsensusParams, dep: BuriedDeployment): boolean {
  return prevHeight + 1 >= deploymentHeight(params, dep);
}

/** Whether a buried deployment is active at block `height` (Core's DeploymentActiveAt). */
export function deploymentActiveAt(height: number, params: ConsensusParams, dep: BuriedDeployment): boolean {
  return height >= deploymentHeight(params, dep);
}
