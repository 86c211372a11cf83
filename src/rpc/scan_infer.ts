// Core's InferDescriptor with a signing provider (script/descriptor.cpp InferScript), as scantxoutset uses it: the
// keys, origins and scripts that expanding the scan descriptors put in the provider turn a matched output script back
// into pk/pkh/wpkh/multi/sh/wsh/tr descriptors. Without that knowledge it ends in addr() or raw(), like
// core_infer.ts (which is this with an empty provider). Miniscript and taproot script trees are not inferred: a
// tr() output with leaves falls back to rawtr() (see `TaprootKeys`).
import { inferDescriptor as inferWithoutProvider } from '../core_infer.js';
import { ripemd160 } from '../crypto/ripemd160.js';
import type { AddressParams } from '../kernel/chainparams_base.js';
import { pubkeyIsCompressed, pubkeyIsValidNonHybrid, xonlyIsFullyValid } from '../key.js';
import {
  type Descriptor, MultisigDescriptor, PKDescriptor, PKHDescriptor, RawTRDescriptor, SHDescriptor, TRDescriptor,
  WPKHDescriptor, WSHDescriptor,
} from '../script/descriptor.js';
import { ConstPubkeyProvider, OriginPubkeyProvider, type PubkeyProvider, SigningProvider } from '../script/descriptor_keys.js';
import { TxoutType, solver } from '../script/standard.js';
import { bytesToHex } from '../util/hex.js';

/** Where a script sits (Core's ParseScriptContext). */
type Ctx = 'top' | 'p2sh' | 'p2wpkh' | 'p2wsh';

/**
 * Key-path-only tr() outputs seen while expanding: output key (hex) -> internal key (33 bytes, even Y). Core reads
 * this from the provider's taproot spend data; the provider here has no such table.
 */
export type TaprootKeys = ReadonlyMap<string, Uint8Array>;

/** InferPubkey: no hybrid keys, uncompressed only at the top or in P2SH; the origin from the provider if known. */
function inferPubkey(pubkey: Uint8Array, ctx: Ctx, provider: SigningProvider, params: AddressParams): PubkeyProvider | undefined {
  if (!pubkeyIsValidNonHybrid(pubkey)) return undefined;
  if (ctx !== 'top' && ctx !== 'p2sh' && !pubkeyIsCompressed(pubkey)) return undefined;
  return withOrigin(new ConstPubkeyProvider(0, pubkey, false, params), pubkey, provider);
}

/** InferXOnlyPubkey: the even-Y full key, with the origin the provider holds for either parity. */
function inferXOnly(xonly: Uint8Array, provider: SigningProvider, params: AddressParams): PubkeyProvider {
  const even = Uint8Array.of(2, ...xonly);
  const key = new ConstPubkeyProvider(0, even, true, params);
  for (const prefix of [2, 3]) {
    const p = withOrigin(key, Uint8Array.of(prefix, ...xonly), provider);
    if (p !== key) return p;
  }
  return key;
}

function withOrigin(key: PubkeyProvider, pubkey: Uint8Array, provider: SigningProvider): PubkeyProvider {
  const origin = provider.origins.get(SigningProvider.keyId(pubkey));
  return origin === undefined ? key : new OriginPubkeyProvider(0, origin.info, key, false);
}

function inferMultisig(solutions: Uint8Array[], ctx: Ctx, provider: SigningProvider, params: AddressParams): Descriptor | undefined {
  const keys: PubkeyProvider[] = [];
  for (const k of solutions.slice(1, -1)) {
    const p = inferPubkey(k, ctx, provider, params);
    if (p === undefined) return undefined;
    keys.push(p);
  }
  return new MultisigDescriptor(solutions[0]![0]!, keys);
}

function inferScript(script: Uint8Array, ctx: Ctx, provider: SigningProvider, taproot: TaprootKeys, params: AddressParams): Descriptor | undefined {
  const { type, solutions } = solver(script);
  const keyCtx = ctx === 'top' || ctx === 'p2sh' || ctx === 'p2wsh';
  if (type === TxoutType.PUBKEY && keyCtx) {
    const key = inferPubkey(solutions[0]!, ctx, provider, params);
    if (key) return new PKDescriptor(key);
  }
  if (type === TxoutType.PUBKEYHASH && keyCtx) {
    const pubkey = provider.pubkeys.get(bytesToHex(solutions[0]!));
    const key = pubkey && inferPubkey(pubkey, ctx, provider, params);
    if (key) return new PKHDescriptor(key);
  }
  if (type === TxoutType.WITNESS_V0_KEYHASH && (ctx === 'top' || ctx === 'p2sh')) {
    const pubkey = provider.pubkeys.get(bytesToHex(solutions[0]!));
    const key = pubkey && inferPubkey(pubkey, 'p2wpkh', provider, params);
    if (key) return new WPKHDescriptor(key);
  }
  if (type === TxoutType.MULTISIG && keyCtx) {
    const multi = inferMultisig(solutions, ctx, provider, params);
    if (multi) return multi;
  }
  if (type === TxoutType.SCRIPTHASH && ctx === 'top') {
    const sub = provider.scripts.get(bytesToHex(solutions[0]!));
    const inner = sub && inferScript(sub, 'p2sh', provider, taproot, params);
    if (inner) return new SHDescriptor(inner);
  }
  if (type === TxoutType.WITNESS_V0_SCRIPTHASH && (ctx === 'top' || ctx === 'p2sh')) {
    // A P2WSH program is SHA-256 of the script; the provider files scripts under hash160 = RIPEMD160 of that.
    const sub = provider.scripts.get(bytesToHex(ripemd160(solutions[0]!)));
    const inner = sub && inferScript(sub, 'p2wsh', provider, taproot, params);
    if (inner) return new WSHDescriptor(inner);
  }
  if (type === TxoutType.WITNESS_V1_TAPROOT && ctx === 'top') {
    const internal = taproot.get(bytesToHex(solutions[0]!));
    if (internal) return new TRDescriptor(inferXOnly(internal.subarray(1), provider, params), [], []);
    if (xonlyIsFullyValid(solutions[0]!)) return new RawTRDescriptor(inferXOnly(solutions[0]!, provider, params));
  }
  return ctx === 'top' ? inferWithoutProvider(script, params) : undefined;
}

/** The descriptor Core's scantxoutset reports for a matched output script. */
export function inferDescriptor(script: Uint8Array, provider: SigningProvider, taproot: TaprootKeys, params: AddressParams): Descriptor {
  return inferScript(script, 'top', provider, taproot, params)!;
}
