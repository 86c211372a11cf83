// How a block's transactions change the UTXO set, and how undo data reverses that (Core's UpdateCoins, AddCoins,
// ApplyTxInUndo and Chainstate::DisconnectBlock).
import { MAX_BLOCK_WEIGHT, WITNESS_SCALE_FACTOR } from '../consensus/consensus.js';
import type { Block } from '../primitives/block.js';
import { OutPoint, type Transaction } from '../primitives/transaction.js';
import { isUnspendable } from '../script/script.js';
import type { BlockIndex } from './chain.js';
import type { CoinsCache } from './chainstate_api.js';
import type { Coin } from './coin.js';
import type { BlockUndo } from './undo.js';
import { isBIP30Unspendable } from './connect_flags.js';

/** Core's DisconnectResult: all undone; undone but the UTXO set did not look as expected; or a hard failure. */
export type DisconnectResult = 'ok' | 'unclean' | 'failed';

/**
 * Core's AddCoins: every output of `tx` becomes a coin at `height`. `outpoints`, when given, are the outputs'
 * outpoints already made (by the BIP30 check, with their cache keys). A coinbase may overwrite an unspent coin
 * (the pre-BIP30 duplicate coinbases); anything else must not. Provably unspendable outputs are never stored.
 */
export function addCoins(view: CoinsCache, tx: Transaction, height: number, outpoints?: readonly OutPoint[]): void {
  const coinbase = tx.isCoinBase();
  const txid = tx.txid;
  tx.vout.forEach((out, n) => {
    if (isUnspendable(out.scriptPubKey)) return;
    view.addCoin(outpoints?.[n] ?? new OutPoint(txid, n), { out, height, coinbase }, coinbase);
  });
}

/**
 * Core's UpdateCoins: spends the inputs (returning the spent coins in input order, the transaction's undo
 * record) and adds the outputs. Every input must exist: the caller checked that (CheckTxInputs).
 */
export function updateCoins(tx: Transaction, view: CoinsCache, height: number, outpoints?: readonly OutPoint[]): Coin[] {
  const undo: Coin[] = [];
  if (!tx.isCoinBase()) {
    for (const input of tx.vin) {
      const spent = view.spendCoin(input.prevout);
      if (!spent) throw new Error(`UpdateCoins: input ${input.prevout.toString()} is missing or spent`);
      undo.push(spent);
    }
  }
  addCoins(view, tx, height, outpoints);
  return undo;
}

/** Outputs a block can hold at most (Core's MAX_OUTPUTS_PER_BLOCK: the weight limit over an empty output's weight). */
const MAX_OUTPUTS_PER_BLOCK = Math.floor(MAX_BLOCK_WEIGHT / (WITNESS_SCALE_FACTOR * 9));

/** Core's AccessByTxid: some unspent output of the transaction `txid`, if any is left. */
function accessByTxid(view: CoinsCache, txid: Uint8Array): Coin | undefined {
  for (let n = 0; n < MAX_OUTPUTS_PER_BLOCK; n++) {
    const coin = view.getCoin(new OutPoint(txid, n));
    if (coin) return coin;
  }
  return undefined;
}

/**
 * Core's ApplyTxInUndo: puts a spent coin back. Old undo records (height 0) kept the height and coinbase flag
 * only with a transaction's last spent output, so they are borrowed from another unspent output of the same
 * transaction; without one the undo data is unusable.
 */
export function applyTxInUndo(undo: Coin, view: CoinsCache, out: OutPoint): DisconnectResult {
  // An unspent coin already there means the UTXO set was not what this block left behind.
  const clean = !view.haveCoin(out);
  let coin = undo;
  if (coin.height === 0) {
    const alternate = accessByTxid(view, out.hash);
    if (!alternate) return 'failed';
    coin = { out: undo.out, height: alternate.height, coinbase: alternate.coinbase };
  }
  view.addCoin(out, coin, !clean);
  return clean ? 'ok' : 'unclean';
}

/** Optional sink for Core's LogError lines. */
export interface DisconnectOptions {
  logError?: (message: string) => void;
}

/**
 * Core's Chainstate::DisconnectBlock with the block's undo data already read: removes the block's outputs
 * (checking they are exactly what it created), restores the coins it spent, in reverse order, and moves the
 * view's best block back to the parent. On 'failed' the view is left half-changed and must be discarded.
 */
export function disconnectBlock(block: Block, index: BlockIndex, view: CoinsCache, undo: BlockUndo, opts: DisconnectOptions = {}): DisconnectResult {
  const logError = opts.logError ?? (() => undefined);
  if (undo.vtxundo.length + 1 !== block.vtx.length) {
    logError('DisconnectBlock(): block and undo data inconsistent');
    return 'failed';
  }
  if (!index.prev) throw new Error('DisconnectBlock: cannot disconnect the genesis block');

  // The two coinbases that BIP30 repeats later were overwritten, so their outputs may not be there to remove.
  const bip30Exception = isBIP30Unspendable(index);
  let clean = true;
  for (let i = block.vtx.length - 1; i >= 0; i--) {
    const tx = block.vtx[i]!;
    const coinbase = tx.isCoinBase();
    if (!removeOutputs(tx, index.height, view) && !(coinbase && bip30Exception)) clean = false;
    if (i === 0) continue;
    const txundo = undo.vtxundo[i - 1]!;
    if (txundo.length !== tx.vin.length) {
      logError('DisconnectBlock(): transaction and undo data inconsistent');
      return 'failed';
    }
    for (let j = tx.vin.length - 1; j >= 0; j--) {
      const res = applyTxInUndo(txundo[j]!, view, tx.vin[j]!.prevout);
      if (res === 'failed') return 'failed';
      if (res === 'unclean') clean = false;
    }
  }
  view.setBestBlock(index.prev.hash);
  return clean ? 'ok' : 'unclean';
}

/** Spends every spendable output of `tx`; false when one was missing or differs from what `tx` created at `height`. */
function removeOutputs(tx: Transaction, height: number, view: CoinsCache): boolean {
  let matched = true;
  const coinbase = tx.isCoinBase();
  tx.vout.forEach((out, n) => {
    if (isUnspendable(out.scriptPubKey)) return;
    const coin = view.spendCoin(new OutPoint(tx.txid, n));
    if (!coin || !out.equals(coin.out) || coin.height !== height || coin.coinbase !== coinbase) matched = false;
  });
  return matched;
}
