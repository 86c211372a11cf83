// The node's Rpc interface (Core's node/interfaces.cpp RpcImpl): a JSON-RPC request text through the dispatcher the
// HTTP server uses, answered with the reply's JSON text (smithcoin-cli -ipcconnect).
import type { Rpc } from '../interfaces/rpc.js';
import { executeHTTPRPC, type RPCDispatchOptions } from '../rpc/httprpc.js';
import { parseJSONBody, writeJSON } from '../rpc/json.js';
import { JSONRPCRequest } from '../rpc/request.js';

const encoder = new TextEncoder();

export class RpcImpl implements Rpc {
  constructor(private readonly options: RPCDispatchOptions) {}

  async executeRpc(request: string, uri: string, user: string): Promise<string> {
    const jreq = new JSONRPCRequest();
    jreq.uri = uri;
    jreq.authUser = user;
    // Text that is not JSON arrives as a null value (Core's UniValue reader), which the dispatcher rejects.
    const value = parseJSONBody(encoder.encode(request))?.value ?? null;
    const { reply } = await executeHTTPRPC(value, jreq, this.options);
    // No reply (a notification, a refused method) is JSON null, as Core writes an empty UniValue.
    return writeJSON(reply ?? null);
  }
}
