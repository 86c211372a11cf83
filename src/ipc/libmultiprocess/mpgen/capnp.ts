// Runs `capnp compile -o-` and returns the CodeGeneratorRequest bytes it writes to stdout.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

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
