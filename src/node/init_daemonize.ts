// -daemon and -daemonwait without fork(): the parent starts a detached copy of itself (new session, stdio
// on /dev/null, same working directory, as Core's fork_daemon(nochdir=1, noclose=0)) and waits for one
// token on an IPC channel: 1 when the child is up (at once, or after init with -daemonwait), 0 on failure.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { CLIENT_NAME } from '../clientversion.js';
import { nodeProgramArgs, nodeProgramEnv } from '../util/node_program.js';

/** Set in the child's environment so that it knows it is the daemon, not a parent to fork again. */
export const DAEMON_CHILD_ENV = 'SMITHCOIN_DAEMON_CHILD';

/** The child's end of the channel (Core's TokenPipeEnd): one token, then closed. */
export class DaemonEndpoint {
  private open = true;

  isOpen(): boolean {
    return this.open;
  }

  async tokenWrite(ok: boolean): Promise<void> {
    if (!this.open) return;
    this.open = false;
    await new Promise<void>((resolve) => process.send!({ daemonToken: ok ? 1 : 0 }, undefined, {}, () => resolve()));
    process.disconnect?.();
  }
}

/** In a daemon child started by `daemonParent`, the endpoint; otherwise undefined. */
export function daemonChildEndpoint(): DaemonEndpoint | undefined {
  if (process.env[DAEMON_CHILD_ENV] !== '1' || typeof process.send !== 'function') return undefined;
  delete process.env[DAEMON_CHILD_ENV];
  return new DaemonEndpoint();
}

export interface DaemonParentIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** debug.log's file name, for the failure message. */
  logFileName: string;
}

/** Starts the detached child and waits for its token; returns the parent's exit code. */
export function daemonParent(argv: readonly string[], io: DaemonParentIO): Promise<number> {
  io.stdout(`${CLIENT_NAME} starting\n`);
  const script = process.argv[1]!;
  const child = spawn(process.execPath, nodeProgramArgs(script, argv), {
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    env: { ...nodeProgramEnv(), [DAEMON_CHILD_ENV]: '1' },
  });
  return new Promise((resolve) => {
    let done = false;
    const finish = (ok: boolean) => {
      if (done) return;
      done = true;
      if (!ok) io.stderr(`Error during initialization - check ${path.basename(io.logFileName)} for details\n`);
      if (child.connected) child.disconnect();
      child.unref();
      resolve(ok ? 0 : 1);
    };
    child.on('message', (msg: { daemonToken?: number }) => finish(msg.daemonToken === 1));
    // An exit or a closed channel before the token is a failed start (Core's premature end of stream).
    child.on('exit', () => finish(false));
    child.on('disconnect', () => finish(false));
    child.on('error', () => finish(false));
  });
}
