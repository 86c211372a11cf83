// Spawning a peer process with a socket on fd 3 (`<exe> [args] -ipcfd 3`), with Core's launch/exit log lines.
import { spawn, type ChildProcess } from 'node:child_process';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Logger } from '../log.js';

export interface SpawnedProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** The parent's end of the AF_UNIX socket pair. */
  readonly socket: net.Socket;
  /** Raw wait status, as waitpid() gives it (exit code << 8, or the signal number). */
  readonly exited: Promise<number>;
}

export interface SpawnOptions {
  log?: Logger;
  /** The program's name in the log lines (default: the file name of `exe`; set it when `exe` is an interpreter). */
  name?: string;
  env?: NodeJS.ProcessEnv;
  /** Extra stdio for fds 0-2 (default: inherit). */
  stdio?: ['inherit' | 'ignore' | 'pipe', 'inherit' | 'ignore' | 'pipe', 'inherit' | 'ignore' | 'pipe'];
}

/**
 * Starts `exe args… -ipcfd 3`. Node's 'pipe' for stdio[3] is an AF_UNIX stream socket pair, which is what the
 * child's `-ipcfd` end expects (like mp::SpawnProcess + socketpair()).
 */
export function spawnProcess(exe: string, args: readonly string[], options: SpawnOptions = {}): SpawnedProcess {
  const log = options.log ?? new Logger(null);
  const std = options.stdio ?? ['inherit', 'inherit', 'inherit'];
  const child = spawn(exe, [...args, '-ipcfd', '3'], { stdio: [std[0], std[1], std[2], 'pipe'], env: options.env });
  const name = options.name ?? path.basename(exe);
  const socket = child.stdio[3] as net.Socket | null;
  if (child.pid === undefined || socket === null) {
    child.kill();
    throw new Error(`execvp failed to execute '${exe}'`);
  }
  const pid = child.pid;
  if (log.debug) log.log('debug', `Process ${name} pid ${pid} launched`);
  const exited = new Promise<number>((resolve) => {
    child.once('exit', (code, signal) => {
      const status = signal !== null ? signalNumber(signal) : (code ?? 0) << 8;
      if (log.debug) log.log('debug', `Process ${name} pid ${pid} exited with status ${status}`);
      resolve(status);
    });
  });
  child.once('error', () => undefined); // reported through 'exit'
  return { child, pid, socket, exited };
}

function signalNumber(sig: NodeJS.Signals): number {
  return os.constants.signals[sig] ?? 0;
}
