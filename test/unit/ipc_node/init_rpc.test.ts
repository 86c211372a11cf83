// The node's Init over a real unix socket: Echo round trips, the removed mining slot's error, and Rpc.executeRpc
// giving the same reply text as the HTTP dispatcher (errors as JSON-RPC error replies, allow lists applied).
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'mocha';
import { OLD_MINING_INTERFACE_ERROR } from '../../../src/ipc/capnp/init-types.js';
import { executeHTTPRPC, type RPCDispatchOptions } from '../../../src/rpc/httprpc.js';
import { writeJSON } from '../../../src/rpc/json.js';
import { JSONRPCRequest, type JSONValue } from '../../../src/rpc/request.js';
import { RPCTable } from '../../../src/rpc/server.js';
import { registerServerRPCCommands } from '../../../src/rpc/server_rpcs.js';
import { NodeHarness } from './harness.js';

let harness: NodeHarness | undefined;

describe('ipc_node: Init, Echo and Rpc', () => {
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('makeEcho: round trips (empty, long, non-ASCII) and destroy', async () => {
    const h = harness = await NodeHarness.start();
    const { init } = await h.connect();
    const echo = await init.makeEcho();
    assert.ok(echo !== null);
    for (const s of ['hallo', '', 'x'.repeat(100_000), 'héllo wörld ₿ 🚀']) assert.equal(await echo.echo(s), s);
    await echo.destroy();
    await h.waitForLine(/IPC server destroy Echo$/);
  });

  it('makeMiningOld2 fails with Core\'s text', async () => {
    const h = harness = await NodeHarness.start();
    const { init } = await h.connect();
    await assert.rejects(init.makeMiningOld2(), (e: Error) => e.message.includes(OLD_MINING_INTERFACE_ERROR));
  });

  it('makeRpc: executeRpc answers as the HTTP dispatcher does', async () => {
    const h = harness = await NodeHarness.start();
    registerServerRPCCommands(h.ctx.rpcTable, h.ctx);
    h.ctx.rpcTable.setWarmupFinished();
    const { init } = await h.connect();
    const rpc = await init.makeRpc();
    assert.ok(rpc !== null);
    const options: RPCDispatchOptions = { table: h.ctx.rpcTable, auth: { whitelist: new Map(), whitelistDefault: false }, log: h.ctx.logger };
    const viaHttp = async (value: JSONValue): Promise<string> => {
      const jreq = new JSONRPCRequest();
      jreq.uri = '/';
      return writeJSON((await executeHTTPRPC(value, jreq, options)).reply ?? null);
    };
    const requests: JSONValue[] = [
      { jsonrpc: '2.0', method: 'uptime', id: 1 },
      { method: 'help', params: ['uptime'], id: 'x' },
      { jsonrpc: '2.0', method: 'nosuchmethod', id: 2 },
      { method: 'nosuchmethod', id: 3 },
      [{ jsonrpc: '2.0', method: 'uptime', id: 4 }, { jsonrpc: '2.0', method: 'help', params: [1], id: 5 }],
    ];
    for (const r of requests) assert.equal(await rpc.executeRpc(JSON.stringify(r), '/', 'user'), await viaHttp(r));
    assert.equal(await rpc.executeRpc('{"jsonrpc":"2.0","method":"nosuchmethod","id":2}', '/', ''),
      '{"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found"},"id":2}');
    // Text that is not JSON is a null request, which Core's dispatcher rejects.
    assert.equal(await rpc.executeRpc('{not json', '/', ''), '{"result":null,"error":{"code":-32700,"message":"Top-level object parse error"},"id":null}');
    // A notification gets no reply: JSON null.
    assert.equal(await rpc.executeRpc('{"jsonrpc":"2.0","method":"uptime"}', '/', ''), 'null');
  });

  it('makeRpc: the node\'s allow lists apply to the IPC user', async () => {
    const warnings: string[] = [];
    const rpcOptions: RPCDispatchOptions = {
      table: new RPCTable(),
      auth: { whitelist: new Map([['alice', new Set(['uptime'])]]), whitelistDefault: false },
      log: { warning: (m) => warnings.push(m) },
    };
    const h = harness = await NodeHarness.start({ rpc: rpcOptions });
    registerServerRPCCommands(rpcOptions.table, h.ctx);
    rpcOptions.table.setWarmupFinished();
    const rpc = (await (await h.connect()).init.makeRpc())!;
    assert.match(await rpc.executeRpc('{"method":"uptime","id":1}', '/', 'alice'), /^\{"result":\d+,"error":null,"id":1\}$/);
    assert.equal(await rpc.executeRpc('{"method":"help","id":1}', '/', 'alice'), 'null');
    assert.deepEqual(warnings, ['RPC User alice not allowed to call method help']);
  });
});
