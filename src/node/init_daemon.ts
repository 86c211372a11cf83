// The daemon's main (Core's bitcoind.cpp): parse the command line and config, answer -help/-version,
// then AppInit (logging, parameter interaction, signal handlers, the directory locks, -daemon) and
// AppInitMain, wait for a shutdown request, and shut down.
import { ArgsError, ArgsManager, helpRequested } from '../common/args.js';
import { formatParagraph } from '../common/args_help.js';
import { formatInitError, initConfig } from '../common/init.js';
import { CLIENT_NAME, formatFullVersion, licenseInfo } from '../clientversion.js';
import { createChainParams, type ChainParams } from '../kernel/chainparams.js';
import { RPCTable } from '../rpc/server.js';
import { DirectoryLocks } from '../util/fs_lock.js';
import { Logger } from '../util/logging.js';
import { stdoutWriter } from '../util/stdout_sink.js';
import { setLoggingOptions } from '../util/logging_args.js';
import { Scheduler } from '../util/scheduler.js';
import { NodeClock } from '../util/time.js';
import { ShutdownSignal, type NodeContext } from './context.js';
import { appInitMain, interrupt, shutdown, type NodeInitState } from './init.js';
import { loadChainstate } from './init_chainstate.js';
import type { MakeNodeIpc } from './init_ipc.js';
import { DEFAULT_DAEMON, DEFAULT_DAEMONWAIT, setupServerArgs } from './init_args.js';
import { daemonChildEndpoint, daemonParent, type DaemonEndpoint } from './init_daemonize.js';
import { lockDirectories, PidFile } from './init_files.js';
import { appInitParameterInteraction, initParameterInteraction } from './init_interaction.js';
import { NoUI } from './init_ui.js';

/** What an executable's init file (src/init/<exe>.ts) decides. */
export interface NodeInitInfo {
  exeName: string;
  /** Whether -ipcbind is an option (smithcoin-node) or an unknown parameter (smithcoind). */
  canListenIpc: boolean;
  /** Makes the process's Ipc (smithcoin-node); without it the node serves no IPC. */
  makeIpc?: MakeNodeIpc;
}

export interface DaemonIO {
  stdout(text: string): void;
  stderr(text: string): void;
}

const processIO: DaemonIO = {
  stdout: stdoutWriter(),
  stderr: (text) => process.stderr.write(text),
};

interface Parsed {
  args: ArgsManager;
  logger: Logger;
  clock: NodeClock;
  ui: NoUI;
  chainParams: ChainParams;
}

/**
 * Parses the command line and config and answers -help/-version: the init state of a node to start,
 * or the exit status when there is none to start.
 */
export function prepareNode(init: NodeInitInfo, argv: readonly string[], io: DaemonIO = processIO): NodeInitState | number {
  const clock = new NodeClock();
  const logger = new Logger({ mockTime: () => clock.mockTime, stdout: io.stdout });
  const ui = new NoUI({ logger, stderr: io.stderr });
  const args = new ArgsManager({ log: logger, stderr: io.stderr });
  setupServerArgs(args, logger, { canListenIpc: init.canListenIpc });
  const parsed = parseArgs(args, argv, { logger, clock, ui }, init);
  if (parsed === undefined) return 1;
  if (processInitCommands(args, init, io)) return 0;
  return makeInitState(parsed, init);
}

/** Runs the node; resolves with the process exit status. */
export async function runDaemon(init: NodeInitInfo, argv: readonly string[], io: DaemonIO = processIO): Promise<number> {
  const state = prepareNode(init, argv, io);
  if (typeof state === 'number') return state;
  let ok = false;
  try {
    ok = await appInit(state, argv, io);
  } finally {
    if (ok) await state.ctx.shutdown.wait();
    await interrupt(state);
    await shutdown(state);
  }
  return ok ? 0 : 1;
}

/** Core's ParseArgs: the command line, the config files, the chain; false after printing the error. */
function parseArgs(args: ArgsManager, argv: readonly string[], base: Omit<Parsed, 'args' | 'chainParams'>, init: NodeInitInfo): Parsed | undefined {
  const { ui } = base;
  try {
    args.parseParameters(argv);
  } catch (err) {
    if (!(err instanceof ArgsError)) throw err;
    ui.initError(`Error parsing command line arguments: ${err.message}`);
    return undefined;
  }
  let chainParams: ChainParams | undefined;
  const error = initConfig(args, {
    selectParams: (chain) => {
      chainParams = createChainParams(chain, {
        signetChallenge: args.getArgs('-signetchallenge'),
        signetSeedNode: args.getArgs('-signetseednode'),
        testActivationHeight: args.getArgs('-testactivationheight'),
        vbparams: args.getArgs('-vbparams'),
        fastprune: args.getBoolArg('-fastprune', false),
        test: args.getArgs('-test'),
      });
      args.selectConfigNetwork(chain);
    },
  });
  if (error !== undefined) {
    ui.initError(formatInitError(error.message, error.details));
    return undefined;
  }
  const stray = argv.find((a) => !a.startsWith('-'));
  if (stray !== undefined) {
    ui.initError(`Command line contains unexpected token '${stray}', see ${init.exeName} -h for a list of options.`);
    return undefined;
  }
  return { ...base, args, chainParams: chainParams! };
}

/** Core's ProcessInitCommands: -help and -version answer on stdout before anything else happens. */
function processInitCommands(args: ArgsManager, init: NodeInitInfo, io: DaemonIO): boolean {
  const version = args.getBoolArg('-version', false);
  if (!helpRequested(args) && !version) return false;
  let usage = `${CLIENT_NAME} daemon version ${formatFullVersion()} ${init.exeName}\n`;
  if (version) {
    usage += formatParagraph(licenseInfo());
  } else {
    usage += '\n' +
      `The ${CLIENT_NAME} daemon (${init.exeName}) is a headless program that connects to the Bitcoin network to validate and relay transactions and blocks, as well as relaying addresses.\n\n` +
      'It provides the backbone of the Bitcoin network and its RPC, REST and ZMQ services can provide various transaction, block and address-related services.\n\n' +
      'There is an optional wallet component which provides transaction services.\n\n' +
      'It can be used in a headless environment or as part of a server setup.\n\n' +
      `Usage: ${init.exeName} [options]\n\n` +
      args.getHelpMessage();
  }
  io.stdout(usage);
  return true;
}

function makeInitState(p: Parsed, init: NodeInitInfo): NodeInitState {
  const ctx: NodeContext = {
    args: p.args,
    logger: p.logger,
    chainParams: p.chainParams,
    clock: p.clock,
    shutdown: new ShutdownSignal(),
    rpcTable: new RPCTable(),
    scheduler: new Scheduler(),
    startTime: Math.floor(Date.now() / 1000),
  };
  return {
    ctx, ui: p.ui, locks: new DirectoryLocks(), pidFile: new PidFile(p.args, p.logger), canListenIpc: init.canListenIpc, makeIpc: init.makeIpc,
    loadChainstate, stopTimers: [],
  };
}

/** Core's AppInit: false when init failed (the error is printed). */
async function appInit(state: NodeInitState, argv: readonly string[], io: DaemonIO): Promise<boolean> {
  const { ctx, ui } = state;
  const { args, logger } = ctx;
  // -server defaults to on for the daemon (not for a GUI).
  args.softSetBoolArg('-server', true);
  setLoggingOptions(args, logger);
  logger.info(`${CLIENT_NAME} version ${formatFullVersion()} (release build)`);
  initParameterInteraction(args, logger);
  installSignalHandlers(ctx);
  if (!appInitParameterInteraction({ args, chainParams: ctx.chainParams, clock: ctx.clock, logger, ui })) return false;
  // Probe the locks for an early error; they are taken for good after -daemon has started the child.
  if (!lockDirectories(state.locks, args, ui, logger, true)) return false;
  let endpoint: DaemonEndpoint | undefined;
  if (args.getBoolArg('-daemon', DEFAULT_DAEMON) || args.getBoolArg('-daemonwait', DEFAULT_DAEMONWAIT)) {
    endpoint = daemonChildEndpoint();
    if (endpoint === undefined) {
      const code = await daemonParent(argv, { ...io, logFileName: logger.filePath });
      process.exit(code);
    }
    if (!args.getBoolArg('-daemonwait', DEFAULT_DAEMONWAIT)) await endpoint.tokenWrite(true);
  }
  let ok = false;
  try {
    ok = lockDirectories(state.locks, args, ui, logger, false) && await appInitMain(state);
  } finally {
    if (endpoint?.isOpen()) await endpoint.tokenWrite(ok);
  }
  return ok;
}

/** SIGTERM and SIGINT request a clean shutdown; SIGHUP reopens debug.log (log rotation). */
function installSignalHandlers(ctx: NodeContext): void {
  const stop = () => ctx.shutdown.request();
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('SIGHUP', () => {
    ctx.logger.reopenFile = true;
  });
}
