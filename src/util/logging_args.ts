// The logging options of every executable (Core's init/common.cpp logging part): registration with
// Core's help texts, applying them to a Logger, -debug/-debugexclude/-loglevel with Core's init errors,
// rate-limit setup and the start-of-log lines.
import fs from 'node:fs';
import { absPathForConfigVal, ArgsFlags, OptionsCategory, type ArgsManager } from '../common/args.js';
import { defaultDataDir } from '../common/args_paths.js';
import {
  DEFAULT_DEBUGLOGFILE, DEFAULT_LOGIPS, DEFAULT_LOGLEVELALWAYS, DEFAULT_LOGSOURCELOCATIONS, DEFAULT_LOGTHREADNAMES,
  DEFAULT_LOGTIMEMICROS, DEFAULT_LOGTIMESTAMPS, Logger,
} from './logging.js';
import { DEFAULT_LOG_LEVEL, logLevelToStr } from './logging_categories.js';
import { DEFAULT_LOGRATELIMIT, type SchedulerFunction } from './logging_ratelimit.js';
import { formatISO8601DateTime } from './logging_format.js';

/** An init error from the logging options, with Core's text. */
export class LoggingInitError extends Error {
  override name = 'LoggingInitError';
}

const b = (v: boolean) => (v ? 1 : 0);

/** Registers -debuglogfile, -debug, -debugexclude, -logips, -loglevel, -log* and -printtoconsole, -shrinkdebugfile. */
export function addLoggingArgs(args: ArgsManager, logger: Logger): void {
  const { ALLOW_ANY, DISALLOW_NEGATION, DISALLOW_ELISION, DEBUG_ONLY } = ArgsFlags;
  const { OPTIONS, DEBUG_TEST } = OptionsCategory;
  const categories = logger.logCategoriesString();
  args.addArg('-debuglogfile=<file>', `Specify location of debug log file (default: ${DEFAULT_DEBUGLOGFILE}). Relative paths will be prefixed by a net-specific datadir location. Pass -nodebuglogfile to disable writing the log to a file.`, ALLOW_ANY, OPTIONS);
  args.addArg('-debug=<category>', 'Output debug and trace logging (default: -nodebug, supplying <category> is optional). ' +
    `If <category> is not supplied or if <category> is 1 or "all", output all debug logging. If <category> is 0 or "none", any other categories are ignored. Other valid values for <category> are: ${categories}. This option can be specified multiple times to output multiple categories.`, ALLOW_ANY, DEBUG_TEST);
  args.addArg('-debugexclude=<category>', 'Exclude debug and trace logging for a category. Can be used in conjunction with -debug=1 to output debug and trace logging for all categories except the specified category. This option can be specified multiple times to exclude multiple categories. This takes priority over "-debug"', ALLOW_ANY, DEBUG_TEST);
  args.addArg('-logips', `Include IP addresses in log output (default: ${b(DEFAULT_LOGIPS)})`, ALLOW_ANY, DEBUG_TEST);
  args.addArg('-loglevel=<level>|<category>:<level>', `Set the global or per-category severity level for logging categories enabled with the -debug configuration option or the logging RPC. Possible values are ${logger.logLevelsString()} (default=${logLevelToStr(DEFAULT_LOG_LEVEL)}). The following levels are always logged: error, warning, info. If <category>:<level> is supplied, the setting will override the global one and may be specified multiple times to set multiple category-specific levels. <category> can be: ${categories}.`, DISALLOW_NEGATION | DISALLOW_ELISION | DEBUG_ONLY, DEBUG_TEST);
  args.addArg('-logtimestamps', `Prepend debug output with timestamp (default: ${b(DEFAULT_LOGTIMESTAMPS)})`, ALLOW_ANY, DEBUG_TEST);
  args.addArg('-logthreadnames', `Prepend debug output with name of the originating thread (default: ${b(DEFAULT_LOGTHREADNAMES)})`, ALLOW_ANY, DEBUG_TEST);
  args.addArg('-logsourcelocations', `Prepend debug output with name of the originating source location (source file, line number and function name) (default: ${b(DEFAULT_LOGSOURCELOCATIONS)})`, ALLOW_ANY, DEBUG_TEST);
  args.addArg('-logtimemicros', `Add microsecond precision to debug timestamps (default: ${b(DEFAULT_LOGTIMEMICROS)})`, ALLOW_ANY | DEBUG_ONLY, DEBUG_TEST);
  args.addArg('-loglevelalways', `Always prepend a category and level (default: ${b(DEFAULT_LOGLEVELALWAYS)})`, ALLOW_ANY, DEBUG_TEST);
  args.addArg('-logratelimit', `Apply rate limiting to unconditional logging to mitigate disk-filling attacks (default: ${b(DEFAULT_LOGRATELIMIT)})`, ALLOW_ANY, DEBUG_TEST);
  args.addArg('-printtoconsole', 'Send trace/debug info to console (default: 1 when no -daemon. To disable logging to file, set -nodebuglogfile)', ALLOW_ANY, DEBUG_TEST);
  args.addArg('-shrinkdebugfile', 'Shrink debug log file on client startup (default: 1 when no -debug)', ALLOW_ANY, DEBUG_TEST);
}

/** Applies the output options (file, console, prefixes) to `logger`. */
export function setLoggingOptions(args: ArgsManager, logger: Logger): void {
  logger.printToFile = !args.isArgNegated('-debuglogfile');
  logger.filePath = absPathForConfigVal(args, args.getPathArg('-debuglogfile', DEFAULT_DEBUGLOGFILE));
  logger.printToConsole = args.getBoolArg('-printtoconsole', !args.getBoolArg('-daemon', false));
  logger.logTimestamps = args.getBoolArg('-logtimestamps', DEFAULT_LOGTIMESTAMPS);
  logger.logTimeMicros = args.getBoolArg('-logtimemicros', DEFAULT_LOGTIMEMICROS);
  logger.logThreadNames = args.getBoolArg('-logthreadnames', DEFAULT_LOGTHREADNAMES);
  logger.logSourceLocations = args.getBoolArg('-logsourcelocations', DEFAULT_LOGSOURCELOCATIONS);
  logger.alwaysPrintCategoryLevel = args.getBoolArg('-loglevelalways', DEFAULT_LOGLEVELALWAYS);
  logger.logIps = args.getBoolArg('-logips', DEFAULT_LOGIPS);
}

/** Applies every -loglevel; throws LoggingInitError with Core's text on a bad value. */
export function setLoggingLevel(args: ArgsManager, logger: Logger): void {
  for (const levelStr of args.getArgs('-loglevel')) {
    // Core looks for the ':' from the fourth character on, so "a:b" counts as a global level.
    if (levelStr.indexOf(':', 3) === -1) {
      if (!logger.setLogLevel(levelStr)) {
        throw new LoggingInitError(`Unsupported global logging level -loglevel=${levelStr}. Valid values: ${logger.logLevelsString()}.`);
      }
      continue;
    }
    const toks = levelStr.split(':');
    if (!(toks.length === 2 && logger.setCategoryLogLevel(toks[0]!, toks[1]!))) {
      throw new LoggingInitError(
        `Unsupported category-specific logging level -loglevel=${levelStr}. Expected -loglevel=<category>:<loglevel>. ` +
          `Valid categories: ${logger.logCategoriesString()}. Valid loglevels: ${logger.logLevelsString()}.`,
      );
    }
  }
}

/** Applies -debug (values before the last 0/none are ignored) then -debugexclude; throws on an unknown category. */
export function setLoggingCategories(args: ArgsManager, logger: Logger): void {
  const categories = args.getArgs('-debug');
  let start = 0;
  for (let i = categories.length - 1; i >= 0; i--) {
    if (categories[i] === '0' || categories[i] === 'none') {
      start = i + 1;
      break;
    }
  }
  for (const cat of categories.slice(start)) {
    if (!logger.enableCategory(cat)) throw new LoggingInitError(`Unsupported logging category -debug=${cat}.`);
  }
  for (const cat of args.getArgs('-debugexclude')) {
    if (!logger.disableCategory(cat)) throw new LoggingInitError(`Unsupported logging category -debugexclude=${cat}.`);
  }
  logger.info('Log output may contain privacy-sensitive information. Be cautious when sharing logs.');
}

/** Turns on rate limiting unless -nologratelimit (Core's AppInitMain step). */
export function setupLogRateLimiting(args: ArgsManager, logger: Logger, scheduler: SchedulerFunction): void {
  if (args.getBoolArg('-logratelimit', DEFAULT_LOGRATELIMIT)) {
    logger.setRateLimiting(logger.createRateLimiter(scheduler));
  } else {
    logger.info('Log rate limiting disabled');
  }
}

export interface StartLoggingHooks {
  /** Core's InitWarning (default: log it and print "Warning: <message>" to stderr). */
  initWarning?: (message: string) => void;
  /** Seconds since the epoch for the "Startup time" line. */
  now?: () => number;
}

/**
 * Shrinks debug.log if asked (default: when no -debug), opens it, and logs the start lines (data
 * directories, config file, arguments). Throws LoggingInitError when debug.log cannot be opened.
 */
export function startLogging(args: ArgsManager, logger: Logger, hooks: StartLoggingHooks = {}): void {
  if (logger.printToFile && args.getBoolArg('-shrinkdebugfile', logger.defaultShrinkDebugFile())) {
    // Before anything is appended, and before the file is loaded for anything else.
    logger.shrinkDebugFile();
  }
  if (!logger.startLogging()) throw new LoggingInitError(`Could not open debug log file ${logger.filePath}`);
  if (!logger.logTimestamps) {
    logger.info(`Startup time: ${formatISO8601DateTime(Math.floor((hooks.now ?? (() => Date.now() / 1000))()))}`);
  }
  logger.info(`Default data directory ${defaultDataDir(args.pathEnv())}`);
  logger.info(`Using data directory ${args.getDataDirNet()}`);
  logConfigFile(args, logger, hooks);
  args.logArgs();
}

/** Core's InitWarning without a GUI: logged, and printed to stderr as "Warning: ...". */
function initWarning(logger: Logger, hooks: StartLoggingHooks): (message: string) => void {
  return (
    hooks.initWarning ??
    ((message) => {
      logger.warning(message);
      process.stderr.write(`Warning: ${message}\n`);
    })
  );
}

function logConfigFile(args: ArgsManager, logger: Logger, hooks: StartLoggingHooks): void {
  const configFilePath = args.getConfigFilePath();
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(configFilePath);
  } catch {
    stat = undefined;
  }
  if (args.isArgNegated('-conf')) logger.info('Config file: <disabled>');
  else if (stat?.isDirectory()) logger.warning(`Config file: ${configFilePath} (is directory, not file)`);
  else if (stat) logger.info(`Config file: ${configFilePath}`);
  else if (args.isArgSet('-conf')) initWarning(logger, hooks)(`The specified config file ${configFilePath} does not exist`);
  else logger.info(`Config file: ${configFilePath} (not found, skipping)`);
}
