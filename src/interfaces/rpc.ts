// Rpc: runs JSON-RPC requests without HTTP (smithcoin-cli -ipcconnect).

export interface Rpc {
  /**
   * Executes one JSON-RPC request and returns the JSON reply text; errors are JSON-RPC error replies, never thrown.
   * @param request JSON-RPC request text.
   * @param uri Endpoint, e.g. `/` or `/wallet/<name>`.
   * @param user Authenticated user name.
   */
  executeRpc(request: string, uri: string, user: string): Promise<string>;
}
