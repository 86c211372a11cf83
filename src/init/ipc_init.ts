// The Init that smithcoin-node serves to IPC clients (Core's init/bitcoin-node.cpp): Echo, the node's Mining once
// the chainstate is loaded, and Rpc. The IPC call's AbortSignal reaches the node's waits through ServerContext.
import { setTimeout as sleep } from 'node:timers/promises';
import { ServerContext } from '@smithcoin/libmultiprocess';
import type { Init } from '../interfaces/init.js';
import { OLD_MINING_INTERFACE_ERROR } from '../ipc/capnp/init-types.js';
import type { NodeContext } from '../node/context.js';
import { type MempoolTxLookup, makeEcho, makeMining, makeRpc } from '../node/interfaces.js';
import { MiningService } from '../node/miner_service.js';
import type { RPCDispatchOptions } from '../rpc/httprpc.js';

/** NodeContext has no "chainstate loaded" event: makeMining looks this often until ctx.chainman is set. */
const CHAINSTATE_POLL_MS = 50;

export interface NodeInitOptions {
  /** The service the mining RPCs use (registerMiningRPCCommands); one is made from the context when absent. */
  miningService?: MiningService;
  /** Mempool lookups for getTransactionsByTxID / getTransactionsByWitnessID; absent until the node has a mempool. */
  mempool?: MempoolTxLookup;
  /** The HTTP server's allow lists and log; without them no user is restricted, as with no -rpcwhitelist. */
  rpc?: RPCDispatchOptions;
}

/** Core's MakeMining(wait_loaded): true once the chainstate is loaded, false on shutdown; rejects when the call ends. */
async function chainstateLoaded(ctx: NodeContext, signal: AbortSignal | undefined): Promise<boolean> {
  while (ctx.chainman === undefined && !ctx.shutdown.requested) await sleep(CHAINSTATE_POLL_MS, undefined, { signal });
  return !ctx.shutdown.requested;
}

export function makeNodeInit(ctx: NodeContext, options: NodeInitOptions = {}): Init {
  const callSignal = (): AbortSignal | undefined => ServerContext.current()?.signal;
  const service = options.miningService ?? new MiningService(ctx);
  const rpc = options.rpc ?? { table: ctx.rpcTable, auth: { whitelist: new Map(), whitelistDefault: false }, log: ctx.logger };
  return {
    makeEcho: async () => makeEcho(),
    makeMiningOld2: async () => {
      throw new Error(OLD_MINING_INTERFACE_ERROR);
    },
    makeMining: async () => {
      if (!await chainstateLoaded(ctx, callSignal())) return null;
      return makeMining(ctx, { service, mempool: options.mempool, callSignal });
    },
    makeRpc: async () => makeRpc(rpc),
  };
}
