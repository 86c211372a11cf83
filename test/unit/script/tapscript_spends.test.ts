// Tapscript script-path spends (BIP341/342) built with TaprootBuilder and signed with BIP340: a valid spend, then
// one spend for each way a script path can fail, each checked through verifyScript against Core's error code and
// message. Where a rule has a boundary (validation weight, initial stack size, path length), both sides are tested.
import assert from 'node:assert/strict';
import { schnorrSign, xonlyFromSeckey, xonlyTweakAdd } from '../../../src/crypto/secp256k1.js';
import { sha256 } from '../../../src/crypto/sha256.js';
import { OutPoint, Transaction, TxIn, TxOut } from '../../../src/primitives/transaction.js';
import { TransactionSignatureChecker, computeTapbranchHash, computeTapleafHash, computeTapTweakHash, verifyScript } from '../../../src/script/interpreter.js';
import { MissingDataBehavior, SIGHASH_DEFAULT, TAPROOT_LEAF_TAPSCRIPT } from '../../../src/script/interpreter_types.js';
import { Opcode, ScriptBuilder } from '../../../src/script/script.js';
import { ScriptError, scriptErrorName, scriptErrorString } from '../../../src/script/script_error.js';
import { PrecomputedTransactionData, signatureHashSchnorr } from '../../../src/script/sighash.js';
import { TaprootBuilder, controlBlock, type TaprootLeaf, type TaprootOutput } from '../../../src/script/taproot_builder.js';
import {
  ALL_SCRIPT_VERIFY_FLAGS,
  MANDATORY_SCRIPT_VERIFY_FLAGS,
  SCRIPT_VERIFY_DISCOURAGE_OP_SUCCESS,
  SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_TAPROOT_VERSION,
} from '../../../src/script/verify_flags.js';
import { ByteWriter, compactSizeLen } from '../../../src/util/serialize.js';

const CONSENSUS = MANDATORY_SCRIPT_VERIFY_FLAGS;
const ALL = ALL_SCRIPT_VERIFY_FLAGS;
const OK = ScriptError.SCRIPT_ERR_OK;

/** Secret keys 0x33..n; x-only signing uses whichever y parity the point has, so any valid key works. */
function secret(n: number): Uint8Array {
  const sk = new Uint8Array(32).fill(0x33);
  sk[31] = n;
  return sk;
}

const SK_A = secret(1);
const SK_B = secret(2);
const PK_A = xonlyFromSeckey(SK_A);
const PK_B = xonlyFromSeckey(SK_B);
const INTERNAL = xonlyFromSeckey(secret(3));
const ONE = Uint8Array.of(1);

/** A transaction with one input spending `spk` and one output, unsigned. */
function spending(spk: Uint8Array): { tx: Transaction; spent: TxOut[] } {
  const tx = new Transaction({
    version: 2,
    vin: [new TxIn({ prevout: new OutPoint(new Uint8Array(32).fill(0x5c), 3), sequence: 0xfffffffd })],
    vout: [new TxOut(99_000n, Uint8Array.of(Opcode.OP_1, 0x20, ...new Uint8Array(32).fill(7)))],
  });
  return { tx, spent: [new TxOut(100_000n, spk)] };
}

function taprootScriptPubKey(output: TaprootOutput | Uint8Array): Uint8Array {
  const key = output instanceof Uint8Array ? output : output.outputKey;
  return new ScriptBuilder().op(Opcode.OP_1).pushData(key).build();
}

/** A taproot output over `leaves`, all at depth log2(leaves.length) (1, 2, 4 or 8 leaves). */
function balancedTree(leaves: Array<{ script: Uint8Array; version?: number }>): TaprootOutput {
  const depth = Math.log2(leaves.length);
  if (!Number.isInteger(depth)) throw new RangeError('balancedTree takes a power of two leaves');
  const b = new TaprootBuilder();
  for (const l of leaves) b.add(depth, l.script, l.version ?? TAPROOT_LEAF_TAPSCRIPT);
  return b.finalize(INTERNAL);
}

function annexHashOf(annex: Uint8Array): Uint8Array {
  return sha256(new ByteWriter(compactSizeLen(annex.length) + annex.length).writeVarBytes(annex).peek());
}

/** BIP340 signature (SIGHASH_DEFAULT) of input 0 for a script-path spend of `leaf`, committing to `annex` if given. */
function signLeaf(tx: Transaction, spent: TxOut[], leaf: TaprootLeaf, sk: Uint8Array, annex?: Uint8Array): Uint8Array {
  const execdata = {
    annexPresent: annex !== undefined,
    annexHash: annex && annexHashOf(annex),
    tapleafHash: leaf.leafHash,
    codeseparatorPos: 0xffffffff,
  };
  const txdata = PrecomputedTransactionData.from(tx, spent, true);
  const sighash = signatureHashSchnorr(tx, 0, SIGHASH_DEFAULT, 'tapscript', txdata, execdata);
  if (!sighash) throw new Error('no sighash');
  return schnorrSign(sighash, sk);
}

function verify(tx: Transaction, spent: TxOut[], witness: Uint8Array[], flags: number): ScriptError {
  const signed = new Transaction({ version: tx.version, vin: [tx.vin[0]!.withWitness(witness)], vout: tx.vout, lockTime: tx.lockTime });
  const txdata = PrecomputedTransactionData.from(signed, spent);
  const checker = new TransactionSignatureChecker(signed, 0, spent[0]!.value, txdata, MissingDataBehavior.ASSERT_FAIL);
  return verifyScript(signed.vin[0]!.scriptSig, spent[0]!.scriptPubKey, signed.vin[0]!.witness, flags, checker);
}

/** The result is `want`, by name, and (for failures) its message is Core's text to the letter. */
function expectResult(got: ScriptError, want: ScriptError, message?: string): void {
  assert.equal(scriptErrorName(got), scriptErrorName(want));
  if (message !== undefined) assert.equal(scriptErrorString(got), message);
}

/** Serialized size of a witness stack: the base of the BIP342 validation weight budget. */
function witnessSize(witness: Uint8Array[]): number {
  return witness.reduce((n, item) => n + compactSizeLen(item.length) + item.length, compactSizeLen(witness.length));
}

describe('tapscript script-path spends', () => {
  const checksigA = new ScriptBuilder().pushData(PK_A).op(Opcode.OP_CHECKSIG).build();
  const checksigB = new ScriptBuilder().pushData(PK_B).op(Opcode.OP_CHECKSIG).build();

  it('a signed CHECKSIG leaf two levels deep verifies; a signature for another leaf does not', () => {
    const out = balancedTree([{ script: checksigA }, { script: checksigB }, { script: Uint8Array.of(Opcode.OP_1) }, { script: Uint8Array.of(Opcode.OP_2) }]);
    const { tx, spent } = spending(taprootScriptPubKey(out));
    const [leafA, leafB] = out.leaves as [TaprootLeaf, TaprootLeaf];
    assert.equal(leafA.path.length, 2);
    const sigA = signLeaf(tx, spent, leafA, SK_A);
    for (const flags of [CONSENSUS, ALL]) expectResult(verify(tx, spent, [sigA, checksigA, controlBlock(out, leafA)], flags), OK);
    // The tapleaf hash is part of the signed message: A's key signing for leaf B's hash fails.
    const wrongLeaf = signLeaf(tx, spent, leafB, SK_A);
    expectResult(verify(tx, spent, [wrongLeaf, checksigA, controlBlock(out, leafA)], CONSENSUS), ScriptError.SCRIPT_ERR_SCHNORR_SIG, 'Invalid Schnorr signature');
  });

  describe('BIP342 validation weight budget', () => {
    // n signature checks of one 64-byte signature: DUP <A> CHECKSIGVERIFY each, the signature left as the result.
    // Budget = witness size + 50, and each check with a non-empty signature spends 50.
    const CHECKS = 12;
    const weightScript = (pad: number): Uint8Array => {
      const b = new ScriptBuilder();
      for (let i = 0; i < pad; i++) b.op(Opcode.OP_NOP);
      for (let i = 0; i < CHECKS; i++) b.op(Opcode.OP_DUP).pushData(PK_A).op(Opcode.OP_CHECKSIGVERIFY);
      return b.build();
    };
    const spendWith = (pad: number, annex?: Uint8Array) => {
      const script = weightScript(pad);
      const out = balancedTree([{ script }]);
      const { tx, spent } = spending(taprootScriptPubKey(out));
      const leaf = out.leaves[0]!;
      const witness = [signLeaf(tx, spent, leaf, SK_A, annex), script, controlBlock(out, leaf)];
      if (annex) witness.push(annex);
      return { tx, spent, witness, left: witnessSize(witness) + 50 - 50 * CHECKS };
    };

    it('spending the budget to exactly zero is valid, one unit more fails with TAPSCRIPT_VALIDATION_WEIGHT', () => {
      const exact = spendWith(27);
      assert.equal(exact.left, 0, 'the padding puts the budget exactly at the cost');
      expectResult(verify(exact.tx, exact.spent, exact.witness, CONSENSUS), OK);
      const over = spendWith(26);
      assert.equal(over.left, -1);
      for (const flags of [CONSENSUS, ALL]) {
        expectResult(
          verify(over.tx, over.spent, over.witness, flags),
          ScriptError.SCRIPT_ERR_TAPSCRIPT_VALIDATION_WEIGHT,
          'Too much signature validation relative to witness weight',
        );
      }
    });

    it('counts the annex in the witness size', () => {
      // Without padding the budget is 27 short; a 26-byte annex (27 bytes serialized) fills it exactly.
      assert.equal(spendWith(0).left, -27);
      const filled = spendWith(0, Uint8Array.of(0x50, ...new Uint8Array(25)));
      assert.equal(filled.left, 0);
      expectResult(verify(filled.tx, filled.spent, filled.witness, CONSENSUS), OK);
      const short = spendWith(0, Uint8Array.of(0x50, ...new Uint8Array(24)));
      assert.equal(short.left, -1);
      expectResult(verify(short.tx, short.spent, short.witness, CONSENSUS), ScriptError.SCRIPT_ERR_TAPSCRIPT_VALIDATION_WEIGHT);
    });

    it('charges nothing for empty signatures', () => {
      // 40 CHECKSIGs on empty signatures would cost 2000 if charged; the witness is far smaller.
      const b = new ScriptBuilder();
      for (let i = 0; i < 40; i++) b.op(Opcode.OP_0).pushData(PK_A).op(Opcode.OP_CHECKSIG, Opcode.OP_DROP);
      const script = b.op(Opcode.OP_1).build();
      const out = balancedTree([{ script }]);
      const { tx, spent } = spending(taprootScriptPubKey(out));
      const witness = [script, controlBlock(out, out.leaves[0]!)];
      assert.ok(witnessSize(witness) + 50 < 40 * 50);
      expectResult(verify(tx, spent, witness, CONSENSUS), OK);
    });
  });

  describe('MINIMALIF is consensus in tapscript', () => {
    // IF <A> CHECKSIG ELSE <B> CHECKSIG ENDIF, and the NOTIF mirror image.
    const ifScript = new ScriptBuilder().op(Opcode.OP_IF).pushData(PK_A).op(Opcode.OP_CHECKSIG, Opcode.OP_ELSE).pushData(PK_B).op(Opcode.OP_CHECKSIG, Opcode.OP_ENDIF).build();
    const notifScript = new ScriptBuilder().op(Opcode.OP_NOTIF).pushData(PK_B).op(Opcode.OP_CHECKSIG, Opcode.OP_ELSE).pushData(PK_A).op(Opcode.OP_CHECKSIG, Opcode.OP_ENDIF).build();
    const out = balancedTree([{ script: ifScript }, { script: notifScript }]);
    const { tx, spent } = spending(taprootScriptPubKey(out));
    const [ifLeaf, notifLeaf] = out.leaves as [TaprootLeaf, TaprootLeaf];

    it('takes exactly 1 (true) or the empty vector (false)', () => {
      const sigA = signLeaf(tx, spent, ifLeaf, SK_A);
      const sigB = signLeaf(tx, spent, ifLeaf, SK_B);
      expectResult(verify(tx, spent, [sigA, ONE, ifScript, controlBlock(out, ifLeaf)], CONSENSUS), OK);
      expectResult(verify(tx, spent, [sigB, new Uint8Array(0), ifScript, controlBlock(out, ifLeaf)], CONSENSUS), OK);
      const notifSigA = signLeaf(tx, spent, notifLeaf, SK_A);
      expectResult(verify(tx, spent, [notifSigA, ONE, notifScript, controlBlock(out, notifLeaf)], CONSENSUS), OK);
    });

    it('fails any other argument with TAPSCRIPT_MINIMALIF, without the MINIMALIF flag', () => {
      const sigA = signLeaf(tx, spent, ifLeaf, SK_A);
      const notifSigB = signLeaf(tx, spent, notifLeaf, SK_B);
      // Each would pick a branch whose signature is valid, so only the argument rule can fail them.
      // Non-minimal true values take IF's first branch (A):
      for (const arg of [Uint8Array.of(2), Uint8Array.of(1, 0), Uint8Array.of(0x81)]) {
        expectResult(
          verify(tx, spent, [sigA, arg, ifScript, controlBlock(out, ifLeaf)], CONSENSUS),
          ScriptError.SCRIPT_ERR_TAPSCRIPT_MINIMALIF,
          'OP_IF/NOTIF argument must be minimal in tapscript',
        );
      }
      // With no argument at all the stack check comes first (current Core: INVALID_STACK_OPERATION).
      expectResult(
        verify(tx, spent, [ifScript, controlBlock(out, ifLeaf)], CONSENSUS),
        ScriptError.SCRIPT_ERR_INVALID_STACK_OPERATION,
        'Operation not valid with the current stack size',
      );
      // non-minimal false values (zero bytes, negative zero) take NOTIF's first branch (B):
      for (const arg of [Uint8Array.of(0), Uint8Array.of(0, 0), Uint8Array.of(0x80)]) {
        expectResult(verify(tx, spent, [notifSigB, arg, notifScript, controlBlock(out, notifLeaf)], CONSENSUS), ScriptError.SCRIPT_ERR_TAPSCRIPT_MINIMALIF);
      }
    });
  });

  describe('initial stack size', () => {
    // 2DROP n times: with 2n+1 ones on the stack it leaves a single true value.
    const dropper = (pairs: number, drop1: boolean): Uint8Array => {
      const b = new ScriptBuilder();
      for (let i = 0; i < pairs; i++) b.op(Opcode.OP_2DROP);
      if (drop1) b.op(Opcode.OP_DROP);
      return b.build();
    };
    const at1000 = dropper(499, true); // 1000 items -> 1
    const at1001 = dropper(500, false); // 1001 items -> 1
    const opSuccess = Uint8Array.of(Opcode.OP_RESERVED); // 0x50 = OP_SUCCESS80
    const out = balancedTree([{ script: at1000 }, { script: at1001 }, { script: opSuccess }, { script: checksigA }]);
    const { tx, spent } = spending(taprootScriptPubKey(out));
    const items = (n: number): Uint8Array[] => Array.from({ length: n }, () => ONE);

    it('1000 witness stack items are allowed', () => {
      expectResult(verify(tx, spent, [...items(1000), at1000, controlBlock(out, out.leaves[0]!)], CONSENSUS), OK);
    });

    it('1001 fail with STACK_SIZE before the script runs (it would leave one true value)', () => {
      for (const flags of [CONSENSUS, ALL]) {
        expectResult(
          verify(tx, spent, [...items(1001), at1001, controlBlock(out, out.leaves[1]!)], flags),
          ScriptError.SCRIPT_ERR_STACK_SIZE,
          'Stack size limit exceeded',
        );
      }
    });

    it('OP_SUCCESS overrides the limit', () => {
      expectResult(verify(tx, spent, [...items(1001), opSuccess, controlBlock(out, out.leaves[2]!)], CONSENSUS), OK);
    });
  });

  describe('control block path length', () => {
    /** Leaves at depths 1, 2, …, deepest and a second one at `deepest`: a path of `deepest` nodes to the last. */
    function caterpillar(deepest: number): TaprootOutput {
      const b = new TaprootBuilder();
      for (let d = 1; d <= deepest; d++) b.add(d, new ScriptBuilder().pushInt(d).op(Opcode.OP_DROP, Opcode.OP_1).build(), TAPROOT_LEAF_TAPSCRIPT);
      b.add(deepest, checksigA, TAPROOT_LEAF_TAPSCRIPT);
      return b.finalize(INTERNAL);
    }

    it('a 128-node path (TaprootBuilder\'s deepest leaf) verifies', () => {
      const out = caterpillar(128);
      const leaf = out.leaves[out.leaves.length - 1]!;
      assert.equal(leaf.path.length, 128);
      const { tx, spent } = spending(taprootScriptPubKey(out));
      const control = controlBlock(out, leaf);
      assert.equal(control.length, 33 + 32 * 128);
      expectResult(verify(tx, spent, [signLeaf(tx, spent, leaf, SK_A), checksigA, control], CONSENSUS), OK);
    });

    it('a 129-node path fails with TAPROOT_WRONG_CONTROL_SIZE although it commits correctly', () => {
      // Built by hand (TaprootBuilder stops at 128): fold 129 sibling hashes onto the leaf, tweak the key with the root.
      const leafHash = computeTapleafHash(TAPROOT_LEAF_TAPSCRIPT, checksigA);
      const path = Array.from({ length: 129 }, (_, i) => sha256(Uint8Array.of(i)));
      const root = path.reduce((node, sibling) => computeTapbranchHash(node, sibling), leafHash);
      const tweaked = xonlyTweakAdd(INTERNAL, computeTapTweakHash(INTERNAL, root))!;
      const control = Uint8Array.from([TAPROOT_LEAF_TAPSCRIPT | tweaked.parity, ...INTERNAL, ...path.flatMap((h) => [...h])]);
      const { tx, spent } = spending(taprootScriptPubKey(tweaked.output));
      const leaf: TaprootLeaf = { script: checksigA, leafVersion: TAPROOT_LEAF_TAPSCRIPT, leafHash, path };
      expectResult(
        verify(tx, spent, [signLeaf(tx, spent, leaf, SK_A), checksigA, control], CONSENSUS),
        ScriptError.SCRIPT_ERR_TAPROOT_WRONG_CONTROL_SIZE,
        'Invalid Taproot control block size',
      );
      assert.throws(() => caterpillar(129), /incomplete or invalid taproot script tree/);
    });
  });

  describe('leaf versions, OP_SUCCESS and the annex', () => {
    // OP_RETURN fails if it runs, so a pass shows the script did not run.
    const opReturn = Uint8Array.of(Opcode.OP_RETURN);
    const successAfterReturn = Uint8Array.of(Opcode.OP_RETURN, Opcode.OP_RESERVED);
    const truncatedBeforeSuccess = Uint8Array.of(Opcode.OP_PUSHDATA1, 0x05, Opcode.OP_RESERVED);
    const out = balancedTree([
      { script: opReturn, version: 0xc2 },
      { script: successAfterReturn },
      { script: truncatedBeforeSuccess },
      { script: checksigA },
    ]);
    const { tx, spent } = spending(taprootScriptPubKey(out));
    const [v2Leaf, successLeaf, truncatedLeaf, sigLeaf] = out.leaves as [TaprootLeaf, TaprootLeaf, TaprootLeaf, TaprootLeaf];

    it('an unknown leaf version is unconditionally valid, and discouraged by policy', () => {
      const witness = [opReturn, controlBlock(out, v2Leaf)];
      assert.equal(witness[1]![0]! & 0xfe, 0xc2);
      expectResult(verify(tx, spent, witness, CONSENSUS), OK);
      expectResult(
        verify(tx, spent, witness, CONSENSUS | SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_TAPROOT_VERSION),
        ScriptError.SCRIPT_ERR_DISCOURAGE_UPGRADABLE_TAPROOT_VERSION,
        'Taproot version reserved for soft-fork upgrades',
      );
      // The leaf version is committed: claiming 0xc0 for the 0xc2 leaf breaks the commitment.
      const relabelled = Uint8Array.from(witness[1]!);
      relabelled[0] = TAPROOT_LEAF_TAPSCRIPT | (relabelled[0]! & 1);
      expectResult(verify(tx, spent, [opReturn, relabelled], CONSENSUS), ScriptError.SCRIPT_ERR_WITNESS_PROGRAM_MISMATCH);
    });

    it('OP_SUCCESS anywhere makes the script valid, and is discouraged by policy', () => {
      const witness = [successAfterReturn, controlBlock(out, successLeaf)];
      expectResult(verify(tx, spent, witness, CONSENSUS), OK);
      expectResult(
        verify(tx, spent, witness, CONSENSUS | SCRIPT_VERIFY_DISCOURAGE_OP_SUCCESS),
        ScriptError.SCRIPT_ERR_DISCOURAGE_OP_SUCCESS,
        'OP_SUCCESSx reserved for soft-fork upgrades',
      );
      // A decoding failure before it wins: the 0x50 byte sits inside the truncated push.
      expectResult(verify(tx, spent, [truncatedBeforeSuccess, controlBlock(out, truncatedLeaf)], CONSENSUS), ScriptError.SCRIPT_ERR_BAD_OPCODE, 'Opcode missing or not understood');
    });

    it('an annex is allowed and committed to by the signature', () => {
      const annex = Uint8Array.of(0x50, 0xde, 0xad);
      const control = controlBlock(out, sigLeaf);
      const withAnnex = signLeaf(tx, spent, sigLeaf, SK_A, annex);
      for (const flags of [CONSENSUS, ALL]) expectResult(verify(tx, spent, [withAnnex, checksigA, control, annex], flags), OK);
      // A signature that did not commit to this annex fails.
      const noAnnex = signLeaf(tx, spent, sigLeaf, SK_A);
      expectResult(verify(tx, spent, [noAnnex, checksigA, control], CONSENSUS), OK);
      expectResult(verify(tx, spent, [noAnnex, checksigA, control, annex], CONSENSUS), ScriptError.SCRIPT_ERR_SCHNORR_SIG, 'Invalid Schnorr signature');
      expectResult(verify(tx, spent, [withAnnex, checksigA, control, Uint8Array.of(0x50, 0xde, 0xae)], CONSENSUS), ScriptError.SCRIPT_ERR_SCHNORR_SIG);
      expectResult(verify(tx, spent, [withAnnex, checksigA, control], CONSENSUS), ScriptError.SCRIPT_ERR_SCHNORR_SIG);
    });
  });
});
