import assert from 'node:assert/strict';
import { type MaybeAsync, runMaybeAsync } from '../../../src/util/maybe_async.js';

function* inner(wait: Promise<number> | undefined): MaybeAsync<number> {
  const n = wait ? (yield wait) as number : 1;
  return n + 1;
}

function* outer(waits: (Promise<number> | undefined)[], log: string[]): MaybeAsync<number> {
  let total = 0;
  try {
    for (const w of waits) total += yield* inner(w);
  } catch (e) {
    log.push(`caught ${(e as Error).message}`);
    return -1;
  } finally {
    log.push('finally');
  }
  return total;
}

describe('maybe_async', () => {
  it('returns the result itself when the work never waits', () => {
    const log: string[] = [];
    assert.equal(runMaybeAsync(outer([undefined, undefined], log)), 4);
    assert.deepEqual(log, ['finally']);
  });

  it('returns a promise once the work waits, and hands it the awaited values', async () => {
    const log: string[] = [];
    const r = runMaybeAsync(outer([undefined, Promise.resolve(5), undefined, Promise.resolve(7)], log));
    assert.ok(r instanceof Promise);
    assert.deepEqual(log, []);
    assert.equal(await r, 2 + 6 + 2 + 8);
    assert.deepEqual(log, ['finally']);
  });

  it('throws a rejection into the work where it waited', async () => {
    const log: string[] = [];
    const r = runMaybeAsync(outer([Promise.resolve(1), Promise.reject(new Error('no'))], log));
    assert.equal(await r, -1);
    assert.deepEqual(log, ['caught no', 'finally']);
  });

  it('rejects with what the work throws after waiting, and throws at once what it throws before', async () => {
    function* failing(wait: boolean): MaybeAsync<number> {
      if (wait) yield Promise.resolve(0);
      throw new Error('bad');
    }
    await assert.rejects(runMaybeAsync(failing(true)) as Promise<number>, /bad/);
    assert.throws(() => runMaybeAsync(failing(false)), /bad/);
  });
});
