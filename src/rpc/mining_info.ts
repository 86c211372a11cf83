// getmininginfo, getnetworkhashps, prioritisetransaction and getprioritisedtransactions (Core's rpc/mining.cpp).
import { deriveTarget, getNextWorkRequired, uint256Hex } from '../consensus/pow.js';
import { difficultyAdjustmentInterval } from '../consensus/params.js';
import { valueFromAmount } from '../core_io.js';
import type { Chain } from '../node/chain.js';
import type { NodeContext } from '../node/context.js';
import { updateTime } from '../node/miner.js';
import { EMPTY_MEMPOOL } from '../node/miner_mempool.js';
import { flattenMiningOptions } from '../node/miner_options.js';
import type { MiningService } from '../node/miner_service.js';
import { BlockHeader } from '../primitives/block.js';
import { bytesToHex } from '../util/hex.js';
import { activeTip, ensureChainman, ensureMemPool } from './blockchain_context.js';
import { getDifficulty, hex32 } from './blockchain_json.js';
import type { WarningsSource } from './blockchain_info.js';
import { RPCError, RPCErrorCode } from './protocol.js';
import type { JSONObject, JSONValue } from './request.js';
import { getInt, helpExampleCli, helpExampleRpc, Optional, parseHashV, RPCHelpMan, type RPCResult } from './util.js';

/** Core's GetNetworkHashPS: work over time across the last `lookup` blocks (-1: since the last retarget) at `height`. */
export function getNetworkHashPS(lookup: number, height: number, chain: Chain, retargetInterval: number): number {
  if (lookup < -1 || lookup === 0) throw new RPCError(RPCErrorCode.RPC_INVALID_PARAMETER, 'Invalid nblocks. Must be a positive number or -1.');
  if (height < -1 || height > chain.height()) throw new RPCError(RPCErrorCode.RPC_INVALID_PARAMETER, 'Block does not exist at specified height');
  const pb = height >= 0 ? chain.at(height) : chain.tip();
  if (!pb || pb.height === 0) return 0;
  let n = lookup === -1 ? (pb.height % retargetInterval) + 1 : lookup;
  n = Math.min(n, pb.height);
  let pb0 = pb;
  let minTime = pb.time;
  let maxTime = minTime;
  for (let i = 0; i < n; i++) {
    pb0 = pb0.prev!;
    minTime = Math.min(pb0.time, minTime);
    maxTime = Math.max(pb0.time, maxTime);
  }
  // Equal times would divide by zero.
  if (minTime === maxTime) return 0;
  return Number(pb.chainWork - pb0.chainWork) / (maxTime - minTime);
}

function targetHex(bits: number, powLimit: bigint): string {
  const target = deriveTarget(bits, powLimit);
  if (target === undefined) throw new RPCError(RPCErrorCode.RPC_MISC_ERROR, 'Internal bug detected: DeriveTarget(blockindex.nBits, pow_limit)');
  return uint256Hex(target);
}

export function getnetworkhashps(): RPCHelpMan {
  return new RPCHelpMan({
    name: 'getnetworkhashps',
    description: 'Returns the estimated network hashes per second based on the last n blocks.\n'
      + 'Pass in [blocks] to override # of blocks, -1 specifies since last difficulty change.\n'
      + 'Pass in [height] to estimate the network speed at the time when a certain block was found.\n',
    args: [
      { names: 'nblocks', type: 'NUM', fallback: { default: 120 }, description: 'The number of previous blocks to calculate estimate from, or -1 for blocks since last difficulty change.' },
      { names: 'height', type: 'NUM', fallback: { default: -1 }, description: 'To estimate at the time of the given height.' },
    ],
    results: { type: 'NUM', description: 'Hashes per second estimated' },
    examples: helpExampleCli('getnetworkhashps', '') + helpExampleRpc('getnetworkhashps', ''),
    handler: (_req, ctx, args) => {
      const chainman = ensureChainman(ctx);
      return getNetworkHashPS(args.int('nblocks'), args.int('height'), chainman.chain, difficultyAdjustmentInterval(chainman.params.consensus));
    },
  });
}

const MININGINFO_RESULT: RPCResult = {
  type: 'OBJ', description: '', inner: [
    { type: 'NUM', key: 'blocks', description: 'The current block' },
    { type: 'NUM', key: 'currentblockweight', optional: true, description: 'The block weight (including reserved weight for block header, txs count and coinbase tx) of the last assembled block (only present if a block was ever assembled)' },
    { type: 'NUM', key: 'currentblocktx', optional: true, description: 'The number of block transactions (excluding coinbase) of the last assembled block (only present if a block was ever assembled)' },
    { type: 'STR_HEX', key: 'bits', description: 'The current nBits, compact representation of the block difficulty target' },
    { type: 'NUM', key: 'difficulty', description: 'The current difficulty' },
    { type: 'STR_HEX', key: 'target', description: 'The current target' },
    { type: 'NUM', key: 'networkhashps', description: 'The network hashes per second' },
    { type: 'NUM', key: 'pooledtx', description: 'The size of the mempool' },
    { type: 'STR_AMOUNT', key: 'blockmintxfee', description: 'Minimum feerate of packages selected for block inclusion in BTC/kvB' },
    { type: 'STR', key: 'chain', description: 'current network name (main, test, testnet4, signet, regtest)' },
    { type: 'STR_HEX', key: 'signet_challenge', optional: true, description: 'The block challenge (aka. block script), in hexadecimal (only present if the current network is a signet)' },
    {
      type: 'OBJ', key: 'next', description: 'The next block', inner: [
        { type: 'NUM', key: 'height', description: 'The next height' },
        { type: 'STR_HEX', key: 'bits', description: 'The next target nBits' },
        { type: 'NUM', key: 'difficulty', description: 'The next difficulty' },
        { type: 'STR_HEX', key: 'target', description: 'The next target' },
      ],
    },
    {
      type: 'ARR', key: 'warnings', description: 'any network and blockchain warnings (run with `-deprecatedrpc=warnings` to return the latest warning as a single string)',
      inner: [{ type: 'STR', description: 'warning' }],
    },
  ],
};

export function getmininginfo(miner: MiningService): RPCHelpMan {
  return new RPCHelpMan({
    name: 'getmininginfo',
    description: 'Returns a json object containing mining-related information.',
    args: [],
    results: MININGINFO_RESULT,
    examples: helpExampleCli('getmininginfo', '') + helpExampleRpc('getmininginfo', ''),
    handler: (_req, ctx: NodeContext & { warnings?: WarningsSource }) => {
      const chainman = ensureChainman(ctx);
      const tip = activeTip(chainman);
      const params = chainman.params.consensus;
      const out: JSONObject = { blocks: tip.height };
      if (miner.lastBlock.weight !== undefined) out.currentblockweight = miner.lastBlock.weight;
      if (miner.lastBlock.numTxs !== undefined) out.currentblocktx = miner.lastBlock.numTxs;
      out.bits = hex32(tip.bits);
      out.difficulty = getDifficulty(tip.bits);
      out.target = targetHex(tip.bits, params.powLimit);
      out.networkhashps = getNetworkHashPS(120, -1, chainman.chain, difficultyAdjustmentInterval(params));
      out.pooledtx = (miner.mempool ?? EMPTY_MEMPOOL).size();
      out.blockmintxfee = valueFromAmount(flattenMiningOptions(miner.nodeOptions).blockMinFeeRate);
      out.chain = chainman.params.chainType;
      // Core's NextEmptyBlockIndex: the header a template built now would get.
      const { header } = updateTime(new BlockHeader({ hashPrevBlock: tip.hash }), params, tip, ctx.clock.now());
      const nextBits = getNextWorkRequired(tip, header.time, params);
      out.next = { height: tip.height + 1, bits: hex32(nextBits), difficulty: getDifficulty(nextBits), target: targetHex(nextBits, params.powLimit) };
      if (chainman.params.chainType === 'signet') out.signet_challenge = bytesToHex(params.signetChallenge);
      out.warnings = ctx.warnings?.messages() ?? [];
      return out;
    },
  });
}

export function prioritisetransaction(miner: MiningService): RPCHelpMan {
  return new RPCHelpMan({
    name: 'prioritisetransaction',
    description: 'Accepts the transaction into mined blocks at a higher (or lower) priority\n',
    args: [
      { names: 'txid', type: 'STR_HEX', fallback: Optional.NO, description: 'The transaction id.' },
      {
        names: 'dummy', type: 'NUM', fallback: Optional.OMITTED, description: 'API-Compatibility for previous API. Must be zero or null.\n'
          + '                  DEPRECATED. For forward compatibility use named arguments and omit this parameter.',
      },
      {
        names: 'fee_delta', type: 'NUM', fallback: Optional.NO, description: 'The fee value (in satoshis) to add (or subtract, if negative).\n'
          + '                  Note, that this value is not a fee rate. It is a value to modify absolute fee of the TX.\n'
          + '                  The fee is not actually paid, only the algorithm for selecting transactions into a block\n'
          + '                  considers the transaction as it would have paid a higher (or lower) fee.',
      },
    ],
    results: { type: 'BOOL', description: 'Returns true' },
    examples: helpExampleCli('prioritisetransaction', '"txid" 0.0 10000') + helpExampleRpc('prioritisetransaction', '"txid", 0.0, 10000'),
    handler: (req, _ctx, args) => {
      const txid = parseHashV(req.params[0], 'txid');
      const dummy = args.maybeReal('dummy');
      const delta = BigInt(getInt(req.params[2], 'int64'));
      if (dummy !== undefined && dummy !== 0) {
        throw new RPCError(RPCErrorCode.RPC_INVALID_PARAMETER, 'Priority is no longer supported, dummy argument to prioritisetransaction must be 0.');
      }
      const mempool = miner.mempool ?? ensureMemPool();
      mempool.prioritiseTransaction(txid, delta);
      return true;
    },
  });
}

export function getprioritisedtransactions(miner: MiningService): RPCHelpMan {
  return new RPCHelpMan({
    name: 'getprioritisedtransactions',
    description: 'Returns a map of all user-created (see prioritisetransaction) fee deltas by txid, and whether the tx is present in mempool.',
    args: [],
    results: {
      type: 'OBJ_DYN', description: 'prioritisation keyed by txid', inner: [{
        type: 'OBJ', key: '<transactionid>', description: '', inner: [
          { type: 'NUM', key: 'fee_delta', description: 'transaction fee delta in satoshis' },
          { type: 'BOOL', key: 'in_mempool', description: 'whether this transaction is currently in mempool' },
          { type: 'NUM', key: 'modified_fee', optional: true, description: 'modified fee in satoshis. Only returned if in_mempool=true' },
        ],
      }],
    },
    examples: helpExampleCli('getprioritisedtransactions', '') + helpExampleRpc('getprioritisedtransactions', ''),
    handler: () => {
      const mempool = miner.mempool ?? ensureMemPool();
      const out: JSONObject = {};
      for (const d of mempool.getPrioritisedTransactions()) {
        const inner: Record<string, JSONValue> = { fee_delta: Number(d.delta), in_mempool: d.inMempool };
        if (d.inMempool) inner.modified_fee = Number(d.modifiedFee ?? 0n);
        out[d.txid] = inner;
      }
      return out;
    },
  });
}
