// What the blockchain RPCs and REST take from the node context, with Core's errors when a part is missing.
import { addressParams, type AddressParams } from '../kernel/chainparams_base.js';
import type { ChainstateManagerApi } from '../node/chainstate_api.js';
import type { NodeContext } from '../node/context.js';
import type { BlockIndex } from '../node/chain.js';
import { RPCError, RPCErrorCode } from './protocol.js';

/** EnsureChainman: RPCs only run after warm-up, so a missing chainstate is an internal error. */
export function ensureChainman(ctx: NodeContext): ChainstateManagerApi {
  if (ctx.chainman === undefined) throw new RPCError(RPCErrorCode.RPC_INTERNAL_ERROR, 'Node chainman not found');
  return ctx.chainman;
}

/** EnsureMemPool: there is no mempool in this node yet, so every caller gets Core's text for a missing one. */
export function ensureMemPool(): never {
  throw new RPCError(RPCErrorCode.RPC_CLIENT_MEMPOOL_DISABLED, 'Mempool disabled or instance not found');
}

/** The active tip; the chainstate always has at least the genesis block after warm-up. */
export function activeTip(chainman: ChainstateManagerApi): BlockIndex {
  const tip = chainman.chain.tip();
  if (tip === undefined) throw new RPCError(RPCErrorCode.RPC_MISC_ERROR, 'Internal bug detected: active_chain.Tip()');
  return tip;
}

export function chainAddressParams(chainman: ChainstateManagerApi): AddressParams {
  return addressParams(chainman.params.chainType);
}

/** LookupBlockIndex with the RPC's `Block not found`. */
export function lookupBlockOrThrow(chainman: ChainstateManagerApi, hashHex: string): BlockIndex {
  const index = chainman.lookupBlockIndex(hashHex);
  if (index === undefined) throw new RPCError(RPCErrorCode.RPC_INVALID_ADDRESS_OR_KEY, 'Block not found');
  return index;
}
