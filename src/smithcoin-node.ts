// Entry point of smithcoin-node: the Smithcoin node daemon with IPC (multiprocess) support.
import { makeNodeInit } from './init/smithcoin-node.js';
import { runDaemon } from './node/init_daemon.js';

const status = await runDaemon(makeNodeInit(), process.argv.slice(2));
// Exit explicitly: a node that has shut down must not wait for stray handles (sockets, timers).
process.exit(status);
