// Temporary directories for a suite: made under os.tmpdir() on demand, removed after the suite whether its
// tests passed or failed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Call inside describe(): returns a function that makes a fresh directory named <prefix>XXXXXX. */
export function suiteTempDirs(prefix: string): () => string {
  const made: string[] = [];
  after(() => {
    for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
}
