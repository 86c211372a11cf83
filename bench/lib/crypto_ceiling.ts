// The validation-throughput ceiling that signature verification alone sets on this machine: libsecp256k1's
// per-CPU-second rates, measured in the same run, applied to the chain's mix of inputs. A reindex can never beat it
// (every other part of validation only adds), so "inputs/s" reads best as a fraction of it.
import crypto from 'node:crypto';
import { nativeBackend } from '../../src/crypto/secp256k1_native.js';
import type { Secp256k1Backend } from '../../src/crypto/secp256k1_backend.js';
import { INPUT_CRYPTO_COST, type InputCryptoCost, type OutputKind } from './chain_generator.js';

export interface CryptoRates { ecdsa: number; schnorr: number; tweakCheck: number }

const KEYS = 32;

function key(i: number): Uint8Array {
  return new Uint8Array(crypto.createHash('sha256').update(`ceiling key ${i}`).digest());
}

/** Calls per CPU-second of `fn` (CPU time: the machine's other load does not count against it). */
function perCpuSecond(calls: number, fn: (i: number) => boolean): number {
  const start = process.cpuUsage();
  for (let i = 0; i < calls; i++) if (!fn(i % KEYS)) throw new Error('verification failed while measuring the crypto ceiling');
  const used = process.cpuUsage(start);
  return calls / ((used.user + used.system) / 1e6);
}

/** libsecp256k1's rates through the crypto addon, on valid signatures of distinct keys and messages. */
export function measureCryptoRates(calls: number): CryptoRates {
  const b: Secp256k1Backend | null = nativeBackend;
  if (b === null) throw new Error('crypto addon missing: build native/crypto first');
  const sks = Array.from({ length: KEYS }, (_, i) => key(i));
  const msgs = Array.from({ length: KEYS }, (_, i) => key(1000 + i));
  const pubs = sks.map((sk) => b.pubkeyCreate(sk, true));
  const ecdsa = sks.map((sk, i) => b.ecdsaSign(msgs[i]!, sk));
  const xonly = sks.map((sk) => b.xonlyFromSeckey(sk));
  const schnorr = sks.map((sk, i) => b.schnorrSign(msgs[i]!, sk));
  const tweaked = xonly.map((x, i) => b.xonlyTweakAdd(x, msgs[i]!)!);
  return {
    ecdsa: perCpuSecond(calls, (i) => b.ecdsaVerify(ecdsa[i]!, msgs[i]!, pubs[i]!)),
    schnorr: perCpuSecond(calls, (i) => b.schnorrVerify(schnorr[i]!, msgs[i]!, xonly[i]!)),
    tweakCheck: perCpuSecond(calls, (i) => b.xonlyTweakAddCheck(tweaked[i]!.output, tweaked[i]!.parity, xonly[i]!, msgs[i]!)),
  };
}

/** The chain's libsecp256k1 calls, from its inputs per kind. */
export function chainCryptoCalls(inputsByKind: Readonly<Record<OutputKind, number>>): InputCryptoCost {
  const total: InputCryptoCost = { ecdsa: 0, schnorr: 0, tweakCheck: 0 };
  for (const [kind, n] of Object.entries(inputsByKind) as Array<[OutputKind, number]>) {
    const cost = INPUT_CRYPTO_COST[kind];
    total.ecdsa += n * cost.ecdsa;
    total.schnorr += n * cost.schnorr;
    total.tweakCheck += n * cost.tweakCheck;
  }
  return total;
}

/** CPU-seconds the chain's signature checks take at `rates`. */
export function cryptoCpuSeconds(calls: InputCryptoCost, rates: CryptoRates): number {
  return calls.ecdsa / rates.ecdsa + calls.schnorr / rates.schnorr + calls.tweakCheck / rates.tweakCheck;
}
