// The node's task scheduler (Core's CScheduler) on the event loop: one-off and periodic tasks at
// steady-clock times, run in time order, and MockForward for tests (mockscheduler moves every task
// sooner without waiting).
import { performance } from 'node:perf_hooks';

export type SchedulerTask = () => void;

interface Entry {
  /** Steady-clock milliseconds. */
  due: number;
  fn: SchedulerTask;
}

export interface SchedulerOptions {
  /** Steady clock in milliseconds (default performance.now). */
  now?: () => number;
}

export class Scheduler {
  private readonly queue: Entry[] = [];
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(opts: SchedulerOptions = {}) {
    this.now = opts.now ?? (() => performance.now());
  }

  /** Runs fn at (or after) the steady time `due` in milliseconds. */
  schedule(fn: SchedulerTask, due: number): void {
    if (this.stopped) return;
    // After every task due at the same time: first in, first out (a multimap's order).
    let i = this.queue.length;
    while (i > 0 && (this.queue[i - 1] as Entry).due > due) i--;
    this.queue.splice(i, 0, { due, fn });
    this.arm();
  }

  scheduleFromNow(fn: SchedulerTask, deltaMs: number): void {
    this.schedule(fn, this.now() + deltaMs);
  }

  /** Runs fn every deltaMs until stopped; the next run is scheduled when one finishes. */
  scheduleEvery(fn: SchedulerTask, deltaMs: number): void {
    this.scheduleFromNow(() => {
      try {
        fn();
      } finally {
        this.scheduleEvery(fn, deltaMs);
      }
    }, deltaMs);
  }

  /** Core's MockForward: every queued task becomes due `deltaSeconds` sooner (0 < delta <= 3600). */
  mockForward(deltaSeconds: number): void {
    if (!(deltaSeconds > 0 && deltaSeconds <= 3600)) throw new RangeError(`mockForward: delta out of range: ${deltaSeconds}`);
    for (const e of this.queue) e.due -= deltaSeconds * 1000;
    this.arm();
  }

  /** Number of waiting tasks and the first and last due times. */
  getQueueInfo(): { size: number; first?: number; last?: number } {
    return { size: this.queue.length, first: this.queue[0]?.due, last: this.queue[this.queue.length - 1]?.due };
  }

  /** Drops all waiting tasks; later schedule calls do nothing. */
  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Runs the tasks that are due now, in order; a task's exception propagates after the timer is re-armed. */
  runDue(): void {
    try {
      while (!this.stopped && this.queue.length > 0 && (this.queue[0] as Entry).due <= this.now()) {
        (this.queue.shift() as Entry).fn();
      }
    } finally {
      this.arm();
    }
  }

  private arm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const first = this.queue[0];
    if (this.stopped || first === undefined) return;
    // The timer must not keep the process alive on its own: the node's main loop does that.
    this.timer = setTimeout(() => this.runDue(), Math.max(0, first.due - this.now()));
    this.timer.unref();
  }
}
