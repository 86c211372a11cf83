// The IPC step of init for executables that serve IPC (smithcoin-node): make the process's Ipc, listen on every
// -ipcbind address with Core's log line and errors, and on shutdown drop the clients before the chainstate goes.
// Only types come from the IPC side here: builds without IPC compile this file too (the Ipc is made by
// src/init/smithcoin-node.ts, which they leave out).
import type { ArgsManager } from '../common/args.js';
import { IpcListenError, type Ipc } from '../interfaces/ipc.js';
import type { RPCDispatchOptions } from '../rpc/httprpc.js';
import type { NodeContext } from './context.js';
import type { MiningService } from './miner_service.js';

/** -ipcmaxconnections: Sv2 template providers and smithcoin-cli hold a few connections each (Core's PR #35037 uses 16). */
export const DEFAULT_IPC_MAX_CONNECTIONS = 16;

/** Where smithcoin-node listens when no -ipcbind is given: `<datadir>/<chain>/node.sock`. */
export const DEFAULT_IPC_BIND = 'unix';

/** What the Init served over IPC forwards to: the node's own services. */
export interface NodeIpcSetup {
  miningService: MiningService;
  /** The HTTP server's allow lists; absent with -server=0 (no user is restricted then). */
  rpc?: RPCDispatchOptions;
  maxConnections: number;
}

/** Makes the process's Ipc (Core's MakeIpc in the executable's init); absent for executables without IPC. */
export type MakeNodeIpc = (ctx: NodeContext, setup: NodeIpcSetup) => Ipc;

/** What init keeps for this step. */
export interface NodeIpcState {
  makeIpc?: MakeNodeIpc;
  ipc?: Ipc;
}

export interface IpcStepDeps {
  ctx: NodeContext;
  ui: { initError(message: string): false };
  miningService: MiningService;
  rpc?: RPCDispatchOptions;
}

/** -ipcmaxconnections, or undefined when it is not a positive integer. */
function maxConnections(args: ArgsManager): number | undefined {
  const n = args.getIntArg('-ipcmaxconnections', BigInt(DEFAULT_IPC_MAX_CONNECTIONS));
  return n >= 1n && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : undefined;
}

/** Makes the Ipc and listens on the -ipcbind addresses; false after reporting the init error. */
export async function appInitIpc(state: NodeIpcState, deps: IpcStepDeps): Promise<boolean> {
  if (state.makeIpc === undefined) return true;
  const { ctx, ui } = deps;
  const max = maxConnections(ctx.args);
  if (max === undefined) return ui.initError('-ipcmaxconnections must be a positive integer.');
  const ipc = state.makeIpc(ctx, { miningService: deps.miningService, rpc: deps.rpc, maxConnections: max });
  state.ipc = ipc;
  // echoipc spawns its child through it, with or without -ipcbind (Core's node.init->ipc()).
  ctx.ipc = ipc;
  // Without -ipcbind, smithcoin-node listens on its default socket (the project's promise for `smithcoin -m node`);
  // -noipcbind turns that off. Only an address the user asked for makes a bind failure fatal.
  const explicit = ctx.args.isArgSet('-ipcbind');
  const addresses = explicit ? ctx.args.getArgs('-ipcbind') : [DEFAULT_IPC_BIND];
  for (const address of addresses) {
    let canonical: string;
    try {
      canonical = await ipc.listenAddress(address);
    } catch (e) {
      if (!(e instanceof IpcListenError)) throw e;
      const message = `Unable to bind to IPC address '${e.address}'. ${e.message}`;
      if (explicit) return ui.initError(message);
      // A log line, not a UI warning: a datadir too deep for a socket path must not make every start noisy.
      ctx.logger.warning(`${message}. Not listening for IPC requests; -ipcbind=unix:<path> chooses another path.`);
      continue;
    }
    ctx.logger.info(`Listening for IPC requests on address ${canonical}`);
  }
  return true;
}

/** Drops the IPC clients (their running calls finish first, for a bounded time) so that they do not hold shutdown. */
export async function shutdownIpc(state: NodeIpcState): Promise<void> {
  await state.ipc?.disconnectIncoming();
}
