// CheckTransaction: every reject reason of Core's consensus/tx_check.cpp on small constructed transactions.

import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { MAX_MONEY } from '../../../src/consensus/amount.js';
import { checkTransaction } from '../../../src/consensus/tx_check.js';
import { TxValidationResult, TxValidationState, ValidationError } from '../../../src/consensus/validation.js';
import { OutPoint, Transaction, TxIn, TxOut } from '../../../src/primitives/transaction.js';
import { readTestJson } from '../util/paths.js';

const P2PKH = Uint8Array.from([0x76, 0xa9, 0x14, ...new Uint8Array(20).fill(7), 0x88, 0xac]);

function prevout(n: number, fill = 1): OutPoint {
  return new OutPoint(new Uint8Array(32).fill(fill), n);
}

function tx(vin: TxIn[], vout: TxOut[]): Transaction {
  return new Transaction({ version: 2, vin, vout });
}

function spend(...outpoints: OutPoint[]): TxIn[] {
  return outpoints.map((p) => new TxIn({ prevout: p, scriptSig: Uint8Array.of(0x51) }));
}

function reject(t: Transaction): string {
  const state = new TxValidationState();
  assert.equal(checkTransaction(t, state), false);
  assert.ok(state.isInvalid());
  assert.equal(state.getResult(), TxValidationResult.TX_CONSENSUS);
  return state.getRejectReason();
}

describe('CheckTransaction', () => {
  it('accepts a plain spend and a coinbase', () => {
    const ok = new TxValidationState();
    assert.ok(checkTransaction(tx(spend(prevout(0)), [new TxOut(1000n, P2PKH)]), ok));
    assert.ok(ok.isValid());
    assert.equal(ok.toString(), 'Valid');
    const cb = tx([new TxIn({ prevout: new OutPoint(), scriptSig: Uint8Array.of(0x01, 0x01) })], [new TxOut(50n, P2PKH)]);
    assert.ok(checkTransaction(cb, new TxValidationState()));
  });

  it('bad-txns-vin-empty', () => {
    assert.equal(reject(tx([], [new TxOut(1n, P2PKH)])), 'bad-txns-vin-empty');
  });

  it('bad-txns-vout-empty', () => {
    assert.equal(reject(tx(spend(prevout(0)), [])), 'bad-txns-vout-empty');
  });

  it('bad-txns-oversize (stripped size × 4 over the block weight limit)', () => {
    const big = new TxOut(1n, new Uint8Array(1_000_000));
    assert.equal(reject(tx(spend(prevout(0)), [big])), 'bad-txns-oversize');
    // Witness bytes are not counted here.
    const witnessy = tx(spend(prevout(0)), [new TxOut(1n, P2PKH)]).toMutable();
    witnessy.setWitness(0, [new Uint8Array(1_100_000)]);
    assert.ok(checkTransaction(witnessy.toTransaction(), new TxValidationState()));
  });

  it('bad-txns-vout-negative', () => {
    assert.equal(reject(tx(spend(prevout(0)), [new TxOut(-1n, P2PKH)])), 'bad-txns-vout-negative');
  });

  it('bad-txns-vout-toolarge', () => {
    assert.equal(reject(tx(spend(prevout(0)), [new TxOut(MAX_MONEY + 1n, P2PKH)])), 'bad-txns-vout-toolarge');
    assert.ok(checkTransaction(tx(spend(prevout(0)), [new TxOut(MAX_MONEY, P2PKH)]), new TxValidationState()));
  });

  it('bad-txns-txouttotal-toolarge', () => {
    const outs = [new TxOut(MAX_MONEY, P2PKH), new TxOut(1n, P2PKH)];
    assert.equal(reject(tx(spend(prevout(0)), outs)), 'bad-txns-txouttotal-toolarge');
  });

  it('bad-txns-inputs-duplicate (CVE-2018-17144)', () => {
    assert.equal(reject(tx(spend(prevout(3), prevout(4), prevout(3)), [new TxOut(1n, P2PKH)])), 'bad-txns-inputs-duplicate');
    // Same txid, other index: fine.
    assert.ok(checkTransaction(tx(spend(prevout(3), prevout(4)), [new TxOut(1n, P2PKH)]), new TxValidationState()));
  });

  it('bad-cb-length (scriptSig of 2..100 bytes)', () => {
    const cb = (len: number) => tx([new TxIn({ prevout: new OutPoint(), scriptSig: new Uint8Array(len) })], [new TxOut(1n, P2PKH)]);
    assert.equal(reject(cb(1)), 'bad-cb-length');
    assert.equal(reject(cb(101)), 'bad-cb-length');
    assert.ok(checkTransaction(cb(2), new TxValidationState()));
    assert.ok(checkTransaction(cb(100), new TxValidationState()));
  });

  it('bad-txns-prevout-null', () => {
    assert.equal(reject(tx(spend(prevout(0), new OutPoint()), [new TxOut(1n, P2PKH)])), 'bad-txns-prevout-null');
  });

  it('ValidationError carries code, reason and debug', () => {
    const state = new TxValidationState();
    checkTransaction(tx([], [new TxOut(1n, P2PKH)]), state);
    const err = ValidationError.fromTxState(state);
    assert.equal(err.reason, 'bad-txns-vin-empty');
    assert.equal(err.code, TxValidationResult.TX_CONSENSUS);
    assert.equal(err.debug, '');
    assert.equal(err.message, 'bad-txns-vin-empty');
    assert.throws(() => ValidationError.fromTxState(new TxValidationState()));
  });
});

describe('CheckTransaction on Core\'s tx_valid.json / tx_invalid.json', () => {
  type Row = [unknown, string, string] | [string];
  const cases = (name: string) => readTestJson<Row[]>(name).filter((r): r is [unknown, string, string] => Array.isArray(r[0]));

  it('passes every tx_valid.json transaction', () => {
    const rows = cases('tx_valid.json');
    assert.equal(rows.length, 121);
    for (const [, hex] of rows) {
      const state = new TxValidationState();
      assert.ok(checkTransaction(Transaction.fromHex(hex), state), `${state.toString()}: ${hex}`);
    }
  });

  it('fails exactly the tx_invalid.json transactions marked BADTX', () => {
    let bad = 0;
    for (const [, hex, flags] of cases('tx_invalid.json')) {
      const ok = checkTransaction(Transaction.fromHex(hex), new TxValidationState());
      if (flags === 'BADTX') {
        bad++;
        assert.ok(!ok, `BADTX passes: ${hex}`);
      } else {
        assert.ok(ok, `fails CheckTransaction but is not marked BADTX: ${hex}`);
      }
    }
    assert.equal(bad, 9);
  });
});
