// Compile-time agreement between the generated Echo proxy (echo.capnp.ts) and interfaces/echo.ts: a generated
// client can be used wherever a Echo is expected, and any local Echo can be served. Schema drift fails tsc here.
import type { Echo } from '../../interfaces/echo.js';
import type { EchoClient, Echo as EchoSchema } from './echo.capnp.js';

type Holds<T extends true> = T;
/** A remote Echo behaves as the interface. */
export type EchoClientIsInterface = Holds<EchoClient extends Echo ? true : false>;
/** A local Echo satisfies what EchoServer dispatches to. */
export type EchoIsServable = Holds<Echo extends EchoSchema ? true : false>;
