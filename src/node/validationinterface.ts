// The validation interface (Core's ValidationSignals): validation enqueues what happened to the chain, and
// subscribers (mempool, indexes, wallet, ZMQ, RPC waiters) receive it in order, off the validation path, on a later
// turn of the event loop. BlockChecked, NewPoWValidBlock and ActiveTipChange are synchronous, as in Core, so a
// submitter learns why its block failed. With -debug=validation each event is logged as Core logs it: queued ones
// once as "Enqueuing <event>" and again as they are delivered.
import type { BlockValidationState } from '../consensus/validation.js';
import type { Block } from '../primitives/block.js';
import type { BlockIndex } from './chain.js';

/** Where the events' debug lines go: Core's LogDebug(BCLog::VALIDATION, ...). */
export interface ValidationEventLog {
  enabled(): boolean;
  debug(message: string): void;
}

export interface ValidationInterface {
  blockConnected?(block: Block, index: BlockIndex): void;
  blockDisconnected?(block: Block, index: BlockIndex): void;
  /** The tip moved; `fork` is the last common block with the old tip (undefined from an empty chain). */
  updatedBlockTip?(newTip: BlockIndex, fork: BlockIndex | undefined, initialDownload: boolean): void;
  /** The coins and the block index reached the disk with the chain at `tip`. */
  chainStateFlushed?(tip: BlockIndex): void;
  /** Synchronous: the outcome of fully validating `block`. */
  blockChecked?(block: Block, state: BlockValidationState): void;
  /** Synchronous: a new block with valid proof of work on the tip, before it is connected. */
  newPoWValidBlock?(index: BlockIndex, block: Block): void;
  /** Synchronous: the active tip, after every activation (also when it did not move). */
  activeTipChange?(tip: BlockIndex, initialDownload: boolean): void;
  /** The mempool's transactions that `height`'s block confirmed or conflicted with (txids). */
  mempoolTransactionsRemovedForBlock?(removed: readonly Uint8Array[], height: number): void;
}

type Event = (l: ValidationInterface) => void;

export class ValidationSignals {
  private readonly listeners = new Set<ValidationInterface>();
  private readonly queue: Array<{ ev: Event; line: string | undefined }> = [];
  private scheduled = false;
  private readonly drained: Array<() => void> = [];

  /** `onError` receives what a subscriber threw; delivery to the others goes on. */
  constructor(
    private readonly onError: (err: unknown) => void,
    private readonly log?: ValidationEventLog,
  ) {}

  register(l: ValidationInterface): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Notifications waiting for delivery (Core's CallbacksPending). */
  get callbacksPending(): number {
    return this.queue.length;
  }

  /** Queues `ev`; `describe` makes its log line, only when -debug=validation is on. */
  private enqueue(ev: Event, describe: () => string): void {
    const line = this.log?.enabled() ? describe() : undefined;
    if (line !== undefined) this.log!.debug(`Enqueuing ${line}`);
    this.queue.push({ ev, line });
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  /** Logs a synchronous event's line and hands it to every subscriber now. */
  private now(describe: () => string, ev: Event): void {
    if (this.log?.enabled()) this.log.debug(describe());
    for (const l of [...this.listeners]) ev(l);
  }

  private drain(): void {
    this.scheduled = false;
    // Events queued while delivering wait for the next turn, so a subscriber cannot starve the event loop.
    const batch = this.queue.splice(0);
    for (const { ev, line } of batch) {
      if (line !== undefined) this.log!.debug(line);
      for (const l of [...this.listeners]) {
        try {
          ev(l);
        } catch (err) {
          this.onError(err);
        }
      }
    }
    if (this.queue.length > 0) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    } else {
      for (const w of this.drained.splice(0)) w();
    }
  }

  /** Resolves once everything queued so far was delivered (Core's SyncWithValidationInterfaceQueue). */
  sync(): Promise<void> {
    if (this.queue.length === 0 && !this.scheduled) return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
  }

  blockConnected(block: Block, index: BlockIndex): void {
    this.enqueue((l) => l.blockConnected?.(block, index), () => `BlockConnected: block hash=${block.header.hashHex()} block height=${index.height}`);
  }

  blockDisconnected(block: Block, index: BlockIndex): void {
    this.enqueue((l) => l.blockDisconnected?.(block, index), () => `BlockDisconnected: block hash=${block.header.hashHex()} block height=${index.height}`);
  }

  updatedBlockTip(newTip: BlockIndex, fork: BlockIndex | undefined, initialDownload: boolean): void {
    this.enqueue((l) => l.updatedBlockTip?.(newTip, fork, initialDownload),
      () => `UpdatedBlockTip: new block hash=${newTip.hashHex} fork block hash=${fork?.hashHex ?? 'null'} (in IBD=${initialDownload})`);
  }

  chainStateFlushed(tip: BlockIndex): void {
    this.enqueue((l) => l.chainStateFlushed?.(tip), () => `ChainStateFlushed: block hash=${tip.hashHex}`);
  }

  mempoolTransactionsRemovedForBlock(removed: readonly Uint8Array[], height: number): void {
    this.enqueue((l) => l.mempoolTransactionsRemovedForBlock?.(removed, height),
      () => `MempoolTransactionsRemovedForBlock: block height=${height} txs removed=${removed.length}`);
  }

  blockChecked(block: Block, state: BlockValidationState): void {
    this.now(() => `BlockChecked: block hash=${block.header.hashHex()} state=${state.toString()}`, (l) => l.blockChecked?.(block, state));
  }

  newPoWValidBlock(index: BlockIndex, block: Block): void {
    this.now(() => `NewPoWValidBlock: block hash=${block.header.hashHex()}`, (l) => l.newPoWValidBlock?.(index, block));
  }

  activeTipChange(tip: BlockIndex, initialDownload: boolean): void {
    this.now(() => `ActiveTipChange: new block hash=${tip.hashHex} block height=${tip.height}`, (l) => l.activeTipChange?.(tip, initialDownload));
  }
}
