// What smithcoin-node is (Core's init/bitcoin-node.cpp): the same node as smithcoind, built to serve IPC. It accepts
// -ipcbind and serves the node's Init (Echo, Mining, Rpc) there; started as `smithcoin-node -ipcfd <n>` by a
// parent process it serves an Init on that socket instead of running a node, and exits when the parent goes.
import { Logger as IpcLogger } from '@smithcoin/libmultiprocess';
import { makeEcho } from '../common/interfaces.js';
import type { Init } from '../interfaces/init.js';
import { OLD_MINING_INTERFACE_ERROR } from '../ipc/capnp/init-types.js';
import { IpcImpl } from '../ipc/interfaces.js';
import type { NodeInitInfo } from '../node/init_daemon.js';
import { ipcLogOptions } from '../util/logging_ipc.js';
import { makeNodeInit as makeNodeIpcInit } from './ipc_init.js';

export const EXE_NAME = 'smithcoin-node';

export function makeNodeInit(): NodeInitInfo {
  return {
    exeName: EXE_NAME,
    canListenIpc: true,
    makeIpc: (ctx, setup) => new IpcImpl({
      exeName: EXE_NAME,
      init: makeNodeIpcInit(ctx, { miningService: setup.miningService, rpc: setup.rpc }),
      log: new IpcLogger({ ...ipcLogOptions(ctx.logger), exeName: EXE_NAME }),
      dataDirNet: ctx.args.getDataDirNet(),
      maxConnections: setup.maxConnections,
    }),
  };
}

/** The Init of a spawned smithcoin-node: no node runs in that process, so only Echo is there. */
const spawnedInit: Init = {
  makeEcho: async () => makeEcho(),
  makeMiningOld2: async () => {
    throw new Error(OLD_MINING_INTERFACE_ERROR);
  },
  makeMining: async () => null,
  makeRpc: async () => null,
};

/**
 * When argv is exactly `-ipcfd <n>`, serves the spawned Init on that socket and resolves with the exit status once
 * the parent has gone (Core's startSpawnedProcess); undefined for a normal start. Its log lines are dropped, as a
 * spawned bitcoin-node never starts logging.
 */
export function startSpawnedProcess(argv: readonly string[]): Promise<number | undefined> {
  return new IpcImpl({ exeName: EXE_NAME, init: spawnedInit, log: new IpcLogger(null) }).startSpawnedProcess(argv);
}
