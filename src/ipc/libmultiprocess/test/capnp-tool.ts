// The C++ `capnp` tool and Cap'n Proto's schema directory, exactly as the build found them: ctest passes
// CAPNP_EXECUTABLE and CAPNP_INCLUDE_DIR. The wire-compatibility checks need both, so when either is missing
// they fail with the reason; they never fall back to whatever `capnp` is on PATH, and they never skip.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

function fromEnv(name: string, what: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: it names ${what} (ctest sets it from the CMake cache)`);
  return value;
}

/** The capnp executable CMake found (CAPNP_EXECUTABLE). */
export function capnpExecutable(): string {
  const exe = fromEnv('CAPNP_EXECUTABLE', 'the capnp executable');
  if (!fs.existsSync(exe)) throw new Error(`CAPNP_EXECUTABLE: "${exe}" does not exist`);
  return exe;
}

/** The include directory holding Cap'n Proto's own schemas (capnp/rpc.capnp, capnp/c++.capnp). */
export function capnpIncludeDir(): string {
  const dir = fromEnv('CAPNP_INCLUDE_DIR', "the Cap'n Proto include directory");
  const rpc = path.join(dir, 'capnp', 'rpc.capnp');
  if (!fs.existsSync(rpc)) throw new Error(`CAPNP_INCLUDE_DIR: "${rpc}" does not exist`);
  return dir;
}

/** Cap'n Proto's rpc.capnp from the include directory CMake found. */
export function rpcSchemaPath(): string {
  return path.join(capnpIncludeDir(), 'capnp', 'rpc.capnp');
}

/** Runs `capnp <command> -I <include dir> <args...>` on `input` and returns its standard output. */
export function runCapnp(command: 'decode' | 'encode', args: string[], input: Uint8Array | string): Buffer {
  return execFileSync(capnpExecutable(), [command, '-I', capnpIncludeDir(), ...args], { input });
}
