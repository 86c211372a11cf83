// JSON as Core's UniValue holds it, for the RPC client. The values, reader and writer are those of
// common/settings_json.ts (numbers keep their text, so an amount written as 50.00000000 prints that
// way; objects keep key order and repeated keys); this module adds UniValue's accessors and pushKV.
import {
  getStr, JsonNumber, JsonObject, JsonTypeError, readJson as readJsonBytes, typeName, writeJson, type SettingsValue,
} from '../common/settings_json.js';

export { getStr, JsonNumber, JsonObject, JsonTypeError, writeJson };

export type Json = SettingsValue;

/** UniValue::read of a text: one JSON value of any type; undefined where UniValue fails. */
export function readJson(text: string): Json | undefined {
  return readJsonBytes(Buffer.from(text, 'utf8'));
}

/** UniValue::read of raw bytes (invalid UTF-8 in a string fails, as in UniValue). */
export function readJsonBuffer(bytes: Uint8Array): Json | undefined {
  return readJsonBytes(bytes);
}

/** The first value under `key` (UniValue's find_value), or undefined. */
export function findValue(o: JsonObject, key: string): Json | undefined {
  const i = o.keys.indexOf(key);
  return i === -1 ? undefined : o.values[i];
}

/** UniValue's pushKV: replaces the first value under `key`, else appends (push() appends always). */
export function pushKV(o: JsonObject, key: string, value: Json): JsonObject {
  const i = o.keys.indexOf(key);
  if (i === -1) o.push(key, value);
  else o.values[i] = value;
  return o;
}

/** An object from entries, in order, with pushKV's rule for repeated keys. */
export function obj(entries: [string, Json][]): JsonObject {
  const o = new JsonObject();
  for (const [k, v] of entries) pushKV(o, k, v);
  return o;
}

/** A member of an object (UniValue's operator[]): null when `v` is not an object or lacks the key. */
export function member(v: Json | undefined, key: string): Json {
  return v instanceof JsonObject ? (findValue(v, key) ?? null) : null;
}

/** UniValue's getValStr: the text of a string or number, "1" for true, "" otherwise. */
export function valStr(v: Json | undefined): string {
  if (typeof v === 'string') return v;
  if (v instanceof JsonNumber) return v.text;
  return v === true ? '1' : '';
}

export function num(n: number | bigint): JsonNumber {
  return new JsonNumber(String(n));
}


function wrongType(v: Json | undefined, expected: string): JsonTypeError {
  return new JsonTypeError(`JSON value of type ${typeName(v ?? null)} is not of expected type ${expected}`);
}

/** UniValue's getInt<T> for a signed `bits`-wide integer: only a whole decimal number in range. */
export function getInt(v: Json | undefined, bits: 32 | 64 = 32): number {
  if (!(v instanceof JsonNumber)) throw wrongType(v, 'number');
  const limit = 1n << BigInt(bits - 1);
  if (!/^-?[0-9]+$/.test(v.text) || BigInt(v.text) < -limit || BigInt(v.text) >= limit) {
    throw new JsonTypeError('JSON integer out of range');
  }
  return Number(v.text);
}

export function getBool(v: Json | undefined): boolean {
  if (typeof v !== 'boolean') throw wrongType(v, 'bool');
  return v;
}

export function getObj(v: Json | undefined): JsonObject {
  if (!(v instanceof JsonObject)) throw wrongType(v, 'object');
  return v;
}


/** UniValue's get_real: a number's value. */
export function getReal(v: Json | undefined): number {
  if (!(v instanceof JsonNumber)) throw wrongType(v, 'number');
  return Number(v.text);
}

/** UniValue's empty(): true for scalars and for arrays and objects without members. */
export function isEmpty(v: Json): boolean {
  if (Array.isArray(v)) return v.length === 0;
  return v instanceof JsonObject ? v.keys.length === 0 : true;
}

/** UniValue's getValues() for arrays and objects (empty for scalars). */
export function values(v: Json | undefined): Json[] {
  if (Array.isArray(v)) return v;
  return v instanceof JsonObject ? v.values : [];
}
