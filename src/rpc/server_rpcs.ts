// The RPC server's own commands (Core's rpc/server.cpp): help, stop, uptime and getrpcinfo, and the
// help listing built from the RPCHelpMan of every registered command.
import { setTimeout as sleep } from 'node:timers/promises';
import { CLIENT_NAME } from '../clientversion.js';
import type { NodeContext } from '../node/context.js';
import type { JSONValue } from './request.js';
import type { RPCTable } from './server.js';
import {
  getInt, helpExampleCli, helpExampleRpc, Optional, registerCommands, RPCHelpMan, rpcTableInfo, uvTypeName,
} from './util.js';

/** Core's Capitalize: the first character upper-cased. */
function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * Core's CRPCTable::help: with no command, the first line of every visible command's help under
 * `== Category ==` headers (sorted by category then name; "hidden" left out); with one, its full help.
 */
export function tableHelp(table: RPCTable, command: string): string {
  const entries = [...rpcTableInfo(table).commands.entries()]
    .map(([name, c]) => ({ key: c.category + name, name, ...c }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  let out = '';
  let category = '';
  for (const { name, category: cat, man } of entries) {
    if ((command !== '' || cat === 'hidden') && name !== command) continue;
    let text = man.toString();
    if (command === '') {
      const nl = text.indexOf('\n');
      if (nl >= 0) text = text.slice(0, nl);
      if (category !== cat) {
        if (category !== '') out += '\n';
        category = cat;
        out += `== ${capitalize(cat)} ==\n`;
      }
    }
    out += `${text}\n`;
  }
  if (out === '') out = `help: unknown command: ${command}\n`;
  return out.slice(0, -1);
}

function help(table: RPCTable): RPCHelpMan {
  return new RPCHelpMan({
    name: 'help',
    description: 'List all commands, or get help for a specified command.\n',
    args: [{ names: 'command', type: 'STR', fallback: { hint: 'all commands' }, description: 'The command to get help on' }],
    results: [{ type: 'STR', description: 'The help text' }, { type: 'ANY', description: '' }],
    examples: '',
    handler: (_req, _ctx, args) => {
      const command = args.maybeStr('command');
      if (command === 'dump_all_command_conversions') return dumpArgMap(table);
      return tableHelp(table, command ?? '');
    },
  });
}

/**
 * Core's dumpArgMap (undocumented, for tests): [method, position, name, is string] for every
 * argument name, used to check the client's conversion table.
 */
function dumpArgMap(table: RPCTable): JSONValue[] {
  const out: JSONValue[] = [];
  const names = [...rpcTableInfo(table).commands.keys()].sort();
  for (const name of names) {
    const man = rpcTableInfo(table).commands.get(name)?.man;
    man?.args.forEach((arg, i) => {
      for (const argName of arg.names.split('|')) {
        out.push([name, i, argName, arg.type === 'STR' || arg.type === 'STR_HEX']);
        if (arg.type !== 'OBJ_NAMED_PARAMS') continue;
        for (const inner of arg.inner ?? []) {
          for (const innerName of inner.names.split('|')) {
            out.push([name, i, innerName, inner.type === 'STR' || inner.type === 'STR_HEX']);
          }
        }
      }
    });
  }
  return out;
}

export const STOP_RESULT = `${CLIENT_NAME} stopping`;

function stop(): RPCHelpMan {
  return new RPCHelpMan({
    name: 'stop',
    description: `Request a graceful shutdown of ${CLIENT_NAME}.`,
    // The hidden "wait" (milliseconds) delays the reply, for tests.
    args: [{ names: 'wait', type: 'NUM', fallback: Optional.OMITTED, description: 'how long to wait in ms', opts: { hidden: true } }],
    results: { type: 'STR', description: `A string with the content '${STOP_RESULT}'` },
    examples: '',
    handler: async (req, ctx) => {
      const wait = req.params[0];
      if (uvTypeName(wait) === 'number') await sleep(getInt(wait));
      // The reply is written by promise continuations of this return; the shutdown (which closes
      // the HTTP server's connections) is requested only after they have run.
      setImmediate(() => ctx.shutdown.request());
      return STOP_RESULT;
    },
  });
}

function uptime(): RPCHelpMan {
  return new RPCHelpMan({
    name: 'uptime',
    description: 'Returns the total uptime of the server.\n',
    args: [],
    results: { type: 'NUM', description: 'The number of seconds that the server has been running' },
    examples: helpExampleCli('uptime', '') + helpExampleRpc('uptime', ''),
    // Wall time, not the mockable clock: setmocktime must not move the uptime.
    handler: (_req, ctx) => Math.floor((Date.now() - ctx.startTime * 1000) / 1000),
  });
}

function getrpcinfo(table: RPCTable): RPCHelpMan {
  return new RPCHelpMan({
    name: 'getrpcinfo',
    description: 'Returns details of the RPC server.\n',
    args: [],
    results: {
      type: 'OBJ', description: '', inner: [
        { type: 'ARR', key: 'active_commands', description: 'All active commands', inner: [
          { type: 'OBJ', description: 'Information about an active command', inner: [
            { type: 'STR', key: 'method', description: 'The name of the RPC command' },
            { type: 'NUM', key: 'duration', description: 'The running time in microseconds' },
          ] },
        ] },
        { type: 'STR', key: 'logpath', description: 'The complete file path to the debug log' },
      ],
    },
    examples: helpExampleCli('getrpcinfo', '') + helpExampleRpc('getrpcinfo', ''),
    handler: (_req, ctx) => {
      const now = process.hrtime.bigint();
      const active = [...rpcTableInfo(table).active].map((c) => ({ method: c.method, duration: Number((now - c.startNs) / 1000n) }));
      return { active_commands: active, logpath: ctx.logger.filePath };
    },
  });
}

/** Core's table constructor: the control commands every table has. */
export function registerServerRPCCommands(table: RPCTable, ctx: NodeContext): void {
  registerCommands(table, ctx, 'control', [getrpcinfo(table), help(table), stop(), uptime()]);
}
