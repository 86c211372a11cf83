// Entry point of smithcoin-node: the Smithcoin node daemon with IPC (multiprocess) support.
import { setupEnvironment } from './common/system.js';
import { makeNodeInit, startSpawnedProcess } from './init/smithcoin-node.js';
import { runDaemon } from './node/init_daemon.js';

/** The spawned process's exit status, or undefined for a normal start (Core's startSpawnedProcess). */
async function spawned(argv: readonly string[]): Promise<number | undefined> {
  try {
    return await startSpawnedProcess(argv);
  } catch (e) {
    // A bad fd number: "Invalid -ipcfd number '<s>'".
    process.stderr.write(`Error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

setupEnvironment();
const argv = process.argv.slice(2);
// A process spawned by another one (`-ipcfd <n>`) only serves its parent.
const status = await spawned(argv) ?? await runDaemon(makeNodeInit(), argv);
// Exit explicitly: a node that has shut down must not wait for stray handles (sockets, timers).
process.exit(status);
