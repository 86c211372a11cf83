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
  const n = Number.parseInt(value, 10);
  return Number.isFinite(n) && n !== 0;
}
