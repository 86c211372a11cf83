// RPCHelpMan's help text against the layout Core's rpc/util.cpp produces: the summary line, argument
// and named-argument columns, nested result shapes, continuation lines, examples, and the table's
// `help` listing.
import assert from 'node:assert/strict';
import { RPCErrorCode } from '../../../src/rpc/protocol.js';
import { registerServerRPCCommands, tableHelp } from '../../../src/rpc/server_rpcs.js';
import {
  helpExampleCli, helpExampleCliNamed, helpExampleRpc, helpExampleRpcNamed, Optional, RPCHelpMan, type RPCArg,
} from '../../../src/rpc/util.js';
import { call, callError, makeContext } from './node_context.js';

const CURL = (method: string, params: string): string =>
  `> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "${method}", "params": ${params}}' ` +
  "-H 'content-type: application/json' http://127.0.0.1:8332/\n";

function echoLike(): RPCHelpMan {
  const args: RPCArg[] = [];
  for (let i = 0; i < 10; i++) args.push({ names: `arg${i}`, type: 'STR', fallback: Optional.OMITTED, description: '', opts: { skipTypeCheck: true } });
  return new RPCHelpMan({
    name: 'echo', description: 'Simply echo back the input arguments.\n', args,
    results: { type: 'ANY', description: 'Returns whatever was passed in' }, examples: '',
    handler: (req) => req.params,
  });
}

function nested(): RPCHelpMan {
  return new RPCHelpMan({
    name: 'tester',
    description: 'A method with nested arguments and results.',
    args: [
      { names: 'nblocks', type: 'NUM', fallback: Optional.NO, description: 'How many blocks are generated.' },
      { names: 'options', type: 'OBJ_NAMED_PARAMS', fallback: Optional.OMITTED, description: '', inner: [
        { names: 'verbose', type: 'BOOL', fallback: { default: false }, description: 'Be verbose' },
        { names: 'addresses', type: 'ARR', fallback: Optional.OMITTED, description: 'The addresses', inner: [
          { names: 'address', type: 'STR', fallback: Optional.OMITTED, description: 'An address' },
        ] },
      ] },
    ],
    results: { type: 'OBJ', description: '', inner: [
      { type: 'STR_HEX', key: 'hash', description: 'The hash' },
      { type: 'ARR', key: 'list', description: 'The list', inner: [{ type: 'NUM', description: 'An item' }] },
      { type: 'OBJ', key: 'empty', optional: true, description: 'Nothing' },
      { type: 'NUM_TIME', key: 'time', description: 'The time' },
    ] },
    examples: helpExampleCli('tester', '1'),
    handler: () => null,
  });
}

describe('rpc/util help text', () => {
  it('lays out a method without arguments (uptime)', () => {
    const ctx = makeContext();
    registerServerRPCCommands(ctx.rpcTable, ctx);
    assert.equal(tableHelp(ctx.rpcTable, 'uptime'), [
      'uptime',
      '',
      'Returns the total uptime of the server.',
      '',
      'Result:',
      'n    (numeric) The number of seconds that the server has been running',
      '',
      'Examples:',
      '> smithcoin-cli uptime ',
      CURL('uptime', '[]'),
    ].join('\n'));
  });

  it('lays out optional arguments and leaves ANY results out (echo)', () => {
    const lines = ['echo ( "arg0" "arg1" "arg2" "arg3" "arg4" "arg5" "arg6" "arg7" "arg8" "arg9" )', '',
      'Simply echo back the input arguments.', '', 'Arguments:'];
    for (let i = 0; i < 10; i++) lines.push(`${`${i + 1}. arg${i}`.padEnd(12)}(string, optional)`);
    assert.equal(echoLike().toString(), `${lines.join('\n')}\n`);
  });

  it('lays out named-only options, nested arrays and object results', () => {
    assert.equal(nested().toString(), [
      'tester nblocks ( {"verbose":bool,"addresses":["address",...],...} )',
      '',
      'A method with nested arguments and results.',
      '',
      'Arguments:',
      '1. nblocks    (numeric, required) How many blocks are generated.',
      '2. options    (json object, optional) Options object that can be used to pass named arguments, listed below.',
      '',
      'Named Arguments:',
      'verbose              (boolean, optional, default=false) Be verbose',
      'addresses            (json array, optional) The addresses',
      '     [',
      '       "address",    (string) An address',
      '       ...',
      '     ]',
      '',
      'Result:',
      '{                    (json object)',
      '  "hash" : "hex",    (string) The hash',
      '  "list" : [         (json array) The list',
      '    n,               (numeric) An item',
      '    ...',
      '  ],',
      '  "empty" : {}       (empty JSON object, optional) Nothing',
      '  "time" : xxx       (numeric) The time',
      '}',
      '',
      'Examples:',
      '> smithcoin-cli tester 1',
      '',
    ].join('\n'));
  });

  it('indents continuation lines of a description to the column', () => {
    const man = new RPCHelpMan({
      name: 'getmemoryinfo', description: 'Returns an object containing information about memory usage.\n',
      args: [{ names: 'mode', type: 'STR', fallback: { default: 'stats' }, description:
        'determines what kind of information is returned.\n  - "stats" returns general statistics.\n  - "mallocinfo" returns XML.' }],
      results: [
        { cond: 'mode "stats"', type: 'OBJ', description: '', inner: [{ type: 'NUM', key: 'used', description: 'Number of bytes used' }] },
        { cond: 'mode "mallocinfo"', type: 'STR', description: '"<malloc version="1">..."' },
      ],
      examples: '', handler: () => null,
    });
    assert.equal(man.toString(), [
      'getmemoryinfo ( "mode" )',
      '',
      'Returns an object containing information about memory usage.',
      '',
      'Arguments:',
      '1. mode    (string, optional, default="stats") determines what kind of information is returned.',
      '           - "stats" returns general statistics.',
      '           - "mallocinfo" returns XML.',
      '',
      'Result (mode "stats"):',
      '{                (json object)',
      '  "used" : n     (numeric) Number of bytes used',
      '}',
      '',
      'Result (mode "mallocinfo"):',
      '"str"    (string) "<malloc version="1">..."',
      '',
    ].join('\n'));
  });

  it('shows a default hint, hides hidden args and wraps optional runs', () => {
    const man = new RPCHelpMan({
      name: 'm', description: 'D', examples: '', handler: () => null, results: { type: 'NONE', description: '' },
      args: [
        { names: 'a|alias', type: 'STR_HEX', fallback: Optional.NO, description: 'x' },
        { names: 'b', type: 'AMOUNT', fallback: { hint: 'the fee' }, description: 'y' },
        { names: 'c', type: 'RANGE', fallback: Optional.NO, description: 'z' },
        { names: 'd', type: 'NUM', fallback: Optional.OMITTED, description: 'hidden', opts: { hidden: true } },
      ],
    });
    assert.equal(man.toString(), [
      'm "a" ( b ) c', '', 'D', '', 'Arguments:',
      '1. a    (string, required) x',
      '2. b    (numeric or string, optional, default=the fee) y',
      '3. c    (numeric or array, required) z',
      '', 'Result:', 'null    (json null)', '',
    ].join('\n'));
  });

  it('prints examples as Core does, with smithcoin-cli', () => {
    assert.equal(helpExampleCli('getblock', '"hash"'), '> smithcoin-cli getblock "hash"\n');
    assert.equal(helpExampleRpc('getblock', '"hash", 1'), CURL('getblock', '["hash", 1]'));
    assert.equal(helpExampleCliNamed('send', [['outputs', { a: 1 }], ['label', "it's"], ['n', 3]]),
      `> smithcoin-cli -named send outputs='{"a":1}' label='it'\\''s' n=3\n`);
    assert.equal(helpExampleRpcNamed('send', [['conf_target', 6], ['x', 'y']]), CURL('send', '{"conf_target":6,"x":"y"}'));
  });
});

describe('rpc/util help command', () => {
  it('lists categories sorted as Core sorts them, without hidden commands', async () => {
    const ctx = makeContext();
    registerServerRPCCommands(ctx.rpcTable, ctx);
    echoLike().register(ctx.rpcTable, 'hidden', ctx);
    nested().register(ctx.rpcTable, 'blockchain', ctx);
    ctx.rpcTable.setWarmupFinished();
    assert.equal(await call(ctx, 'help'), [
      '== Blockchain ==',
      'tester nblocks ( {"verbose":bool,"addresses":["address",...],...} )',
      '',
      '== Control ==',
      'getrpcinfo',
      'help ( "command" )',
      'stop',
      'uptime',
    ].join('\n'));
    // A command's help keeps its own final newline (only the one added after it is dropped).
    assert.equal(await call(ctx, 'help', ['echo']), echoLike().toString());
    assert.equal(await call(ctx, 'help', { command: 'nope' }), 'help: unknown command: nope');
  });

  it('answers a wrong argument count with the help text as RPC_MISC_ERROR', async () => {
    const ctx = makeContext();
    registerServerRPCCommands(ctx.rpcTable, ctx);
    nested().register(ctx.rpcTable, 'blockchain', ctx);
    ctx.rpcTable.setWarmupFinished();
    for (const params of [[], [1, {}, 3]]) {
      const e = await callError(ctx, 'tester', params);
      assert.equal(e.code, RPCErrorCode.RPC_MISC_ERROR);
      assert.equal(e.message, nested().toString());
    }
    const e = await callError(ctx, 'uptime', [1]);
    assert.ok(e.message.startsWith('uptime\n\nReturns the total uptime'));
  });

  it('dumps the argument conversion table', async () => {
    const ctx = makeContext();
    registerServerRPCCommands(ctx.rpcTable, ctx);
    nested().register(ctx.rpcTable, 'blockchain', ctx);
    ctx.rpcTable.setWarmupFinished();
    assert.deepEqual(await call(ctx, 'help', ['dump_all_command_conversions']), [
      ['help', 0, 'command', true],
      ['stop', 0, 'wait', false],
      ['tester', 0, 'nblocks', false],
      ['tester', 1, 'options', false],
      ['tester', 1, 'verbose', false],
      ['tester', 1, 'addresses', false],
    ]);
  });
});
