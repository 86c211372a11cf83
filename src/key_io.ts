// Address, WIF and extended key text for a network (Core's key_io.cpp), with Core's decoding error strings.
import { decodeBase58, decodeBase58Check, encodeBase58Check } from './util/base58.js';
import * as bech32 from './util/bech32.js';
import type { AddressParams } from './kernel/chainparams_base.js';
import { BIP32_EXTKEY_SIZE, ExtKey, ExtPubKey } from './key_bip32.js';
import { isPayToAnchorProgram } from './script/script.js';
import { NO_DESTINATION, isValidDestination, type Destination } from './script/standard.js';

export { decodeSecret, encodeSecret } from './key.js';

/** Longest witness program a Bech32 address may carry. */
const BECH32_WITNESS_PROG_MAX_LEN = 40;

export interface DecodedDestination {
  dest: Destination;
  /** Core's error_str: empty when the address is valid. */
  error: string;
  /** Bech32 error positions (only filled for Bech32 checksum/character errors). */
  errorLocations: number[];
}

function startsWith(data: Uint8Array, prefix: Uint8Array): boolean {
  if (data.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (data[i] !== prefix[i]) return false;
  return true;
}

function segwitString(params: AddressParams, encoding: bech32.Encoding, version: number, program: Uint8Array): string {
  const data = [version, ...bech32.convertBits(program, 8, 5, true)!];
  return bech32.encode(encoding, params.bech32Hrp, data);
}

/** EncodeDestination: "" for destinations that have no address. */
export function encodeDestination(dest: Destination, params: AddressParams): string {
  switch (dest.type) {
    case 'pkhash':
    case 'scripthash': {
      return encodeWithPrefix(params.base58Prefixes[dest.type === 'pkhash' ? 'PUBKEY_ADDRESS' : 'SCRIPT_ADDRESS'], dest.hash);
    }
    case 'witness_v0_keyhash':
    case 'witness_v0_scripthash':
      return segwitString(params, bech32.Encoding.BECH32, 0, dest.hash);
    case 'witness_v1_taproot':
      return segwitString(params, bech32.Encoding.BECH32M, 1, dest.program);
    case 'anchor':
      return segwitString(params, bech32.Encoding.BECH32M, 1, Uint8Array.of(0x4e, 0x73));
    case 'witness_unknown':
      if (dest.version < 1 || dest.version > 16 || dest.program.length < 2 || dest.program.length > 40) return '';
      return segwitString(params, bech32.Encoding.BECH32M, dest.version, dest.program);
    case 'none':
    case 'pubkey':
      return '';
  }
}

/** DecodeDestination(str, params, error_str, error_locations). */
export function decodeDestination(str: string, params: AddressParams): DecodedDestination {
  const fail = (error: string, errorLocations: number[] = []): DecodedDestination => ({ dest: NO_DESTINATION, error, errorLocations });
  const ok = (dest: Destination): DecodedDestination => ({ dest, error: '', errorLocations: [] });
  const hrp = params.bech32Hrp;
  // False for a valid Bech32 address of another network too: those then fail as Base58.
  const isBech32 = str.slice(0, hrp.length).toLowerCase() === hrp;
  if (!isBech32) {
    const data = decodeBase58Check(str, 21);
    if (data) {
      const pubkeyPrefix = params.base58Prefixes.PUBKEY_ADDRESS;
      const scriptPrefix = params.base58Prefixes.SCRIPT_ADDRESS;
      if (data.length === 20 + pubkeyPrefix.length && startsWith(data, pubkeyPrefix)) {
        return ok({ type: 'pkhash', hash: data.slice(pubkeyPrefix.length) });
      }
      if (data.length === 20 + scriptPrefix.length && startsWith(data, scriptPrefix)) {
        return ok({ type: 'scripthash', hash: data.slice(scriptPrefix.length) });
      }
      if (startsWith(data, scriptPrefix) || startsWith(data, pubkeyPrefix)) {
        return fail('Invalid length for Base58 address (P2PKH or P2SH)');
      }
      return fail('Invalid or unsupported Base58-encoded address.');
    }
    if (!decodeBase58(str, 100)) return fail('Invalid or unsupported Segwit (Bech32) or Base58 encoding.');
    return fail('Invalid checksum or length of Base58 address (P2PKH or P2SH)');
  }
  const dec = bech32.decode(str);
  if (dec.encoding === bech32.Encoding.BECH32 || dec.encoding === bech32.Encoding.BECH32M) {
    if (dec.data.length === 0) return fail('Empty Bech32 data section');
    if (dec.hrp !== hrp) {
      return fail(`Invalid or unsupported prefix for Segwit (Bech32) address (expected ${hrp}, got ${dec.hrp}).`);
    }
    const version = dec.data[0]!;
    if (version === 0 && dec.encoding !== bech32.Encoding.BECH32) return fail('Version 0 witness address must use Bech32 checksum');
    if (version !== 0 && dec.encoding !== bech32.Encoding.BECH32M) return fail('Version 1+ witness address must use Bech32m checksum');
    const bytes = bech32.convertBits(dec.data.slice(1), 5, 8, false);
    if (!bytes) return fail('Invalid padding in Bech32 data section');
    const program = Uint8Array.from(bytes);
    const byteStr = program.length === 1 ? 'byte' : 'bytes';
    if (version === 0) {
      if (program.length === 20) return ok({ type: 'witness_v0_keyhash', hash: program });
      if (program.length === 32) return ok({ type: 'witness_v0_scripthash', hash: program });
      return fail(`Invalid Bech32 v0 address program size (${program.length} ${byteStr}), per BIP141`);
    }
    if (version === 1 && program.length === 32) return ok({ type: 'witness_v1_taproot', program });
    if (isPayToAnchorProgram(version, program)) return ok({ type: 'anchor' });
    if (version > 16) return fail('Invalid Bech32 address witness version');
    if (program.length < 2 || program.length > BECH32_WITNESS_PROG_MAX_LEN) {
      return fail(`Invalid Bech32 address program size (${program.length} ${byteStr})`);
    }
    return ok({ type: 'witness_unknown', version, program });
  }
  const [error, locations] = bech32.locateErrors(str);
  return fail(error, locations);
}

/** IsValidDestinationString. */
export function isValidDestinationString(str: string, params: AddressParams): boolean {
  return isValidDestination(decodeDestination(str, params).dest);
}

/** DecodeExtKey: null unless the text is a valid xprv/tprv for this network. */
export function decodeExtKey(str: string, params: AddressParams): ExtKey | null {
  const data = decodeBase58Check(str, 78);
  const prefix = params.base58Prefixes.EXT_SECRET_KEY;
  if (!data || data.length !== BIP32_EXTKEY_SIZE + prefix.length || !startsWith(data, prefix)) return null;
  const key = ExtKey.decode(data.subarray(prefix.length));
  data.fill(0);
  return key;
}

/** DecodeExtPubKey: null unless the text is a valid xpub/tpub for this network. */
export function decodeExtPubKey(str: string, params: AddressParams): ExtPubKey | null {
  const data = decodeBase58Check(str, 78);
  const prefix = params.base58Prefixes.EXT_PUBLIC_KEY;
  if (!data || data.length !== BIP32_EXTKEY_SIZE + prefix.length || !startsWith(data, prefix)) return null;
  return ExtPubKey.decode(data.subarray(prefix.length));
}

/** Base58Check of prefix || body; the joined copy is wiped afterwards since the body may be a secret. */
function encodeWithPrefix(prefix: Uint8Array, body: Uint8Array): string {
  const data = new Uint8Array(prefix.length + body.length);
  data.set(prefix);
  data.set(body, prefix.length);
  const out = encodeBase58Check(data);
  data.fill(0);
  return out;
}

export function encodeExtKey(key: ExtKey, params: AddressParams): string {
  return encodeWithPrefix(params.base58Prefixes.EXT_SECRET_KEY, key.encode());
}

export function encodeExtPubKey(key: ExtPubKey, params: AddressParams): string {
  return encodeWithPrefix(params.base58Prefixes.EXT_PUBLIC_KEY, key.encode());
}
