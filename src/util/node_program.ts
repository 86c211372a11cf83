// How this process runs another of the project's programs (a -daemon child, smithcoin-node's spawned processes)
// with the same Node.js, the same Node options and, when src/boot.js started this one, the same module loader.

/** globalThis key under which src/boot.js leaves its own path. A registered symbol: boot.js and the program's
 * modules are loaded by different loaders, so they share no module instance, only the global object. */
export const BOOT_SCRIPT_KEY = Symbol.for('smithcoin.bootScript');

/**
 * Where the launchers keep NODE_EXTRA_CA_CERTS while Node starts (native/launcher/launcher.c): Node 20 reads the
 * whole CA bundle at start-up when it is set, and these programs make no TLS connection.
 */
export const SAVED_EXTRA_CA_CERTS_ENV = 'SMITHCOIN_NODE_EXTRA_CA_CERTS';
const EXTRA_CA_CERTS_ENV = 'NODE_EXTRA_CA_CERTS';

/** Puts back the NODE_EXTRA_CA_CERTS the launcher kept from Node, for the commands the program runs. */
export function restoreExtraCaCerts(env: NodeJS.ProcessEnv = process.env): void {
  const saved = env[SAVED_EXTRA_CA_CERTS_ENV];
  if (saved === undefined) return;
  env[EXTRA_CA_CERTS_ENV] = saved;
  delete env[SAVED_EXTRA_CA_CERTS_ENV];
}

/** The environment for another of the project's programs: as the launchers start Node, without the CA bundle. */
export function nodeProgramEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out = { ...env };
  const certs = out[EXTRA_CA_CERTS_ENV];
  if (certs !== undefined) {
    out[SAVED_EXTRA_CA_CERTS_ENV] = certs;
    delete out[EXTRA_CA_CERTS_ENV];
  }
  return out;
}

/** Node's arguments for running `script` with `args`: process.execPath is the command. */
export function nodeProgramArgs(script: string, args: readonly string[] = []): string[] {
  const boot = (globalThis as Record<symbol, unknown>)[BOOT_SCRIPT_KEY];
  const loader = typeof boot === 'string' ? [boot] : [];
  return [...process.execArgv, ...loader, script, ...args];
}
