// Cap'n Proto text format for decoded values (the "value representation" objects), used by trace log lines.

/** C-style escape of Data as Cap'n Proto 0.9's stringifier prints it: named escapes, other bytes as 3-digit octal. */
export function escapeBytes(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += escapeCode(bytes[i]!, true);
  return out;
}

function octal(c: number): string {
  return '\\' + (c >>> 6).toString() + ((c >>> 3) & 7).toString() + (c & 7).toString();
}

function escapeCode(c: number, high: boolean): string {
  switch (c) {
    case 0x07: return '\\a';
    case 0x08: return '\\b';
    case 0x0c: return '\\f';
    case 0x0a: return '\\n';
    case 0x0d: return '\\r';
    case 0x09: return '\\t';
    case 0x0b: return '\\v';
    case 0x27: return "\\'";
    case 0x22: return '\\"';
    case 0x5c: return '\\\\';
    default:
      if (c < 0x20 || c === 0x7f || (high && c >= 0x80)) return octal(c);
      return String.fromCharCode(c);
  }
}

/** Escapes Text the same way; non-ASCII characters are kept (the C++ printer leaves UTF-8 as is). */
export function escapeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c >= 0x80 ? s[i]! : escapeCode(c, false);
  }
  return out;
}

function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return String(v);
}

/** True for the value representation of a capability: `{ cap: number }`. */
function isCap(v: object): v is { cap: number } {
  const keys = Object.keys(v);
  return keys.length === 1 && keys[0] === 'cap' && typeof (v as { cap: unknown }).cap === 'number';
}

/**
 * Renders a decoded value in Cap'n Proto text format: structs `(a = 1, b = "x")`, lists `[1, 2]`, Text and Data as
 * escaped literals, capabilities as `<external capability>`. Fields whose value is null/undefined (null pointers,
 * inactive union members) are left out, as the C++ stringifier leaves out null pointer fields.
 */
export function formatText(value: unknown): string {
  switch (typeof value) {
    case 'number': return formatNumber(value);
    case 'bigint': return value.toString();
    case 'boolean': return value ? 'true' : 'false';
    case 'string': return '"' + escapeString(value) + '"';
    case 'undefined': return 'void';
    case 'object': break;
    default: return String(value);
  }
  if (value === null) return 'void';
  if (value instanceof Uint8Array) return '"' + escapeBytes(value) + '"';
  if (Array.isArray(value)) return '[' + value.map(formatText).join(', ') + ']';
  if (isCap(value)) return '<external capability>';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined || v === null) continue;
    parts.push(`${k} = ${formatText(v)}`);
  }
  return '(' + parts.join(', ') + ')';
}
