// Writing the console's lines (log lines with -printtoconsole, help and version texts) to standard output.
import fs from 'node:fs';
import tty from 'node:tty';

/**
 * Whether a descriptor is what Node's standard streams treat as a file (libuv's UV_FILE: a regular file, or a
 * character device that is not a terminal, such as /dev/null). Node writes those with a synchronous write per
 * chunk, so writing them directly is the same write without the stream machinery in front of it.
 */
export function isSyncFileDescriptor(fd: number): boolean {
  try {
    const st = fs.fstatSync(fd);
    return st.isFile() || (st.isCharacterDevice() && !tty.isatty(fd));
  } catch {
    return false;
  }
}

/**
 * A writer for standard output: a plain synchronous write when stdout is a file (a node started by a test
 * harness, or with its output discarded), and process.stdout (terminal, pipe) otherwise. Decided on the first line.
 */
export function stdoutWriter(): (text: string) => void {
  let write: ((text: string) => void) | undefined;
  return (text) => {
    write ??= isSyncFileDescriptor(1) ? (t) => { fs.writeSync(1, t); } : (t) => { process.stdout.write(t); };
    write(text);
  };
}
