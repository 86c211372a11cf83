// Node control and test RPCs (Core's rpc/node.cpp): getmemoryinfo, logging, getindexinfo and the hidden
// setmocktime, mockscheduler, echo, echojson and echoipc.
import { makeEcho } from '../common/interfaces.js';
import type { NodeContext } from '../node/context.js';
import { mallocInfo } from '../util/malloc_info.js';
import { RPCError, RPCErrorCode } from './protocol.js';
import type { JSONObject, JSONValue } from './request.js';
import type { RPCTable } from './server.js';
import {
  getArray, getInt, getStr, helpExampleCli, helpExampleRpc, NonFatalCheckError, Optional, registerCommands, RPCHelpMan,
  UNIX_EPOCH_TIME, type RPCArg,
} from './util.js';

function setmocktime(): RPCHelpMan {
  return new RPCHelpMan({
    name: 'setmocktime',
    description: 'Set the local time to given timestamp (-regtest only)\n',
    args: [{ names: 'timestamp', type: 'NUM', fallback: Optional.NO, description: `${UNIX_EPOCH_TIME}\nPass 0 to go back to using the system time.` }],
    results: { type: 'NONE', description: '' },
    examples: '',
    handler: (req, ctx) => {
      if (!ctx.chainParams.isMockableChain) throw new Error('setmocktime is for regression testing (-regtest mode) only');
      const time = getInt(req.params[0], 'int64');
      // Block times are 32-bit: a mock time beyond that means nothing to consensus code.
      const max = 0xffffffff;
      if (time < 0 || time > max) {
        throw new RPCError(RPCErrorCode.RPC_INVALID_PARAMETER, `Mocktime must be in the range [0, ${max}], not ${time}.`);
      }
      ctx.clock.setMockTime(time);
      return null;
    },
  });
}

function mockscheduler(): RPCHelpMan {
  return new RPCHelpMan({
    name: 'mockscheduler',
    description: 'Bump the scheduler into the future (-regtest only)\n',
    args: [{ names: 'delta_time', type: 'NUM', fallback: Optional.NO, description: 'Number of seconds to forward the scheduler into the future.' }],
    results: { type: 'NONE', description: '' },
    examples: '',
    handler: (req, ctx) => {
      if (!ctx.chainParams.isMockableChain) throw new Error('mockscheduler is for regression testing (-regtest mode) only');
      const delta = getInt(req.params[0], 'int64');
      if (delta <= 0 || delta > 3600) throw new Error('delta_time must be between 1 and 3600 seconds (1 hr)');
      if (ctx.scheduler === undefined) throw new NonFatalCheckError('node_context.scheduler');
      ctx.scheduler.mockForward(delta);
      return null;
    },
  });
}

/**
 * Locked (mlock'd) memory, Core's LockedPoolManager stats. Nothing in this node allocates secure memory (no RNG
 * state or key of its own lives outside V8's heap), so the pool has no arena: what Core's stats() sums over none.
 */
function lockedMemoryInfo(): JSONObject {
  return { used: 0, free: 0, total: 0, locked: 0, chunks_used: 0, chunks_free: 0 };
}

function getmemoryinfo(): RPCHelpMan {
  return new RPCHelpMan({
    name: 'getmemoryinfo',
    description: 'Returns an object containing information about memory usage.\n',
    args: [{ names: 'mode', type: 'STR', fallback: { default: 'stats' }, description: 'determines what kind of information is returned.\n' +
      '  - "stats" returns general statistics about memory usage in the daemon.\n' +
      '  - "mallocinfo" returns an XML string describing low-level heap state (only available if compiled with glibc).' }],
    results: [
      { cond: 'mode "stats"', type: 'OBJ', description: '', inner: [
        { type: 'OBJ', key: 'locked', description: 'Information about locked memory manager', inner: [
          { type: 'NUM', key: 'used', description: 'Number of bytes used' },
          { type: 'NUM', key: 'free', description: 'Number of bytes available in current arenas' },
          { type: 'NUM', key: 'total', description: 'Total number of bytes managed' },
          { type: 'NUM', key: 'locked', description: 'Amount of bytes that succeeded locking. If this number is smaller than total, locking pages failed at some point and key data could be swapped to disk.' },
          { type: 'NUM', key: 'chunks_used', description: 'Number allocated chunks' },
          { type: 'NUM', key: 'chunks_free', description: 'Number unused chunks' },
        ] },
      ] },
      { cond: 'mode "mallocinfo"', type: 'STR', description: '"<malloc version="1">..."' },
    ],
    examples: helpExampleCli('getmemoryinfo', '') + helpExampleRpc('getmemoryinfo', ''),
    handler: (_req, _ctx, args) => {
      const mode = args.str('mode');
      if (mode === 'stats') return { locked: lockedMemoryInfo() };
      if (mode === 'mallocinfo') {
        const xml = mallocInfo();
        // As a Core build without glibc's malloc_info (HAVE_MALLOC_INFO).
        if (xml === undefined) throw new RPCError(RPCErrorCode.RPC_INVALID_PARAMETER, 'mallocinfo mode not available');
        return xml;
      }
      throw new RPCError(RPCErrorCode.RPC_INVALID_PARAMETER, `unknown mode ${mode}`);
    },
  });
}

function setLogCategories(ctx: NodeContext, cats: JSONValue, enable: boolean): void {
  for (const v of getArray(cats)) {
    const cat = getStr(v);
    const ok = enable ? ctx.logger.enableCategory(cat) : ctx.logger.disableCategory(cat);
    if (!ok) throw new RPCError(RPCErrorCode.RPC_INVALID_PARAMETER, `unknown logging category ${cat}`);
  }
}

function logging(ctx: NodeContext): RPCHelpMan {
  const category = (dir: string): RPCArg => ({ names: dir, type: 'ARR', fallback: Optional.OMITTED,
    description: `The categories to ${dir === 'include' ? 'add to' : 'remove from'} debug logging`,
    inner: [{ names: `${dir}_category`, type: 'STR', fallback: Optional.OMITTED, description: 'the valid logging category' }] });
  return new RPCHelpMan({
    name: 'logging',
    description: 'Gets and sets the logging configuration.\n' +
      'When called without an argument, returns the list of categories with status that are currently being debug logged or not.\n' +
      'When called with arguments, adds or removes categories from debug logging and return the lists above.\n' +
      'The arguments are evaluated in order "include", "exclude".\n' +
      'If an item is both included and excluded, it will thus end up being excluded.\n' +
      `The valid logging categories are: ${ctx.logger.logCategoriesString()}\n` +
      'In addition, the following are available as category names with special meanings:\n' +
      '  - "all",  "1" : represent all logging categories.\n',
    args: [category('include'), category('exclude')],
    results: { type: 'OBJ_DYN', description: 'keys are the logging categories, and values indicates its status', inner: [
      { type: 'BOOL', key: 'category', description: 'if being debug logged or not. false:inactive, true:active' },
    ] },
    examples: helpExampleCli('logging', '"[\\"all\\"]" "[\\"http\\"]"') + helpExampleRpc('logging', '["all"], ["leveldb"]'),
    handler: (req, c) => {
      if (Array.isArray(req.params[0])) setLogCategories(c, req.params[0], true);
      if (Array.isArray(req.params[1])) setLogCategories(c, req.params[1], false);
      const result: JSONObject = {};
      for (const { category: name, active } of c.logger.logCategoriesList()) result[name] = active;
      return result;
    },
  });
}

function echo(name: string): RPCHelpMan {
  const args: RPCArg[] = [];
  for (let i = 0; i < 10; i++) args.push({ names: `arg${i}`, type: 'STR', fallback: Optional.OMITTED, description: '', opts: { skipTypeCheck: true } });
  return new RPCHelpMan({
    name,
    description: 'Simply echo back the input arguments. This command is for testing.\n' +
      "\nIt will return an internal bug report when arg9='trigger_internal_bug' is passed.\n" +
      '\nThe difference between echo and echojson is that echojson has argument conversion enabled in the client-side table in ' +
      'smithcoin-cli and the GUI. There is no server-side difference.',
    args,
    results: { type: 'ANY', description: 'Returns whatever was passed in' },
    examples: '',
    handler: (req) => {
      if (req.params[9] === 'trigger_internal_bug') throw new NonFatalCheckError('request.params[9].get_str() != "trigger_internal_bug"');
      return req.params;
    },
  });
}

function echoipc(): RPCHelpMan {
  return new RPCHelpMan({
    name: 'echoipc',
    description: 'Echo back the input argument, passing it through a spawned process in a multiprocess build.\nThis command is for testing.\n',
    args: [{ names: 'arg', type: 'STR', fallback: Optional.NO, description: 'The string to echo' }],
    results: { type: 'STR', key: 'echo', description: 'The echoed string.' },
    examples: helpExampleCli('echo', '"Hello world"') + helpExampleRpc('echo', '"Hello world"'),
    handler: async (_req, ctx, args) => {
      // smithcoin-node echoes through a child smithcoin-node it spawns, which goes away with the Echo; smithcoind has
      // no IPC, so a local Echo answers and the result is the same.
      const child = await ctx.ipc?.spawnProcess('smithcoin-node');
      try {
        const e = child ? await child.init.makeEcho() : makeEcho();
        if (e === null) throw new Error('The spawned smithcoin-node returned no Echo');
        try {
          return await e.echo(args.str('arg'));
        } finally {
          await e.destroy();
        }
      } finally {
        await child?.close();
      }
    },
  });
}

/** What an index reports about itself (Core's IndexSummary). */
export interface IndexSummary {
  name: string;
  synced: boolean;
  bestBlockHeight: number;
}

/** The running indexes (txindex, coinstatsindex, blockfilterindex): this node has none yet. */
function indexSummaries(_ctx: NodeContext): IndexSummary[] {
  return [];
}

/** getindexinfo's reply: every index, or only the one named by a non-empty filter. */
export function indexInfoJSON(summaries: readonly IndexSummary[], filter: string): JSONObject {
  const result: JSONObject = {};
  for (const s of summaries) {
    if (filter !== '' && filter !== s.name) continue;
    result[s.name] = { synced: s.synced, best_block_height: s.bestBlockHeight };
  }
  return result;
}

function getindexinfo(): RPCHelpMan {
  return new RPCHelpMan({
    name: 'getindexinfo',
    description: 'Returns the status of one or all available indices currently running in the node.\n',
    args: [{ names: 'index_name', type: 'STR', fallback: Optional.OMITTED, description: 'Filter results for an index with a specific name.' }],
    results: { type: 'OBJ_DYN', description: '', inner: [
      { type: 'OBJ', key: 'name', description: 'The name of the index', inner: [
        { type: 'BOOL', key: 'synced', description: 'Whether the index is synced or not' },
        { type: 'NUM', key: 'best_block_height', description: 'The block height to which the index is synced' },
      ] },
    ] },
    examples: helpExampleCli('getindexinfo', '') + helpExampleRpc('getindexinfo', '') +
      helpExampleCli('getindexinfo', 'txindex') + helpExampleRpc('getindexinfo', 'txindex'),
    handler: (_req, ctx, args) => indexInfoJSON(indexSummaries(ctx), args.maybeStr('index_name') ?? ''),
  });
}

export function registerNodeRPCCommands(table: RPCTable, ctx: NodeContext): void {
  registerCommands(table, ctx, 'control', [getmemoryinfo(), logging(ctx)]);
  registerCommands(table, ctx, 'util', [getindexinfo()]);
  registerCommands(table, ctx, 'hidden', [setmocktime(), mockscheduler(), echo('echo'), echo('echojson'), echoipc()]);
}
