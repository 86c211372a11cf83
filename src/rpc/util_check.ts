// Checks between a method's declaration and JSON values: the declaration itself (unique names,
// default types, result shapes), argument types before the handler runs, and the result against its
// documentation (-rpcdoccheck). Mismatch texts are Core's.
import { isObject, type JSONObject, type JSONValue } from './request.js';
import type { RPCArg, RPCArgType, RPCResult, RPCResultType } from './util_doc.js';
import { isOptionalArg } from './util_doc.js';
import { uvTypeName, type JSONTypeName } from './util_value.js';

const ARG_JSON_TYPE: Record<RPCArgType, JSONTypeName | undefined> = {
  STR_HEX: 'string', STR: 'string', NUM: 'number', BOOL: 'bool', OBJ: 'object', OBJ_NAMED_PARAMS: 'object',
  OBJ_USER_KEYS: 'object', ARR: 'array',
  AMOUNT: undefined, // number or string, checked when the amount is parsed
  RANGE: undefined, // number or [number, number], checked when the range is parsed
};

/** Core's RPCArg::MatchesType: undefined when the value fits, else the mismatch text. */
export function argTypeMismatch(arg: RPCArg, value: JSONValue): string | undefined {
  if (arg.opts?.skipTypeCheck) return undefined;
  if (isOptionalArg(arg) && value === null) return undefined;
  const expected = ARG_JSON_TYPE[arg.type];
  if (expected === undefined) return undefined;
  const actual = uvTypeName(value);
  return actual === expected ? undefined : `JSON value of type ${actual} is not of expected type ${expected}`;
}

const RESULT_JSON_TYPE: Record<RPCResultType, JSONTypeName | undefined> = {
  ANY: undefined, NONE: 'null', STR: 'string', STR_HEX: 'string', NUM: 'number', STR_AMOUNT: 'number',
  NUM_TIME: 'number', BOOL: 'bool', ARR: 'array', ARR_FIXED: 'array', OBJ: 'object', OBJ_DYN: 'object',
};

/** Core's RPCResult::MatchesType: undefined when the result fits its doc, else the mismatches. */
export function resultMismatch(doc: RPCResult, value: JSONValue): JSONValue | undefined {
  if (doc.skipTypeCheck) return undefined;
  const expected = RESULT_JSON_TYPE[doc.type];
  if (expected === undefined) return undefined;
  const actual = uvTypeName(value);
  if (actual !== expected) return `returned type is ${actual}, but declared as ${expected} in doc`;
  const inner = doc.inner ?? [];
  const errors: JSONObject = {};
  if (Array.isArray(value)) {
    // Elements past the documented ones are checked against the last doc entry.
    value.forEach((v, i) => addMismatch(errors, String(i), inner[Math.min(inner.length - 1, i)], v));
  } else if (isObject(value)) {
    if (doc.type === 'OBJ_DYN') {
      for (const [k, v] of Object.entries(value)) addMismatch(errors, k, inner[0], v);
    } else {
      objectMismatches(errors, inner, value);
    }
  }
  return Object.keys(errors).length === 0 ? undefined : errors;
}

function addMismatch(errors: JSONObject, key: string, doc: RPCResult | undefined, v: JSONValue): void {
  if (doc === undefined) throw new Error(`Internal bug detected: no doc for result element ${key}`);
  const m = resultMismatch(doc, v);
  if (m !== undefined) errors[key] = m;
}

function objectMismatches(errors: JSONObject, inner: readonly RPCResult[], value: JSONObject): void {
  const docKeys = new Set(inner.map((d) => d.key ?? ''));
  for (const k of Object.keys(value).sort()) {
    if (!docKeys.has(k)) errors[k] = 'key returned that was not in doc';
  }
  for (const d of inner) {
    const k = d.key ?? '';
    if (!Object.hasOwn(value, k)) {
      if (!d.optional) errors[k] = 'key missing, despite not being optional in doc';
      continue;
    }
    addMismatch(errors, k, d, value[k] as JSONValue);
  }
}

/** Developer errors in a declaration, caught when the method is built (Core's CHECK_NONFATALs). */
export function checkDeclaration(args: readonly RPCArg[], results: readonly RPCResult[]): void {
  checkArgNames(args);
  for (const arg of args) checkDefault(arg);
  for (const r of results) checkResultDoc(r);
}

function checkArgNames(args: readonly RPCArg[]): void {
  const POSITIONAL = 1;
  const NAMED = 2;
  const NAMED_ONLY = 4;
  const seen = new Map<string, number>();
  const mark = (name: string, bit: number, allowed: (flags: number) => boolean): void => {
    const flags = seen.get(name) ?? 0;
    if (!allowed(flags)) throw new Error(`Internal bug detected: RPC argument name "${name}" is not unique`);
    seen.set(name, flags | bit);
  };
  for (const arg of args) {
    for (const name of arg.names.split('|')) mark(name, POSITIONAL, (f) => (f & (POSITIONAL | NAMED_ONLY)) === 0);
    if (arg.type !== 'OBJ_NAMED_PARAMS') continue;
    for (const inner of arg.inner ?? []) {
      const also = inner.opts?.alsoPositional === true;
      for (const name of inner.names.split('|')) {
        mark(name, also ? NAMED : NAMED_ONLY, (f) => (also || (f & POSITIONAL) === 0) && (f & (NAMED | NAMED_ONLY)) === 0);
      }
    }
  }
}

const DEFAULT_TYPES: Record<JSONTypeName, readonly RPCArgType[] | 'any'> = {
  object: ['OBJ'], array: ['ARR'], string: ['STR', 'STR_HEX', 'AMOUNT'], number: ['NUM', 'AMOUNT', 'RANGE'],
  bool: ['BOOL'], null: 'any',
};

function checkDefault(arg: RPCArg): void {
  const fb = arg.fallback;
  if (typeof fb !== 'object' || !('default' in fb)) return;
  const allowed = DEFAULT_TYPES[uvTypeName(fb.default)];
  if (allowed !== 'any' && !allowed.includes(arg.type)) {
    throw new Error(`Internal bug detected: default of RPC argument "${arg.names}" does not match its type ${arg.type}`);
  }
}

/** Arrays and dynamic objects need inner docs; scalars must have none; plain objects may have either. */
function checkResultDoc(r: RPCResult): void {
  const inner = r.inner ?? [];
  if (r.type !== 'OBJ') {
    const needed = r.type === 'ARR' || r.type === 'ARR_FIXED' || r.type === 'OBJ_DYN';
    if (needed === (inner.length === 0)) {
      throw new Error(`Internal bug detected: result "${r.key ?? ''}" of type ${r.type} ${needed ? 'needs' : 'cannot have'} inner results`);
    }
  }
  for (const i of inner) checkResultDoc(i);
}
