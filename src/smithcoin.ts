// Entry point of the `smithcoin` command. It prints help, version and errors itself; to run a
// program it tells the launcher (native/launcher) on fd 3, which then execs it in place.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLIENT_NAME, formatFullVersion, licenseInfo } from './clientversion.js';
import { execCandidates, resolveExec } from './common/exec_lookup.js';
import {
  HELP_EXTRA, helpShort, helpUsage, parseWrapperCommandLine, targetArgv, useMultiprocess,
} from './common/wrapper.js';

const PLAN_FD = 3;

function decide(argv0: string, args: string[]): { exit: number } | { exec: string[] } {
  try {
    const cmd = parseWrapperCommandLine(args);
    if (cmd.showVersion) {
      process.stdout.write(`${CLIENT_NAME} version ${formatFullVersion()}\n${licenseInfo()}`);
      return { exit: 0 };
    }
    const exeName = path.basename(argv0);
    if (cmd.showHelp) {
      process.stdout.write(helpUsage(exeName) + HELP_EXTRA);
      return { exit: 0 };
    }
    if (cmd.command === '') {
      process.stdout.write(helpUsage(exeName) + helpShort(exeName));
      return { exit: 1 };
    }
    const detect = { home: os.homedir(), cwd: process.cwd(), warn: (m: string) => process.stderr.write(m + '\n') };
    const argv = targetArgv(cmd, () => useMultiprocess(cmd, detect));
    const lookup = { pathVar: process.env.PATH ?? '', cwd: process.cwd() };
    const file = resolveExec(execCandidates(argv[0]!, argv0, lookup), lookup);
    return { exec: [file, file, ...argv.slice(1)] };
  } catch (err) {
    process.stderr.write(`Error: ${(err as Error).message}\nTry '${argv0} --help' for more information.\n`);
    return { exit: 1 };
  }
}

const argv0 = process.env.SMITHCOIN_WRAPPER_ARGV0 ?? process.argv[1] ?? 'smithcoin';
const decision = decide(argv0, process.argv.slice(2));
const plan = 'exec' in decision ? ['exec', ...decision.exec] : ['exit', String(decision.exit)];
try {
  fs.writeSync(PLAN_FD, plan.map((f) => f + '\0').join(''));
} catch {
  // Run without the launcher (no fd 3): there is nobody to exec for us, so report the plan's status.
}
process.exitCode = 'exit' in decision ? decision.exit : 0;
