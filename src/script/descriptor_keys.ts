// Key expressions of output descriptors (Core's PubkeyProvider family) and the FlatSigningProvider they fill.
import type { AddressParams } from '../kernel/chainparams_base.js';
import { hash160 } from '../crypto/ripemd160.js';
import { Key } from '../key.js';
import { BIP32_HARDENED_FLAG, ExtKey, ExtPubKey, formatHDKeypath, hasHardenedDerivation, keyFingerprint } from '../key_bip32.js';
import { encodeExtKey, encodeExtPubKey, encodeSecret } from '../key_io.js';
import { bytesToHex } from '../util/hex.js';

/** KeyOriginInfo: the master key fingerprint and the derivation path from it. */
export interface KeyOriginInfo {
  fingerprint: Uint8Array;
  path: number[];
}

/** Core's FlatSigningProvider: keys, pubkeys, origins and scripts, indexed by hash160 hex. */
export class SigningProvider {
  readonly keys = new Map<string, Key>();
  readonly pubkeys = new Map<string, Uint8Array>();
  readonly origins = new Map<string, { pubkey: Uint8Array; info: KeyOriginInfo }>();
  readonly scripts = new Map<string, Uint8Array>();

  static keyId(pubkey: Uint8Array): string {
    return bytesToHex(hash160(pubkey));
  }

  addKey(key: Key): void {
    this.keys.set(SigningProvider.keyId(key.getPubKey()), key);
  }

  getKey(pubkey: Uint8Array): Key | undefined {
    return this.keys.get(SigningProvider.keyId(pubkey));
  }

  /** GetKeyByXOnly: the key whose pubkey has this x coordinate, with either parity. */
  getKeyByXOnly(xonly: Uint8Array): Key | undefined {
    for (const prefix of [2, 3]) {
      const k = this.getKey(Uint8Array.of(prefix, ...xonly));
      if (k) return k;
    }
    return undefined;
  }

  /** Merge: entries already present are kept (std::map::insert semantics). */
  merge(o: SigningProvider): void {
    for (const [k, v] of o.keys) if (!this.keys.has(k)) this.keys.set(k, v);
    for (const [k, v] of o.pubkeys) if (!this.pubkeys.has(k)) this.pubkeys.set(k, v);
    for (const [k, v] of o.origins) if (!this.origins.has(k)) this.origins.set(k, v);
    for (const [k, v] of o.scripts) if (!this.scripts.has(k)) this.scripts.set(k, v);
  }
}

/** StringType of PubkeyProvider::ToString: COMPAT always writes hardened steps with apostrophes. */
export type KeyStringType = 'public' | 'compat';

export enum DeriveType {
  NON_RANGED,
  UNHARDENED_RANGED,
  HARDENED_RANGED,
}

/** A key expression: one public key, or one per position for ranged keys. */
export interface PubkeyProvider {
  /** Position of the key expression among the descriptor's keys, counting from 0. */
  readonly exprIndex: number;
  /** Derives the key at `pos`, recording it and its origin in `out`; null if that needs a missing private key. */
  getPubKey(pos: number, arg: SigningProvider, out: SigningProvider): Uint8Array | null;
  isRange(): boolean;
  /** Size of the produced public keys (33 or 65). */
  getSize(): number;
  isBIP32(): boolean;
  toString(type?: KeyStringType): string;
  /** The private form when `arg` has the key; otherwise the public form and false. */
  toPrivateString(arg: SigningProvider): { ok: boolean; str: string };
  /** Puts the private key for `pos` into `out` when `arg` has the secret. */
  getPrivKey(pos: number, arg: SigningProvider, out: SigningProvider): void;
  clone(): PubkeyProvider;
}

/** A constant public key, written as hex (or x-only hex inside tr()). */
export class ConstPubkeyProvider implements PubkeyProvider {
  constructor(
    readonly exprIndex: number,
    readonly pubkey: Uint8Array,
    readonly xonly: boolean,
    private readonly params: AddressParams,
  ) {}

  private findKey(arg: SigningProvider): Key | undefined {
    return this.xonly ? arg.getKeyByXOnly(this.pubkey.subarray(1, 33)) : arg.getKey(this.pubkey);
  }

  getPubKey(_pos: number, _arg: SigningProvider, out: SigningProvider): Uint8Array {
    const id = SigningProvider.keyId(this.pubkey);
    if (!out.origins.has(id)) out.origins.set(id, { pubkey: this.pubkey, info: { fingerprint: keyFingerprint(this.pubkey), path: [] } });
    if (!out.pubkeys.has(id)) out.pubkeys.set(id, this.pubkey);
    return this.pubkey;
  }
  isRange(): boolean {
    return false;
  }
  getSize(): number {
    return this.pubkey.length;
  }
  isBIP32(): boolean {
    return false;
  }
  toString(): string {
    const hex = bytesToHex(this.pubkey);
    return this.xonly ? hex.slice(2) : hex;
  }
  toPrivateString(arg: SigningProvider): { ok: boolean; str: string } {
    const key = this.findKey(arg);
    return key ? { ok: true, str: encodeSecret(key, this.params) } : { ok: false, str: this.toString() };
  }
  getPrivKey(_pos: number, arg: SigningProvider, out: SigningProvider): void {
    const key = this.findKey(arg);
    if (key) out.addKey(key);
  }
  clone(): PubkeyProvider {
    return new ConstPubkeyProvider(this.exprIndex, this.pubkey, this.xonly, this.params);
  }
}

/** An xpub (or xprv, whose secret sits in the signing provider) with a path and an optional range. */
export class BIP32PubkeyProvider implements PubkeyProvider {
  constructor(
    readonly exprIndex: number,
    readonly root: ExtPubKey,
    readonly path: number[],
    readonly derive: DeriveType,
    readonly apostrophe: boolean,
    private readonly params: AddressParams,
  ) {}

  private getExtKey(arg: SigningProvider): ExtKey | null {
    const key = arg.getKey(this.root.pubkey);
    return key ? new ExtKey(this.root.depth, this.root.parentFingerprint, this.root.child, this.root.chaincode, key) : null;
  }

  private isHardened(): boolean {
    return this.derive === DeriveType.HARDENED_RANGED || hasHardenedDerivation(this.path);
  }

  private finalStep(pos: number): number | null {
    if (this.derive === DeriveType.UNHARDENED_RANGED) return pos >>> 0;
    if (this.derive === DeriveType.HARDENED_RANGED) return (pos | BIP32_HARDENED_FLAG) >>> 0;
    return null;
  }

  getPubKey(pos: number, arg: SigningProvider, out: SigningProvider): Uint8Array | null {
    const step = this.finalStep(pos);
    const fullPath = step === null ? this.path : [...this.path, step];
    let pub: Uint8Array;
    if (this.isHardened()) {
      // Hardened steps need the private key.
      const xprv = this.getExtKey(arg)?.derivePath(fullPath);
      if (!xprv) return null;
      pub = xprv.key.getPubKey();
    } else {
      const xpub = this.root.derivePath(fullPath);
      if (!xpub) return null;
      pub = xpub.pubkey;
    }
    const id = SigningProvider.keyId(pub);
    if (!out.origins.has(id)) out.origins.set(id, { pubkey: pub, info: { fingerprint: this.root.fingerprint(), path: fullPath } });
    if (!out.pubkeys.has(id)) out.pubkeys.set(id, pub);
    return pub;
  }
  isRange(): boolean {
    return this.derive !== DeriveType.NON_RANGED;
  }
  getSize(): number {
    return 33;
  }
  isBIP32(): boolean {
    return true;
  }
  private suffix(apostrophe: boolean): string {
    let s = formatHDKeypath(this.path, apostrophe);
    if (this.isRange()) {
      s += '/*';
      if (this.derive === DeriveType.HARDENED_RANGED) s += apostrophe ? "'" : 'h';
    }
    return s;
  }
  toString(type: KeyStringType = 'public'): string {
    return encodeExtPubKey(this.root, this.params) + this.suffix(this.apostrophe || type === 'compat');
  }
  toPrivateString(arg: SigningProvider): { ok: boolean; str: string } {
    const xprv = this.getExtKey(arg);
    if (!xprv) return { ok: false, str: this.toString() };
    return { ok: true, str: encodeExtKey(xprv, this.params) + this.suffix(this.apostrophe) };
  }
  getPrivKey(pos: number, arg: SigningProvider, out: SigningProvider): void {
    const step = this.finalStep(pos);
    const xprv = this.getExtKey(arg)?.derivePath(step === null ? this.path : [...this.path, step]);
    if (xprv) out.addKey(xprv.key);
  }
  clone(): PubkeyProvider {
    return new BIP32PubkeyProvider(this.exprIndex, this.root, [...this.path], this.derive, this.apostrophe, this.params);
  }
}

/** A key expression with an explicit "[fingerprint/path]" origin. */
export class OriginPubkeyProvider implements PubkeyProvider {
  constructor(
    readonly exprIndex: number,
    readonly origin: KeyOriginInfo,
    readonly provider: PubkeyProvider,
    readonly apostrophe: boolean,
  ) {}

  private originString(type: KeyStringType): string {
    return bytesToHex(this.origin.fingerprint) + formatHDKeypath(this.origin.path, this.apostrophe || type === 'compat');
  }

  getPubKey(pos: number, arg: SigningProvider, out: SigningProvider): Uint8Array | null {
    // Derive into a scratch provider so the origin is prefixed exactly once.
    const sub = new SigningProvider();
    const pub = this.provider.getPubKey(pos, arg, sub);
    if (!pub) return null;
    const id = SigningProvider.keyId(pub);
    const inner = sub.origins.get(id)!;
    sub.origins.delete(id);
    out.merge(sub);
    out.origins.set(id, { pubkey: pub, info: { fingerprint: this.origin.fingerprint, path: [...this.origin.path, ...inner.info.path] } });
    return pub;
  }
  isRange(): boolean {
    return this.provider.isRange();
  }
  getSize(): number {
    return this.provider.getSize();
  }
  isBIP32(): boolean {
    return this.provider.isBIP32();
  }
  toString(type: KeyStringType = 'public'): string {
    return `[${this.originString(type)}]${this.provider.toString(type)}`;
  }
  toPrivateString(arg: SigningProvider): { ok: boolean; str: string } {
    const sub = this.provider.toPrivateString(arg);
    return { ok: sub.ok, str: `[${this.originString('public')}]${sub.str}` };
  }
  getPrivKey(pos: number, arg: SigningProvider, out: SigningProvider): void {
    this.provider.getPrivKey(pos, arg, out);
  }
  clone(): PubkeyProvider {
    return new OriginPubkeyProvider(this.exprIndex, this.origin, this.provider.clone(), this.apostrophe);
  }
}
