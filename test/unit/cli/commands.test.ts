// -getinfo, -generate, -netinfo and -addrinfo against an in-process server with node-shaped replies.
import { valueFromAmount } from '../../../src/core_io.js';
import assert from 'node:assert/strict';
import { connect, runCli, startServer, type Server } from './harness.js';

const networkinfo = {
  version: 10000, subversion: '/Smithcoin:0.1.0/', protocolversion: 70016, localservicesnames: ['NETWORK', 'WITNESS', 'NETWORK_LIMITED'],
  timeoffset: 0, connections: 3, connections_in: 1, connections_out: 2,
  networks: [
    { name: 'ipv4', reachable: true, proxy: '127.0.0.1:9050' },
    { name: 'ipv6', reachable: true, proxy: '' },
    { name: 'onion', reachable: false, proxy: '127.0.0.1:9050' },
  ],
  relayfee: valueFromAmount(1000n), localaddresses: [{ address: '1.2.3.4', port: 8333, score: 4 }], warnings: '',
};
const blockchaininfo = { chain: 'regtest', blocks: 200, headers: 201, verificationprogress: 0.5, difficulty: 4.656542373906925e-10 };

describe('smithcoin-cli -getinfo', () => {
  let s: Server;
  before(async () => {
    s = await startServer();
    s.table.register('getnetworkinfo', 'test', (r) => { batchIds.push([r.method, r.id]); return networkinfo; });
    s.table.register('getblockchaininfo', 'test', (r) => { batchIds.push([r.method, r.id]); return blockchaininfo; });
  });
  const batchIds: unknown[] = [];
  after(async () => s.close());

  const expectedNode = [
    'Chain: regtest',
    'Blocks: 200',
    'Headers: 201',
    `Verification progress: ${'\u2592'.repeat(10)}${'\u2591'.repeat(10)} 50.0000%`,
    'Difficulty: 4.656542373906925e-10',
    '',
    'Network: in 1, out 2, total 3',
    'Version: 10000',
    'Time offset (s): 0',
    'Proxies: 127.0.0.1:9050 (ipv4, onion)',
    'Min tx relay fee rate (BTC/kvB): 0.00001000',
    '',
  ];

  it('sends one batch and prints Core\'s summary without a wallet', async () => {
    const r = await runCli([...connect(s), '-getinfo']);
    assert.deepEqual(r, { code: 0, stdout: [...expectedNode, 'Warnings: (none)', ''].join('\n'), stderr: '' });
    // getwalletinfo and getbalances failed (no wallet) without failing -getinfo; the batch carried ids 0-3.
    assert.deepEqual(batchIds, [['getnetworkinfo', 0], ['getblockchaininfo', 1]]);
  });

  it('adds the wallet lines, and colours with -color=always', async () => {
    s.table.register('getwalletinfo', 'test', () => ({ walletname: '', keypoolsize: 1000, unlocked_until: 0 }));
    s.table.register('getbalances', 'test', () => ({ mine: { trusted: 12.5 } }));
    s.table.register('listwallets', 'test', () => ['', 'second']);
    let r = await runCli([...connect(s), '-getinfo', '-rpcwallet=']);
    assert.equal(r.stdout, [...expectedNode, 'Wallet: ""', 'Keypool size: 1000', 'Unlocked until: 0', 'Balance: 12.5', '', 'Warnings: (none)', ''].join('\n'));
    // Without -rpcwallet and with two wallets loaded, every wallet's balance is listed.
    r = await runCli([...connect(s), '-getinfo']);
    assert.ok(r.stdout.includes('Balance: 12.5\n\nBalances\n      12.5 ""\n      12.5 second\n\nWarnings: (none)\n'), r.stdout);
    r = await runCli([...connect(s), '-getinfo', '-rpcwallet=', '-color=always']);
    assert.ok(r.stdout.startsWith('\x1B[34mChain: regtest\x1B[0m\n'));
    assert.ok(r.stdout.includes('\x1B[35mWallet: ""\x1B[0m\n'));
    assert.ok(r.stdout.endsWith('\x1B[33mWarnings:\x1B[0m (none)\n'));
    r = await runCli([...connect(s), '-getinfo', '-color=sometimes']);
    assert.deepEqual(r, { code: 1, stdout: '', stderr: 'error: Invalid value for -color option. Valid values: always, auto, never.\n' });
    r = await runCli([...connect(s), '-getinfo', 'extra']);
    assert.equal(r.stderr, 'error: -getinfo takes no arguments\n');
  });

  it('passes on a node error from the batch', async () => {
    const t = await startServer();
    try {
      t.table.register('getnetworkinfo', 'test', () => networkinfo);
      const r = await runCli([...connect(t), '-getinfo']);
      assert.deepEqual(r, { code: 32601 & 0xff, stdout: '', stderr: 'error code: -32601\nerror message:\nMethod not found\n' });
    } finally {
      await t.close();
    }
  });
});

describe('smithcoin-cli -generate', () => {
  it('fails with the server\'s error when there is no wallet (getnewaddress)', async () => {
    const s = await startServer();
    try {
      const r = await runCli([...connect(s), '-generate']);
      assert.deepEqual(r, { code: 32601 & 0xff, stdout: '', stderr: 'error code: -32601\nerror message:\nMethod not found\n' });
    } finally {
      await s.close();
    }
  });

  it('calls getnewaddress on the wallet, then generatetoaddress with nblocks and maxtries', async () => {
    const s = await startServer();
    try {
      const calls: unknown[] = [];
      s.table.register('getnewaddress', 'test', (r) => { calls.push(['getnewaddress', r.uri]); return 'bcrt1qaddr'; });
      s.table.register('generatetoaddress', 'test', (r) => { calls.push(['generatetoaddress', r.params]); return ['h1', 'h2']; }, ['nblocks', 'address', 'maxtries']);
      let r = await runCli([...connect(s), '-rpcwallet=w', '-generate', '2', '50']);
      assert.deepEqual(r, { code: 0, stdout: '{\n  "address": "bcrt1qaddr",\n  "blocks": [\n    "h1",\n    "h2"\n  ]\n}\n', stderr: '' });
      assert.deepEqual(calls, [['getnewaddress', '/wallet/w'], ['generatetoaddress', [2, 'bcrt1qaddr', 50]]]);
      await runCli([...connect(s), '-generate']);
      assert.deepEqual(calls.at(-1), ['generatetoaddress', [1, 'bcrt1qaddr']]);
      r = await runCli([...connect(s), '-generate', '0']);
      assert.deepEqual(r, { code: 1, stdout: '', stderr: 'error: the first argument (number of blocks to generate, default: 1) must be an integer value greater than zero\n' });
      r = await runCli([...connect(s), '-generate', '1', '2', '3']);
      assert.equal(r.stderr, 'error: too many arguments (maximum 2 for nblocks and maxtries)\n');
    } finally {
      await s.close();
    }
  });
});

const peer = (over: Record<string, unknown>) => ({
  id: 0, addr: '10.0.0.1:8333', network: 'ipv4', inbound: false, connection_type: 'outbound-full-relay', relaytxes: true,
  conntime: 1_000_000 - 600, last_block: 0, lastrecv: 1_000_000 - 5, lastsend: 1_000_000 - 3, last_transaction: 0,
  minping: 0.0123, pingtime: 0.02, servicesnames: ['NETWORK', 'WITNESS'], subver: '/Satoshi:27.0.0/', version: 70016,
  transport_protocol_type: 'v2', addr_relay_enabled: true, addr_processed: 7, addr_rate_limited: 0, bip152_hb_from: false, bip152_hb_to: true,
  ...over,
});

describe('smithcoin-cli -netinfo', () => {
  it('prints its help, and rejects bad levels', async () => {
    let r = await runCli(['-regtest', '-netinfo', 'help']);
    assert.equal(r.code, 0);
    assert.ok(r.stdout.startsWith('-netinfo (level [outonly]) | help\n\nReturns a network peer connections dashboard'));
    assert.ok(r.stdout.endsWith('See this help\n> smithcoin-cli -netinfo help\n\n'));
    const s = await startServer();
    try {
      r = await runCli([...connect(s), '-netinfo', 'x']);
      assert.equal(r.stderr, 'error: invalid -netinfo level argument: x\nFor more information, run: smithcoin-cli -netinfo help\n');
      r = await runCli([...connect(s), '-netinfo', '0', 'o']);
      assert.equal(r.stderr, 'error: invalid -netinfo outonly argument: o\nThe outonly argument is only valid for a level greater than 0 (the first argument). For more information, run: smithcoin-cli -netinfo help\n');
      r = await runCli([...connect(s), '-netinfo', '1', 'x']);
      assert.equal(r.stderr, 'error: invalid -netinfo outonly argument: x\nFor more information, run: smithcoin-cli -netinfo help\n');
      // A node without P2P has no getpeerinfo: its error is printed as Core prints it.
      r = await runCli([...connect(s), '-netinfo']);
      assert.deepEqual(r, { code: 32601 & 0xff, stdout: '', stderr: 'error code: -32601\nerror message:\nMethod not found\n' });
    } finally {
      await s.close();
    }
  });

  it('prints the counts table and local addresses', async () => {
    const s = await startServer();
    try {
      s.table.register('getnetworkinfo', 'test', () => networkinfo);
      s.table.register('getpeerinfo', 'test', () => [peer({}), peer({ id: 1, inbound: true, network: 'ipv6', addr: '[::1]:1' }), peer({ id: 2, connection_type: 'block-relay-only' })]);
      const r = await runCli([...connect(s), '-netinfo']);
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stdout.split('\n');
      assert.match(lines[0]!, /^Smithcoin Core client v\d+\.\d+\.\d+ regtest - server 70016\/Smithcoin:0\.1\.0\/$/);
      assert.deepEqual(lines.slice(1), [
        '',
        '         ipv4    ipv6   total   block',
        'in          0       1       1',
        'out         2       0       2       1',
        'total       2       1       3',
        '',
        'Local services: network, witness, network limited',
        '',
        'Local addresses',
        '1.2.3.4     port   8333    score      4',
        '',
      ]);
    } finally {
      await s.close();
    }
  });
});

describe('smithcoin-cli -netinfo levels', () => {
  it('lists peers sorted by direction and ping, with address and version columns at level 4', async () => {
    const s = await startServer();
    try {
      const quiet = { conntime: 0, lastrecv: 0, lastsend: 0 };
      s.table.register('getnetworkinfo', 'test', () => ({ ...networkinfo, localaddresses: [] }));
      s.table.register('getpeerinfo', 'test', () => [
        peer({ ...quiet, id: 11, minping: 0.5 }),
        peer({ ...quiet, id: 3, minping: 0.0123, relaytxes: false, addr_processed: 0, addr_relay_enabled: false }),
        peer({ ...quiet, id: 4, inbound: true, connection_type: 'inbound', transport_protocol_type: 'v1', bip152_hb_from: true, bip152_hb_to: false }),
      ]);
      const r = await runCli([...connect(s), '-netinfo', '9']);
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stdout.split('\n');
      assert.match(lines[0]!, / - services nwl$/);
      assert.deepEqual(lines.slice(2, 7), [
        '<->   type   net   serv  v  mping   ping send recv  txn  blk  hb addrp addrl  age id address       version',
        ' in         ipv4     nw  1     12     20                       *     7            4 10.0.0.1:8333 70016/Satoshi:27.0.0/',
        'out   full  ipv4     nw  2     12     20              *       .      .            3 10.0.0.1:8333 70016/Satoshi:27.0.0/',
        'out   full  ipv4     nw  2    500     20                      .      7           11 10.0.0.1:8333 70016/Satoshi:27.0.0/',
        '                               ms     ms  sec  sec  min  min                  min',
      ]);
      assert.ok(r.stdout.endsWith('\n\nLocal addresses: n/a\n\n'));
      const outonly = await runCli([...connect(s), '-netinfo', '1', 'outonly']);
      assert.equal(outonly.stdout.split('\n').filter((l) => l.startsWith(' in ')).length, 0);
    } finally {
      await s.close();
    }
  });
});

describe('smithcoin-cli -addrinfo', () => {
  it('sums getaddrmaninfo per network, and explains a missing getaddrmaninfo', async () => {
    const s = await startServer();
    try {
      let r = await runCli([...connect(s), '-addrinfo']);
      assert.equal(r.stderr, 'error: -addrinfo requires smithcoind v26.0 or later which supports getaddrmaninfo RPC. Please upgrade your node or use smithcoin-cli from the same version.\n');
      s.table.register('getaddrmaninfo', 'test', () => ({ ipv4: { new: 3, tried: 1, total: 4 }, all_networks: { new: 3, tried: 1, total: 4 } }));
      r = await runCli([...connect(s), '-addrinfo']);
      assert.equal(r.stdout, '{\n  "addresses_known": {\n    "ipv4": 4,\n    "total": 4\n  }\n}\n');
    } finally {
      await s.close();
    }
  });
});
