// The smithcoin wrapper's command-line parsing, command mapping and multiprocess detection.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  parseWrapperCommandLine, targetArgv, useMultiprocess, WrapperError, helpUsage,
} from '../../../src/common/wrapper.js';
import { suiteTempDirs } from './temp_dirs.js';


describe('wrapper command line', () => {
  it('stops parsing options at the command', () => {
    const cmd = parseWrapperCommandLine(['-m', 'node', '-M', '-v', 'help']);
    assert.equal(cmd.useMultiprocess, true);
    assert.equal(cmd.command, 'node');
    assert.deepEqual(cmd.args, ['-M', '-v', 'help']);
    assert.equal(cmd.showVersion, false);
  });

  it('lets the last of -m and -M win', () => {
    assert.equal(parseWrapperCommandLine(['-m', '-M', 'node']).useMultiprocess, false);
    assert.equal(parseWrapperCommandLine(['--monolithic', '--multiprocess', 'gui']).useMultiprocess, true);
    assert.equal(parseWrapperCommandLine(['node']).useMultiprocess, undefined);
  });

  it('recognises help spellings and ignores empty words', () => {
    for (const h of ['-h', '--help', 'help']) assert.equal(parseWrapperCommandLine([h]).showHelp, true);
    assert.equal(parseWrapperCommandLine(['', 'tx']).command, 'tx');
  });

  it('rejects unknown options with Core\'s message', () => {
    assert.throws(() => parseWrapperCommandLine(['-x', 'node']), (e: unknown) =>
      e instanceof WrapperError && e.message === 'Unknown option: -x');
    assert.throws(() => parseWrapperCommandLine(['--all']), /Unknown option: --all/);
  });

  it('maps commands to executables', () => {
    const mp = () => true;
    const mono = () => false;
    const argv = (words: string[], m: () => boolean) => targetArgv(parseWrapperCommandLine(words), m);
    assert.deepEqual(argv(['node', '-regtest'], mono), ['smithcoind', '-regtest']);
    assert.deepEqual(argv(['node'], mp), ['smithcoin-node']);
    assert.deepEqual(argv(['gui'], mono), ['smithcoin-qt']);
    assert.deepEqual(argv(['gui'], mp), ['smithcoin-gui']);
    assert.deepEqual(argv(['rpc', 'getblockcount'], mono), ['smithcoin-cli', '-named', 'getblockcount']);
    assert.deepEqual(argv(['wallet'], mono), ['smithcoin-wallet']);
    assert.deepEqual(argv(['tx'], mono), ['smithcoin-tx']);
    assert.deepEqual(argv(['util'], mono), ['smithcoin-util']);
    assert.deepEqual(argv(['bench'], mono), ['bench_smithcoin']);
    assert.deepEqual(argv(['chainstate'], mono), ['smithcoin-chainstate']);
    assert.deepEqual(argv(['test'], mono), ['test_smithcoin']);
    assert.deepEqual(argv(['test-gui'], mono), ['test_smithcoin-qt']);
    assert.throws(() => argv(['toString'], mono), /Unrecognized command: 'toString'/);
    assert.throws(() => argv(['nodes'], mono), (e: unknown) => e instanceof WrapperError && e.message === "Unrecognized command: 'nodes'");
  });

  it('only consults detection for gui and node', () => {
    let asked = 0;
    targetArgv(parseWrapperCommandLine(['rpc']), () => { asked++; return true; });
    assert.equal(asked, 0);
  });

  it('prints the executable name in the usage line', () => {
    assert.match(helpUsage('smithcoin'), /^Usage: smithcoin \[OPTIONS\] COMMAND\.\.\.\n/);
  });
});

describe('multiprocess auto-detection', () => {
  const tempDir = suiteTempDirs('smithcoin-wrapper-');

  /** A home directory, with ~/.smithcoin/smithcoin.conf holding `conf` if given. */
  function tmpHome(conf?: string): string {
    const home = tempDir();
    if (conf !== undefined) {
      fs.mkdirSync(path.join(home, '.smithcoin'), { recursive: true });
      fs.writeFileSync(path.join(home, '.smithcoin', 'smithcoin.conf'), conf);
    }
    return home;
  }

  function detect(args: string[], home = tmpHome(), warnings: string[] = []): boolean {
    const cmd = parseWrapperCommandLine(args);
    return useMultiprocess(cmd, { home, cwd: home, warn: (m) => warnings.push(m) });
  }

  it('follows -m and -M without looking further', () => {
    assert.equal(detect(['-m', 'node']), true);
    assert.equal(detect(['-M', 'node', '-ipcbind=unix']), false);
  });

  it('detects IPC options on the command line', () => {
    assert.equal(detect(['node']), false);
    assert.equal(detect(['node', '-ipcbind=unix']), true);
    assert.equal(detect(['node', '-ipcconnect=unix']), true);
    assert.equal(detect(['node', '-ipcfd=3']), true);
    assert.equal(detect(['node', '--ipcbind=unix']), true);
  });

  it('reads the config file in the datadir, honouring the chain section', () => {
    assert.equal(detect(['node'], tmpHome('ipcbind=unix\n')), true);
    assert.equal(detect(['node'], tmpHome('[regtest]\nipcbind=unix\n')), false);
    assert.equal(detect(['node', '-regtest'], tmpHome('[regtest]\nipcbind=unix\n')), true);
    assert.equal(detect(['node', '-chain=regtest'], tmpHome('regtest.ipcbind=unix\n')), true);
    assert.equal(detect(['node'], tmpHome('regtest=1\n[regtest]\nipcbind=unix\n')), true);
    assert.equal(detect(['node', '-testnet4'], tmpHome('[regtest]\nipcbind=unix\n')), false);
  });

  it('honours -datadir and -conf', () => {
    const home = tmpHome();
    const datadir = path.join(home, 'dd');
    fs.mkdirSync(datadir);
    fs.writeFileSync(path.join(datadir, 'smithcoin.conf'), 'ipcbind=unix\n');
    fs.writeFileSync(path.join(datadir, 'other.conf'), 'server=1\n');
    assert.equal(detect(['node', `-datadir=${datadir}`], home), true);
    assert.equal(detect(['node', `-datadir=${datadir}`, '-conf=other.conf'], home), false);
    assert.equal(detect(['node', `-datadir=${datadir}`, '-noconf'], home), false);
  });

  it('only warns on unreadable or malformed configuration', () => {
    const warnings: string[] = [];
    assert.equal(detect(['node', '-conf=/nonexistent/x.conf'], tmpHome(), warnings), false);
    assert.match(warnings[0]!, /^Warning: failed to parse subcommand config: Error reading configuration file: specified config file "\/nonexistent\/x.conf" could not be opened\.$/);
    const w2: string[] = [];
    assert.equal(detect(['node'], tmpHome('bogus line\n'), w2), false);
    assert.match(w2[0]!, /^Warning: failed to parse subcommand config: parse error on line 1: bogus line$/);
    const w3: string[] = [];
    assert.equal(detect(['node', '-main.ipcbind=unix'], tmpHome(), w3), false);
    assert.match(w3[0]!, /^Warning: failed to parse subcommand command line options: Invalid parameter -main.ipcbind=unix$/);
  });
});
