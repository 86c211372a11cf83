// BIP32 extended keys (CExtKey/CExtPubKey): seeds, CKDpriv/CKDpub, 74-byte serialization, key paths.
import { hmacSha512 } from './crypto/hmac.js';
import { hash160 } from './crypto/ripemd160.js';
import { Key, pubkeyIsFullyValid, pubkeyTweakAdd, seckeyTweakAdd } from './key.js';

/** Serialized size of an extended key without its 4-byte version (BIP32_EXTKEY_SIZE). */
export const BIP32_EXTKEY_SIZE = 74;
/** The child number bit that marks hardened derivation. */
export const BIP32_HARDENED_FLAG = 0x80000000;
/** The HMAC key of master key generation. */
const BIP32_SEED_KEY = new TextEncoder().encode('Bitcoin seed');

function bip32Hash(chaincode: Uint8Array, child: number, header: number, data: Uint8Array): Uint8Array {
  const msg = new Uint8Array(37);
  msg[0] = header;
  msg.set(data, 1);
  new DataView(msg.buffer).setUint32(33, child >>> 0, false);
  return hmacSha512(chaincode, msg);
}

/** The first 4 bytes of a pubkey's hash160: a BIP32 key fingerprint. */
export function keyFingerprint(pubkey: Uint8Array): Uint8Array {
  return hash160(pubkey).slice(0, 4);
}

function readHeader(code: Uint8Array): { depth: number; parentFingerprint: Uint8Array; child: number; chaincode: Uint8Array } {
  return {
    depth: code[0]!,
    parentFingerprint: code.slice(1, 5),
    child: new DataView(code.buffer, code.byteOffset, code.byteLength).getUint32(5, false),
    chaincode: code.slice(9, 41),
  };
}

function writeHeader(depth: number, fp: Uint8Array, child: number, chaincode: Uint8Array): Uint8Array {
  const code = new Uint8Array(BIP32_EXTKEY_SIZE);
  code[0] = depth;
  code.set(fp, 1);
  new DataView(code.buffer).setUint32(5, child >>> 0, false);
  code.set(chaincode, 9);
  return code;
}

/** A zero-depth key must have a zero parent fingerprint and child number. */
function badRoot(depth: number, fp: Uint8Array, child: number): boolean {
  return depth === 0 && (child !== 0 || fp.some((b) => b !== 0));
}

/** An extended public key (CExtPubKey). */
export class ExtPubKey {
  constructor(
    readonly depth: number,
    readonly parentFingerprint: Uint8Array,
    readonly child: number,
    readonly chaincode: Uint8Array,
    /** 33-byte compressed public key. */
    readonly pubkey: Uint8Array,
  ) {}

  /** CExtPubKey::Decode of 74 bytes; null when the pubkey or the root fields are invalid. */
  static decode(code: Uint8Array): ExtPubKey | null {
    if (code.length !== BIP32_EXTKEY_SIZE) return null;
    const h = readHeader(code);
    const pub = code.slice(41, 74);
    if (pub[0] !== 2 && pub[0] !== 3) return null;
    if (badRoot(h.depth, h.parentFingerprint, h.child) || !pubkeyIsFullyValid(pub)) return null;
    return new ExtPubKey(h.depth, h.parentFingerprint, h.child, h.chaincode, pub);
  }

  encode(): Uint8Array {
    const code = writeHeader(this.depth, this.parentFingerprint, this.child, this.chaincode);
    code.set(this.pubkey, 41);
    return code;
  }

  /** This key's own fingerprint (what its children record as parent). */
  fingerprint(): Uint8Array {
    return keyFingerprint(this.pubkey);
  }

  /** CKDpub for a non-hardened child; null for hardened indexes, depth 255, or an invalid tweak. */
  derive(child: number): ExtPubKey | null {
    child >>>= 0;
    if (this.depth === 255 || child >= BIP32_HARDENED_FLAG) return null;
    const out = bip32Hash(this.chaincode, child, this.pubkey[0]!, this.pubkey.subarray(1, 33));
    const pub = pubkeyTweakAdd(this.pubkey, out.subarray(0, 32));
    if (!pub) return null;
    return new ExtPubKey(this.depth + 1, this.fingerprint(), child, out.slice(32), pub);
  }

  /** Derives along a whole path of non-hardened steps; null if any step fails. */
  derivePath(path: readonly number[]): ExtPubKey | null {
    let k: ExtPubKey | null = this;
    for (const c of path) {
      k = k.derive(c);
      if (!k) return null;
    }
    return k;
  }

  equals(o: ExtPubKey): boolean {
    const a = this.encode();
    const b = o.encode();
    return a.every((x, i) => x === b[i]);
  }
}

/** An extended private key (CExtKey). */
export class ExtKey {
  constructor(
    readonly depth: number,
    readonly parentFingerprint: Uint8Array,
    readonly child: number,
    readonly chaincode: Uint8Array,
    readonly key: Key,
  ) {}

  /** Master key from a seed (HMAC-SHA512 keyed with "Bitcoin seed"); null if the key is out of range. */
  static fromSeed(seed: Uint8Array): ExtKey | null {
    const out = hmacSha512(BIP32_SEED_KEY, seed);
    const key = Key.fromSecret(out.subarray(0, 32), true);
    return key ? new ExtKey(0, new Uint8Array(4), 0, out.slice(32), key) : null;
  }

  /** CExtKey::Decode of 74 bytes; null when the key, its padding byte, or the root fields are invalid. */
  static decode(code: Uint8Array): ExtKey | null {
    if (code.length !== BIP32_EXTKEY_SIZE) return null;
    const h = readHeader(code);
    const key = Key.fromSecret(code.subarray(42, 74), true);
    if (!key || code[41] !== 0 || badRoot(h.depth, h.parentFingerprint, h.child)) return null;
    return new ExtKey(h.depth, h.parentFingerprint, h.child, h.chaincode, key);
  }

  encode(): Uint8Array {
    const code = writeHeader(this.depth, this.parentFingerprint, this.child, this.chaincode);
    code.set(this.key.secret, 42);
    return code;
  }

  /** The public half (CExtKey::Neuter). */
  neuter(): ExtPubKey {
    return new ExtPubKey(this.depth, this.parentFingerprint, this.child, this.chaincode, this.key.getPubKey());
  }

  fingerprint(): Uint8Array {
    return keyFingerprint(this.key.getPubKey());
  }

  /** CKDpriv; null at depth 255 or when the tweak is out of range (probability below 2^-127). */
  derive(child: number): ExtKey | null {
    child >>>= 0;
    if (this.depth === 255) return null;
    const pub = this.key.getPubKey();
    const out =
      child >= BIP32_HARDENED_FLAG
        ? bip32Hash(this.chaincode, child, 0, this.key.secret)
        : bip32Hash(this.chaincode, child, pub[0]!, pub.subarray(1, 33));
    const secret = seckeyTweakAdd(this.key.secret, out.subarray(0, 32));
    const key = secret && Key.fromSecret(secret, true);
    if (!key) return null;
    return new ExtKey(this.depth + 1, keyFingerprint(pub), child, out.slice(32), key);
  }

  /** Derives along a whole path; null if any step fails. */
  derivePath(path: readonly number[]): ExtKey | null {
    let k: ExtKey | null = this;
    for (const c of path) {
      k = k.derive(c);
      if (!k) return null;
    }
    return k;
  }
}

/** A parsed key path element. */
export interface KeyPathElement {
  /** Child number including the hardened flag. */
  child: number;
  hardened: boolean;
}

/** Core's ToIntegral<uint32_t>: decimal digits only, no sign, no overflow. */
export function parseUInt32(s: string): number | null {
  if (!/^[0-9]+$/.test(s)) return null;
  const v = Number(s);
  return v <= 0xffffffff && Number.isSafeInteger(v) ? v : null;
}

/**
 * One key path element, "0", "0'" or "0h", with the error strings of Core's descriptor parser
 * (ParseKeyPathNum): the message quotes the element without its hardened marker.
 */
export function parseKeyPathElement(elem: string): KeyPathElement | { error: string } {
  const last = elem[elem.length - 1];
  const hardened = last === "'" || last === 'h';
  const digits = hardened ? elem.slice(0, -1) : elem;
  const num = parseUInt32(digits);
  if (num === null) return { error: `Key path value '${digits}' is not a valid uint32` };
  if (num >= BIP32_HARDENED_FLAG) return { error: `Key path value ${num} is out of range` };
  return { child: (hardened ? num | BIP32_HARDENED_FLAG : num) >>> 0, hardened };
}

/** FormatHDKeypath: "/1/2h/3" (or with apostrophes). */
export function formatHDKeypath(path: readonly number[], apostrophe = false): string {
  let out = '';
  for (const c of path) {
    out += '/' + (c & 0x7fffffff);
    if (c >>> 31) out += apostrophe ? "'" : 'h';
  }
  return out;
}

/** WriteHDKeypath: "m" followed by the formatted path. */
export function writeHDKeypath(path: readonly number[], apostrophe = false): string {
  return 'm' + formatHDKeypath(path, apostrophe);
}

/** Whether any step of a path is hardened. */
export function hasHardenedDerivation(path: readonly number[]): boolean {
  return path.some((c) => c >>> 31 !== 0);
}

/** ParseHDKeypath: "m/7/0'/2000" (a leading "m" is optional, as in Core); null when invalid. */
export function parseHDKeypath(str: string): number[] | null {
  const parts = str.split('/');
  const out: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (p === 'm' && i === 0) continue;
    const e = parseKeyPathElement(p);
    if ('error' in e) return null;
    out.push(e.child);
  }
  return out;
}
