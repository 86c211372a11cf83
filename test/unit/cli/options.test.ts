// smithcoin-cli's start-up: -version, -help, too few parameters, bad options, datadir and chain errors.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from './harness.js';

describe('smithcoin-cli options', () => {
  it('prints the version banner and licence for -version', async () => {
    const r = await runCli(['-version']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Smithcoin Core RPC client version v\d+\.\d+\.\d+\nCopyright \(C\) /);
    assert.equal(r.stderr, '');
  });

  it('prints Core\'s usage and the option list for -help, -h and -?', async () => {
    for (const flag of ['-help', '-h', '-?', '--help']) {
      const r = await runCli([flag]);
      assert.equal(r.code, 0, flag);
      assert.ok(r.stdout.includes('\nUsage: smithcoin-cli [options] <command> [params]\nor:    smithcoin-cli [options] -named <command> [name=value]...\n'));
      assert.ok(r.stdout.includes('\nOptions:\n\n  -color=<when>\n'));
      assert.ok(r.stdout.includes('\nCLI Commands:\n\n  -addrinfo\n'));
      assert.ok(r.stdout.includes('  -rpcport=<port>\n       Connect to JSON-RPC on <port> (default: 8332, testnet: 18332, testnet4:\n       48332, signet: 38332, regtest: 18443)\n'));
      assert.ok(!r.stdout.includes('-regtest'), 'debug-only options stay hidden');
    }
  });

  it('does not know -help-debug (only the daemon registers it)', async () => {
    const r = await runCli(['-help-debug']);
    assert.equal(r.stderr, 'Error parsing command line arguments: Invalid parameter -help-debug\n');
  });

  it('prints the usage and "too few parameters" with no arguments, exit 1', async () => {
    const r = await runCli([]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^Smithcoin Core RPC client version /);
    assert.equal(r.stderr, 'Error: too few parameters\n');
  });

  it('rejects an unknown option', async () => {
    const r = await runCli(['-foo', 'getblockcount']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error parsing command line arguments: Invalid parameter -foo\n');
  });

  it('rejects a missing datadir, a bad config file and a bad chain', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smithcoin-cli-opt-'));
    try {
      let r = await runCli([`-datadir=${dir}/none`, 'getblockcount']);
      assert.equal(r.stderr, `Error: Specified data directory "${dir}/none" does not exist.\n`);
      assert.equal(r.code, 1);
      r = await runCli([`-datadir=${dir}`, `-conf=${dir}/missing.conf`, 'getblockcount']);
      assert.equal(r.stderr, `Error reading configuration file: specified config file "${dir}/missing.conf" could not be opened.\n`);
      assert.equal(r.code, 1);
      r = await runCli([`-datadir=${dir}`, '-regtest', '-testnet', 'getblockcount']);
      assert.equal(r.stderr, 'Error: Invalid combination of -regtest, -signet, -testnet, -testnet4 and -chain. Can use at most one.\n');
      r = await runCli([`-datadir=${dir}`, '-chain=nochain', 'getblockcount']);
      assert.equal(r.stderr, 'Error: Unknown chain nochain.\n');
      assert.equal(r.code, 1);
      // Options that only the daemon knows are ignored in the config file.
      fs.writeFileSync(path.join(dir, 'smithcoin.conf'), 'regtest=1\nserver=1\nrpcport=1\n[regtest]\nrpcport=2\n');
      r = await runCli([`-datadir=${dir}`, '-rpcwaittimeout=1', 'getblockcount']);
      assert.match(r.stderr, /^error: Error while attempting to communicate with server 127\.0\.0\.1:2 \(Could not connect to the server\)\n/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('needs a command and allows one CLI command at a time', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smithcoin-cli-opt-'));
    try {
      let r = await runCli([`-datadir=${dir}`, '-named']);
      assert.equal(r.stderr, 'error: too few parameters (need at least command)\n');
      assert.equal(r.code, 1);
      r = await runCli([`-datadir=${dir}`, '-getinfo', '-netinfo', '-generate']);
      assert.equal(r.stderr, 'error: Only one of -generate, -getinfo, -netinfo may be specified.\n');
      assert.equal(r.code, 1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
