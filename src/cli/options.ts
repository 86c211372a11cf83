// smithcoin-cli's options, defaults and usage text (Core's SetupCliArgs and AppInitRPC's help).
import { ArgsFlags, CONF_FILENAME, OptionsCategory, setupHelpOptions, type ArgsManager } from '../common/args.js';
import { setupChainParamsBaseOptions } from '../node/init_args_debug.js';
import { CLIENT_NAME } from '../clientversion.js';
import { baseChainParams } from '../kernel/chainparams.js';

export const DEFAULT_RPCCONNECT = '127.0.0.1';
export const DEFAULT_RPC_REQ_ID = '1';
export const DEFAULT_HTTP_CLIENT_TIMEOUT = 900;
export const DEFAULT_WAIT_CLIENT_TIMEOUT = 0;
export const DEFAULT_NAMED = false;
export const DEFAULT_NBLOCKS = '1';
export const DEFAULT_MAX_TRIES = 1000000;
export const DEFAULT_COLOR_SETTING = 'auto';
export const NETINFO_MAX_LEVEL = 4;

export function setupCliArgs(args: ArgsManager): void {
  setupHelpOptions(args);
  const any = ArgsFlags.ALLOW_ANY;
  const { OPTIONS, CLI_COMMANDS, IPC } = OptionsCategory;
  const port = (chain: Parameters<typeof baseChainParams>[0]) => baseChainParams(chain).rpcPort;
  args.addArg('-version', 'Print version and exit', any, OPTIONS);
  args.addArg('-conf=<file>', `Specify configuration file. Relative paths will be prefixed by datadir location. (default: ${CONF_FILENAME})`, any, OPTIONS);
  args.addArg('-datadir=<dir>', 'Specify data directory', any | ArgsFlags.DISALLOW_NEGATION, OPTIONS);
  args.addArg('-generate', 'Generate blocks, equivalent to RPC getnewaddress followed by RPC generatetoaddress. Optional positional integer ' +
    `arguments are number of blocks to generate (default: ${DEFAULT_NBLOCKS}) and maximum iterations to try (default: ${DEFAULT_MAX_TRIES}), equivalent to ` +
    'RPC generatetoaddress nblocks and maxtries arguments. Example: smithcoin-cli -generate 4 1000', any, CLI_COMMANDS);
  args.addArg('-addrinfo', 'Get the number of addresses known to the node, per network and total.', any, CLI_COMMANDS);
  args.addArg('-getinfo', 'Get general information from the remote server. Note that unlike server-side RPC calls, the output of -getinfo is the result ' +
    'of multiple non-atomic requests. Some entries in the output may represent results from different states (e.g. wallet balance may be as of a ' +
    'different block from the chain state reported)', any, CLI_COMMANDS);
  args.addArg('-netinfo', `Get network peer connection information from the remote server. An optional argument from 0 to ${NETINFO_MAX_LEVEL} can be passed ` +
    'for different peers listings (default: 0). If a non-zero value is passed, an additional "outonly" (or "o") argument can be passed to see ' +
    'outbound peers only. Pass "help" (or "h") for detailed help documentation.', any, CLI_COMMANDS);
  setupChainParamsBaseOptions(args);
  args.addArg('-color=<when>', `Color setting for CLI output (default: ${DEFAULT_COLOR_SETTING}). Valid values: always, auto (add color codes when ` +
    'standard output is connected to a terminal and OS is not WIN32), never. Only applies to the output of -getinfo.', any | ArgsFlags.DISALLOW_NEGATION, OPTIONS);
  args.addArg('-named', `Pass named instead of positional arguments (default: ${DEFAULT_NAMED})`, any, OPTIONS);
  args.addArg('-rpcid=<id>', `Set a custom JSON-RPC request ID string (default: ${DEFAULT_RPC_REQ_ID})`,
    any | ArgsFlags.DISALLOW_NEGATION | ArgsFlags.DISALLOW_ELISION, OPTIONS);
  args.addArg('-rpcclienttimeout=<n>', 'Timeout in seconds during HTTP requests, or 0 for no timeout. Not implemented for IPC connections ' +
    `(see -ipcconnect). (default: ${DEFAULT_HTTP_CLIENT_TIMEOUT})`, any, OPTIONS);
  args.addArg('-rpcconnect=<ip>', `Send commands to node running on <ip> (default: ${DEFAULT_RPCCONNECT})`, any, OPTIONS);
  args.addArg('-rpccookiefile=<loc>', 'Location of the auth cookie. Relative paths will be prefixed by a net-specific datadir location. (default: data dir)', any, OPTIONS);
  args.addArg('-rpcpassword=<pw>', 'Password for JSON-RPC connections', any, OPTIONS);
  args.addArg('-rpcport=<port>', `Connect to JSON-RPC on <port> (default: ${port('main')}, testnet: ${port('test')}, testnet4: ${port('testnet4')}, ` +
    `signet: ${port('signet')}, regtest: ${port('regtest')})`, any | ArgsFlags.NETWORK_ONLY, OPTIONS);
  args.addArg('-rpcuser=<user>', 'Username for JSON-RPC connections', any, OPTIONS);
  args.addArg('-rpcwait', 'Wait for RPC server to start', any, OPTIONS);
  args.addArg('-rpcwaittimeout=<n>', `Timeout in seconds to wait for the RPC server to start, or 0 for no timeout. (default: ${DEFAULT_WAIT_CLIENT_TIMEOUT})`,
    any | ArgsFlags.DISALLOW_NEGATION, OPTIONS);
  args.addArg('-rpcwallet=<walletname>', 'Send RPC for non-default wallet on RPC server (needs to exactly match corresponding -wallet option passed ' +
    'to smithcoind). This changes the RPC endpoint used, e.g. http://127.0.0.1:8332/wallet/<walletname>', any, OPTIONS);
  args.addArg('-stdin', 'Read extra arguments from standard input, one per line until EOF/Ctrl-D (recommended for sensitive information such as ' +
    'passphrases). When combined with -stdinrpcpass, the first line from standard input is used for the RPC password.', any, OPTIONS);
  args.addArg('-stdinrpcpass', 'Read RPC password from standard input as a single line. When combined with -stdin, the first line from standard input ' +
    'is used for the RPC password. When combined with -stdinwalletpassphrase, -stdinrpcpass consumes the first line, and -stdinwalletpassphrase ' +
    'consumes the second.', any, OPTIONS);
  args.addArg('-stdinwalletpassphrase', 'Read wallet passphrase from standard input as a single line. When combined with -stdin, the first line from ' +
    'standard input is used for the wallet passphrase.', any, OPTIONS);
  args.addArg('-ipcconnect=<address>', "Connect to smithcoin-node through IPC socket instead of TCP socket to execute requests. Valid <address> values " +
    "are 'auto' to try to connect to default socket path at <datadir>/node.sock but fall back to TCP if it is not available, 'unix' to connect to " +
    "the default socket and fail if it isn't available, or 'unix:<socket path>' to connect to a socket at a nonstandard path. -noipcconnect can " +
    'be specified to avoid attempting to use IPC at all. Default value: auto', any, IPC);
}

/** The text before the option list in -help. */
export function usageHeader(): string {
  return `\nThe smithcoin-cli utility provides a command line interface to interact with a ${CLIENT_NAME} RPC server.\n` +
    `\nIt can be used to query network information, manage wallets, create or broadcast transactions, and control the ${CLIENT_NAME} server.\n` +
    '\nUse the "help" command to list all commands. Use "help <command>" to show help for that command.\n' +
    'The -named option allows you to specify parameters using the key=value format, eliminating the need to pass unused positional parameters.\n' +
    '\n' +
    'Usage: smithcoin-cli [options] <command> [params]\n' +
    'or:    smithcoin-cli [options] -named <command> [name=value]...\n' +
    'or:    smithcoin-cli [options] help\n' +
    'or:    smithcoin-cli [options] help <command>\n' +
    '\n';
}
