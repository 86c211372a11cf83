// smithcoin-cli's main (Core's bitcoin-cli.cpp AppInitRPC and CommandLineRPC): options and config,
// the command from the command line and standard input, the request handler that fits, and the
// reply printed with Core's texts and exit codes.
import { ArgsError, ArgsManager, checkDataDirOption, helpRequested } from '../common/args.js';
import { formatParagraph } from '../common/args_help.js';
import { CLIENT_NAME, formatFullVersion, licenseInfo } from '../clientversion.js';
import { RPCErrorCode } from '../rpc/protocol.js';
import { GetinfoRequestHandler, formatGetInfo, shouldColorize } from './getinfo.js';
import { AddrinfoRequestHandler, DefaultRequestHandler, GenerateToAddressRequestHandler, type RequestHandler } from './handlers.js';
import { closeConnections } from './http_client.js';
import { NETINFO_HELP, NetinfoRequestHandler } from './netinfo.js';
import { DEFAULT_COLOR_SETTING, DEFAULT_NBLOCKS, setupCliArgs, usageHeader } from './options.js';
import { connectAndCallRPC, rpcWalletName, type CallContext } from './rpc_call.js';
import { StdinLines, type LineSource } from './stdin.js';
import { findValue, getInt, getStr, JsonNumber, JsonObject, member, pushKV, valStr, values, writeJson, type Json } from './univalue.js';

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin: LineSource;
  stdoutIsTTY: boolean;
}

export function processIO(): CliIO {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stdin: new StdinLines(),
    stdoutIsTTY: process.stdout.isTTY === true,
  };
}

/** Options, help/version and the config file; a number is the exit code to stop with. */
export function appInitRPC(argv: readonly string[], io: CliIO): ArgsManager | number {
  const args = new ArgsManager({ stderr: io.stderr });
  setupCliArgs(args);
  try {
    args.parseParameters(argv);
  } catch (e) {
    if (!(e instanceof ArgsError)) throw e;
    io.stderr(`Error parsing command line arguments: ${e.message}\n`);
    return 1;
  }
  if (argv.length === 0 || helpRequested(args) || args.getBoolArg('-version', false)) {
    let usage = `${CLIENT_NAME} RPC client version ${formatFullVersion()}\n`;
    if (args.getBoolArg('-version', false)) usage += formatParagraph(licenseInfo());
    else usage += usageHeader() + '\n' + args.getHelpMessage();
    io.stdout(usage);
    if (argv.length === 0) {
      io.stderr('Error: too few parameters\n');
      return 1;
    }
    return 0;
  }
  if (!checkDataDirOption(args)) {
    io.stderr(`Error: Specified data directory "${args.getArg('-datadir', '')}" does not exist.\n`);
    return 1;
  }
  try {
    args.readConfigFiles(true);
  } catch (e) {
    if (!(e instanceof ArgsError)) throw e;
    io.stderr(`Error reading configuration file: ${e.message}\n`);
    return 1;
  }
  try {
    args.selectConfigNetwork(args.getChainType());
  } catch (e) {
    if (!(e instanceof Error)) throw e;
    io.stderr(`Error: ${e.message}\n`);
    return 1;
  }
  return args;
}

/** An RPC error object as Core prints it, and the exit code it gives (|code|). */
export function parseError(error: Json): { text: string; code: number } {
  let text: string;
  if (error instanceof JsonObject) {
    const code = findValue(error, 'code') ?? null;
    const message = findValue(error, 'message');
    text = code === null ? '' : `error code: ${valStr(code)}\n`;
    if (typeof message === 'string') text += `error message:\n${message}`;
    if (code instanceof JsonNumber && getInt(code) === RPCErrorCode.RPC_WALLET_NOT_SPECIFIED) {
      text += ' Or for the CLI, specify the "-rpcwallet=<walletname>" option before the command';
      text += ' (run "smithcoin-cli -h" for help or "smithcoin-cli listwallets" to see which wallets are currently loaded).';
    }
  } else {
    text = `error: ${writeJson(error)}`;
  }
  return { text, code: Math.abs(getInt(member(error, 'code'))) };
}

/** A result as Core prints it: strings raw, null as nothing, anything else as JSON indented by 2. */
export function parseResult(result: Json): string {
  if (result === null) return '';
  return typeof result === 'string' ? result : writeJson(result, 2);
}

/** With more than one wallet loaded, -getinfo lists each wallet's trusted balance. */
async function getWalletBalances(ctx: CallContext, result: JsonObject): Promise<void> {
  const rh = new DefaultRequestHandler(ctx.args);
  const listwallets = await connectAndCallRPC(ctx, rh, 'listwallets', []);
  if (member(listwallets, 'error') !== null) return;
  const wallets = values(member(listwallets, 'result'));
  if (wallets.length <= 1) return;
  const balances = new JsonObject();
  for (const wallet of wallets) {
    const name = getStr(wallet);
    const reply = await connectAndCallRPC(ctx, rh, 'getbalances', [], name);
    pushKV(balances, name, member(member(member(reply, 'result'), 'mine'), 'trusted'));
  }
  pushKV(result, 'balances', balances);
}

/** -generate's words: [nblocks] [maxtries] around the new address. */
export function setGenerateToAddressArgs(address: string, words: string[]): void {
  if (words.length > 2) throw new Error('too many arguments (maximum 2 for nblocks and maxtries)');
  if (words.length === 0) words.push(DEFAULT_NBLOCKS);
  else if (words[0] === '0') {
    throw new Error(`the first argument (number of blocks to generate, default: ${DEFAULT_NBLOCKS}) must be an integer value greater than zero`);
  }
  words.splice(1, 0, address);
}

interface Outcome {
  text: string;
  code: number;
}

/** Reads the passwords and extra words that the -stdin* options ask for. */
async function readStdinArgs(args: ArgsManager, io: CliIO, words: string[]): Promise<void> {
  if (args.getBoolArg('-stdinrpcpass', false)) {
    if (io.stdin.isTerminal) io.stderr('RPC password> ');
    const pass = await io.stdin.readLine({ hidden: true });
    if (pass === undefined) throw new Error('-stdinrpcpass specified but failed to read from standard input');
    if (io.stdin.isTerminal) io.stdout('\n');
    args.forceSetArg('-rpcpassword', pass);
  }
  if (args.getBoolArg('-stdinwalletpassphrase', false)) {
    if (words.length < 1 || !words[0]!.startsWith('walletpassphrase')) {
      throw new Error('-stdinwalletpassphrase is only applicable for walletpassphrase(change)');
    }
    if (io.stdin.isTerminal) io.stderr('Wallet passphrase> ');
    const pass = await io.stdin.readLine({ hidden: true });
    if (pass === undefined) throw new Error('-stdinwalletpassphrase specified but failed to read from standard input');
    if (io.stdin.isTerminal) io.stdout('\n');
    words.splice(1, 0, pass);
  }
  if (args.getBoolArg('-stdin', false)) {
    words.push(...await io.stdin.readAll());
    if (io.stdin.isTerminal) io.stdout('\n');
  }
}

/** The handler for the CLI command given (or a plain RPC), or what to print instead of calling. */
async function chooseHandler(ctx: CallContext, words: string[]): Promise<{ rh: RequestHandler; method: string } | Outcome> {
  const { args } = ctx;
  if (args.getBoolArg('-getinfo', false)) return { rh: new GetinfoRequestHandler(), method: '' };
  if (args.getBoolArg('-netinfo', false)) {
    if (words.length > 0 && (words[0] === 'h' || words[0] === 'help')) return { text: NETINFO_HELP, code: 0 };
    return { rh: new NetinfoRequestHandler(args), method: '' };
  }
  if (args.getBoolArg('-generate', false)) {
    const getnewaddress = await connectAndCallRPC(ctx, new DefaultRequestHandler(args), 'getnewaddress', [], rpcWalletName(args));
    const error = member(getnewaddress, 'error');
    if (error !== null) return parseError(error);
    setGenerateToAddressArgs(getStr(member(getnewaddress, 'result')), words);
    return { rh: new GenerateToAddressRequestHandler(), method: '' };
  }
  if (args.getBoolArg('-addrinfo', false)) return { rh: new AddrinfoRequestHandler(), method: '' };
  if (words.length < 1) throw new Error('too few parameters (need at least command)');
  return { rh: new DefaultRequestHandler(args), method: words.shift()! };
}

async function runCommand(args: ArgsManager, io: CliIO): Promise<Outcome> {
  const ctx: CallContext = { args, warn: io.stderr };
  const words = [...(args.getCommand()?.args ?? [])];
  await readStdinArgs(args, io, words);
  args.checkMultipleCLIArgs();
  const choice = await chooseHandler(ctx, words);
  if ('text' in choice) return choice;
  const wallet = rpcWalletName(args);
  const reply = await connectAndCallRPC(ctx, choice.rh, choice.method, words, wallet);
  let result = member(reply, 'result');
  const error = member(reply, 'error');
  if (error !== null) return parseError(error);
  if (args.getBoolArg('-getinfo', false) && result instanceof JsonObject) {
    if (wallet === undefined) await getWalletBalances(ctx, result);
    const colorize = shouldColorize(args.getArg('-color', DEFAULT_COLOR_SETTING), io.stdoutIsTTY);
    result = formatGetInfo(result, colorize);
  }
  return { text: parseResult(result), code: 0 };
}

/** Core's CommandLineRPC: the text goes to stdout on success and to stderr otherwise. */
export async function commandLineRPC(args: ArgsManager, io: CliIO): Promise<number> {
  let outcome: Outcome;
  try {
    outcome = await runCommand(args, io);
  } catch (e) {
    if (!(e instanceof Error)) throw e;
    outcome = { text: `error: ${e.message}`, code: 1 };
  } finally {
    closeConnections();
  }
  if (outcome.text !== '') (outcome.code === 0 ? io.stdout : io.stderr)(`${outcome.text}\n`);
  return outcome.code;
}

export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const init = appInitRPC(argv, io);
  if (typeof init === 'number') return init;
  return commandLineRPC(init, io);
}
