// Init: the object a process hands to its IPC peers; every other interface is obtained from it.
import type { Echo } from './echo.js';
import type { Mining } from './mining.js';
import type { Rpc } from './rpc.js';

export interface Init {
  makeEcho(): Promise<Echo | null>;
  /**
   * The pre-v31 mining slot (@2): always fails with
   * `Old mining interface (@2) not supported. Please update your client!`.
   */
  makeMiningOld2(): Promise<void>;
  /** Waits until the chainstate is loaded. Null when this process has no node. */
  makeMining(): Promise<Mining | null>;
  /** Null when this process cannot run RPC commands. */
  makeRpc(): Promise<Rpc | null>;
}
