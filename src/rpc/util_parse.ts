// Argument parsers shared by RPC methods (Core's rpc/util.cpp helpers): amounts, hashes, hex, public
// keys, confirmation targets, verbosity, descriptor ranges and object field types, with Core's texts.
import { COIN, moneyRange, type Amount } from '../consensus/amount.js';
import { pubkeyIsFullyValid } from '../key.js';
import { hexToBytes, isHex } from '../util/hex.js';
import { JSONNumber } from './json.js';
import { RPCError, RPCErrorCode } from './protocol.js';
import type { JSONObject, JSONValue } from './request.js';
import { getInt, getStr, uvTypeName, type JSONTypeName } from './util_value.js';

const FIXED_POINT_UPPER_BOUND = 10n ** 18n - 1n;

/**
 * Core's ParseFixedPoint: a decimal (optional sign, fraction, exponent) as an integer scaled by
 * 10^decimals; undefined when it is malformed, finer than 10^-decimals, or 10^18 or more.
 */
export function parseFixedPoint(text: string, decimals: number): bigint | undefined {
  const m = /^(-?)(0|[1-9][0-9]*)(?:\.([0-9]+))?(?:[eE]([+-]?)([0-9]+))?$/.exec(text);
  if (m === null) return undefined;
  const [, sign, intPart, frac = '', expSign, expDigits = '0'] = m as unknown as string[];
  // A lone leading 0 is skipped; every other digit enters the mantissa, trailing zeros as an exponent.
  const processed = (intPart === '0' ? '' : intPart) + frac;
  const significant = processed.replace(/0+$/, '');
  const mantissa = BigInt(significant === '' ? '0' : significant);
  const exp = BigInt(expDigits);
  if (mantissa > FIXED_POINT_UPPER_BOUND || exp > FIXED_POINT_UPPER_BOUND) return undefined;
  const tzeros = BigInt(processed.length - significant.length);
  const scale = (expSign === '-' ? -exp : exp) - BigInt(frac.length) + tzeros + BigInt(decimals);
  if (scale < 0n || scale >= 18n) return undefined;
  const value = mantissa * 10n ** scale;
  if (value > FIXED_POINT_UPPER_BOUND) return undefined;
  return sign === '-' ? -value : value;
}

function typeError(message: string): RPCError {
  return new RPCError(RPCErrorCode.RPC_TYPE_ERROR, message);
}

function invalidParameter(message: string): RPCError {
  return new RPCError(RPCErrorCode.RPC_INVALID_PARAMETER, message);
}

/** Core's AmountFromValue: a number or string in coins, as satoshis within MoneyRange. */
export function amountFromValue(value: JSONValue | undefined, decimals = 8): Amount {
  if (typeof value !== 'number' && typeof value !== 'string' && !(value instanceof JSONNumber)) throw typeError('Amount is not a number or string');
  const amount = parseFixedPoint(typeof value === 'string' ? value : value instanceof JSONNumber ? value.text : numberText(value), decimals);
  if (amount === undefined) throw typeError('Invalid amount');
  if (!moneyRange(amount)) throw typeError('Amount out of range');
  return amount;
}

/** A JSON number as text (JS prints exponents the way ParseFixedPoint accepts them). */
function numberText(n: number): string {
  return Number.isFinite(n) ? String(n) : '';
}

/** Core's ParseFeeRate: an amount per kvB below 1 coin. */
export function parseFeeRate(value: JSONValue | undefined): Amount {
  const v = amountFromValue(value);
  if (v >= COIN) throw invalidParameter('Fee rates larger than or equal to 1BTC/kvB are not accepted');
  return v;
}

/** Core's ParseHashV: 64 hex digits (either case) in display order; returns them lower-cased. */
export function parseHashV(v: JSONValue | undefined, name: string): string {
  const hex = getStr(v);
  if (hex.length === 64 && isHex(hex)) return hex.toLowerCase();
  if (hex.length !== 64) throw invalidParameter(`${name} must be of length 64 (not ${hex.length}, for '${hex}')`);
  throw invalidParameter(`${name} must be hexadecimal string (not '${hex}')`);
}

export function parseHashO(o: JSONObject, key: string): string {
  return parseHashV(o[key] ?? null, key);
}

/** Core's ParseHexV: a hex string's bytes (a non-string counts as the empty, invalid text). */
export function parseHexV(v: JSONValue | undefined, name: string): Uint8Array {
  const hex = typeof v === 'string' ? v : '';
  if (!isHex(hex)) throw invalidParameter(`${name} must be hexadecimal string (not '${hex}')`);
  return hexToBytes(hex);
}

export function parseHexO(o: JSONObject, key: string): Uint8Array {
  return parseHexV(o[key] ?? null, key);
}

/** Core's HexToPubKey: a fully valid 33- or 65-byte public key. */
export function hexToPubKey(hex: string): Uint8Array {
  if (!isHex(hex)) throw new RPCError(RPCErrorCode.RPC_INVALID_ADDRESS_OR_KEY, `Pubkey "${hex}" must be a hex string`);
  if (hex.length !== 66 && hex.length !== 130) {
    throw new RPCError(RPCErrorCode.RPC_INVALID_ADDRESS_OR_KEY, `Pubkey "${hex}" must have a length of either 33 or 65 bytes`);
  }
  const pub = hexToBytes(hex);
  if (!pubkeyIsFullyValid(pub)) {
    throw new RPCError(RPCErrorCode.RPC_INVALID_ADDRESS_OR_KEY, `Pubkey "${hex}" must be cryptographically valid.`);
  }
  return pub;
}

/** Core's ParseConfirmTarget: 1..maxTarget (a negative int wraps to a huge unsigned, so it fails too). */
export function parseConfirmTarget(value: JSONValue | undefined, maxTarget: number): number {
  const target = getInt(value, 'int32');
  if (target < 1 || target > maxTarget) throw invalidParameter(`Invalid conf_target, must be between 1 and ${maxTarget}`);
  return target;
}

/** Core's ParseVerbosity: null gives the default; booleans (when allowed) are 0/1. */
export function parseVerbosity(arg: JSONValue | undefined, defaultVerbosity: number, allowBool: boolean): number {
  if (arg === undefined || arg === null) return defaultVerbosity;
  if (typeof arg === 'boolean') {
    if (!allowBool) throw typeError('Verbosity was boolean but only integer allowed');
    return arg ? 1 : 0;
  }
  return getInt(arg, 'int32');
}

function parseRange(value: JSONValue | undefined): [number, number] {
  if (uvTypeName(value) === 'number') return [0, getInt(value, 'int64')];
  if (Array.isArray(value) && value.length === 2 && uvTypeName(value[0]) === 'number' && uvTypeName(value[1]) === 'number') {
    const low = getInt(value[0], 'int64');
    const high = getInt(value[1], 'int64');
    if (low > high) throw invalidParameter('Range specified as [begin,end] must not have begin after end');
    return [low, high];
  }
  throw invalidParameter('Range must be specified as end or as [begin,end]');
}

/** Core's ParseDescriptorRange: [begin, end] with 0 <= begin, end < 2^31, fewer than 10^6 entries. */
export function parseDescriptorRange(value: JSONValue | undefined): [number, number] {
  const [low, high] = parseRange(value);
  if (low < 0) throw invalidParameter('Range should be greater or equal than 0');
  if (high >= 2 ** 31) throw invalidParameter('End of range is too high');
  if (high >= low + 1_000_000) throw invalidParameter('Range is too large');
  return [low, high];
}

/** A field's expected type, or 'any'. */
export type FieldType = JSONTypeName | 'any';

/** Core's RPCTypeCheckObj: each listed field has its type (or is null when allowed); strict forbids others. */
export function rpcTypeCheckObj(o: JSONObject, expected: Record<string, FieldType>, allowNull = false, strict = false): void {
  for (const [key, type] of Object.entries(expected)) {
    const v = o[key] ?? null;
    if (!allowNull && v === null) throw typeError(`Missing ${key}`);
    if (type === 'any' || uvTypeName(v) === type || (allowNull && v === null)) continue;
    throw typeError(`JSON value of type ${uvTypeName(v)} for field ${key} is not of expected type ${type}`);
  }
  if (!strict) return;
  for (const key of Object.keys(o)) if (!Object.hasOwn(expected, key)) throw typeError(`Unexpected key ${key}`);
}
