// The `smithcoin` command: option parsing, command → executable mapping, multiprocess detection and
// executable lookup, as Core's src/bitcoin.cpp. It decides only; the launcher performs the exec.
import fs from 'node:fs';
import path from 'node:path';
import { interpretBool, selectChain } from './chaintype.js';
import { parseConfigText, type ConfigEntry } from './config_file.js';

export class WrapperError extends Error {
  override name = 'WrapperError';
}

export interface WrapperCommandLine {
  /** undefined when neither -m nor -M was given (auto-detect). */
  useMultiprocess: boolean | undefined;
  showVersion: boolean;
  showHelp: boolean;
  command: string;
  args: string[];
}

/** Core's ParseCommandLine: options until the first command word; the rest belongs to the command. */
export function parseWrapperCommandLine(argv: readonly string[]): WrapperCommandLine {
  const cmd: WrapperCommandLine = { useMultiprocess: undefined, showVersion: false, showHelp: false, command: '', args: [] };
  for (const arg of argv) {
    if (cmd.command !== '') cmd.args.push(arg);
    else if (arg === '-m' || arg === '--multiprocess') cmd.useMultiprocess = true;
    else if (arg === '-M' || arg === '--monolithic') cmd.useMultiprocess = false;
    else if (arg === '-v' || arg === '--version') cmd.showVersion = true;
    else if (arg === '-h' || arg === '--help' || arg === 'help') cmd.showHelp = true;
    else if (arg.startsWith('-')) throw new WrapperError(`Unknown option: ${arg}`);
    else if (arg !== '') cmd.command = arg;
  }
  return cmd;
}

export function helpUsage(exeName: string): string {
  return `Usage: ${exeName} [OPTIONS] COMMAND...

Options:
  -m, --multiprocess     Run multiprocess binaries smithcoin-node, smithcoin-gui.
  -M, --monolithic       Run monolithic binaries smithcoind, smithcoin-qt. (Default behavior)
  -v, --version          Show version information
  -h, --help             Show full help message

Commands:
  gui [ARGS]     Start GUI, equivalent to running 'smithcoin-qt [ARGS]' or 'smithcoin-gui [ARGS]'.
  node [ARGS]    Start node, equivalent to running 'smithcoind [ARGS]' or 'smithcoin-node [ARGS]'.
  rpc [ARGS]     Call RPC method, equivalent to running 'smithcoin-cli -named [ARGS]'.
  wallet [ARGS]  Call wallet command, equivalent to running 'smithcoin-wallet [ARGS]'.
  tx [ARGS]      Manipulate hex-encoded transactions, equivalent to running 'smithcoin-tx [ARGS]'.
  help           Show full help message.
`;
}

export const HELP_EXTRA = `
Additional less commonly used commands:
  bench [ARGS]      Run bench command, equivalent to running 'bench_smithcoin [ARGS]'.
  chainstate [ARGS] Run smithcoin kernel chainstate util, equivalent to running 'smithcoin-chainstate [ARGS]'.
  test [ARGS]       Run unit tests, equivalent to running 'test_smithcoin [ARGS]'.
  test-gui [ARGS]   Run GUI unit tests, equivalent to running 'test_smithcoin-qt [ARGS]'.
`;

export function helpShort(exeName: string): string {
  return `\nRun '${exeName} help' to see additional commands (e.g. for testing and debugging).\n`;
}

/** Options that only a multiprocess binary accepts; any of them selects one. */
const IPC_OPTIONS = ['ipcbind', 'ipcconnect', 'ipcfd'];

export interface DetectEnv {
  /** Home directory for the default datadir (~/.smithcoin). */
  home: string;
  cwd: string;
  warn(message: string): void;
}

interface ParsedArgs {
  /** Last value of each option given on the command line (negated options as '0'). */
  values: Map<string, string>;
}

/** Command-line parsing with every option allowed (Core's ALLOW_ANY), as UseMultiprocess does. */
function parseAnyArgs(args: readonly string[]): ParsedArgs {
  const values = new Map<string, string>();
  for (const arg of args) {
    if (!arg.startsWith('-') || arg === '-') break;
    const eq = arg.indexOf('=');
    let key = (eq === -1 ? arg : arg.slice(0, eq)).replace(/^--?/, '');
    let value = eq === -1 ? '' : arg.slice(eq + 1);
    if (key.includes('.')) throw new WrapperError(`Invalid parameter ${arg}`);
    if (key.startsWith('no')) {
      key = key.slice(2);
      value = interpretBool(value) ? '0' : '1';
    }
    if (key === 'includeconf') throw new WrapperError(`-includeconf cannot be used from commandline; -includeconf=${value}`);
    values.set(key, value);
  }
  return { values };
}

function readSubcommandConfig(cli: ParsedArgs, env: DetectEnv): ConfigEntry[] {
  const conf = cli.values.get('conf');
  if (conf === '0') return [];
  const datadir = cli.values.get('datadir') || path.join(env.home, '.smithcoin');
  const absDatadir = path.resolve(env.cwd, datadir);
  const confPath = path.resolve(absDatadir, conf || 'smithcoin.conf');
  let text: string;
  try {
    text = fs.readFileSync(confPath, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !conf) return [];
    throw new WrapperError(`Error reading configuration file: specified config file "${confPath}" could not be opened.`);
  }
  return parseConfigText(text);
}

/**
 * Core's UseMultiprocess: -m/-M decide; otherwise look for -ipcbind, -ipcconnect or -ipcfd on the
 * command line or in the config file (default and chain sections). Parse problems only warn.
 */
export function useMultiprocess(cmd: WrapperCommandLine, env: DetectEnv): boolean {
  if (cmd.useMultiprocess !== undefined) return cmd.useMultiprocess;
  let cli: ParsedArgs = { values: new Map() };
  try {
    cli = parseAnyArgs(cmd.args);
  } catch (err) {
    env.warn(`Warning: failed to parse subcommand command line options: ${(err as Error).message}`);
  }
  let entries: ConfigEntry[] = [];
  try {
    entries = readSubcommandConfig(cli, env);
  } catch (err) {
    env.warn(`Warning: failed to parse subcommand config: ${(err as Error).message}`);
  }
  const topLevel = (name: string) => {
    if (cli.values.has(name)) return cli.values.get(name);
    let found: string | undefined;
    for (const e of entries) if (e.section === '' && e.key === name) found = e.value;
    return found;
  };
  const chain = selectChain(topLevel);
  return IPC_OPTIONS.some(
    (name) => cli.values.has(name) || entries.some((e) => (e.section === '' || e.section === chain) && e.key === name),
  );
}

/** The program and arguments that a command runs (Core's main() switch). */
export function targetArgv(cmd: WrapperCommandLine, multiprocess: () => boolean): string[] {
  const head: Record<string, () => string[]> = {
    gui: () => [multiprocess() ? 'smithcoin-gui' : 'smithcoin-qt'],
    node: () => [multiprocess() ? 'smithcoin-node' : 'smithcoind'],
    rpc: () => ['smithcoin-cli', '-named'],
    wallet: () => ['smithcoin-wallet'],
    tx: () => ['smithcoin-tx'],
    bench: () => ['bench_smithcoin'],
    chainstate: () => ['smithcoin-chainstate'],
    test: () => ['test_smithcoin'],
    'test-gui': () => ['test_smithcoin-qt'],
    util: () => ['smithcoin-util'],
  };
  const make = Object.hasOwn(head, cmd.command) ? head[cmd.command] : undefined;
  if (!make) throw new WrapperError(`Unrecognized command: '${cmd.command}'`);
  return [...make(), ...cmd.args];
}
