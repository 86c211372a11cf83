// A bounded work queue: at most `threads` items run at once (-rpcthreads) and at most `depth`
// items wait (-rpcworkqueue); a full queue refuses new work instead of growing.
import { settle, type MaybePromise } from '../util/maybe_async.js';

/** An item finishes when its promise settles, or at once when it returns nothing. */
type Item = () => MaybePromise<void>;

export class WorkQueue {
  private running = 0;
  private readonly pending: Item[] = [];

  constructor(private readonly threads: number, private readonly depth: number) {
    if (!(threads >= 1) || !(depth >= 1)) throw new RangeError('work queue needs at least one thread and one slot');
  }

  /** Items waiting for a worker (Core compares this with -rpcworkqueue). */
  size(): number {
    return this.pending.length;
  }

  /** Queues an item; false when the queue is already at its depth. */
  submit(item: Item): boolean {
    // A free worker with nobody waiting takes the item at once.
    if (this.running < this.threads && this.pending.length === 0) {
      this.start(item);
      return true;
    }
    if (this.pending.length >= this.depth) return false;
    this.pending.push(item);
    this.drain();
    return true;
  }

  private drain(): void {
    while (this.running < this.threads && this.pending.length > 0) this.start(this.pending.shift() as Item);
  }

  private start(item: Item): void {
    this.running += 1;
    // Items report their own failures; the queue only has to keep its count right.
    void settle(item, () => {
      this.running -= 1;
      this.drain();
    });
  }
}
