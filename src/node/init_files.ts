// The files init owns for the process lifetime: the pid file (-pid) and the .lock files of the data
// and blocks directories, with Core's init errors.
import fs from 'node:fs';
import { absPathForConfigVal, type ArgsManager } from '../common/args.js';
import { CLIENT_NAME } from '../clientversion.js';
import type { Logger } from '../util/logging.js';
import { DirectoryLocks, LockResult } from '../util/fs_lock.js';
import { PID_FILENAME } from './init_args.js';
import type { InitUI } from './init_ui.js';

/** Core's SysErrorString for a Node.js system error: "<strerror text> (<errno>)". */
export function sysErrorString(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const code = typeof e.errno === 'number' ? -e.errno : undefined;
  // Node's message is "<CODE>: <text>, <syscall> '<path>'"; keep the strerror text.
  const text = /^[A-Z]+: ([^,]+)/.exec(e.message ?? '')?.[1] ?? e.message ?? 'Unknown error';
  return code === undefined ? text : `${text.charAt(0).toUpperCase()}${text.slice(1)} (${code})`;
}

export class PidFile {
  private created = false;

  constructor(private readonly args: ArgsManager, private readonly logger: Logger) {}

  path(): string {
    return absPathForConfigVal(this.args, this.args.getPathArg('-pid', PID_FILENAME));
  }

  /** Writes "<pid>\n" unless -nopid; false after reporting Core's init error. */
  create(ui: InitUI): boolean {
    if (this.args.isArgNegated('-pid')) return true;
    try {
      fs.writeFileSync(this.path(), `${process.pid}\n`);
    } catch (err) {
      return ui.initError(`Unable to create the PID file '${this.path()}': ${sysErrorString(err)}`);
    }
    this.created = true;
    return true;
  }

  /** Removes the file this process created (a missing file is only a warning, as in Core). */
  remove(): void {
    if (!this.created) return;
    this.created = false;
    try {
      fs.unlinkSync(this.path());
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'File does not exist' : (err as Error).message;
      this.logger.warning(`Unable to remove PID file (${this.path()}): ${reason}`);
    }
  }
}

/** Core's LockDirectories: the network data directory, then the blocks directory. */
export function lockDirectories(locks: DirectoryLocks, args: ArgsManager, ui: InitUI, logger: Logger, probeOnly: boolean): boolean {
  return lockDirectory(locks, args.getDataDirNet(), ui, logger, probeOnly)
    && lockDirectory(locks, args.getBlocksDirPath(), ui, logger, probeOnly);
}

function lockDirectory(locks: DirectoryLocks, dir: string, ui: InitUI, logger: Logger, probeOnly: boolean): boolean {
  const outcome = locks.lock(dir, '.lock', probeOnly);
  switch (outcome.result) {
    case LockResult.Success:
      return true;
    case LockResult.ErrorWrite:
      return ui.initError(`Cannot write to directory '${dir}'; check permissions.`);
    case LockResult.ErrorLock:
      logger.error(`Error while attempting to lock directory ${dir}: ${outcome.reason ?? ''}`);
      return ui.initError(`Cannot obtain a lock on directory ${dir}. ${CLIENT_NAME} is probably already running.`);
  }
}
