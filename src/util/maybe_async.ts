// Values that are there at once or later, and work that is usually synchronous but may have to wait. The RPC
// dispatcher hands such values on as they are (most handlers answer at once, and an async function at each layer
// costs a promise and a microtask per call); a block's validation is written as a generator that yields only the
// promises it must wait for (a block's script checks on the worker pool) and is run by runMaybeAsync. When nothing is
// waited for the result comes back at once, with no promise and no turn of the microtask queue.

export type MaybePromise<T> = T | Promise<T>;

export function isPromise<T>(value: MaybePromise<T>): value is Promise<T> {
  return value instanceof Promise;
}

/** `then` for a value that may already be there: f runs at once on a plain value. */
export function after<T, U>(value: MaybePromise<T>, f: (v: T) => MaybePromise<U>): MaybePromise<U> {
  return isPromise(value) ? value.then(f) : f(value);
}

/** Runs `cleanup` once `value` is settled (at once for a plain value or a throw), keeping its result or error. */
export function settle<T>(run: () => MaybePromise<T>, cleanup: () => void): MaybePromise<T> {
  let value: MaybePromise<T>;
  try {
    value = run();
  } catch (e) {
    cleanup();
    throw e;
  }
  if (!isPromise(value)) {
    cleanup();
    return value;
  }
  return value.finally(cleanup);
}


/** A step of such work: yields the promises it waits for, receives their values, returns T. */
export type MaybeAsync<T> = Generator<Promise<unknown>, T, unknown>;

/** Runs `work` synchronously until it first waits; returns its result, or a promise of it once it had to wait. */
export function runMaybeAsync<T>(work: MaybeAsync<T>): MaybePromise<T> {
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
