// The TS Init/Echo server the IPC benchmarks time, usable in-process (startEchoServer) or as a process of its own
// (a freshly started server, cold JIT included):
//   node <build>/js/bench/ipc_echo_server.js <socket> [off|info|debug]
import type net from 'node:net';
import { fileURLToPath } from 'node:url';
import { Logger, ProxyConnection, listenUnix, type LogLevelName } from '@smithcoin/libmultiprocess';
import type { Echo } from '../src/interfaces/echo.js';
import type { Init } from '../src/interfaces/init.js';
import { OLD_MINING_INTERFACE_ERROR } from '../src/ipc/capnp/init-types.js';
import { InitServer } from '../src/ipc/capnp/init.capnp.js';

export const localInit: Init = {
  makeEcho: async (): Promise<Echo> => ({ echo: async (s) => s, destroy: async () => {} }),
  makeMiningOld2: async () => { throw new Error(OLD_MINING_INTERFACE_ERROR); },
  makeMining: async () => null,
  makeRpc: async () => null,
};

export interface EchoServer { close(): Promise<void> }

/** A TS server on `sock`; `logLevel` 'debug' formats every request line like -debug=ipc (built, then dropped). */
export async function startEchoServer(sock: string, logLevel: LogLevelName | 'off'): Promise<EchoServer> {
  const log = new Logger({ logFn: () => undefined, logLevel, exeName: 'bench' });
  const conns: ProxyConnection[] = [];
  const server: net.Server = await listenUnix(sock, {
    onConnection: (s) => conns.push(ProxyConnection.serve(s, (c) => new InitServer(c, localInit), { log })),
  });
  return {
    async close() {
      // Connections first: the server's close callback waits for every one of them to end.
      for (const c of conns) c.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

async function main(argv: string[]): Promise<void> {
  const [sock, level = 'off'] = argv;
  if (sock === undefined || !['off', 'info', 'debug'].includes(level)) {
    throw new Error('Usage: ipc_echo_server <socket> [off|info|debug]');
  }
  const server = await startEchoServer(sock, level as LogLevelName | 'off');
  process.stdout.write(`listening ${sock}\n`);
  process.stdin.resume();
  process.stdin.once('end', () => { void server.close(); process.stdin.pause(); });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exitCode = 1;
  });
}
