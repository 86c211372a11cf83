// Work that is usually synchronous but may have to wait (a block's script checks on the worker pool): written as a
// generator that yields only the promises it must wait for, and run by runMaybeAsync. When nothing is yielded the
// result comes back at once, with no promise and no turn of the microtask queue; per block that saves a promise and
// a resumption for each async layer a mined or received block passes through.

/** A step of such work: yields the promises it waits for, receives their values, returns T. */
export type MaybeAsync<T> = Generator<Promise<unknown>, T, unknown>;

/** Runs `work` synchronously until it first waits; returns its result, or a promise of it once it had to wait. */
export function runMaybeAsync<T>(work: MaybeAsync<T>): T | Promise<T> {
  const first = work.next();
  return first.done ? first.value : finishAsync(work, first.value);
}

/** The slow path: awaits each promise the work yields and hands its value back, or throws its rejection in. */
async function finishAsync<T>(work: MaybeAsync<T>, waitingOn: Promise<unknown>): Promise<T> {
  let step: IteratorResult<Promise<unknown>, T> = { done: false, value: waitingOn };
  while (!step.done) {
    const settled: { ok: true; value: unknown } | { ok: false; reason: unknown } = await step.value.then(
      (value) => ({ ok: true as const, value }),
      (reason: unknown) => ({ ok: false as const, reason }),
    );
    // As with await, a rejection is thrown into the work where it waited (its catch and finally blocks run).
    step = settled.ok ? work.next(settled.value) : work.throw(settled.reason);
  }
  return step.value;
}
