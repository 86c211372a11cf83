// Ipc: what a process that speaks IPC can do with it (Core's interfaces/ipc.h): listen on -ipcbind addresses,
// spawn a child process and talk to its Init, drop the clients that connected to it.
import type { Init } from './init.js';

/** The Init of a spawned child process; the child exits once this side closes the connection. */
export interface SpawnedInit {
  readonly init: Init;
  readonly pid: number;
  /** Closes the connection and waits for the child to exit. */
  close(): Promise<void>;
}

export interface Ipc {
  /**
   * Listens on an `-ipcbind` address (`unix` or `unix:<path>`) and serves this process's Init to every client.
   * Resolves with the address as Core rewrites it (`unix:<full path>`); rejects with an IpcListenError.
   */
  listenAddress(address: string): Promise<string>;
  /** Starts `<exeName> -ipcfd <n>` beside this program and connects to the Init it serves. */
  spawnProcess(exeName: string): Promise<SpawnedInit>;
  /**
   * Stops listening and disconnects every client that connected to a listening address, after the calls they
   * have running finish (for a bounded time). The connection to a parent process is kept.
   */
  disconnectIncoming(): Promise<void>;
}

/** Why an address could not be listened on: `address` is the one for Core's message (rewritten when parsed). */
export class IpcListenError extends Error {
  override readonly name = 'IpcListenError';

  constructor(readonly address: string, why: string) {
    super(why);
  }
}
