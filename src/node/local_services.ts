// The service bits this node offers peers (Core's g_local_services, set by init from the options), and their names.
import type { ArgsManager } from '../common/args.js';

/** Core's ServiceFlags. */
export const NODE_NETWORK = 1n << 0n;
export const NODE_BLOOM = 1n << 2n;
export const NODE_WITNESS = 1n << 3n;
export const NODE_COMPACT_FILTERS = 1n << 6n;
export const NODE_NETWORK_LIMITED = 1n << 10n;
export const NODE_P2P_V2 = 1n << 11n;

const NAMES = new Map<bigint, string>([
  [NODE_NETWORK, 'NETWORK'], [NODE_BLOOM, 'BLOOM'], [NODE_WITNESS, 'WITNESS'],
  [NODE_COMPACT_FILTERS, 'COMPACT_FILTERS'], [NODE_NETWORK_LIMITED, 'NETWORK_LIMITED'], [NODE_P2P_V2, 'P2P_V2'],
]);

/** What init advertises: witness and the last 288 blocks always, all blocks unless pruned, then the opted-in extras. */
export function localServices(args: ArgsManager): bigint {
  let flags = NODE_NETWORK_LIMITED | NODE_WITNESS;
  if (args.getBoolArg('-v2transport', true)) flags |= NODE_P2P_V2;
  if (args.getBoolArg('-peerblockfilters', false)) flags |= NODE_COMPACT_FILTERS;
  if (args.getBoolArg('-peerbloomfilters', false)) flags |= NODE_BLOOM;
  if (args.getIntArg('-prune', 0n) === 0n) flags |= NODE_NETWORK;
  return flags;
}

/** Core's serviceFlagsToStr: one name per set bit, lowest first; unknown bits as "UNKNOWN[2^<bit>]". */
export function serviceFlagNames(flags: bigint): string[] {
  const names: string[] = [];
  for (let bit = 0n; bit < 64n; bit++) {
    const flag = 1n << bit;
    if (flags & flag) names.push(NAMES.get(flag) ?? `UNKNOWN[2^${bit}]`);
  }
  return names;
}

/** Core's "%016x" of the flags. */
export function serviceFlagsHex(flags: bigint): string {
  return flags.toString(16).padStart(16, '0');
}
