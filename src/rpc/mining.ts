// The mining RPC category (Core's RegisterMiningRPCCommands): template and submission RPCs under "mining", the
// generate RPCs under "hidden". They share one MiningService, which also keeps getblocktemplate's cached template.
import type { NodeContext } from '../node/context.js';
import { MiningService, type MiningServiceOptions } from '../node/miner_service.js';
import type { RPCTable } from './server.js';
import { registerCommands } from './util.js';
import { getblocktemplate } from './mining_gbt.js';
import { generate, generateblock, generatetoaddress, generatetodescriptor } from './mining_generate.js';
import { getmininginfo, getnetworkhashps, getprioritisedtransactions, prioritisetransaction } from './mining_info.js';
import { submitblock, submitheader } from './mining_submit.js';

/** Registers the mining RPCs; returns the service they use (init hands the same one to the IPC Mining interface). */
export function registerMiningRPCCommands(table: RPCTable, ctx: NodeContext, opts: MiningServiceOptions | MiningService = {}): MiningService {
  const miner = opts instanceof MiningService ? opts : new MiningService(ctx, opts);
  registerCommands(table, ctx, 'mining', [
    getnetworkhashps(),
    getmininginfo(miner),
    prioritisetransaction(miner),
    getprioritisedtransactions(miner),
    getblocktemplate(miner),
    submitblock(miner),
    submitheader(),
  ]);
  registerCommands(table, ctx, 'hidden', [generatetoaddress(miner), generatetodescriptor(miner), generateblock(miner), generate()]);
  return miner;
}
