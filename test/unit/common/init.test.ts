// initConfig (Core's common::InitConfig): datadir checks, config errors, directory creation, the
// ignored-config check and settings.json handling, plus the init texts built from the manager.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ArgsFlags, ArgsManager, OptionsCategory } from '../../../src/common/args.js';
import {
  blocksDirError, ConfigStatus, formatInitError, initConfig, unrecognizedSectionsWarning, unsuitableSectionOnlyArgsError,
} from '../../../src/common/init.js';
import { tmpDir, useTmpDirs } from './tmpdir.js';

function manager(home: string, warnings: string[] = []): ArgsManager {
  const args = new ArgsManager({ log: { info: () => {}, warning: (m) => warnings.push(m) }, home, cwd: home });
  for (const o of ['-datadir', '-conf', '-settings', '-regtest', '-chain', '-testnet', '-testnet4', '-signet', '-includeconf', '-allowignoredconf', '-blocksdir', '-a']) {
    args.addArg(o, '', ArgsFlags.ALLOW_ANY, OptionsCategory.OPTIONS);
  }
  args.addArg('-addnode', '', ArgsFlags.ALLOW_ANY | ArgsFlags.NETWORK_ONLY, OptionsCategory.CONNECTION);
  return args;
}

describe('initConfig', () => {
  useTmpDirs();

  it('fails on a missing -datadir with Core text', () => {
    const home = tmpDir();
    const args = manager(home);
    args.parseParameters(['-datadir=/nonexistent/dir']);
    assert.deepEqual(initConfig(args), { status: ConfigStatus.FAILED, message: 'Specified data directory "/nonexistent/dir" does not exist.', details: [] });
  });

  it('prefixes config errors and reports chain errors', () => {
    const home = tmpDir();
    fs.writeFileSync(path.join(home, 'smithcoin.conf'), 'oops\n');
    const args = manager(home);
    args.parseParameters([`-datadir=${home}`]);
    assert.equal(initConfig(args)?.message, 'Error reading configuration file: parse error on line 1: oops');
    const chain = manager(home);
    chain.parseParameters([`-datadir=${home}`, '-noconf', '-chain=nope']);
    assert.equal(initConfig(chain)?.message, 'Unknown chain nope.');
  });

  it('creates the datadir with wallets/, selects the chain and writes settings.json', () => {
    const home = tmpDir();
    const args = manager(home);
    args.parseParameters(['-regtest']);
    assert.equal(initConfig(args), undefined);
    const base = `${home}/.smithcoin`;
    assert.ok(fs.statSync(`${base}/wallets`).isDirectory());
    assert.ok(fs.statSync(`${base}/regtest/wallets`).isDirectory());
    assert.match(fs.readFileSync(`${base}/regtest/settings.json`, 'utf8'), /^\{\n {4}"_warning_": /);
    assert.equal(args.getDataDirNet(), `${base}/regtest`);
  });

  it('an unreadable settings.json fails, or is overwritten when the user says so', () => {
    const home = tmpDir();
    fs.writeFileSync(path.join(home, 'settings.json'), '{');
    const args = manager(home);
    args.parseParameters([`-datadir=${home}`]);
    const err = initConfig(args);
    assert.equal(err?.status, ConfigStatus.FAILED);
    assert.equal(err?.message, 'Settings file could not be read');
    assert.equal(err?.details.length, 1);
    const asked: string[] = [];
    const aborted = manager(home);
    aborted.parseParameters([`-datadir=${home}`]);
    assert.equal(initConfig(aborted, { settingsAbortFn: (m) => (asked.push(m), true) })?.status, ConfigStatus.ABORTED);
    const go = manager(home);
    go.parseParameters([`-datadir=${home}`]);
    assert.equal(initConfig(go, { settingsAbortFn: () => false }), undefined);
    assert.ok(fs.readFileSync(path.join(home, 'settings.json'), 'utf8').includes('_warning_'));
    assert.deepEqual(asked, ['Settings file could not be read']);
  });

  it('refuses a datadir smithcoin.conf shadowed by -conf, unless allowignoredconf', () => {
    const home = tmpDir();
    const other = path.join(home, 'other.conf');
    fs.writeFileSync(path.join(home, 'smithcoin.conf'), '');
    fs.writeFileSync(other, '');
    const args = manager(home);
    args.parseParameters([`-datadir=${home}`, `-conf=${other}`]);
    const err = initConfig(args);
    assert.equal(
      err?.message,
      `Data directory "${home}" contains a "smithcoin.conf" file which is ignored, because a different configuration file "${other}" ` +
        `from command line argument "-conf=${other}" is being used instead. Possible ways to address this would be to:\n` +
        `- Delete or rename the "smithcoin.conf" file in data directory "${home}".\n` +
        '- Change datadir= or conf= options to specify one configuration file, not two, and use includeconf= to include any other configuration files.\n' +
        '- Set allowignoredconf=1 option to treat this condition as a warning, not an error.',
    );
    const warnings: string[] = [];
    const lenient = manager(home, warnings);
    lenient.parseParameters([`-datadir=${home}`, `-conf=${other}`, '-allowignoredconf']);
    assert.equal(initConfig(lenient), undefined);
    assert.equal(warnings.length, 1);
    assert.ok(!warnings[0]!.includes('allowignoredconf=1'));
  });

  it('names the original datadir when a datadir= line moved it', () => {
    const home = tmpDir();
    const moved = tmpDir();
    fs.mkdirSync(`${home}/.smithcoin`);
    fs.writeFileSync(`${home}/.smithcoin/smithcoin.conf`, `datadir=${moved}\n`);
    fs.writeFileSync(`${moved}/smithcoin.conf`, '');
    const args = manager(home);
    args.parseParameters([]);
    assert.match(initConfig(args)?.message ?? '', new RegExp(`from data directory "${home}/\\.smithcoin" is being used instead`));
  });
});

describe('init texts', () => {
  useTmpDirs();

  it('formats init errors with details as a list', () => {
    assert.equal(formatInitError('Settings file could not be read'), 'Settings file could not be read');
    assert.equal(formatInitError('Settings file could not be read', ['a', 'b']), 'Settings file could not be read:\n- a\n- b');
  });

  it('reports network-only options in the default section and unknown sections', () => {
    const home = tmpDir();
    const args = manager(home);
    args.readConfigString('addnode=1.2.3.4\n[regtest]\na=1\n[bogus]\na=2\n');
    args.parseParameters(['-regtest']);
    args.selectConfigNetwork('regtest');
    assert.equal(unsuitableSectionOnlyArgsError(args), 'Config setting for -addnode only applied on regtest network when in [regtest] section.\n');
    assert.equal(unrecognizedSectionsWarning(args), ':4 Section [bogus] is not recognized.\n');
    args.selectConfigNetwork('main');
    assert.equal(unsuitableSectionOnlyArgsError(args), undefined);
  });

  it('checks -blocksdir', () => {
    const home = tmpDir();
    const args = manager(home);
    args.parseParameters([`-datadir=${home}`, '-blocksdir=/nonexistent/blocks']);
    assert.equal(blocksDirError(args), 'Specified blocks directory "/nonexistent/blocks" does not exist.');
    args.parseParameters([`-datadir=${home}`, `-blocksdir=${home}`]);
    args.selectConfigNetwork('regtest');
    args.clearPathCache();
    assert.equal(blocksDirError(args), undefined);
    assert.ok(fs.statSync(`${home}/regtest/blocks`).isDirectory());
  });
});
