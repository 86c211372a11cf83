// Descriptor text to descriptors (Core's ParsePubkey/ParseScript/Parse), with Core's error strings.
import type { AddressParams } from '../kernel/chainparams_base.js';
import { decodeSecret, pubkeyIsCompressed, pubkeyIsFullyValid, pubkeyIsValidNonHybrid, pubkeyValidSize } from '../key.js';
import { parseKeyPathElement, parseUInt32 } from '../key_bip32.js';
import { decodeDestination, decodeExtKey, decodeExtPubKey } from '../key_io.js';
import { hexToBytes, isHex } from '../util/hex.js';
import {
  AddressDescriptor,
  ComboDescriptor,
  type Descriptor,
  MultiADescriptor,
  MultisigDescriptor,
  PKDescriptor,
  PKHDescriptor,
  RawDescriptor,
  RawTRDescriptor,
  SHDescriptor,
  TRDescriptor,
  WPKHDescriptor,
  WSHDescriptor,
} from './descriptor.js';
import { checkChecksum } from './descriptor_checksum.js';
import {
  BIP32PubkeyProvider,
  ConstPubkeyProvider,
  DeriveType,
  type KeyOriginInfo,
  OriginPubkeyProvider,
  type PubkeyProvider,
  SigningProvider,
} from './descriptor_keys.js';
import { Span, isSpace } from './descriptor_parsing.js';
import { TAPROOT_CONTROL_MAX_NODE_COUNT } from './interpreter_types.js';
import { MAX_PUBKEYS_PER_MULTISIG, MAX_PUBKEYS_PER_MULTI_A, MAX_SCRIPT_ELEMENT_SIZE } from './script.js';
import { isValidDestination } from './standard.js';

/** Where a script or key expression appears (ParseScriptContext). */
enum Ctx {
  TOP,
  P2SH,
  P2WPKH,
  P2WSH,
  P2TR,
}

/** A parse failure carrying Core's message (what getdescriptorinfo/deriveaddresses report). */
export class DescriptorError extends Error {
  override name = 'DescriptorError';
}

interface State {
  keyExpIndex: number;
  out: SigningProvider;
  params: AddressParams;
}

/** ParseKeyPath: the path elements after the key (or fingerprint), expanded over one optional <a;b;...>. */
function parseKeyPath(split: string[], apostrophe: { v: boolean }, allowMultipath: boolean): number[][] {
  const parseElem = (elem: string): number => {
    const r = parseKeyPathElement(elem);
    if ('error' in r) throw new DescriptorError(r.error);
    if (r.hardened) apostrophe.v = elem[elem.length - 1] === "'";
    return r.child;
  };
  const path: number[] = [];
  let substitutes: { at: number; values: number[] } | undefined;
  for (let i = 1; i < split.length; i++) {
    const elem = split[i]!;
    if (elem.length > 0 && elem[0] === '<' && elem[elem.length - 1] === '>') {
      if (!allowMultipath) throw new DescriptorError(`Key path value '${elem}' specifies multipath in a section where multipath is not allowed`);
      if (substitutes) throw new DescriptorError('Multiple multipath key path specifiers found');
      const nums = elem.slice(1, -1).split(';');
      if (nums.length < 2) throw new DescriptorError('Multipath key path specifiers must have at least two items');
      const values: number[] = [];
      for (const num of nums) {
        const v = parseElem(num);
        if (values.includes(v)) throw new DescriptorError(`Duplicated key path value ${v} in multipath specifier`);
        values.push(v);
      }
      path.push(0);
      substitutes = { at: path.length - 1, values };
    } else {
      path.push(parseElem(elem));
    }
  }
  if (!substitutes) return [path];
  return substitutes.values.map((v) => path.map((x, i) => (i === substitutes!.at ? v : x)));
}

function parseDeriveType(split: string[], apostrophe: { v: boolean }): DeriveType {
  const last = split[split.length - 1];
  if (last === '*') {
    split.pop();
    return DeriveType.UNHARDENED_RANGED;
  }
  if (last === "*'" || last === '*h') {
    apostrophe.v = last === "*'";
    split.pop();
    return DeriveType.HARDENED_RANGED;
  }
  return DeriveType.NON_RANGED;
}

/** ParsePubkeyInner: a key without origin. Returns one provider per multipath branch. */
function parsePubkeyInner(state: State, sp: string, ctx: Ctx, apostrophe: { v: boolean }): PubkeyProvider[] {
  const permitUncompressed = ctx === Ctx.TOP || ctx === Ctx.P2SH;
  const split = sp.split('/');
  const str = split[0]!;
  if (str.length === 0) throw new DescriptorError('No key provided');
  if (isSpace(str[0]) || isSpace(str[str.length - 1])) throw new DescriptorError(`Key '${str}' is invalid due to whitespace`);
  if (split.length === 1) {
    if (isHex(str)) {
      const data = hexToBytes(str);
      if (pubkeyValidSize(data) && !pubkeyIsValidNonHybrid(data)) throw new DescriptorError('Hybrid public keys are not allowed');
      if (pubkeyValidSize(data) && pubkeyIsFullyValid(data)) {
        if (!(permitUncompressed || pubkeyIsCompressed(data))) throw new DescriptorError('Uncompressed keys are not allowed');
        return [new ConstPubkeyProvider(state.keyExpIndex++, data, false, state.params)];
      }
      if (data.length === 32 && ctx === Ctx.P2TR) {
        const full = Uint8Array.of(2, ...data);
        if (pubkeyIsFullyValid(full)) return [new ConstPubkeyProvider(state.keyExpIndex++, full, true, state.params)];
      }
      throw new DescriptorError(`Pubkey '${str}' is invalid`);
    }
    const key = decodeSecret(str, state.params);
    if (key) {
      if (!(permitUncompressed || key.compressed)) throw new DescriptorError('Uncompressed keys are not allowed');
      state.out.addKey(key);
      return [new ConstPubkeyProvider(state.keyExpIndex++, key.getPubKey(), ctx === Ctx.P2TR, state.params)];
    }
  }
  const extkey = decodeExtKey(str, state.params);
  let extpub = decodeExtPubKey(str, state.params);
  if (!extkey && !extpub) throw new DescriptorError(`key '${str}' is not valid`);
  const type = parseDeriveType(split, apostrophe);
  const paths = parseKeyPath(split, apostrophe, true);
  if (extkey) {
    extpub = extkey.neuter();
    state.out.addKey(extkey.key);
  }
  const index = state.keyExpIndex++;
  return paths.map((path) => new BIP32PubkeyProvider(index, extpub!, path, type, apostrophe.v, state.params));
}

/** ParsePubkey: a key with an optional "[fingerprint/path]" origin. */
function parsePubkey(state: State, sp: string, ctx: Ctx): PubkeyProvider[] {
  const originSplit = sp.split(']');
  if (originSplit.length > 2) throw new DescriptorError("Multiple ']' characters found for a single pubkey");
  const apostrophe = { v: false };
  if (originSplit.length === 1) return parsePubkeyInner(state, originSplit[0]!, ctx, apostrophe);
  const head = originSplit[0]!;
  if (head.length === 0 || head[0] !== '[') {
    throw new DescriptorError(`Key origin start '[ character expected but not found, got '${head.length === 0 ? ']' : head[0]}' instead`);
  }
  const slashSplit = head.slice(1).split('/');
  const fpr = slashSplit[0]!;
  if (fpr.length !== 8) throw new DescriptorError(`Fingerprint is not 4 bytes (${fpr.length} characters instead of 8 characters)`);
  if (!isHex(fpr)) throw new DescriptorError(`Fingerprint '${fpr}' is not hex`);
  const info: KeyOriginInfo = { fingerprint: hexToBytes(fpr), path: parseKeyPath(slashSplit, apostrophe, false)[0]! };
  const providers = parsePubkeyInner(state, originSplit[1]!, ctx, apostrophe);
  return providers.map((p) => new OriginPubkeyProvider(p.exprIndex, info, p, apostrophe.v));
}

/** Runs a key parse and prefixes its error with the calling function's name, as Core does. */
function withPrefix<T>(prefix: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof DescriptorError) throw new DescriptorError(prefix + e.message);
    throw e;
  }
}

/** Makes every list as long as the longest by cloning single entries (multipath expansion). */
function alignMultipath<T>(lists: T[][], len: number, clone: (t: T) => T, mismatch: string): void {
  for (const l of lists) {
    if (l.length === 1) while (l.length < len) l.push(clone(l[0]!));
    else if (l.length !== len) throw new DescriptorError(mismatch);
  }
}

const cloneDesc = (d: Descriptor): Descriptor => d;

/** ParseScript: one script expression in a context; one descriptor per multipath branch. */
function parseScript(state: State, sp: Span, ctx: Ctx): Descriptor[] {
  const expr = sp.expr();
  const text = () => expr.toString();
  if (expr.func('pk')) {
    const keys = withPrefix('pk(): ', () => parsePubkey(state, text(), ctx));
    return keys.map((k) => new PKDescriptor(k, ctx === Ctx.P2TR));
  }
  if ((ctx === Ctx.TOP || ctx === Ctx.P2SH || ctx === Ctx.P2WSH) && expr.func('pkh')) {
    const keys = withPrefix('pkh(): ', () => parsePubkey(state, text(), ctx));
    return keys.map((k) => new PKHDescriptor(k));
  }
  if (ctx === Ctx.TOP && expr.func('combo')) {
    const keys = withPrefix('combo(): ', () => parsePubkey(state, text(), ctx));
    return keys.map((k) => new ComboDescriptor(k));
  } else if (expr.func('combo')) {
    throw new DescriptorError('Can only have combo() at top level');
  }
  const multi = expr.func('multi');
  const sortedmulti = !multi && expr.func('sortedmulti');
  const multiA = !(multi || sortedmulti) && expr.func('multi_a');
  const sortedmultiA = !(multi || sortedmulti || multiA) && expr.func('sortedmulti_a');
  if (((ctx === Ctx.TOP || ctx === Ctx.P2SH || ctx === Ctx.P2WSH) && (multi || sortedmulti)) || (ctx === Ctx.P2TR && (multiA || sortedmultiA))) {
    const thresholdText = expr.expr().toString();
    const thres = parseUInt32(thresholdText);
    if (thres === null) throw new DescriptorError(`Multi threshold '${thresholdText}' is not valid`);
    const providers: PubkeyProvider[][] = [];
    let scriptSize = 0;
    let maxLen = 0;
    while (expr.size) {
      if (!expr.const(',')) throw new DescriptorError(`Multi: expected ',', got '${expr.toString()[0]}'`);
      const arg = expr.expr().toString();
      const pks = withPrefix('Multi: ', () => parsePubkey(state, arg, ctx));
      scriptSize += pks[0]!.getSize() + 1;
      maxLen = Math.max(maxLen, pks.length);
      providers.push(pks);
    }
    if ((multi || sortedmulti) && (providers.length === 0 || providers.length > MAX_PUBKEYS_PER_MULTISIG)) {
      throw new DescriptorError(`Cannot have ${providers.length} keys in multisig; must have between 1 and ${MAX_PUBKEYS_PER_MULTISIG} keys, inclusive`);
    } else if ((multiA || sortedmultiA) && (providers.length === 0 || providers.length > MAX_PUBKEYS_PER_MULTI_A)) {
      throw new DescriptorError(`Cannot have ${providers.length} keys in multi_a; must have between 1 and ${MAX_PUBKEYS_PER_MULTI_A} keys, inclusive`);
    } else if (thres < 1) {
      throw new DescriptorError(`Multisig threshold cannot be ${thres}, must be at least 1`);
    } else if (thres > providers.length) {
      throw new DescriptorError(`Multisig threshold cannot be larger than the number of keys; threshold is ${thres} but only ${providers.length} keys specified`);
    }
    if (ctx === Ctx.TOP && providers.length > 3) {
      throw new DescriptorError(`Cannot have ${providers.length} pubkeys in bare multisig; only at most 3 pubkeys`);
    }
    if (ctx === Ctx.P2SH && scriptSize + 3 > MAX_SCRIPT_ELEMENT_SIZE) {
      throw new DescriptorError(`P2SH script is too large, ${scriptSize + 3} bytes is larger than ${MAX_SCRIPT_ELEMENT_SIZE} bytes`);
    }
    alignMultipath(providers, maxLen, (p) => p.clone(), 'multi(): Multipath derivation paths have mismatched lengths');
    const ret: Descriptor[] = [];
    for (let i = 0; i < maxLen; i++) {
      const pubs = providers.map((l) => l[i]!);
      ret.push(multi || sortedmulti ? new MultisigDescriptor(thres, pubs, sortedmulti) : new MultiADescriptor(thres, pubs, sortedmultiA));
    }
    return ret;
  } else if (multi || sortedmulti) {
    throw new DescriptorError('Can only have multi/sortedmulti at top level, in sh(), or in wsh()');
  } else if (multiA || sortedmultiA) {
    throw new DescriptorError('Can only have multi_a/sortedmulti_a inside tr()');
  }
  if ((ctx === Ctx.TOP || ctx === Ctx.P2SH) && expr.func('wpkh')) {
    const keys = withPrefix('wpkh(): ', () => parsePubkey(state, text(), Ctx.P2WPKH));
    return keys.map((k) => new WPKHDescriptor(k));
  } else if (expr.func('wpkh')) {
    throw new DescriptorError('Can only have wpkh() at top level or inside sh()');
  }
  if (ctx === Ctx.TOP && expr.func('sh')) {
    const subs = parseScript(state, expr, Ctx.P2SH);
    if (expr.size) throw new DescriptorError('');
    return subs.map((d) => new SHDescriptor(d));
  } else if (expr.func('sh')) {
    throw new DescriptorError('Can only have sh() at top level');
  }
  if ((ctx === Ctx.TOP || ctx === Ctx.P2SH) && expr.func('wsh')) {
    const subs = parseScript(state, expr, Ctx.P2WSH);
    if (expr.size) throw new DescriptorError('');
    return subs.map((d) => new WSHDescriptor(d));
  } else if (expr.func('wsh')) {
    throw new DescriptorError('Can only have wsh() at top level or inside sh()');
  }
  if (ctx === Ctx.TOP && expr.func('addr')) {
    const dest = decodeDestination(text(), state.params).dest;
    if (!isValidDestination(dest)) throw new DescriptorError('Address is not valid');
    return [new AddressDescriptor(dest, state.params)];
  } else if (expr.func('addr')) {
    throw new DescriptorError('Can only have addr() at top level');
  }
  if (ctx === Ctx.TOP && expr.func('tr')) return parseTr(state, expr);
  else if (expr.func('tr')) throw new DescriptorError('Can only have tr at top level');
  if (ctx === Ctx.TOP && expr.func('rawtr')) {
    const arg = expr.expr().toString();
    if (expr.size) throw new DescriptorError('rawtr(): only one key expected.');
    const keys = withPrefix('rawtr(): ', () => parsePubkey(state, arg, Ctx.P2TR));
    return keys.map((k) => new RawTRDescriptor(k));
  } else if (expr.func('rawtr')) {
    throw new DescriptorError('Can only have rawtr at top level');
  }
  if (ctx === Ctx.TOP && expr.func('raw')) {
    const str = text();
    if (!isHex(str)) throw new DescriptorError('Raw script is not hex');
    return [new RawDescriptor(hexToBytes(str))];
  } else if (expr.func('raw')) {
    throw new DescriptorError('Can only have raw() at top level');
  }
  if (ctx === Ctx.P2SH) throw new DescriptorError('A function is needed within P2SH');
  if (ctx === Ctx.P2WSH) throw new DescriptorError('A function is needed within P2WSH');
  throw new DescriptorError(`'${text()}' is not a valid descriptor function`);
}

/** tr(KEY) or tr(KEY,TREE) where TREE nests {A,B} branches of tapscript leaves. */
function parseTr(state: State, expr: Span): Descriptor[] {
  const arg = expr.expr().toString();
  const internalKeys = withPrefix('tr(): ', () => parsePubkey(state, arg, Ctx.P2TR));
  let maxLen = internalKeys.length;
  const subscripts: Descriptor[][] = [];
  const depths: number[] = [];
  if (expr.size) {
    if (!expr.const(',')) throw new DescriptorError(`tr: expected ',', got '${expr.toString()[0]}'`);
    // branches[i]: false while in the left child at depth i, true in the right one.
    const branches: boolean[] = [];
    do {
      while (expr.const('{')) {
        branches.push(false);
        if (branches.length > TAPROOT_CONTROL_MAX_NODE_COUNT) {
          throw new DescriptorError(`tr() supports at most ${TAPROOT_CONTROL_MAX_NODE_COUNT} nesting levels`);
        }
      }
      const sarg = expr.expr();
      const sub = parseScript(state, sarg, Ctx.P2TR);
      subscripts.push(sub);
      maxLen = Math.max(maxLen, sub.length);
      depths.push(branches.length);
      while (branches.length && branches[branches.length - 1]) {
        if (!expr.const('}')) throw new DescriptorError("tr(): expected '}' after script expression");
        branches.pop();
      }
      if (branches.length && !branches[branches.length - 1]) {
        if (!expr.const(',')) throw new DescriptorError("tr(): expected ',' after script expression");
        branches[branches.length - 1] = true;
      }
    } while (branches.length);
    if (expr.size) throw new DescriptorError("tr(): expected ')' after script expression");
  }
  alignMultipath(subscripts, maxLen, cloneDesc, 'tr(): Multipath subscripts have mismatched lengths');
  if (internalKeys.length > 1 && internalKeys.length !== maxLen) {
    throw new DescriptorError('tr(): Multipath internal key mismatches multipath subscripts lengths');
  }
  while (internalKeys.length < maxLen) internalKeys.push(internalKeys[0]!.clone());
  const ret: Descriptor[] = [];
  for (let i = 0; i < maxLen; i++) ret.push(new TRDescriptor(internalKeys[i]!, subscripts.map((l) => l[i]!), depths));
  return ret;
}

export interface ParseOptions {
  /** Reject descriptors without "#checksum" (importdescriptors does; getdescriptorinfo does not). */
  requireChecksum?: boolean;
}

export type ParseResult = { ok: true; descriptors: Descriptor[]; provider: SigningProvider } | { ok: false; error: string };

/**
 * Core's Parse(): checks the checksum and parses a descriptor. A multipath descriptor ("<0;1>")
 * gives one descriptor per branch. Private keys found in the text go to `provider`.
 */
export function parseDescriptor(descriptor: string, params: AddressParams, opts: ParseOptions = {}): ParseResult {
  const cc = checkChecksum(descriptor, opts.requireChecksum ?? false);
  if (!cc.ok) return { ok: false, error: cc.error };
  const run = (text: string): { descs: Descriptor[]; rest: Span; out: SigningProvider } => {
    const state: State = { keyExpIndex: 0, out: new SigningProvider(), params };
    const sp = new Span(text);
    return { descs: parseScript(state, sp, Ctx.TOP), rest: sp, out: state.out };
  };
  try {
    let r = run(cc.payload);
    if (r.rest.size === 0 && r.descs.length > 1 && cc.payload.includes("'")) {
      // The descriptors a multipath descriptor expands to always write hardened steps as 'h'.
      r = run(cc.payload.replaceAll("'", 'h'));
    }
    if (r.rest.size === 0 && r.descs.length > 0) return { ok: true, descriptors: r.descs, provider: r.out };
    return { ok: false, error: '' };
  } catch (e) {
    if (e instanceof DescriptorError) return { ok: false, error: e.message };
    throw e;
  }
}
