// -ipcconnect (Core's CallIPC): whether the request goes to smithcoin-node's unix socket instead of
// HTTP, and the reply from there. The transport is ipc/cli_client.ts, loaded only in builds with IPC.
import fs from 'node:fs';
import path from 'node:path';
import { BUILD_INFO } from '../clientversion.js';
import type { RequestHandler } from './handlers.js';
import type { CallContext } from './rpc_call.js';
import { readJson, writeJson, type Json } from './univalue.js';

export interface IpcTarget {
  /** The -ipcconnect value: auto, unix or unix:<path>. */
  address: string;
  /** The chain's data directory, where the default socket node.sock lives. */
  dataDirNet: string;
  /** The chain name for the hint's command line. */
  chain: string;
}

/** ipc/cli_client.ts's transport: the reply text, or undefined when "auto" found no socket. */
export type IpcExecute = (target: IpcTarget, request: () => string, endpoint: string, user: string) => Promise<string | undefined>;

/** smithcoin-node's default socket in the chain's data directory (-ipcbind=unix). */
const DEFAULT_IPC_SOCKET = 'node.sock';

// A specifier in a variable, so that builds without IPC (which leave src/ipc out) still compile.
const IPC_CLIENT_MODULE = '../ipc/cli_client.js';

/**
 * Core's CallIPC: with -ipcconnect (default "auto") the request goes to smithcoin-node's socket when one
 * answers; undefined means "use HTTP" (-noipcconnect, -rpcconnect with auto, or no socket in auto mode).
 */
export async function callIPC(ctx: CallContext, rh: RequestHandler, method: string, words: string[], endpoint: string, username: string): Promise<Json | undefined> {
  const { args } = ctx;
  const ipcconnect = args.getArg('-ipcconnect', 'auto');
  if (ipcconnect === '0') return undefined;
  if (args.isArgSet('-rpcconnect') && !args.isArgNegated('-rpcconnect')) {
    if (ipcconnect === 'auto') return undefined;
    throw new Error('-rpcconnect and -ipcconnect options cannot both be enabled');
  }
  if (!BUILD_INFO.enableIpc) {
    if (ipcconnect === 'auto') return undefined;
    throw new Error('smithcoin-cli was not built with IPC support');
  }
  const target = { address: ipcconnect, dataDirNet: args.getDataDirNet(), chain: args.getChainTypeString() };
  // Loading the IPC runtime costs a tenth of a second: in auto mode, not without a default socket file.
  if (ipcconnect === 'auto' && !fs.existsSync(path.join(target.dataDirNet, DEFAULT_IPC_SOCKET))) return undefined;
  const { executeOverIpc } = (await import(IPC_CLIENT_MODULE)) as { executeOverIpc: IpcExecute };
  const text = await executeOverIpc(target, () => writeJson(rh.prepareRequest(method, words)), endpoint, username);
  if (text === undefined) return undefined;
  const reply = readJson(text);
  if (reply === undefined) throw new Error("couldn't parse reply from server");
  return rh.processReply(reply);
}
