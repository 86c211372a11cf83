// Argument helpers the blockchain RPCs add to rpc/util's getters and parsers.
import type { JSONValue } from './request.js';
import { getInt } from './util_value.js';

export { getBool, getInt, getStr, uvTypeName } from './util_value.js';
export { parseHashV, parseVerbosity } from './util_parse.js';

export function isNull(v: JSONValue | undefined): boolean {
  return v === undefined || v === null;
}

/** getInt<uint32_t>. */
export function getUint32(v: JSONValue | undefined): number {
  return getInt(v, 'uint32');
}
