// The argument manager of every executable (Core's ArgsManager): registered options, the command line,
// smithcoin.conf, settings.json and forced values, merged with Core's precedence rules.
import fs from 'node:fs';
import { ChainSelectionError, chainDataDir, interpretBool, isChainName, type ChainName } from './chaintype.js';
import type { SectionInfo } from './config_file.js';
import { helpMessageGroup, helpMessageOpt } from './args_help.js';
import { absPathJoin, absolute, defaultDataDir, isDirectory, normalizePathArg, type PathEnv } from './args_paths.js';
import {
  ArgsError, ArgsFlags, interpretKey, interpretValue, settingToArg, settingToBool, settingToInt, settingToString,
} from './args_value.js';
import { readConfigFiles, readConfigStream } from './config.js';
import { emptySettings, getSetting, getSettingsList, onlyHasDefaultSectionSetting, SettingsSpan, type Settings } from './settings.js';
import { compareBytes, readSettings, writeSettings } from './settings_file.js';
import { writeJson, type SettingsValue } from './settings_json.js';

export { ArgsError, ArgsFlags, interpretKey, interpretValue } from './args_value.js';
export type { KeyInfo } from './args_value.js';

export const CONF_FILENAME = 'smithcoin.conf';
export const SETTINGS_FILENAME = 'settings.json';

/** Help sections in Core's order; HIDDEN options are accepted but never shown. */
export const OptionsCategory = {
  OPTIONS: 0,
  CONNECTION: 1,
  WALLET: 2,
  WALLET_DEBUG_TEST: 3,
  ZMQ: 4,
  DEBUG_TEST: 5,
  CHAINPARAMS: 6,
  NODE_RELAY: 7,
  BLOCK_CREATION: 8,
  RPC: 9,
  GUI: 10,
  COMMANDS: 11,
  REGISTER_COMMANDS: 12,
  CLI_COMMANDS: 13,
  IPC: 14,
  COMMAND_OPTIONS: 15,
  HIDDEN: 16,
} as const;
export type OptionsCategory = (typeof OptionsCategory)[keyof typeof OptionsCategory];

const CATEGORY_HEADERS: Partial<Record<OptionsCategory, string>> = {
  [OptionsCategory.OPTIONS]: 'Options:',
  [OptionsCategory.CONNECTION]: 'Connection options:',
  [OptionsCategory.ZMQ]: 'ZeroMQ notification options:',
  [OptionsCategory.DEBUG_TEST]: 'Debugging/Testing options:',
  [OptionsCategory.NODE_RELAY]: 'Node relay options:',
  [OptionsCategory.BLOCK_CREATION]: 'Block creation options:',
  [OptionsCategory.RPC]: 'RPC server options:',
  [OptionsCategory.IPC]: 'IPC interprocess connection options:',
  [OptionsCategory.WALLET]: 'Wallet options:',
  [OptionsCategory.CHAINPARAMS]: 'Chain selection options:',
  [OptionsCategory.GUI]: 'UI Options:',
  [OptionsCategory.COMMANDS]: 'Commands:',
  [OptionsCategory.REGISTER_COMMANDS]: 'Register Commands:',
  [OptionsCategory.CLI_COMMANDS]: 'CLI Commands:',
};

/** Where the manager's own messages go (Core logs them); silent until given one. */
export interface ArgsLog {
  info(message: string): void;
  warning(message: string): void;
}

export interface ArgsManagerOptions extends PathEnv {
  log?: ArgsLog;
  /** Where Core writes straight to stderr (the includeconf recursion warning). */
  stderr?: (text: string) => void;
}

interface Arg {
  helpParam: string;
  helpText: string;
  flags: number;
}

export interface Command {
  /** The registered command, or '' when commands are not registered. */
  command: string;
  /** The words after a registered command, or the unregistered command and its words. */
  args: string[];
}

/** Mutable state shared with the config-file reader (config.ts); not for other callers. */
export interface ArgsState {
  settings: Settings;
  configSections: SectionInfo[];
  configPath: string | undefined;
}

export class ArgsManager {
  /** @internal */
  readonly state: ArgsState = { settings: emptySettings(), configSections: [], configPath: undefined };
  /** @internal */
  readonly log: ArgsLog;
  /** @internal */
  readonly stderr: (text: string) => void;
  private readonly env: PathEnv;
  private command: string[] = [];
  private network = '';
  private networkOnlyArgs = new Set<string>();
  private availableArgs = new Map<OptionsCategory, Map<string, Arg>>();
  private defaultFlags: number | undefined;
  private commandArgs = new Map<string, Set<string>>();
  private acceptAnyCommand = true;
  private cachedBlocksPath = '';
  private cachedDatadirPath = '';
  private cachedNetworkDatadirPath = '';

  constructor(options: ArgsManagerOptions = {}) {
    this.log = options.log ?? { info: () => {}, warning: () => {} };
    this.stderr = options.stderr ?? ((text) => process.stderr.write(text));
    this.env = { home: options.home, cwd: options.cwd, platform: options.platform };
  }

  // --- registration ---

  /** Registers `-name` or `-name=<param>` (the part from '=' is the help parameter). */
  addArg(name: string, help: string, flags: number, cat: OptionsCategory): void {
    if (flags & ArgsFlags.COMMAND) throw new Error('addArg: use addCommand for commands');
    const eq = name.indexOf('=') === -1 ? name.length : name.indexOf('=');
    const argName = name.slice(0, eq);
    // HIDDEN may repeat an option: it stands in for options another executable shares a config with.
    for (const [category, args] of this.availableArgs) {
      if (category === OptionsCategory.HIDDEN || cat === OptionsCategory.HIDDEN) continue;
      if (args.has(argName)) throw new Error(`addArg: duplicate option ${argName}`);
    }
    const map = this.categoryMap(cat);
    if (map.has(argName)) throw new Error(`addArg: duplicate option ${argName}`);
    map.set(argName, { helpParam: name.slice(eq), helpText: help, flags });
    if (flags & ArgsFlags.NETWORK_ONLY) this.networkOnlyArgs.add(argName);
  }

  /** Registers a command word (the first non-option argument must then be one of them). */
  addCommand(cmd: string, help: string, options: Iterable<string> = []): void {
    if (cmd.includes('=') || cmd.startsWith('-') || cmd === '') throw new Error(`addCommand: bad command ${cmd}`);
    this.acceptAnyCommand = false;
    const commands = this.categoryMap(OptionsCategory.COMMANDS);
    if (commands.has(cmd)) throw new Error(`addCommand: duplicate command ${cmd}`);
    commands.set(cmd, { helpParam: '', helpText: help, flags: ArgsFlags.COMMAND });
    const opts = new Set(options);
    if (opts.size > 0) {
      const known = this.availableArgs.get(OptionsCategory.COMMAND_OPTIONS);
      for (const opt of opts) if (!known?.has(opt)) throw new Error(`addCommand: unknown command option ${opt}`);
      if (!this.commandArgs.has(cmd)) this.commandArgs.set(cmd, opts);
    }
  }

  addHiddenArgs(names: readonly string[]): void {
    for (const name of names) this.addArg(name, '', ArgsFlags.ALLOW_ANY, OptionsCategory.HIDDEN);
  }

  clearArgs(): void {
    this.state.settings = emptySettings();
    this.availableArgs.clear();
    this.commandArgs.clear();
    this.networkOnlyArgs.clear();
    this.state.configSections = [];
  }

  /** Flags of a registered option (`-name`), else the default flags (undefined: unknown option). */
  getArgFlags(name: string): number | undefined {
    for (const args of this.availableArgs.values()) {
      const arg = args.get(name);
      if (arg) return arg.flags;
    }
    return this.defaultFlags;
  }

  /** Flags for every unregistered option (ALLOW_ANY makes the manager accept anything). */
  setDefaultFlags(flags: number | undefined): void {
    this.defaultFlags = flags;
  }

  private categoryMap(cat: OptionsCategory): Map<string, Arg> {
    let map = this.availableArgs.get(cat);
    if (!map) this.availableArgs.set(cat, (map = new Map()));
    return map;
  }

  // --- command line ---

  /** Parses the arguments after the program name; throws ArgsError with Core's text. */
  parseParameters(argv: readonly string[]): void {
    this.state.settings.commandLineOptions.clear();
    for (let i = 0; i < argv.length; i++) {
      const original = argv[i]!;
      let key = original;
      if (key === '-') break; // smithcoin-tx reads stdin
      let val: string | undefined;
      const eq = key.indexOf('=');
      if (eq !== -1) {
        val = key.slice(eq + 1);
        key = key.slice(0, eq);
      }
      if (!key.startsWith('-')) {
        this.takeCommand(argv, i);
        break;
      }
      if (key.length > 1 && key[1] === '-') key = key.slice(1);
      const keyInfo = interpretKey(key.slice(1));
      const flags = this.getArgFlags('-' + keyInfo.name);
      // Unknown options and options with a section (a dot) are not allowed on the command line.
      if (flags === undefined || keyInfo.section !== '') throw new ArgsError(`Invalid parameter ${original}`);
      const value = interpretValue(keyInfo, val, flags, (m) => this.log.warning(m));
      const list = this.state.settings.commandLineOptions.get(keyInfo.name) ?? [];
      list.push(value);
      this.state.settings.commandLineOptions.set(keyInfo.name, list);
    }
    // -includeconf only belongs in config files; -noincludeconf is allowed.
    const includes = this.state.settings.commandLineOptions.get('includeconf');
    if (includes) {
      const live = new SettingsSpan(includes).values();
      if (live.length > 0) throw new ArgsError('-includeconf cannot be used from commandline; -includeconf=' + writeJson(live[0]!));
    }
  }

  private takeCommand(argv: readonly string[], i: number): void {
    const word = argv[i]!;
    const eq = word.indexOf('=');
    const key = eq === -1 ? word : word.slice(0, eq);
    if (!this.acceptAnyCommand && this.command.length === 0) {
      const flags = this.getArgFlags(key);
      if (flags === undefined || !(flags & ArgsFlags.COMMAND)) throw new ArgsError(`Invalid command '${word}'`);
    }
    this.command.push(key, ...argv.slice(i + 1));
  }

  /** The command and its words, or undefined when none was given. */
  getCommand(): Command | undefined {
    if (this.command.length === 0) return undefined;
    const [first, ...rest] = this.command;
    return this.acceptAnyCommand ? { command: '', args: [first!, ...rest] } : { command: first!, args: rest };
  }

  /** Errors for command-specific options given with a command that does not take them (empty: fine). */
  checkCommandOptions(command: string): string[] {
    const commandOptions = this.availableArgs.get(OptionsCategory.COMMAND_OPTIONS);
    if (!commandOptions) return [];
    const valid = this.commandArgs.get(command);
    const errors: string[] = [];
    for (const arg of [...commandOptions.keys()].sort(compareBytes)) {
      if (this.getSetting(arg) !== null && !valid?.has(arg)) {
        errors.push(`The ${arg} option cannot be used with the '${command}' command.`);
      }
    }
    return errors;
  }

  /** Throws when more than one CLI_COMMANDS option is set (smithcoin-cli -getinfo, -netinfo, ...). */
  checkMultipleCLIArgs(): void {
    const cmds = this.availableArgs.get(OptionsCategory.CLI_COMMANDS);
    if (!cmds) return;
    const found = [...cmds.keys()].sort(compareBytes).filter((cmd) => this.getSetting(cmd) !== null);
    if (found.length > 1) throw new ArgsError(`Only one of ${found.join(', ')} may be specified.`);
  }

  // --- reading values ---

  /** Selects the chain whose config section applies (Core's SelectConfigNetwork). */
  selectConfigNetwork(network: string): void {
    this.network = network;
  }

  /** Network-only options skip the config's default section unless the chain is main. */
  private useDefaultSection(arg: string): boolean {
    return this.network === 'main' || !this.networkOnlyArgs.has(arg);
  }

  /** The effective value: null (unset), true/false (-foo / -nofoo) or the string given. */
  getSetting(arg: string): SettingsValue {
    return getSetting(this.state.settings, this.network, settingName(arg), {
      ignoreDefaultSectionConfig: !this.useDefaultSection(arg),
      ignoreNonpersistent: false,
      getChainType: false,
    });
  }

  getSettingsList(arg: string): SettingsValue[] {
    return getSettingsList(this.state.settings, this.network, settingName(arg), !this.useDefaultSection(arg));
  }

  /** Every value of a multi-value option, negations rendered "0"/"1". */
  getArgs(arg: string): string[] {
    return this.getSettingsList(arg).map(settingToArg);
  }

  isArgSet(arg: string): boolean {
    return this.getSetting(arg) !== null;
  }

  isArgNegated(arg: string): boolean {
    return this.getSetting(arg) === false;
  }

  getArg(arg: string): string | undefined;
  getArg(arg: string, defaultValue: string): string;
  getArg(arg: string, defaultValue?: string): string | undefined {
    return settingToString(this.getSetting(arg)) ?? defaultValue;
  }

  /** Integer value (int64, saturating; text that is not a number reads as 0). */
  getIntArg(arg: string): bigint | undefined;
  getIntArg(arg: string, defaultValue: bigint): bigint;
  getIntArg(arg: string, defaultValue?: bigint): bigint | undefined {
    return settingToInt(this.getSetting(arg)) ?? defaultValue;
  }

  getBoolArg(arg: string): boolean | undefined;
  getBoolArg(arg: string, defaultValue: boolean): boolean;
  getBoolArg(arg: string, defaultValue?: boolean): boolean | undefined {
    return settingToBool(this.getSetting(arg)) ?? defaultValue;
  }

  /** A path option, normalized without a trailing slash; '' when negated; `defaultValue` when unset or empty. */
  getPathArg(arg: string, defaultValue = ''): string {
    const value = this.getSetting(arg);
    if (value === false) return '';
    const str = settingToString(value) ?? '';
    return str === '' ? defaultValue : normalizePathArg(str);
  }

  /** Sets a forced value unless the option already has one; returns whether it was set. */
  softSetArg(arg: string, value: string): boolean {
    if (this.getSetting(arg) !== null) return false;
    this.state.settings.forcedSettings.set(settingName(arg), value);
    return true;
  }

  softSetBoolArg(arg: string, value: boolean): boolean {
    return this.softSetArg(arg, value ? '1' : '0');
  }

  forceSetArg(arg: string, value: string): void {
    this.state.settings.forcedSettings.set(settingName(arg), value);
  }

  /** Config and settings.json value, ignoring the command line and forced values. */
  getPersistentSetting(name: string): SettingsValue {
    return getSetting(this.state.settings, this.network, name, {
      ignoreDefaultSectionConfig: !this.useDefaultSection('-' + name),
      ignoreNonpersistent: true,
      getChainType: false,
    });
  }

  /** Direct access to the merged settings (Core's LockSettings). */
  lockSettings(fn: (settings: Settings) => void): void {
    fn(this.state.settings);
  }

  // --- chain ---

  /** The chain selected by -chain/-regtest/-signet/-testnet/-testnet4; throws on a bad combination or name. */
  getChainType(): ChainName {
    const chain = this.getChainArg();
    if (isChainName(chain)) return chain;
    throw new ChainSelectionError(`Unknown chain ${chain}.`);
  }

  /** As getChainType, but an unknown -chain name is returned as given. */
  getChainTypeString(): string {
    return this.getChainArg();
  }

  private getChainArg(): string {
    const flag = (name: string): boolean => {
      const value = getSetting(this.state.settings, '', name, {
        ignoreDefaultSectionConfig: false,
        ignoreNonpersistent: false,
        getChainType: true,
      });
      return value === null ? false : typeof value === 'boolean' ? value : interpretBool(settingToString(value) ?? '');
    };
    const regtest = flag('regtest');
    const signet = flag('signet');
    const testnet = flag('testnet');
    const testnet4 = flag('testnet4');
    const chainArg = this.getArg('-chain');
    if (Number(chainArg !== undefined) + Number(regtest) + Number(signet) + Number(testnet) + Number(testnet4) > 1) {
      throw new ChainSelectionError('Invalid combination of -regtest, -signet, -testnet, -testnet4 and -chain. Can use at most one.');
    }
    if (chainArg !== undefined) return chainArg;
    if (regtest) return 'regtest';
    if (signet) return 'signet';
    if (testnet) return 'test';
    if (testnet4) return 'testnet4';
    return 'main';
  }

  /** Network-only options set only in the config's default section while on a non-main chain. */
  getUnsuitableSectionOnlyArgs(): string[] {
    if (this.network === '' || this.network === 'main') return [];
    return [...this.networkOnlyArgs]
      .sort(compareBytes)
      .filter((arg) => onlyHasDefaultSectionSetting(this.state.settings, this.network, settingName(arg)));
  }

  /** Config sections that name no chain. */
  getUnrecognizedSections(): SectionInfo[] {
    const known = new Set(['regtest', 'signet', 'test', 'testnet4', 'main']);
    return this.state.configSections.filter((s) => !known.has(s.name));
  }

  // --- directories ---

  /** -datadir (absolute) or the default; '' when -datadir is not a directory. */
  getDataDirBase(): string {
    return this.getDataDir(false);
  }

  /** getDataDirBase plus the chain's subdirectory. */
  getDataDirNet(): string {
    return this.getDataDir(true);
  }

  private netDataDir(): string {
    return isChainName(this.network) ? chainDataDir(this.network) : '';
  }

  private getDataDir(netSpecific: boolean): string {
    const cached = netSpecific ? this.cachedNetworkDatadirPath : this.cachedDatadirPath;
    if (cached !== '') return cached;
    const datadir = this.getPathArg('-datadir');
    let result: string;
    if (datadir !== '') {
      result = absolute(datadir, this.env);
      if (!isDirectory(result)) return '';
    } else {
      result = defaultDataDir(this.env);
    }
    if (netSpecific && this.netDataDir() !== '') result = absPathJoin(result, this.netDataDir());
    if (netSpecific) this.cachedNetworkDatadirPath = result;
    else this.cachedDatadirPath = result;
    return result;
  }

  /** <blocksdir or datadir>/<chain>/blocks, created on first use; '' when -blocksdir is not a directory. */
  getBlocksDirPath(): string {
    if (this.cachedBlocksPath !== '') return this.cachedBlocksPath;
    let base: string;
    if (this.getSetting('-blocksdir') !== null) {
      base = absolute(this.getPathArg('-blocksdir'), this.env);
      if (!isDirectory(base)) return '';
    } else {
      base = this.getDataDir(false);
    }
    const dir = absPathJoin(this.netDataDir() === '' ? base : absPathJoin(base, this.netDataDir()), 'blocks');
    fs.mkdirSync(dir, { recursive: true });
    this.cachedBlocksPath = dir;
    return dir;
  }

  clearPathCache(): void {
    this.cachedDatadirPath = '';
    this.cachedNetworkDatadirPath = '';
    this.cachedBlocksPath = '';
  }

  /** The config file read by readConfigFiles ('' with -noconf). */
  getConfigFilePath(): string {
    if (this.state.configPath === undefined) throw new Error('getConfigFilePath: config files not read yet');
    return this.state.configPath;
  }

  setConfigFilePath(path: string): void {
    if (this.state.configPath !== undefined) throw new Error('setConfigFilePath: already set');
    this.state.configPath = path;
  }

  /** @internal the home/cwd/platform the path rules use */
  pathEnv(): PathEnv {
    return this.env;
  }

  // --- config files and settings.json ---

  /** Reads smithcoin.conf and its includeconf files; throws ArgsError with Core's text. */
  readConfigFiles(ignoreInvalidKeys = false): void {
    readConfigFiles(this, ignoreInvalidKeys);
  }

  /** Replaces the config values with those of `text` (tests and tools). */
  readConfigString(text: string): void {
    this.state.settings.roConfig.clear();
    this.state.configSections = [];
    readConfigStream(this, text, '', false);
  }

  /** The settings.json path (temporary or backup variant), or undefined with -nosettings. */
  getSettingsPath(temp = false, backup = false): string | undefined {
    let settings = this.getPathArg('-settings', SETTINGS_FILENAME);
    if (settings === '') return undefined;
    if (backup) settings += '.bak';
    return absPathJoin(this.getDataDirNet(), temp ? settings + '.tmp' : settings);
  }

  /** Loads settings.json; errors go to `errors` or, without it, to the log as warnings. */
  readSettingsFile(errors?: string[]): boolean {
    const path = this.getSettingsPath();
    if (path === undefined) return true;
    this.state.settings.rwSettings.clear();
    const result = readSettings(path);
    if (result.errors.length > 0) {
      this.saveErrors(result.errors, errors);
      return false;
    }
    this.state.settings.rwSettings = result.values;
    for (const key of result.values.keys()) {
      if (this.getArgFlags('-' + interpretKey(key).name) === undefined) {
        this.log.warning(`Ignoring unknown rw_settings value ${key}`);
      }
    }
    return true;
  }

  /** Writes settings.json through a temporary file (or the backup file). */
  writeSettingsFile(errors?: string[], backup = false): boolean {
    const path = this.getSettingsPath(false, backup);
    const tmp = this.getSettingsPath(true, backup);
    if (path === undefined || tmp === undefined) {
      throw new Error('Attempt to write settings file when dynamic settings are disabled.');
    }
    const writeErrors = writeSettings(tmp, this.state.settings.rwSettings);
    if (writeErrors.length > 0) {
      this.saveErrors(writeErrors, errors);
      return false;
    }
    try {
      fs.renameSync(tmp, path);
    } catch {
      this.saveErrors([`Failed renaming settings file ${tmp} to ${path}\n`], errors);
      return false;
    }
    return true;
  }

  private saveErrors(list: readonly string[], out: string[] | undefined): void {
    for (const e of list) {
      if (out) out.push(e);
      else this.log.warning(e);
    }
  }

  // --- output ---

  /** The option list for -help (Core's layout); -help-debug adds the debug-only options. */
  getHelpMessage(): string {
    const showDebug = this.getBoolArg('-help-debug', false);
    const shown = (arg: Arg) => showDebug || !(arg.flags & ArgsFlags.DEBUG_ONLY);
    const commandOptions = this.availableArgs.get(OptionsCategory.COMMAND_OPTIONS);
    let usage = '';
    for (const category of [...this.availableArgs.keys()].sort((a, b) => a - b)) {
      if (category === OptionsCategory.HIDDEN) break;
      if (category === OptionsCategory.COMMAND_OPTIONS) continue;
      const header = category === OptionsCategory.WALLET_DEBUG_TEST ? (showDebug ? 'Wallet debugging/testing options:' : undefined) : CATEGORY_HEADERS[category];
      if (header !== undefined) usage += helpMessageGroup(header);
      const args = this.availableArgs.get(category)!;
      for (const name of [...args.keys()].sort(compareBytes)) {
        const arg = args.get(name)!;
        if (!shown(arg)) continue;
        usage += helpMessageOpt(name, arg.helpParam, arg.helpText);
        if (category !== OptionsCategory.COMMANDS || !commandOptions) continue;
        const select = this.commandArgs.get(name);
        for (const opt of [...commandOptions.keys()].sort(compareBytes)) {
          const info = commandOptions.get(opt)!;
          if (select?.has(opt) && shown(info)) usage += helpMessageOpt(opt, info.helpParam, info.helpText, true);
        }
      }
    }
    return usage;
  }

  /** Logs every config, settings.json and command-line value (sensitive ones as ****). */
  logArgs(): void {
    const sections = [...this.state.settings.roConfig.keys()].sort(compareBytes);
    for (const section of sections) this.logArgsPrefix('Config file arg:', section, this.state.settings.roConfig.get(section)!);
    for (const key of [...this.state.settings.rwSettings.keys()].sort(compareBytes)) {
      this.log.info(`Setting file arg: ${key} = ${writeJson(this.state.settings.rwSettings.get(key)!)}\n`);
    }
    this.logArgsPrefix('Command-line arg:', '', this.state.settings.commandLineOptions);
  }

  private logArgsPrefix(prefix: string, section: string, args: ReadonlyMap<string, SettingsValue[]>): void {
    const sectionStr = section === '' ? '' : `[${section}] `;
    for (const name of [...args.keys()].sort(compareBytes)) {
      const flags = this.getArgFlags('-' + name);
      if (flags === undefined) continue;
      for (const value of args.get(name)!) {
        const shown = flags & ArgsFlags.SENSITIVE ? '****' : writeJson(value);
        this.log.info(`${prefix} ${sectionStr}${name}=${shown}\n`);
      }
    }
  }
}

function settingName(arg: string): string {
  return arg.startsWith('-') ? arg.slice(1) : arg;
}


/** True when -?, -h, -help or -help-debug is set. */
export function helpRequested(args: ArgsManager): boolean {
  return args.isArgSet('-?') || args.isArgSet('-h') || args.isArgSet('-help') || args.isArgSet('-help-debug');
}

/** Registers -help and its hidden aliases -h and -?. */
export function setupHelpOptions(args: ArgsManager): void {
  args.addArg('-help', 'Print this help message and exit (also -h or -?)', ArgsFlags.ALLOW_ANY, OptionsCategory.OPTIONS);
  args.addHiddenArgs(['-h', '-?']);
}

/** Test-only switches accepted by -test=<option>. */
export const TEST_OPTIONS_DOC: readonly string[] = [
  'addrman (use deterministic addrman)',
  "reindex_after_failure_noninteractive_yes (When asked for a reindex after failure interactively, simulate as-if answered with 'yes')",
  'bip94 (enforce BIP94 consensus rules)',
];

export function hasTestOption(args: ArgsManager, option: string): boolean {
  return args.getArgs('-test').includes(option);
}

/** True when -datadir is unset or names a directory. */
export function checkDataDirOption(args: ArgsManager): boolean {
  const datadir = args.getPathArg('-datadir');
  return datadir === '' || isDirectory(absolute(datadir, args.pathEnv()));
}

/** `p` unchanged when absolute or empty, otherwise under the (network) data directory. */
export function absPathForConfigVal(args: ArgsManager, p: string, netSpecific = true): string {
  if (p === '' || p.startsWith('/')) return p;
  return absPathJoin(netSpecific ? args.getDataDirNet() : args.getDataDirBase(), p);
}
