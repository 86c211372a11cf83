// The block filter types and their names, apart from the filters themselves: the RPC and REST argument checks need
// only these, and loading the filter code (Golomb-Rice coding, SipHash) at start-up would cost time for nothing.

/** BlockFilterType: only BASIC (0) is defined. */
export enum BlockFilterType {
  BASIC = 0,
}

/** BlockFilterTypeName. */
export function blockFilterTypeName(t: BlockFilterType): string {
  return t === BlockFilterType.BASIC ? 'basic' : '';
}
