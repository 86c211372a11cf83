// The chainstate's command-line options as Core's init reads them (-dbcache, -prune, -fastprune, -blocksxor,
// -reindex, -reindex-chainstate, -maxtipage, -minimumchainwork, -assumevalid, -dbbatchsize, -checkblocks,
// -checklevel, -loadblock), turned into LoadChainstateOptions.
import os from 'node:os';
import type { ArgsManager } from '../common/args.js';
import type { ChainParams } from '../kernel/chainparams.js';
import { hexToHash } from '../util/hex.js';
import type { Logger } from '../util/logging.js';
import type { NodeClock } from '../util/time.js';
import { pruneTargetFromArg } from './blockstorage_prune.js';
import { maxMempoolBytes } from './mempool_args.js';
import type { LoadChainstateOptions } from './chainstate_load.js';
import { DEFAULT_MAX_TIP_AGE } from './validation.js';
import type { ConnectorOptions } from './validation_connector.js';

const MiB = 1024 * 1024;
/** Core's DEFAULT_DB_CACHE (450 MiB), the larger default it picks on 64-bit machines with 4 GiB of RAM or more, and MIN_DB_CACHE. */
export const DEFAULT_DB_CACHE = 450 * MiB;
const HIGH_DEFAULT_DBCACHE = 1024 * MiB;
export const MIN_DB_CACHE = 4 * MiB;

/** Core's GetDefaultDBCache. */
export function defaultDbCache(): number {
  return os.totalmem() >= 4 * 1024 * MiB ? HIGH_DEFAULT_DBCACHE : DEFAULT_DB_CACHE;
}
/** Core's DEFAULT_CHECKBLOCKS and DEFAULT_CHECKLEVEL. */
export const DEFAULT_CHECKBLOCKS = 6;
export const DEFAULT_CHECKLEVEL = 3;

/** An option Core refuses at init, with its text. */
export class ChainstateArgsError extends Error {
  override name = 'ChainstateArgsError';
}

export interface ChainstateStartOptions extends LoadChainstateOptions {
  checkBlocks: number;
  checkLevel: number;
  loadBlockFiles: string[];
}

/** -dbcache in bytes (Core's CalculateDbCacheBytes): MiB, at least 4 MiB. */
export function dbCacheBytes(args: ArgsManager): number {
  const mib = args.getIntArg('-dbcache');
  if (mib === undefined) return defaultDbCache();
  return Math.max(MIN_DB_CACHE, Number(mib < 0n ? 0n : mib) * MiB);
}

/** Core's uint256::FromUserHex: an optional "0x", then at most 64 hex digits, left-padded with zeros; null otherwise. */
export function fromUserHex(value: string): string | null {
  const digits = value.startsWith('0x') ? value.slice(2) : value;
  if (digits.length > 64 || !/^[0-9a-fA-F]*$/.test(digits)) return null;
  return digits.padStart(64, '0').toLowerCase();
}

/** Reads the options; `connect` carries the script pool and caches init made. */
export function chainstateOptionsFromArgs(
  args: ArgsManager,
  base: { params: ChainParams; clock: NodeClock; logger: Logger; connect?: Omit<ConnectorOptions, 'params' | 'assumeValidHash'> },
): ChainstateStartOptions {
  const { params } = base;
  const pruneTarget = pruneTargetFromArg(Number(args.getIntArg('-prune', 0n)));
  const reindex = args.getBoolArg('-reindex', false);
  const reindexChainstate = args.getBoolArg('-reindex-chainstate', false);
  if (pruneTarget > 0 && reindexChainstate && !reindex) {
    throw new ChainstateArgsError('Prune mode is incompatible with -reindex-chainstate. Use full -reindex instead.');
  }
  const minWork = args.getArg('-minimumchainwork');
  const minWorkHex = minWork === undefined ? undefined : fromUserHex(minWork);
  if (minWorkHex === null) throw new ChainstateArgsError(`Invalid minimum work specified (${minWork}), must be up to 64 hex digits`);
  const assumeValid = args.getArg('-assumevalid');
  const assumeValidHex = assumeValid === undefined ? undefined : fromUserHex(assumeValid);
  if (assumeValidHex === null) {
    throw new ChainstateArgsError(`Invalid assumevalid block hash specified (${assumeValid}), must be up to 64 hex digits (or 0 to disable)`);
  }
  const batch = args.getIntArg('-dbbatchsize');
  return {
    dataDir: args.getDataDirNet(),
    blocksDir: args.getBlocksDirPath(),
    params,
    clock: base.clock,
    logger: base.logger,
    connectOptions: { ...base.connect, params, assumeValidHash: assumeValidHex === undefined ? params.consensus.defaultAssumeValid : hexToHash(assumeValidHex) },
    dbCacheBytes: dbCacheBytes(args),
    maxMempoolBytes: maxMempoolBytes(args),
    pruneTarget,
    fastPrune: args.getBoolArg('-fastprune', false),
    useXor: args.getBoolArg('-blocksxor', true),
    reindex,
    reindexChainstate,
    maxTipAge: Number(args.getIntArg('-maxtipage', BigInt(DEFAULT_MAX_TIP_AGE))),
    minimumChainWork: minWorkHex === undefined ? params.consensus.minimumChainWork : BigInt(`0x${minWorkHex}`),
    batchWriteBytes: batch === undefined ? undefined : Number(batch),
    checkBlocks: Number(args.getIntArg('-checkblocks', BigInt(DEFAULT_CHECKBLOCKS))),
    checkLevel: Number(args.getIntArg('-checklevel', BigInt(DEFAULT_CHECKLEVEL))),
    loadBlockFiles: args.getArgs('-loadblock'),
  };
}
