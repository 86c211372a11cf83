// IsFinalTx, BIP68 sequence locks, sigop counting and CheckTxInputs (Core's consensus/tx_verify.cpp).

import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { COIN } from '../../../src/consensus/amount.js';
import type { ChainEntry } from '../../../src/consensus/chain_entry.js';
import { LOCKTIME_VERIFY_SEQUENCE } from '../../../src/consensus/consensus.js';
import {
  type Coin,
  type CoinsView,
  calculateSequenceLocks,
  checkTxInputs,
  evaluateSequenceLocks,
  getLegacySigOpCount,
  getP2SHSigOpCount,
  getTransactionSigOpCost,
  isFinalTx,
  sequenceLocks,
} from '../../../src/consensus/tx_verify.js';
import { TxValidationResult, TxValidationState } from '../../../src/consensus/validation.js';
import { hash160 } from '../../../src/crypto/ripemd160.js';
import { OutPoint, Transaction, TxIn, TxOut } from '../../../src/primitives/transaction.js';
import { SCRIPT_VERIFY_P2SH, SCRIPT_VERIFY_WITNESS } from '../../../src/script/verify_flags.js';

const OP_CHECKSIG = 0xac;
const OP_CHECKMULTISIG = 0xae;

function txWith(sequences: number[], opts: { version?: number; lockTime?: number } = {}): Transaction {
  return new Transaction({
    version: opts.version ?? 2,
    lockTime: opts.lockTime ?? 0,
    vin: sequences.map((sequence, i) => new TxIn({ prevout: new OutPoint(new Uint8Array(32).fill(i + 1), 0), sequence })),
    vout: [new TxOut(1000n, Uint8Array.of(0x51))],
  });
}

/** A chain of `n` blocks 600 s apart from time 1_600_000_000 (median time past of block h is time(h-5) once h >= 10). */
function chain(n: number): ChainEntry {
  let tip: ChainEntry | undefined;
  for (let h = 0; h < n; h++) tip = { height: h, time: 1_600_000_000 + 600 * h, bits: 0x207fffff, prev: tip };
  return tip!;
}

describe('IsFinalTx', () => {
  it('lock time 0 is always final', () => {
    assert.ok(isFinalTx(txWith([0]), 0, 0));
  });
  it('height lock: final once the block height exceeds it', () => {
    const t = txWith([0], { lockTime: 100 });
    assert.ok(!isFinalTx(t, 100, 2_000_000_000));
    assert.ok(isFinalTx(t, 101, 0));
  });
  it('time lock: final once the block time exceeds it', () => {
    const t = txWith([0], { lockTime: 500_000_000 });
    assert.ok(!isFinalTx(t, 1_000_000, 500_000_000));
    assert.ok(isFinalTx(t, 0, 500_000_001));
  });
  it('all-SEQUENCE_FINAL inputs disable the lock', () => {
    assert.ok(isFinalTx(txWith([0xffffffff, 0xffffffff], { lockTime: 100 }), 1, 0));
    assert.ok(!isFinalTx(txWith([0xffffffff, 0xfffffffe], { lockTime: 100 }), 1, 0));
  });
});

describe('BIP68 sequence locks', () => {
  const tip = chain(30); // heights 0..29
  const next = { height: 30, prev: tip };

  it('height locks: last invalid height is coin height + n - 1', () => {
    const t = txWith([5, 3]);
    const heights = [20, 25];
    const lock = calculateSequenceLocks(t, LOCKTIME_VERIFY_SEQUENCE, heights, next);
    assert.deepEqual(lock, { minHeight: 27, minTime: -1 });
    assert.ok(evaluateSequenceLocks(next, lock));
    assert.ok(!evaluateSequenceLocks({ height: 27, prev: chainAt(tip, 26) }, lock));
    assert.ok(evaluateSequenceLocks({ height: 28, prev: chainAt(tip, 27) }, lock));
  });

  it('time locks count 512-second units from the median time past before the coin', () => {
    const seq = TxIn.SEQUENCE_LOCKTIME_TYPE_FLAG | 2; // 1024 seconds
    const t = txWith([seq]);
    const lock = calculateSequenceLocks(t, LOCKTIME_VERIFY_SEQUENCE, [20], next);
    // Coin at height 20: median time past of block 19 is time(14).
    const mtp19 = 1_600_000_000 + 600 * 14;
    assert.deepEqual(lock, { minHeight: -1, minTime: mtp19 + 1024 - 1 });
    // Block 30's parent (29) has median time past time(24) > minTime: satisfied.
    assert.ok(sequenceLocks(t, LOCKTIME_VERIFY_SEQUENCE, [20], next));
    // A block whose parent is 21 has median time past time(16) = mtp19 + 1200 > lock: satisfied; parent 20: time(15) = mtp19+600: not.
    assert.ok(evaluateSequenceLocks({ height: 22, prev: chainAt(tip, 21) }, lock));
    assert.ok(!evaluateSequenceLocks({ height: 21, prev: chainAt(tip, 20) }, lock));
  });

  it('disabled inputs, version 1 and missing flags are not enforced', () => {
    const disabled = txWith([TxIn.SEQUENCE_LOCKTIME_DISABLE_FLAG | 100, 1]);
    const heights = [29, 10];
    assert.deepEqual(calculateSequenceLocks(disabled, LOCKTIME_VERIFY_SEQUENCE, heights, next), { minHeight: 10, minTime: -1 });
    assert.deepEqual(heights, [0, 10]);
    assert.deepEqual(calculateSequenceLocks(txWith([100], { version: 1 }), LOCKTIME_VERIFY_SEQUENCE, [29], next), { minHeight: -1, minTime: -1 });
    assert.deepEqual(calculateSequenceLocks(txWith([100]), 0, [29], next), { minHeight: -1, minTime: -1 });
    // Version is unsigned: 0xffffffff >= 2 enforces.
    assert.equal(calculateSequenceLocks(txWith([100], { version: 0xffffffff }), LOCKTIME_VERIFY_SEQUENCE, [29], next).minHeight, 128);
    assert.ok(!sequenceLocks(txWith([100]), LOCKTIME_VERIFY_SEQUENCE, [29], next));
  });
});

function chainAt(tip: ChainEntry, h: number): ChainEntry {
  let walk: ChainEntry | undefined = tip;
  while (walk && walk.height > h) walk = walk.prev;
  return walk!;
}

class MapView implements CoinsView {
  readonly coins = new Map<string, Coin>();
  add(op: OutPoint, coin: Coin): this {
    this.coins.set(op.key(), coin);
    return this;
  }
  accessCoin(op: OutPoint): Coin | undefined {
    return this.coins.get(op.key());
  }
}

describe('sigop counting', () => {
  it('legacy count: CHECKSIG 1, bare CHECKMULTISIG 20', () => {
    const t = new Transaction({
      vin: [new TxIn({ prevout: new OutPoint(new Uint8Array(32).fill(1), 0), scriptSig: Uint8Array.of(OP_CHECKSIG) })],
      vout: [new TxOut(1n, Uint8Array.of(0x52, OP_CHECKMULTISIG)), new TxOut(1n, Uint8Array.of(OP_CHECKSIG, OP_CHECKSIG))],
    });
    assert.equal(getLegacySigOpCount(t), 1 + 20 + 2);
  });

  it('P2SH redeem scripts are counted accurately, and cost is scaled by 4', () => {
    const redeem = Uint8Array.of(0x52, 0x21, ...new Uint8Array(33).fill(2), 0x21, ...new Uint8Array(33).fill(3), 0x52, OP_CHECKMULTISIG);
    const p2sh = Uint8Array.of(0xa9, 0x14, ...hash160(redeem), 0x87);
    const op = new OutPoint(new Uint8Array(32).fill(9), 1);
    const scriptSig = Uint8Array.of(0x00, 0x4c, redeem.length, ...redeem);
    const t = new Transaction({ vin: [new TxIn({ prevout: op, scriptSig })], vout: [new TxOut(1n, Uint8Array.of(0x51))] });
    const view = new MapView().add(op, { out: new TxOut(1000n, p2sh), height: 1, coinbase: false });
    assert.equal(getP2SHSigOpCount(t, view), 2);
    assert.equal(getTransactionSigOpCost(t, view, SCRIPT_VERIFY_P2SH), 8);
    assert.equal(getTransactionSigOpCost(t, view, 0), 0);
  });

  it('P2WPKH spends cost one witness sigop', () => {
    const op = new OutPoint(new Uint8Array(32).fill(8), 0);
    const p2wpkh = Uint8Array.of(0x00, 0x14, ...new Uint8Array(20).fill(4));
    const t = new Transaction({
      vin: [new TxIn({ prevout: op, witness: [new Uint8Array(71), new Uint8Array(33)] })],
      vout: [new TxOut(1n, Uint8Array.of(0x51))],
    });
    const view = new MapView().add(op, { out: new TxOut(1000n, p2wpkh), height: 1, coinbase: false });
    assert.equal(getTransactionSigOpCost(t, view, SCRIPT_VERIFY_P2SH | SCRIPT_VERIFY_WITNESS), 1);
    assert.equal(getTransactionSigOpCost(t, view, SCRIPT_VERIFY_P2SH), 0);
  });
});

describe('CheckTxInputs', () => {
  const opA = new OutPoint(new Uint8Array(32).fill(0xa), 0);
  const opB = new OutPoint(new Uint8Array(32).fill(0xb), 1);
  const spend = (value: bigint) =>
    new Transaction({ vin: [new TxIn({ prevout: opA }), new TxIn({ prevout: opB })], vout: [new TxOut(value, Uint8Array.of(0x51))] });

  it('returns the fee', () => {
    const view = new MapView().add(opA, { out: new TxOut(COIN, Uint8Array.of(0x51)), height: 5, coinbase: false }).add(opB, { out: new TxOut(COIN, Uint8Array.of(0x51)), height: 5, coinbase: false });
    const state = new TxValidationState();
    assert.equal(checkTxInputs(spend(COIN + COIN / 2n), state, view, 10), COIN / 2n);
    assert.ok(state.isValid());
  });

  it('bad-txns-inputs-missingorspent', () => {
    const view = new MapView().add(opA, { out: new TxOut(COIN, Uint8Array.of(0x51)), height: 5, coinbase: false });
    const state = new TxValidationState();
    assert.equal(checkTxInputs(spend(1n), state, view, 10), undefined);
    assert.equal(state.getResult(), TxValidationResult.TX_MISSING_INPUTS);
    assert.equal(state.toString(), 'bad-txns-inputs-missingorspent, CheckTxInputs: inputs missing/spent');
  });

  it('bad-txns-premature-spend-of-coinbase', () => {
    const view = new MapView().add(opA, { out: new TxOut(COIN, Uint8Array.of(0x51)), height: 5, coinbase: true }).add(opB, { out: new TxOut(COIN, Uint8Array.of(0x51)), height: 5, coinbase: false });
    const state = new TxValidationState();
    assert.equal(checkTxInputs(spend(1n), state, view, 104), undefined);
    assert.equal(state.getResult(), TxValidationResult.TX_PREMATURE_SPEND);
    assert.equal(state.toString(), 'bad-txns-premature-spend-of-coinbase, tried to spend coinbase at depth 99');
    assert.equal(checkTxInputs(spend(1n), new TxValidationState(), view, 105), 2n * COIN - 1n);
  });

  it('bad-txns-inputvalues-outofrange', () => {
    const view = new MapView().add(opA, { out: new TxOut(-1n, Uint8Array.of(0x51)), height: 5, coinbase: false }).add(opB, { out: new TxOut(COIN, Uint8Array.of(0x51)), height: 5, coinbase: false });
    const state = new TxValidationState();
    assert.equal(checkTxInputs(spend(1n), state, view, 10), undefined);
    assert.equal(state.getRejectReason(), 'bad-txns-inputvalues-outofrange');
  });

  it('bad-txns-in-belowout with FormatMoney amounts', () => {
    const view = new MapView().add(opA, { out: new TxOut(COIN, Uint8Array.of(0x51)), height: 5, coinbase: false }).add(opB, { out: new TxOut(COIN / 2n, Uint8Array.of(0x51)), height: 5, coinbase: false });
    const state = new TxValidationState();
    assert.equal(checkTxInputs(spend(2n * COIN), state, view, 10), undefined);
    assert.equal(state.getResult(), TxValidationResult.TX_CONSENSUS);
    assert.equal(state.toString(), 'bad-txns-in-belowout, value in (1.50) < value out (2.00)');
  });
});
