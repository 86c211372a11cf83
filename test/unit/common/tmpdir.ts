// Temporary directories for tests, removed after each test whether it passed or failed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const created: string[] = [];

/** A fresh directory under the system temp dir, removed by the afterEach hook of useTmpDirs(). */
export function tmpDir(prefix = 'smithcoin-args-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Registers the cleanup hook in the calling describe block. */
export function useTmpDirs(): void {
  afterEach(() => {
    for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
}
