// JSON values as Core's UniValue keeps them for settings.json: numbers keep their source text, objects keep
// key order and duplicate keys, and read/write follow UniValue's grammar, escapes and pretty-printing.

/** A JSON number, kept as written (UniValue stores the text, so `1.50` and `1e3` round-trip unchanged). */
export class JsonNumber {
  constructor(readonly text: string) {}
}

/** A JSON object as parallel key/value lists; duplicates are kept so the reader's caller can reject them. */
export class JsonObject {
  readonly keys: string[] = [];
  readonly values: SettingsValue[] = [];
  push(key: string, value: SettingsValue): this {
    this.keys.push(key);
    this.values.push(value);
    return this;
  }
}

export type SettingsValue = null | boolean | string | JsonNumber | JsonObject | SettingsValue[];

/** UniValue's type names, used in its type_error text. */
export function typeName(v: SettingsValue): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (v instanceof JsonNumber) return 'number';
  if (v instanceof JsonObject) return 'object';
  return 'array';
}

export class JsonTypeError extends Error {
  override name = 'JsonTypeError';
}

/** UniValue::get_str(): throws Core's type_error text for anything but a string. */
export function getStr(v: SettingsValue): string {
  if (typeof v === 'string') return v;
  throw new JsonTypeError(`JSON value of type ${typeName(v)} is not of expected type string`);
}

/** UniValue's depth limit while reading. */
const MAX_JSON_DEPTH = 512;

const HEX = '0123456789abcdef';

function escapeString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0c) out += '\\f';
    else if (c === 0x0d) out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += '\\u00' + HEX[c >> 4]! + HEX[c & 15]!;
    else out += ch;
  }
  return out + '"';
}

/** UniValue::write(prettyIndent, indentLevel). */
export function writeJson(v: SettingsValue, prettyIndent = 0, indentLevel = 0): string {
  const level = indentLevel === 0 ? 1 : indentLevel;
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return escapeString(v);
  if (v instanceof JsonNumber) return v.text;
  const isObj = v instanceof JsonObject;
  const values = isObj ? v.values : v;
  const nl = prettyIndent ? '\n' : '';
  let s = isObj ? '{' : '[';
  s += nl;
  for (let i = 0; i < values.length; i++) {
    if (prettyIndent) s += ' '.repeat(prettyIndent * level);
    if (isObj) s += escapeString(v.keys[i]!) + ':' + (prettyIndent ? ' ' : '');
    s += writeJson(values[i]!, prettyIndent, level + 1);
    if (i !== values.length - 1) s += ',';
    s += nl;
  }
  if (prettyIndent) s += ' '.repeat(prettyIndent * (level - 1));
  return s + (isObj ? '}' : ']');
}

class JsonSyntaxError extends Error {}

/** Parses UniValue's JSON grammar over raw bytes; returns undefined where UniValue::read returns false. */
export function readJson(bytes: Uint8Array): SettingsValue | undefined {
  try {
    const reader = new Reader(bytes);
    const value = reader.value(0);
    reader.skipSpace();
    if (reader.pos !== bytes.length) return undefined;
    return value;
  } catch (err) {
    if (err instanceof JsonSyntaxError) return undefined;
    throw err;
  }
}

class Reader {
  pos = 0;
  constructor(private readonly b: Uint8Array) {}

  fail(): never {
    throw new JsonSyntaxError();
  }

  skipSpace(): void {
    while (this.pos < this.b.length) {
      const c = this.b[this.pos]!;
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      this.pos++;
    }
  }

  peek(): number {
    this.skipSpace();
    if (this.pos >= this.b.length) this.fail();
    return this.b[this.pos]!;
  }

  value(depth: number): SettingsValue {
    const c = this.peek();
    if (c === 0x7b || c === 0x5b) {
      if (depth + 1 > MAX_JSON_DEPTH) this.fail();
      return c === 0x7b ? this.object(depth + 1) : this.array(depth + 1);
    }
    if (c === 0x22) return this.string();
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
    for (const [word, v] of [['null', null], ['true', true], ['false', false]] as const) {
      if (this.matchWord(word)) return v;
    }
    return this.fail();
  }

  matchWord(word: string): boolean {
    for (let i = 0; i < word.length; i++) {
      if (this.b[this.pos + i] !== word.charCodeAt(i)) return false;
    }
    this.pos += word.length;
    return true;
  }

  object(depth: number): JsonObject {
    const obj = new JsonObject();
    this.pos++;
    if (this.peek() === 0x7d) {
      this.pos++;
      return obj;
    }
    for (;;) {
      if (this.peek() !== 0x22) this.fail();
      const key = this.string();
      if (this.peek() !== 0x3a) this.fail();
      this.pos++;
      obj.push(key, this.value(depth));
      const c = this.peek();
      this.pos++;
      if (c === 0x7d) return obj;
      if (c !== 0x2c) this.fail();
    }
  }

  array(depth: number): SettingsValue[] {
    const arr: SettingsValue[] = [];
    this.pos++;
    if (this.peek() === 0x5d) {
      this.pos++;
      return arr;
    }
    for (;;) {
      arr.push(this.value(depth));
      const c = this.peek();
      this.pos++;
      if (c === 0x5d) return arr;
      if (c !== 0x2c) this.fail();
    }
  }

  digits(): number {
    const start = this.pos;
    while (this.pos < this.b.length && this.b[this.pos]! >= 0x30 && this.b[this.pos]! <= 0x39) this.pos++;
    return this.pos - start;
  }

  number(): JsonNumber {
    const start = this.pos;
    if (this.b[this.pos] === 0x2d) this.pos++;
    // A leading zero may not be followed by another digit.
    if (this.b[this.pos] === 0x30 && this.isDigit(this.pos + 1)) this.fail();
    if (this.digits() === 0) this.fail();
    if (this.b[this.pos] === 0x2e) {
      this.pos++;
      if (this.digits() === 0) this.fail();
    }
    if (this.b[this.pos] === 0x65 || this.b[this.pos] === 0x45) {
      this.pos++;
      if (this.b[this.pos] === 0x2d || this.b[this.pos] === 0x2b) this.pos++;
      if (this.digits() === 0) this.fail();
    }
    return new JsonNumber(Buffer.from(this.b.subarray(start, this.pos)).toString('latin1'));
  }

  isDigit(i: number): boolean {
    const c = this.b[i];
    return c !== undefined && c >= 0x30 && c <= 0x39;
  }

  string(): string {
    this.pos++;
    const out = new Utf8Collector();
    for (;;) {
      if (this.pos >= this.b.length) this.fail();
      const c = this.b[this.pos]!;
      if (c < 0x20) this.fail();
      this.pos++;
      if (c === 0x22) break;
      if (c !== 0x5c) {
        out.byte(c);
        continue;
      }
      this.escape(out);
    }
    return out.finish() ?? this.fail();
  }

  escape(out: Utf8Collector): void {
    const e = this.b[this.pos++];
    const simple: Record<number, number> = { 0x22: 0x22, 0x5c: 0x5c, 0x2f: 0x2f, 0x62: 8, 0x66: 12, 0x6e: 10, 0x72: 13, 0x74: 9 };
    if (e !== undefined && simple[e] !== undefined) {
      out.byte(simple[e]!);
      return;
    }
    if (e !== 0x75) this.fail();
    // UniValue wants four hex digits and at least one more byte after them (the closing quote).
    if (this.pos + 4 >= this.b.length) this.fail();
    const hex = Buffer.from(this.b.subarray(this.pos, this.pos + 4)).toString('latin1');
    if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail();
    out.codepoint(Number.parseInt(hex, 16));
    this.pos += 4;
  }
}

/** UniValue's JSONUTF8StringFilter: validates UTF-8 bytes and joins \u surrogate pairs. */
class Utf8Collector {
  private text = '';
  private valid = true;
  private cp = 0;
  private state = 0;
  private surrogate = 0;

  byte(ch: number): void {
    if (this.state === 0) {
      if (ch < 0x80) this.text += String.fromCharCode(ch);
      else if (ch < 0xc0) this.valid = false;
      else if (ch < 0xe0) [this.cp, this.state] = [(ch & 0x1f) << 6, 6];
      else if (ch < 0xf0) [this.cp, this.state] = [(ch & 0x0f) << 12, 12];
      else if (ch < 0xf8) [this.cp, this.state] = [(ch & 0x07) << 18, 18];
      else this.valid = false;
      return;
    }
    if ((ch & 0xc0) !== 0x80) this.valid = false;
    this.state -= 6;
    this.cp |= (ch & 0x3f) << this.state;
    if (this.state === 0) this.codepoint(this.cp);
  }

  codepoint(c: number): void {
    if (this.state) this.valid = false;
    if (c >= 0xd800 && c < 0xdc00) {
      if (this.surrogate) this.valid = false;
      else this.surrogate = c;
    } else if (c >= 0xdc00 && c < 0xe000) {
      if (this.surrogate) {
        this.append(0x10000 | ((this.surrogate - 0xd800) << 10) | (c - 0xdc00));
        this.surrogate = 0;
      } else this.valid = false;
    } else if (this.surrogate) this.valid = false;
    else this.append(c);
  }

  private append(c: number): void {
    // UniValue would store code points above U+10FFFF as raw bytes; a JS string cannot hold them.
    if (c > 0x10ffff) this.valid = false;
    else this.text += String.fromCodePoint(c);
  }

  finish(): string | undefined {
    return this.valid && !this.state && !this.surrogate ? this.text : undefined;
  }
}
