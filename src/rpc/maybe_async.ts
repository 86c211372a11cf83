// Values that are there at once or later. The RPC path hands them on as they are: most handlers answer
// at once, and an async function at each of the dispatcher's layers costs a promise and a microtask per call.

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
