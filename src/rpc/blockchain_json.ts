// Block headers and blocks as JSON (Core's blockheaderToJSON / blockToJSON), the difficulty and target, and
// the block-data availability checks that getblock, gettxoutproof and REST share.
import { deriveTarget, uint256Hex } from '../consensus/pow.js';
import { TxVerbosity, txToUniv } from '../core_io.js';
import type { AddressParams } from '../kernel/chainparams_base.js';
import type { BlockIndex } from '../node/chain.js';
import type { ChainstateManagerApi } from '../node/chainstate_api.js';
import { BlockStatus } from '../node/disk_block_index.js';
import type { BlockUndo } from '../node/undo.js';
import type { Block } from '../primitives/block.js';
import type { Transaction } from '../primitives/transaction.js';
import { bytesToHex, hashToHex } from '../util/hex.js';
import { RPCError, RPCErrorCode } from './protocol.js';
import type { JSONObject, JSONValue } from './request.js';

/** GetDifficulty: the target of nBits as a multiple of the minimum difficulty (0x1d00ffff), as a double. */
export function getDifficulty(bits: number): number {
  let shift = (bits >>> 24) & 0xff;
  let diff = 0x0000ffff / (bits & 0x00ffffff);
  for (; shift < 29; shift++) diff *= 256.0;
  for (; shift > 29; shift--) diff /= 256.0;
  return diff;
}

/** GetTarget: the target of an index entry in hex; Core treats an invalid nBits here as a bug. */
export function getTargetHex(index: BlockIndex, powLimit: bigint): string {
  const target = deriveTarget(index.bits, powLimit);
  if (target === undefined) throw new RPCError(RPCErrorCode.RPC_MISC_ERROR, 'Internal bug detected: DeriveTarget(blockindex.nBits, pow_limit)');
  return uint256Hex(target);
}

/** ComputeNextBlockAndDepth: confirmations (-1 off the active chain) and the successor on it. */
function nextAndDepth(tip: BlockIndex, index: BlockIndex): { confirmations: number; next?: BlockIndex } {
  const next = tip.getAncestor(index.height + 1);
  if (next !== undefined && next.prev === index) return { confirmations: tip.height - index.height + 1, next };
  return { confirmations: index === tip ? 1 : -1 };
}

/** The `%08x` of a 32-bit value (negative versions print as their two's complement). */
export function hex32(v: number): string {
  return (v >>> 0).toString(16).padStart(8, '0');
}

export function blockheaderToJSON(tip: BlockIndex, index: BlockIndex, powLimit: bigint): JSONObject {
  const { confirmations, next } = nextAndDepth(tip, index);
  const out: JSONObject = {
    hash: index.hashHex,
    confirmations,
    height: index.height,
    version: index.version,
    versionHex: hex32(index.version),
    merkleroot: hashToHex(index.merkleRoot),
    time: index.time,
    mediantime: index.getMedianTimePast(),
    nonce: index.nonce,
    bits: hex32(index.bits),
    target: getTargetHex(index, powLimit),
    difficulty: getDifficulty(index.bits),
    chainwork: uint256Hex(index.chainWork),
    nTx: index.nTx,
  };
  if (index.prev) out.previousblockhash = index.prev.hashHex;
  if (next) out.nextblockhash = next.hashHex;
  return out;
}

/** coinbaseTxToJSON: the coinbase's version, locktime, sequence, script and its single witness item. */
export function coinbaseTxToJSON(coinbase: Transaction): JSONObject {
  const vin0 = coinbase.vin[0];
  if (vin0 === undefined) throw new RPCError(RPCErrorCode.RPC_MISC_ERROR, 'Internal bug detected: !coinbase_tx.vin.empty()');
  const out: JSONObject = { version: coinbase.version, locktime: coinbase.lockTime, sequence: vin0.sequence, coinbase: bytesToHex(vin0.scriptSig) };
  if (vin0.witness.length > 0) out.witness = bytesToHex(vin0.witness[0]!);
  return out;
}

/** Core's IsBlockPruned: data once seen (nTx > 0) but gone, on a node that prunes. */
export function isBlockPruned(chainman: ChainstateManagerApi, index: BlockIndex): boolean {
  return chainman.pruneMode && !index.haveData() && index.nTx > 0;
}

/** CheckBlockDataAvailability: Core's texts for pruned, missing undo and not-yet-downloaded blocks. */
export function checkBlockDataAvailability(chainman: ChainstateManagerApi, index: BlockIndex, checkForUndo: boolean): void {
  const flag = checkForUndo ? BlockStatus.BLOCK_HAVE_UNDO : BlockStatus.BLOCK_HAVE_DATA;
  if ((index.status & flag) !== 0) return;
  if (isBlockPruned(chainman, index)) {
    throw new RPCError(RPCErrorCode.RPC_MISC_ERROR, `${checkForUndo ? 'Undo data' : 'Block'} not available (pruned data)`);
  }
  if (checkForUndo) throw new RPCError(RPCErrorCode.RPC_MISC_ERROR, 'Undo data not available');
  throw new RPCError(RPCErrorCode.RPC_MISC_ERROR, 'Block not available (not fully downloaded)');
}

/** Reading a block that the index says is there; a failed read is `Block not found on disk`. */
export function readBlockChecked(chainman: ChainstateManagerApi, index: BlockIndex): Block {
  checkBlockDataAvailability(chainman, index, false);
  return rpcRead(() => chainman.readBlock(index));
}

export function readRawBlockChecked(chainman: ChainstateManagerApi, index: BlockIndex): Uint8Array {
  checkBlockDataAvailability(chainman, index, false);
  return rpcRead(() => chainman.readRawBlock(index));
}

/** The storage texts of a failed read (ChainstateManagerApi.readBlock): pruned meanwhile, or gone from disk. */
const READ_FAILURES = new Set(['Block not available (pruned data)', 'Block not found on disk']);

/** A failed storage read becomes Core's RPC error (its ReadBlock just returns false); other errors pass. */
function rpcRead<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof Error && READ_FAILURES.has(e.message)) throw new RPCError(RPCErrorCode.RPC_MISC_ERROR, 'Block not found on disk');
    throw e;
  }
}

/** Undo data for verbosity 2/3, when the block is unpruned and has it. */
function undoForBlock(chainman: ChainstateManagerApi, index: BlockIndex): BlockUndo | undefined {
  if (isBlockPruned(chainman, index) || !index.haveUndo()) return undefined;
  try {
    return chainman.readBlockUndo(index);
  } catch (e) {
    if (!(e instanceof Error)) throw e;
    throw new RPCError(RPCErrorCode.RPC_INTERNAL_ERROR, 'Undo data expected but can\'t be read. This could be due to disk corruption or a conflict with a pruning event.');
  }
}

export interface BlockToJSONContext {
  chainman: ChainstateManagerApi;
  addressParams: AddressParams;
}

/** blockToJSON: the header fields, sizes, coinbase_tx and the transactions at the given verbosity. */
export function blockToJSON(c: BlockToJSONContext, block: Block, tip: BlockIndex, index: BlockIndex, verbosity: TxVerbosity): JSONObject {
  const out = blockheaderToJSON(tip, index, c.chainman.params.consensus.powLimit);
  out.strippedsize = block.getStrippedSize();
  out.size = block.getTotalSize();
  out.weight = block.getWeight();
  const coinbase = block.vtx[0];
  if (coinbase === undefined) throw new RPCError(RPCErrorCode.RPC_MISC_ERROR, 'Internal bug detected: !block.vtx.empty()');
  out.coinbase_tx = coinbaseTxToJSON(coinbase);
  let txs: JSONValue[];
  if (verbosity === TxVerbosity.SHOW_TXID) {
    txs = block.vtx.map((tx) => tx.txidHex());
  } else {
    const undo = undoForBlock(c.chainman, index);
    txs = block.vtx.map((tx, i) => txToUniv(tx, c.addressParams, {
      includeHex: true, verbosity, undo: i > 0 ? undo?.vtxundo[i - 1] : undefined,
    }));
  }
  out.tx = txs;
  return out;
}
