// A load client for the node benchmarks: `node rpc_load_client.js <port> <user:pass> <calls> <method>` makes
// <calls> sequential JSON-RPC calls over one keep-alive connection and prints the elapsed seconds.
import { rpcCall } from './lib/node_process.js';

async function main(): Promise<void> {
  const [port, auth, calls, method] = process.argv.slice(2);
  if (!port || !auth || !calls || !method) throw new Error('usage: rpc_load_client <port> <user:pass> <calls> <method>');
  const target = { port: Number(port), auth };
  const start = process.hrtime.bigint();
  for (let i = 0; i < Number(calls); i++) await rpcCall(target, method);
  console.log((Number(process.hrtime.bigint() - start) / 1e9).toFixed(6));
}

main().then(() => process.exit(0), (e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
