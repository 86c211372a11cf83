// Where the wrapper looks for the program it runs (Core's ExecCommand): libexec/ beside a bin/
// wrapper, then the wrapper's own directory, then PATH, but PATH only when the wrapper itself was
// found on PATH, so that a local build never launches an installed program by accident.
import fs from 'node:fs';
import path from 'node:path';
import { WrapperError } from './wrapper.js';

export interface ExecCandidate {
  path: string;
  /** Whether a missing file moves on to the next candidate (otherwise it is the final error). */
  allowNotFound: boolean;
}

export interface LookupEnv {
  pathVar: string;
  cwd: string;
}

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  ENOTDIR: 'Not a directory',
  ELOOP: 'Too many levels of symbolic links',
};

function searchPath(name: string, env: LookupEnv): string | undefined {
  for (const dir of env.pathVar.split(':')) {
    const candidate = path.join(dir || '.', name);
    try {
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // Not in this PATH entry: keep looking, as a shell would.
    }
  }
  return undefined;
}

/** Core's GetExePath: argv0 itself, or the PATH match when argv0 names no directory. */
function exePath(argv0: string, env: LookupEnv): string {
  if (argv0.includes('/')) return path.resolve(env.cwd, argv0);
  return searchPath(argv0, env) ?? argv0;
}

export function execCandidates(exeName: string, wrapperArgv0: string, env: LookupEnv): ExecCandidate[] {
  const wrapperPath = exePath(wrapperArgv0, env);
  let resolved = wrapperPath;
  try {
    resolved = fs.realpathSync(wrapperPath);
  } catch {
    // Keep the unresolved path, as weakly_canonical does for missing parts.
  }
  const dir = path.dirname(resolved);
  const fallbackOsSearch = !wrapperArgv0.includes('/');
  const out: ExecCandidate[] = [];
  if (path.basename(dir) === 'bin') out.push({ path: path.join(path.dirname(dir), 'libexec', exeName), allowNotFound: true });
  out.push({ path: path.join(dir, exeName), allowNotFound: fallbackOsSearch });
  if (fallbackOsSearch) out.push({ path: exeName, allowNotFound: false });
  return out;
}

/** Why execve would fail for this file, as an errno code, or undefined when it would run. */
function execError(file: string): string | undefined {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return 'EACCES';
    fs.accessSync(file, fs.constants.X_OK);
    return undefined;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? 'ENOENT';
  }
}

/** Picks the file to exec, or throws Core's `execvp failed to execute '<p>': <reason>`. */
export function resolveExec(candidates: readonly ExecCandidate[], env: LookupEnv): string {
  for (const c of candidates) {
    const file = c.path.includes('/') ? c.path : searchPath(c.path, env);
    const code = file === undefined ? 'ENOENT' : execError(file);
    if (code === undefined) return file!;
    if (c.allowNotFound && code === 'ENOENT') continue;
    throw new WrapperError(`execvp failed to execute '${c.path}': ${ERRNO_TEXT[code] ?? code}`);
  }
  throw new WrapperError('execvp returned unexpectedly');
}
