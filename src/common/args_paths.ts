// Path rules of the argument manager: Core's lexically_normal path options, fs::absolute and AbsPathJoin
// (plain joins, no normalization), and the default data directory per platform.
import fs from 'node:fs';
import path from 'node:path';

/** What the path rules read from the process; tests pass their own. */
export interface PathEnv {
  /** Home directory (default: $HOME). */
  home?: string | undefined;
  /** Working directory for relative paths (default: process.cwd()). */
  cwd?: string | undefined;
  platform?: NodeJS.Platform | undefined;
}

/** Core's GetPathArg normalization: lexically normal, without a trailing separator. */
export function normalizePathArg(p: string): string {
  const n = path.posix.normalize(p);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}

/** `base / p` as fs::path does it: an absolute `p` replaces `base`, nothing is normalized. */
export function absPathJoin(base: string, p: string): string {
  if (p.startsWith('/')) return p;
  if (p === '') return base.endsWith('/') ? base : base + '/';
  return base.endsWith('/') ? base + p : `${base}/${p}`;
}

/** fs::absolute: a relative path is put under the working directory, without normalizing. */
export function absolute(p: string, env: PathEnv): string {
  if (p.startsWith('/')) return p;
  return absPathJoin(env.cwd ?? process.cwd(), p);
}

/** ~/.smithcoin, or ~/Library/Application Support/Smithcoin on macOS; "/" stands in for a missing $HOME. */
export function defaultDataDir(env: PathEnv): string {
  const home = env.home ?? process.env['HOME'] ?? '';
  const base = home === '' ? '/' : home;
  const platform = env.platform ?? process.platform;
  return absPathJoin(base, platform === 'darwin' ? 'Library/Application Support/Smithcoin' : '.smithcoin');
}

/** fs::is_directory: false for anything missing or unreadable. */
export function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
