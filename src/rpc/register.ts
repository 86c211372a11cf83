// Every RPC command group, registered into the node's table (Core's RegisterAllCoreRPCCommands).
import type { NodeContext } from '../node/context.js';
import { registerBlockchainRPCCommands } from './blockchain_commands.js';
import { registerUTXOSetRPCCommands } from './blockchain_utxo.js';
import { registerFeeRPCCommands } from './fees.js';
import { registerNetRPCCommands } from './net.js';
import { registerNodeRPCCommands } from './node.js';
import { registerOutputScriptRPCCommands } from './output_script.js';
import type { RPCTable } from './server.js';
import { registerServerRPCCommands } from './server_rpcs.js';
import { registerSignMessageRPCCommands } from './signmessage.js';

/** Registers all command groups; each group's file lists its commands and their categories. */
export function registerAllRPCCommands(table: RPCTable, ctx: NodeContext): void {
  registerServerRPCCommands(table, ctx);
  registerBlockchainRPCCommands(table, ctx);
  registerUTXOSetRPCCommands(table, ctx);
  registerNodeRPCCommands(table, ctx);
  registerNetRPCCommands(table, ctx);
  registerFeeRPCCommands(table, ctx);
  registerOutputScriptRPCCommands(table, ctx);
  registerSignMessageRPCCommands(table, ctx);
}
