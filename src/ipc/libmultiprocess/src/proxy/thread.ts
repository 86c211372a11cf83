// Server "threads" for a single-threaded runtime: a Thread is a FIFO lane. Calls posted to one lane run one at a
// time in arrival order; different lanes never wait for each other (libmultiprocess's per-thread queue, v8+).
import type { IncomingCall } from '../rpc/call.js';
import type { ServerTarget } from '../rpc/capability.js';
import { methodNotImplemented, interfaceNotImplemented } from '../rpc/errors.js';
import { THREAD_ID, getName } from './proxy-schema.js';

/** One queued piece of work. `run` is awaited before the next task on the lane starts. */
export interface LaneTask {
  run(): Promise<void>;
  /** Called instead of `run` when the lane is torn down first. */
  cancel(): void;
}

/** A Thread capability we host: a FIFO lane with a name. */
export class ThreadServer implements ServerTarget {
  private readonly queue: (LaneTask | undefined)[] = [];
  private head = 0;
  private running = false;
  private closed = false;
  /** Called when the peer dropped its last reference. */
  onReleased: ((t: ThreadServer) => void) | null = null;

  constructor(readonly name: string) {}

  /** Number of tasks waiting or running (for pool dispatch: shortest queue first). */
  get load(): number { return this.queue.length - this.head + (this.running ? 1 : 0); }

  post(task: LaneTask): void {
    if (this.closed) { task.cancel(); return; }
    this.queue.push(task);
    if (!this.running) this.pump();
  }

  private pump(): void {
    if (this.head >= this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
      this.running = false;
      return;
    }
    const task = this.queue[this.head]!;
    this.queue[this.head++] = undefined;
    this.running = true;
    task.run().then(() => this.pump(), () => this.pump());
  }

  /** Cancels every queued (not yet started) task; the running one finishes on its own. */
  close(): void {
    this.closed = true;
    const pending = this.queue.slice(this.head);
    this.queue.length = 0;
    this.head = 0;
    for (const t of pending) t?.cancel();
  }

  dispatch(call: IncomingCall): void {
    if (call.interfaceId !== THREAD_ID) throw interfaceNotImplemented('Thread', call.interfaceId);
    if (call.methodId !== getName.methodId) throw methodNotImplemented('Thread', call.interfaceId, call.methodId);
    getName.results.encode(call.initResults(getName.results.dataWords, getName.results.ptrCount), { result: this.name });
  }

  onRelease(): void {
    this.onReleased?.(this);
  }
}
