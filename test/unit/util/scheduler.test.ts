// Scheduler (Core's CScheduler on the event loop): time order, first-in first-out at equal times,
// repeating tasks, MockForward, stop, and the timer that runs due tasks.
import assert from 'node:assert/strict';
import { Scheduler } from '../../../src/util/scheduler.js';

describe('Scheduler', () => {
  let now = 0;
  let s: Scheduler;
  beforeEach(() => {
    now = 0;
    s = new Scheduler({ now: () => now });
  });
  afterEach(() => s.stop());

  it('runs due tasks in time order, equal times first in first out', () => {
    const ran: string[] = [];
    s.schedule(() => ran.push('c'), 30);
    s.schedule(() => ran.push('a1'), 10);
    s.schedule(() => ran.push('b'), 20);
    s.schedule(() => ran.push('a2'), 10);
    now = 20;
    s.runDue();
    assert.deepEqual(ran, ['a1', 'a2', 'b']);
    assert.deepEqual(s.getQueueInfo(), { size: 1, first: 30, last: 30 });
  });

  it('repeats scheduleEvery tasks, also after one throws', () => {
    let runs = 0;
    s.scheduleEvery(() => {
      runs++;
      if (runs === 2) throw new Error('task failed');
    }, 100);
    now = 100;
    s.runDue();
    now = 200;
    assert.throws(() => s.runDue(), /task failed/);
    now = 300;
    s.runDue();
    assert.equal(runs, 3);
    assert.equal(s.getQueueInfo().first, 400);
  });

  it('moves every task sooner with mockForward, within (0, 3600] seconds', () => {
    s.scheduleFromNow(() => undefined, 5000);
    s.scheduleFromNow(() => undefined, 9000);
    s.mockForward(2);
    assert.deepEqual(s.getQueueInfo(), { size: 2, first: 3000, last: 7000 });
    assert.throws(() => s.mockForward(0), RangeError);
    assert.throws(() => s.mockForward(3601), RangeError);
  });

  it('drops tasks on stop and ignores later ones', () => {
    s.scheduleFromNow(() => assert.fail('ran after stop'), 1);
    s.stop();
    s.scheduleFromNow(() => assert.fail('ran after stop'), 1);
    now = 10;
    s.runDue();
    assert.equal(s.getQueueInfo().size, 0);
  });

  it('runs a due task from its timer', async () => {
    const real = new Scheduler();
    try {
      const ran = new Promise<string>((resolve) => real.scheduleFromNow(() => resolve('ran'), 1));
      assert.equal(await ran, 'ran');
      assert.equal(real.getQueueInfo().size, 0);
    } finally {
      real.stop();
    }
  });
});
