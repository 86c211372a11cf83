// Compile-time agreement between the generated Init proxy (init.capnp.ts) and interfaces/init.ts: a generated
// client can be used wherever a Init is expected, and any local Init can be served. Schema drift fails tsc here.
import type { Init } from '../../interfaces/init.js';
import type { InitClient, Init as InitSchema } from './init.capnp.js';

type Holds<T extends true> = T;
/** A remote Init behaves as the interface. */
export type InitClientIsInterface = Holds<InitClient extends Init ? true : false>;
/** A local Init satisfies what InitServer dispatches to. */
export type InitIsServable = Holds<Init extends InitSchema ? true : false>;

/** What every Init implementation throws from makeMiningOld2 (Bitcoin Core's text for the pre-v31 slot @2). */
export const OLD_MINING_INTERFACE_ERROR = 'Old mining interface (@2) not supported. Please update your client!';
