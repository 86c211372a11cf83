// getblockchaininfo, getchaintips, getchaintxstats and pruneblockchain: chain-wide facts with Core's field
// sets, orders and errors.
import { MAX_FUTURE_BLOCK_TIME } from '../consensus/consensus.js';
import { uint256Hex } from '../consensus/pow.js';
import type { ChainParams } from '../kernel/chainparams.js';
import type { BlockIndex, Chain } from '../node/chain.js';
import type { ChainstateManagerApi } from '../node/chainstate_api.js';
import type { NodeContext } from '../node/context.js';
import { BlockStatus } from '../node/disk_block_index.js';
import { bytesToHex } from '../util/hex.js';
import { LogFlags } from '../util/logging_categories.js';
import { getInt, isNull, parseHashV } from './blockchain_args.js';
import { activeTip, ensureChainman, lookupBlockOrThrow } from './blockchain_context.js';
import { getDifficulty, getTargetHex, hex32 } from './blockchain_json.js';
import { RPCError, RPCErrorCode } from './protocol.js';
import type { JSONObject, JSONValue } from './request.js';

/** Blocks a pruning node always keeps below the tip (Core's MIN_BLOCKS_TO_KEEP). */
export const MIN_BLOCKS_TO_KEEP = 288;
/** Slack for block timestamps when a time is given instead of a height (Core's TIMESTAMP_WINDOW). */
export const TIMESTAMP_WINDOW = MAX_FUTURE_BLOCK_TIME;

/**
 * GuessVerificationProgress: the share of all transactions up to `index`, extrapolating the chain's
 * ChainTxData to now; near the best header it counts blocks instead of trusting timestamps.
 */
export function guessVerificationProgress(params: ChainParams, index: BlockIndex | undefined, bestHeader: BlockIndex | undefined,
  now: number): number {
  if (index === undefined || index.chainTx === 0) return 0;
  const data = params.chainTxData;
  const recent = bestHeader !== undefined && Math.abs(now - index.time) <= 2 * 60 * 60 && bestHeader.height >= index.height;
  const blockTime = recent ? now - (bestHeader.height - index.height) * params.consensus.powTargetSpacing : index.time;
  const total = index.chainTx <= data.txCount
    ? data.txCount + (now - data.time) * data.txRate
    : index.chainTx + (now - blockTime) * data.txRate;
  return Math.min(index.chainTx / total, 1);
}

/** GetPruneHeight: the highest pruned height of the active chain, or undefined when nothing is pruned. */
export function getPruneHeight(chain: Chain): number | undefined {
  const first = chain.at(1);
  const tip = chain.tip();
  if (first === undefined || tip === undefined) return undefined;
  const have = (i: BlockIndex): boolean => (i.status & BlockStatus.BLOCK_HAVE_MASK) === BlockStatus.BLOCK_HAVE_MASK;
  if (!have(tip)) return tip.height;
  let walk = tip;
  while (walk !== first && walk.prev !== undefined && have(walk.prev)) walk = walk.prev;
  return walk === first ? undefined : walk.prev!.height;
}

/** The node's warnings (Core's node::Warnings); none is an empty list. */
export interface WarningsSource {
  messages(): string[];
}

export function getblockchaininfo(ctx: NodeContext & { warnings?: WarningsSource }): JSONValue {
  const chainman = ensureChainman(ctx);
  const tip = activeTip(chainman);
  const params = chainman.params;
  const best = chainman.bestHeader();
  const out: JSONObject = {
    chain: params.chainType,
    blocks: tip.height,
    headers: best?.height ?? -1,
    bestblockhash: tip.hashHex,
    bits: hex32(tip.bits),
    target: getTargetHex(tip, params.consensus.powLimit),
    difficulty: getDifficulty(tip.bits),
    time: tip.time,
    mediantime: tip.getMedianTimePast(),
    verificationprogress: guessVerificationProgress(params, tip, best, ctx.clock.now()),
    initialblockdownload: chainman.isInitialBlockDownload(),
    chainwork: uint256Hex(tip.chainWork),
    size_on_disk: chainman.calculateCurrentUsage(),
    pruned: chainman.pruneMode,
  };
  if (chainman.pruneMode) {
    const pruneHeight = getPruneHeight(chainman.chain);
    out.pruneheight = pruneHeight === undefined ? 0 : pruneHeight + 1;
    const target = chainman.pruneTarget();
    out.automatic_pruning = target !== undefined;
    if (target !== undefined) out.prune_target_size = target;
  }
  if (params.chainType === 'signet') out.signet_challenge = bytesToHex(params.consensus.signetChallenge);
  out.warnings = ctx.warnings?.messages() ?? [];
  return out;
}

/** getchaintips' status of one tip, in Core's order of checks. */
function tipStatus(chain: Chain, block: BlockIndex): string {
  if (chain.contains(block)) return 'active';
  if ((block.status & BlockStatus.BLOCK_FAILED_VALID) !== 0) return 'invalid';
  if (block.chainTx === 0) return 'headers-only';
  if (block.isValid(BlockStatus.BLOCK_VALID_SCRIPTS)) return 'valid-fork';
  if (block.isValid(BlockStatus.BLOCK_VALID_TREE)) return 'valid-headers';
  return 'unknown';
}

/** The active tip plus every block off the active chain that no other such block builds on, highest first. */
export function getchaintips(ctx: NodeContext): JSONValue {
  const chainman = ensureChainman(ctx);
  const chain = chainman.chain;
  const orphans: BlockIndex[] = [];
  const prevs = new Set<BlockIndex | undefined>();
  for (const index of chainman.blockIndex.values()) {
    if (chain.contains(index)) continue;
    orphans.push(index);
    prevs.add(index.prev);
  }
  const tips = orphans.filter((o) => !prevs.has(o));
  tips.push(activeTip(chainman));
  // Core orders by height, then by the entries' addresses; the hash stands in for the address.
  tips.sort((a, b) => b.height - a.height || (a.hashHex < b.hashHex ? -1 : 1));
  return tips.map((block) => ({
    height: block.height,
    hash: block.hashHex,
    branchlen: block.height - chain.findFork(block)!.height,
    status: tipStatus(chain, block),
  }));
}

export function getchaintxstats(ctx: NodeContext, params: JSONValue[]): JSONValue {
  const chainman = ensureChainman(ctx);
  let index: BlockIndex;
  if (isNull(params[1])) {
    index = activeTip(chainman);
  } else {
    index = lookupBlockOrThrow(chainman, parseHashV(params[1], 'blockhash'));
    if (!chainman.chain.contains(index)) throw new RPCError(RPCErrorCode.RPC_INVALID_PARAMETER, 'Block is not in main chain');
  }
  let blockcount = Math.trunc(30 * 24 * 60 * 60 / chainman.params.consensus.powTargetSpacing);
  if (isNull(params[0])) {
    blockcount = Math.max(0, Math.min(blockcount, index.height - 1));
  } else {
    blockcount = getInt(params[0]);
    if (blockcount < 0 || (blockcount > 0 && blockcount >= index.height)) {
      throw new RPCError(RPCErrorCode.RPC_INVALID_PARAMETER, "Invalid block count: should be between 0 and the block's height - 1");
    }
  }
  const past = index.getAncestor(index.height - blockcount)!;
  const timeDiff = index.getMedianTimePast() - past.getMedianTimePast();
  const out: JSONObject = { time: index.time };
  if (index.chainTx !== 0) out.txcount = index.chainTx;
  out.window_final_block_hash = index.hashHex;
  out.window_final_block_height = index.height;
  out.window_block_count = blockcount;
  if (blockcount > 0) {
    out.window_interval = timeDiff;
    if (index.chainTx !== 0 && past.chainTx !== 0) {
      const windowTxCount = index.chainTx - past.chainTx;
      out.window_tx_count = windowTxCount;
      if (timeDiff > 0) out.txrate = windowTxCount / timeDiff;
    }
  }
  return out;
}

export function pruneblockchain(ctx: NodeContext, params: JSONValue[]): JSONValue {
  const chainman = ensureChainman(ctx);
  if (!chainman.pruneMode) throw new RPCError(RPCErrorCode.RPC_MISC_ERROR, 'Cannot prune blocks because node is not in prune mode.');
  let height = getInt(params[0]);
  if (height < 0) throw new RPCError(RPCErrorCode.RPC_INVALID_PARAMETER, 'Negative block height.');
  // Above a billion the value is a block time, not a height.
  if (height > 1_000_000_000) {
    const index = chainman.chain.findEarliestAtLeast(height - TIMESTAMP_WINDOW, 0);
    if (index === undefined) throw new RPCError(RPCErrorCode.RPC_INVALID_PARAMETER, 'Could not find block with at least the specified timestamp.');
    height = index.height;
  }
  const chainHeight = chainman.chain.height();
  if (chainHeight < chainman.params.pruneAfterHeight) {
    throw new RPCError(RPCErrorCode.RPC_MISC_ERROR, 'Blockchain is too short for pruning.');
  } else if (height > chainHeight) {
    throw new RPCError(RPCErrorCode.RPC_INVALID_PARAMETER, 'Blockchain is shorter than the attempted prune height.');
  } else if (height > chainHeight - MIN_BLOCKS_TO_KEEP) {
    ctx.logger.debug(LogFlags.RPC, 'Attempt to prune blocks close to the tip.  Retaining the minimum number of blocks.');
    height = chainHeight - MIN_BLOCKS_TO_KEEP;
  }
  return chainman.pruneBlockchain(height);
}
