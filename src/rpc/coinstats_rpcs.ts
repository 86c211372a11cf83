// gettxoutsetinfo and dumptxoutset (Core's rpc/blockchain.cpp) over the chainstate's coins cursor. There is no
// coinstatsindex in this node, so per-block statistics (hash_or_height) answer with Core's text for a node without it.
import fs from 'node:fs';
import path from 'node:path';
import { valueFromAmount } from '../core_io.js';
import type { BlockIndex } from '../node/chain.js';
import type { ChainstateManagerApi } from '../node/chainstate_api.js';
import type { Coin } from '../node/coin.js';
import { type CoinsStats, HashTypeError, computeUTXOStats, parseHashType } from '../node/coinstats.js';
import type { NodeContext } from '../node/context.js';
import { writeSnapshot } from '../node/utxo_snapshot.js';
import type { OutPoint } from '../primitives/transaction.js';
import { hashToHex } from '../util/hex.js';
import { logTimeSeconds } from '../util/logging_timer.js';
import { getBool, getInt, getStr, isNull, parseHashV, uvTypeName } from './blockchain_args.js';
import { activeTip, ensureChainman } from './blockchain_context.js';
import { RPCError, RPCErrorCode } from './protocol.js';
import type { JSONObject, JSONValue } from './request.js';
import { rolledBackCoins } from './utxo_rollback.js';

function invalidParameter(message: string): RPCError {
  return new RPCError(RPCErrorCode.RPC_INVALID_PARAMETER, message);
}

/** Core's rpc_interruption_point: a running pass stops once shutdown was requested. */
export function rpcInterruptionPoint(ctx: NodeContext): () => void {
  return () => {
    if (ctx.shutdown.requested) throw new RPCError(RPCErrorCode.RPC_CLIENT_NOT_CONNECTED, 'Shutting down');
  };
}

/** Core's ParseHashOrHeight: a height on the active chain or the hash of any known block. */
export function parseHashOrHeight(param: JSONValue, chainman: ChainstateManagerApi): BlockIndex {
  const tip = activeTip(chainman);
  if (uvTypeName(param) === 'number') {
    const height = getInt(param);
    if (height < 0) throw invalidParameter(`Target block height ${height} is negative`);
    if (height > tip.height) throw invalidParameter(`Target block height ${height} after current tip ${tip.height}`);
    return tip.getAncestor(height)!;
  }
  const hashHex = parseHashV(param, 'hash_or_height');
  const index = chainman.lookupBlockIndex(hashHex);
  if (index === undefined) throw new RPCError(RPCErrorCode.RPC_INVALID_ADDRESS_OR_KEY, 'Block not found');
  return index;
}

/** One pass over the flushed coins database, based at the block its coins are current for. */
function statsOfCoinsDb(ctx: NodeContext, chainman: ChainstateManagerApi, hashType: ReturnType<typeof parseHashType>): CoinsStats {
  const coins = chainman.coinsCursor();
  const best = chainman.lookupBlockIndex(hashToHex(chainman.coinsTip().getBestBlock()));
  if (best === undefined) throw new RPCError(RPCErrorCode.RPC_INTERNAL_ERROR, 'Unable to read UTXO set');
  return computeUTXOStats(hashType, coins, { height: best.height, hashBlock: best.hash }, { interruptionPoint: rpcInterruptionPoint(ctx) });
}

function parseHashTypeParam(v: JSONValue | undefined): ReturnType<typeof parseHashType> {
  try {
    return parseHashType(isNull(v) ? 'hash_serialized_3' : getStr(v));
  } catch (err) {
    if (err instanceof HashTypeError) throw invalidParameter(err.message);
    throw err;
  }
}

/** gettxoutsetinfo ( "hash_type" hash_or_height use_index ). */
export function gettxoutsetinfo(ctx: NodeContext, params: JSONValue[]): JSONValue {
  const hashType = parseHashTypeParam(params[0]);
  if (!isNull(params[2])) getBool(params[2]);
  const chainman = ensureChainman(ctx);
  if (!isNull(params[1])) throw invalidParameter('Querying specific block heights requires coinstatsindex');
  const stats = statsOfCoinsDb(ctx, chainman, hashType);
  const ret: JSONObject = { height: stats.height, bestblock: hashToHex(stats.hashBlock), txouts: stats.txouts, bogosize: stats.bogoSize };
  if (hashType === 'hash_serialized_3') ret.hash_serialized_3 = hashToHex(stats.hashSerialized!);
  if (hashType === 'muhash') ret.muhash = hashToHex(stats.hashSerialized!);
  if (stats.totalAmount === null) throw new RPCError(RPCErrorCode.RPC_MISC_ERROR, 'Internal bug detected: stats.total_amount.has_value()');
  ret.total_amount = valueFromAmount(stats.totalAmount);
  ret.transactions = stats.transactions;
  ret.disk_size = chainman.coinsDbEstimateSize();
  return ret;
}

/** Which block dumptxoutset writes the set of: "latest", "rollback" (newest assumeutxo height) or options.rollback. */
function snapshotTarget(chainman: ChainstateManagerApi, type: string, options: JSONObject): BlockIndex {
  if (options.rollback !== undefined) {
    if (type !== '' && type !== 'rollback') throw invalidParameter(`Invalid snapshot type "${type}" specified with rollback option`);
    return parseHashOrHeight(options.rollback, chainman);
  }
  if (type === 'rollback') {
    const heights = chainman.params.assumeutxo.map((a) => a.height);
    if (heights.length === 0) throw new RPCError(RPCErrorCode.RPC_MISC_ERROR, 'Internal bug detected: snapshot_heights.size() > 0');
    return parseHashOrHeight(Math.max(...heights), chainman);
  }
  if (type === 'latest') return activeTip(chainman);
  throw invalidParameter(`Invalid snapshot type "${type}" specified. Please specify "rollback" or "latest"`);
}

/** Whether `p` is a named pipe (written to directly, as Core does); a missing path is not. */
function isFifo(p: string): boolean {
  const st = fs.statSync(p, { throwIfNoEntry: false });
  return st !== undefined && st.isFIFO();
}

/** dumptxoutset "path" ( "type" {rollback, in_memory} ). */
export function dumptxoutset(ctx: NodeContext, params: JSONValue[]): JSONValue {
  const chainman = ensureChainman(ctx);
  const type = isNull(params[1]) ? '' : getStr(params[1]);
  // RPCHelpMan has checked that options, when given, is an object.
  const options = isNull(params[2]) ? {} : (params[2] as JSONObject);
  const target = snapshotTarget(chainman, type, options);
  // The rollback is always built in memory here; in_memory is still type-checked as Core reads it.
  if (target !== activeTip(chainman) && options.in_memory !== undefined) getBool(options.in_memory);
  const file = path.resolve(ctx.args.getDataDirNet(), getStr(params[0]));
  const fifo = isFifo(file);
  const temp = fifo ? file : `${file}.incomplete`;
  if (!fifo && fs.existsSync(file)) {
    throw invalidParameter(`${file} already exists. If you are sure this is what you want, move it out of the way first`);
  }
  let fd: number;
  try {
    fd = fs.openSync(temp, 'w');
  } catch {
    throw invalidParameter(`Couldn't open file ${temp} for writing.`);
  }
  let result: JSONObject;
  try {
    result = writeSnapshotOf(ctx, chainman, target, fd, file, temp);
  } finally {
    fs.closeSync(fd);
  }
  if (!fifo) fs.renameSync(temp, file);
  return result;
}

/** Core's PrepareUTXOSnapshot + WriteUTXOSnapshot: stats (hash_serialized_3) then the coins, in one synchronous run. */
function writeSnapshotOf(ctx: NodeContext, chainman: ChainstateManagerApi, target: BlockIndex, fd: number, file: string, temp: string): JSONObject {
  const tip = activeTip(chainman);
  const interruptionPoint = rpcInterruptionPoint(ctx);
  let coins: () => Iterable<readonly [OutPoint, Coin]>;
  let stats: CoinsStats;
  if (target === tip) {
    stats = statsOfCoinsDb(ctx, chainman, 'hash_serialized_3');
    // Flushed for the statistics just now, and nothing ran since: Core flushes once.
    coins = () => chainman.coinsCursor({ flush: false });
  } else {
    const set = rolledBackCoins(chainman, tip, target);
    coins = () => set;
    stats = computeUTXOStats('hash_serialized_3', set, { height: target.height, hashBlock: target.hash }, { interruptionPoint });
  }
  const base = chainman.lookupBlockIndex(hashToHex(stats.hashBlock))!;
  const title = `writing UTXO snapshot at height ${base.height} (${base.hashHex}) to file ${file} (via ${temp})`;
  const written = logTimeSeconds(ctx.logger, 'WriteUTXOSnapshot', title, () => writeSnapshot(fd,
    { networkMagic: chainman.params.messageStart, baseBlockhash: base.hash, coinsCount: BigInt(stats.coinsCount) }, coins(), { interruptionPoint }));
  return {
    coins_written: written,
    base_hash: base.hashHex,
    base_height: base.height,
    path: file,
    txoutset_hash: hashToHex(stats.hashSerialized!),
    nchaintx: base.chainTx,
  };
}
