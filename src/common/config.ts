// Reading smithcoin.conf into an ArgsManager (Core's common/config.cpp): -conf/-noconf, options
// checked against the registered flags, includeconf files for the default and chain sections, and the
// datadir check after a config file may have changed -datadir.
import fs from 'node:fs';
import { absPathForConfigVal, ArgsError, checkDataDirOption, CONF_FILENAME, type ArgsManager } from './args.js';
import { absPathJoin, isDirectory } from './args_paths.js';
import { SettingsSpan } from './settings.js';
import { interpretKey, interpretValue, type KeyInfo } from './args_value.js';
import { ConfigParseError, getConfigOptions } from './config_file.js';
import { getStr } from './settings_json.js';

/** Rejects conf= (a config file cannot pick another) and warns about reindex=. */
function checkConfSupported(args: ArgsManager, key: KeyInfo): void {
  if (key.name === 'conf') {
    throw new ArgsError('conf cannot be set in the configuration file; use includeconf= if you want to include additional config files');
  }
  if (key.name === 'reindex') {
    args.log.warning(
      'reindex=1 is set in the configuration file, which will significantly slow down startup. Consider removing or commenting out ' +
        'this option for better performance, unless there is currently a condition which makes rebuilding the indexes necessary',
    );
  }
}

/** Adds the options of one config text; unknown keys are an error unless `ignoreInvalidKeys` (then a warning). */
export function readConfigStream(args: ArgsManager, text: string, filepath: string, ignoreInvalidKeys: boolean): void {
  let options;
  try {
    options = getConfigOptions(text, filepath, args.state.configSections);
  } catch (err) {
    if (err instanceof ConfigParseError) throw new ArgsError(err.message);
    throw err;
  }
  const roConfig = args.state.settings.roConfig;
  for (const option of options) {
    const key = interpretKey(option.name);
    const flags = args.getArgFlags('-' + key.name);
    checkConfSupported(args, key);
    if (flags === undefined) {
      if (!ignoreInvalidKeys) throw new ArgsError(`Invalid configuration value ${option.name}`);
      args.log.warning(`Ignoring unknown configuration value ${option.name}`);
      continue;
    }
    const value = interpretValue(key, option.value, flags, (m) => args.log.warning(m));
    let section = roConfig.get(key.section);
    if (!section) roConfig.set(key.section, (section = new Map()));
    const list = section.get(key.name) ?? [];
    list.push(value);
    section.set(key.name, list);
  }
}

/** File text, or undefined when it cannot be opened (Core's `stream.good()` is false). */
function tryRead(p: string): string | undefined {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}

/** Core's ReadConfigFiles; throws ArgsError with the text Core puts after "Error reading configuration file: ". */
export function readConfigFiles(args: ArgsManager, ignoreInvalidKeys: boolean): void {
  args.state.settings.roConfig.clear();
  args.state.configSections = [];
  const confVal = args.getPathArg('-conf', CONF_FILENAME);
  args.state.configPath = confVal === '' || confVal.startsWith('/') ? confVal : absPathJoin(args.getDataDirBase(), confVal);
  const confPath = args.state.configPath;
  let text: string | undefined;
  if (confPath !== '') {
    if (isDirectory(confPath)) throw new ArgsError(`Config file "${confPath}" is a directory.`);
    text = tryRead(confPath);
    // A file named with -conf must be readable; the default one may be missing.
    if (args.isArgSet('-conf') && text === undefined) throw new ArgsError(`specified config file "${confPath}" could not be opened.`);
  }
  if (text !== undefined) {
    readConfigStream(args, text, confPath, ignoreInvalidKeys);
    // -noincludeconf on the command line turns includes off (a plain -includeconf was refused there).
    if (!args.state.settings.commandLineOptions.has('includeconf')) readIncludes(args, ignoreInvalidKeys);
  }
  // The config file may have changed -datadir.
  args.clearPathCache();
  if (!checkDataDirOption(args)) {
    throw new ArgsError(`specified data directory "${args.getArg('-datadir', '')}" does not exist.`);
  }
}

/** Includes named in the chain's section then the default section; nested includes only warn. */
function readIncludes(args: ArgsManager, ignoreInvalidKeys: boolean): void {
  const chainId = args.getChainTypeString();
  let names: string[] = [];
  const addIncludes = (network: string, skip = 0): number => {
    const values = args.state.settings.roConfig.get(network)?.get('includeconf');
    if (!values) return 0;
    for (let i = Math.max(skip, new SettingsSpan(values).negated()); i < values.length; i++) names.push(getStr(values[i]!));
    return values.length;
  };
  const chainIncludes = addIncludes(chainId);
  const defaultIncludes = addIncludes('');
  for (const name of names) {
    const includePath = absPathForConfigVal(args, name, false);
    if (isDirectory(includePath)) throw new ArgsError(`Included config file "${includePath}" is a directory.`);
    const text = tryRead(includePath);
    if (text === undefined) throw new ArgsError(`Failed to include configuration file ${name}`);
    readConfigStream(args, text, name, ignoreInvalidKeys);
    args.log.info(`Included configuration file ${name}\n`);
  }
  // Includes added by included files are not followed.
  names = [];
  addIncludes(chainId, chainIncludes);
  addIncludes('', defaultIncludes);
  const chainIdFinal = args.getChainTypeString();
  if (chainIdFinal !== chainId) addIncludes(chainIdFinal);
  for (const name of names) {
    args.stderr(`warning: -includeconf cannot be used from included files; ignoring -includeconf=${name}\n`);
  }
}
