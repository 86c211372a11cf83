// InferDescriptor for a script with nothing known about its keys or scripts (Core's InferDescriptor with
// DUMMY_SIGNING_PROVIDER): what the `desc` field of decoded outputs shows.
import type { AddressParams } from './kernel/chainparams_base.js';
import { pubkeyIsValidNonHybrid, xonlyIsFullyValid } from './key.js';
import {
  AddressDescriptor,
  MultisigDescriptor,
  PKDescriptor,
  RawDescriptor,
  RawTRDescriptor,
  type Descriptor,
} from './script/descriptor.js';
import { ConstPubkeyProvider } from './script/descriptor_keys.js';
import { TxoutType, extractDestination, getScriptForDestination, solver } from './script/standard.js';
import { bytesEqual } from './util/hex.js';

/** A top-level key: hybrid keys cannot appear in a descriptor (uncompressed ones can at the top). */
function inferPubkey(pubkey: Uint8Array, params: AddressParams): ConstPubkeyProvider | undefined {
  if (!pubkeyIsValidNonHybrid(pubkey)) return undefined;
  return new ConstPubkeyProvider(0, pubkey, false, params);
}

/** An x-only key as a provider over its even-Y full key (how descriptor_keys stores x-only keys). */
function inferXOnly(xonly: Uint8Array, params: AddressParams): ConstPubkeyProvider {
  const full = new Uint8Array(33);
  full[0] = 0x02;
  full.set(xonly, 1);
  return new ConstPubkeyProvider(0, full, true, params);
}

function inferKeyed(type: TxoutType, solutions: Uint8Array[], params: AddressParams): Descriptor | undefined {
  if (type === TxoutType.PUBKEY) {
    const key = inferPubkey(solutions[0]!, params);
    return key && new PKDescriptor(key);
  }
  if (type === TxoutType.MULTISIG) {
    const keys = solutions.slice(1, -1).map((k) => inferPubkey(k, params));
    if (keys.every((k) => k !== undefined)) return new MultisigDescriptor(solutions[0]![0]!, keys as ConstPubkeyProvider[]);
  }
  if (type === TxoutType.WITNESS_V1_TAPROOT && xonlyIsFullyValid(solutions[0]!)) {
    return new RawTRDescriptor(inferXOnly(solutions[0]!, params));
  }
  return undefined;
}

/** The descriptor Core infers for `script` at the top level when no keys or scripts are known. */
export function inferDescriptor(script: Uint8Array, params: AddressParams): Descriptor {
  const { type, solutions } = solver(script);
  const keyed = inferKeyed(type, solutions, params);
  if (keyed) return keyed;
  const { ok, dest } = extractDestination(script);
  if (ok && bytesEqual(getScriptForDestination(dest), script)) return new AddressDescriptor(dest, params);
  return new RawDescriptor(script);
}
