// The block generation RPCs (Core's rpc/mining.cpp): generatetoaddress, generatetodescriptor, generateblock and the
// removed generate. Mining loops yield to the event loop between blocks so other RPCs keep being served.
import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { addressParams } from '../kernel/chainparams_base.js';
import type { NodeContext } from '../node/context.js';
import { regenerateCommitments, withMerkleRoot } from '../node/miner_commitment.js';
import type { BlockTemplate } from '../node/miner.js';
import type { MiningService } from '../node/miner_service.js';
import { solveBlock } from '../node/miner_solve.js';
import { Block } from '../primitives/block.js';
import { hashToHex } from '../util/hex.js';
import { CLIENT_NAME } from '../clientversion.js';
import type { Transaction } from '../primitives/transaction.js';
import { RPCError, RPCErrorCode } from './protocol.js';
import type { JSONValue } from './request.js';
import { ensureChainman } from './blockchain_context.js';
import { decodeHexTx, scriptFromAddress, scriptFromDescriptor } from './mining_decode.js';
import { getArray, getStr, helpExampleCli, Optional, RPCHelpMan, type RPCResult } from './util.js';

/** Default nonce tries of the generate RPCs. */
export const DEFAULT_MAX_TRIES = 1_000_000n;

const HASHES_RESULT: RPCResult = {
  type: 'ARR', description: 'hashes of blocks generated', inner: [{ type: 'STR_HEX', description: 'blockhash' }],
};

/**
 * Core's GenerateBlock: grinds the nonce, then (with `submit`) processes the block. Returns the tries left, the
 * block when one was found, and `ok` false when the tries ran out or the node is shutting down.
 */
async function generateBlock(miner: MiningService, ctx: NodeContext, block: Block, maxTries: bigint, submit: boolean) {
  const chainman = ensureChainman(ctx);
  const solved = solveBlock(withMerkleRoot(block), maxTries, chainman.params.consensus, () => miner.interrupted());
  if (!solved.ok || !solved.block || !submit) return solved;
  const { accepted } = await chainman.processNewBlock(solved.block, { forceProcessing: true, minPowChecked: true });
  if (!accepted) throw new RPCError(RPCErrorCode.RPC_INTERNAL_ERROR, 'ProcessNewBlock, block not accepted');
  return solved;
}

/**
 * How long a mining loop may run between turns of the event loop. Core's other threads serve RPC while it mines; here
 * the loop yields between blocks once this much time has passed, not after every block (a turn per block is a few per
 * cent of a regtest block's cost), and a few milliseconds' wait is nothing to the other callers.
 */
const YIELD_INTERVAL_MS = 4;

/** Core's generateBlocks: `n` blocks paying `script`, yielding between blocks (see YIELD_INTERVAL_MS). */
async function generateBlocks(miner: MiningService, ctx: NodeContext, script: Uint8Array, n: number, maxTries: bigint): Promise<string[]> {
  const hashes: string[] = [];
  let tries = maxTries;
  let createNewBlock: (() => Promise<BlockTemplate>) | undefined;
  let lastYield = performance.now();
  while (n > 0 && !miner.interrupted()) {
    createNewBlock ??= miner.templateMaker({ coinbaseOutputScript: script });
    const { block } = await createNewBlock();
    const r = await generateBlock(miner, ctx, block, tries, true);
    tries = r.triesLeft;
    if (!r.ok) break;
    if (r.block) {
      n--;
      hashes.push(r.block.hashHex());
    }
    if (performance.now() - lastYield >= YIELD_INTERVAL_MS) {
      await yieldToEventLoop();
      lastYield = performance.now();
    }
  }
  return hashes;
}

function chainParamsOf(ctx: NodeContext) {
  return addressParams(ensureChainman(ctx).params.chainType);
}

export function generatetodescriptor(miner: MiningService): RPCHelpMan {
  return new RPCHelpMan({
    name: 'generatetodescriptor',
    description: 'Mine to a specified descriptor and return the block hashes.',
    args: [
      { names: 'num_blocks', type: 'NUM', fallback: Optional.NO, description: 'How many blocks are generated.' },
      { names: 'descriptor', type: 'STR', fallback: Optional.NO, description: 'The descriptor to send the newly generated bitcoin to.' },
      { names: 'maxtries', type: 'NUM', fallback: { default: Number(DEFAULT_MAX_TRIES) }, description: 'How many iterations to try.' },
    ],
    results: HASHES_RESULT,
    examples: '\nGenerate 11 blocks to mydesc\n' + helpExampleCli('generatetodescriptor', '11 "mydesc"'),
    handler: async (_req, ctx, args) => {
      const numBlocks = args.int('num_blocks');
      const maxTries = BigInt(args.int('maxtries', 'uint64'));
      const r = scriptFromDescriptor(args.str('descriptor'), chainParamsOf(ctx));
      if (!r.ok) throw new RPCError(RPCErrorCode.RPC_INVALID_ADDRESS_OR_KEY, r.error);
      return generateBlocks(miner, ctx, r.script, numBlocks, maxTries);
    },
  });
}

export function generate(): RPCHelpMan {
  const man: RPCHelpMan = new RPCHelpMan({
    name: 'generate',
    description: 'has been replaced by the -generate cli option. Refer to -help for more information.',
    args: [],
    results: [],
    examples: '',
    handler: () => {
      throw new RPCError(RPCErrorCode.RPC_METHOD_NOT_FOUND, man.toString());
    },
  });
  return man;
}

export function generatetoaddress(miner: MiningService): RPCHelpMan {
  return new RPCHelpMan({
    name: 'generatetoaddress',
    description: 'Mine to a specified address and return the block hashes.',
    args: [
      { names: 'nblocks', type: 'NUM', fallback: Optional.NO, description: 'How many blocks are generated.' },
      { names: 'address', type: 'STR', fallback: Optional.NO, description: 'The address to send the newly generated bitcoin to.' },
      { names: 'maxtries', type: 'NUM', fallback: { default: Number(DEFAULT_MAX_TRIES) }, description: 'How many iterations to try.' },
    ],
    results: HASHES_RESULT,
    examples: '\nGenerate 11 blocks to myaddress\n' + helpExampleCli('generatetoaddress', '11 "myaddress"')
      + `If you are using the ${CLIENT_NAME} wallet, you can get a new address to send the newly generated bitcoin to with:\n`
      + helpExampleCli('getnewaddress', ''),
    handler: async (req, ctx, args) => {
      const numBlocks = args.int('nblocks');
      // Core reads maxtries as an int here (unlike generatetodescriptor) and stores it in a uint64.
      const maxTries = BigInt.asUintN(64, BigInt(args.int('maxtries')));
      const script = scriptFromAddress(getStr(req.params[1]), chainParamsOf(ctx));
      if (!script) throw new RPCError(RPCErrorCode.RPC_INVALID_ADDRESS_OR_KEY, 'Error: Invalid address');
      return generateBlocks(miner, ctx, script, numBlocks, maxTries);
    },
  });
}

/** generateblock's transactions: mempool txids (64 hex digits) or raw transactions. */
function blockTransactions(miner: MiningService, items: JSONValue[]): Transaction[] {
  return items.map((item) => {
    const str = getStr(item);
    if (/^[0-9a-fA-F]{64}$/.test(str)) {
      const tx = miner.mempool?.get(str.toLowerCase());
      if (!tx) throw new RPCError(RPCErrorCode.RPC_INVALID_ADDRESS_OR_KEY, `Transaction ${str} not in mempool.`);
      return tx;
    }
    const tx = decodeHexTx(str);
    if (!tx) {
      throw new RPCError(RPCErrorCode.RPC_DESERIALIZATION_ERROR, `Transaction decode failed for ${str}. Make sure the tx has at least one input.`);
    }
    return tx;
  });
}

export function generateblock(miner: MiningService): RPCHelpMan {
  return new RPCHelpMan({
    name: 'generateblock',
    description: 'Mine a set of ordered transactions to a specified address or descriptor and return the block hash.\n'
      + 'Transaction fees are not collected in the block reward.',
    args: [
      { names: 'output', type: 'STR', fallback: Optional.NO, description: 'The address or descriptor to send the newly generated bitcoin to.' },
      {
        names: 'transactions', type: 'ARR', fallback: Optional.NO,
        description: 'An array of hex strings which are either txids or raw transactions.\n'
          + 'Txids must reference transactions currently in the mempool.\n'
          + 'All transactions must be valid and in valid order, otherwise the block will be rejected.',
        inner: [{ names: 'rawtx/txid', type: 'STR_HEX', fallback: Optional.OMITTED, description: '' }],
      },
      { names: 'submit', type: 'BOOL', fallback: { default: true }, description: 'Whether to submit the block before the RPC call returns or to return it as hex.' },
    ],
    results: {
      type: 'OBJ', description: '', inner: [
        { type: 'STR_HEX', key: 'hash', description: 'hash of generated block' },
        { type: 'STR_HEX', key: 'hex', optional: true, description: 'hex of generated block, only present when submit=false' },
      ],
    },
    examples: '\nGenerate a block to myaddress, with txs rawtx and mempool_txid\n'
      + helpExampleCli('generateblock', '"myaddress" \'["rawtx", "mempool_txid"]\''),
    handler: async (req, ctx, args) => {
      const output = getStr(req.params[0]);
      const params = chainParamsOf(ctx);
      const fromDescriptor = scriptFromDescriptor(output, params);
      const script = fromDescriptor.ok ? fromDescriptor.script : scriptFromAddress(output, params);
      if (!script) throw new RPCError(RPCErrorCode.RPC_INVALID_ADDRESS_OR_KEY, 'Error: Invalid address or descriptor');
      const txs = blockTransactions(miner, getArray(req.params[1]));
      const submit = args.bool('submit');
      const chainman = ensureChainman(ctx);

      const { block: template } = await miner.createNewBlock({ useMempool: false, coinbaseOutputScript: script });
      const prev = chainman.lookupBlockIndex(hashToHex(template.header.hashPrevBlock));
      const block = regenerateCommitments(new Block(template.header, [template.vtx[0]!, ...txs]), prev, chainman.params.consensus);
      const state = await chainman.testBlockValidity(block, { checkPow: false, checkMerkleRoot: false });
      if (!state.isValid()) throw new RPCError(RPCErrorCode.RPC_VERIFY_ERROR, `TestBlockValidity failed: ${state.toString()}`);

      const r = await generateBlock(miner, ctx, block, DEFAULT_MAX_TRIES, submit);
      if (!r.ok || !r.block) throw new RPCError(RPCErrorCode.RPC_MISC_ERROR, 'Failed to make block.');
      const out: Record<string, JSONValue> = { hash: r.block.hashHex() };
      if (!submit) out.hex = r.block.toHex(true);
      return out;
    },
  });
}
