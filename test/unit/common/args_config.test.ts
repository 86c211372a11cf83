// Config files in the ArgsManager: Core's parse errors, sections, precedence, network-only options,
// chain selection, -conf/-datadir handling and includeconf.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ArgsError, ArgsFlags, ArgsManager, OptionsCategory } from '../../../src/common/args.js';
import * as configModule from '../../../src/common/config.js';
import { getConfigOptions, parseConfigText, type SectionInfo } from '../../../src/common/config_file.js';
import { tmpDir, useTmpDirs } from './tmpdir.js';

const { ALLOW_ANY, NETWORK_ONLY, DISALLOW_NEGATION } = ArgsFlags;

interface Harness {
  args: ArgsManager;
  warnings: string[];
  infos: string[];
  stderr: string[];
}

function harness(cwd?: string, home?: string): Harness {
  const h: Harness = { args: undefined as unknown as ArgsManager, warnings: [], infos: [], stderr: [] };
  h.args = new ArgsManager({
    log: { info: (m) => h.infos.push(m), warning: (m) => h.warnings.push(m) },
    stderr: (t) => h.stderr.push(t),
    cwd,
    home,
  });
  for (const name of ['-a', '-b', '-d', '-chain', '-regtest', '-testnet', '-testnet4', '-signet', '-includeconf', '-datadir', '-conf', '-reindex', '-rpcpassword']) {
    h.args.addArg(name, '', ALLOW_ANY, OptionsCategory.OPTIONS);
  }
  h.args.addArg('-addnode', '', ALLOW_ANY | NETWORK_ONLY, OptionsCategory.CONNECTION);
  h.args.addArg('-strict', '', DISALLOW_NEGATION, OptionsCategory.OPTIONS);
  return h;
}

function configError(fn: () => void): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ArgsError, String(err));
    return err.message;
  }
  assert.fail('expected an ArgsError');
}

describe('config file text', () => {
  it('gives Core parse errors with line numbers', () => {
    assert.throws(() => getConfigOptions('a=1\n\n-b=2\n', 'f'), {
      message: 'parse error on line 3: -b=2, options in configuration file must be specified without leading -',
    });
    assert.throws(() => getConfigOptions('nofoo\n', 'f'), {
      message: 'parse error on line 1: nofoo, if you intended to specify a negated option, use nofoo=1 instead',
    });
    assert.throws(() => getConfigOptions('#c\nfoo\n', 'f'), { message: 'parse error on line 2: foo' });
    assert.throws(() => getConfigOptions('no\n', 'f'), { message: 'parse error on line 1: no, if you intended to specify a negated option, use no=1 instead' });
    assert.throws(() => getConfigOptions('n\n', 'f'), { message: 'parse error on line 1: n' });
  });

  it('refuses # on an rpcpassword line, even in a trailing comment', () => {
    const msg = 'parse error on line 2, using # in rpcpassword can be ambiguous and should be avoided';
    assert.throws(() => getConfigOptions('a=1\nrpcpassword=ab#cd\n', 'f'), { message: msg });
    assert.throws(() => getConfigOptions('a=1\nrpcpassword=abcd # note\n', 'f'), { message: msg });
    assert.throws(() => getConfigOptions('a=1\n[main]\nrpcpassword=x#y', 'f'), {
      message: 'parse error on line 3, using # in rpcpassword can be ambiguous and should be avoided',
    });
    assert.deepEqual(getConfigOptions('# rpcpassword=x\nrpcpassword=ok\n', 'f'), [{ name: 'rpcpassword', value: 'ok' }]);
  });

  it('trims only spaces, tabs and line ends, and prefixes keys with the section', () => {
    const sections: SectionInfo[] = [];
    const opts = getConfigOptions(' a = 1 \r\n[regtest]\nb=\t2\nmain.c=3\n[x]\n\vd=4', 'my.conf', sections);
    assert.deepEqual(opts, [
      { name: 'a', value: '1' },
      { name: 'regtest.b', value: '2' },
      { name: 'regtest.main.c', value: '3' },
      { name: 'x.\vd', value: '4' },
    ]);
    assert.deepEqual(sections, [
      { name: 'regtest', file: 'my.conf', line: 2 },
      { name: 'regtest.main', file: 'my.conf', line: 4 },
      { name: 'x', file: 'my.conf', line: 5 },
    ]);
    assert.deepEqual(parseConfigText('regtest.port=1\n[test]\nrpcport=2\n'), [
      { section: 'regtest', key: 'port', value: '1' },
      { section: 'test', key: 'rpcport', value: '2' },
    ]);
  });
});

describe('ArgsManager config values', () => {
  useTmpDirs();

  it('unknown keys are errors, or warnings when ignored', () => {
    const h = harness();
    assert.equal(configError(() => h.args.readConfigString('zzz=1\n')), 'Invalid configuration value zzz');
    h.args.state.settings.roConfig.clear();
    const { readConfigStream } = configModule;
    readConfigStream(h.args, 'zzz=1\nregtest.yyy=2\na=ok\n', 'f', true);
    assert.deepEqual(h.warnings, ['Ignoring unknown configuration value zzz', 'Ignoring unknown configuration value regtest.yyy']);
    assert.equal(h.args.getArg('-a'), 'ok');
  });

  it('conf= is refused and reindex= warns', () => {
    const h = harness();
    assert.equal(
      configError(() => h.args.readConfigString('conf=x.conf\n')),
      'conf cannot be set in the configuration file; use includeconf= if you want to include additional config files',
    );
    h.args.readConfigString('reindex=1\n');
    assert.equal(h.warnings.length, 1);
    assert.match(h.warnings[0]!, /^reindex=1 is set in the configuration file, which will significantly slow down startup\./);
  });

  it('negation rules apply in config files too', () => {
    const h = harness();
    assert.equal(configError(() => h.args.readConfigString('nostrict=1\n')), 'Negating of -strict is meaningless and therefore forbidden');
    h.args.readConfigString('noa=1\nnob=0\n');
    assert.equal(h.args.isArgNegated('-a'), true);
    assert.equal(h.args.getBoolArg('-b', false), true);
  });

  it('first config value wins for single values; command line beats config; lists keep all', () => {
    const h = harness();
    h.args.readConfigString('a=first\na=second\nb=c1\nd=1\nd=2\n');
    assert.equal(h.args.getArg('-a'), 'first');
    assert.deepEqual(h.args.getArgs('-a'), ['first', 'second']);
    h.args.parseParameters(['-b=cli1', '-b=cli2']);
    assert.equal(h.args.getArg('-b'), 'cli2');
    assert.deepEqual(h.args.getArgs('-b'), ['cli1', 'cli2', 'c1']);
    h.args.lockSettings((s) => s.rwSettings.set('d', 'rw'));
    assert.equal(h.args.getArg('-d'), 'rw', 'settings.json beats the config file');
    h.args.parseParameters(['-d=cli']);
    assert.equal(h.args.getArg('-d'), 'cli', 'the command line beats settings.json');
    assert.equal(h.args.getPersistentSetting('d'), 'rw');
  });

  it('a command-line negation hides config values unless followed by a value (zombie values)', () => {
    const h = harness();
    h.args.readConfigString('a=conf\n');
    h.args.parseParameters(['-noa']);
    assert.deepEqual(h.args.getArgs('-a'), []);
    assert.equal(h.args.isArgNegated('-a'), true);
    h.args.parseParameters(['-a=x', '-noa', '-a=cli']);
    assert.deepEqual(h.args.getArgs('-a'), ['cli', 'conf']);
  });

  it('network sections apply to the selected chain before the default section', () => {
    const h = harness();
    h.args.readConfigString('a=top\n[regtest]\na=reg\nb=regb\n[main]\na=main\n');
    h.args.selectConfigNetwork('regtest');
    assert.equal(h.args.getArg('-a'), 'reg');
    assert.deepEqual(h.args.getArgs('-a'), ['reg', 'top']);
    h.args.selectConfigNetwork('main');
    assert.equal(h.args.getArg('-a'), 'main');
    assert.equal(h.args.getArg('-b'), undefined);
  });

  it('network-only options ignore the default section off main, except negations', () => {
    const h = harness();
    h.args.readConfigString('addnode=1.2.3.4\n');
    h.args.selectConfigNetwork('main');
    assert.equal(h.args.getArg('-addnode'), '1.2.3.4');
    assert.deepEqual(h.args.getUnsuitableSectionOnlyArgs(), []);
    h.args.selectConfigNetwork('regtest');
    assert.equal(h.args.getArg('-addnode'), undefined);
    assert.deepEqual(h.args.getArgs('-addnode'), []);
    assert.deepEqual(h.args.getUnsuitableSectionOnlyArgs(), ['-addnode']);
    h.args.parseParameters(['-addnode=5.6.7.8']);
    assert.deepEqual(h.args.getUnsuitableSectionOnlyArgs(), [], 'overridden on the command line');
    h.args.parseParameters([]);
    h.args.readConfigString('noaddnode=1\n');
    assert.equal(h.args.isArgNegated('-addnode'), true, 'a negation in the default section still applies');
  });

  it('lists sections that name no chain', () => {
    const h = harness();
    configModule.readConfigStream(h.args, '[regtest]\na=1\n[reg]\nb=2\nfoo.a=3\nmain.a=4\n', 'f.conf', true);
    assert.deepEqual(
      h.args.getUnrecognizedSections().map((s) => `${s.file}:${s.line} ${s.name}`),
      ['f.conf:3 reg', 'f.conf:5 reg.foo', 'f.conf:6 reg.main'],
    );
  });
});

describe('ArgsManager chain selection', () => {
  it('picks the chain from flags and -chain with Core errors', () => {
    const h = harness();
    assert.equal(h.args.getChainType(), 'main');
    h.args.parseParameters(['-regtest']);
    assert.equal(h.args.getChainType(), 'regtest');
    h.args.parseParameters(['-testnet']);
    assert.equal(h.args.getChainType(), 'test');
    h.args.parseParameters(['-chain=signet']);
    assert.equal(h.args.getChainType(), 'signet');
    h.args.parseParameters(['-chain=foo']);
    assert.equal(h.args.getChainTypeString(), 'foo');
    assert.throws(() => h.args.getChainType(), { message: 'Unknown chain foo.' });
    h.args.parseParameters(['-regtest', '-testnet4']);
    assert.throws(() => h.args.getChainType(), { message: 'Invalid combination of -regtest, -signet, -testnet, -testnet4 and -chain. Can use at most one.' });
    h.args.parseParameters(['-signet', '-chain=main']);
    assert.throws(() => h.args.getChainType(), /Invalid combination/);
  });

  it('chain flags: last config value counts, a negated command-line flag is ignored', () => {
    const h = harness();
    h.args.readConfigString('regtest=0\nregtest=1\n');
    assert.equal(h.args.getChainType(), 'regtest');
    h.args.parseParameters(['-noregtest']);
    assert.equal(h.args.getChainType(), 'regtest', 'Core silently ignores -noregtest over the config');
    h.args.readConfigString('[regtest]\nregtest=1\n');
    h.args.parseParameters([]);
    assert.equal(h.args.getChainType(), 'main', 'chain flags are read from the default section only');
  });
});

describe('ArgsManager readConfigFiles', () => {
  useTmpDirs();

  function setup(files: Record<string, string>): { dir: string; h: Harness } {
    const dir = tmpDir();
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    return { dir, h: harness(dir, path.join(dir, 'home')) };
  }

  it('reads smithcoin.conf from -datadir, and a missing default file is fine', () => {
    const { dir, h } = setup({ 'smithcoin.conf': 'a=1\n' });
    h.args.parseParameters([`-datadir=${dir}`]);
    h.args.readConfigFiles();
    assert.equal(h.args.getArg('-a'), '1');
    assert.equal(h.args.getConfigFilePath(), path.join(dir, 'smithcoin.conf'));
    const empty = setup({});
    empty.h.args.parseParameters([`-datadir=${empty.dir}`]);
    empty.h.args.readConfigFiles();
    assert.equal(empty.h.args.getArg('-a'), undefined);
  });

  it('relative -datadir and -conf resolve against the working directory and datadir', () => {
    const { dir, h } = setup({ 'dd/other.conf': 'a=2\n' });
    h.args.parseParameters(['-datadir=dd', '-conf=other.conf']);
    h.args.readConfigFiles();
    assert.equal(h.args.getConfigFilePath(), `${dir}/dd/other.conf`);
    assert.equal(h.args.getArg('-a'), '2');
    assert.equal(h.args.getDataDirBase(), `${dir}/dd`);
  });

  it('errors: missing -conf file, directory as conf, missing datadir', () => {
    const { dir, h } = setup({ 'sub/x': '' });
    h.args.parseParameters([`-datadir=${dir}`, '-conf=nope.conf']);
    assert.equal(configError(() => h.args.readConfigFiles()), `specified config file "${dir}/nope.conf" could not be opened.`);
    const h2 = harness(dir);
    h2.args.parseParameters([`-conf=${dir}/sub`]);
    assert.equal(configError(() => h2.args.readConfigFiles()), `Config file "${dir}/sub" is a directory.`);
    const h3 = setup({ 'smithcoin.conf': 'datadir=/nonexistent/smithcoin\n' });
    h3.h.args.parseParameters([`-conf=${h3.dir}/smithcoin.conf`]);
    assert.equal(configError(() => h3.h.args.readConfigFiles()), 'specified data directory "/nonexistent/smithcoin" does not exist.');
  });

  it('-noconf reads nothing', () => {
    const { dir, h } = setup({ 'smithcoin.conf': 'a=1\n' });
    h.args.parseParameters([`-datadir=${dir}`, '-noconf']);
    h.args.readConfigFiles();
    assert.equal(h.args.getArg('-a'), undefined);
    assert.equal(h.args.getConfigFilePath(), '');
  });

  it('includes chain-section then default-section files, in order, and logs each', () => {
    const { dir, h } = setup({
      'smithcoin.conf': 'includeconf=top.conf\nregtest=1\n[regtest]\nincludeconf=reg.conf\n',
      'top.conf': 'a=top\nb=top\n',
      'reg.conf': 'a=reg\n',
    });
    h.args.parseParameters([`-datadir=${dir}`]);
    h.args.readConfigFiles();
    assert.deepEqual(h.args.getArgs('-a'), ['reg', 'top']);
    assert.deepEqual(h.infos, ['Included configuration file reg.conf\n', 'Included configuration file top.conf\n']);
    assert.deepEqual(h.stderr, []);
  });

  it('nested includes only warn on stderr; -noincludeconf turns includes off', () => {
    const files = { 'smithcoin.conf': 'includeconf=one.conf\n', 'one.conf': 'a=1\nincludeconf=two.conf\n', 'two.conf': 'b=2\n' };
    const { dir, h } = setup(files);
    h.args.parseParameters([`-datadir=${dir}`]);
    h.args.readConfigFiles();
    assert.equal(h.args.getArg('-a'), '1');
    assert.equal(h.args.getArg('-b'), undefined);
    assert.deepEqual(h.stderr, ['warning: -includeconf cannot be used from included files; ignoring -includeconf=two.conf\n']);
    const off = setup(files);
    off.h.args.parseParameters([`-datadir=${off.dir}`, '-noincludeconf']);
    off.h.args.readConfigFiles();
    assert.equal(off.h.args.getArg('-a'), undefined);
  });

  it('include errors: missing file, directory, and a negation cancels earlier includes', () => {
    const { dir, h } = setup({ 'smithcoin.conf': 'includeconf=missing.conf\n' });
    h.args.parseParameters([`-datadir=${dir}`]);
    assert.equal(configError(() => h.args.readConfigFiles()), 'Failed to include configuration file missing.conf');
    const d = setup({ 'smithcoin.conf': 'includeconf=sub\n', 'sub/x': '' });
    d.h.args.parseParameters([`-datadir=${d.dir}`]);
    assert.equal(configError(() => d.h.args.readConfigFiles()), `Included config file "${d.dir}/sub" is a directory.`);
    const n = setup({ 'smithcoin.conf': 'includeconf=missing.conf\nnoincludeconf=1\n' });
    n.h.args.parseParameters([`-datadir=${n.dir}`]);
    n.h.args.readConfigFiles();
    assert.deepEqual(n.h.args.getArgs('-includeconf'), []);
  });

  it('parse errors carry through readConfigFiles', () => {
    const { dir, h } = setup({ 'smithcoin.conf': 'a=1\nbad line\n' });
    h.args.parseParameters([`-datadir=${dir}`]);
    assert.equal(configError(() => h.args.readConfigFiles()), 'parse error on line 2: bad line');
  });
});
