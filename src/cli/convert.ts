// Command-line words to JSON-RPC params as Core's RPCConvertValues/RPCConvertNamedValues do it,
// driven by the conversion table.
import { RPC_CONVERT_PARAMS, type ParamFormat } from './convert_table.js';
import { JsonObject, pushKV, readJson, type Json } from './univalue.js';

interface ConvertParam {
  method: string;
  index: number;
  name: string;
  format: ParamFormat;
}

const TABLE: readonly ConvertParam[] = RPC_CONVERT_PARAMS.map(([method, index, name, format]) => ({ method, index, name, format }));

/** A word that should have been JSON but is not (Core's text). */
export class ConvertError extends Error {
  override name = 'ConvertError';
}

export function paramByPosition(method: string, index: number): ConvertParam | undefined {
  return TABLE.find((p) => p.method === method && p.index === index);
}

export function paramByName(method: string, name: string): ConvertParam | undefined {
  return TABLE.find((p) => p.method === method && p.name === name);
}

function parse(raw: string, format: ParamFormat): Json {
  const parsed = readJson(raw);
  if (parsed !== undefined) return parsed;
  if (format === 'JSON_OR_STRING') return raw;
  throw new ConvertError(`Error parsing JSON: ${raw}`);
}

/** JSON for JSON and JSON_OR_STRING parameters, the word itself otherwise. */
function parseParam(param: ConvertParam | undefined, raw: string): Json {
  return param && param.format !== 'STRING' ? parse(raw, param.format) : raw;
}

/** Positional params: an array, each word converted by its position. */
export function rpcConvertValues(method: string, words: readonly string[]): Json[] {
  const params: Json[] = [];
  for (const word of words) params.push(parseParam(paramByPosition(method, params.length), word));
  return params;
}

/**
 * -named params: `name=value` words become members, other words positional entries under "args".
 * A word with '=' whose name is not a known parameter stays positional when the next position
 * takes a string, or takes JSON and the whole word parses as JSON.
 */
export function rpcConvertNamedValues(method: string, words: readonly string[]): JsonObject {
  const params = new JsonObject();
  const positional: Json[] = [];
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq === -1) {
      positional.push(parseParam(paramByPosition(method, positional.length), word));
      continue;
    }
    const name = word.slice(0, eq);
    const named = paramByName(method, name);
    if (!named) {
      const next = paramByPosition(method, positional.length);
      const whole = next?.format === 'JSON' ? readJson(word) : undefined;
      if (whole !== undefined) {
        positional.push(whole);
        continue;
      }
      if (next?.format === 'STRING') {
        positional.push(word);
        continue;
      }
    }
    // A later value for the same name replaces the earlier one in place.
    pushKV(params, name, parseParam(named, word.slice(eq + 1)));
  }
  // Appended even when an explicit args=... is present: the server decides what that means.
  if (positional.length > 0) params.push('args', positional);
  return params;
}
