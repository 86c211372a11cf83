// Block creation options (Core's node/mining_types.h BlockCreateOptions and node/mining_args.cpp): defaults,
// limits with Core's error texts, and reading -blockmaxweight, -blockreservedweight, -blockmintxfee, -printpriority.
import type { ArgsManager } from '../common/args.js';
import { type Amount, COIN, moneyRange } from '../consensus/amount.js';
import { MAX_BLOCK_SIGOPS_COST, MAX_BLOCK_WEIGHT } from '../consensus/consensus.js';
import { Opcode } from '../script/script.js';

/** Default for -blockmaxweight. */
export const DEFAULT_BLOCK_MAX_WEIGHT = MAX_BLOCK_WEIGHT;
/** Default for -blockreservedweight: the header, the transaction count and the largest coinbase a miner adds. */
export const DEFAULT_BLOCK_RESERVED_WEIGHT = 8000;
/** The least -blockreservedweight may be. */
export const MINIMUM_BLOCK_RESERVED_WEIGHT = 2000;
/** Default sigops a pool may add in coinbase outputs. */
export const DEFAULT_COINBASE_OUTPUT_MAX_ADDITIONAL_SIGOPS = 400;
/** Default for -blockmintxfee, in satoshis per 1000 virtual bytes. */
export const DEFAULT_BLOCK_MIN_TX_FEE = 1n;
/** Default for -printpriority. */
export const DEFAULT_PRINT_MODIFIED_FEE = false;

/** Options of one block template; unset fields fall back to the node's -options, then to the defaults. */
export interface BlockCreateOptions {
  /** Take transactions from the mempool (default true). */
  useMempool?: boolean;
  /** Lowest package fee rate to include, satoshis per kvB. */
  blockMinFeeRate?: Amount;
  /** Log each included transaction's fee rate. */
  printModifiedFee?: boolean;
  /** Weight kept free for the header, the transaction count and the coinbase. */
  blockReservedWeight?: number;
  blockMaxWeight?: number;
  coinbaseOutputMaxAdditionalSigops?: number;
  /** Script of the coinbase output that takes the reward (default: OP_TRUE, anyone can spend). */
  coinbaseOutputScript?: Uint8Array;
  /** Run TestBlockValidity on the result (default true; off only for tests and benchmarks). */
  testBlockValidity?: boolean;
}

/** Options with every limit filled in (Core's FlattenMiningOptions result). */
export type FlatBlockCreateOptions = Required<BlockCreateOptions>;

/** A bad mining option: the message is Core's, ready for InitError or an RPC error. */
export class MiningOptionsError extends Error {
  override name = 'MiningOptionsError';
}

/** Core's FlattenMiningOptions: the defaults for everything unset. */
export function flattenMiningOptions(o: BlockCreateOptions): FlatBlockCreateOptions {
  return {
    useMempool: o.useMempool ?? true,
    blockMinFeeRate: o.blockMinFeeRate ?? DEFAULT_BLOCK_MIN_TX_FEE,
    printModifiedFee: o.printModifiedFee ?? DEFAULT_PRINT_MODIFIED_FEE,
    blockReservedWeight: o.blockReservedWeight ?? DEFAULT_BLOCK_RESERVED_WEIGHT,
    blockMaxWeight: o.blockMaxWeight ?? DEFAULT_BLOCK_MAX_WEIGHT,
    coinbaseOutputMaxAdditionalSigops: o.coinbaseOutputMaxAdditionalSigops ?? DEFAULT_COINBASE_OUTPUT_MAX_ADDITIONAL_SIGOPS,
    coinbaseOutputScript: o.coinbaseOutputScript ?? Uint8Array.of(Opcode.OP_TRUE),
    testBlockValidity: o.testBlockValidity ?? true,
  };
}

/** Core's MergeMiningOptions: the node-wide limits under the per-template ones. */
export function mergeMiningOptions(x: BlockCreateOptions, y: BlockCreateOptions): BlockCreateOptions {
  return {
    ...x,
    blockMinFeeRate: x.blockMinFeeRate ?? y.blockMinFeeRate,
    printModifiedFee: x.printModifiedFee ?? y.printModifiedFee,
    blockReservedWeight: x.blockReservedWeight ?? y.blockReservedWeight,
    blockMaxWeight: x.blockMaxWeight ?? y.blockMaxWeight,
  };
}

/**
 * Core's CheckMiningOptions: the limits, with the option names (-blockmaxweight) when they came from the command line
 * and the field names (block_max_weight) when a caller passed them. Throws MiningOptionsError.
 */
export function checkMiningOptions(options: BlockCreateOptions, useArgNames: boolean): void {
  const o = flattenMiningOptions(options);
  const reserved = useArgNames ? '-blockreservedweight' : 'block_reserved_weight';
  const max = useArgNames ? '-blockmaxweight' : 'block_max_weight';
  if (o.blockReservedWeight < MINIMUM_BLOCK_RESERVED_WEIGHT) {
    throw new MiningOptionsError(`${reserved} (${o.blockReservedWeight}) is lower than minimum safety value of (${MINIMUM_BLOCK_RESERVED_WEIGHT})`);
  }
  if (o.blockReservedWeight > MAX_BLOCK_WEIGHT) {
    throw new MiningOptionsError(`${reserved} (${o.blockReservedWeight}) exceeds consensus maximum block weight (${MAX_BLOCK_WEIGHT})`);
  }
  if (o.blockMaxWeight > MAX_BLOCK_WEIGHT) {
    throw new MiningOptionsError(`${max} (${o.blockMaxWeight}) exceeds consensus maximum block weight (${MAX_BLOCK_WEIGHT})`);
  }
  if (o.blockReservedWeight > o.blockMaxWeight) {
    throw new MiningOptionsError(`${reserved} (${o.blockReservedWeight}) exceeds ${max} (${o.blockMaxWeight})`);
  }
  if (o.coinbaseOutputMaxAdditionalSigops > MAX_BLOCK_SIGOPS_COST) {
    throw new MiningOptionsError(
      `coinbase_output_max_additional_sigops (${o.coinbaseOutputMaxAdditionalSigops}) exceeds consensus maximum block sigops cost (${MAX_BLOCK_SIGOPS_COST})`,
    );
  }
}

/** Core's ParseMoney: "12.345" coins to satoshis; undefined for anything else (signs, inner spaces, over 8 decimals). */
export function parseMoney(text: string): Amount | undefined {
  if (text.includes('\0')) return undefined;
  const s = text.trim();
  const m = /^([0-9]*)(?:\.([0-9]*))?$/.exec(s);
  if (s === '' || !m) return undefined;
  const whole = m[1]!;
  const fracDigits = m[2] ?? '';
  if (whole.length > 10 || fracDigits.length > 8) return undefined;
  const frac = fracDigits.padEnd(8, '0');
  const value = BigInt(whole === '' ? '0' : whole) * COIN + BigInt(frac);
  return moneyRange(value) ? value : undefined;
}

/** A uint64 option the way Core reads it, saturating; unset gives undefined. */
function uintArg(args: ArgsManager, name: string): number | undefined {
  const v = args.getIntArg(name);
  if (v === undefined) return undefined;
  return v < 0n ? 0 : Number(v);
}

/** Core's ReadMiningArgs: the node-wide options, or MiningOptionsError with the text InitError shows. */
export function readMiningArgs(args: ArgsManager): BlockCreateOptions {
  const options: BlockCreateOptions = {};
  const minFee = args.getArg('-blockmintxfee');
  if (minFee !== undefined) {
    const fee = parseMoney(minFee);
    if (fee === undefined) throw new MiningOptionsError(`Invalid amount for -blockmintxfee=<amount>: '${minFee}'`);
    options.blockMinFeeRate = fee;
  }
  const printPriority = args.getBoolArg('-printpriority');
  if (printPriority !== undefined) options.printModifiedFee = printPriority;
  options.blockReservedWeight = uintArg(args, '-blockreservedweight');
  options.blockMaxWeight = uintArg(args, '-blockmaxweight');
  checkMiningOptions(options, true);
  return options;
}
