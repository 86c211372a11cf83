// getnetworkinfo before P2P: Core's fields, from the options as Core's init reads them, with no connection yet.
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
  it('has every field of Core\'s, in Core\'s order, with its defaults', async () => {
    const ctx = node();
    ctx.subversion = '/Smithcoin:0.1.0(a)/';
    const info = await call(ctx, 'getnetworkinfo') as Record<string, unknown>;
    assert.deepEqual(Object.keys(info), ['version', 'subversion', 'protocolversion', 'localservices', 'localservicesnames', 'localrelay',
      'timeoffset', 'networkactive', 'connections', 'connections_in', 'connections_out', 'networks', 'relayfee', 'incrementalfee',
      'localaddresses', 'warnings']);
    assert.equal(info.subversion, '/Smithcoin:0.1.0(a)/');
    assert.equal(info.protocolversion, 70017);
    assert.equal(info.version, clientVersionNumber());
    // What Core's bitcoind reports with its defaults: NETWORK, WITNESS, NETWORK_LIMITED, P2P_V2; 100 sat/kvB fees.
    assert.equal(info.localservices, '0000000000000c09');
    assert.deepEqual(info.localservicesnames, ['NETWORK', 'WITNESS', 'NETWORK_LIMITED', 'P2P_V2']);
    assert.deepEqual([info.localrelay, info.timeoffset, info.networkactive, info.connections], [true, 0, true, 0]);
    assert.deepEqual([(info.relayfee as { text: string }).text, (info.incrementalfee as { text: string }).text], ['0.00000100', '0.00000100']);
  });

  it('services, relay and the network switch follow the options', async () => {
    const ctx = node(['-prune=1', '-v2transport=0', '-peerbloomfilters', '-blocksonly', '-networkactive=0']);
    const info = await call(ctx, 'getnetworkinfo') as Record<string, unknown>;
    assert.equal(info.localservices, '000000000000040c');
    assert.deepEqual(info.localservicesnames, ['BLOOM', 'WITNESS', 'NETWORK_LIMITED']);
    assert.deepEqual([info.localrelay, info.networkactive], [false, false]);
  });

  it('relay fees come from init (-minrelaytxfee, -incrementalrelayfee)', async () => {
    const ctx = node();
    ctx.relayFees = { minRelayFeePerK: 2500n, incrementalRelayFeePerK: 300n };
    const info = await call(ctx, 'getnetworkinfo') as Record<string, unknown>;
    assert.deepEqual([(info.relayfee as { text: string }).text, (info.incrementalfee as { text: string }).text], ['0.00002500', '0.00000300']);
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
