// The RPC server as init starts it (Core's AppInitServers: InitHTTPServer, StartRPC, StartHTTPRPC,
// StartHTTPServer): the options are read here and turned into the src/rpc components, with Core's log
// lines and errors for bad values.
import fs from 'node:fs';
import type { ArgsManager } from '../common/args.js';
import { baseChainParams } from '../kernel/chainparams.js';
import { RPCAuth } from '../rpc/auth.js';
import { DEFAULT_HTTP_SERVER_TIMEOUT, DEFAULT_HTTP_THREADS, DEFAULT_HTTP_WORKQUEUE, HTTPServer, type HTTPHandler } from '../rpc/httpserver.js';
import { startHTTPRPC } from '../rpc/httprpc.js';
import type { RequestLog } from '../rpc/request.js';
import { allowListDescription, buildAllowList, getBindAddresses, RPCConfigError, type Endpoint } from '../rpc/netfilter.js';
import { settle } from '../util/maybe_async.js';
import { LogFlags, type Logger } from '../util/logging.js';
import type { NodeContext } from './context.js';
import type { InitUI } from './init_ui.js';

export interface RPCServers {
  http: HTTPServer;
  auth: RPCAuth;
  /** Where the server listens (the actual ports). */
  endpoints: Endpoint[];
  /** Requests being handled; shutdown lets them finish (the stop RPC's own reply among them). */
  inFlight: InFlight;
}

/** Counts running handlers, so that shutdown can wait for them as Core joins its HTTP worker threads. */
export class InFlight {
  private running = 0;
  private waiters: Array<() => void> = [];

  track(handler: HTTPHandler): HTTPHandler {
    return (req, path) => {
      this.running += 1;
      return settle(() => handler(req, path), () => {
        this.running -= 1;
        if (this.running === 0) this.waiters.splice(0).forEach((w) => w());
      });
    };
  }

  /** Resolves once no handler runs, and their replies have been handed to the sockets. */
  async drained(): Promise<void> {
    if (this.running > 0) await new Promise<void>((resolve) => this.waiters.push(resolve));
    // The reply is written in the continuation after the handler's promise settles.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const COOKIE_PERMS: Record<string, number> = { owner: 0o600, group: 0o640, all: 0o644 };

function intArg(args: ArgsManager, name: string, fallback: number): number {
  return Number(args.getIntArg(name, BigInt(fallback)));
}

/** Starts the HTTP JSON-RPC server; undefined after logging why it could not (init then fails). */
/** The HTTP server with JSON-RPC over the context's table, and REST with -rest (Core's StartREST). */
export async function appInitServers(ctx: NodeContext, ui: InitUI): Promise<RPCServers | undefined> {
  const { args, logger, rpcTable: table } = ctx;
  const log = {
    info: (m: string) => logger.info(m),
    warning: (m: string) => logger.warning(m),
    debug: (m: string) => logger.debug(LogFlags.HTTP, m),
    debugEnabled: () => logger.shouldDebugLog(LogFlags.HTTP),
  };
  let allow;
  try {
    allow = buildAllowList(args.getArgs('-rpcallowip'));
  } catch (err) {
    if (!(err instanceof RPCConfigError)) throw err;
    ui.initError(err.message);
    return undefined;
  }
  // Core's BaseParams().RPCPort(): 8332, 18332, 48332, 38332 or 18443 by chain.
  const port = intArg(args, '-rpcport', baseChainParams(args.getChainType()).rpcPort);
  let endpoints: Endpoint[];
  try {
    const bind = getBindAddresses(args.getArgs('-rpcbind'), args.getArgs('-rpcallowip'), port);
    bind.warnings.forEach((w) => logger.warning(w));
    endpoints = bind.endpoints;
  } catch (err) {
    if (!(err instanceof RPCConfigError)) throw err;
    logger.error(err.message);
    endpoints = [];
  }
  const threads = Math.max(intArg(args, '-rpcthreads', DEFAULT_HTTP_THREADS), 1);
  const workQueue = Math.max(intArg(args, '-rpcworkqueue', DEFAULT_HTTP_WORKQUEUE), 1);
  const http = new HTTPServer({
    endpoints, allow, threads, workQueue, timeoutSeconds: intArg(args, '-rpcservertimeout', DEFAULT_HTTP_SERVER_TIMEOUT), log,
  });
  // Logged in Core's order (InitHTTPServer: allow list, bind; StartRPC; StartHTTPRPC: authentication, handlers;
  // StartHTTPServer), but the sockets listen only once the cookie exists and the handlers are in place: Core's
  // server reads no request before StartHTTPServer, ours would answer at once, and a client waiting with -rpcwait
  // would find no cookie yet.
  log.debug(`Allowing HTTP connections from: ${allowListDescription(args.getArgs('-rpcallowip'))}`);
  for (const e of endpoints) logger.info(`Binding RPC on address ${e.host} port ${e.port}`);
  if (endpoints.some((e) => e.host === '0.0.0.0' || e.host === '::')) {
    logger.warning('The RPC server is not safe to expose to untrusted networks such as the public internet');
  }
  log.debug('Initialized HTTP server');
  log.debug(`set work queue of depth ${workQueue}`);
  logger.debug(LogFlags.RPC, 'Starting RPC');
  logger.debug(LogFlags.RPC, 'Starting HTTP RPC server');
  const auth = initRPCAuthentication(args, logger);
  if (auth === undefined) return undefined;
  const inFlight = new InFlight();
  // startHTTPRPC only registers its handlers; each is wrapped so that shutdown can wait for it.
  const tracked = { registerHandler: (prefix: string, exact: boolean, handler: HTTPHandler) => http.registerHandler(prefix, exact, inFlight.track(handler)) };
  startHTTPRPC(tracked as HTTPServer, { table, auth, log, requestLog: rpcRequestLog(logger) });
  // REST's modules are loaded only when it is enabled: start-up time goes mostly to loading modules.
  if (args.getBoolArg('-rest', false)) (await import('../rest.js')).startREST(tracked as HTTPServer, ctx);
  let bound: Endpoint[];
  try {
    if (endpoints.length === 0) throw new Error('Unable to bind any endpoint for RPC server');
    bound = await http.start();
  } catch (err) {
    logger.error((err as Error).message);
    if (auth.cookiePath) fs.rmSync(auth.cookiePath, { force: true });
    return undefined;
  }
  logger.info(`Starting HTTP server with ${threads} worker threads`);
  return { http, auth, endpoints: bound, inFlight };
}

/** Core's InitRPCAuthentication: cookie or rpcuser/rpcpassword, -rpcauth, whitelists; undefined on a bad value. */
function initRPCAuthentication(args: ArgsManager, logger: Logger): RPCAuth | undefined {
  const perms = args.getArg('-rpccookieperms');
  if (perms !== undefined && args.getArg('-rpcpassword', '') === '' && !Object.hasOwn(COOKIE_PERMS, perms)) {
    logger.error(`Invalid -rpccookieperms=${perms}; must be one of 'owner', 'group', or 'all'.`);
    return undefined;
  }
  let auth: RPCAuth;
  try {
    auth = new RPCAuth({
      rpcuser: args.getArg('-rpcuser', ''),
      rpcpassword: args.getArg('-rpcpassword', ''),
      rpcauth: args.getArgs('-rpcauth'),
      rpcwhitelist: args.getArgs('-rpcwhitelist'),
      rpcwhitelistdefault: args.getBoolArg('-rpcwhitelistdefault'),
      datadir: args.getDataDirNet(),
      cookiePerms: perms === undefined ? undefined : COOKIE_PERMS[perms],
      log: { info: (m) => logger.info(m), warning: (m) => logger.warning(m) },
    });
  } catch (err) {
    if (err instanceof RPCConfigError) return undefined;
    logger.error(`Unable to write the RPC authentication cookie: ${(err as Error).message}`);
    return undefined;
  }
  return auth;
}

/** Core's -debug=rpc line per request ("ThreadRPCServer method=… user=… id=…"), for HTTP and IPC's Rpc alike. */
export function rpcRequestLog(logger: Logger): RequestLog {
  return {
    enabled: () => logger.shouldDebugLog(LogFlags.RPC),
    debug: (m: string) => logger.debug(LogFlags.RPC, m),
    logIps: () => logger.logIps,
  };
}
