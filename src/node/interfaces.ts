// The node's local implementations of src/interfaces/ (Core's node/interfaces.cpp): what init hands to IPC and to
// in-process callers. Only the make* functions are public; the classes stay in interfaces_*.ts.
import type { Echo } from '../interfaces/echo.js';
import type { Mining } from '../interfaces/mining.js';
import type { Rpc } from '../interfaces/rpc.js';
import type { RPCDispatchOptions } from '../rpc/httprpc.js';
import type { NodeContext } from './context.js';
import { EchoImpl } from './interfaces_echo.js';
import { MinerImpl, type MiningDeps } from './interfaces_mining.js';
import { RpcImpl } from './interfaces_rpc.js';

export type { MempoolTxLookup, MiningDeps } from './interfaces_mining.js';

export function makeEcho(): Echo {
  return new EchoImpl();
}

/** The node's Mining; its methods need ctx.chainman (see makeNodeInit for waiting until it is loaded). */
export function makeMining(ctx: NodeContext, deps: MiningDeps): Mining {
  return new MinerImpl(ctx, deps);
}

export function makeRpc(options: RPCDispatchOptions): Rpc {
  return new RpcImpl(options);
}
