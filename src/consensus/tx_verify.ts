// Contextual transaction checks (Core's consensus/tx_verify.cpp): finality, BIP68 sequence locks, sigop counts, input values.

import { type OutPoint, type Transaction, TxIn, type TxOut } from '../primitives/transaction.js';
import { countWitnessSigOps } from '../script/interpreter.js';
import { LOCKTIME_THRESHOLD, getP2SHSigOpCount as redeemScriptSigOpCount, getSigOpCount, isPayToScriptHash } from '../script/script.js';
import { SCRIPT_VERIFY_P2SH } from '../script/verify_flags.js';
import { type Amount, formatMoney, moneyRange } from './amount.js';
import { type ChainEntry, getAncestor, getMedianTimePast } from './chain_entry.js';
import { COINBASE_MATURITY, LOCKTIME_VERIFY_SEQUENCE, WITNESS_SCALE_FACTOR } from './consensus.js';
import { TxValidationResult, type TxValidationState } from './validation.js';

/** An unspent output as the coins view returns it (Core's Coin). */
export interface Coin {
  readonly out: TxOut;
  /** Height of the block that holds the creating transaction. */
  readonly height: number;
  readonly coinbase: boolean;
}

/** Read access to unspent outputs: undefined for a missing or spent coin (Core's CCoinsViewCache::AccessCoin). */
export interface CoinsView {
  accessCoin(outpoint: OutPoint): Coin | undefined;
}

/**
 * Core's IsFinalTx: a transaction is final when its nLockTime (a height below LOCKTIME_THRESHOLD, else a
 * time) has passed, or when every input opted out with SEQUENCE_FINAL.
 */
export function isFinalTx(tx: Transaction, blockHeight: number, blockTime: number): boolean {
  if (tx.lockTime === 0) return true;
  if (tx.lockTime < (tx.lockTime < LOCKTIME_THRESHOLD ? blockHeight : blockTime)) return true;
  for (const input of tx.vin) {
    if (input.sequence !== TxIn.SEQUENCE_FINAL) return false;
  }
  return true;
}

/** The block a transaction's sequence locks are evaluated for: its height and its parent (Core passes a CBlockIndex). */
export interface SequenceLockBlock {
  readonly height: number;
  readonly prev: ChainEntry | undefined;
}

/**
 * The last invalid height and time for a transaction under BIP68 (nLockTime semantics: -1 means no
 * constraint), as Core's CalculateSequenceLocks returns them in a pair.
 */
export interface LockPair {
  minHeight: number;
  minTime: number;
}

/**
 * Core's CalculateSequenceLocks. `prevHeights[i]` is where input i's coin was confirmed; as in Core, the
 * entries of inputs without a relative lock are overwritten with 0.
 */
export function calculateSequenceLocks(tx: Transaction, flags: number, prevHeights: number[], block: SequenceLockBlock): LockPair {
  if (prevHeights.length !== tx.vin.length) throw new RangeError('CalculateSequenceLocks: prevHeights size mismatch');
  let minHeight = -1;
  let minTime = -1;

  // The version is unsigned, so half the range of nVersion is not excluded from BIP68.
  const enforceBIP68 = tx.version >= 2 && (flags & LOCKTIME_VERIFY_SEQUENCE) !== 0;
  if (!enforceBIP68) return { minHeight, minTime };

  for (let i = 0; i < tx.vin.length; i++) {
    const sequence = tx.vin[i]!.sequence;
    // Bit 31 set: this input has no relative lock.
    if ((sequence & TxIn.SEQUENCE_LOCKTIME_DISABLE_FLAG) !== 0) {
      prevHeights[i] = 0;
      continue;
    }
    const coinHeight = prevHeights[i]!;
    const value = sequence & TxIn.SEQUENCE_LOCKTIME_MASK;
    if ((sequence & TxIn.SEQUENCE_LOCKTIME_TYPE_FLAG) !== 0) {
      // A time lock starts at the coin's block's parent's median time past: the lowest timestamp the coin's
      // own block was allowed to have.
      const ancestor = ancestorForLock(block, Math.max(coinHeight - 1, 0));
      const coinTime = getMedianTimePast(ancestor);
      // Subtract 1: BIP68 gives the first valid time, nLockTime semantics want the last invalid one.
      minTime = Math.max(minTime, coinTime + value * (1 << TxIn.SEQUENCE_LOCKTIME_GRANULARITY) - 1);
    } else {
      minHeight = Math.max(minHeight, coinHeight + value - 1);
    }
  }
  return { minHeight, minTime };
}

function ancestorForLock(block: SequenceLockBlock, height: number): ChainEntry {
  const found = block.prev ? getAncestor(block.prev, height) : undefined;
  if (!found) throw new RangeError(`CalculateSequenceLocks: no ancestor at height ${height}`);
  return found;
}

/** Core's EvaluateSequenceLocks: whether the locks allow inclusion in `block` (which must have a parent). */
export function evaluateSequenceLocks(block: SequenceLockBlock, lock: LockPair): boolean {
  if (!block.prev) throw new RangeError('EvaluateSequenceLocks: block has no parent');
  const blockTime = getMedianTimePast(block.prev);
  return !(lock.minHeight >= block.height || lock.minTime >= blockTime);
}

/** Core's SequenceLocks: calculate, then evaluate. */
export function sequenceLocks(tx: Transaction, flags: number, prevHeights: number[], block: SequenceLockBlock): boolean {
  return evaluateSequenceLocks(block, calculateSequenceLocks(tx, flags, prevHeights, block));
}

/** Sigops in scriptSigs and scriptPubKeys, counted the legacy (inaccurate) way. */
export function getLegacySigOpCount(tx: Transaction): number {
  let n = 0;
  for (let i = 0; i < tx.vin.length; i++) n += getSigOpCount(tx.vin[i]!.scriptSig, false);
  for (let i = 0; i < tx.vout.length; i++) n += getSigOpCount(tx.vout[i]!.scriptPubKey, false);
  return n;
}

function requireCoin(inputs: CoinsView, outpoint: OutPoint): Coin {
  const coin = inputs.accessCoin(outpoint);
  // Core asserts here: callers must have checked that all inputs exist.
  if (!coin) throw new RangeError(`missing coin ${outpoint.toString()}`);
  return coin;
}

/** Sigops in the redeem scripts of P2SH inputs (Core's GetP2SHSigOpCount). */
export function getP2SHSigOpCount(tx: Transaction, inputs: CoinsView): number {
  if (tx.isCoinBase()) return 0;
  let n = 0;
  for (const input of tx.vin) {
    const prevout = requireCoin(inputs, input.prevout).out;
    if (isPayToScriptHash(prevout.scriptPubKey)) n += redeemScriptSigOpCount(prevout.scriptPubKey, input.scriptSig);
  }
  return n;
}

/** Total sigop cost: legacy and P2SH sigops weigh WITNESS_SCALE_FACTOR each, witness sigops 1. */
export function getTransactionSigOpCost(tx: Transaction, inputs: CoinsView, flags: number): number {
  let cost = getLegacySigOpCount(tx) * WITNESS_SCALE_FACTOR;
  if (tx.isCoinBase()) return cost;
  if (flags & SCRIPT_VERIFY_P2SH) cost += getP2SHSigOpCount(tx, inputs) * WITNESS_SCALE_FACTOR;
  for (const input of tx.vin) {
    const prevout = requireCoin(inputs, input.prevout).out;
    cost += countWitnessSigOps(input.scriptSig, prevout.scriptPubKey, input.witness, flags);
  }
  return cost;
}

/**
 * Core's Consensus::CheckTxInputs: inputs exist, coinbase outputs are mature, values are in range and
 * cover the outputs. Returns the fee, or undefined with `state` set.
 */
export function checkTxInputs(tx: Transaction, state: TxValidationState, inputs: CoinsView, spendHeight: number): Amount | undefined {
  const coins: Coin[] = [];
  for (const input of tx.vin) {
    const coin = inputs.accessCoin(input.prevout);
    if (!coin) {
      state.invalid(TxValidationResult.TX_MISSING_INPUTS, 'bad-txns-inputs-missingorspent', 'CheckTxInputs: inputs missing/spent');
      return undefined;
    }
    coins.push(coin);
  }

  let valueIn = 0n;
  for (const coin of coins) {
    // Coinbase outputs need COINBASE_MATURITY confirmations first.
    if (coin.coinbase && spendHeight - coin.height < COINBASE_MATURITY) {
      state.invalid(
        TxValidationResult.TX_PREMATURE_SPEND,
        'bad-txns-premature-spend-of-coinbase',
        `tried to spend coinbase at depth ${spendHeight - coin.height}`,
      );
      return undefined;
    }
    // Each input value and the running total must stay within [0, MAX_MONEY].
    valueIn += coin.out.value;
    if (!moneyRange(coin.out.value) || !moneyRange(valueIn)) {
      state.invalid(TxValidationResult.TX_CONSENSUS, 'bad-txns-inputvalues-outofrange');
      return undefined;
    }
  }

  const valueOut = tx.getValueOut();
  if (valueIn < valueOut) {
    state.invalid(
      TxValidationResult.TX_CONSENSUS,
      'bad-txns-in-belowout',
      `value in (${formatMoney(valueIn)}) < value out (${formatMoney(valueOut)})`,
    );
    return undefined;
  }
  // The fee is what the inputs leave over; it must be a valid amount too.
  const fee = valueIn - valueOut;
  if (!moneyRange(fee)) {
    state.invalid(TxValidationResult.TX_CONSENSUS, 'bad-txns-fee-outofrange');
    return undefined;
  }
  return fee;
}
