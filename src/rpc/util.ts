// RPCHelpMan (Core's rpc/util): an RPC method declared with its arguments, results and examples. The
// declaration yields the help text, the named-argument list for the table, the argument count and
// type checks, typed access to arguments with their defaults, and (with -rpcdoccheck) a check of the
// result against its documentation.
import { CLIENT_NAME, formatFullVersion } from '../clientversion.js';
import type { NodeContext } from '../node/context.js';
import { RPCError, RPCErrorCode } from './protocol.js';
import type { JSONRPCRequest, JSONValue } from './request.js';
import type { RPCArgName, RPCTable } from './server.js';
import {
  argDescription, argToString, firstName, isOptionalArg, Optional, resultsDescription, Sections,
  type RPCArg, type RPCResult,
} from './util_doc.js';
import { argTypeMismatch, checkDeclaration, resultMismatch } from './util_check.js';
import { getBool, getInt, getReal, getStr, writeJSON, type IntWidth } from './util_value.js';
import { after, settle, type MaybePromise } from '../util/maybe_async.js';

export * from './util_doc.js';
export * from './util_value.js';
export * from './util_parse.js';
export { helpExampleCli, helpExampleCliNamed, helpExampleRpc, helpExampleRpcNamed } from './util_examples.js';

/** Core's UNIX_EPOCH_TIME, used in argument descriptions. */
export const UNIX_EPOCH_TIME = 'UNIX epoch time';
export const DEFAULT_RPC_DOC_CHECK = false;

/** The request a handler sees: positional params, named ones already mapped onto positions. */
export type RPCHelpManRequest = JSONRPCRequest & { params: JSONValue[] };
export type RPCHelpManHandler = (request: RPCHelpManRequest, ctx: NodeContext, args: ArgReader) => JSONValue | Promise<JSONValue>;

export interface RPCHelpManSpec {
  name: string;
  description: string;
  args: readonly RPCArg[];
  results: RPCResult | readonly RPCResult[];
  /** Concatenated HelpExampleCli/HelpExampleRpc lines ('' for none). */
  examples: string;
  handler: RPCHelpManHandler;
}

/** Core's STR_INTERNAL_BUG text: the check that failed, where, and the client version. */
export function internalBugMessage(msg: string, where = callerLocation()): string {
  return `Internal bug detected: ${msg}\n${where}\n${CLIENT_NAME} ${formatFullVersion()}\n`;
}

/** The frame that called the function calling this one. */
function callerLocation(): string {
  const line = new Error().stack?.split('\n')[3]?.trim() ?? '';
  return line.replace(/^at /, '');
}

/** Core's NonFatalCheckError: an internal bug, reported to the caller as RPC_MISC_ERROR. */
export class NonFatalCheckError extends Error {
  constructor(msg: string) {
    super(internalBugMessage(msg, callerLocation()));
    this.name = 'NonFatalCheckError';
  }
}

export class RPCHelpMan {
  readonly name: string;
  readonly description: string;
  readonly args: readonly RPCArg[];
  readonly results: readonly RPCResult[];
  readonly examples: string;
  private readonly handler: RPCHelpManHandler;

  constructor(spec: RPCHelpManSpec) {
    this.name = spec.name;
    this.description = spec.description;
    this.args = spec.args;
    this.results = Array.isArray(spec.results) ? spec.results : [spec.results as RPCResult];
    this.examples = spec.examples;
    this.handler = spec.handler;
    checkDeclaration(this.args, this.results);
  }

  /** The table's argument list: named-only options come before the options object they fill. */
  argNames(): RPCArgName[] {
    const out: RPCArgName[] = [];
    for (const arg of this.args) {
      if (arg.type === 'OBJ_NAMED_PARAMS') for (const inner of arg.inner ?? []) out.push({ name: inner.names, namedOnly: true });
      out.push({ name: arg.names });
    }
    return out;
  }

  /** At least up to the last required arg, at most all args. */
  isValidNumArgs(n: number): boolean {
    let required = 0;
    for (let i = this.args.length; i > 0; i--) {
      if (!isOptionalArg(this.args[i - 1] as RPCArg)) {
        required = i;
        break;
      }
    }
    return required <= n && n <= this.args.length;
  }

  /** Checks the request against the declaration, runs the handler and (with -rpcdoccheck) checks the result. */
  handleRequest(request: RPCHelpManRequest, ctx: NodeContext): MaybePromise<JSONValue> {
    // A wrong argument count answers with the help text, as Core's HelpResult does.
    if (!this.isValidNumArgs(request.params.length)) throw new RPCError(RPCErrorCode.RPC_MISC_ERROR, this.toString());
    const mismatch: Record<string, JSONValue> = {};
    this.args.forEach((arg, i) => {
      const m = argTypeMismatch(arg, request.params[i] ?? null);
      if (m !== undefined) mismatch[`Position ${i + 1} (${arg.names})`] = m;
    });
    if (Object.keys(mismatch).length > 0) {
      throw new RPCError(RPCErrorCode.RPC_TYPE_ERROR, `Wrong type passed:\n${writeJSON(mismatch, 4)}`);
    }
    return after(this.handler(request, ctx, new ArgReader(this.args, request.params)), (ret) => {
      if (ctx.args.getBoolArg('-rpcdoccheck', DEFAULT_RPC_DOC_CHECK)) this.checkResult(ret);
      return ret;
    });
  }

  private checkResult(ret: JSONValue): void {
    const mismatches: JSONValue[] = [];
    for (const r of this.results) {
      const m = resultMismatch(r, ret);
      if (m === undefined) return;
      mismatches.push(m);
    }
    const explain = mismatches.length === 0 ? 'no possible results defined'
      : mismatches.length === 1 ? writeJSON(mismatches[0] as JSONValue, 4) : writeJSON(mismatches, 4);
    throw new Error(internalBugMessage(`RPC call "${this.name}" returned incorrect type:\n${explain}`));
  }

  /** The full help text (Core's RPCHelpMan::ToString). */
  toString(): string {
    let ret = this.name + this.summaryArgs();
    ret += `\n\n${this.description.replace(/^[ \f\n\r\t\v]+|[ \f\n\r\t\v]+$/g, '')}\n`;
    const sections = new Sections();
    const namedOnly = new Sections();
    for (const [i, arg] of this.args.entries()) {
      if (arg.opts?.hidden) break; // this and all later args are for testing only
      sections.push(`${i + 1}. ${firstName(arg)}`, argDescription(arg, true));
      sections.pushArg(arg);
      if (arg.type !== 'OBJ_NAMED_PARAMS') continue;
      for (const inner of arg.inner ?? []) {
        namedOnly.push(firstName(inner), argDescription(inner, true));
        namedOnly.pushArg(inner);
      }
    }
    if (sections.rows.length > 0) ret += '\nArguments:\n';
    ret += sections.toString();
    if (namedOnly.rows.length > 0) ret += '\nNamed Arguments:\n';
    ret += namedOnly.toString();
    ret += resultsDescription(this.results);
    return ret + (this.examples === '' ? '' : `\nExamples:\n${this.examples}`);
  }

  /** The summary line's args: optional runs are wrapped in `( ... )`. */
  private summaryArgs(): string {
    let ret = '';
    let wasOptional = false;
    for (const arg of this.args) {
      if (arg.opts?.hidden) break;
      const optional = isOptionalArg(arg);
      ret += ' ';
      if (optional && !wasOptional) ret += '( ';
      if (!optional && wasOptional) ret += ') ';
      wasOptional = optional;
      ret += argToString(arg, true);
    }
    return wasOptional ? `${ret} )` : ret;
  }

  /** Registers the method in a table; the handler runs with this node context. */
  register(table: RPCTable, category: string, ctx: NodeContext): void {
    const info = rpcTableInfo(table);
    table.register(this.name, category, (request) => info.track(this.name, () => this.handleRequest(request, ctx)), this.argNames());
    info.commands.set(this.name, { category, man: this });
  }
}

/** Core's Arg<T>/MaybeArg<T>: an argument by name, falling back to its declared default. */
export class ArgReader {
  constructor(private readonly args: readonly RPCArg[], private readonly params: readonly JSONValue[]) {}

  private index(name: string): number {
    const i = this.args.findIndex((a) => a.names === name);
    if (i < 0) throw new NonFatalCheckError(`unknown RPC argument "${name}"`);
    return i;
  }

  /** The value, the default, or undefined (null and no default). */
  maybe(name: string): JSONValue | undefined {
    const i = this.index(name);
    const v = this.params[i];
    if (v !== undefined && v !== null) return v;
    const fb = (this.args[i] as RPCArg).fallback;
    return typeof fb === 'object' && 'default' in fb ? fb.default : undefined;
  }

  /** A required arg or one with a default value. */
  value(name: string): JSONValue {
    const fb = (this.args[this.index(name)] as RPCArg).fallback;
    if (fb !== Optional.NO && !(typeof fb === 'object' && 'default' in fb)) {
      throw new NonFatalCheckError(`argument "${name}" has neither a default nor is required`);
    }
    const v = this.maybe(name);
    if (v === undefined) throw new NonFatalCheckError(`required argument "${name}" is missing`);
    return v;
  }

  str(name: string): string { return getStr(this.value(name)); }
  bool(name: string): boolean { return getBool(this.value(name)); }
  int(name: string, width: IntWidth = 'int32'): number { return getInt(this.value(name), width); }
  real(name: string): number { return getReal(this.value(name)); }

  maybeStr(name: string): string | undefined { return mapDefined(this.maybe(name), getStr); }
  maybeBool(name: string): boolean | undefined { return mapDefined(this.maybe(name), getBool); }
  maybeInt(name: string, width: IntWidth = 'int32'): number | undefined {
    return mapDefined(this.maybe(name), (v) => getInt(v, width));
  }
  maybeReal(name: string): number | undefined { return mapDefined(this.maybe(name), getReal); }
}

function mapDefined<T>(v: JSONValue | undefined, f: (v: JSONValue) => T): T | undefined {
  return v === undefined ? undefined : f(v);
}

/** A command running now (getrpcinfo's active_commands). */
export interface ActiveCommand {
  method: string;
  /** process.hrtime.bigint() at the start, in nanoseconds. */
  startNs: bigint;
}

/** What a table knows beyond RPCTable: the RPCHelpMan of each command and the running commands. */
export class RPCTableInfo {
  readonly commands = new Map<string, { category: string; man: RPCHelpMan }>();
  readonly active = new Set<ActiveCommand>();

  track<T>(method: string, run: () => MaybePromise<T>): MaybePromise<T> {
    const entry: ActiveCommand = { method, startNs: process.hrtime.bigint() };
    this.active.add(entry);
    return settle(run, () => this.active.delete(entry));
  }
}

const tableInfos = new WeakMap<RPCTable, RPCTableInfo>();

export function rpcTableInfo(table: RPCTable): RPCTableInfo {
  let info = tableInfos.get(table);
  if (info === undefined) {
    info = new RPCTableInfo();
    tableInfos.set(table, info);
  }
  return info;
}

/** Registers a group of methods under one category. */
export function registerCommands(table: RPCTable, ctx: NodeContext, category: string, methods: readonly RPCHelpMan[]): void {
  for (const m of methods) m.register(table, category, ctx);
}
