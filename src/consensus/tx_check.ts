// Context-free transaction checks (Core's consensus/tx_check.cpp: CheckTransaction).

import { type Transaction } from '../primitives/transaction.js';
import { MAX_MONEY, moneyRange } from './amount.js';
import { MAX_BLOCK_WEIGHT, WITNESS_SCALE_FACTOR } from './consensus.js';
import { TxValidationResult, type TxValidationState } from './validation.js';

/** The checks that need nothing but the transaction itself. Returns false and fills `state` on failure. */
export function checkTransaction(tx: Transaction, state: TxValidationState): boolean {
  const fail = (reason: string): false => state.invalid(TxValidationResult.TX_CONSENSUS, reason);

  if (tx.vin.length === 0) return fail('bad-txns-vin-empty');
  if (tx.vout.length === 0) return fail('bad-txns-vout-empty');
  // Size limits (the witness is not counted: it has not been checked for malleability yet).
  if (tx.getStrippedSize() * WITNESS_SCALE_FACTOR > MAX_BLOCK_WEIGHT) return fail('bad-txns-oversize');

  // Output values: each and their running sum must stay within [0, MAX_MONEY] (CVE-2010-5139 was an overflow here).
  let valueOut = 0n;
  for (let i = 0; i < tx.vout.length; i++) {
    const out = tx.vout[i]!;
    if (out.value < 0n) return fail('bad-txns-vout-negative');
    if (out.value > MAX_MONEY) return fail('bad-txns-vout-toolarge');
    valueOut += out.value;
    if (!moneyRange(valueOut)) return fail('bad-txns-txouttotal-toolarge');
  }

  // No outpoint may be spent twice by one transaction (CVE-2018-17144). The coins view would not notice:
  // it only confirms that each input exists.
  // The outpoints' binary keys are made once per outpoint object (the coins caches use them too).
  if (tx.vin.length > 1) {
    const seen = new Set<string>();
    for (let i = 0; i < tx.vin.length; i++) {
      const key = tx.vin[i]!.prevout.binaryKey();
      if (seen.has(key)) return fail('bad-txns-inputs-duplicate');
      seen.add(key);
    }
  }

  if (tx.isCoinBase()) {
    const len = tx.vin[0]!.scriptSig.length;
    if (len < 2 || len > 100) return fail('bad-cb-length');
  } else {
    for (const input of tx.vin) {
      if (input.prevout.isNull()) return fail('bad-txns-prevout-null');
    }
  }
  return true;
}
