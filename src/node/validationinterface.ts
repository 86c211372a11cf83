// The validation interface (Core's ValidationSignals): validation enqueues what happened to the chain, and
// subscribers (mempool, indexes, wallet, ZMQ, RPC waiters) receive it in order, off the validation path, on a later
// turn of the event loop. BlockChecked alone is synchronous, as in Core, so a submitter learns why its block failed.
import type { BlockValidationState } from '../consensus/validation.js';
import type { Block } from '../primitives/block.js';
import type { BlockIndex } from './chain.js';

export interface ValidationInterface {
  blockConnected?(block: Block, index: BlockIndex): void;
  blockDisconnected?(block: Block, index: BlockIndex): void;
  /** The tip moved; `fork` is the last common block with the old tip (undefined from an empty chain). */
  updatedBlockTip?(newTip: BlockIndex, fork: BlockIndex | undefined, initialDownload: boolean): void;
  /** The coins and the block index reached the disk with the chain at `tip`. */
  chainStateFlushed?(tip: BlockIndex): void;
  /** Synchronous: the outcome of fully validating `block`. */
  blockChecked?(block: Block, state: BlockValidationState): void;
}

type Event = (l: ValidationInterface) => void;

export class ValidationSignals {
  private readonly listeners = new Set<ValidationInterface>();
  private readonly queue: Event[] = [];
  private scheduled = false;
  private readonly drained: Array<() => void> = [];

  /** `onError` receives what a subscriber threw; delivery to the others goes on. */
  constructor(private readonly onError: (err: unknown) => void) {}

  register(l: ValidationInterface): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Notifications waiting for delivery (Core's CallbacksPending). */
  get callbacksPending(): number {
    return this.queue.length;
  }

  private enqueue(ev: Event): void {
    this.queue.push(ev);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  private drain(): void {
    this.scheduled = false;
    // Events queued while delivering wait for the next turn, so a subscriber cannot starve the event loop.
    const batch = this.queue.splice(0);
    for (const ev of batch) {
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
    this.enqueue((l) => l.blockConnected?.(block, index));
  }

  blockDisconnected(block: Block, index: BlockIndex): void {
    this.enqueue((l) => l.blockDisconnected?.(block, index));
  }

  updatedBlockTip(newTip: BlockIndex, fork: BlockIndex | undefined, initialDownload: boolean): void {
    this.enqueue((l) => l.updatedBlockTip?.(newTip, fork, initialDownload));
  }

  chainStateFlushed(tip: BlockIndex): void {
    this.enqueue((l) => l.chainStateFlushed?.(tip));
  }

  blockChecked(block: Block, state: BlockValidationState): void {
    for (const l of [...this.listeners]) l.blockChecked?.(block, state);
  }
}
