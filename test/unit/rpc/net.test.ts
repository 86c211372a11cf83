// getnetworkinfo before P2P: Core's fields for a node without connection manager, peer manager or mempool.
import assert from 'node:assert/strict';
import { clientVersionNumber, registerNetRPCCommands } from '../../../src/rpc/net.js';
import { registerServerRPCCommands } from '../../../src/rpc/server_rpcs.js';
import { call, makeContext } from './node_context.js';

function node(argv: string[] = []) {
  const ctx = makeContext({ argv: ['-rpcdoccheck=1', ...argv] });
  registerServerRPCCommands(ctx.rpcTable, ctx);
  registerNetRPCCommands(ctx.rpcTable, ctx);
  ctx.rpcTable.setWarmupFinished();
  return ctx;
}

type Net = { name: string; limited: boolean; reachable: boolean; proxy: string; proxy_randomize_credentials: boolean };

describe('rpc getnetworkinfo', () => {
  it('has version, subversion, protocol version, networks, local addresses and warnings only', async () => {
    const ctx = node();
    ctx.subversion = '/Smithcoin:0.1.0(a)/';
    const info = await call(ctx, 'getnetworkinfo') as Record<string, unknown>;
    assert.deepEqual(Object.keys(info), ['version', 'subversion', 'protocolversion', 'networks', 'localaddresses', 'warnings']);
    assert.equal(info.subversion, '/Smithcoin:0.1.0(a)/');
    assert.equal(info.protocolversion, 70016);
    assert.equal(info.version, clientVersionNumber());
  });

  it('CLIENT_VERSION is major*10000 + minor*100 + build', () => {
    assert.equal(clientVersionNumber('0.1.0'), 100);
    assert.equal(clientVersionNumber('31.99.2'), 319902);
  });

  it('ipv4 and ipv6 are reachable by default; onion, i2p and cjdns need their options', async () => {
    const nets = (await call(node(), 'getnetworkinfo') as { networks: Net[] }).networks;
    assert.deepEqual(nets.map((n) => [n.name, n.reachable, n.limited]), [
      ['ipv4', true, false], ['ipv6', true, false], ['onion', false, true], ['i2p', false, true], ['cjdns', false, true],
    ]);
    assert.ok(nets.every((n) => n.proxy === '' && n.proxy_randomize_credentials === false));
  });

  it('-onlynet limits, -proxy reaches onion through the proxy, -cjdnsreachable and -i2psam add theirs', async () => {
    const nets = (await call(node(['-onlynet=ipv6', '-onlynet=onion', '-proxy=127.0.0.1:9050', '-cjdnsreachable', '-i2psam=127.0.0.1:7656']), 'getnetworkinfo') as { networks: Net[] }).networks;
    assert.deepEqual(nets.map((n) => [n.name, n.reachable, n.proxy]), [
      ['ipv4', false, '127.0.0.1:9050'], ['ipv6', true, '127.0.0.1:9050'], ['onion', true, '127.0.0.1:9050'], ['i2p', false, ''], ['cjdns', false, ''],
    ]);
    assert.equal(nets[2]!.proxy_randomize_credentials, true);
  });

  it('lists under == Network == in help', async () => {
    const text = String(await call(node(), 'help'));
    assert.match(text, /== Network ==\ngetnetworkinfo$/);
  });
});
