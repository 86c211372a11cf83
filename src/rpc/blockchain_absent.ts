// RPCs whose work needs a subsystem this node does not run yet, answering as Core does in that state:
// getblockfrompeer with no peers connected, scanblocks without a block filter index.
import { BlockFilterType, blockFilterTypeName } from '../blockfilter_type.js';
import type { NodeContext } from '../node/context.js';
import { getInt, getStr, isNull, parseHashV } from './blockchain_args.js';
import { activeTip, ensureChainman } from './blockchain_context.js';
import { RPCError, RPCErrorCode } from './protocol.js';
import type { JSONValue } from './request.js';

const misc = (message: string): RPCError => new RPCError(RPCErrorCode.RPC_MISC_ERROR, message);

/** Core's checks in order; the request itself fails as PeerManager::FetchBlock does for an unknown peer. */
export function getblockfrompeer(ctx: NodeContext, params: JSONValue[]): JSONValue {
  const chainman = ensureChainman(ctx);
  const hash = parseHashV(params[0], 'blockhash');
  getInt(params[1], 'int64');
  const index = chainman.lookupBlockIndex(hash);
  if (index === undefined) throw misc('Block header missing');
  if (chainman.pruneMode && index.height > activeTip(chainman).height) {
    throw misc('In prune mode, only blocks that the node has already synced previously can be fetched from a peer');
  }
  if (index.haveData()) throw misc('Block already downloaded');
  // No P2P layer yet, so no peer id names a connected peer.
  throw misc('Peer does not exist');
}

/** scanblocks: no scan can run without the filter index, so status is null, abort false, start an error. */
export function scanblocks(_ctx: NodeContext, params: JSONValue[]): JSONValue {
  const action = getStr(params[0]);
  if (action === 'status') return null;
  if (action === 'abort') return false;
  if (action === 'start') {
    const name = isNull(params[4]) ? blockFilterTypeName(BlockFilterType.BASIC) : getStr(params[4]);
    if (name !== blockFilterTypeName(BlockFilterType.BASIC)) throw new RPCError(RPCErrorCode.RPC_INVALID_ADDRESS_OR_KEY, 'Unknown filtertype');
    throw misc(`Index is not enabled for filtertype ${name}`);
  }
  throw new RPCError(RPCErrorCode.RPC_INVALID_PARAMETER, `Invalid action '${action}'`);
}
