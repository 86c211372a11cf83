// The -startupnotify, -shutdownnotify and -blocknotify commands, run through the shell as Core's
// runCommand does with system(): a failing command is logged, never fatal.
import { spawn } from 'node:child_process';
import os from 'node:os';
import type { Logger } from '../util/logging.js';

/** Runs `command` with /bin/sh -c; resolves when it has finished (its failure is only logged). */
export function runCommand(command: string, logger: Logger): Promise<void> {
  if (command === '') return Promise.resolve();
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', command], { stdio: 'ignore' });
    child.on('error', (err) => {
      logger.warning(`runCommand error: system(${command}) failed: ${err.message}`);
      resolve();
    });
    child.on('exit', (code, signal) => {
      // system() returns a wait status: the exit code shifted left by 8 bits, or the signal number.
      const status = signal !== null ? signalNumber(signal) : (code ?? 0) << 8;
      if (status !== 0) logger.warning(`runCommand error: system(${command}) returned ${status}`);
      resolve();
    });
  });
}

function signalNumber(signal: NodeJS.Signals): number {
  return (os.constants.signals as Record<string, number | undefined>)[signal] ?? 0;
}

/** -startupnotify: started once init is done and left to run on its own. */
export function startupNotify(commands: readonly string[], logger: Logger): void {
  const command = commands.at(-1) ?? '';
  void runCommand(command, logger);
}

/** -shutdownnotify: every command, run side by side; shutdown waits for all of them. */
export async function shutdownNotify(commands: readonly string[], logger: Logger): Promise<void> {
  await Promise.all(commands.map((c) => runCommand(c, logger)));
}

/** -blocknotify: the command with every %s replaced by the new tip's hash, left to run on its own. */
export function blockNotify(command: string, blockHashHex: string, logger: Logger): void {
  void runCommand(command.split('%s').join(blockHashHex), logger);
}
