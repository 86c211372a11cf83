// The RPC command table: registration, warm-up state, and dispatch with Core's named-parameter
// transformation (including the "args" merge rule) and its error texts.
import { RPCError, RPCErrorCode, RPCTypeError } from './protocol.js';
import { duplicateKeys } from './json.js';
import { isPromise, type MaybePromise } from '../util/maybe_async.js';
import { jsonrpcReply, type JSONObject, type JSONRPCRequest, type JSONValue } from './request.js';

/** A handler sees the request with positional params (named ones already mapped). */
export type RPCHandler = (request: JSONRPCRequest & { params: JSONValue[] }) => JSONValue | Promise<JSONValue>;

/** One argument name; "a|b" lists aliases; namedOnly arguments are collected into an options object. */
export interface RPCArgName {
  name: string;
  namedOnly?: boolean;
}

export interface RPCCommand {
  name: string;
  category: string;
  handler: RPCHandler;
  argNames: RPCArgName[];
}

export class RPCTable {
  private readonly commands = new Map<string, RPCCommand>();
  private inWarmup = true;
  private warmupStatus = 'RPC server started';

  register(name: string, category: string, handler: RPCHandler, argNames: (string | RPCArgName)[] = []): void {
    if (this.commands.has(name)) throw new Error(`RPC command ${name} is already registered`);
    const names = argNames.map((a) => (typeof a === 'string' ? { name: a } : a));
    this.commands.set(name, { name, category, handler, argNames: names });
  }

  listCommands(): string[] {
    return [...this.commands.keys()].sort();
  }

  setWarmupStatus(status: string): void {
    this.warmupStatus = status;
  }

  setWarmupStarting(): void {
    this.inWarmup = true;
  }

  setWarmupFinished(): void {
    if (!this.inWarmup) throw new Error('RPC warm-up already finished');
    this.inWarmup = false;
  }

  /** The warm-up message while warming up, else undefined. */
  warmup(): string | undefined {
    return this.inWarmup ? this.warmupStatus : undefined;
  }

  /** Runs one request; rejects with RPCError (warm-up, unknown method, bad named params, handler errors). */
  async execute(request: JSONRPCRequest): Promise<JSONValue> {
    return this.run(request);
  }

  /** execute() that answers at once when the handler does, and throws instead of rejecting then. */
  run(request: JSONRPCRequest): MaybePromise<JSONValue> {
    if (this.inWarmup) throw new RPCError(RPCErrorCode.RPC_IN_WARMUP, this.warmupStatus);
    const command = this.commands.get(request.method);
    if (command === undefined) throw new RPCError(RPCErrorCode.RPC_METHOD_NOT_FOUND, 'Method not found');
    let result: MaybePromise<JSONValue>;
    try {
      // Positional params are what the handler sees already; named ones are mapped onto a copy of the request.
      const call = Array.isArray(request.params) ? request as JSONRPCRequest & { params: JSONValue[] }
        : Object.assign(Object.create(Object.getPrototypeOf(request) as object) as JSONRPCRequest, request,
          { params: transformNamedArguments(request.params, command.argNames) });
      result = command.handler(call);
    } catch (e) {
      throw toRPCError(e);
    }
    return isPromise(result) ? result.catch((e: unknown) => { throw toRPCError(e); }) : result;
  }
}

/** Errors from handlers become RPC errors the way Core maps exceptions. */
function toRPCError(e: unknown): RPCError {
  if (e instanceof RPCError) return e;
  if (e instanceof RPCTypeError) return new RPCError(RPCErrorCode.RPC_TYPE_ERROR, e.message);
  if (e instanceof Error) return new RPCError(RPCErrorCode.RPC_MISC_ERROR, e.message);
  return new RPCError(RPCErrorCode.RPC_MISC_ERROR, 'unknown error');
}

/**
 * Executes a request and wraps the result in a reply. With catchErrors (2.0 and batch members)
 * failures become error replies; otherwise they propagate so the HTTP layer picks the status.
 */
export function jsonrpcExec(table: RPCTable, request: JSONRPCRequest, catchErrors: boolean): MaybePromise<JSONObject> {
  const failed = (e: unknown): JSONObject => {
    if (!catchErrors) throw e;
    return jsonrpcReply(null, toRPCError(e).toJSON(), request.id, request.version);
  };
  let result: MaybePromise<JSONValue>;
  try {
    result = table.run(request);
  } catch (e) {
    return failed(e);
  }
  if (isPromise(result)) return result.then((r) => jsonrpcReply(r, null, request.id, request.version), failed);
  return jsonrpcReply(result, null, request.id, request.version);
}

function invalidParameter(message: string): RPCError {
  return new RPCError(RPCErrorCode.RPC_INVALID_PARAMETER, message);
}

/** Maps named params onto positions following Core's rules (holes, named-only options, "args"). */
export function transformNamedArguments(named: JSONObject, argNames: RPCArgName[]): JSONValue[] {
  const repeated = duplicateKeys(named)[0];
  if (repeated !== undefined) throw invalidParameter(`Parameter ${repeated} specified multiple times`);
  const argsIn = new Map<string, JSONValue>(Object.entries(named));
  const out: JSONValue[] = [];
  let hole = 0;
  let initialHoleSize = 0;
  let initialParam: string | undefined;
  let options: JSONObject = {};
  for (const { name: pattern, namedOnly } of argNames) {
    const found = pattern.split('|').find((n) => argsIn.has(n));
    if (namedOnly) {
      if (found !== undefined) {
        if (Object.hasOwn(options, found)) throw invalidParameter(`Parameter ${found} specified multiple times`);
        options[found] = argsIn.get(found) as JSONValue;
        argsIn.delete(found);
      }
      continue;
    }
    const hasOptions = Object.keys(options).length > 0;
    if (hasOptions || found !== undefined) {
      // Nulls fill gaps between given arguments, never trailing ones (handlers count params).
      for (; hole > 0; hole--) out.push(null);
      initialParam ??= pattern;
    } else {
      hole += 1;
      if (out.length === 0) initialHoleSize = hole;
    }
    if (found !== undefined) {
      if (hasOptions) throw invalidParameter(`Parameter ${found} conflicts with parameter ${Object.keys(options)[0]}`);
      out.push(argsIn.get(found) as JSONValue);
      argsIn.delete(found);
    }
    if (hasOptions) {
      out.push(options);
      options = {};
    }
  }
  const merged = mergePositionalArgs(argsIn, out, initialHoleSize, initialParam);
  const unknown = argsIn.keys().next();
  if (!unknown.done) throw invalidParameter(`Unknown named parameter ${unknown.value}`);
  return merged;
}

/** A leftover "args" array supplies the leading positional arguments; named ones go after it. */
function mergePositionalArgs(argsIn: Map<string, JSONValue>, named: JSONValue[], initialHoleSize: number,
  initialParam: string | undefined): JSONValue[] {
  if (!argsIn.has('args')) return named;
  const positional = argsIn.get('args');
  argsIn.delete('args');
  if (!Array.isArray(positional)) return named;
  if (initialHoleSize < positional.length && initialParam !== undefined) {
    throw invalidParameter(`Parameter ${initialParam} specified twice both as positional and named argument`);
  }
  return [...positional, ...named.slice(positional.length)];
}
