// The chain selection options every executable registers (Core's SetupChainParamsBaseOptions).
import { ArgsFlags, OptionsCategory, type ArgsManager } from './common/args.js';
import { CHAIN_NAMES } from './common/chaintype.js';

export function setupChainParamsBaseOptions(args: ArgsManager): void {
  const any = ArgsFlags.ALLOW_ANY;
  const { CHAINPARAMS, DEBUG_TEST } = OptionsCategory;
  args.addArg('-chain=<chain>', `Use the chain <chain> (default: main). Allowed values: ${CHAIN_NAMES.join(', ')}`, any, CHAINPARAMS);
  args.addArg('-regtest', 'Enter regression test mode, which uses a special chain in which blocks can be solved instantly. ' +
    'This is intended for regression testing tools and app development. Equivalent to -chain=regtest.', any | ArgsFlags.DEBUG_ONLY, CHAINPARAMS);
  args.addArg('-testactivationheight=name@height.', "Set the activation height of 'name' (segwit, bip34, dersig, cltv, csv). (test-only)",
    any | ArgsFlags.DEBUG_ONLY, DEBUG_TEST);
  args.addArg('-testnet', 'Use the testnet3 chain. Equivalent to -chain=test. Support for testnet3 is deprecated and will be removed in an upcoming release. ' +
    'Consider moving to testnet4 now by using -testnet4.', any, CHAINPARAMS);
  args.addArg('-testnet4', 'Use the testnet4 chain. Equivalent to -chain=testnet4.', any, CHAINPARAMS);
  args.addArg('-vbparams=deployment:start:end[:min_activation_height]',
    'Use given start/end times and min_activation_height for specified version bits deployment (test-only)', any | ArgsFlags.DEBUG_ONLY, CHAINPARAMS);
  args.addArg('-signet', 'Use the signet chain. Equivalent to -chain=signet. Note that the network is defined by the -signetchallenge parameter', any, CHAINPARAMS);
  args.addArg('-signetchallenge', 'Blocks must satisfy the given script to be considered valid (only for signet networks; defaults to the global default signet test network challenge)',
    any | ArgsFlags.DISALLOW_NEGATION, CHAINPARAMS);
  args.addArg('-signetseednode', 'Specify a seed node for the signet network, in the hostname[:port] format, e.g. sig.net:1234 ' +
    '(may be used multiple times to specify multiple seed nodes; defaults to the global default signet test network seed node(s))',
    any | ArgsFlags.DISALLOW_NEGATION, CHAINPARAMS);
}
