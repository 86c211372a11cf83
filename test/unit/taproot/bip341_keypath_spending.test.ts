// BIP341 wallet vectors, key-path part: every fully signed transaction of every group verifies input by input
// through verifyScript, and each spent taproot output is the internal key tweaked with a TapTweak computed here
// from the given merkle root.
import assert from 'node:assert/strict';
import { xonlyFromSeckey, xonlyTweakAdd } from '../../../src/crypto/secp256k1.js';
import { Transaction, TxOut } from '../../../src/primitives/transaction.js';
import { TransactionSignatureChecker, computeTapTweakHash, verifyScript } from '../../../src/script/interpreter.js';
import { MissingDataBehavior } from '../../../src/script/interpreter_types.js';
import { Opcode, ScriptBuilder } from '../../../src/script/script.js';
import { ScriptError, scriptErrorName } from '../../../src/script/script_error.js';
import { PrecomputedTransactionData } from '../../../src/script/sighash.js';
import {
  ALL_SCRIPT_VERIFY_FLAGS,
  MANDATORY_SCRIPT_VERIFY_FLAGS,
} from '../../../src/script/verify_flags.js';
import { bytesToHex, hexToBytes } from '../../../src/util/hex.js';
import { readTestJson } from '../util/paths.js';

interface KeyPathGroup {
  given: { utxosSpent: Array<{ scriptPubKey: string; amountSats: number }> };
  inputSpending: Array<{
    given: { txinIndex: number; internalPrivkey: string; merkleRoot: string | null };
    expected: { witness: string[] };
  }>;
  auxiliary: { fullySignedTx: string };
}

const CONSENSUS = MANDATORY_SCRIPT_VERIFY_FLAGS;

function verifyInput(tx: Transaction, spent: TxOut[], nIn: number, flags: number): ScriptError {
  const txdata = PrecomputedTransactionData.from(tx, spent);
  const checker = new TransactionSignatureChecker(tx, nIn, spent[nIn]!.value, txdata, MissingDataBehavior.ASSERT_FAIL);
  const vin = tx.vin[nIn]!;
  return verifyScript(vin.scriptSig, spent[nIn]!.scriptPubKey, vin.witness, flags, checker);
}

/** `tx` with one byte of input `nIn`'s first witness item (its signature) flipped. */
function withBrokenSignature(tx: Transaction, nIn: number): Transaction {
  const m = tx.toMutable();
  const witness = tx.vin[nIn]!.witness.map((w) => Uint8Array.from(w));
  witness[0]![5]! ^= 1;
  m.setWitness(nIn, witness);
  return m.toTransaction();
}

describe('BIP341 wallet vectors: key-path spending', () => {
  const groups = readTestJson<{ keyPathSpending: KeyPathGroup[] }>('bip341_wallet_vectors.json').keyPathSpending;
  const counts = { inputs: 0, keyPath: 0 };
  after(() => console.log(`      bip341_wallet_vectors.json: ${groups.length} signed transaction(s), ${counts.inputs} inputs verified (${counts.keyPath} key path)`));

  it('has every group of the vector file', () => {
    assert.equal(groups.length, 1);
  });

  groups.forEach((group, g) => {
    const tx = Transaction.fromHex(group.auxiliary.fullySignedTx);
    const spent = group.given.utxosSpent.map((u) => new TxOut(BigInt(u.amountSats), hexToBytes(u.scriptPubKey)));

    it(`group ${g}: every input of fullySignedTx verifies, with consensus and with all flags`, () => {
      assert.equal(tx.vin.length, spent.length);
      assert.equal(tx.vin.length, 9);
      for (let i = 0; i < tx.vin.length; i++) {
        for (const flags of [CONSENSUS, ALL_SCRIPT_VERIFY_FLAGS]) {
          assert.equal(scriptErrorName(verifyInput(tx, spent, i, flags)), scriptErrorName(ScriptError.SCRIPT_ERR_OK), `input ${i}`);
        }
        counts.inputs++;
      }
    });

    it(`group ${g}: each key-path input spends its tweaked key, carries the expected witness, and fails when altered`, () => {
      assert.equal(group.inputSpending.length, 7);
      for (const inp of group.inputSpending) {
        const i = inp.given.txinIndex;
        const internal = xonlyFromSeckey(hexToBytes(inp.given.internalPrivkey));
        const root = inp.given.merkleRoot === null ? null : hexToBytes(inp.given.merkleRoot);
        const output = xonlyTweakAdd(internal, computeTapTweakHash(internal, root))!.output;
        assert.equal(bytesToHex(spent[i]!.scriptPubKey), bytesToHex(new ScriptBuilder().op(Opcode.OP_1).pushData(output).build()), `output key of input ${i}`);
        assert.deepEqual(tx.vin[i]!.witness.map(bytesToHex), inp.expected.witness, `witness of input ${i}`);
        const broken = withBrokenSignature(tx, i);
        assert.equal(scriptErrorName(verifyInput(broken, spent, i, CONSENSUS)), scriptErrorName(ScriptError.SCRIPT_ERR_SCHNORR_SIG), `altered input ${i}`);
        counts.keyPath++;
      }
    });
  });
});
