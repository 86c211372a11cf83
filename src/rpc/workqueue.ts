// A bounded work queue: at most `threads` items run at once (-rpcthreads) and at most `depth`
// items wait (-rpcworkqueue); a full queue refuses new work instead of growing.

export class WorkQueue {
  private running = 0;
  private readonly pending: (() => Promise<void>)[] = [];

  constructor(private readonly threads: number, private readonly depth: number) {
    if (!(threads >= 1) || !(depth >= 1)) throw new RangeError('work queue needs at least one thread and one slot');
  }

  /** Items waiting for a worker (Core compares this with -rpcworkqueue). */
  size(): number {
    return this.pending.length;
  }

  /** Queues an item; false when the queue is already at its depth. */
  submit(item: () => Promise<void>): boolean {
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
    while (this.running < this.threads && this.pending.length > 0) this.start(this.pending.shift() as () => Promise<void>);
  }

  private start(item: () => Promise<void>): void {
    this.running += 1;
    // Items report their own failures; the queue only has to keep its count right.
    void item().finally(() => {
      this.running -= 1;
      this.drain();
    });
  }
}
