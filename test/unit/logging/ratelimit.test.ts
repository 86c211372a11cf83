// Rate limiting of unconditional log lines per source location (Core's LogRateLimiter texts and rules).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { LogFlags, Logger, type SourceLocation } from '../../../src/util/logging.js';
import { LogRateLimiter, RATELIMIT_MAX_BYTES, RATELIMIT_WINDOW_SECONDS, RateLimitStatus } from '../../../src/util/logging_ratelimit.js';
import { tmpDir, useTmpDirs } from '../common/tmpdir.js';

const LOC_A: SourceLocation = { file: 'net.js', line: 10, func: 'spam' };
const LOC_B: SourceLocation = { file: 'net.js', line: 20, func: 'quiet' };

describe('LogRateLimiter', () => {
  it("uses Core's limits: 1 MiB per location per hour", () => {
    assert.equal(RATELIMIT_MAX_BYTES, 1_048_576);
    assert.equal(RATELIMIT_WINDOW_SECONDS, 3600);
    let interval = 0;
    LogRateLimiter.create((_fn, ms) => (interval = ms), RATELIMIT_MAX_BYTES, RATELIMIT_WINDOW_SECONDS, () => {});
    assert.equal(interval, 3_600_000);
  });

  it('suppresses a location once it exceeds its bytes, until the window resets', () => {
    let reset = () => {};
    const restarts: string[] = [];
    const limiter = LogRateLimiter.create((fn) => (reset = fn), 100, 60, (m) => restarts.push(m));
    assert.equal(limiter.consume(LOC_A, 60), RateLimitStatus.UNSUPPRESSED);
    assert.equal(limiter.consume(LOC_A, 40), RateLimitStatus.UNSUPPRESSED, 'exactly the limit still fits');
    assert.equal(limiter.suppressionsActive(), false);
    assert.equal(limiter.consume(LOC_A, 1), RateLimitStatus.NEWLY_SUPPRESSED);
    assert.equal(limiter.consume(LOC_A, 5), RateLimitStatus.STILL_SUPPRESSED);
    assert.equal(limiter.consume(LOC_B, 100), RateLimitStatus.UNSUPPRESSED, 'locations are independent');
    assert.equal(limiter.suppressionsActive(), true);
    reset();
    assert.equal(limiter.suppressionsActive(), false);
    assert.deepEqual(restarts, ['Restarting logging from net.js:10 (spam): 6 bytes were dropped during the last 60s.']);
    assert.equal(limiter.consume(LOC_A, 100), RateLimitStatus.UNSUPPRESSED);
  });
});

describe('Logger with rate limiting', () => {
  useTmpDirs();

  it('drops suppressed lines from debug.log only, marks lines with [*], and reports the restart', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'debug.log');
    const out: string[] = [];
    const logger = new Logger({ clock: () => 0, stdout: (t) => out.push(t) });
    logger.logTimestamps = false;
    logger.printToConsole = true;
    logger.printToFile = true;
    logger.filePath = file;
    let reset = () => {};
    logger.setRateLimiting(logger.createRateLimiter((fn) => (reset = fn), 30, 60));
    try {
      logger.startLogging();
      const line = 'x'.repeat(19); // 20 bytes with the newline
      logger.info(line, { sourceLoc: LOC_A });
      logger.info(line, { sourceLoc: LOC_A });
      logger.info(line, { sourceLoc: LOC_A });
      logger.info(line, { sourceLoc: LOC_A, ratelimit: false });
      logger.enableCategory('net');
      logger.debug(LogFlags.NET, 'debug lines are never limited', { sourceLoc: LOC_A });
      const warning =
        '[*] [warning] Excessive logging detected from net.js:10 (spam): >30 bytes logged during the last time window of 60s. ' +
        'Suppressing logging to disk from this source location until time window resets. Console logging unaffected. Last log entry.\n';
      assert.deepEqual(out, [`${line}\n`, warning, `[*] ${line}\n`, `[*] ${line}\n`, `[*] ${line}\n`, '[*] [net] debug lines are never limited\n']);
      const written = fs.readFileSync(file, 'utf8');
      assert.equal(written, `\n\n\n\n\n${line}\n${warning}[*] ${line}\n[*] ${line}\n[*] [net] debug lines are never limited\n`);
      reset();
      logger.info('after', { sourceLoc: LOC_A });
      assert.deepEqual(out.slice(-2), [
        '[warning] Restarting logging from net.js:10 (spam): 40 bytes were dropped during the last 60s.\n',
        'after\n',
      ]);
    } finally {
      logger.close();
    }
  });
});
