// Entry point of smithcoind: the Smithcoin node daemon.
import { setupEnvironment } from './common/system.js';
import { makeNodeInit } from './init/smithcoind.js';
import { runDaemon } from './node/init_daemon.js';

setupEnvironment();
const status = await runDaemon(makeNodeInit(), process.argv.slice(2));
// Exit explicitly: a node that has shut down must not wait for stray handles (sockets, timers).
process.exit(status);
