// Signet block solutions (Core's signet.cpp, BIP325): a block is valid only when the solution in its coinbase's
// witness commitment satisfies the chain's challenge script, signed over a commitment to the block with the
// solution itself taken out.
import type { ConsensusParams } from './consensus/params.js';
import { computeMerkleRoot } from './consensus/merkle.js';
import { NO_WITNESS_COMMITMENT, getWitnessCommitmentIndex } from './consensus/witness_commitment.js';
import type { Block } from './primitives/block.js';
import { MutableTransaction, OutPoint, Transaction, TxIn, TxOut } from './primitives/transaction.js';
import { verifyScript } from './script/interpreter.js';
import { TransactionSignatureChecker } from './script/interpreter_checker.js';
import { ScriptError } from './script/script_error.js';
import { Opcode, ScriptBuilder, ScriptReader } from './script/script.js';
import { PrecomputedTransactionData } from './script/sighash_precompute.js';
import {
  SCRIPT_VERIFY_DERSIG, SCRIPT_VERIFY_NULLDUMMY, SCRIPT_VERIFY_P2SH, SCRIPT_VERIFY_WITNESS,
} from './script/verify_flags.js';
import { bytesEqual } from './util/hex.js';
import { ByteReader, ByteWriter, SerializationError } from './util/serialize.js';

/** The 4 bytes that open the signet solution's push in the witness commitment. */
export const SIGNET_HEADER = Uint8Array.of(0xec, 0xc7, 0xda, 0xa2);

const BLOCK_SCRIPT_VERIFY_FLAGS = SCRIPT_VERIFY_P2SH | SCRIPT_VERIFY_WITNESS | SCRIPT_VERIFY_DERSIG | SCRIPT_VERIFY_NULLDUMMY;

/**
 * Finds the first push that starts with `header` and carries more, cuts it back to the header and returns
 * what followed, with the script rewritten (pushes re-encoded minimally, as CScript << does); undefined when
 * there is no such push.
 */
export function fetchAndClearCommitmentSection(header: Uint8Array, script: Uint8Array): { script: Uint8Array; section: Uint8Array } | undefined {
  const replacement = new ScriptBuilder();
  let section: Uint8Array | undefined;
  const r = new ScriptReader(script);
  while (r.next()) {
    let data = r.data();
    if (data.length === 0) {
      replacement.op(r.opcode);
      continue;
    }
    if (section === undefined && data.length > header.length && bytesEqual(data.subarray(0, header.length), header)) {
      section = data.slice(header.length);
      data = data.subarray(0, header.length);
    }
    replacement.pushData(data);
  }
  return section === undefined ? undefined : { script: replacement.build(), section };
}

/** The two virtual transactions of BIP325: one paying to the challenge, one spending it with the solution. */
export interface SignetTxs {
  toSpend: Transaction;
  toSign: Transaction;
}

/** Core's SignetTxs::Create; undefined when the block has no witness commitment or a malformed solution. */
export function createSignetTxs(block: Block, challenge: Uint8Array): SignetTxs | undefined {
  const coinbase = block.vtx[0];
  if (coinbase === undefined) return undefined;
  const cidx = getWitnessCommitmentIndex(block);
  if (cidx === NO_WITNESS_COMMITMENT) return undefined;

  let scriptSig: Uint8Array = new Uint8Array(0);
  let witness: Uint8Array[] = [];
  const vout = [...coinbase.vout];
  // No solution at all is allowed, so that a challenge of OP_TRUE needs none.
  const found = fetchAndClearCommitmentSection(SIGNET_HEADER, vout[cidx]!.scriptPubKey);
  if (found !== undefined) {
    vout[cidx] = new TxOut(vout[cidx]!.value, found.script);
    const parsed = parseSolution(found.section);
    if (parsed === undefined) return undefined;
    ({ scriptSig, witness } = parsed);
  }
  const modifiedCoinbase = new MutableTransaction({ version: coinbase.version, vin: coinbase.vin, vout, lockTime: coinbase.lockTime }).toTransaction();
  const signetMerkle = computeMerkleRoot([modifiedCoinbase.txid, ...block.vtx.slice(1).map((tx) => tx.txid)]).root;

  const blockData = new ByteWriter(72)
    .writeI32LE(block.header.version).writeBytes(block.header.hashPrevBlock).writeBytes(signetMerkle).writeU32LE(block.header.time)
    .toBytes();
  const toSpend = new MutableTransaction({ version: 0, lockTime: 0 });
  toSpend.vin.push(new TxIn({ prevout: new OutPoint(), scriptSig: new ScriptBuilder().op(Opcode.OP_0).pushData(blockData).build(), sequence: 0 }));
  toSpend.addOutput(0n, challenge);
  const toSpendTx = toSpend.toTransaction();

  const toSign = new MutableTransaction({ version: 0, lockTime: 0 });
  toSign.vin.push(new TxIn({ prevout: new OutPoint(toSpendTx.txid, 0), scriptSig, sequence: 0, witness }));
  toSign.addOutput(0n, Uint8Array.of(Opcode.OP_RETURN));
  return { toSpend: toSpendTx, toSign: toSign.toTransaction() };
}

/** The solution: a scriptSig then a witness stack, and nothing after them. */
function parseSolution(section: Uint8Array): { scriptSig: Uint8Array; witness: Uint8Array[] } | undefined {
  try {
    const r = new ByteReader(section);
    const scriptSig = r.readVarBytes();
    const witness = r.readVector((rr) => rr.readVarBytes());
    return r.remaining === 0 ? { scriptSig, witness } : undefined;
  } catch (err) {
    // A truncated or oversized field: the solution does not parse, so the block is invalid (Core catches it too).
    if (err instanceof SerializationError) return undefined;
    throw err;
  }
}

/** Core's CheckSignetBlockSolution: the genesis block needs no solution; any other must satisfy the challenge. */
export function checkSignetBlockSolution(block: Block, params: ConsensusParams): boolean {
  if (bytesEqual(block.hash, params.hashGenesisBlock)) return true;
  const txs = createSignetTxs(block, params.signetChallenge);
  if (txs === undefined) return false;
  const spent = txs.toSpend.vout[0]!;
  const input = txs.toSign.vin[0]!;
  const txdata = PrecomputedTransactionData.from(txs.toSign, [spent]);
  const checker = new TransactionSignatureChecker(txs.toSign, 0, spent.value, txdata);
  return verifyScript(input.scriptSig, spent.scriptPubKey, input.witness, BLOCK_SCRIPT_VERIFY_FLAGS, checker) === ScriptError.SCRIPT_ERR_OK;
}
