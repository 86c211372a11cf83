'use strict';
// bcoin 1.0.2 on regtest for the node benchmarks: loopback only, no seeds, no outside lookups.
// Env: HTTP_PORT, P2P_PORT, API_KEY, DATA_DIR (a folder: on-disk chain, else in memory).
const bcoin = require('bcoin');

const port = Number(process.env.P2P_PORT || 48444);
const httpPort = Number(process.env.HTTP_PORT || 48332);
const dataDir = process.env.DATA_DIR || '';
const node = new bcoin.FullNode({
  network: 'regtest', memory: dataDir === '', prefix: dataDir || `${__dirname}/data`,
  host: '127.0.0.1', port, publicHost: '127.0.0.1', listen: true,
  seeds: [], nodes: [], only: [], maxOutbound: 1, upnp: false,
  httpHost: '127.0.0.1', httpPort, apiKey: process.env.API_KEY || 'smithcoin',
  workers: false, logConsole: false, logLevel: 'error',
});
// bcoin would ask an outside resolver for its public address and dial gossiped peers: keep it on loopback.
node.pool.discoverExternal = async () => {};
node.pool.discoverGateway = async () => {};
const addHost = node.pool.hosts.add.bind(node.pool.hosts);
node.pool.hosts.add = (addr, src) => (/^127\./.test(addr.host) ? addHost(addr, src) : false);

(async () => {
  await node.ensure();
  await node.open();
  await node.connect();
  console.log(`bcoin regtest up: http 127.0.0.1:${httpPort} tip=${node.chain.height}`);
})().catch((e) => { console.error(e); process.exit(1); });
process.on('SIGTERM', async () => { await node.close(); process.exit(0); });
