// Locates the source tree from a compiled test, so tests can read test/data wherever the build dir is.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findSourceDir(): string {
  const fromEnv = process.env.SMITHCOIN_SOURCE_DIR;
  if (fromEnv) return fromEnv;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && fs.existsSync(path.join(dir, 'CMakeLists.txt'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the Smithcoin source tree; set SMITHCOIN_SOURCE_DIR');
    dir = parent;
  }
}

export const SOURCE_DIR = findSourceDir();

/** Path of a file under the source tree's test/data folder. */
export function testDataPath(name: string): string {
  return path.join(SOURCE_DIR, 'test', 'data', name);
}

/** Parsed JSON from test/data. */
export function readTestJson<T = unknown>(name: string): T {
  return JSON.parse(fs.readFileSync(testDataPath(name), 'utf8')) as T;
}
