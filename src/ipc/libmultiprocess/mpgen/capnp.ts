// Runs `capnp compile -o-` and returns the CodeGeneratorRequest bytes it writes to stdout.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SchemaError } from './schema.js';

export interface CompileOptions {
  capnp: string;
  srcPrefix: string;
  importPaths: string[];
  file: string;
}

/** Import dirs that hold capnp's own schemas (/capnp/c++.capnp), next to the compiler binary. */
export function capnpIncludeDirs(capnp: string): string[] {
  const resolved = capnp.includes('/') ? capnp : findOnPath(capnp);
  if (!resolved) return [];
  const dir = path.join(path.dirname(fs.realpathSync(resolved)), '..', 'include');
  return fs.existsSync(path.join(dir, 'capnp', 'c++.capnp')) ? [dir] : [];
}

function findOnPath(exe: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
    const p = path.join(dir, exe);
    if (dir && fs.existsSync(p)) return p;
  }
  return undefined;
}

export function compileSchema(opts: CompileOptions): Uint8Array {
  const args = ['compile', '-o-', `--src-prefix=${opts.srcPrefix}`];
  for (const dir of opts.importPaths) args.push(`--import-path=${dir}`);
  args.push(opts.file);
  const res = spawnSync(opts.capnp, args, { maxBuffer: 256 * 1024 * 1024 });
  if (res.error) throw new Error(`mpgen: could not run ${opts.capnp}: ${res.error.message}`);
  // capnp warns about PWD mismatches on stderr; pass everything through so errors keep their file:line.
  if (res.stderr.length > 0) process.stderr.write(res.stderr);
  if (res.status !== 0) throw new Error(`mpgen: ${opts.capnp} compile failed for ${opts.file} (exit ${res.status ?? 'signal'})`);
  return new Uint8Array(res.stdout.buffer, res.stdout.byteOffset, res.stdout.byteLength);
}

/**
 * Maps the display name of a schema file in the compiler output to its path relative to `srcPrefix`, which is
 * where its generated module goes. capnp names the requested file (and what it imports by relative path) relative
 * to --src-prefix, and a file found through an import dir relative to that dir (`/init.capnp` -> `init.capnp`).
 */
export function modulePathResolver(srcPrefix: string, importPaths: readonly string[]): (displayName: string) => string {
  return (displayName) => {
    if (fs.existsSync(path.join(srcPrefix, displayName))) return displayName;
    for (const dir of importPaths) {
      const file = path.join(dir, displayName);
      if (!fs.existsSync(file)) continue;
      const rel = path.relative(srcPrefix, file);
      if (rel.startsWith('..') || path.isAbsolute(rel)) {
        throw new SchemaError(`mpgen: ${file} is not under SRC_PREFIX ${srcPrefix}, so the module generated from it has no path relative to this one`);
      }
      return rel.split(path.sep).join('/');
    }
    throw new SchemaError(`mpgen: cannot find ${displayName} under SRC_PREFIX ${srcPrefix} or the import path`);
  };
}
