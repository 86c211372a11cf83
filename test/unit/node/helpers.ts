// Shared by the node tests: scratch copies of the Core regtest datadir and quiet logging.
import fs from 'node:fs';
import path from 'node:path';
import { testDataPath } from '../util/paths.js';

/** Copies test/data/core-regtest/regtest into `dir` (writable: LevelDB writes even when only reading). */
export function copyCoreRegtest(dir: string): string {
  const dest = path.join(dir, 'regtest');
  fs.cpSync(testDataPath(path.join('core-regtest', 'regtest')), dest, { recursive: true });
  const chmod = (p: string): void => {
    fs.chmodSync(p, fs.statSync(p).isDirectory() ? 0o755 : 0o644);
    if (fs.statSync(p).isDirectory()) for (const f of fs.readdirSync(p)) chmod(path.join(p, f));
  };
  chmod(dest);
  return dest;
}

/** A log sink that keeps the lines for assertions. */
export function logSink(): { lines: string[]; log: (msg: string) => void } {
  const lines: string[] = [];
  return { lines, log: (msg: string) => lines.push(msg) };
}
