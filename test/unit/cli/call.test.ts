// smithcoin-cli against a real in-process JSON-RPC server: conversions, -named, output, errors and
// exit codes, authentication, endpoints, stdin, ports and waiting.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { BUILD_INFO } from '../../../src/clientversion.js';
import { closedPort, connect, runCli, startServer, type Server } from './harness.js';

const CONNECT_HINT = '\n\nMake sure the smithcoind server is running and that you are connecting to the correct RPC port.\nUse "smithcoin-cli -help" for more info.\n';


describe('smithcoin-cli calls', () => {
  let s: Server;
  before(async () => { s = await startServer(); });
  after(async () => s.close());
  beforeEach(() => { s.seen.length = 0; });

  const cli = (args: string[], input?: string) => runCli([...connect(s), ...args], input);

  it('prints a number result as JSON and a string result raw, with the cookie from <datadir>/regtest', async () => {
    let r = await cli(['getblockcount']);
    assert.deepEqual(r, { code: 0, stdout: '7\n', stderr: '' });
    r = await cli(['echo', 'a"b']);
    assert.equal(r.stdout, '[\n  "a\\"b"\n]\n');
    r = await cli(['uri']);
    assert.equal(r.stdout, '/\n');
  });

  it('sends a JSON-RPC 2.0 request with id "1" or -rpcid', async () => {
    await cli(['getblockcount']);
    assert.equal(s.seen[0]!.id, '1');
    await cli(['-rpcid=my id', 'getblockcount']);
    assert.equal(s.seen[1]!.id, 'my id');
  });

  it('parses only the parameters the conversion table names as JSON', async () => {
    let r = await cli(['echo', '1', 'true', '{"a":1}']);
    assert.deepEqual(s.seen[0]!.params, ['1', 'true', '{"a":1}']);
    r = await cli(['echojson', '1', 'true', '{"a":[1,null]}', '"s"']);
    assert.deepEqual(s.seen[1]!.params, [1, true, { a: [1, null] }, 's']);
    assert.equal(r.stdout, '[\n  1,\n  true,\n  {\n    "a": [\n      1,\n      null\n    ]\n  },\n  "s"\n]\n');
    r = await cli(['echojson', '[1,']);
    assert.deepEqual(r, { code: 1, stdout: '', stderr: 'error: Error parsing JSON: [1,\n' });
    // JSON_OR_STRING: a hash that is not JSON goes as a string.
    r = await cli(['getblockstats', '00ab', '["height"]']);
    assert.deepEqual(s.seen.at(-1)!.params, ['00ab', ['height']]);
    r = await cli(['getblockstats', '5']);
    assert.deepEqual(s.seen.at(-1)!.params, [5]);
  });

  it('-named: name=value members, positional words under "args", and Core\'s fallbacks', async () => {
    await cli(['-named', 'echojson', 'arg1=[2]', 'arg0=x1']);
    // arg0 is a JSON parameter and "x1" does not parse.
    const bad = await cli(['-named', 'echojson', 'arg0=x1']);
    assert.equal(bad.stderr, 'error: Error parsing JSON: x1\n');
    await cli(['-named', 'echojson', 'arg1=[2]', 'arg0=1']);
    assert.deepEqual(s.seen.at(-1)!.params, [1, [2]]);
    // A later value replaces an earlier one.
    await cli(['-named', 'echojson', 'arg0=1', 'arg0=3']);
    assert.deepEqual(s.seen.at(-1)!.params, [3]);
    // Positional words go first, named ones after them.
    await cli(['-named', 'echojson', '5', 'arg2=6']);
    assert.deepEqual(s.seen.at(-1)!.params, [5, null, 6]);
    // Unknown name, next position takes JSON and the whole word parses: positional.
    await cli(['-named', 'echojson', '["a=b"]']);
    assert.deepEqual(s.seen.at(-1)!.params, [['a=b']]);
    // Unknown name, next position takes a string: positional (createwallet "my=wallet").
    await cli(['-named', 'createwallet', 'my=wallet', 'blank=true']);
    assert.deepEqual(s.seen.at(-1)!.params, ['my=wallet', null, true]);
    // Otherwise the server is told about an unknown parameter.
    const r = await cli(['-named', 'echo', 'zz=1']);
    assert.deepEqual(r, { code: 8, stdout: '', stderr: 'error code: -8\nerror message:\nUnknown named parameter zz\n' });
  });

  it('prints RPC errors on stderr with |code| as the exit status', async () => {
    let r = await cli(['fail']);
    assert.deepEqual(r, { code: 1, stdout: '', stderr: 'error code: -1\nerror message:\nit failed\n' });
    r = await cli(['nosuchmethod']);
    // 32601 & 0xff: the status an exit code of 32601 becomes.
    assert.deepEqual(r, { code: 32601 & 0xff, stdout: '', stderr: 'error code: -32601\nerror message:\nMethod not found\n' });
    r = await cli(['fail', '-5', 'Invalid address']);
    assert.deepEqual(r, { code: 5, stdout: '', stderr: 'error code: -5\nerror message:\nInvalid address\n' });
  });

  it('adds Core\'s hint to "wallet not specified" errors', async () => {
    const r2 = await cli(['fail', '-19', 'Wallet file not specified.']);
    assert.equal(r2.code, 19);
    assert.equal(r2.stderr, 'error code: -19\nerror message:\nWallet file not specified. Or for the CLI, specify the "-rpcwallet=<walletname>" option before the command ' +
      '(run "smithcoin-cli -h" for help or "smithcoin-cli listwallets" to see which wallets are currently loaded).\n');
  });

  it('-rpcwallet sends to /wallet/<url-encoded name>; -norpcwallet to /', async () => {
    let r = await cli(['-rpcwallet=my wallet/€', 'uri']);
    assert.equal(r.stdout, '/wallet/my%20wallet%2F%E2%82%AC\n');
    r = await cli(['-rpcwallet=', 'uri']);
    assert.equal(r.stdout, '/wallet/\n');
    r = await cli(['-rpcwallet=w', '-norpcwallet', 'uri']);
    assert.equal(r.stdout, '/\n');
  });

  it('reads extra arguments with -stdin and the password with -stdinrpcpass', async () => {
    let r = await cli(['-stdin', 'echojson', '1'], '2\n["x y"]\n3');
    assert.deepEqual(s.seen.at(-1)!.params, [1, 2, ['x y'], 3]);
    assert.equal(r.code, 0);
    r = await cli(['-stdinrpcpass', 'getblockcount'], '');
    assert.deepEqual(r, { code: 1, stdout: '', stderr: 'error: -stdinrpcpass specified but failed to read from standard input\n' });
    r = await cli(['-stdinwalletpassphrase', 'getblockcount'], 'pw\n');
    assert.equal(r.stderr, 'error: -stdinwalletpassphrase is only applicable for walletpassphrase(change)\n');
    // The passphrase goes in as the first parameter, before the words of the command line.
    s.table.register('walletpassphrase', 'test', (req) => { s.seen.push({ method: req.method, params: req.params, uri: req.uri, id: req.id }); return null; },
      ['passphrase', 'timeout']);
    r = await cli(['-stdinwalletpassphrase', 'walletpassphrase', '60'], 'my secret\n');
    assert.deepEqual(r, { code: 0, stdout: '', stderr: '' });
    assert.deepEqual(s.seen.at(-1)!.params, ['my secret', 60]);
    r = await cli(['-stdinwalletpassphrase', 'walletpassphrase', '60'], '');
    assert.equal(r.stderr, 'error: -stdinwalletpassphrase specified but failed to read from standard input\n');
  });

  it('warns when -rpcconnect and -rpcport both give a port, and rejects bad ports', async () => {
    let r = await runCli([`-datadir=${s.datadir}`, '-rpcconnect=127.0.0.1:1', `-rpcport=${s.port}`, 'getblockcount']);
    assert.deepEqual(r, { code: 0, stdout: '7\n', stderr: `Warning: Port specified in both -rpcconnect and -rpcport. Using -rpcport ${s.port}\n` });
    r = await runCli([`-datadir=${s.datadir}`, `-rpcconnect=127.0.0.1:${s.port}`, 'getblockcount']);
    assert.deepEqual(r, { code: 0, stdout: '7\n', stderr: '' });
    r = await runCli([`-datadir=${s.datadir}`, `-rpcconnect=[127.0.0.1]:${s.port}`, 'getblockcount']);
    assert.equal(r.stdout, '7\n');
    r = await runCli([`-datadir=${s.datadir}`, '-rpcconnect=127.0.0.1:0', 'getblockcount']);
    assert.deepEqual(r, { code: 1, stdout: '', stderr: 'error: Invalid port provided in -rpcconnect: 127.0.0.1:0\n' });
    r = await runCli([`-datadir=${s.datadir}`, '-rpcport=65536', 'getblockcount']);
    assert.deepEqual(r, { code: 1, stdout: '', stderr: 'error: Invalid port provided in -rpcport: 65536\n' });
  });

  it('reports a refused connection with Core\'s text, and a timeout on it with -rpcwait', async () => {
    const port = await closedPort();
    let r = await runCli([`-datadir=${s.datadir}`, `-rpcport=${port}`, 'getblockcount']);
    assert.deepEqual(r, { code: 1, stdout: '', stderr: `error: Error while attempting to communicate with server 127.0.0.1:${port} (Could not connect to the server)${CONNECT_HINT}` });
    r = await runCli([`-datadir=${s.datadir}`, `-rpcport=${port}`, '-rpcwait', '-rpcwaittimeout=1', 'getblockcount']);
    assert.deepEqual(r, {
      code: 1, stdout: '',
      stderr: `error: timeout on transient error: Error while attempting to communicate with server 127.0.0.1:${port} (Could not connect to the server)${CONNECT_HINT}`,
    });
    r = await runCli([`-datadir=${s.datadir}`, '-rpcconnect=no.such.host.invalid', `-rpcport=${port}`, 'getblockcount']);
    assert.equal(r.stderr, `error: Error while attempting to communicate with server no.such.host.invalid:${port} (Could not resolve host: no.such.host.invalid)${CONNECT_HINT}`);
  });

  it('gives up on a slow reply after -rpcclienttimeout seconds', async () => {
    const r = await cli(['-rpcclienttimeout=1', 'sleep', '2500']);
    assert.deepEqual(r, { code: 1, stdout: '', stderr: `error: Error while attempting to communicate with server 127.0.0.1:${s.port} (timeout)${CONNECT_HINT}` });
  });

  it('refuses an explicit -ipcconnect without a socket (or without IPC in the build), and with -rpcconnect', async () => {
    let r = await cli(['-ipcconnect=unix', 'getblockcount']);
    // test/unit/ipc_cli covers the IPC transport itself.
    assert.equal(r.stderr, BUILD_INFO.enableIpc
      ? 'error: No such file or directory\n\nProbably smithcoin-node is not running or not listening on a unix socket. Can be started with:\n\n' +
        '    smithcoin-node -chain=regtest -ipcbind=unix\n'
      : 'error: smithcoin-cli was not built with IPC support\n');
    r = await cli(['-rpcconnect=127.0.0.1', '-ipcconnect=unix', 'getblockcount']);
    assert.equal(r.stderr, 'error: -rpcconnect and -ipcconnect options cannot both be enabled\n');
    r = await cli(['-noipcconnect', 'getblockcount']);
    assert.equal(r.stdout, '7\n');
  });
});

describe('smithcoin-cli authentication', () => {
  it('uses -rpcuser/-rpcpassword, and reports a wrong password with the config path', async () => {
    const s = await startServer({ auth: { rpcuser: 'alice', rpcpassword: 'secret' } });
    try {
      let r = await runCli([...connect(s), '-rpcuser=alice', '-rpcpassword=secret', 'getblockcount']);
      assert.equal(r.stdout, '7\n');
      r = await runCli([...connect(s), '-rpcuser=alice', '-stdinrpcpass', 'getblockcount'], 'secret\n');
      assert.equal(r.stdout, '7\n');
      r = await runCli([...connect(s), '-rpcuser=alice', '-stdinrpcpass', '-stdin', 'echojson'], 'secret\n4\n');
      assert.equal(r.stdout, '[\n  4\n]\n');
      r = await runCli([...connect(s), '-rpcuser=alice', '-rpcpassword=wrong', 'getblockcount']);
      assert.deepEqual(r, {
        code: 1, stdout: '',
        stderr: `error: Authorization failed: Incorrect rpcuser or rpcpassword were specified. Configuration file: (${path.join(s.datadir, 'smithcoin.conf')})\n`,
      });
      r = await runCli([...connect(s), 'getblockcount']);
      assert.equal(r.stderr, `error: Authorization failed: Failed to read cookie file and no rpcpassword was specified. Configuration file: (${path.join(s.datadir, 'smithcoin.conf')})\n`);
      r = await runCli([...connect(s), '-norpccookiefile', 'getblockcount']);
      assert.match(r.stderr, /^error: Authorization failed: Cookie file was disabled via -norpccookiefile and no rpcpassword was specified\. Configuration file: /);
      fs.writeFileSync(path.join(s.datadir, 'regtest', '.cookie'), '__cookie__:nope');
      r = await runCli([...connect(s), 'getblockcount']);
      assert.match(r.stderr, /^error: Authorization failed: Cookie file credentials were invalid and no rpcpassword was specified\. Configuration file: /);
      r = await runCli([...connect(s), '-noconf', '-regtest', '-rpcpassword=x', 'getblockcount']);
      assert.equal(r.stderr, 'error: Authorization failed: Incorrect rpcuser or rpcpassword were specified. Configuration file: ()\n');
    } finally {
      await s.close();
    }
  });

  it('finds the cookie with -rpccookiefile (relative to the chain datadir) and takes credentials from the config', async () => {
    const s = await startServer();
    try {
      fs.renameSync(path.join(s.datadir, 'regtest', '.cookie'), path.join(s.datadir, 'regtest', 'other'));
      let r = await runCli([...connect(s), '-rpccookiefile=other', 'getblockcount']);
      assert.equal(r.stdout, '7\n');
      r = await runCli([...connect(s), `-rpccookiefile=${path.join(s.datadir, 'regtest', 'other')}`, 'getblockcount']);
      assert.equal(r.stdout, '7\n');
      const cookie = fs.readFileSync(path.join(s.datadir, 'regtest', 'other'), 'utf8').split(':')[1]!;
      fs.writeFileSync(path.join(s.datadir, 'smithcoin.conf'), `regtest=1\nrpcuser=__cookie__\n[regtest]\nrpcpassword=${cookie}\nrpcport=${s.port}\n`);
      r = await runCli([`-datadir=${s.datadir}`, 'getblockcount']);
      assert.equal(r.stdout, '7\n');
    } finally {
      await s.close();
    }
  });
});

describe('smithcoin-cli -rpcwait', () => {
  it('reports warm-up without -rpcwait and waits it out with -rpcwait', async () => {
    const s = await startServer({ warm: false });
    try {
      s.table.setWarmupStatus('Loading block index…');
      let r = await runCli([...connect(s), 'getblockcount']);
      assert.deepEqual(r, { code: 28, stdout: '', stderr: 'error code: -28\nerror message:\nLoading block index…\n' });
      const pending = runCli([...connect(s), '-rpcwait', 'getblockcount']);
      setTimeout(() => s.table.setWarmupFinished(), 1500);
      r = await pending;
      assert.deepEqual(r, { code: 0, stdout: '7\n', stderr: '' });
    } finally {
      await s.close();
    }
  });

  it('retries a refused connection until the server is up, then reads its new cookie', async () => {
    const port = await closedPort();
    const first = await startServer();
    const datadir = first.datadir;
    await first.close();
    fs.mkdirSync(path.join(datadir, 'regtest'), { recursive: true });
    fs.writeFileSync(path.join(datadir, 'smithcoin.conf'), 'regtest=1\n');
    try {
      const pending = runCli([`-datadir=${datadir}`, `-rpcport=${port}`, '-rpcwait', '-rpcwaittimeout=20', 'getblockcount']);
      await new Promise((resolve) => setTimeout(resolve, 1200));
      const { HTTPServer } = await import('../../../src/rpc/httpserver.js');
      const { startHTTPRPC } = await import('../../../src/rpc/httprpc.js');
      const { RPCAuth } = await import('../../../src/rpc/auth.js');
      const { RPCTable } = await import('../../../src/rpc/server.js');
      const { buildAllowList } = await import('../../../src/rpc/netfilter.js');
      const quiet = { info: () => undefined, warning: () => undefined, debug: () => undefined };
      const table = new RPCTable();
      table.register('getblockcount', 'test', () => 9);
      table.setWarmupFinished();
      const server = new HTTPServer({ endpoints: [{ host: '127.0.0.1', port }], allow: buildAllowList([]), log: quiet });
      startHTTPRPC(server, { table, auth: new RPCAuth({ datadir: path.join(datadir, 'regtest'), log: quiet }), log: quiet });
      await server.start();
      try {
        assert.deepEqual(await pending, { code: 0, stdout: '9\n', stderr: '' });
      } finally {
        await server.stop();
      }
    } finally {
      fs.rmSync(datadir, { recursive: true, force: true });
    }
  });
});

describe('smithcoin-cli and odd server replies', () => {
  let reply: { status: number; body: Buffer | string };
  const requests: { url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
  let server: http.Server;
  let port: number;
  let datadir: string;
  before(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        requests.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(reply.status, { 'Content-Type': 'application/json' });
        res.end(reply.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
    datadir = fs.mkdtempSync(path.join(os.tmpdir(), 'smithcoin-cli-odd-'));
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(datadir, { recursive: true, force: true });
  });

  const cases: [number, Buffer | string, string][] = [
    [503, 'Work queue depth exceeded', 'error: Server response: Work queue depth exceeded\n'],
    [403, '', 'error: server returned HTTP error 403\n'],
    [405, 'x', 'error: server returned HTTP error 405\n'],
    [200, '', 'error: no response from server\n'],
    [500, 'not json', "error: couldn't parse reply from server\n"],
    [200, Buffer.from([0x22, 0xff, 0x22]), "error: couldn't parse reply from server\n"],
    [200, '[1]', 'error: JSON value of type array is not of expected type object\n'],
    [200, '{}', 'error: expected reply to have result, error and id properties\n'],
    [404, '{"result":null,"error":{"code":-32601,"message":"Method not found"},"id":"1"}', 'error code: -32601\nerror message:\nMethod not found\n'],
    [200, '{"result":null,"error":"text","id":"1"}', 'error: JSON value of type null is not of expected type number\n'],
    [200, '{"error":{"code":-5}}', 'error code: -5\n\n'],
  ];
  for (const [status, body, stderr] of cases) {
    it(`HTTP ${status} with ${JSON.stringify(body.toString())}`, async () => {
      reply = { status, body };
      const r = await runCli([`-datadir=${datadir}`, '-rpcpassword=x', `-rpcport=${port}`, 'anything']);
      assert.equal(r.stderr, stderr);
      assert.notEqual(r.code, 0);
    });
  }

  it('sends Core\'s JSON-RPC 2.0 request text with Basic auth, and -getinfo as one batch', async () => {
    reply = { status: 200, body: '{"result":null,"id":"1"}' };
    requests.length = 0;
    await runCli([`-datadir=${datadir}`, '-rpcuser=u', '-rpcpassword=p:w', `-rpcport=${port}`, '-rpcwallet=a b', 'getblock', 'ab', '2']);
    const [req] = requests;
    assert.equal(req!.url, '/wallet/a%20b');
    assert.equal(req!.body, '{"method":"getblock","params":["ab",2],"id":"1","jsonrpc":"2.0"}\n');
    assert.equal(req!.headers['content-type'], 'application/json');
    assert.equal(req!.headers.authorization, `Basic ${Buffer.from('u:p:w').toString('base64')}`);
    await runCli([`-datadir=${datadir}`, '-rpcpassword=x', `-rpcport=${port}`, '-named', 'getblock', 'verbosity=1', 'ab']);
    assert.equal(requests[1]!.body, '{"method":"getblock","params":{"verbosity":1,"args":["ab"]},"id":"1","jsonrpc":"2.0"}\n');
    reply = { status: 200, body: '[]' };
    await runCli([`-datadir=${datadir}`, '-rpcpassword=x', `-rpcport=${port}`, '-getinfo']);
    const batch = ['getnetworkinfo', 'getblockchaininfo', 'getwalletinfo', 'getbalances']
      .map((m, i) => `{"method":"${m}","params":null,"id":${i},"jsonrpc":"2.0"}`).join(',');
    assert.equal(requests[2]!.body, `[${batch}]\n`);
  });

  it('prints a null result as nothing and a number exactly as the server wrote it', async () => {
    reply = { status: 200, body: '{"result":null,"id":"1"}' };
    assert.deepEqual(await runCli([`-datadir=${datadir}`, '-rpcpassword=x', `-rpcport=${port}`, 'x']), { code: 0, stdout: '', stderr: '' });
    reply = { status: 200, body: '{"result":{"amount":50.00000000,"n":1e-8},"id":"1"}' };
    const r = await runCli([`-datadir=${datadir}`, '-rpcpassword=x', `-rpcport=${port}`, 'x']);
    assert.equal(r.stdout, '{\n  "amount": 50.00000000,\n  "n": 1e-8\n}\n');
  });
});
