// Core's tx_valid.json / tx_invalid.json, run as transaction_tests.cpp does: CheckTransaction, then every input's
// scripts with the given flags, then flag subsets/supersets and the "flags are minimal/maximal" checks.
import assert from 'node:assert/strict';
import { readTestJson } from '../util/paths.js';
import { checkTransaction } from '../../../src/consensus/tx_check.js';
import { TxValidationState } from '../../../src/consensus/validation.js';
import { OutPoint, Transaction } from '../../../src/primitives/transaction.js';
import { TransactionSignatureChecker, verifyScript } from '../../../src/script/interpreter.js';
import { MissingDataBehavior } from '../../../src/script/interpreter_types.js';
import { ScriptError, scriptErrorString } from '../../../src/script/script_error.js';
import { parseScript } from '../../../src/script/script_parse.js';
import { PrecomputedTransactionData } from '../../../src/script/sighash.js';
import {
  MAX_SCRIPT_VERIFY_FLAGS_BITS,
  SCRIPT_VERIFY_CLEANSTACK,
  SCRIPT_VERIFY_FLAG_NAMES,
  SCRIPT_VERIFY_P2SH,
  SCRIPT_VERIFY_WITNESS,
  isValidFlagCombination,
  parseScriptFlags,
} from '../../../src/script/verify_flags.js';
import { hexToHash } from '../../../src/util/hex.js';
import { TestRng } from './script_test_util.js';

type Entry = unknown[];

interface TxCase {
  text: string;
  tx: Transaction;
  prevScripts: Map<string, Uint8Array>;
  prevValues: Map<string, bigint>;
  flagsField: string;
}

// Core's flags are a uint32; ~flags sets the unused high bits too, which the interpreter ignores.
const U32 = 0xffffffff;
const not = (f: number): number => ~f >>> 0;

function loadCases(file: string): TxCase[] {
  const out: TxCase[] = [];
  for (const entry of readTestJson<Entry[]>(file)) {
    if (!Array.isArray(entry[0])) continue; // comment
    const text = JSON.stringify(entry);
    if (entry.length !== 3 || typeof entry[1] !== 'string' || typeof entry[2] !== 'string') throw new Error(`Bad test: ${text}`);
    const prevScripts = new Map<string, Uint8Array>();
    const prevValues = new Map<string, bigint>();
    for (const input of entry[0] as unknown[][]) {
      if (!Array.isArray(input) || input.length < 3 || input.length > 4) throw new Error(`Bad test: ${text}`);
      const op = new OutPoint(hexToHash(input[0] as string), (input[1] as number) >>> 0);
      prevScripts.set(op.key(), parseScript(input[2] as string));
      if (input.length >= 4) prevValues.set(op.key(), BigInt(input[3] as number));
    }
    out.push({ text, tx: Transaction.fromHex(entry[1]), prevScripts, prevValues, flagsField: entry[2] });
  }
  return out;
}

/** Core's CheckTxScripts: every input (stopping at the first failure) against expect_valid. */
function checkTxScripts(c: TxCase, flags: number, txdata: PrecomputedTransactionData, expectValid: boolean): { ok: boolean; detail: string } {
  let txValid = true;
  let err = ScriptError.SCRIPT_ERR_OK;
  for (let i = 0; i < c.tx.vin.length && txValid; i++) {
    const input = c.tx.vin[i]!;
    const key = input.prevout.key();
    const spk = c.prevScripts.get(key);
    if (!spk) throw new Error(`Bad test: missing prevout ${key}: ${c.text}`);
    const amount = c.prevValues.get(key) ?? 0n;
    const checker = new TransactionSignatureChecker(c.tx, i, amount, txdata, MissingDataBehavior.ASSERT_FAIL);
    err = verifyScript(input.scriptSig, spk, input.witness, flags, checker);
    txValid = err === ScriptError.SCRIPT_ERR_OK;
    if (expectValid && !txValid) return { ok: false, detail: `input ${i}: ${scriptErrorString(err)}` };
  }
  return { ok: txValid === expectValid, detail: scriptErrorString(err) };
}

/** WITNESS needs P2SH, CLEANSTACK needs WITNESS: drop what cannot stay. */
function trimFlags(f: number): number {
  let flags = f >>> 0;
  if (!(flags & SCRIPT_VERIFY_P2SH)) flags &= ~SCRIPT_VERIFY_WITNESS;
  if (!(flags & SCRIPT_VERIFY_WITNESS)) flags &= ~SCRIPT_VERIFY_CLEANSTACK;
  assert.ok(isValidFlagCombination(flags));
  return flags >>> 0;
}

/** CLEANSTACK implies WITNESS implies P2SH: add what is missing. */
function fillFlags(f: number): number {
  let flags = f >>> 0;
  if (flags & SCRIPT_VERIFY_CLEANSTACK) flags |= SCRIPT_VERIFY_WITNESS;
  if (flags & SCRIPT_VERIFY_WITNESS) flags |= SCRIPT_VERIFY_P2SH;
  assert.ok(isValidFlagCombination(flags));
  return flags >>> 0;
}

/** Core's ExcludeIndividualFlags: each flag removed in turn (trimmed), without duplicates or no-ops. */
function excludeIndividualFlags(flags: number): number[] {
  const combos = new Set<number>();
  for (const flag of SCRIPT_VERIFY_FLAG_NAMES.values()) {
    const without = trimFlags(flags & ~flag);
    if (without !== flags >>> 0) combos.add(without);
  }
  return [...combos];
}

describe('transaction_tests (tx_valid.json, tx_invalid.json)', function () {
  this.timeout(20000);
  let validCount = 0;
  let invalidCount = 0;
  let badTxCount = 0;
  let flagRuns = 0;

  after(() => {
    console.log(`      tx_valid.json: ${validCount} cases; tx_invalid.json: ${invalidCount} cases (${badTxCount} BADTX); ${flagRuns} flag combinations`);
  });

  it('tx_valid.json: every transaction is valid, with flags that are maximal', () => {
    const rng = new TestRng(0x7a11d);
    const failures: string[] = [];
    const cases = loadCases('tx_valid.json');
    assert.equal(cases.length, 121);
    for (const c of cases) {
      validCount++;
      const state = new TxValidationState();
      if (!checkTransaction(c.tx, state) || !state.isValid()) {
        failures.push(`CheckTransaction failed (${state.getRejectReason()}): ${c.text}`);
        continue;
      }
      const txdata = PrecomputedTransactionData.from(c.tx);
      // The field lists the flags to leave out.
      const excluded = parseScriptFlags(c.flagsField);
      if (not(excluded) !== fillFlags(not(excluded))) failures.push(`Bad test flags: ${c.text}`);

      const main = checkTxScripts(c, not(excluded), txdata, true);
      flagRuns++;
      if (!main.ok) failures.push(`Tx unexpectedly failed (${main.detail}): ${c.text}`);

      // Removing flags must never invalidate a valid transaction.
      for (const [name, flag] of SCRIPT_VERIFY_FLAG_NAMES) {
        const one = trimFlags(not(excluded | flag));
        flagRuns++;
        if (!checkTxScripts(c, one, txdata, true).ok) failures.push(`Tx unexpectedly failed with flag ${name} unset: ${c.text}`);
        const random = trimFlags(not(excluded | rng.randbits(SCRIPT_VERIFY_FLAG_NAMES.size)));
        flagRuns++;
        if (!checkTxScripts(c, random, txdata, true).ok) failures.push(`Tx unexpectedly failed with random flags ${random}: ${c.text}`);
      }

      // The excluded flags are exactly the ones that matter: setting any one of them back must fail.
      for (const without of excludeIndividualFlags(excluded)) {
        flagRuns++;
        if (!checkTxScripts(c, not(without), txdata, false).ok) failures.push(`Too many flags unset: ${c.text}`);
      }
    }
    assert.deepEqual(failures, []);
  });

  it('tx_invalid.json: every transaction is invalid, with flags that are minimal', () => {
    const rng = new TestRng(0xbad7);
    const failures: string[] = [];
    const cases = loadCases('tx_invalid.json');
    assert.equal(cases.length, 93);
    for (const c of cases) {
      invalidCount++;
      const state = new TxValidationState();
      if (!checkTransaction(c.tx, state) || state.isInvalid()) {
        badTxCount++;
        if (c.flagsField !== 'BADTX') failures.push(`CheckTransaction failed (${state.getRejectReason()}) but not marked BADTX: ${c.text}`);
        continue;
      }
      if (c.flagsField === 'BADTX') {
        failures.push(`marked BADTX but passes CheckTransaction: ${c.text}`);
        continue;
      }
      const txdata = PrecomputedTransactionData.from(c.tx);
      const flags = parseScriptFlags(c.flagsField);
      if (flags !== fillFlags(flags)) failures.push(`Bad test flags: ${c.text}`);

      flagRuns++;
      if (!checkTxScripts(c, flags, txdata, false).ok) failures.push(`Tx unexpectedly passed: ${c.text}`);

      // Adding flags must never validate an invalid transaction.
      for (const [name, flag] of SCRIPT_VERIFY_FLAG_NAMES) {
        flagRuns += 2;
        if (!checkTxScripts(c, fillFlags(flags | flag), txdata, false).ok) failures.push(`Tx unexpectedly passed with flag ${name} set: ${c.text}`);
        const random = fillFlags(flags | rng.randbits(SCRIPT_VERIFY_FLAG_NAMES.size));
        if (!checkTxScripts(c, random, txdata, false).ok) failures.push(`Tx unexpectedly passed with random flags ${random}: ${c.text}`);
      }

      // Every listed flag is needed: removing any one makes the transaction pass.
      for (const without of excludeIndividualFlags(flags)) {
        flagRuns++;
        if (!checkTxScripts(c, without, txdata, true).ok) failures.push(`Too many flags set: ${c.text}`);
      }
    }
    assert.deepEqual(failures, []);
    assert.equal(badTxCount, 9);
  });

  it('uses every flag bit Core defines', () => {
    let all = 0;
    for (const f of SCRIPT_VERIFY_FLAG_NAMES.values()) all |= f;
    assert.equal(all, (1 << MAX_SCRIPT_VERIFY_FLAGS_BITS) - 1);
    assert.equal(U32 >>> 0, 0xffffffff);
  });
});
