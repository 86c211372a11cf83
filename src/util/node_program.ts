// How this process runs another of the project's programs (a -daemon child, smithcoin-node's spawned processes)
// with the same Node.js, the same Node options and, when src/boot.js started this one, the same module loader.

/** globalThis key under which src/boot.js leaves its own path. A registered symbol: boot.js and the program's
 * modules are loaded by different loaders, so they share no module instance, only the global object. */
export const BOOT_SCRIPT_KEY = Symbol.for('smithcoin.bootScript');

/** Node's arguments for running `script` with `args`: process.execPath is the command. */
export function nodeProgramArgs(script: string, args: readonly string[] = []): string[] {
  const boot = (globalThis as Record<symbol, unknown>)[BOOT_SCRIPT_KEY];
  const loader = typeof boot === 'string' ? [boot] : [];
  return [...process.execArgv, ...loader, script, ...args];
}
