// gettxoutproof and verifytxoutproof (Core's rpc/txoutproof.cpp): merkle proofs that transactions are in a
// block. Without -txindex the block is found through an unspent output of one of the transactions.
import { MAX_BLOCK_WEIGHT } from '../consensus/consensus.js';
import { MerkleBlock } from '../merkleblock.js';
import type { BlockIndex } from '../node/chain.js';
import type { ChainstateManagerApi } from '../node/chainstate_api.js';
import type { NodeContext } from '../node/context.js';
import { OutPoint } from '../primitives/transaction.js';
import { bytesToHex, hashToHex, hexToHash } from '../util/hex.js';
import { SerializationError } from '../util/serialize.js';
import { isNull, parseHashV, uvTypeName } from './blockchain_args.js';
import { parseHexV } from './util_parse.js';
import { ensureChainman, lookupBlockOrThrow } from './blockchain_context.js';
import { checkBlockDataAvailability } from './blockchain_json.js';
import { RPCError, RPCErrorCode, RPCTypeError } from './protocol.js';
import type { JSONValue } from './request.js';

/** Outputs a block can hold at most: MAX_BLOCK_WEIGHT over the weight of an empty CTxOut (4 × 9). */
const MAX_OUTPUTS_PER_BLOCK = Math.floor(MAX_BLOCK_WEIGHT / 36);

/** AccessByTxid: the first unspent output of `txid` in the coins view, if any. */
function heightOfUnspentOutput(chainman: ChainstateManagerApi, txid: string): number | undefined {
  const view = chainman.coinsTip();
  const hash = hexToHash(txid);
  for (let n = 0; n < MAX_OUTPUTS_PER_BLOCK; n++) {
    const coin = view.getCoin(new OutPoint(hash, n));
    if (coin !== undefined) return coin.height;
  }
  return undefined;
}

function parseTxids(v: JSONValue | undefined): Set<string> {
  if (!Array.isArray(v)) throw new RPCTypeError(`JSON value of type ${uvTypeName(v)} is not of expected type array`);
  if (v.length === 0) throw new RPCError(RPCErrorCode.RPC_INVALID_PARAMETER, "Parameter 'txids' cannot be empty");
  const txids = new Set<string>();
  for (const item of v) {
    const txid = parseHashV(item, 'txid');
    if (txids.has(txid)) throw new RPCError(RPCErrorCode.RPC_INVALID_PARAMETER, `Invalid parameter, duplicated txid: ${item as string}`);
    txids.add(txid);
  }
  return txids;
}

export function gettxoutproof(ctx: NodeContext, params: JSONValue[]): JSONValue {
  const txids = parseTxids(params[0]);
  const chainman = ensureChainman(ctx);
  let index: BlockIndex | undefined;
  if (!isNull(params[1])) {
    index = lookupBlockOrThrow(chainman, parseHashV(params[1], 'blockhash'));
  } else {
    for (const txid of txids) {
      const height = heightOfUnspentOutput(chainman, txid);
      if (height !== undefined) {
        index = chainman.chain.at(height);
        break;
      }
    }
  }
  // Without a transaction index nothing else can locate the block.
  if (index === undefined) throw new RPCError(RPCErrorCode.RPC_INVALID_ADDRESS_OR_KEY, 'Transaction not yet in block');
  checkBlockDataAvailability(chainman, index, false);
  let block;
  try {
    block = chainman.readBlock(index);
  } catch (e) {
    if (!(e instanceof Error)) throw e;
    throw new RPCError(RPCErrorCode.RPC_INTERNAL_ERROR, "Can't read block from disk");
  }
  const found = block.vtx.filter((tx) => txids.has(tx.txidHex())).length;
  if (found !== txids.size) {
    throw new RPCError(RPCErrorCode.RPC_INVALID_ADDRESS_OR_KEY, 'Not all transactions found in specified or retrieved block');
  }
  return bytesToHex(MerkleBlock.fromBlock(block, txids).toBytes());
}

export function verifytxoutproof(ctx: NodeContext, params: JSONValue[]): JSONValue {
  let proof: MerkleBlock;
  try {
    proof = MerkleBlock.fromBytes(parseHexV(params[0], 'proof'));
  } catch (e) {
    if (e instanceof SerializationError) throw new RPCError(RPCErrorCode.RPC_MISC_ERROR, e.what);
    throw e;
  }
  const { root, matches } = proof.txn.extractMatches();
  if (root === undefined || hashToHex(root) !== hashToHex(proof.header.hashMerkleRoot)) return [];
  const chainman = ensureChainman(ctx);
  const index = chainman.lookupBlockIndex(proof.header.hashHex());
  if (index === undefined || !chainman.chain.contains(index) || index.nTx === 0) {
    throw new RPCError(RPCErrorCode.RPC_INVALID_ADDRESS_OR_KEY, 'Block not found in chain');
  }
  // A proof over a different transaction count than the block's is not valid for it.
  if (index.nTx !== proof.txn.nTransactions) return [];
  return matches.map(hashToHex);
}
