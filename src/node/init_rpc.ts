// Registers every RPC command the node serves (Core's RegisterAllCoreRPCCommands), regardless of -server,
// so that the table is complete before the HTTP server takes its first request.
import { registerServerRPCCommands } from '../rpc/server_rpcs.js';
import type { NodeContext } from './context.js';

export function registerNodeRPCCommands(ctx: NodeContext): void {
  registerServerRPCCommands(ctx.rpcTable, ctx);
}
