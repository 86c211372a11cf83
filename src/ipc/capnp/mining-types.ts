// Compile-time agreement between the generated Mining proxy (mining.capnp.ts) and interfaces/mining.ts: a generated
// client can be used wherever a Mining is expected, and any local Mining can be served. Schema drift fails tsc here.
import type { Mining } from '../../interfaces/mining.js';
import type { MiningClient, Mining as MiningSchema } from './mining.capnp.js';

type Holds<T extends true> = T;
/** A remote Mining behaves as the interface. */
export type MiningClientIsInterface = Holds<MiningClient extends Mining ? true : false>;
/** A local Mining satisfies what MiningServer dispatches to. */
export type MiningIsServable = Holds<Mining extends MiningSchema ? true : false>;

import type { BlockTemplate } from '../../interfaces/mining.js';
import type { BlockTemplateClient, BlockTemplate as BlockTemplateSchema } from './mining.capnp.js';
export type BlockTemplateClientIsInterface = Holds<BlockTemplateClient extends BlockTemplate ? true : false>;
export type BlockTemplateIsServable = Holds<BlockTemplate extends BlockTemplateSchema ? true : false>;
