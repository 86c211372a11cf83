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

/** Version-bits deployments, in Core's DeploymentPos order. */
export enum DeploymentPos {
  DEPLOYMENT_TESTDUMMY = 0,
  /** Deployment of Schnorr/Taproot (BIPs 340-342). */
  DEPLOYMENT_TAPROOT = 1,
}
export const MAX_VERSION_BITS_DEPLOYMENTS = 2;

/** One BIP9 deployment. Times are median-time-past seconds. */
export interface BIP9Deployment {
  /** Bit position to select the particular bit in nVersion. */
  bit: number;
  /** Start MedianTime for version bits miner confirmation (or ALWAYS_ACTIVE / NEVER_ACTIVE). */
  startTime: number;
  /** Timeout/expiry MedianTime for the deployment attempt. */
  timeout: number;
  /** If lock in occurs, delay activation until at least this block height (on a period boundary). */
  minActivationHeight: number;
  /** Period of blocks to check signalling in. */
  period: number;
  /** Minimum number of signalling blocks in a period for lock-in. */
  threshold: number;
}

/** Constant for nTimeout very far in the future (INT64_MAX in Core). */
export const NO_TIMEOUT = Number.MAX_SAFE_INTEGER;
/** nStartTime value meaning the deployment is always active. */
export const ALWAYS_ACTIVE = -1;
/** nStartTime value meaning the deployment is never active. */
export const NEVER_ACTIVE = -2;

/** Parameters that influence chain consensus. Hashes are 32 bytes in internal (little-endian) order. */
export interface ConsensusParams {
  hashGenesisBlock: Uint8Array;
  subsidyHalvingInterval: number;
  /**
   * Blocks known to be valid and buried that fail with the default script flags: display-hex block
   * hash -> the script verification flags to use for that block instead.
   */
  scriptFlagExceptions: ReadonlyMap<string, number>;
  /** Block height and hash at which BIP34 becomes active. */
  BIP34Height: number;
  BIP34Hash: Uint8Array;
  /** Block height at which BIP65 becomes active. */
  BIP65Height: number;
  /** Block height at which BIP66 becomes active. */
  BIP66Height: number;
  /** Block height at which CSV (BIP68, BIP112 and BIP113) becomes active. */
  CSVHeight: number;
  /** Block height at which Segwit (BIP141, BIP143 and BIP147) becomes active. */
  SegwitHeight: number;
  /** Don't warn about unknown BIP 9 activations below this height. */
  MinBIP9WarningHeight: number;
  /** Indexed by DeploymentPos. */
  deployments: BIP9Deployment[];
  /** Proof of work parameters. */
  powLimit: bigint;
  powAllowMinDifficultyBlocks: boolean;
  /** Enforce BIP94 timewarp attack mitigation. On testnet4 this also enforces the block storm mitigation. */
  enforceBIP94: boolean;
  powNoRetargeting: boolean;
  powTargetSpacing: number;
  powTargetTimespan: number;
  /** The best chain should have at least this much work. */
  minimumChainWork: bigint;
  /** By default assume that the signatures in ancestors of this block are valid (zero hash: none). */
  defaultAssumeValid: Uint8Array;
  /** If true, witness commitments contain a payload equal to a Bitcoin Script solution to the signet challenge. */
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
