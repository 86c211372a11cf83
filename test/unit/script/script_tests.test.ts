// Every case of Core's script_tests.json: the exact expected ScriptError, then (as Core's DoTest) random flag
// subsets of passing cases must still pass and random flag supersets of failing cases must still fail.
import assert from 'node:assert/strict';
import { readTestJson } from '../util/paths.js';
import { TransactionSignatureChecker, verifyScript } from '../../../src/script/interpreter.js';
import { MissingDataBehavior } from '../../../src/script/interpreter_types.js';
import { Opcode, ScriptBuilder } from '../../../src/script/script.js';
import { ScriptError, parseScriptErrorShortName, scriptErrorShortName } from '../../../src/script/script_error.js';
import { parseScript } from '../../../src/script/script_parse.js';
import {
  MAX_SCRIPT_VERIFY_FLAGS_BITS,
  SCRIPT_VERIFY_CLEANSTACK,
  SCRIPT_VERIFY_P2SH,
  SCRIPT_VERIFY_WITNESS,
  formatScriptFlags,
  parseScriptFlags,
} from '../../../src/script/verify_flags.js';
import { hexToBytes } from '../../../src/util/hex.js';
import {
  KEY0_XONLY,
  TestRng,
  amountFromValue,
  buildCreditingTransaction,
  buildSpendingTransaction,
  singleLeafTaproot,
} from './script_test_util.js';

type Entry = unknown[];

interface ParsedCase {
  index: number;
  text: string;
  witness: Uint8Array[];
  amount: bigint;
  scriptSig: Uint8Array;
  scriptPubKey: Uint8Array;
  flags: number;
  expected: ScriptError;
}

const SCRIPT_FLAG = '#SCRIPT#';
const TAPROOT_OUTPUT = '0x51 0x20 #TAPROOTOUTPUT#';

function parseCase(entry: Entry, index: number): ParsedCase | null {
  const text = JSON.stringify(entry);
  let pos = 0;
  const witness: Uint8Array[] = [];
  let amount = 0n;
  let taprootOutput: Uint8Array | null = null;
  if (Array.isArray(entry[0])) {
    const w = entry[0] as unknown[];
    for (let i = 0; i < w.length - 1; i++) {
      const el = w[i] as string;
      if (el.startsWith(SCRIPT_FLAG)) {
        witness.push(parseScript(el.slice(SCRIPT_FLAG.length)));
      } else if (el === '#CONTROLBLOCK#') {
        // The control block of a single-leaf tree over the preceding script, internal key = key0.
        const leaf = singleLeafTaproot(KEY0_XONLY, witness[witness.length - 1]!);
        taprootOutput = leaf.output;
        witness.push(leaf.control);
      } else {
        witness.push(hexToBytes(el));
      }
    }
    amount = amountFromValue(w[w.length - 1] as number);
    pos++;
  }
  if (entry.length < 4 + pos) {
    if (entry.length !== 1) throw new Error(`Bad test: ${text}`);
    return null; // comment
  }
  const scriptSig = parseScript(entry[pos++] as string);
  const spkText = entry[pos++] as string;
  let scriptPubKey: Uint8Array;
  if (spkText === TAPROOT_OUTPUT) {
    if (!taprootOutput) throw new Error(`Failed to autogenerate Tapscript output key: ${text}`);
    scriptPubKey = new ScriptBuilder().op(Opcode.OP_1).pushData(taprootOutput).build();
  } else {
    scriptPubKey = parseScript(spkText);
  }
  const flags = parseScriptFlags(entry[pos++] as string);
  const expectedName = entry[pos++] as string;
  const expected = parseScriptErrorShortName(expectedName);
  if (expected === undefined) throw new Error(`Unknown scripterror "${expectedName}" in test description`);
  return { index, text, witness, amount, scriptSig, scriptPubKey, flags, expected };
}

function run(c: ParsedCase, flags: number): ScriptError {
  const credit = buildCreditingTransaction(c.scriptPubKey, c.amount);
  const spend = buildSpendingTransaction(c.scriptSig, c.witness, credit);
  const checker = new TransactionSignatureChecker(spend, 0, credit.vout[0]!.value, null, MissingDataBehavior.ASSERT_FAIL);
  return verifyScript(c.scriptSig, c.scriptPubKey, c.witness, flags, checker);
}

// Core tries 256 random combinations per case; a smaller seeded sample keeps this file well inside its time budget.
const RANDOM_FLAG_TRIALS = 64;

describe('script_tests.json', function () {
  this.timeout(20000);
  const entries = readTestJson<Entry[]>('script_tests.json');
  const cases = entries.map((e, i) => parseCase(e, i)).filter((c): c is ParsedCase => c !== null);
  let checked = 0;
  let flagVariants = 0;

  after(() => {
    console.log(`      script_tests.json: ${checked} cases (${flagVariants} extra flag combinations)`);
  });

  it('parses every entry', () => {
    // Exact, so that a vector file that loses (or gains) cases is noticed.
    assert.equal(cases.length, 1222);
  });

  it('every case gives exactly the expected result', () => {
    const failures: string[] = [];
    for (const c of cases) {
      let flags = c.flags;
      // As Core's DoTest: CLEANSTACK is only meaningful together with P2SH and WITNESS.
      if (flags & SCRIPT_VERIFY_CLEANSTACK) flags |= SCRIPT_VERIFY_P2SH | SCRIPT_VERIFY_WITNESS;
      const got = run(c, flags);
      if (got !== c.expected) {
        failures.push(`#${c.index} ${scriptErrorShortName(got)} where ${scriptErrorShortName(c.expected)} expected: ${c.text}`);
      }
      checked++;
    }
    assert.deepEqual(failures, []);
  });

  it('removing flags keeps passing cases passing, adding flags keeps failing cases failing', () => {
    const rng = new TestRng(0x5eed1234);
    const failures: string[] = [];
    for (const c of cases) {
      let flags = c.flags;
      if (flags & SCRIPT_VERIFY_CLEANSTACK) flags |= SCRIPT_VERIFY_P2SH | SCRIPT_VERIFY_WITNESS;
      const expectOk = c.expected === ScriptError.SCRIPT_ERR_OK;
      for (let t = 0; t < RANDOM_FLAG_TRIALS; t++) {
        const extra = rng.randbits(MAX_SCRIPT_VERIFY_FLAGS_BITS);
        const combined = expectOk ? flags & ~extra : flags | extra;
        // The same invalid combinations Core weeds out.
        if (combined & SCRIPT_VERIFY_CLEANSTACK && ~combined & (SCRIPT_VERIFY_P2SH | SCRIPT_VERIFY_WITNESS)) continue;
        if (combined & SCRIPT_VERIFY_WITNESS && ~combined & SCRIPT_VERIFY_P2SH) continue;
        flagVariants++;
        const ok = run(c, combined) === ScriptError.SCRIPT_ERR_OK;
        if (ok !== expectOk) failures.push(`#${c.index} with flags ${formatScriptFlags(combined)}: ${c.text}`);
      }
    }
    assert.deepEqual(failures, []);
  });
});
