// Registers the blockchain RPCs on the command table with Core's argument names (named parameters map onto
// them). Help texts and declared argument types come with the RPC framework (rpc/util.ts).
import type { NodeContext } from '../node/context.js';
import {
  getbestblockhash, getblock, getblockcount, getblockhash, getblockheader, getdifficulty, gettxout,
  invalidateblock, preciousblock, reconsiderblock, syncwithvalidationinterfacequeue, verifychain,
  type BlockchainHandler,
} from './blockchain.js';
import { getblockfrompeer, scanblocks } from './blockchain_absent.js';
import { getblockchaininfo, getchaintips, getchaintxstats, pruneblockchain } from './blockchain_info.js';
import { gettxoutproof, verifytxoutproof } from './blockchain_txoutproof.js';
import { waitforblock, waitforblockheight, waitfornewblock } from './blockchain_wait.js';
import type { RPCArgName, RPCTable } from './server.js';

interface Command {
  name: string;
  handler: BlockchainHandler;
  args: (string | RPCArgName)[];
  category?: string;
}

/** Core's table for these commands: names, categories ("hidden" ones stay out of help) and argument names. */
export const BLOCKCHAIN_COMMANDS: readonly Command[] = [
  { name: 'getblockchaininfo', handler: getblockchaininfo, args: [] },
  { name: 'getchaintxstats', handler: getchaintxstats, args: ['nblocks', 'blockhash'] },
  { name: 'getbestblockhash', handler: getbestblockhash, args: [] },
  { name: 'getblockcount', handler: getblockcount, args: [] },
  { name: 'getblock', handler: getblock, args: ['blockhash', 'verbosity|verbose'] },
  { name: 'getblockfrompeer', handler: getblockfrompeer, args: ['blockhash', 'peer_id'] },
  { name: 'getblockhash', handler: getblockhash, args: ['height'] },
  { name: 'getblockheader', handler: getblockheader, args: ['blockhash', 'verbose'] },
  { name: 'getchaintips', handler: getchaintips, args: [] },
  { name: 'getdifficulty', handler: getdifficulty, args: [] },
  { name: 'gettxout', handler: gettxout, args: ['txid', 'n', 'include_mempool'] },
  { name: 'pruneblockchain', handler: pruneblockchain, args: ['height'] },
  { name: 'verifychain', handler: verifychain, args: ['checklevel', 'nblocks'] },
  { name: 'preciousblock', handler: preciousblock, args: ['blockhash'] },
  { name: 'scanblocks', handler: scanblocks, args: ['action', 'scanobjects', 'start_height', 'stop_height', 'filtertype', { name: 'filter_false_positives', namedOnly: true }, 'options'] },
  { name: 'gettxoutproof', handler: gettxoutproof, args: ['txids', 'blockhash'] },
  { name: 'verifytxoutproof', handler: verifytxoutproof, args: ['proof'] },
  { name: 'invalidateblock', handler: invalidateblock, args: ['blockhash'], category: 'hidden' },
  { name: 'reconsiderblock', handler: reconsiderblock, args: ['blockhash'], category: 'hidden' },
  { name: 'waitfornewblock', handler: waitfornewblock, args: ['timeout', 'current_tip'], category: 'hidden' },
  { name: 'waitforblock', handler: waitforblock, args: ['blockhash', 'timeout'], category: 'hidden' },
  { name: 'waitforblockheight', handler: waitforblockheight, args: ['height', 'timeout'], category: 'hidden' },
  { name: 'syncwithvalidationinterfacequeue', handler: syncwithvalidationinterfacequeue, args: [], category: 'hidden' },
];

/** Adds every command to `table`; handlers read the chainstate from `ctx` when they run. */
export function registerBlockchainRPCCommands(table: RPCTable, ctx: NodeContext): void {
  for (const c of BLOCKCHAIN_COMMANDS) {
    table.register(c.name, c.category ?? 'blockchain', (request) => c.handler(ctx, request.params), c.args);
  }
}
