// Compile-time agreement between the generated Rpc proxy (rpc.capnp.ts) and interfaces/rpc.ts: a generated
// client can be used wherever a Rpc is expected, and any local Rpc can be served. Schema drift fails tsc here.
import type { Rpc } from '../../interfaces/rpc.js';
import type { RpcClient, Rpc as RpcSchema } from './rpc.capnp.js';

type Holds<T extends true> = T;
/** A remote Rpc behaves as the interface. */
export type RpcClientIsInterface = Holds<RpcClient extends Rpc ? true : false>;
/** A local Rpc satisfies what RpcServer dispatches to. */
export type RpcIsServable = Holds<Rpc extends RpcSchema ? true : false>;
