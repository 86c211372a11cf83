// JSON as Core's UniValue holds it, for the RPC client: numbers keep their exact text (an amount
// the server writes as 50.00000000 is printed that way), objects keep key order and may repeat a key
// (the -named "args" entry), and reading and writing follow UniValue's rules and escapes.

/** A JSON number kept as the text it was written with. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

/** A JSON object: ordered entries, duplicates allowed (lookups see the first). */
export class JsonObject {
  readonly entries: [string, Json][] = [];

  /** The first value under `key`, or undefined. */
  get(key: string): Json | undefined {
    return this.entries.find(([k]) => k === key)?.[1];
  }

  /** UniValue's pushKV: replaces the first value under `key`, else appends. */
  set(key: string, value: Json): this {
    const entry = this.entries.find(([k]) => k === key);
    if (entry) entry[1] = value;
    else this.entries.push([key, value]);
    return this;
  }

  /** UniValue's pushKVEnd: appends even when `key` is already there. */
  append(key: string, value: Json): this {
    this.entries.push([key, value]);
    return this;
  }

  keys(): string[] {
    return this.entries.map(([k]) => k);
  }
}

export type Json = null | boolean | string | JsonNumber | Json[] | JsonObject;

export const MAX_JSON_DEPTH = 512;

/** A member of an object (UniValue's operator[]): null when `v` is not an object or lacks the key. */
export function member(v: Json | undefined, key: string): Json {
  return v instanceof JsonObject ? (v.get(key) ?? null) : null;
}

/** UniValue's getValStr: the text of a string or number, "1" for true, "" otherwise. */
export function valStr(v: Json | undefined): string {
  if (typeof v === 'string') return v;
  if (v instanceof JsonNumber) return v.text;
  return v === true ? '1' : '';
}

/** The value of a number (NaN for anything else). */
export function numberValue(v: Json | undefined): number {
  return v instanceof JsonNumber ? Number(v.text) : NaN;
}

export function num(n: number | bigint): JsonNumber {
  return new JsonNumber(String(n));
}

// --- reading -------------------------------------------------------------------------------------

const WS = new Set([' ', '\t', '\n', '\r']);
const NUMBER_RE = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

class Reader {
  pos = 0;
  constructor(private readonly s: string) {}

  skipWs(): void {
    while (this.pos < this.s.length && WS.has(this.s[this.pos]!)) this.pos++;
  }

  atEnd(): boolean {
    this.skipWs();
    return this.pos >= this.s.length;
  }

  value(depth: number): Json {
    this.skipWs();
    const c = this.s[this.pos];
    if (c === '{') return this.object(depth + 1);
    if (c === '[') return this.array(depth + 1);
    if (c === '"') return this.string();
    for (const [word, v] of [['null', null], ['true', true], ['false', false]] as const) {
      if (this.s.startsWith(word, this.pos)) {
        this.pos += word.length;
        return v;
      }
    }
    NUMBER_RE.lastIndex = this.pos;
    const m = NUMBER_RE.exec(this.s);
    if (!m) throw new SyntaxError('bad value');
    this.pos += m[0].length;
    return new JsonNumber(m[0]);
  }

  private expect(c: string): void {
    this.skipWs();
    if (this.s[this.pos] !== c) throw new SyntaxError(`expected ${c}`);
    this.pos++;
  }

  private peek(): string | undefined {
    this.skipWs();
    return this.s[this.pos];
  }

  private object(depth: number): JsonObject {
    if (depth > MAX_JSON_DEPTH) throw new SyntaxError('too deep');
    this.pos++;
    const obj = new JsonObject();
    if (this.peek() === '}') {
      this.pos++;
      return obj;
    }
    for (;;) {
      if (this.peek() !== '"') throw new SyntaxError('expected a key');
      const key = this.string();
      this.expect(':');
      obj.append(key, this.value(depth));
      const next = this.peek();
      this.pos++;
      if (next === '}') return obj;
      if (next !== ',') throw new SyntaxError('expected , or }');
    }
  }

  private array(depth: number): Json[] {
    if (depth > MAX_JSON_DEPTH) throw new SyntaxError('too deep');
    this.pos++;
    const arr: Json[] = [];
    if (this.peek() === ']') {
      this.pos++;
      return arr;
    }
    for (;;) {
      arr.push(this.value(depth));
      const next = this.peek();
      this.pos++;
      if (next === ']') return arr;
      if (next !== ',') throw new SyntaxError('expected , or ]');
    }
  }

  private string(): string {
    this.pos++;
    let out = '';
    for (;;) {
      if (this.pos >= this.s.length) throw new SyntaxError('unterminated string');
      const c = this.s[this.pos]!;
      if (c.charCodeAt(0) < 0x20) throw new SyntaxError('control character in string');
      this.pos++;
      if (c === '"') break;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.s[this.pos++];
      if (e === 'u') {
        const hex = this.s.slice(this.pos, this.pos + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new SyntaxError('bad \\u escape');
        out += String.fromCharCode(parseInt(hex, 16));
        this.pos += 4;
      } else if (e !== undefined && e in SIMPLE_ESCAPES) {
        out += SIMPLE_ESCAPES[e];
      } else {
        throw new SyntaxError('bad escape');
      }
    }
    // UniValue's UTF-8 filter rejects unpaired surrogates (escaped or not).
    if (hasLoneSurrogate(out)) throw new SyntaxError('invalid UTF-16 in string');
    return out;
  }
}

function hasLoneSurrogate(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) return true;
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return true;
      i++;
    }
  }
  return false;
}

/** UniValue::read: one JSON value (any type) with nothing but whitespace after it; undefined if invalid. */
export function readJson(text: string): Json | undefined {
  const reader = new Reader(text);
  try {
    if (reader.atEnd()) return undefined;
    const v = reader.value(0);
    return reader.atEnd() ? v : undefined;
  } catch (e) {
    if (e instanceof SyntaxError) return undefined;
    throw e;
  }
}

// --- writing -------------------------------------------------------------------------------------

const NAMED_ESCAPES: Record<number, string> = { 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0c: '\\f', 0x0d: '\\r', 0x22: '\\"', 0x5c: '\\\\' };

/** UniValue's escapes: control characters and DEL as \u00xx (short forms where JSON has one), '"' and '\'. */
export function escapeJson(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    const named = NAMED_ESCAPES[c];
    if (named !== undefined) out += named;
    else if (c < 0x20 || c === 0x7f) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out;
}

/** UniValue::write: compact with indent 0, else one member per line indented by `indent` per level. */
export function writeJson(v: Json, indent = 0, level = 0): string {
  const lvl = level === 0 ? 1 : level;
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return `"${escapeJson(v)}"`;
  if (v instanceof JsonNumber) return v.text;
  const items = Array.isArray(v)
    ? v.map((x) => writeJson(x, indent, lvl + 1))
    : v.entries.map(([k, x]) => `"${escapeJson(k)}":${indent ? ' ' : ''}${writeJson(x, indent, lvl + 1)}`);
  const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}'];
  if (!indent) return open + items.join(',') + close;
  const pad = ' '.repeat(indent * lvl);
  return `${open}\n${items.map((x) => pad + x).join(',\n')}${items.length ? '\n' : ''}${' '.repeat(indent * (lvl - 1))}${close}`;
}

/** Builds an object from entries in order (a small convenience for request/reply shapes). */
export function obj(entries: [string, Json][]): JsonObject {
  const o = new JsonObject();
  for (const [k, v] of entries) o.set(k, v);
  return o;
}

// --- typed access with UniValue's errors ---------------------------------------------------------

/** UniValue's type names, as its errors print them. */
export function typeName(v: Json | undefined): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (v instanceof JsonNumber) return 'number';
  return Array.isArray(v) ? 'array' : 'object';
}

/** A value of the wrong type or range (UniValue's runtime errors). */
export class JsonTypeError extends Error {
  override name = 'JsonTypeError';
}

function wrongType(v: Json | undefined, expected: string): JsonTypeError {
  return new JsonTypeError(`JSON value of type ${typeName(v)} is not of expected type ${expected}`);
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

export function getStr(v: Json | undefined): string {
  if (typeof v !== 'string') throw wrongType(v, 'string');
  return v;
}

export function getBool(v: Json | undefined): boolean {
  if (typeof v !== 'boolean') throw wrongType(v, 'bool');
  return v;
}

export function getObj(v: Json | undefined): JsonObject {
  if (!(v instanceof JsonObject)) throw wrongType(v, 'object');
  return v;
}

export function getArray(v: Json | undefined): Json[] {
  if (!Array.isArray(v)) throw wrongType(v, 'array');
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
  return v instanceof JsonObject ? v.entries.length === 0 : true;
}

/** UniValue's getValues() for arrays and objects (empty for scalars). */
export function values(v: Json | undefined): Json[] {
  if (Array.isArray(v)) return v;
  return v instanceof JsonObject ? v.entries.map(([, x]) => x) : [];
}
