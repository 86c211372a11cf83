// Request bodies are parsed with UniValue's limits: valid UTF-8 only and at most 512 levels of
// nesting; anything else is a parse error, never an exception that escapes.
import type { JSONValue } from './request.js';

export const MAX_JSON_DEPTH = 512;

const decoder = new TextDecoder('utf-8', { fatal: true });

/** The parsed value, or undefined when the bytes are not JSON that Core would accept. */
export function parseJSONBody(bytes: Uint8Array): { value: JSONValue } | undefined {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch (e) {
    if (e instanceof TypeError) return undefined;
    throw e;
  }
  if (nestingDepth(text) > MAX_JSON_DEPTH) return undefined;
  try {
    return { value: JSON.parse(text) as JSONValue };
  } catch (e) {
    if (e instanceof SyntaxError) return undefined;
    throw e;
  }
}

/** Deepest bracket nesting outside string literals (malformed text is left to JSON.parse). */
function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) max = Math.max(max, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}
