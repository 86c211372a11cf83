// PrecomputedTransactionData: the per-transaction hashes BIP143 and BIP341 signature hashes share across inputs.
import { hash256, sha256 } from '../crypto/sha256.js';
import type { Transaction, TxOut } from '../primitives/transaction.js';
import { ByteWriter } from '../util/serialize.js';
import { WITNESS_V1_TAPROOT_SIZE } from './interpreter_types.js';
import { Opcode } from './script.js';

/** Single SHA256 of all prevouts (BIP341 sha_prevouts; BIP143 hashPrevouts is its SHA256 again). */
// Reused by every hash below (none of them nests another).
const scratch = new ByteWriter(1024);

export function getPrevoutsSHA256(tx: Transaction): Uint8Array {
  const w = scratch.reset();
  for (const i of tx.vin) i.prevout.write(w);
  return sha256(w.peek());
}

export function getSequencesSHA256(tx: Transaction): Uint8Array {
  const w = scratch.reset();
  for (const i of tx.vin) w.writeU32LE(i.sequence);
  return sha256(w.peek());
}

export function getOutputsSHA256(tx: Transaction): Uint8Array {
  const w = scratch.reset();
  for (const o of tx.vout) o.write(w);
  return sha256(w.peek());
}

export function getSpentAmountsSHA256(outputs: readonly TxOut[]): Uint8Array {
  const w = scratch.reset();
  for (const o of outputs) w.writeI64LE(o.value);
  return sha256(w.peek());
}

export function getSpentScriptsSHA256(outputs: readonly TxOut[]): Uint8Array {
  const w = scratch.reset();
  for (const o of outputs) w.writeVarBytes(o.scriptPubKey);
  return sha256(w.peek());
}

/**
 * Core's PrecomputedTransactionData. Call init() once per transaction; which parts get computed depends on the
 * inputs' witnesses and spent outputs, unless `force` asks for everything.
 */
export class PrecomputedTransactionData {
  // BIP341 single hashes.
  prevoutsSingleHash: Uint8Array = new Uint8Array(32);
  sequencesSingleHash: Uint8Array = new Uint8Array(32);
  outputsSingleHash: Uint8Array = new Uint8Array(32);
  spentAmountsSingleHash: Uint8Array = new Uint8Array(32);
  spentScriptsSingleHash: Uint8Array = new Uint8Array(32);
  /** Whether the BIP341 hashes above are computed. */
  bip341Ready = false;
  // BIP143 double hashes.
  hashPrevouts: Uint8Array = new Uint8Array(32);
  hashSequence: Uint8Array = new Uint8Array(32);
  hashOutputs: Uint8Array = new Uint8Array(32);
  /** Whether the BIP143 hashes above are computed. */
  bip143Ready = false;
  /** The outputs spent by each input (same order as tx.vin), when known. */
  spentOutputs: readonly TxOut[] = [];
  spentOutputsReady = false;

  /** Shortcut for `new PrecomputedTransactionData().init(tx, spentOutputs, force)`. */
  static from(tx: Transaction, spentOutputs: readonly TxOut[] = [], force = false): PrecomputedTransactionData {
    const d = new PrecomputedTransactionData();
    d.init(tx, spentOutputs, force);
    return d;
  }

  init(tx: Transaction, spentOutputs: readonly TxOut[] = [], force = false): this {
    if (this.spentOutputsReady) throw new Error('PrecomputedTransactionData already initialised with spent outputs');
    this.spentOutputs = spentOutputs;
    if (spentOutputs.length > 0) {
      if (spentOutputs.length !== tx.vin.length) throw new RangeError('spentOutputs must match the number of inputs');
      this.spentOutputsReady = true;
    }

    let usesBip143 = force;
    let usesBip341 = force;
    for (let i = 0; i < tx.vin.length && !(usesBip143 && usesBip341); i++) {
      if (tx.vin[i]!.witness.length === 0) continue;
      const spk = this.spentOutputsReady ? this.spentOutputs[i]!.scriptPubKey : undefined;
      // A witness spend of a 34-byte OP_1 output is treated as taproot; everything else as v0 (cheap and safe:
      // a wrong guess only costs a precomputation, real validation decides).
      if (spk && spk.length === 2 + WITNESS_V1_TAPROOT_SIZE && spk[0] === Opcode.OP_1) usesBip341 = true;
      else usesBip143 = true;
    }

    if (usesBip143 || usesBip341) {
      this.prevoutsSingleHash = getPrevoutsSHA256(tx);
      this.sequencesSingleHash = getSequencesSHA256(tx);
      this.outputsSingleHash = getOutputsSHA256(tx);
    }
    if (usesBip143) {
      this.hashPrevouts = sha256(this.prevoutsSingleHash);
      this.hashSequence = sha256(this.sequencesSingleHash);
      this.hashOutputs = sha256(this.outputsSingleHash);
      this.bip143Ready = true;
    }
    if (usesBip341 && this.spentOutputsReady) {
      this.spentAmountsSingleHash = getSpentAmountsSHA256(this.spentOutputs);
      this.spentScriptsSingleHash = getSpentScriptsSHA256(this.spentOutputs);
      this.bip341Ready = true;
    }
    return this;
  }
}

/** BIP143 hashOutputs for SIGHASH_SINGLE: the double hash of the one output at the input's index. */
export function hashSingleOutput(out: TxOut): Uint8Array {
  const w = scratch.reset();
  out.write(w);
  return hash256(w.peek());
}
