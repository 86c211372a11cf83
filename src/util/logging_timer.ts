// Core's logging timer (logging/timer.h) as LOG_TIME_SECONDS uses it: "<prefix>: <title> started" before the work
// and "<prefix>: <title> completed (N.NNs)" after it, also when it throws (Core's destructor logs on unwinding).
import { performance } from 'node:perf_hooks';
import type { Logger } from './logging.js';

/** Runs `work` between the two lines; `prefix` is the function name Core's macro takes from __func__. */
export function logTimeSeconds<T>(logger: Logger, prefix: string, title: string, work: () => T): T {
  logger.info(`${prefix}: ${title} started`);
  const start = performance.now();
  try {
    return work();
  } finally {
    logger.info(`${prefix}: ${title} completed (${((performance.now() - start) / 1000).toFixed(2)}s)`);
  }
}
