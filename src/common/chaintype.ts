// Chain names and the command-line/config rules that select one (Core's GetChainTypeString).

export const CHAIN_NAMES = ['main', 'test', 'testnet4', 'signet', 'regtest'] as const;
export type ChainName = (typeof CHAIN_NAMES)[number];

export class ChainSelectionError extends Error {
  override name = 'ChainSelectionError';
}

/** Options that each select a chain when set to true, and the chain they select. */
const CHAIN_FLAGS: ReadonlyArray<[string, ChainName]> = [
  ['regtest', 'regtest'],
  ['signet', 'signet'],
  ['testnet', 'test'],
  ['testnet4', 'testnet4'],
];

/**
 * Picks the chain from boolean flags and -chain. `lookup(name)` returns the effective value of an
 * option (command line first, then the config file's top section) or undefined.
 */
export function selectChain(lookup: (name: string) => string | undefined): string {
  const isTrue = (v: string | undefined) => v !== undefined && interpretBool(v);
  const chosen: string[] = [];
  for (const [flag, chain] of CHAIN_FLAGS) {
    if (isTrue(lookup(flag))) chosen.push(chain);
  }
  const chainArg = lookup('chain');
  if (chainArg !== undefined && chainArg !== '0') chosen.push(chainArg);
  if (chosen.length > 1) {
    throw new ChainSelectionError('Invalid combination of -regtest, -signet, -testnet, -testnet4 and -chain. Can use at most one.');
  }
  return chosen[0] ?? 'main';
}

/** Core's InterpretBool: an empty value means true, otherwise the leading integer decides. */
export function interpretBool(value: string): boolean {
  if (value === '') return true;
  return localeIndependentAtoi(value, 32) !== 0n;
}

/**
 * Core's LocaleIndependentAtoi for a signed `bits`-wide integer: trims whitespace, accepts one leading
 * '+', reads the leading digits (nothing readable gives 0) and saturates out-of-range values.
 */
export function localeIndependentAtoi(value: string, bits: 32 | 64): bigint {
  let s = value.replace(/^[ \f\n\r\t\v]+|[ \f\n\r\t\v]+$/g, '');
  if (s.startsWith('+')) {
    if (s.startsWith('+-')) return 0n;
    s = s.slice(1);
  }
  const m = /^-?[0-9]+/.exec(s);
  if (!m) return 0n;
  const n = BigInt(m[0]);
  const max = (1n << BigInt(bits - 1)) - 1n;
  const min = -(1n << BigInt(bits - 1));
  return n > max ? max : n < min ? min : n;
}

export function isChainName(name: string): name is ChainName {
  return (CHAIN_NAMES as readonly string[]).includes(name);
}

/** The chain's subdirectory of the data directory (Core's CBaseChainParams::DataDir()). */
export function chainDataDir(chain: ChainName): string {
  const dirs: Record<ChainName, string> = { main: '', test: 'testnet3', testnet4: 'testnet4', signet: 'signet', regtest: 'regtest' };
  return dirs[chain];
}
