// getblocktemplate (BIP22/23 with Core's BIP9 and BIP145 fields): template mode with the segwit rule required,
// proposal mode, and longpoll on tip changes and mempool updates.
import { MAX_BLOCK_SERIALIZED_SIZE, MAX_BLOCK_SIGOPS_COST, MAX_BLOCK_WEIGHT, WITNESS_SCALE_FACTOR } from '../consensus/consensus.js';
import { BuriedDeployment, deploymentActiveAfter } from '../consensus/params.js';
import { setCompact, uint256Hex } from '../consensus/pow.js';
import type { BlockValidationState } from '../consensus/validation.js';
import type { BlockIndex } from '../node/chain.js';
import type { ChainstateManagerApi } from '../node/chainstate_api.js';
import type { NodeContext } from '../node/context.js';
import { BlockStatus } from '../node/disk_block_index.js';
import { type BlockTemplate, getMinimumTime, updateTime } from '../node/miner.js';
import { EMPTY_MEMPOOL } from '../node/miner_mempool.js';
import type { MiningService } from '../node/miner_service.js';
import { versionBitsCacheOf } from '../node/versionbits.js';
import { Block } from '../primitives/block.js';
import { bytesToHex, hashToHex } from '../util/hex.js';
import { ensureChainman } from './blockchain_context.js';
import { hex32 } from './blockchain_json.js';
import { decodeHexBlock } from './mining_decode.js';
import { RPCError, RPCErrorCode } from './protocol.js';
import type { JSONObject, JSONValue } from './request.js';
import { getObj, getStr, helpExampleCli, helpExampleRpc, Optional, parseHashV, RPCHelpMan, UNIX_EPOCH_TIME } from './util.js';
import { gbtResults } from './mining_gbt_doc.js';

/** Core's BIP22ValidationResult: null when valid, else the reject reason ("rejected" without one). */
export function bip22ValidationResult(state: BlockValidationState): JSONValue {
  if (state.isValid()) return null;
  if (state.isError()) throw new RPCError(RPCErrorCode.RPC_VERIFY_ERROR, state.toString());
  return state.getRejectReason() === '' ? 'rejected' : state.getRejectReason();
}

/** A BIP9 rule name, prefixed with "!" when clients may not ignore it. */
function gbtRuleValue(name: string, optional: boolean): string {
  return optional ? name : `!${name}`;
}

/** The template getblocktemplate last built, reused while the tip and the mempool stay the same (Core's statics). */
class TemplateCache {
  prev: BlockIndex | undefined;
  timeStart = 0;
  template: BlockTemplate | undefined;
  transactionsUpdatedLast = 0;
}

function proposal(ctx: NodeContext, request: JSONObject): JSONValue {
  const data = request.data;
  if (typeof data !== 'string') throw new RPCError(RPCErrorCode.RPC_TYPE_ERROR, 'Missing data String key for proposal');
  const block = decodeHexBlock(data);
  if (!block) throw new RPCError(RPCErrorCode.RPC_DESERIALIZATION_ERROR, 'Block decode failed');
  const chainman = ensureChainman(ctx);
  const index = chainman.lookupBlockIndex(block.hashHex());
  if (index) {
    if (index.isValid(BlockStatus.BLOCK_VALID_SCRIPTS)) return 'duplicate';
    if ((index.status & BlockStatus.BLOCK_FAILED_VALID) !== 0) return 'duplicate-invalid';
    return 'duplicate-inconclusive';
  }
  return bip22ValidationResult(chainman.testBlockValidity(block, { checkPow: false, checkMerkleRoot: true }));
}

/** Waits (BIP22 longpoll) until the tip moves or, after a minute and then every 10 seconds, the mempool changed. */
async function longpoll(miner: MiningService, ctx: NodeContext, lpval: JSONValue, cache: TemplateCache, tipHex: string): Promise<void> {
  const mempool = miner.mempool ?? EMPTY_MEMPOOL;
  let watched = tipHex;
  let updatedLast = cache.transactionsUpdatedLast;
  if (typeof lpval === 'string') {
    // <tip hash><transactions updated>; anything else after the hash reads as a number the way atoi would.
    watched = parseHashV(lpval.slice(0, 64), 'longpollid');
    updatedLast = Number.parseInt(lpval.slice(64), 10) || 0;
  }
  let checkMs = 60_000;
  while (!ctx.shutdown.requested) {
    const tip = await miner.waitTipChanged(watched, checkMs);
    if (!tip || tip.hashHex !== watched) break;
    if (mempool.getTransactionsUpdated() !== updatedLast) break;
    checkMs = 10_000;
  }
  if (ctx.shutdown.requested) throw new RPCError(RPCErrorCode.RPC_CLIENT_NOT_CONNECTED, 'Shutting down');
}

/** A fresh template when the tip moved, or the mempool changed more than 5 seconds after the last one. */
function currentTemplate(miner: MiningService, ctx: NodeContext, cache: TemplateCache, tip: BlockIndex): { template: BlockTemplate; prev: BlockIndex } {
  const updated = (miner.mempool ?? EMPTY_MEMPOOL).getTransactionsUpdated();
  const now = ctx.clock.now();
  if (!cache.prev || cache.prev !== tip || (updated !== cache.transactionsUpdatedLast && now - cache.timeStart > 5)) {
    // Cleared first, so a failure below leaves no stale template behind.
    cache.prev = undefined;
    cache.transactionsUpdatedLast = updated;
    cache.timeStart = now;
    cache.template = miner.createNewBlock({});
    cache.prev = tip;
  }
  return { template: cache.template!, prev: cache.prev };
}

function transactionsJSON(block: Block, template: BlockTemplate, preSegwit: boolean): JSONValue[] {
  const position = new Map<string, number>();
  const out: JSONValue[] = [];
  block.vtx.forEach((tx, i) => {
    position.set(tx.txidHex(), i);
    if (tx.isCoinBase()) return;
    const depends: JSONValue[] = [];
    for (const input of tx.vin) {
      const p = position.get(hashToHex(input.prevout.hash));
      if (p !== undefined) depends.push(p);
    }
    const sigops = template.txSigOpsCost[i - 1]!;
    out.push({
      data: tx.toHex(true),
      txid: tx.txidHex(),
      hash: tx.wtxidHex(),
      depends,
      fee: Number(template.txFees[i - 1]!),
      sigops: preSegwit ? sigops / WITNESS_SCALE_FACTOR : sigops,
      weight: tx.getWeight(),
    });
  });
  return out;
}

/** rules, vbavailable and the version with the bits of deployments the client does not know cleared. */
function deploymentFields(chainman: ChainstateManagerApi, prev: BlockIndex, clientRules: Set<string>, version: number, preSegwit: boolean) {
  const params = chainman.params.consensus;
  const rules: JSONValue[] = ['csv'];
  if (!preSegwit) rules.push('!segwit', 'taproot');
  if (params.signetBlocks) rules.push('!signet');
  const vbavailable: JSONObject = {};
  const status = versionBitsCacheOf(chainman).gbtStatus(prev, params);
  for (const [name, info] of sortedEntries(status.signalling)) {
    vbavailable[gbtRuleValue(name, info.gbtOptionalRule)] = info.bit;
    if (!info.gbtOptionalRule && !clientRules.has(name)) version &= ~info.mask;
  }
  for (const [name, info] of sortedEntries(status.lockedIn)) {
    version |= info.mask;
    vbavailable[gbtRuleValue(name, info.gbtOptionalRule)] = info.bit;
    if (!info.gbtOptionalRule && !clientRules.has(name)) version &= ~info.mask;
  }
  for (const [name, info] of sortedEntries(status.active)) {
    rules.push(gbtRuleValue(name, info.gbtOptionalRule));
    if (!info.gbtOptionalRule && !clientRules.has(name)) {
      throw new RPCError(RPCErrorCode.RPC_INVALID_PARAMETER, `Support for '${name}' rule requires explicit client support`);
    }
  }
  return { rules, vbavailable, version: version | 0 };
}

function sortedEntries<V>(m: Map<string, V>): Array<[string, V]> {
  return [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function templateJSON(miner: MiningService, ctx: NodeContext, cache: TemplateCache, clientRules: Set<string>): JSONObject {
  const chainman = ensureChainman(ctx);
  const params = chainman.params.consensus;
  const { template, prev } = currentTemplate(miner, ctx, cache, chainman.chain.tip()!);
  const { header } = updateTime(template.block.header, params, prev, ctx.clock.now());
  const block = new Block(header, template.block.vtx);
  const preSegwit = !deploymentActiveAfter(prev.height, params, BuriedDeployment.DEPLOYMENT_SEGWIT);
  const transactions = transactionsJSON(block, template, preSegwit);
  const { rules, vbavailable, version } = deploymentFields(chainman, prev, clientRules, header.version, preSegwit);
  const scale = preSegwit ? WITNESS_SCALE_FACTOR : 1;
  const result: JSONObject = {
    capabilities: ['proposal'],
    version,
    rules,
    vbavailable,
    vbrequired: 0,
    previousblockhash: hashToHex(header.hashPrevBlock),
    transactions,
    coinbaseaux: {},
    coinbasevalue: Number(block.vtx[0]!.vout[0]!.value),
    longpollid: prev.hashHex + String(cache.transactionsUpdatedLast),
    target: uint256Hex(setCompact(header.bits).target),
    mintime: getMinimumTime(prev, params),
    mutable: ['time', 'transactions', 'prevblock'],
    noncerange: '00000000ffffffff',
    sigoplimit: MAX_BLOCK_SIGOPS_COST / scale,
    sizelimit: MAX_BLOCK_SERIALIZED_SIZE / scale,
  };
  if (!preSegwit) result.weightlimit = MAX_BLOCK_WEIGHT;
  result.curtime = header.time;
  result.bits = hex32(header.bits);
  result.height = prev.height + 1;
  if (params.signetBlocks) result.signet_challenge = bytesToHex(params.signetChallenge);
  const commitment = template.coinbaseTx.requiredOutputs[0];
  if (commitment) result.default_witness_commitment = bytesToHex(commitment.scriptPubKey);
  return result;
}

export function getblocktemplate(miner: MiningService): RPCHelpMan {
  const cache = new TemplateCache();
  return new RPCHelpMan({
    name: 'getblocktemplate',
    description: "If the request parameters include a 'mode' key, that is used to explicitly select between the default 'template' request or a 'proposal'.\n"
      + 'It returns data needed to construct a block to work on.\n'
      + 'For full specification, see BIPs 22, 23, 9, and 145:\n'
      + '    https://github.com/bitcoin/bips/blob/master/bip-0022.mediawiki\n'
      + '    https://github.com/bitcoin/bips/blob/master/bip-0023.mediawiki\n'
      + '    https://github.com/bitcoin/bips/blob/master/bip-0009.mediawiki#getblocktemplate_changes\n'
      + '    https://github.com/bitcoin/bips/blob/master/bip-0145.mediawiki\n',
    args: [{
      names: 'template_request', type: 'OBJ', fallback: Optional.NO, description: 'Format of the template',
      inner: [
        { names: 'mode', type: 'STR', fallback: Optional.OMITTED, description: 'This must be set to "template", "proposal" (see BIP 23), or omitted' },
        {
          names: 'capabilities', type: 'ARR', fallback: Optional.OMITTED, description: 'A list of strings',
          inner: [{ names: 'str', type: 'STR', fallback: Optional.OMITTED, description: "client side supported feature, 'longpoll', 'coinbasevalue', 'proposal', 'serverlist', 'workid'" }],
        },
        {
          names: 'rules', type: 'ARR', fallback: Optional.NO, description: 'A list of strings',
          inner: [
            { names: 'segwit', type: 'STR', fallback: Optional.NO, description: '(literal) indicates client side segwit support' },
            { names: 'str', type: 'STR', fallback: Optional.OMITTED, description: 'other client side supported softfork deployment' },
          ],
        },
        { names: 'longpollid', type: 'STR', fallback: Optional.OMITTED, description: 'delay processing request until the result would vary significantly from the "longpollid" of a prior template' },
        { names: 'data', type: 'STR_HEX', fallback: Optional.OMITTED, description: 'proposed block data to check, encoded in hexadecimal; valid only for mode="proposal"' },
      ],
    }],
    results: gbtResults(UNIX_EPOCH_TIME),
    examples: helpExampleCli('getblocktemplate', '\'{"rules": ["segwit"]}\'') + helpExampleRpc('getblocktemplate', '{"rules": ["segwit"]}'),
    handler: async (req, ctx) => {
      const chainman = ensureChainman(ctx);
      let mode = 'template';
      let lpval: JSONValue = null;
      const clientRules = new Set<string>();
      if (req.params[0] !== undefined && req.params[0] !== null) {
        const o = getObj(req.params[0]);
        const modeval = o.mode ?? null;
        if (typeof modeval === 'string') mode = modeval;
        else if (modeval !== null) throw new RPCError(RPCErrorCode.RPC_INVALID_PARAMETER, 'Invalid mode');
        lpval = o.longpollid ?? null;
        if (mode === 'proposal') return proposal(ctx, o);
        if (Array.isArray(o.rules)) for (const v of o.rules) clientRules.add(getStr(v));
      }
      if (mode !== 'template') throw new RPCError(RPCErrorCode.RPC_INVALID_PARAMETER, 'Invalid mode');
      if (!chainman.params.isTestChain) {
        // Core checks the peer count and IBD here; there is no P2P layer yet, so no connection manager: Core's
        // EnsureConnman error comes first.
        throw new RPCError(RPCErrorCode.RPC_CLIENT_P2P_DISABLED, 'Error: Peer-to-peer functionality missing or disabled');
      }
      const tipHex = chainman.chain.tip()!.hashHex;
      if (lpval !== null) await longpoll(miner, ctx, lpval, cache, tipHex);
      const params = chainman.params.consensus;
      if (params.signetBlocks && !clientRules.has('signet')) {
        throw new RPCError(RPCErrorCode.RPC_INVALID_PARAMETER, 'getblocktemplate must be called with the signet rule set (call with {"rules": ["segwit", "signet"]})');
      }
      if (!clientRules.has('segwit')) {
        throw new RPCError(RPCErrorCode.RPC_INVALID_PARAMETER, 'getblocktemplate must be called with the segwit rule set (call with {"rules": ["segwit"]})');
      }
      return templateJSON(miner, ctx, cache, clientRules);
    },
  });
}
