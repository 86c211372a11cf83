// A NodeContext for RPC tests (regtest unless told otherwise), a call helper that goes through the
// RPCTable like a request would, and an error catcher.
import assert from 'node:assert/strict';
import { ArgsFlags, ArgsManager } from '../../../src/common/args.js';
import { createChainParams, type ChainType } from '../../../src/kernel/chainparams.js';
import { ShutdownSignal, type NodeContext } from '../../../src/node/context.js';
import { RPCError } from '../../../src/rpc/protocol.js';
import { JSONRPCRequest, type JSONObject, type JSONValue } from '../../../src/rpc/request.js';
import { RPCTable } from '../../../src/rpc/server.js';
import { Logger } from '../../../src/util/logging.js';
import { NodeClock } from '../../../src/util/time.js';

export interface TestContextOptions {
  chain?: ChainType;
  /** Command-line style arguments, e.g. ['-rpcdoccheck=1']. */
  argv?: string[];
  startTime?: number;
}

export function makeContext(opts: TestContextOptions = {}): NodeContext {
  const args = new ArgsManager();
  args.setDefaultFlags(ArgsFlags.ALLOW_ANY);
  args.parseParameters(opts.argv ?? []);
  const clock = new NodeClock();
  return {
    args,
    logger: new Logger({ mockTime: () => clock.mockTime, stdout: () => undefined }),
    chainParams: createChainParams(opts.chain ?? 'regtest'),
    clock,
    shutdown: new ShutdownSignal(),
    rpcTable: new RPCTable(),
    startTime: opts.startTime ?? Math.floor(Date.now() / 1000),
  };
}

/** Calls a method through the table (positional or named params), as the HTTP layer does. */
export async function call(ctx: NodeContext, method: string, params: JSONValue[] | JSONObject = []): Promise<JSONValue> {
  const r = new JSONRPCRequest();
  r.parse({ method, params });
  return ctx.rpcTable.execute(r);
}

/** The RPCError a call fails with (fails the test when it succeeds). */
export async function callError(ctx: NodeContext, method: string, params: JSONValue[] | JSONObject = []): Promise<RPCError> {
  try {
    await call(ctx, method, params);
  } catch (e) {
    assert.ok(e instanceof RPCError, `not an RPCError: ${String(e)}`);
    return e;
  }
  assert.fail(`${method} did not fail`);
}
