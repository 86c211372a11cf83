// Core's InitParameterInteraction and AppInitParameterInteraction (init steps 2 and 3): options that
// imply others, and the checks that end init with Core's error texts before anything is started.
import { TEST_OPTIONS_DOC, type ArgsManager } from '../common/args.js';
import { blocksDirError, unrecognizedSectionsWarning, unsuitableSectionOnlyArgsError } from '../common/init.js';
import type { ChainParams } from '../kernel/chainparams.js';
import { LoggingInitError, setLoggingCategories, setLoggingLevel } from '../util/logging_args.js';
import type { Logger } from '../util/logging.js';
import type { NodeClock } from '../util/time.js';
import { DEFAULT_LISTEN, DEFAULT_MAX_PEER_CONNECTIONS } from './init_args.js';
import type { InitUI } from './init_ui.js';
import { PruneConfigError, pruneTargetFromArg } from './blockstorage_prune.js';

/** Core's soft-set rules, in Core's order: -bind turns listening on before -connect may turn it off. */
export function initParameterInteraction(args: ArgsManager, logger: Logger): void {
  const soft = (arg: string, value: boolean, why: string) => {
    if (args.softSetBoolArg(arg, value)) logger.info(`parameter interaction: ${why} -> setting ${arg}=${value ? 1 : 0}`);
  };
  if (args.getArgs('-bind').length > 0) soft('-listen', true, '-bind set');
  if (args.getArgs('-whitebind').length > 0) soft('-listen', true, '-whitebind set');
  if (args.getArgs('-connect').length > 0 || args.isArgNegated('-connect')
      || args.getIntArg('-maxconnections', BigInt(DEFAULT_MAX_PEER_CONNECTIONS)) <= 0n) {
    soft('-dnsseed', false, '-connect or -maxconnections=0 set');
    soft('-listen', false, '-connect or -maxconnections=0 set');
  }
  const proxy = args.getArg('-proxy', '');
  if (proxy !== '' && proxy !== '0') {
    soft('-listen', false, '-proxy set');
    soft('-natpmp', false, '-proxy set');
    soft('-discover', false, '-proxy set');
  }
  if (!args.getBoolArg('-listen', DEFAULT_LISTEN)) {
    soft('-natpmp', false, '-listen=0');
    soft('-discover', false, '-listen=0');
    soft('-listenonion', false, '-listen=0');
    soft('-i2pacceptincoming', false, '-listen=0');
  }
  if (args.getArgs('-externalip').length > 0) soft('-discover', false, '-externalip set');
  if (args.getBoolArg('-blocksonly', false)) {
    soft('-whitelistrelay', false, '-blocksonly=1');
    if (args.softSetArg('-maxmempool', '5')) logger.info('parameter interaction: -blocksonly=1 -> setting -maxmempool=5');
  }
  if (args.getBoolArg('-whitelistforcerelay', false)) soft('-whitelistrelay', true, '-whitelistforcerelay=1');
  const onlynets = args.getArgs('-onlynet');
  if (onlynets.length > 0 && !onlynets.some((n) => ['ipv4', 'ipv6'].includes(n.toLowerCase()))) {
    soft('-dnsseed', false, '-onlynet excludes IPv4 and IPv6');
  }
}

export interface InteractionContext {
  args: ArgsManager;
  chainParams: ChainParams;
  clock: NodeClock;
  logger: Logger;
  ui: InitUI;
}

/** Core's AppInitParameterInteraction; false after reporting the init error. */
export function appInitParameterInteraction(c: InteractionContext): boolean {
  return removedOptionWarnings(c) && sectionChecks(c) && networkChecks(c) && loggingChecks(c) && testOptionChecks(c);
}

function removedOptionWarnings({ args, ui }: InteractionContext): boolean {
  if (args.isArgSet('-checkpoints')) ui.initWarning("Option '-checkpoints' is set but checkpoints were removed. This option has no effect.");
  if (args.isArgSet('-limitancestorsize')) {
    ui.initWarning("Option '-limitancestorsize' is given but ancestor size limits have been replaced with cluster size limits (see -limitclustersize). This option has no effect.");
  }
  if (args.isArgSet('-limitdescendantsize')) {
    ui.initWarning("Option '-limitdescendantsize' is given but descendant size limits have been replaced with cluster size limits (see -limitclustersize). This option has no effect.");
  }
  return true;
}

function sectionChecks({ args, chainParams, logger, ui }: InteractionContext): boolean {
  if (chainParams.chainType === 'signet') logger.info(`Signet derived magic (message start): ${Buffer.from(chainParams.messageStart).toString('hex')}`);
  const unsuitable = unsuitableSectionOnlyArgsError(args);
  if (unsuitable !== undefined) return ui.initError(unsuitable);
  if (chainParams.chainType === 'test') {
    logger.info('Warning: Support for testnet3 is deprecated and will be removed in an upcoming release. Consider switching to testnet4.');
  }
  const sections = unrecognizedSectionsWarning(args);
  if (sections !== undefined) ui.initWarning(sections);
  const blocksDir = blocksDirError(args);
  if (blocksDir !== undefined) return ui.initError(blocksDir);
  return true;
}

function blockFilterChecks({ args, ui }: InteractionContext): boolean {
  const value = args.getArg('-blockfilterindex', '0');
  let basic = value === '' || value === '1';
  if (!basic && value !== '0') {
    for (const name of args.getArgs('-blockfilterindex')) {
      if (name !== 'basic') return ui.initError(`Unknown -blockfilterindex value ${name}.`);
    }
    basic = true;
  }
  if (args.getBoolArg('-peerblockfilters', false) && !basic) return ui.initError('Cannot set -peerblockfilters without -blockfilterindex.');
  return true;
}

/** Core checks the -prune value with the block manager's options before anything is loaded: a bad one is an init error. */
function pruneValueCheck({ args, ui }: InteractionContext): boolean {
  try {
    pruneTargetFromArg(Number(args.getIntArg('-prune', 0n)));
    return true;
  } catch (e) {
    if (e instanceof PruneConfigError) return ui.initError(e.message);
    throw e;
  }
}

function networkChecks(c: InteractionContext): boolean {
  const { args, ui } = c;
  if (!blockFilterChecks(c)) return false;
  if (args.getIntArg('-prune', 0n) !== 0n) {
    if (args.getBoolArg('-txindex', false)) return ui.initError('Prune mode is incompatible with -txindex.');
    if (args.getBoolArg('-txospenderindex', false)) return ui.initError('Prune mode is incompatible with -txospenderindex.');
    if (args.getBoolArg('-reindex-chainstate', false)) return ui.initError('Prune mode is incompatible with -reindex-chainstate. Use full -reindex instead.');
  }
  if (!pruneValueCheck(c)) return false;
  if (args.getBoolArg('-forcednsseed', false) && !args.getBoolArg('-dnsseed', true)) {
    return ui.initError('Cannot set -forcednsseed to true when setting -dnsseed to false.');
  }
  const listen = args.getBoolArg('-listen', DEFAULT_LISTEN);
  if (args.getArgs('-bind').length + args.getArgs('-whitebind').length !== 0 && !listen) {
    return ui.initError('Cannot set -bind or -whitebind together with -listen=0');
  }
  if (!listen && args.getBoolArg('-listenonion', true)) return ui.initError('Cannot set -listen=0 together with -listenonion=1');
  if (args.getIntArg('-maxconnections', BigInt(DEFAULT_MAX_PEER_CONNECTIONS)) < 0n) {
    return ui.initError('-maxconnections must be greater or equal than zero');
  }
  return true;
}

function loggingChecks({ args, logger, ui, clock }: InteractionContext): boolean {
  try {
    setLoggingCategories(args, logger);
    setLoggingLevel(args, logger);
  } catch (err) {
    if (err instanceof LoggingInitError) return ui.initError(err.message);
    throw err;
  }
  if (args.getIntArg('-peertimeout', 60n) <= 0n) return ui.initError('peertimeout must be a positive integer.');
  const mocktime = args.getIntArg('-mocktime');
  if (mocktime !== undefined && mocktime !== 0n) {
    try {
      clock.setMockTime(Number(mocktime));
    } catch (err) {
      return ui.initError((err as Error).message);
    }
  }
  return true;
}

function testOptionChecks({ args, chainParams, ui }: InteractionContext): boolean {
  const options = args.getArgs('-test');
  if (options.length > 0) {
    if (chainParams.chainType !== 'regtest') return ui.initError('-test=<option> can only be used with regtest');
    const known = TEST_OPTIONS_DOC.map((doc) => doc.slice(0, doc.indexOf(' (')));
    for (const option of options) {
      if (!known.includes(option)) ui.initWarning(`Unrecognised option "${option}" provided in -test=<option>.`);
    }
  }
  if (chainParams.chainType === 'main') {
    if (args.isArgSet('-testactivationheight')) return ui.initError('The -testactivationheight option may not be used on mainnet.');
    if (args.isArgSet('-vbparams')) return ui.initError('The -vbparams option may not be used on mainnet.');
  }
  return true;
}
