// Shared main() for programs whose component has not landed yet: they answer -version and -help,
// and for anything else fail at once with a clear message and exit status 1, never pretending to run.
import { CLIENT_NAME, formatFullVersion, licenseInfo } from '../clientversion.js';

export interface ProgramInfo {
  /** Executable name, e.g. smithcoind. */
  exeName: string;
  /** The version banner's middle part, e.g. "daemon" in "Smithcoin Core daemon version …". */
  kind: string;
  /** One line saying what the program is for. */
  purpose: string;
  /** What it still needs before it can run. */
  missing: string;
}

export function runUnavailableProgram(info: ProgramInfo, args: readonly string[]): number {
  const wants = (...names: string[]) => args.some((a) => names.includes(a.replace(/^--?/, '-').split('=')[0]!));
  if (wants('-version')) {
    process.stdout.write(`${CLIENT_NAME} ${info.kind} version ${formatFullVersion()} ${info.exeName}\n${licenseInfo()}`);
    return 0;
  }
  if (wants('-h', '-help', '-?')) {
    process.stdout.write(`${CLIENT_NAME} ${info.kind} version ${formatFullVersion()} ${info.exeName}\n\n${info.purpose}\n\n` +
      `Usage:  ${info.exeName} [options]\n\nThis build of ${info.exeName} cannot run yet: ${info.missing}\n`);
    return 0;
  }
  process.stderr.write(`Error: ${info.exeName} cannot run in this build: ${info.missing}\n`);
  return 1;
}
