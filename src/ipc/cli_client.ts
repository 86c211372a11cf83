// smithcoin-cli's IPC transport (Core's CallIPC): connect to smithcoin-node's socket, make its Rpc
// interface and run the request text there. Lives under ipc/ because it needs the generated code and
// the runtime, which builds without IPC leave out; cli/rpc_call.ts loads it only when IPC is built.
import { ProxyConnection } from '@smithcoin/libmultiprocess';
import { ConnectionFailed } from '../cli/http_client.js';
import type { IpcExecute, IpcTarget } from '../cli/ipc_call.js';
import { InitClient } from './capnp/init.capnp.js';
import { connectIpcAddress } from './process.js';

/** strerror texts for the connect failures a unix socket gives (what Core's std::system_error prints). */
const SYSTEM_ERRORS: Record<string, string> = {
  ENOENT: 'No such file or directory',
  ECONNREFUSED: 'Connection refused',
  EACCES: 'Permission denied',
  ENOTSOCK: 'Socket operation on non-socket',
  ENOTDIR: 'Not a directory',
};

async function connect(target: IpcTarget) {
  try {
    return await connectIpcAddress(target.address, target.dataDirNet, 'smithcoin-node');
  } catch (e) {
    if (!(e instanceof Error)) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const what = (code !== undefined && SYSTEM_ERRORS[code]) || e.message;
    throw new ConnectionFailed(`${what}\n\nProbably smithcoin-node is not running or not listening on a unix socket. Can be started with:\n\n` +
      `    smithcoin-node -chain=${target.chain} -ipcbind=unix`);
  }
}

/** The reply text, or undefined when "auto" found no socket (the caller then uses HTTP). */
export const executeOverIpc: IpcExecute = async (target, request, endpoint, user) => {
  const socket = await connect(target);
  if (socket === null) return undefined;
  const conn = ProxyConnection.connect(socket);
  try {
    const init = conn.bootstrap((cap, c) => new InitClient(cap, c));
    await init.construct();
    const rpc = await init.makeRpc();
    if (rpc === null) throw new Error('smithcoin-node does not serve RPC over IPC');
    return await rpc.executeRpc(request(), endpoint, user);
  } finally {
    conn.close();
    await conn.closed;
  }
};
