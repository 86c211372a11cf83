// smithcoin-cli -ipcconnect: the request goes over a unix socket to an Init whose Rpc runs it on an
// RPCTable (as smithcoin-node serves it), "auto" falls back to HTTP when no socket answers, and an
// explicit socket that is not there gets Core's hint. Only in builds with IPC (the folder is left out otherwise).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Logger, ProxyConnection, listenUnix } from '@smithcoin/libmultiprocess';
import type { Echo } from '../../../src/interfaces/echo.js';
import type { Init } from '../../../src/interfaces/init.js';
import type { Mining } from '../../../src/interfaces/mining.js';
import type { Rpc } from '../../../src/interfaces/rpc.js';
import { InitServer } from '../../../src/ipc/capnp/init.capnp.js';
import { RPCAuth } from '../../../src/rpc/auth.js';
import { executeHTTPRPC } from '../../../src/rpc/httprpc.js';
import { JSONRPCRequest, type JSONValue } from '../../../src/rpc/request.js';
import { closedPort, runCli, startServer, type Server } from '../cli/harness.js';

const quiet = { info: () => undefined, warning: () => undefined, debug: () => undefined };

/** The node side: an Init whose Rpc dispatches to the test server's table. */
function nodeInit(s: Server, calls: { uri: string; user: string }[]): Init {
  const auth = new RPCAuth({ rpcuser: 'u', rpcpassword: 'p', datadir: s.datadir, log: quiet });
  const rpc: Rpc = {
    async executeRpc(request: string, uri: string, user: string): Promise<string> {
      calls.push({ uri, user });
      const jreq = new JSONRPCRequest();
      jreq.uri = uri;
      jreq.authUser = user;
      const outcome = await executeHTTPRPC(JSON.parse(request) as JSONValue, jreq, { table: s.table, auth, log: quiet });
      return JSON.stringify(outcome.reply ?? null);
    },
  };
  return {
    makeEcho: async (): Promise<Echo | null> => null,
    makeMiningOld2: async (): Promise<void> => { throw new Error('unused'); },
    makeMining: async (): Promise<Mining | null> => null,
    makeRpc: async () => rpc,
  };
}


describe('smithcoin-cli -ipcconnect', () => {
  let s: Server;
  let socketServer: net.Server;
  const conns: ProxyConnection[] = [];
  const calls: { uri: string; user: string }[] = [];
  let noHttp: string;
  before(async () => {
    s = await startServer();
    const init = nodeInit(s, calls);
    const log = new Logger({ logFn: () => undefined, logLevel: 'info', exeName: 'test' });
    socketServer = await listenUnix(path.join(s.datadir, 'regtest', 'node.sock'), {
      onConnection: (sock) => conns.push(ProxyConnection.serve(sock, (c) => new InitServer(c, init), { log })),
    });
    // Nothing listens on this port: a call that went to HTTP would fail.
    noHttp = `-rpcport=${await closedPort()}`;
  });
  after(async () => {
    await new Promise<void>((resolve) => socketServer.close(() => resolve()));
    for (const c of conns) c.close();
    await Promise.all(conns.map((c) => c.closed));
    await s.close();
  });

  it('sends the request over <datadir>/<chain>/node.sock by default and with -ipcconnect=unix', async () => {
    for (const option of [[], ['-ipcconnect=unix'], ['-ipcconnect=unix:node.sock'], ['-ipcconnect=auto']]) {
      const r = await runCli([`-datadir=${s.datadir}`, noHttp, ...option, 'getblockcount']);
      assert.deepEqual(r, { code: 0, stdout: '7\n', stderr: '' }, option.join(' '));
    }
  });

  it('passes the wallet endpoint and -rpcuser, and prints errors as over HTTP', async () => {
    calls.length = 0;
    let r = await runCli([`-datadir=${s.datadir}`, noHttp, '-rpcwallet=w 1', '-rpcuser=alice', 'uri']);
    assert.equal(r.stdout, '/wallet/w%201\n');
    assert.deepEqual(calls, [{ uri: '/wallet/w%201', user: 'alice' }]);
    r = await runCli([`-datadir=${s.datadir}`, noHttp, 'nosuchmethod']);
    assert.deepEqual(r, { code: 32601 & 0xff, stdout: '', stderr: 'error code: -32601\nerror message:\nMethod not found\n' });
    r = await runCli([`-datadir=${s.datadir}`, noHttp, 'echojson', '[1']);
    assert.equal(r.stderr, 'error: Error parsing JSON: [1\n');
  });

  it('uses HTTP with -noipcconnect, or with -rpcconnect and auto; refuses -rpcconnect with an explicit socket', async () => {
    let r = await runCli([`-datadir=${s.datadir}`, noHttp, '-noipcconnect', 'getblockcount']);
    assert.match(r.stderr, /^error: Error while attempting to communicate with server 127\.0\.0\.1:\d+ \(Could not connect to the server\)/);
    r = await runCli([`-datadir=${s.datadir}`, `-rpcport=${s.port}`, '-noipcconnect', 'getblockcount']);
    assert.equal(r.stdout, '7\n');
    r = await runCli([`-datadir=${s.datadir}`, noHttp, '-rpcconnect=127.0.0.1', 'getblockcount']);
    assert.match(r.stderr, /Could not connect to the server/);
    r = await runCli([`-datadir=${s.datadir}`, '-rpcconnect=127.0.0.1', '-ipcconnect=unix', 'getblockcount']);
    assert.equal(r.stderr, 'error: -rpcconnect and -ipcconnect options cannot both be enabled\n');
  });

  it('falls back to HTTP in auto mode when no socket answers, and explains a missing explicit socket', async () => {
    const other = fs.mkdtempSync(path.join(s.datadir, 'other-'));
    fs.mkdirSync(path.join(other, 'regtest'));
    fs.copyFileSync(path.join(s.datadir, 'regtest', '.cookie'), path.join(other, 'regtest', '.cookie'));
    let r = await runCli([`-datadir=${other}`, '-regtest', `-rpcport=${s.port}`, 'getblockcount']);
    assert.deepEqual(r, { code: 0, stdout: '7\n', stderr: '' });
    r = await runCli([`-datadir=${other}`, '-regtest', `-rpcport=${s.port}`, '-ipcconnect=unix', 'getblockcount']);
    assert.deepEqual(r, {
      code: 1, stdout: '',
      stderr: 'error: No such file or directory\n\nProbably smithcoin-node is not running or not listening on a unix socket. Can be started with:\n\n' +
        '    smithcoin-node -chain=regtest -ipcbind=unix\n',
    });
    r = await runCli([`-datadir=${other}`, '-regtest', '-ipcconnect=tcp:1', 'getblockcount']);
    assert.match(r.stderr, /^error: Unrecognized address 'tcp:1'\n\nProbably smithcoin-node is not running/);
  });
});
