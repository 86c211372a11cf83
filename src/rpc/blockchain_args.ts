// Reading RPC arguments the way Core's UniValue getters and rpc/util.cpp helpers do (ParseHashV, ParseHexV,
// ParseVerbosity, getInt), with their exact error texts. The RPC framework checks declared types first;
// these still guard values that skip the type check (getblock's verbosity) or come from inside objects.
import { isHex } from '../util/hex.js';
import { JSONNumber } from './json.js';
import { RPCError, RPCErrorCode, RPCTypeError } from './protocol.js';
import type { JSONValue } from './request.js';

/** UniValue's type names as its error messages spell them. */
export function uvTypeName(v: JSONValue | undefined): string {
  if (v === undefined || v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number' || v instanceof JSONNumber) return 'number';
  if (typeof v === 'string') return 'string';
  return 'object';
}

function expectType(v: JSONValue | undefined, type: string): void {
  if (uvTypeName(v) !== type) throw new RPCTypeError(`JSON value of type ${uvTypeName(v)} is not of expected type ${type}`);
}

/** UniValue::getInt<int32_t>: an integral number in range, else `JSON integer out of range`. */
export function getInt(v: JSONValue | undefined, min = -0x80000000, max = 0x7fffffff): number {
  expectType(v, 'number');
  const n = typeof v === 'number' ? v : Number((v as JSONNumber).text);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error('JSON integer out of range');
  return n;
}

/** getInt<uint32_t>. */
export function getUint32(v: JSONValue | undefined): number {
  return getInt(v, 0, 0xffffffff);
}

export function getBool(v: JSONValue | undefined): boolean {
  expectType(v, 'bool');
  return v as boolean;
}

export function getStr(v: JSONValue | undefined): string {
  expectType(v, 'string');
  return v as string;
}

export function isNull(v: JSONValue | undefined): boolean {
  return v === undefined || v === null;
}

/** ParseHashV: a 64-digit hex string, returned lower-cased as a display hash. */
export function parseHashV(v: JSONValue | undefined, name: string): string {
  const hex = getStr(v);
  if (hex.length === 64 && isHex(hex)) return hex.toLowerCase();
  if (hex.length !== 64) {
    throw new RPCError(RPCErrorCode.RPC_INVALID_PARAMETER, `${name} must be of length 64 (not ${hex.length}, for '${hex}')`);
  }
  throw new RPCError(RPCErrorCode.RPC_INVALID_PARAMETER, `${name} must be hexadecimal string (not '${hex}')`);
}

/** ParseHexV: any even-length hex string (a non-string reads as ""). */
export function parseHexV(v: JSONValue | undefined, name: string): string {
  const hex = typeof v === 'string' ? v : '';
  if (!isHex(hex)) throw new RPCError(RPCErrorCode.RPC_INVALID_PARAMETER, `${name} must be hexadecimal string (not '${hex}')`);
  return hex;
}

/** ParseVerbosity: a number, or (when allowed) a bool meaning 1 or 0. */
export function parseVerbosity(v: JSONValue | undefined, defaultVerbosity: number, allowBool: boolean): number {
  if (isNull(v)) return defaultVerbosity;
  if (typeof v === 'boolean') {
    if (!allowBool) throw new RPCError(RPCErrorCode.RPC_TYPE_ERROR, 'Verbosity was boolean but only integer allowed');
    return v ? 1 : 0;
  }
  return getInt(v);
}
