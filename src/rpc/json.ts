// Request bodies are parsed with UniValue's limits: valid UTF-8 only and at most 512 levels of
// nesting; anything else is a parse error, never an exception that escapes.
import type { JSONValue } from './request.js';

export const MAX_JSON_DEPTH = 512;

const decoder = new TextDecoder('utf-8', { fatal: true });

// Small bodies (almost every call) go through JSON.parse after a pass in JS that counts colons and nesting; past
// this size (a block in submitblock) that pass costs more than the tokenizer's regular expressions, which bound
// nesting and keep the first of duplicate keys by themselves.
const NATIVE_PARSE_MAX_CHARS = 64 * 1024;

/** The parsed value, or undefined when the bytes are not JSON that Core would accept. */
export function parseJSONBody(bytes: Uint8Array): { value: JSONValue } | undefined {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch (e) {
    if (e instanceof TypeError) return undefined;
    throw e;
  }
  try {
    if (text.length > NATIVE_PARSE_MAX_CHARS) return { value: parseJSONText(text) };
    const shape = textShape(text);
    if (shape.maxDepth > MAX_JSON_DEPTH) return undefined;
    // JSON.parse reads the same grammar and decodes strings the same way; it only lets the last of duplicate keys
    // win, and numbers lose their text. Each member has one colon outside strings, so equal counts mean there were
    // no duplicates.
    const value = JSON.parse(text) as JSONValue;
    if (memberCount(value) === shape.colons && !shape.inexactNumber) return { value };
    return { value: parseJSONText(text) };
  } catch (e) {
    if (e instanceof SyntaxError) return undefined;
    throw e;
  }
}

/** Members of all objects in a parsed value. */
function memberCount(value: JSONValue): number {
  if (value === null || typeof value !== 'object') return 0;
  let n = 0;
  if (Array.isArray(value)) {
    for (const v of value) n += memberCount(v);
    return n;
  }
  for (const k of Object.keys(value)) n += 1 + memberCount((value as { [key: string]: JSONValue })[k]!);
  return n;
}

/**
 * Keys that an object of a parsed body held more than once, in the order of their second appearance. UniValue keeps
 * every key; its find_value sees the first, and named arguments given twice are an error, so both need to know.
 */
export const DUPLICATE_KEYS: unique symbol = Symbol('duplicateKeys');

/** The keys `value` (an object from parseJSONBody) held more than once; empty for anything else. */
export function duplicateKeys(value: object): readonly string[] {
  return (value as { [DUPLICATE_KEYS]?: string[] })[DUPLICATE_KEYS] ?? [];
}

// Strings in the "unrolled" form (runs of plain characters between escapes): a block's hex in submitblock is one
// megabyte-long run, which a per-character alternation scans several times slower.
const TOKEN_RE = /[ \t\n\r]*(?:("[^"\\\u0000-\u001f]*(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\u0000-\u001f]*)*")|(-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)|(true|false|null)|([{}[\]:,]))/y;

/**
 * JSON as UniValue reads it, into plain values: the first of duplicate keys wins (and the others are listed under
 * DUPLICATE_KEYS); strings and numbers decode as JSON.parse does them. Throws SyntaxError, also for nesting deeper
 * than MAX_JSON_DEPTH, which bounds the recursion.
 */
function parseJSONText(text: string): JSONValue {
  let pos = 0;
  let depth = 0;
  const next = (): { kind: 'str' | 'num' | 'lit' | 'punct'; text: string } => {
    TOKEN_RE.lastIndex = pos;
    const m = TOKEN_RE.exec(text);
    if (!m) throw new SyntaxError(`unexpected input at ${pos}`);
    pos = TOKEN_RE.lastIndex;
    if (m[1] !== undefined) return { kind: 'str', text: m[1] };
    if (m[2] !== undefined) return { kind: 'num', text: m[2] };
    if (m[3] !== undefined) return { kind: 'lit', text: m[3] };
    return { kind: 'punct', text: m[4]! };
  };
  const value = (tok: ReturnType<typeof next>): JSONValue => {
    if (tok.kind === 'str') return stringValue(tok.text);
    if (tok.kind === 'num') return numberValue(tok.text);
    if (tok.kind !== 'punct') return JSON.parse(tok.text) as JSONValue;
    if (tok.text !== '[' && tok.text !== '{') throw new SyntaxError(`unexpected ${tok.text} at ${pos}`);
    if (++depth > MAX_JSON_DEPTH) throw new SyntaxError(`nesting deeper than ${MAX_JSON_DEPTH} at ${pos}`);
    const v = tok.text === '[' ? array() : object();
    depth--;
    return v;
  };
  const array = (): JSONValue[] => {
    const out: JSONValue[] = [];
    let tok = next();
    if (tok.text === ']' && tok.kind === 'punct') return out;
    for (;;) {
      out.push(value(tok));
      const sep = next();
      if (sep.kind === 'punct' && sep.text === ']') return out;
      if (sep.kind !== 'punct' || sep.text !== ',') throw new SyntaxError(`expected , or ] at ${pos}`);
      tok = next();
    }
  };
  const object = (): { [key: string]: JSONValue } => {
    const out: { [key: string]: JSONValue } = {};
    const seen = new Set<string>();
    const dups: string[] = [];
    let tok = next();
    if (tok.kind === 'punct' && tok.text === '}') return out;
    for (;;) {
      if (tok.kind !== 'str') throw new SyntaxError(`expected a key at ${pos}`);
      const key = stringValue(tok.text);
      const colon = next();
      if (colon.kind !== 'punct' || colon.text !== ':') throw new SyntaxError(`expected : at ${pos}`);
      const v = value(next());
      if (seen.has(key)) dups.push(key);
      else {
        seen.add(key);
        // defineProperty, so a "__proto__" key is an ordinary key as in UniValue.
        Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      }
      const sep = next();
      if (sep.kind === 'punct' && sep.text === '}') break;
      if (sep.kind !== 'punct' || sep.text !== ',') throw new SyntaxError(`expected , or } at ${pos}`);
      tok = next();
    }
    if (dups.length > 0) Object.defineProperty(out, DUPLICATE_KEYS, { value: dups, enumerable: false });
    return out;
  };
  const result = value(next());
  if (!/^[ \t\n\r]*$/.test(text.slice(pos))) throw new SyntaxError(`trailing input at ${pos}`);
  return result;
}

/**
 * A number token's value: a plain number when writing it back gives the same text, else a JSONNumber that keeps
 * the text, as UniValue keeps every number (echo answers `1.0`, `1e400` and `-0` as sent; getInt refuses `1.0`).
 */
function numberValue(token: string): JSONValue {
  const n = Number(token);
  return Number.isFinite(n) && writeNumber(n) === token ? n : new JSONNumber(token);
}

/** A string token's value; one without escapes is its text between the quotes. */
function stringValue(token: string): string {
  return token.includes('\\') ? JSON.parse(token) as string : token.slice(1, -1);
}

/**
 * In one pass over what lies outside string literals: the deepest bracket nesting, the number of colons, and whether
 * a number is there that a plain number would not write back the same (a fraction or exponent written otherwise,
 * -0, more digits than a double keeps). Malformed text is left to JSON.parse; in valid text escapes are well formed.
 */
function textShape(text: string): { maxDepth: number; colons: number; inexactNumber: boolean } {
  let depth = 0;
  let maxDepth = 0;
  let colons = 0;
  let inexactNumber = false;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) maxDepth = Math.max(maxDepth, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
    else if (c === 0x3a) colons++;
    else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let end = i + 1;
      let plain = c !== 0x2d;
      for (let d = text.charCodeAt(end); isNumberChar(d); d = text.charCodeAt(++end)) if (d < 0x30 || d > 0x39) plain = false;
      // Digits alone, without a leading zero and short of a double's precision, write back as they are.
      if (!(plain && end - i < 16 && (c !== 0x30 || end === i + 1))) {
        const token = text.slice(i, end);
        const n = Number(token);
        if (!Number.isFinite(n) || writeNumber(n) !== token) inexactNumber = true;
      }
      i = end - 1;
    }
  }
  return { maxDepth, colons, inexactNumber };
}

/** A character of a number token: a digit, '.', 'e', 'E', '+' or '-' (NaN past the end is none). */
function isNumberChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d;
}

/**
 * A number kept as its exact text, as UniValue stores numbers: amounts print as `50.00000000`, which a JS
 * number cannot. JSON.stringify (outside the RPC writer) sees the plain number.
 */
export class JSONNumber {
  constructor(readonly text: string) {
    if (!/^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?$/.test(text)) throw new RangeError(`not a JSON number: ${text}`);
  }

  toJSON(): number {
    return Number(this.text);
  }
}

/**
 * A double as C++ streams print it with precision 16 (UniValue's setFloat): %.16g, so 0.1 + 0.2 is `0.3`
 * and small values switch to `e-05` style exponents.
 */
export function formatDouble(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`cannot write ${x} as JSON`);
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [mantissa, expText] = x.toExponential(15).split('e') as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const digits = stripZeros(mantissa);
    const sign = exp < 0 ? '-' : '+';
    return `${digits}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return stripZeros(x.toFixed(15 - exp));
}

/** %g drops trailing fractional zeros and a bare decimal point. */
function stripZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** UniValue's escapes: JSON's, plus DEL as \u007f. */
function writeString(s: string): string {
  const quoted = JSON.stringify(s);
  return s.includes('\x7f') ? quoted.replace(/\x7f/g, '\\u007f') : quoted;
}

function writeNumber(n: number): string {
  return Number.isSafeInteger(n) ? String(n) : formatDouble(n);
}

/**
 * UniValue::write: compact without an indent; with one, each member on its own line and empty containers
 * still opened and closed on two lines, as Core prints them (`[\n]`).
 */
export function writeJSON(value: JSONValue, indent = 0, level = 1): string {
  if (indent === 0) return writeCompact(value);
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return writeNumber(value);
  if (typeof value === 'string') return writeString(value);
  if (value instanceof JSONNumber) return value.text;
  const entries: [string | undefined, JSONValue][] = Array.isArray(value)
    ? value.map((v) => [undefined, v])
    : Object.entries(value);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  const nl = indent > 0 ? '\n' : '';
  const pad = ' '.repeat(indent * level);
  let out = open + nl;
  entries.forEach(([k, v], i) => {
    const key = k === undefined ? '' : `${writeString(k)}:${indent > 0 ? ' ' : ''}`;
    out += pad + key + writeJSON(v, indent, level + 1) + (i < entries.length - 1 ? ',' : '') + nl;
  });
  return out + ' '.repeat(indent * (level - 1)) + close;
}

/** writeJSON without an indent (every RPC reply): the same text without the per-member bookkeeping. */
function writeCompact(value: JSONValue): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return writeNumber(value);
    case 'string':
      return writeString(value);
  }
  if (value instanceof JSONNumber) return value.text;
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + writeCompact(value[i]!);
    return out + ']';
  }
  const obj = value as { [key: string]: JSONValue };
  let out = '{';
  let first = true;
  for (const k of Object.keys(obj)) {
    out += (first ? '' : ',') + writeString(k) + ':' + writeCompact(obj[k]!);
    first = false;
  }
  return out + '}';
}
