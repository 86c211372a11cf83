// Child process for rpc-transport.test.ts: serves the test Init/Echo schema on `-ipcfd N` and exits when the
// parent goes away (as a spawned bitcoin-node child does).
import { ProxyConnection, parseIpcFd, socketFromFd } from '../src/index.js';
import { makeInitServer } from './rpc-test-impl.js';

const i = process.argv.indexOf('-ipcfd');
if (i < 0 || i + 1 >= process.argv.length) {
  process.stderr.write('Usage: rpc-child -ipcfd <fd>\n');
  process.exit(1);
}
const fd = parseIpcFd(process.argv[i + 1]!);
const conn = ProxyConnection.serve(socketFromFd(fd), (c) => makeInitServer(c, { destroyed: 0, signals: [], order: [] }));
await conn.closed;
process.exit(0);
