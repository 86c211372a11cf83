// UniValue's typed getters over plain JSON values, with univalue's exact error texts: a wrong type
// is a type error (RPC_TYPE_ERROR once it reaches the table), a number that does not fit is a plain
// error (RPC_MISC_ERROR).
import { JSONNumber } from './json.js';
import { RPCTypeError } from './protocol.js';
import type { JSONObject, JSONValue } from './request.js';

export type JSONTypeName = 'null' | 'bool' | 'object' | 'array' | 'string' | 'number';

/** univalue's uvTypeName for a value. */
export function uvTypeName(v: JSONValue | undefined): JSONTypeName {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number' || v instanceof JSONNumber) return 'number';
  return Array.isArray(v) ? 'array' : 'object';
}

/** univalue's checkType: throws `JSON value of type X is not of expected type Y`. */
export function checkType(v: JSONValue | undefined, expected: JSONTypeName): void {
  const actual = uvTypeName(v);
  if (actual !== expected) throw new RPCTypeError(`JSON value of type ${actual} is not of expected type ${expected}`);
}

export function getStr(v: JSONValue | undefined): string {
  checkType(v, 'string');
  return v as string;
}

export function getBool(v: JSONValue | undefined): boolean {
  checkType(v, 'bool');
  return v as boolean;
}

export function getArray(v: JSONValue | undefined): JSONValue[] {
  checkType(v, 'array');
  return v as JSONValue[];
}

export function getObj(v: JSONValue | undefined): JSONObject {
  checkType(v, 'object');
  return v as JSONObject;
}

export function getReal(v: JSONValue | undefined): number {
  checkType(v, 'number');
  if (!(v instanceof JSONNumber)) return v as number;
  const n = Number(v.text);
  // UniValue's ParseDouble fails past a double's range.
  if (!Number.isFinite(n)) throw new Error('JSON double out of range');
  return n;
}

/** Integer widths as Core's getInt<T> instantiations use them. */
export const IntRange = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  uint32: [0, 2 ** 32 - 1],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  uint64: [0, Number.MAX_SAFE_INTEGER],
} as const satisfies Record<string, readonly [number, number]>;
export type IntWidth = keyof typeof IntRange;

/**
 * univalue's getInt<T>: the number's text must parse completely as an integer of that width, so
 * fractions and out-of-range values fail with `JSON integer out of range`. Beyond 2^53 JSON.parse has
 * already rounded, so 64-bit widths are limited to safe integers.
 */
export function getInt(v: JSONValue | undefined, width: IntWidth = 'int32'): number {
  // UniValue parses the number's text as an integer: `1.0` or `1e2` is none.
  if (v instanceof JSONNumber && !/^-?[0-9]+$/.test(v.text)) throw new Error('JSON integer out of range');
  const n = getReal(v);
  const [lo, hi] = IntRange[width];
  if (!Number.isInteger(n) || n < lo || n > hi) throw new Error('JSON integer out of range');
  return n === 0 ? 0 : n; // -0 reads as 0, as from_chars gives
}

export { writeJSON } from './json.js';
