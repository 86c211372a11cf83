// ArgsManager command-line parsing and value getters, against Core's rules and error texts.
import assert from 'node:assert/strict';
import { ArgsError, ArgsFlags, ArgsManager, OptionsCategory, helpRequested, interpretKey, setupHelpOptions } from '../../../src/common/args.js';
import { JsonNumber, JsonObject, type SettingsValue } from '../../../src/common/settings_json.js';

const { ALLOW_ANY, DISALLOW_NEGATION, DISALLOW_ELISION } = ArgsFlags;

function manager(opts: Array<[string, number]>, warnings: string[] = []): ArgsManager {
  const args = new ArgsManager({ log: { info: () => {}, warning: (m) => warnings.push(m) } });
  for (const [name, flags] of opts) args.addArg(name, '', flags, OptionsCategory.OPTIONS);
  return args;
}

function parseError(args: ArgsManager, argv: string[]): string {
  try {
    args.parseParameters(argv);
  } catch (err) {
    assert.ok(err instanceof ArgsError);
    return err.message;
  }
  assert.fail('expected an ArgsError');
}

describe('ArgsManager command line', () => {
  it('rejects unknown options with the original argument', () => {
    const args = manager([['-foo', ALLOW_ANY]]);
    assert.equal(parseError(args, ['-x']), 'Invalid parameter -x');
    assert.equal(parseError(args, ['--bar=1']), 'Invalid parameter --bar=1');
    assert.equal(parseError(args, ['-nobar']), 'Invalid parameter -nobar');
  });

  it('rejects section-qualified options on the command line', () => {
    const args = manager([['-foo', ALLOW_ANY]]);
    assert.equal(parseError(args, ['-regtest.foo=1']), 'Invalid parameter -regtest.foo=1');
  });

  it('accepts -foo, --foo, -foo=v and keeps every value in order', () => {
    const args = manager([['-foo', ALLOW_ANY], ['-bar', ALLOW_ANY]]);
    args.parseParameters(['-foo', '--bar=x', '-foo=2', '--foo=3']);
    assert.deepEqual(args.getArgs('-foo'), ['', '2', '3']);
    assert.equal(args.getArg('-foo'), '3', 'the last command-line value wins');
    assert.equal(args.getArg('-bar'), 'x');
    assert.equal(args.getArg('-missing', 'dflt'), 'dflt');
    assert.equal(args.getArg('-missing'), undefined);
  });

  it('negates with -nofoo and supports the double negative -nofoo=0 with a warning', () => {
    const warnings: string[] = [];
    const args = manager([['-foo', ALLOW_ANY], ['-bar', ALLOW_ANY]], warnings);
    args.parseParameters(['-nofoo', '-nobar=0']);
    assert.equal(args.isArgNegated('-foo'), true);
    assert.equal(args.isArgSet('-foo'), true);
    assert.equal(args.getBoolArg('-foo', true), false);
    assert.equal(args.getArg('-foo'), '0');
    assert.equal(args.isArgNegated('-bar'), false);
    assert.equal(args.getBoolArg('-bar', false), true);
    assert.deepEqual(warnings, ['Parsed potentially confusing double-negative -bar=0']);
  });

  it('-foo=0 is a value, not a negation', () => {
    const args = manager([['-foo', ALLOW_ANY]]);
    args.parseParameters(['-foo=0']);
    assert.equal(args.isArgNegated('-foo'), false);
    assert.equal(args.getBoolArg('-foo', true), false);
    assert.equal(args.getArg('-foo'), '0');
  });

  it('a negation drops earlier values from getArgs', () => {
    const args = manager([['-foo', ALLOW_ANY]]);
    args.parseParameters(['-foo=a', '-nofoo', '-foo=b']);
    assert.deepEqual(args.getArgs('-foo'), ['b']);
    args.parseParameters(['-foo=a', '-nofoo']);
    assert.deepEqual(args.getArgs('-foo'), []);
  });

  it('DISALLOW_NEGATION and DISALLOW_ELISION give Core errors', () => {
    const args = manager([['-foo', DISALLOW_NEGATION], ['-bar', DISALLOW_ELISION]]);
    assert.equal(parseError(args, ['-nofoo']), 'Negating of -foo is meaningless and therefore forbidden');
    assert.equal(parseError(args, ['-bar']), 'Can not set -bar with no value. Please specify value with -bar=value.');
    args.parseParameters(['-foo=1', '-bar=']);
    assert.equal(args.getArg('-bar'), '');
  });

  it('refuses -includeconf but allows -noincludeconf', () => {
    const args = manager([['-includeconf', ALLOW_ANY]]);
    assert.equal(parseError(args, ['-includeconf=a.conf']), '-includeconf cannot be used from commandline; -includeconf="a.conf"');
    assert.equal(parseError(args, ['-includeconf']), '-includeconf cannot be used from commandline; -includeconf=""');
    args.parseParameters(['-noincludeconf']);
    assert.equal(args.isArgNegated('-includeconf'), true);
  });

  it('stops at "-" and treats the first non-option word as a command', () => {
    const args = manager([['-foo', ALLOW_ANY]]);
    args.parseParameters(['-foo=1', '-', '-bogus']);
    assert.equal(args.getCommand(), undefined);
    args.parseParameters(['-foo=2', 'getinfo', '-bogus', 'x']);
    assert.deepEqual(args.getCommand(), { command: '', args: ['getinfo', '-bogus', 'x'] });
    assert.equal(args.getArg('-foo'), '2');
  });

  it('checks registered commands and their options', () => {
    const args = manager([]);
    args.addArg('-wallet', '', ALLOW_ANY, OptionsCategory.COMMAND_OPTIONS);
    args.addArg('-dumpfile', '', ALLOW_ANY, OptionsCategory.COMMAND_OPTIONS);
    args.addCommand('info', 'Get wallet info', ['-wallet']);
    args.addCommand('dump', 'Dump', ['-wallet', '-dumpfile']);
    assert.equal(parseError(args, ['bogus']), "Invalid command 'bogus'");
    args.parseParameters(['-dumpfile=x', 'info', 'extra']);
    assert.deepEqual(args.getCommand(), { command: 'info', args: ['extra'] });
    assert.deepEqual(args.checkCommandOptions('info'), ["The -dumpfile option cannot be used with the 'info' command."]);
    assert.deepEqual(args.checkCommandOptions('dump'), []);
  });

  it('only one CLI command option may be given', () => {
    const args = manager([]);
    for (const o of ['-getinfo', '-netinfo', '-generate']) args.addArg(o, '', ALLOW_ANY, OptionsCategory.CLI_COMMANDS);
    args.parseParameters(['-netinfo', '-getinfo']);
    assert.throws(() => args.checkMultipleCLIArgs(), { message: 'Only one of -getinfo, -netinfo may be specified.' });
    args.parseParameters(['-netinfo']);
    args.checkMultipleCLIArgs();
  });

  it('accepts anything with default flags ALLOW_ANY', () => {
    const args = manager([]);
    assert.equal(parseError(args, ['-whatever']), 'Invalid parameter -whatever');
    args.setDefaultFlags(ALLOW_ANY);
    args.parseParameters(['-whatever=1']);
    assert.equal(args.getArg('-whatever'), '1');
  });

  it('help options and -h/-? aliases', () => {
    const args = new ArgsManager();
    setupHelpOptions(args);
    args.parseParameters([]);
    assert.equal(helpRequested(args), false);
    for (const h of ['-h', '-?', '-help', '--help']) {
      args.parseParameters([h]);
      assert.equal(helpRequested(args), true, h);
    }
  });

  it('refuses duplicate registrations except HIDDEN placeholders', () => {
    const args = manager([['-foo', ALLOW_ANY]]);
    assert.throws(() => args.addArg('-foo=<x>', '', ALLOW_ANY, OptionsCategory.RPC));
    args.addArg('-foo', '', ALLOW_ANY, OptionsCategory.HIDDEN);
  });
});

describe('ArgsManager value conversions', () => {
  it('interprets keys as Core does', () => {
    assert.deepEqual(interpretKey('regtest.nofoo'), { name: 'foo', section: 'regtest', negated: true });
    assert.deepEqual(interpretKey('a.b.c'), { name: 'b.c', section: 'a', negated: false });
    assert.deepEqual(interpretKey('node'), { name: 'de', section: '', negated: true });
  });

  it('getIntArg follows LocaleIndependentAtoi (trim, leading digits, saturation)', () => {
    const args = manager([['-n', ALLOW_ANY]]);
    const cases: Array<[string, bigint]> = [
      ['12', 12n], [' 7 ', 7n], ['+5', 5n], ['+-5', 0n], ['-3', -3n], ['12abc', 12n], ['abc', 0n], ['3.25', 3n],
      ['99999999999999999999', 9223372036854775807n], ['-99999999999999999999', -9223372036854775808n], ['', 0n],
    ];
    for (const [text, want] of cases) {
      args.parseParameters([`-n=${text}`]);
      assert.equal(args.getIntArg('-n', 100n), want, text);
    }
    args.parseParameters([]);
    assert.equal(args.getIntArg('-n', 100n), 100n);
    args.parseParameters(['-non']);
    assert.equal(args.getIntArg('-n', 100n), 0n);
  });

  it('getBoolArg: empty is true, numbers by value, words are false', () => {
    const args = manager([['-b', ALLOW_ANY]]);
    const cases: Array<[string, boolean]> = [['-b', true], ['-b=1', true], ['-b=0', false], ['-b=2', true], ['-b=true', false], ['-b=-1', true]];
    for (const [arg, want] of cases) {
      args.parseParameters([arg]);
      assert.equal(args.getBoolArg('-b', !want), want, arg);
    }
  });

  it('settings.json values convert as Core (numbers, strings, booleans, objects)', () => {
    const args = manager([['-foo', ALLOW_ANY]]);
    const setFoo = (v: SettingsValue) =>
      args.lockSettings((s) => s.rwSettings.set('foo', v));
    setFoo('3.25');
    assert.equal(args.getIntArg('-foo', 100n), 3n);
    assert.equal(args.getBoolArg('-foo', false), true);
    setFoo(new JsonNumber('99'));
    assert.equal(args.getArg('-foo'), '99');
    assert.equal(args.getIntArg('-foo', 100n), 99n);
    assert.throws(() => args.getBoolArg('-foo', true), { message: 'JSON value of type number is not of expected type string' });
    setFoo(new JsonNumber('3.25'));
    assert.throws(() => args.getIntArg('-foo', 100n), { message: 'JSON integer out of range' });
    setFoo(true);
    assert.equal(args.getArg('-foo'), '1');
    assert.equal(args.getIntArg('-foo', 100n), 1n);
    setFoo(new JsonObject());
    assert.throws(() => args.getArg('-foo'), { message: 'JSON value of type object is not of expected type string' });
  });

  it('SoftSetArg only sets unset options; ForceSetArg overrides everything', () => {
    const args = manager([['-foo', ALLOW_ANY], ['-bar', ALLOW_ANY]]);
    args.parseParameters(['-foo=cli']);
    assert.equal(args.softSetArg('-foo', 'soft'), false);
    assert.equal(args.getArg('-foo'), 'cli');
    assert.equal(args.softSetBoolArg('-bar', false), true);
    assert.equal(args.getArg('-bar'), '0');
    assert.equal(args.softSetArg('-bar', '1'), false);
    args.forceSetArg('-foo', 'forced');
    assert.equal(args.getArg('-foo'), 'forced');
    assert.deepEqual(args.getArgs('-foo'), ['forced'], 'a forced value hides the command line in lists too');
  });

  it('getPathArg normalizes and drops trailing slashes; negation gives an empty path', () => {
    const args = manager([['-dir', ALLOW_ANY]]);
    const cases: Array<[string, string]> = [
      ['/a/b/', '/a/b'], ['a/./b//c/', 'a/b/c'], ['a/b/..', 'a'], ['./', '.'], ['/', '/'], ['../x', '../x'],
    ];
    for (const [input, want] of cases) {
      args.parseParameters([`-dir=${input}`]);
      assert.equal(args.getPathArg('-dir'), want, input);
    }
    args.parseParameters(['-dir=']);
    assert.equal(args.getPathArg('-dir', 'dflt'), 'dflt');
    args.parseParameters(['-nodir']);
    assert.equal(args.getPathArg('-dir', 'dflt'), '');
  });
});
