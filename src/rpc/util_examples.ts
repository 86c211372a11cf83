// The example lines of the help text: a smithcoin-cli call and the curl call Core prints, both with
// positional and with named arguments.
import type { JSONValue } from './request.js';
import { writeJSON } from './util_value.js';

/** Named example arguments, in order. */
export type RPCArgList = ReadonlyArray<readonly [string, JSONValue]>;

/** Quotes for the shell only when the text has a space or a quote (help text, not security). */
function shellQuoteIfNeeded(s: string): string {
  if (!/[ '"]/.test(s)) return s;
  return `'${s.replaceAll("'", "'\\''")}'`;
}

export function helpExampleCli(method: string, args: string): string {
  return `> smithcoin-cli ${method} ${args}\n`;
}

export function helpExampleCliNamed(method: string, args: RPCArgList): string {
  let out = `> smithcoin-cli -named ${method}`;
  for (const [name, value] of args) {
    out += ` ${name}=${shellQuoteIfNeeded(typeof value === 'string' ? value : writeJSON(value))}`;
  }
  return `${out}\n`;
}

function curlLine(method: string, params: string): string {
  return `> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "${method}", ` +
    `"params": ${params}}' -H 'content-type: application/json' http://127.0.0.1:8332/\n`;
}

export function helpExampleRpc(method: string, args: string): string {
  return curlLine(method, `[${args}]`);
}

export function helpExampleRpcNamed(method: string, args: RPCArgList): string {
  return curlLine(method, writeJSON(Object.fromEntries(args)));
}
