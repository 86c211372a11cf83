// Control and hidden test RPCs through the table: stop, uptime, getrpcinfo, logging, getmemoryinfo,
// echo/echojson/echoipc, setmocktime, mockscheduler and getindexinfo, with Core's replies and errors.
import assert from 'node:assert/strict';
import type { NodeContext } from '../../../src/node/context.js';
import { indexInfoJSON } from '../../../src/rpc/node.js';
import { RPCErrorCode } from '../../../src/rpc/protocol.js';
import { registerAllRPCCommands } from '../../../src/rpc/register.js';
import { RPCHelpMan } from '../../../src/rpc/util.js';
import { LogFlags } from '../../../src/util/logging.js';
import { registerServerRPCCommands } from '../../../src/rpc/server_rpcs.js';
import { Scheduler } from '../../../src/util/scheduler.js';
import { basic, json, request, startServer } from './harness.js';
import { call, callError, makeContext, type TestContextOptions } from './node_context.js';

function node(opts: TestContextOptions = {}): NodeContext {
  const ctx = makeContext(opts);
  registerAllRPCCommands(ctx.rpcTable, ctx);
  ctx.rpcTable.setWarmupFinished();
  return ctx;
}

describe('rpc control commands', () => {
  it('stop answers with the client name, then requests shutdown', async () => {
    const ctx = node();
    assert.equal(await call(ctx, 'stop'), 'Smithcoin Core stopping');
    assert.equal(ctx.shutdown.requested, false);
    await new Promise(setImmediate);
    assert.equal(ctx.shutdown.requested, true);
    const e = await callError(ctx, 'stop', ['x']);
    assert.match(e.message, /JSON value of type string is not of expected type number/);
  });

  it('stop\'s reply reaches an HTTP client even when shutdown closes the server at once', async () => {
    const h = await startServer({ auth: { rpcuser: 'u', rpcpassword: 'p' } });
    try {
      const ctx = { ...makeContext(), rpcTable: h.table };
      registerServerRPCCommands(h.table, ctx);
      const stopped = ctx.shutdown.wait().then(() => h.server.stop());
      const res = await request(h.port, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'stop', params: [] }), { auth: basic('u', 'p') });
      assert.equal(res.status, 200);
      assert.deepEqual(json(res), { jsonrpc: '2.0', result: 'Smithcoin Core stopping', id: 1 });
      await stopped;
    } finally {
      await h.close();
    }
  });

  it('uptime counts wall seconds since start and ignores mock time', async () => {
    const ctx = node({ startTime: Math.floor(Date.now() / 1000) - 100 });
    const before = await call(ctx, 'uptime');
    assert.ok(typeof before === 'number' && before >= 100 && before <= 102, String(before));
    await call(ctx, 'setmocktime', [Math.floor(Date.now() / 1000) + 100_000]);
    const after = await call(ctx, 'uptime');
    assert.ok(typeof after === 'number' && after - before < 5, String(after));
  });

  it('getrpcinfo lists running commands with their duration and the log path', async () => {
    const ctx = makeContext();
    ctx.logger.filePath = '/tmp/node/debug.log';
    registerAllRPCCommands(ctx.rpcTable, ctx);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => { release = r; });
    new RPCHelpMan({ name: 'slow', description: '', args: [], results: { type: 'NONE', description: '' }, examples: '',
      handler: async () => { await gate; return null; } }).register(ctx.rpcTable, 'test', ctx);
    ctx.rpcTable.setWarmupFinished();
    const pending = call(ctx, 'slow');
    const info = await call(ctx, 'getrpcinfo') as { active_commands: Array<{ method: string; duration: number }>; logpath: string };
    assert.deepEqual(info.active_commands.map((c) => c.method), ['slow', 'getrpcinfo']);
    for (const c of info.active_commands) assert.ok(Number.isInteger(c.duration) && c.duration >= 0);
    assert.equal(info.logpath, '/tmp/node/debug.log');
    release();
    await pending;
    const done = await call(ctx, 'getrpcinfo') as { active_commands: Array<{ method: string }> };
    assert.deepEqual(done.active_commands.map((c) => c.method), ['getrpcinfo']);
  });

  it('logging includes and excludes categories in order, with Core errors', async () => {
    const ctx = node();
    const state = await call(ctx, 'logging') as Record<string, boolean>;
    assert.equal(state.net, false);
    assert.deepEqual(Object.keys(state), [...Object.keys(state)].sort());
    const after = await call(ctx, 'logging', [['net', 'rpc'], ['rpc']]) as Record<string, boolean>;
    assert.equal(after.net, true);
    assert.equal(after.rpc, false);
    assert.ok(ctx.logger.willLogCategory(LogFlags.NET));
    const all = await call(ctx, 'logging', [['all']]) as Record<string, boolean>;
    assert.ok(Object.values(all).every((v) => v));
    const e = await callError(ctx, 'logging', [['nope']]);
    assert.equal(e.code, RPCErrorCode.RPC_INVALID_PARAMETER);
    assert.equal(e.message, 'unknown logging category nope');
    assert.equal((await callError(ctx, 'logging', [[], ['bad']])).message, 'unknown logging category bad');
    assert.equal((await callError(ctx, 'logging', [[1]])).message, 'JSON value of type number is not of expected type string');
    assert.match(String(await call(ctx, 'help', ['logging'])), /The valid logging categories are: addrman, bench, blockstorage, /);
  });

  it('getmemoryinfo answers stats (an unused locked pool) and refuses unknown modes', async () => {
    const ctx = node();
    assert.deepEqual(await call(ctx, 'getmemoryinfo'), { locked: { used: 0, free: 0, total: 0, locked: 0, chunks_used: 0, chunks_free: 0 } });
    assert.deepEqual(await call(ctx, 'getmemoryinfo', ['stats']), await call(ctx, 'getmemoryinfo'));
    assert.equal((await callError(ctx, 'getmemoryinfo', ['foobar'])).message, 'unknown mode foobar');
  });

  it('getmemoryinfo mallocinfo is glibc\'s malloc_info XML under glibc, as a Core build with HAVE_MALLOC_INFO', async () => {
    const header = (process.report.getReport() as { header: { glibcVersionRuntime?: string } }).header;
    if (header.glibcVersionRuntime === undefined) {
      const m = await callError(node(), 'getmemoryinfo', ['mallocinfo']);
      assert.deepEqual([m.code, m.message], [RPCErrorCode.RPC_INVALID_PARAMETER, 'mallocinfo mode not available']);
      return;
    }
    const xml = String(await call(node(), 'getmemoryinfo', ['mallocinfo']));
    assert.match(xml, /^<malloc version="1">\n<heap nr="0">/);
    assert.match(xml, /<system type="current" size="[1-9]\d*"\/>\n<system type="max" size="\d+"\/>\n/);
    assert.match(xml, /<\/malloc>\n$/);
  });

  it('echo and echojson return their params; arg9 can trigger the internal bug report', async () => {
    const ctx = node();
    assert.deepEqual(await call(ctx, 'echo', ['a', 1, { b: [true] }]), ['a', 1, { b: [true] }]);
    assert.deepEqual(await call(ctx, 'echojson', { arg1: 'x' }), [null, 'x']);
    const e = await callError(ctx, 'echo', { arg9: 'trigger_internal_bug' });
    assert.equal(e.code, RPCErrorCode.RPC_MISC_ERROR);
    assert.ok(e.message.startsWith('Internal bug detected: request.params[9].get_str() != "trigger_internal_bug"\n'), e.message);
    assert.match(e.message, /\nSmithcoin Core v/);
    assert.equal((await callError(ctx, 'echo', new Array(11).fill(0))).code, RPCErrorCode.RPC_MISC_ERROR);
    assert.equal(await call(ctx, 'echoipc', ['hello']), 'hello');
  });

  it('setmocktime sets the clock on regtest only, within 32-bit times', async () => {
    const ctx = node();
    assert.equal(await call(ctx, 'setmocktime', [1_700_000_000]), null);
    assert.equal(ctx.clock.now(), 1_700_000_000);
    await call(ctx, 'setmocktime', [0]);
    assert.equal(ctx.clock.mockTime, 0);
    for (const t of [-1, 2 ** 32]) {
      const e = await callError(ctx, 'setmocktime', [t]);
      assert.deepEqual([e.code, e.message], [RPCErrorCode.RPC_INVALID_PARAMETER, `Mocktime must be in the range [0, 4294967295], not ${t}.`]);
    }
    const main = node({ chain: 'main' });
    const e = await callError(main, 'setmocktime', [1]);
    assert.deepEqual([e.code, e.message], [RPCErrorCode.RPC_MISC_ERROR, 'setmocktime is for regression testing (-regtest mode) only']);
  });

  it('mockscheduler moves scheduled tasks forward', async () => {
    let now = 1000;
    const ctx = node();
    ctx.scheduler = new Scheduler({ now: () => now });
    const ran: string[] = [];
    ctx.scheduler.scheduleFromNow(() => ran.push('in 10s'), 10_000);
    ctx.scheduler.scheduleFromNow(() => ran.push('in 1h'), 3_600_000);
    assert.equal(await call(ctx, 'mockscheduler', [11]), null);
    ctx.scheduler.runDue();
    assert.deepEqual(ran, ['in 10s']);
    assert.equal(ctx.scheduler.getQueueInfo().first, 1000 + 3_600_000 - 11_000);
    now += 1; // nothing else is due yet
    ctx.scheduler.runDue();
    assert.deepEqual(ran, ['in 10s']);
    for (const d of [0, 3601]) {
      assert.equal((await callError(ctx, 'mockscheduler', [d])).message, 'delta_time must be between 1 and 3600 seconds (1 hr)');
    }
    ctx.scheduler.stop();
    const main = node({ chain: 'main' });
    assert.equal((await callError(main, 'mockscheduler', [1])).message, 'mockscheduler is for regression testing (-regtest mode) only');
    const none = node();
    assert.match((await callError(none, 'mockscheduler', [1])).message, /^Internal bug detected: node_context.scheduler\n/);
  });

  it('getindexinfo is empty without indexes, also when filtered', async () => {
    const ctx = node();
    assert.deepEqual(await call(ctx, 'getindexinfo'), {});
    assert.deepEqual(await call(ctx, 'getindexinfo', ['txindex']), {});
    const summaries = [{ name: 'txindex', synced: true, bestBlockHeight: 7 }, { name: 'basic block filter index', synced: false, bestBlockHeight: 3 }];
    assert.deepEqual(indexInfoJSON(summaries, 'txindex'), { txindex: { synced: true, best_block_height: 7 } });
    assert.deepEqual(Object.keys(indexInfoJSON(summaries, '')), ['txindex', 'basic block filter index']);
    assert.deepEqual(indexInfoJSON(summaries, 'coinstatsindex'), {});
  });

  it('lists every registered command group in help', async () => {
    const ctx = node();
    const text = String(await call(ctx, 'help'));
    assert.deepEqual(text.split('\n').filter((l) => l.startsWith('==')), ['== Blockchain ==', '== Control ==', '== Network ==', '== Util ==']);
    for (const cmd of ['getmemoryinfo ( "mode" )', 'logging ( ["include_category",...] ["exclude_category",...] )',
      'createmultisig nrequired ["key",...] ( "address_type" )', 'deriveaddresses "descriptor" ( range )',
      'estimatesmartfee conf_target ( "estimate_mode" )', 'getdescriptorinfo "descriptor"', 'getindexinfo ( "index_name" )',
      'signmessagewithprivkey "privkey" "message"', 'validateaddress "address"', 'verifymessage "address" "signature" "message"']) {
      assert.ok(text.includes(`\n${cmd}\n`) || text.endsWith(`\n${cmd}`), cmd);
    }
    assert.ok(!text.includes('echo'), 'hidden commands are not listed');
  });
});
