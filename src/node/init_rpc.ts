// Registers every RPC command the node serves (Core's RegisterAllCoreRPCCommands), regardless of -server,
// so that the table is complete before the HTTP server takes its first request.
import { registerAllRPCCommands } from '../rpc/register.js';
import { registerMiningRPCCommands } from '../rpc/mining.js';
import type { NodeContext } from './context.js';
import type { FeeDeltaMempool } from './fee_delta_mempool.js';
import type { BlockCreateOptions } from './miner_options.js';
import type { MiningService } from './miner_service.js';

/** Registers the command groups; returns the mining service the RPCs share (the IPC Mining interface uses it too). */
export function registerNodeRPCCommands(ctx: NodeContext, miningArgs: BlockCreateOptions, mempool: FeeDeltaMempool): MiningService {
  registerAllRPCCommands(ctx.rpcTable, ctx);
  return registerMiningRPCCommands(ctx.rpcTable, ctx, { miningArgs, mempool });
}
