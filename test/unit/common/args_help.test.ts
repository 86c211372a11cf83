// The -help layout: Core's paragraph wrapping, group headers, option lines, debug-only options and commands.
import assert from 'node:assert/strict';
import { ArgsFlags, ArgsManager, OptionsCategory } from '../../../src/common/args.js';
import { formatParagraph, helpMessageOpt } from '../../../src/common/args_help.js';

const { ALLOW_ANY, DEBUG_ONLY } = ArgsFlags;

describe('formatParagraph', () => {
  // Vectors from Core's util_tests (test_FormatParagraph).
  const cases: Array<[string, number, number, string]> = [
    ['', 79, 0, ''],
    ['test', 79, 0, 'test'],
    [' test', 79, 0, ' test'],
    ['test test', 79, 0, 'test test'],
    ['test test', 4, 0, 'test\ntest'],
    ['testerde test', 4, 0, 'testerde\ntest'],
    ['test test', 4, 4, 'test\n    test'],
    ['test test\nabc', 4, 4, 'test\n    test\nabc'],
    [
      'This_is_a_very_long_test_string_without_any_spaces_so_it_should_just_get_returned_as_is_despite_the_length until it gets here', 79, 0,
      'This_is_a_very_long_test_string_without_any_spaces_so_it_should_just_get_returned_as_is_despite_the_length\nuntil it gets here',
    ],
    [
      'a b c d e f g h i j k l m n o p q r s t u v w x y z 1 2 3 4 5 6 7 8 9 a b c de f g h i j k l m n o p', 79, 0,
      'a b c d e f g h i j k l m n o p q r s t u v w x y z 1 2 3 4 5 6 7 8 9 a b c de\nf g h i j k l m n o p',
    ],
    [
      'x\na b c d e f g h i j k l m n o p q r s t u v w x y z 1 2 3 4 5 6 7 8 9 a b c de f g h i j k l m n o p q r s t u v w x y z 0 1 2 3 4 5 6 7 8 9 a b c d e fg h i j k', 79, 4,
      'x\na b c d e f g h i j k l m n o p q r s t u v w x y z 1 2 3 4 5 6 7 8 9 a b c de\n    f g h i j k l m n o p q r s t u v w x y z 0 1 2 3 4 5 6 7 8 9 a b c d e fg\n    h i j k',
    ],
    [
      'This is a very long test string.\n\nThis is a second sentence in the very long test string. This is a third sentence in the very long test string.', 79, 0,
      'This is a very long test string.\n\nThis is a second sentence in the very long test string. This is a third\nsentence in the very long test string.',
    ],
    ['Testing that normal newlines do not get indented.\nLike here.', 79, 0, 'Testing that normal newlines do not get indented.\nLike here.'],
  ];
  for (const [input, width, indent, want] of cases) {
    it(`wraps ${JSON.stringify(input.slice(0, 24))}… at ${width}/${indent}`, () => {
      assert.equal(formatParagraph(input, width, indent), want);
    });
  }
});

describe('help message layout', () => {
  const LONG = 'a b c d e f g h i j k l m n o p q r s t u v w x y z 1 2 3 4 5 6 7 8 9 a b c de f g h i j k l m n o p';

  function manager(): ArgsManager {
    const args = new ArgsManager();
    args.addArg('-zeta=<n>', 'Short help', ALLOW_ANY, OptionsCategory.OPTIONS);
    args.addArg('-alpha', LONG, ALLOW_ANY, OptionsCategory.OPTIONS);
    args.addArg('-secret', 'Debug only', ALLOW_ANY | DEBUG_ONLY, OptionsCategory.DEBUG_TEST);
    args.addArg('-rpcuser=<user>', 'Username', ALLOW_ANY, OptionsCategory.RPC);
    args.addArg('-wdebug', 'Wallet debug', ALLOW_ANY | DEBUG_ONLY, OptionsCategory.WALLET_DEBUG_TEST);
    args.addArg('-help-debug', 'More help', ALLOW_ANY, OptionsCategory.HIDDEN);
    args.addHiddenArgs(['-h']);
    return args;
  }

  it('prints groups in category order, options sorted, text wrapped at 79 with indent 7', () => {
    const args = manager();
    args.parseParameters([]);
    assert.equal(
      args.getHelpMessage(),
      'Options:\n\n' +
        '  -alpha\n       a b c d e f g h i j k l m n o p q r s t u v w x y z 1 2 3 4 5 6 7 8 9 a\n       b c de f g h i j k l m n o p\n\n' +
        '  -zeta=<n>\n       Short help\n\n' +
        'Debugging/Testing options:\n\n' +
        'RPC server options:\n\n' +
        '  -rpcuser=<user>\n       Username\n\n',
    );
  });

  it('-help-debug adds debug-only options and the wallet debugging group', () => {
    const args = manager();
    args.parseParameters(['-help-debug']);
    const help = args.getHelpMessage();
    assert.ok(help.includes('Wallet debugging/testing options:\n\n  -wdebug\n       Wallet debug\n\n'));
    assert.ok(help.includes('Debugging/Testing options:\n\n  -secret\n       Debug only\n\n'));
    assert.ok(!help.includes('-h\n'));
  });

  it('lists each command with its options as indented sub-options', () => {
    const args = new ArgsManager();
    args.addArg('-wallet=<name>', 'Wallet name', ALLOW_ANY, OptionsCategory.COMMAND_OPTIONS);
    args.addArg('-dumpfile=<file>', 'Dump file', ALLOW_ANY, OptionsCategory.COMMAND_OPTIONS);
    args.addCommand('info', 'Get wallet info', ['-wallet']);
    args.addCommand('create', 'Create', ['-wallet', '-dumpfile']);
    args.parseParameters([]);
    assert.equal(
      args.getHelpMessage(),
      'Commands:\n\n' +
        '  create\n       Create\n\n       -dumpfile=<file>\n            Dump file\n\n       -wallet=<name>\n            Wallet name\n\n' +
        '  info\n       Get wallet info\n\n       -wallet=<name>\n            Wallet name\n\n',
    );
  });

  it('a sub-option wraps at 79 with indent 12', () => {
    assert.equal(helpMessageOpt('-x', '', LONG, true), `       -x\n            ${formatParagraph(LONG, 67, 12)}\n\n`);
    assert.ok(formatParagraph(LONG, 67, 12).split('\n').every((line) => line.length <= 67));
  });
});
