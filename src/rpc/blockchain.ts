// The blockchain RPCs (Core's rpc/blockchain.cpp) over ChainstateManagerApi: block and header queries, the
// UTXO lookup, chain maintenance (invalidate, reconsider, precious, prune, verify) and their registration.
import { OutPoint } from '../primitives/transaction.js';
import { TxVerbosity, scriptPubKeyToUniv, valueFromAmount } from '../core_io.js';
import type { NodeContext } from '../node/context.js';
import { bytesToHex, hashToHex, hexToHash } from '../util/hex.js';
import { getBool, getInt, getUint32, isNull, parseHashV, parseVerbosity } from './blockchain_args.js';
import {
  activeTip, chainAddressParams, ensureChainman, lookupBlockOrThrow,
} from './blockchain_context.js';
import { blockToJSON, blockheaderToJSON, getDifficulty, readRawBlockChecked } from './blockchain_json.js';
import { Block } from '../primitives/block.js';
import { RPCError, RPCErrorCode } from './protocol.js';
import type { JSONObject, JSONValue } from './request.js';


export function getblockcount(ctx: NodeContext): JSONValue {
  return ensureChainman(ctx).chain.height();
}

export function getbestblockhash(ctx: NodeContext): JSONValue {
  return activeTip(ensureChainman(ctx)).hashHex;
}

export function getdifficulty(ctx: NodeContext): JSONValue {
  return getDifficulty(activeTip(ensureChainman(ctx)).bits);
}

export function getblockhash(ctx: NodeContext, params: JSONValue[]): JSONValue {
  const chainman = ensureChainman(ctx);
  const height = getInt(params[0]);
  if (height < 0 || height > chainman.chain.height()) throw new RPCError(RPCErrorCode.RPC_INVALID_PARAMETER, 'Block height out of range');
  return chainman.chain.at(height)!.hashHex;
}

export function getblockheader(ctx: NodeContext, params: JSONValue[]): JSONValue {
  const hash = parseHashV(params[0], 'hash');
  const verbose = isNull(params[1]) ? true : getBool(params[1]);
  const chainman = ensureChainman(ctx);
  const index = lookupBlockOrThrow(chainman, hash);
  if (!verbose) return index.header().toHex();
  return blockheaderToJSON(activeTip(chainman), index, chainman.params.consensus.powLimit);
}

export function getblock(ctx: NodeContext, params: JSONValue[]): JSONValue {
  const hash = parseHashV(params[0], 'blockhash');
  const verbosity = parseVerbosity(params[1], 1, true);
  const chainman = ensureChainman(ctx);
  const index = lookupBlockOrThrow(chainman, hash);
  const tip = activeTip(chainman);
  const raw = readRawBlockChecked(chainman, index);
  if (verbosity <= 0) return bytesToHex(raw);
  const txVerbosity = verbosity === 1 ? TxVerbosity.SHOW_TXID : verbosity === 2 ? TxVerbosity.SHOW_DETAILS : TxVerbosity.SHOW_DETAILS_AND_PREVOUT;
  return blockToJSON({ chainman, addressParams: chainAddressParams(chainman) }, Block.fromBytes(raw), tip, index, txVerbosity);
}

/**
 * Coins read by gettxout from the tip's cache. The node's mempool holds no transactions yet (fee deltas only), so
 * include_mempool=true answers as Core does over an empty mempool: the chainstate's coin, unspent by the pool.
 */
export function gettxout(ctx: NodeContext, params: JSONValue[]): JSONValue {
  const chainman = ensureChainman(ctx);
  const txid = parseHashV(params[0], 'txid');
  const n = getUint32(params[1]);
  // include_mempool is checked; the pool has no transaction to add or spend a coin yet, so it changes nothing.
  if (!isNull(params[2])) getBool(params[2]);
  const view = chainman.coinsTip();
  const coin = view.getCoin(new OutPoint(hexToHash(txid), n));
  if (coin === undefined) return null;
  const best = chainman.lookupBlockIndex(hashToHex(view.getBestBlock()));
  if (best === undefined) throw new RPCError(RPCErrorCode.RPC_MISC_ERROR, 'Internal bug detected: coins view best block is not in the block index');
  const out: JSONObject = {
    bestblock: best.hashHex,
    confirmations: best.height - coin.height + 1,
    value: valueFromAmount(coin.out.value),
    scriptPubKey: scriptPubKeyToUniv(coin.out.scriptPubKey, chainAddressParams(chainman)),
    coinbase: coin.coinbase,
  };
  return out;
}

export const DEFAULT_CHECKLEVEL = 3;
export const DEFAULT_CHECKBLOCKS = 6;

export async function verifychain(ctx: NodeContext, params: JSONValue[]): Promise<JSONValue> {
  const level = isNull(params[0]) ? DEFAULT_CHECKLEVEL : getInt(params[0]);
  const depth = isNull(params[1]) ? DEFAULT_CHECKBLOCKS : getInt(params[1]);
  return ensureChainman(ctx).verifyDB(level, depth);
}

/** A failed state from invalidate/reconsider/precious is RPC_DATABASE_ERROR with the state's text. */
function throwIfInvalid(state: { isValid(): boolean; toString(): string }): void {
  if (!state.isValid()) throw new RPCError(RPCErrorCode.RPC_DATABASE_ERROR, state.toString());
}

export async function invalidateblock(ctx: NodeContext, params: JSONValue[]): Promise<JSONValue> {
  const chainman = ensureChainman(ctx);
  const hash = parseHashV(params[0], 'blockhash');
  throwIfInvalid(await chainman.invalidateBlock(lookupBlockOrThrow(chainman, hash)));
  return null;
}

export async function reconsiderblock(ctx: NodeContext, params: JSONValue[]): Promise<JSONValue> {
  const chainman = ensureChainman(ctx);
  const hash = parseHashV(params[0], 'blockhash');
  await chainman.reconsiderBlock(lookupBlockOrThrow(chainman, hash));
  return null;
}

export async function preciousblock(ctx: NodeContext, params: JSONValue[]): Promise<JSONValue> {
  const hash = parseHashV(params[0], 'blockhash');
  const chainman = ensureChainman(ctx);
  throwIfInvalid(await chainman.preciousBlock(lookupBlockOrThrow(chainman, hash)));
  return null;
}

export async function syncwithvalidationinterfacequeue(ctx: NodeContext): Promise<JSONValue> {
  await ensureChainman(ctx).syncWithValidationInterfaceQueue();
  return null;
}
