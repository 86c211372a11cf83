// getblockstats: per-block fee, size, weight and UTXO-set statistics from the block and its undo data.
import { MAX_BLOCK_SERIALIZED_SIZE, WITNESS_SCALE_FACTOR } from '../consensus/consensus.js';
import { MAX_MONEY, moneyRange } from '../consensus/amount.js';
import { getBlockSubsidy } from '../consensus/subsidy.js';
import type { BlockIndex } from '../node/chain.js';
import type { ChainstateManagerApi } from '../node/chainstate_api.js';
import { isBIP30Repeat } from '../node/connect_flags.js';
import type { NodeContext } from '../node/context.js';
import type { BlockUndo } from '../node/undo.js';
import type { Block } from '../primitives/block.js';
import type { TxOut } from '../primitives/transaction.js';
import { isUnspendable } from '../script/script.js';
import { compactSizeLen } from '../util/serialize.js';
import { getInt, getStr, isNull, parseHashV } from './blockchain_args.js';
import { ensureChainman, lookupBlockOrThrow } from './blockchain_context.js';
import { checkBlockDataAvailability, readBlockChecked } from './blockchain_json.js';
import { RPCError, RPCErrorCode } from './protocol.js';
import type { JSONObject, JSONValue } from './request.js';
import { getArray, uvTypeName } from './util_value.js';

/** A coin's share of the UTXO set beyond its output: the outpoint (36 bytes) and height/coinbase (4). */
const PER_UTXO_OVERHEAD = 40;
const NUM_PERCENTILES = 5;

/** ParseHashOrHeight: a height on the active chain, or any known block by hash. */
export function parseHashOrHeight(v: JSONValue | undefined, chainman: ChainstateManagerApi): BlockIndex {
  if (uvTypeName(v) === 'number') {
    const height = getInt(v);
    if (height < 0) throw new RPCError(RPCErrorCode.RPC_INVALID_PARAMETER, `Target block height ${height} is negative`);
    const tip = chainman.chain.height();
    if (height > tip) throw new RPCError(RPCErrorCode.RPC_INVALID_PARAMETER, `Target block height ${height} after current tip ${tip}`);
    return chainman.chain.at(height)!;
  }
  return lookupBlockOrThrow(chainman, parseHashV(v, 'hash_or_height'));
}

/** GetUndoChecked: the genesis block has none; otherwise Core's availability texts. */
function readUndoChecked(chainman: ChainstateManagerApi, index: BlockIndex): BlockUndo {
  if (index.height === 0) return { vtxundo: [] };
  checkBlockDataAvailability(chainman, index, true);
  try {
    return chainman.readBlockUndo(index);
  } catch (e) {
    if (!(e instanceof Error)) throw e;
    throw new RPCError(RPCErrorCode.RPC_MISC_ERROR, "Can't read undo data from disk");
  }
}

const outSize = (o: TxOut): number => 8 + compactSizeLen(o.scriptPubKey.length) + o.scriptPubKey.length + PER_UTXO_OVERHEAD;

/** CalculateTruncatedMedian: the middle value, or the integer mean of the two middle ones. */
function truncatedMedian(values: number[]): number {
  if (values.length === 0) return 0;
  values.sort((a, b) => a - b);
  const mid = values.length >> 1;
  return values.length % 2 === 0 ? Math.trunc((values[mid - 1]! + values[mid]!) / 2) : values[mid]!;
}

/** CalculatePercentilesByWeight: the feerates at 10/25/50/75/90% of the block's transaction weight. */
function percentilesByWeight(scores: [number, number][], totalWeight: number): number[] {
  const result = new Array<number>(NUM_PERCENTILES).fill(0);
  if (scores.length === 0) return result;
  scores.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const weights = [totalWeight / 10.0, totalWeight / 4.0, totalWeight / 2.0, (totalWeight * 3.0) / 4.0, (totalWeight * 9.0) / 10.0];
  let next = 0;
  let cumulative = 0;
  for (const [feerate, weight] of scores) {
    cumulative += weight;
    while (next < NUM_PERCENTILES && cumulative >= weights[next]!) result[next++] = feerate;
  }
  for (let i = next; i < NUM_PERCENTILES; i++) result[i] = scores[scores.length - 1]![0];
  return result;
}

/** Every statistic of the block, keyed as Core's result (its keys are already in name order). */
export function blockStats(chainman: ChainstateManagerApi, index: BlockIndex, block: Block, undo: BlockUndo): JSONObject {
  let maxfee = 0n, maxfeerate = 0n, minfee = MAX_MONEY, minfeerate = MAX_MONEY, totalOut = 0n, totalfee = 0n;
  let inputs = 0, outputs = 0, maxtxsize = 0, mintxsize = MAX_BLOCK_SERIALIZED_SIZE, swtotalSize = 0, swtotalWeight = 0, swtxs = 0;
  let totalSize = 0, totalWeight = 0, utxos = 0, utxoSizeInc = 0, utxoSizeIncActual = 0;
  const fees: number[] = [];
  const feerates: [number, number][] = [];
  const sizes: number[] = [];
  block.vtx.forEach((tx, i) => {
    outputs += tx.vout.length;
    let txOut = 0n;
    for (const out of tx.vout) {
      txOut += out.value;
      utxoSizeInc += outSize(out);
      // Genesis and the repeated BIP30 coinbases never entered the UTXO set; unspendable outputs never do.
      if (index.height === 0 || (isBIP30Repeat(index) && tx.isCoinBase()) || isUnspendable(out.scriptPubKey)) continue;
      utxos++;
      utxoSizeIncActual += outSize(out);
    }
    if (tx.isCoinBase()) return;
    inputs += tx.vin.length;
    totalOut += txOut;
    const size = tx.getTotalSize();
    sizes.push(size);
    maxtxsize = Math.max(maxtxsize, size);
    mintxsize = Math.min(mintxsize, size);
    totalSize += size;
    const weight = tx.getWeight();
    totalWeight += weight;
    if (tx.hasWitness()) {
      swtxs++;
      swtotalSize += size;
      swtotalWeight += weight;
    }
    let txIn = 0n;
    for (const coin of undo.vtxundo[i - 1] ?? []) {
      txIn += coin.out.value;
      utxoSizeInc -= outSize(coin.out);
      utxoSizeIncActual -= outSize(coin.out);
    }
    const fee = txIn - txOut;
    if (!moneyRange(fee)) throw new RPCError(RPCErrorCode.RPC_MISC_ERROR, 'Internal bug detected: MoneyRange(txfee)');
    fees.push(Number(fee));
    maxfee = fee > maxfee ? fee : maxfee;
    minfee = fee < minfee ? fee : minfee;
    totalfee += fee;
    // Satoshis per virtual byte.
    const feerate = weight ? (fee * BigInt(WITNESS_SCALE_FACTOR)) / BigInt(weight) : 0n;
    feerates.push([Number(feerate), weight]);
    maxfeerate = feerate > maxfeerate ? feerate : maxfeerate;
    minfeerate = feerate < minfeerate ? feerate : minfeerate;
  });
  const nonCoinbase = block.vtx.length - 1;
  return {
    avgfee: nonCoinbase > 0 ? Number(totalfee / BigInt(nonCoinbase)) : 0,
    avgfeerate: totalWeight ? Number((totalfee * BigInt(WITNESS_SCALE_FACTOR)) / BigInt(totalWeight)) : 0,
    avgtxsize: nonCoinbase > 0 ? Math.trunc(totalSize / nonCoinbase) : 0,
    blockhash: index.hashHex,
    feerate_percentiles: percentilesByWeight(feerates, totalWeight),
    height: index.height,
    ins: inputs,
    maxfee: Number(maxfee),
    maxfeerate: Number(maxfeerate),
    maxtxsize,
    medianfee: truncatedMedian(fees),
    mediantime: index.getMedianTimePast(),
    mediantxsize: truncatedMedian(sizes),
    minfee: minfee === MAX_MONEY ? 0 : Number(minfee),
    minfeerate: minfeerate === MAX_MONEY ? 0 : Number(minfeerate),
    mintxsize: mintxsize === MAX_BLOCK_SERIALIZED_SIZE ? 0 : mintxsize,
    outs: outputs,
    subsidy: Number(getBlockSubsidy(index.height, chainman.params.consensus)),
    swtotal_size: swtotalSize,
    swtotal_weight: swtotalWeight,
    swtxs,
    time: index.time,
    total_out: Number(totalOut),
    total_size: totalSize,
    total_weight: totalWeight,
    totalfee: Number(totalfee),
    txs: block.vtx.length,
    utxo_increase: outputs - inputs,
    utxo_size_inc: utxoSizeInc,
    utxo_increase_actual: utxos - inputs,
    utxo_size_inc_actual: utxoSizeIncActual,
  };
}

export function getblockstats(ctx: NodeContext, params: JSONValue[]): JSONValue {
  const chainman = ensureChainman(ctx);
  const index = parseHashOrHeight(params[0], chainman);
  // Selected statistics come back in name order, each once (Core keeps them in a std::set).
  const selected = isNull(params[1]) ? [] : [...new Set(getArray(params[1]).map(getStr))].sort();
  const all = blockStats(chainman, index, readBlockChecked(chainman, index), readUndoChecked(chainman, index));
  if (selected.length === 0) return all;
  const out: JSONObject = {};
  for (const stat of selected) {
    if (!Object.hasOwn(all, stat)) throw new RPCError(RPCErrorCode.RPC_INVALID_PARAMETER, `Invalid selected statistic '${stat}'`);
    out[stat] = all[stat]!;
  }
  return out;
}
