// The relay fee options (Core's ApplyArgsManOptions for the mempool, node/mempool_args.cpp): read and checked at
// init with Core's texts, so a bad amount stops the node before the mempool exists to use it.
import type { ArgsManager } from '../common/args.js';
import { COIN, type Amount } from '../consensus/amount.js';
import { parseMoney } from './miner_options.js';

/** Core's DEFAULT_MIN_RELAY_TX_FEE and DEFAULT_INCREMENTAL_RELAY_FEE, in satoshis per 1,000 virtual bytes. */
export const DEFAULT_MIN_RELAY_TX_FEE: Amount = 100n;
export const DEFAULT_INCREMENTAL_RELAY_FEE: Amount = 100n;

/** Fee rates in satoshis per 1,000 virtual bytes (Core's CFeeRate::GetFeePerK). */
export interface RelayFees {
  minRelayFeePerK: Amount;
  incrementalRelayFeePerK: Amount;
}

/** An option Core rejects at init, with its text. */
export class MempoolArgsError extends Error {
  override name = 'MempoolArgsError';
}

/** Core's AmountErrMsg. */
function amountError(option: string, value: string): MempoolArgsError {
  return new MempoolArgsError(`Invalid amount for -${option}=<amount>: '${value}'`);
}

function feeArg(args: ArgsManager, option: string): Amount | undefined {
  const value = args.getArg(`-${option}`);
  if (value === undefined) return undefined;
  const amount = parseMoney(value);
  if (amount === undefined) throw amountError(option, value);
  return amount;
}

/** Core's DEFAULT_CLUSTER_SIZE_LIMIT_KVB: the mempool must hold at least 40 clusters of this size. */
const DEFAULT_CLUSTER_SIZE_LIMIT_KVB = 101n;

/** Core's DEFAULT_MAX_MEMPOOL_SIZE_MB. */
export const DEFAULT_MAX_MEMPOOL_SIZE_MB = 300n;

/** -maxmempool in bytes (megabytes of 1,000,000 bytes, as Core counts them). */
export function maxMempoolBytes(args: ArgsManager): number {
  return Number(args.getIntArg('-maxmempool', DEFAULT_MAX_MEMPOOL_SIZE_MB) * 1_000_000n);
}

/** -maxmempool against -limitclustersize, with Core's text (CTxMemPool's option check); 0 turns the pool off. */
export function checkMaxMempool(args: ArgsManager): void {
  const maxBytes = BigInt(maxMempoolBytes(args));
  const clusterBytes = args.getIntArg('-limitclustersize', DEFAULT_CLUSTER_SIZE_LIMIT_KVB) * 1000n * 40n;
  if (maxBytes < 0n || (maxBytes > 0n && maxBytes < clusterBytes)) {
    const minMB = (clusterBytes + 999_999n) / 1_000_000n;
    throw new MempoolArgsError(`-maxmempool must be at least ${clusterBytes <= 0n ? 0n : minMB} MB`);
  }
}

/** -incrementalrelayfee and -minrelaytxfee; an incremental fee above the default minimum raises the minimum too. */
export function readRelayFeeArgs(args: ArgsManager, log: (message: string) => void): RelayFees {
  const incrementalRelayFeePerK = feeArg(args, 'incrementalrelayfee') ?? DEFAULT_INCREMENTAL_RELAY_FEE;
  let minRelayFeePerK = feeArg(args, 'minrelaytxfee');
  if (minRelayFeePerK === undefined) {
    minRelayFeePerK = DEFAULT_MIN_RELAY_TX_FEE;
    if (incrementalRelayFeePerK > minRelayFeePerK) {
      minRelayFeePerK = incrementalRelayFeePerK;
      log(`Increasing minrelaytxfee to ${feeRateString(minRelayFeePerK)} to match incrementalrelayfee`);
    }
  }
  return { minRelayFeePerK, incrementalRelayFeePerK };
}

/** Core's CFeeRate::ToString: always 8 decimals, then "BTC/kvB". */
export function feeRateString(perK: Amount): string {
  return `${perK / COIN}.${(perK % COIN).toString().padStart(8, '0')} BTC/kvB`;
}
