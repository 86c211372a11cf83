// The node's start and stop (Core's init.cpp AppInitMain, Interrupt and Shutdown): pid file, debug.log,
// RPC server in warm-up, the chainstate, then "Done loading"; on shutdown the same in reverse. The
// steps before (options, interaction, locks, -daemon) are in init_daemon.ts, as in Core's bitcoind.cpp.
import type { ArgsManager } from '../common/args.js';
import { deleteAuthCookie } from '../rpc/auth.js';
import { LoggingInitError, setupLogRateLimiting, startLogging } from '../util/logging_args.js';
import { LogFlags, type Logger } from '../util/logging.js';
import type { DirectoryLocks } from '../util/fs_lock.js';
import type { NodeContext } from './context.js';
import { loadChainstate, type ChainstateHandle } from './init_chainstate.js';
import { PidFile } from './init_files.js';
import { appInitIpc, shutdownIpc, type NodeIpcState } from './init_ipc.js';
import { blockNotify, shutdownNotify, startupNotify } from './init_notify.js';
import { registerNodeRPCCommands } from './init_rpc.js';
import { FeeDeltaMempool } from './fee_delta_mempool.js';
import { checkMaxMempool, MempoolArgsError, readRelayFeeArgs } from './mempool_args.js';
import { MiningOptionsError, readMiningArgs, type BlockCreateOptions } from './miner_options.js';
import type { MiningService } from './miner_service.js';
import { appInitServers, rpcRequestLog, type RPCServers } from './init_servers.js';
import { initSubVersion } from './init_subversion.js';
import type { NoUI } from './init_ui.js';
import type { ChainstateManager } from './validation.js';
import { FlushStateMode, flushStateToDisk } from './validation_flush.js';

/** What init keeps beside the NodeContext until shutdown. */
export interface NodeInitState extends NodeIpcState {
  ctx: NodeContext;
  ui: NoUI;
  locks: DirectoryLocks;
  pidFile: PidFile;
  /** Whether this executable can serve IPC (smithcoin-node). */
  canListenIpc: boolean;
  servers?: RPCServers;
  /** The P2P user agent, "/Smithcoin:x.y.z(comments)/" (Core's strSubVersion), once init has checked -uacomment. */
  subversion?: string;
  /** The chainstate step (init_chainstate.ts); tests put a slower one in to watch the warm-up. */
  loadChainstate: typeof loadChainstate;
  chainstate?: ChainstateHandle;
  /** The block assembler service shared by the mining RPCs and the IPC Mining interface. */
  mining?: MiningService;
  unsubscribeBlockNotify?: () => void;
  stopTimers: Array<() => void>;
}

/** Core's InvalidPortErrMsg. */
function invalidPortError(option: string, value: string): string {
  return `Invalid port specified in ${option}: '${value}'`;
}

/** Core's CheckHostPortOptions for the options this node reads. */
function checkHostPortOptions(args: ArgsManager, ui: NoUI): boolean {
  for (const option of ['-port', '-rpcport']) {
    const value = args.getArg(option);
    if (value === undefined) continue;
    const n = /^[0-9]+$/.test(value) ? Number(value) : NaN;
    if (!(n >= 1 && n <= 65535)) return ui.initError(invalidPortError(option, value));
  }
  for (const [option, suffixAllowed] of [['-bind', true], ['-rpcbind', false], ['-whitebind', false]] as const) {
    for (const value of args.getArgs(option)) {
      const hostPort = suffixAllowed && value.lastIndexOf('=') !== -1 ? value.slice(0, value.lastIndexOf('=')) : value;
      if (!validHostPort(hostPort)) return ui.initError(invalidPortError(option, value));
    }
  }
  return true;
}

/** Core's SplitHostPort success: no port, or a port from 1 to 65535 after the last colon (IPv6 in brackets). */
function validHostPort(spec: string): boolean {
  const bracketed = /^\[[^\]]*\](?::(.*))?$/.exec(spec);
  const portText = bracketed ? bracketed[1] : (spec.split(':').length === 2 ? spec.split(':')[1] : undefined);
  if (portText === undefined) return true;
  const n = /^[0-9]+$/.test(portText) ? Number(portText) : NaN;
  return n >= 1 && n <= 65535;
}

/** Core's step 12 opening lines: the block tree and the active height. */
function logChainSummary(ctx: NodeContext): void {
  const chainman = ctx.chainman;
  if (chainman === undefined) return;
  ctx.logger.info(`block tree size = ${chainman.blockIndex.size}`);
  ctx.logger.info(`nBestHeight = ${chainman.chain.tip()?.height ?? -1}`);
}

/** Core's AppInitMain; false after reporting the init error. */
export async function appInitMain(state: NodeInitState): Promise<boolean> {
  const { ctx, ui } = state;
  const { args, logger } = ctx;
  if (!state.pidFile.create(ui)) return false;
  try {
    startLogging(args, logger, { initWarning: (m) => ui.initWarning(m), now: () => ctx.clock.now() });
  } catch (err) {
    if (err instanceof LoggingInitError) return ui.initError(err.message);
    throw err;
  }
  warnRelativeDatadir(args, logger);
  setupLogRateLimiting(args, logger, (fn, intervalMs) => {
    const timer = setInterval(fn, intervalMs);
    timer.unref();
    state.stopTimers.push(() => clearInterval(timer));
  });
  logger.info('No wallet support compiled in!');
  let miningArgs: BlockCreateOptions;
  try {
    miningArgs = readMiningArgs(args);
  } catch (e) {
    if (e instanceof MiningOptionsError) return ui.initError(e.message);
    throw e;
  }
  try {
    ctx.relayFees = readRelayFeeArgs(args, (m) => logger.info(m));
    checkMaxMempool(args);
  } catch (e) {
    if (e instanceof MempoolArgsError) return ui.initError(e.message);
    throw e;
  }
  const mempool = new FeeDeltaMempool((m) => logger.info(m));
  ctx.mempool = mempool;
  state.mining = registerNodeRPCCommands(ctx, miningArgs, mempool);
  if (!checkHostPortOptions(args, ui)) return false;
  if (args.getBoolArg('-server', false)) {
    ui.connectInitMessage((m) => ctx.rpcTable.setWarmupStatus(m));
    state.servers = await appInitServers(ctx, ui);
    if (state.servers === undefined) return ui.initError('Unable to start HTTP server. See debug log for details.');
  }
  // After the RPC server (IPC's Rpc shares its allow lists) and before the chainstate: clients may connect while it
  // loads (makeMining waits for it), as Core listens before Step 7.
  const rpc = state.servers && { table: ctx.rpcTable, auth: state.servers.auth, log: logger, requestLog: rpcRequestLog(logger) };
  if (!await appInitIpc(state, { ctx, ui, miningService: state.mining, rpc })) return false;
  state.chainstate = await state.loadChainstate(ctx, { initMessage: (m) => ui.initMessage(m), initError: (m) => ui.initError(m) });
  if (state.chainstate === undefined) return false;
  ctx.chainman?.registerValidationInterface(mempool);
  await initialPrune(state.chainstate.chainman, ui);
  logChainSummary(ctx);
  if (ctx.shutdown.requested) {
    logger.info('Shutdown requested. Exiting.');
    return false;
  }
  state.subversion = initSubVersion(args, ui);
  if (state.subversion === undefined) return false;
  ctx.subversion = state.subversion;
  connectBlockNotify(state);
  if (args.getBoolArg('-server', false)) ctx.rpcTable.setWarmupFinished();
  ui.initMessage('Done loading');
  startupNotify(args.getArg('-startupnotify', ''), logger);
  return true;
}

/** Core's step 10: a pruned node prunes what -prune allows before it goes on (not while a reindex still reads). */
async function initialPrune(chainman: ChainstateManager | undefined, ui: NoUI): Promise<void> {
  if (!chainman?.pruneMode || !chainman.blockman.blockfilesIndexed) return;
  ui.initMessage('Pruning blockstore…');
  await chainman.exclusive(() => {
    chainman.blockman.checkForPruning = true;
    flushStateToDisk(chainman, FlushStateMode.NONE);
  });
}

function warnRelativeDatadir(args: ArgsManager, logger: Logger): void {
  const datadir = args.getPathArg('-datadir');
  if (!args.isArgSet('-datadir') || datadir.startsWith('/')) return;
  logger.warning(`Relative datadir option '${args.getArg('-datadir', '')}' specified, which will be interpreted relative to the current working directory '${process.cwd()}'. This is fragile, because if smithcoin is started in the future from a different location, it will be unable to locate the current data files. There could also be data loss if smithcoin is started while in a temporary directory.`);
}

function connectBlockNotify(state: NodeInitState): void {
  const { args, chainman, logger } = state.ctx;
  const command = args.getArg('-blocknotify', '');
  if (command === '' || chainman === undefined) return;
  // Only tips after init count (Core's POST_INIT), not the blocks of an initial download.
  state.unsubscribeBlockNotify = chainman.onTipChanged((change) => {
    if (!change.initialDownload) blockNotify(command, change.tip.hashHex, logger);
  });
}

/** Core's Interrupt: run -shutdownnotify, stop taking new work. */
export async function interrupt(state: NodeInitState): Promise<void> {
  const { logger } = state.ctx;
  if (state.servers) {
    state.servers.http.interrupt();
    logger.debug(LogFlags.RPC, 'Interrupting HTTP RPC server');
    logger.debug(LogFlags.RPC, 'Interrupting RPC');
  }
  await shutdownNotify(state.ctx.args.getArgs('-shutdownnotify'), logger);
}

/** Core's Shutdown: safe after a partial init (each step undoes only what was done). */
export async function shutdown(state: NodeInitState): Promise<void> {
  const { ctx } = state;
  ctx.logger.info('Shutdown in progress...');
  if (state.servers) {
    // Requests already running finish and get their replies (the stop RPC's own among them).
    await state.servers.inFlight.drained();
    // Core's StopHTTPRPC, StopREST, StopRPC, then StopHTTPServer.
    ctx.logger.debug(LogFlags.RPC, 'Stopping HTTP RPC server');
    state.servers.http.unregisterHandlers();
    ctx.logger.debug(LogFlags.RPC, 'Stopping RPC');
    ctx.logger.debug(LogFlags.RPC, 'RPC stopped.');
    await state.servers.http.stop();
    if (state.servers.auth.cookiePath) deleteAuthCookie(state.servers.auth.cookiePath);
    state.servers = undefined;
  }
  state.unsubscribeBlockNotify?.();
  for (const stop of state.stopTimers.splice(0)) stop();
  ctx.scheduler?.stop();
  // IPC clients go before the chainstate they use (Core's disconnectIncoming); their waits have ended on shutdown.
  await shutdownIpc(state);
  await state.chainstate?.close();
  state.chainstate = undefined;
  state.pidFile.remove();
  state.locks.releaseAll();
  ctx.logger.info('Shutdown done');
  ctx.logger.close();
}

