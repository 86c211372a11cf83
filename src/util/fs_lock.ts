// Directory locks as Core's util::LockDirectory: an empty lock file in the directory, write-locked with
// fcntl() through the filelock addon, held by an open descriptor for as long as the process wants it.
import fs from 'node:fs';
import path from 'node:path';
import { loadNativeAddon, nativeAddonPath, NativeAddonError } from './native_addon.js';

interface FileLockAddon {
  /** undefined on success, else Core's SysErrorString of the failure. */
  tryLock(fd: number): string | undefined;
}

let addon: FileLockAddon | undefined;

function fileLockAddon(): FileLockAddon {
  addon ??= loadNativeAddon<FileLockAddon>('filelock') ?? undefined;
  if (addon === undefined) throw new NativeAddonError(`the filelock addon is missing: ${nativeAddonPath('filelock')} was not built`);
  return addon;
}

export const LockResult = {
  Success: 'Success',
  /** The lock file could not be created. */
  ErrorWrite: 'ErrorWrite',
  /** Another process holds the lock (or the file could not be locked). */
  ErrorLock: 'ErrorLock',
} as const;
export type LockResult = (typeof LockResult)[keyof typeof LockResult];

export interface LockOutcome {
  result: LockResult;
  /** Why locking failed (Core logs it), when it did. */
  reason?: string;
}

/** The locks this process holds, by lock file path: each is an open descriptor. */
export class DirectoryLocks {
  private readonly held = new Map<string, number>();

  /**
   * Core's LockDirectory: creates `<dir>/<name>` if needed and write-locks it. With probeOnly the lock
   * is released at once (closing the descriptor drops it). A directory this process already holds
   * counts as a success, as in Core.
   */
  lock(dir: string, name: string, probeOnly: boolean): LockOutcome {
    const file = path.join(dir, name);
    if (this.held.has(file)) return { result: LockResult.Success };
    try {
      fs.closeSync(fs.openSync(file, 'a'));
    } catch (err) {
      return { result: LockResult.ErrorWrite, reason: (err as Error).message };
    }
    let fd: number;
    try {
      fd = fs.openSync(file, 'r+');
    } catch (err) {
      return { result: LockResult.ErrorLock, reason: (err as Error).message };
    }
    const reason = fileLockAddon().tryLock(fd);
    if (reason !== undefined || probeOnly) fs.closeSync(fd);
    if (reason !== undefined) return { result: LockResult.ErrorLock, reason };
    if (!probeOnly) this.held.set(file, fd);
    return { result: LockResult.Success };
  }

  /** Releases every lock (Core's ReleaseDirectoryLocks). */
  releaseAll(): void {
    for (const fd of this.held.values()) fs.closeSync(fd);
    this.held.clear();
  }
}
