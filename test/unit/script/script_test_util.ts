// Helpers shared by the script tests: Core's crediting/spending transaction pair, a seeded PRNG, taproot leaves.
import { xonlyTweakAdd } from '../../../src/crypto/secp256k1.js';
import { OutPoint, Transaction, TxIn, TxOut } from '../../../src/primitives/transaction.js';
import { computeTapleafHash, computeTapTweakHash } from '../../../src/script/interpreter.js';
import { TAPROOT_LEAF_TAPSCRIPT } from '../../../src/script/interpreter_types.js';
import { Opcode } from '../../../src/script/script.js';
import { hexToBytes } from '../../../src/util/hex.js';

/** Core's BuildCreditingTransaction: a coinbase-like tx paying `value` to `scriptPubKey`. */
export function buildCreditingTransaction(scriptPubKey: Uint8Array, value: bigint): Transaction {
  return new Transaction({
    version: 1,
    lockTime: 0,
    vin: [new TxIn({ prevout: new OutPoint(), scriptSig: Uint8Array.of(Opcode.OP_0, Opcode.OP_0), sequence: TxIn.SEQUENCE_FINAL })],
    vout: [new TxOut(value, scriptPubKey)],
  });
}

/** Core's BuildSpendingTransaction: spends output 0 of `credit` with the given scriptSig and witness. */
export function buildSpendingTransaction(scriptSig: Uint8Array, witness: readonly Uint8Array[], credit: Transaction): Transaction {
  return new Transaction({
    version: 1,
    lockTime: 0,
    vin: [new TxIn({ prevout: new OutPoint(credit.txid, 0), scriptSig, sequence: TxIn.SEQUENCE_FINAL, witness })],
    vout: [new TxOut(credit.vout[0]!.value, new Uint8Array(0))],
  });
}

/** Small deterministic PRNG (xorshift32), so random flag combinations are reproducible. */
export class TestRng {
  private s: number;
  constructor(seed = 0x2545f491) {
    this.s = seed >>> 0 || 1;
  }
  next32(): number {
    let x = this.s;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s;
  }
  /** `bits` random low bits (bits ≤ 32). */
  randbits(bits: number): number {
    return bits >= 32 ? this.next32() : this.next32() & ((1 << bits) - 1);
  }
}

/** x-only public key of the secret key 1 (the generator's x), Core's key0 in script_tests.cpp. */
export const KEY0_XONLY = hexToBytes('79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798');

/** A one-leaf taproot tree (TaprootBuilder with a single depth-0 tapscript leaf): output key and control block. */
export function singleLeafTaproot(internal32: Uint8Array, script: Uint8Array): { output: Uint8Array; control: Uint8Array } {
  const leaf = computeTapleafHash(TAPROOT_LEAF_TAPSCRIPT, script);
  const tweaked = xonlyTweakAdd(internal32, computeTapTweakHash(internal32, leaf));
  if (!tweaked) throw new Error('taproot tweak failed');
  const control = new Uint8Array(33);
  control[0] = TAPROOT_LEAF_TAPSCRIPT | tweaked.parity;
  control.set(internal32, 1);
  return { output: tweaked.output, control };
}

/** JSON amount in BTC (e.g. 0.00000001) to satoshis, as AmountFromValue. */
export function amountFromValue(v: number): bigint {
  return BigInt(Math.round(v * 1e8));
}
