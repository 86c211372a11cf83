// Output descriptors (Core's script/descriptor.cpp): the descriptor kinds, expansion to scripts and strings.
// Parsing lives in descriptor_parser.ts; key expressions in descriptor_keys.ts.
import type { AddressParams } from '../kernel/chainparams_base.js';
import { hash160 } from '../crypto/ripemd160.js';
import { comparePubkeys, pubkeyIsCompressed, xonlyFromPubkey, xonlyIsFullyValid } from '../key.js';
import { encodeDestination } from '../key_io.js';
import { bytesToHex } from '../util/hex.js';
import { addChecksum } from './descriptor_checksum.js';
import { SigningProvider, type KeyStringType, type PubkeyProvider } from './descriptor_keys.js';
import { TAPROOT_LEAF_TAPSCRIPT } from './interpreter_types.js';
import { Opcode, ScriptBuilder } from './script.js';
import {
  extractDestination,
  getScriptForDestination,
  getScriptForMultisig,
  getScriptForRawPubKey,
  scriptHashOf,
  witnessScriptHashOf,
  type Destination,
} from './standard.js';
import { TaprootBuilder, TaprootBuilderError } from './taproot_builder.js';

/** Core's OutputType names. */
export type OutputType = 'legacy' | 'p2sh-segwit' | 'bech32' | 'bech32m';

type StringType = 'public' | 'compat' | 'private';

function outputTypeOfDestination(d: Destination): OutputType | undefined {
  switch (d.type) {
    case 'pkhash':
    case 'scripthash':
      return 'legacy';
    case 'witness_v0_keyhash':
    case 'witness_v0_scripthash':
      return 'bech32';
    case 'witness_v1_taproot':
    case 'witness_unknown':
      return 'bech32m';
    default:
      return undefined;
  }
}

/** A parsed descriptor (Core's Descriptor / DescriptorImpl). */
export abstract class Descriptor {
  constructor(
    readonly name: string,
    readonly pubkeyArgs: readonly PubkeyProvider[],
    readonly subdescriptors: readonly Descriptor[] = [],
  ) {}

  /** Text placed before the key arguments (threshold, address, hex). */
  protected toStringExtra(): string {
    return '';
  }

  /** Scripts from the derived keys and the subdescriptors' scripts. */
  protected abstract makeScripts(pubkeys: Uint8Array[], scripts: Uint8Array[], out: SigningProvider): Uint8Array[];

  /** Whether the descriptor derives different scripts at different positions. */
  isRange(): boolean {
    return this.pubkeyArgs.some((p) => p.isRange()) || this.subdescriptors.some((d) => d.isRange());
  }

  /** Whether the scripts can be signed for given the keys (false for addr() and raw()). */
  isSolvable(): boolean {
    return this.subdescriptors.every((d) => d.isSolvable());
  }

  /** Whether every position gives a single script of one type (false for combo()). */
  isSingleType(): boolean {
    return true;
  }

  getOutputType(): OutputType | undefined {
    return undefined;
  }

  protected subscriptString(arg: SigningProvider | undefined, type: StringType): { ok: boolean; str: string } {
    let anyPriv = type !== 'private';
    const parts: string[] = [];
    for (const d of this.subdescriptors) {
      const r = d.toStringHelper(arg, type);
      anyPriv ||= r.ok;
      parts.push(r.str);
    }
    return { ok: anyPriv, str: parts.join(',') };
  }

  /** ToStringHelper: "name(extra,keys,subscripts)"; `ok` tells whether any private key was written. */
  toStringHelper(arg: SigningProvider | undefined, type: StringType): { ok: boolean; str: string } {
    const extra = this.toStringExtra();
    let out = `${this.name}(${extra}`;
    let pos = extra.length > 0 ? 1 : 0;
    let anyPriv = type !== 'private';
    for (const p of this.pubkeyArgs) {
      if (pos++) out += ',';
      if (type === 'private') {
        const r = p.toPrivateString(arg!);
        anyPriv ||= r.ok;
        out += r.str;
      } else {
        out += p.toString(type as KeyStringType);
      }
    }
    const sub = this.subscriptString(arg, type);
    anyPriv ||= sub.ok;
    if (pos && sub.str.length) out += ',';
    return { ok: anyPriv, str: out + sub.str + ')' };
  }

  /** Public form with checksum; `compat` writes hardened steps with apostrophes (DescriptorID's form). */
  toString(compat = false): string {
    return addChecksum(this.toStringHelper(undefined, compat ? 'compat' : 'public').str);
  }

  /** Private form with checksum; `ok` is false when no private key of the descriptor is in `arg`. */
  toPrivateString(arg: SigningProvider): { ok: boolean; str: string } {
    const r = this.toStringHelper(arg, 'private');
    return { ok: r.ok, str: addChecksum(r.str) };
  }

  /**
   * Expand: the scripts at position `pos`, with the keys, origins and scripts a signer needs added
   * to `out`. Null when a key cannot be derived (hardened steps without the private key).
   */
  expand(pos: number, arg: SigningProvider, out: SigningProvider): Uint8Array[] | null {
    const sub = new SigningProvider();
    const pubkeys: Uint8Array[] = [];
    for (const p of this.pubkeyArgs) {
      const pub = p.getPubKey(pos, arg, sub);
      if (!pub) return null;
      pubkeys.push(pub);
    }
    const subscripts: Uint8Array[] = [];
    for (const d of this.subdescriptors) {
      const s = d.expand(pos, arg, sub);
      if (!s || s.length !== 1) return null;
      subscripts.push(s[0]!);
    }
    out.merge(sub);
    return this.makeScripts(pubkeys, subscripts, out);
  }

  /** ExpandPrivate: the private keys for position `pos` that `arg` can provide. */
  expandPrivate(pos: number, arg: SigningProvider, out: SigningProvider): void {
    for (const p of this.pubkeyArgs) p.getPrivKey(pos, arg, out);
    for (const d of this.subdescriptors) d.expandPrivate(pos, arg, out);
  }
}

export class AddressDescriptor extends Descriptor {
  constructor(
    readonly destination: Destination,
    private readonly params: AddressParams,
  ) {
    super('addr', []);
  }
  protected override toStringExtra(): string {
    return encodeDestination(this.destination, this.params);
  }
  protected makeScripts(): Uint8Array[] {
    return [getScriptForDestination(this.destination)];
  }
  override isSolvable(): boolean {
    return false;
  }
  override getOutputType(): OutputType | undefined {
    return outputTypeOfDestination(this.destination);
  }
  override toPrivateString(): { ok: boolean; str: string } {
    return { ok: false, str: '' };
  }
}

export class RawDescriptor extends Descriptor {
  constructor(readonly script: Uint8Array) {
    super('raw', []);
  }
  protected override toStringExtra(): string {
    return bytesToHex(this.script);
  }
  protected makeScripts(): Uint8Array[] {
    return [this.script.slice()];
  }
  override isSolvable(): boolean {
    return false;
  }
  override getOutputType(): OutputType | undefined {
    return outputTypeOfDestination(extractDestination(this.script).dest);
  }
  override toPrivateString(): { ok: boolean; str: string } {
    return { ok: false, str: '' };
  }
}

export class PKDescriptor extends Descriptor {
  constructor(
    prov: PubkeyProvider,
    readonly xonly = false,
  ) {
    super('pk', [prov]);
  }
  protected makeScripts(keys: Uint8Array[]): Uint8Array[] {
    if (!this.xonly) return [getScriptForRawPubKey(keys[0]!)];
    return [new ScriptBuilder().pushData(xonlyFromPubkey(keys[0]!)).op(Opcode.OP_CHECKSIG).build()];
  }
}

export class PKHDescriptor extends Descriptor {
  constructor(prov: PubkeyProvider) {
    super('pkh', [prov]);
  }
  protected makeScripts(keys: Uint8Array[]): Uint8Array[] {
    return [getScriptForDestination({ type: 'pkhash', hash: hash160(keys[0]!) })];
  }
  override getOutputType(): OutputType {
    return 'legacy';
  }
}

export class WPKHDescriptor extends Descriptor {
  constructor(prov: PubkeyProvider) {
    super('wpkh', [prov]);
  }
  protected makeScripts(keys: Uint8Array[]): Uint8Array[] {
    return [getScriptForDestination({ type: 'witness_v0_keyhash', hash: hash160(keys[0]!) })];
  }
  override getOutputType(): OutputType {
    return 'bech32';
  }
}

export class ComboDescriptor extends Descriptor {
  constructor(prov: PubkeyProvider) {
    super('combo', [prov]);
  }
  protected makeScripts(keys: Uint8Array[], _s: Uint8Array[], out: SigningProvider): Uint8Array[] {
    const key = keys[0]!;
    const id = hash160(key);
    const ret = [getScriptForRawPubKey(key), getScriptForDestination({ type: 'pkhash', hash: id })];
    if (pubkeyIsCompressed(key)) {
      const p2wpkh = getScriptForDestination({ type: 'witness_v0_keyhash', hash: id });
      recordScript(out, p2wpkh);
      ret.push(p2wpkh, getScriptForDestination(scriptHashOf(p2wpkh)));
    }
    return ret;
  }
  override isSingleType(): boolean {
    return false;
  }
}

export class MultisigDescriptor extends Descriptor {
  constructor(
    readonly threshold: number,
    providers: PubkeyProvider[],
    readonly sorted = false,
  ) {
    super(sorted ? 'sortedmulti' : 'multi', providers);
  }
  protected override toStringExtra(): string {
    return String(this.threshold);
  }
  protected makeScripts(keys: Uint8Array[]): Uint8Array[] {
    const ks = this.sorted ? [...keys].sort(comparePubkeys) : keys;
    return [getScriptForMultisig(this.threshold, ks)];
  }
}

export class MultiADescriptor extends Descriptor {
  constructor(
    readonly threshold: number,
    providers: PubkeyProvider[],
    readonly sorted = false,
  ) {
    super(sorted ? 'sortedmulti_a' : 'multi_a', providers);
  }
  protected override toStringExtra(): string {
    return String(this.threshold);
  }
  protected makeScripts(keys: Uint8Array[]): Uint8Array[] {
    const xs = keys.map(xonlyFromPubkey);
    if (this.sorted) xs.sort(comparePubkeys);
    const b = new ScriptBuilder().pushData(xs[0]!).op(Opcode.OP_CHECKSIG);
    for (let i = 1; i < xs.length; i++) b.pushData(xs[i]!).op(Opcode.OP_CHECKSIGADD);
    return [b.pushInt(this.threshold).op(Opcode.OP_NUMEQUAL).build()];
  }
}

/** Adds a script to the provider under its hash160 (CScriptID), keeping an existing entry. */
function recordScript(out: SigningProvider, script: Uint8Array): void {
  const id = bytesToHex(hash160(script));
  if (!out.scripts.has(id)) out.scripts.set(id, script);
}

export class SHDescriptor extends Descriptor {
  constructor(sub: Descriptor) {
    super('sh', [], [sub]);
  }
  protected makeScripts(_k: Uint8Array[], scripts: Uint8Array[], out: SigningProvider): Uint8Array[] {
    recordScript(out, scripts[0]!);
    return [getScriptForDestination(scriptHashOf(scripts[0]!))];
  }
  override getOutputType(): OutputType {
    return this.subdescriptors[0]!.getOutputType() === 'bech32' ? 'p2sh-segwit' : 'legacy';
  }
}

export class WSHDescriptor extends Descriptor {
  constructor(sub: Descriptor) {
    super('wsh', [], [sub]);
  }
  protected makeScripts(_k: Uint8Array[], scripts: Uint8Array[], out: SigningProvider): Uint8Array[] {
    recordScript(out, scripts[0]!);
    return [getScriptForDestination(witnessScriptHashOf(scripts[0]!))];
  }
  override getOutputType(): OutputType {
    return 'bech32';
  }
}

export class TRDescriptor extends Descriptor {
  constructor(
    internalKey: PubkeyProvider,
    subs: Descriptor[],
    readonly depths: number[],
  ) {
    super('tr', [internalKey], subs);
  }
  protected makeScripts(keys: Uint8Array[], scripts: Uint8Array[]): Uint8Array[] {
    const builder = new TaprootBuilder();
    scripts.forEach((script, i) => builder.add(this.depths[i]!, script, TAPROOT_LEAF_TAPSCRIPT));
    if (!builder.isComplete()) return [];
    const internal = xonlyFromPubkey(keys[0]!);
    if (!xonlyIsFullyValid(internal)) return [];
    try {
      const output = builder.finalize(internal);
      return [getScriptForDestination({ type: 'witness_v1_taproot', program: output.outputKey })];
    } catch (e) {
      // Only a tweak off the curve gets here (negligibly rare); it yields no script.
      if (e instanceof TaprootBuilderError) return [];
      throw e;
    }
  }
  /** Writes the script tree with braces: {A,B} for each branch. */
  protected override subscriptString(arg: SigningProvider | undefined, type: StringType): { ok: boolean; str: string } {
    if (this.depths.length === 0) return { ok: type !== 'private', str: '' };
    let anyPriv = type !== 'private';
    let out = '';
    const path: boolean[] = [];
    this.depths.forEach((depth, pos) => {
      if (pos) out += ',';
      while (path.length <= depth) {
        if (path.length) out += '{';
        path.push(false);
      }
      const r = this.subdescriptors[pos]!.toStringHelper(arg, type);
      anyPriv ||= r.ok;
      out += r.str;
      while (path.length && path[path.length - 1]) {
        if (path.length > 1) out += '}';
        path.pop();
      }
      if (path.length) path[path.length - 1] = true;
    });
    return { ok: anyPriv, str: out };
  }
  override getOutputType(): OutputType {
    return 'bech32m';
  }
}

export class RawTRDescriptor extends Descriptor {
  constructor(outputKey: PubkeyProvider) {
    super('rawtr', [outputKey]);
  }
  protected makeScripts(keys: Uint8Array[]): Uint8Array[] {
    const x = xonlyFromPubkey(keys[0]!);
    return xonlyIsFullyValid(x) ? [getScriptForDestination({ type: 'witness_v1_taproot', program: x })] : [];
  }
  override getOutputType(): OutputType {
    return 'bech32m';
  }
}
