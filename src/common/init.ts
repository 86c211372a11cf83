// Start-up configuration shared by the executables (Core's common/init.cpp InitConfig): datadir check,
// config files, chain selection, datadir creation, the ignored-config check and settings.json, plus
// the init-time texts built from the argument manager.
import fs from 'node:fs';
import path from 'node:path';
import { absPathForConfigVal, ArgsError, checkDataDirOption, CONF_FILENAME, type ArgsManager } from './args.js';
import { absPathJoin } from './args_paths.js';

export const ConfigStatus = {
  /** Failed generically. */
  FAILED: 'FAILED',
  /** Failed to write settings.json. */
  FAILED_WRITE: 'FAILED_WRITE',
  /** The user chose to abort on an unreadable settings.json. */
  ABORTED: 'ABORTED',
} as const;
export type ConfigStatus = (typeof ConfigStatus)[keyof typeof ConfigStatus];

export interface ConfigError {
  status: ConfigStatus;
  message: string;
  details: string[];
}

/** Asked whether to abort when settings.json cannot be read; true aborts, false overwrites it. */
export type SettingsAbortFn = (message: string, details: readonly string[]) => boolean;

export interface InitConfigOptions {
  settingsAbortFn?: SettingsAbortFn;
  /** Chain selection hook (Core's SelectParams); default: selectConfigNetwork(chain). */
  selectParams?: (chain: ReturnType<ArgsManager['getChainType']>) => void;
}

function fail(message: string, details: string[] = [], status: ConfigStatus = ConfigStatus.FAILED): ConfigError {
  return { status, message, details };
}

function exists(p: string): boolean {
  return fs.existsSync(p);
}

function sameFile(a: string, b: string): boolean {
  try {
    const sa = fs.statSync(a);
    const sb = fs.statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}

/** Core's fs::quoted: double quotes, with '"' and '\' escaped by a backslash. */
export function quoted(s: string): string {
  return '"' + s.replace(/(["\\])/g, '\\$1') + '"';
}

/** Reads the config, selects the chain, creates the data directories and settings.json; undefined on success. */
export function initConfig(args: ArgsManager, options: InitConfigOptions = {}): ConfigError | undefined {
  try {
    return initConfigSteps(args, options);
  } catch (err) {
    if (err instanceof Error) return fail(err.message);
    throw err;
  }
}

function initConfigSteps(args: ArgsManager, options: InitConfigOptions): ConfigError | undefined {
  if (!checkDataDirOption(args)) return fail(`Specified data directory "${args.getArg('-datadir', '')}" does not exist.`);
  // A datadir= line in the config may move the datadir; remember where we started.
  const origDatadirPath = args.getDataDirBase();
  const origConfigPath = absPathForConfigVal(args, args.getPathArg('-conf', CONF_FILENAME), false);
  try {
    args.readConfigFiles(true);
  } catch (err) {
    // Only the reader's own errors get the prefix; a bad chain combination found while reading is
    // reported as it is, as Core's InitConfig does with the exception it catches.
    if (!(err instanceof ArgsError)) throw err;
    return fail(`Error reading configuration file: ${err.message}`);
  }
  const chain = args.getChainType();
  (options.selectParams ?? ((c) => args.selectConfigNetwork(c)))(chain);
  // A new datadir gets a wallets/ subdirectory so that wallets never mix with other files.
  const basePath = args.getDataDirBase();
  if (!exists(basePath)) fs.mkdirSync(path.join(basePath, 'wallets'), { recursive: true });
  const netPath = args.getDataDirNet();
  if (!exists(netPath)) fs.mkdirSync(path.join(netPath, 'wallets'), { recursive: true });
  const ignored = checkIgnoredConfig(args, basePath, origDatadirPath, origConfigPath);
  if (ignored) return ignored;
  return initSettingsFile(args, options.settingsAbortFn);
}

/** A smithcoin.conf in the datadir that another config file shadows is an error (or a warning). */
function checkIgnoredConfig(args: ArgsManager, basePath: string, origDatadirPath: string, origConfigPath: string): ConfigError | undefined {
  const baseConfigPath = absPathJoin(basePath, CONF_FILENAME);
  if (!exists(baseConfigPath)) return undefined;
  if (origConfigPath === '') {
    args.log.info(`Data directory ${quoted(basePath)} contains a ${quoted(CONF_FILENAME)} file which is explicitly ignored using -noconf.`);
    return undefined;
  }
  if (sameFile(origConfigPath, baseConfigPath)) return undefined;
  const cliConfigPath = args.getArg('-conf', '');
  const source = cliConfigPath === '' ? `data directory ${quoted(origDatadirPath)}` : `command line argument ${quoted('-conf=' + cliConfigPath)}`;
  const b = quoted(basePath);
  const f = quoted(CONF_FILENAME);
  let error =
    `Data directory ${b} contains a ${f} file which is ignored, because a different configuration file ` +
    `${quoted(origConfigPath)} from ${source} is being used instead. Possible ways to address this would be to:\n` +
    `- Delete or rename the ${f} file in data directory ${b}.\n` +
    '- Change datadir= or conf= options to specify one configuration file, not two, and use ' +
    'includeconf= to include any other configuration files.';
  if (args.getBoolArg('-allowignoredconf', false)) {
    args.log.warning(error);
    return undefined;
  }
  error += '\n- Set allowignoredconf=1 option to treat this condition as a warning, not an error.';
  return fail(error);
}

function initSettingsFile(args: ArgsManager, settingsAbortFn: SettingsAbortFn | undefined): ConfigError | undefined {
  if (args.getSettingsPath() === undefined) return undefined;
  let details: string[] = [];
  if (!args.readSettingsFile(details)) {
    const message = 'Settings file could not be read';
    if (!settingsAbortFn) return fail(message, details);
    if (settingsAbortFn(message, details)) return fail(message, details, ConfigStatus.ABORTED);
    details = []; // The user chose to go on and overwrite the file.
  }
  if (!args.writeSettingsFile(details)) return fail('Settings file could not be written', details, ConfigStatus.FAILED_WRITE);
  return undefined;
}

/** An init error as the executables print it: the message, then one "- detail" line per detail. */
export function formatInitError(message: string, details: readonly string[] = []): string {
  return details.length === 0 ? message : `${message}:\n${details.map((d) => '- ' + d).join('\n')}`;
}

/** Core's init error for network-only options left in the config's default section (undefined: none). */
export function unsuitableSectionOnlyArgsError(args: ArgsManager): string | undefined {
  const chain = args.getChainType();
  const lines = args.getUnsuitableSectionOnlyArgs().map((arg) => `Config setting for ${arg} only applied on ${chain} network when in [${chain}] section.\n`);
  return lines.length === 0 ? undefined : lines.join('');
}

/** Core's init warning for config sections that name no chain (undefined: none). */
export function unrecognizedSectionsWarning(args: ArgsManager): string | undefined {
  const lines = args.getUnrecognizedSections().map((s) => `${s.file}:${s.line} Section [${s.name}] is not recognized.\n`);
  return lines.length === 0 ? undefined : lines.join('');
}

/** Core's init error when -blocksdir does not name a directory (undefined: fine). */
export function blocksDirError(args: ArgsManager): string | undefined {
  if (args.getBlocksDirPath() !== '') return undefined;
  return `Specified blocks directory "${args.getArg('-blocksdir', '')}" does not exist.`;
}
