// NodeContext: the node's components, built by init and handed to RPC handlers, REST, mining and the interfaces
// (Core's node::NodeContext). Components receive what they need from it; nothing here is global.
import type { ArgsManager } from '../common/args.js';
import type { ChainParams } from '../kernel/chainparams.js';
import type { RPCTable } from '../rpc/server.js';
import type { Logger } from '../util/logging.js';
import type { Scheduler } from '../util/scheduler.js';
import type { NodeClock } from '../util/time.js';
import type { Ipc } from '../interfaces/ipc.js';
import type { ChainstateManagerApi } from './chainstate_api.js';
import type { FeeDeltaMempool } from './fee_delta_mempool.js';
import type { RelayFees } from './mempool_args.js';

/** Shutdown requests from any thread of control (stop RPC, signals, init failure), awaited by the main loop. */
export class ShutdownSignal {
  private requestedFlag = false;
  private readonly waiters: Array<() => void> = [];

  get requested(): boolean {
    return this.requestedFlag;
  }

  request(): void {
    if (this.requestedFlag) return;
    this.requestedFlag = true;
    for (const w of this.waiters.splice(0)) w();
  }

  wait(): Promise<void> {
    if (this.requestedFlag) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

export interface NodeContext {
  readonly args: ArgsManager;
  readonly logger: Logger;
  readonly chainParams: ChainParams;
  readonly clock: NodeClock;
  readonly shutdown: ShutdownSignal;
  readonly rpcTable: RPCTable;
  /** Seconds since the epoch at start (for uptime). */
  readonly startTime: number;
  /** The P2P user agent (Core's strSubVersion), set by init once -uacomment is checked. */
  subversion?: string;
  /** The transaction pool (holding fee deltas only until relay lands); set by init before the chainstate loads. */
  mempool?: FeeDeltaMempool;
  /** -minrelaytxfee and -incrementalrelayfee, checked by init (getnetworkinfo shows them). */
  relayFees?: RelayFees;
  /** Absent until the chainstate has loaded; RPCs that need it run only after warm-up. */
  chainman?: ChainstateManagerApi;
  /** Periodic node tasks (Core's node.scheduler); absent until init starts it. */
  scheduler?: Scheduler;
  /** The process's IPC (smithcoin-node): set by init's IPC step; absent in smithcoind (Core's node.init->ipc()). */
  ipc?: Ipc;
}
