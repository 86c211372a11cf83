// The mocha reporter of the ctest entries: prints what `dot` prints, and writes the run's counts, with the
// full title of every skipped (pending) test, to the file named by SMITHCOIN_TEST_COUNTS, which
// cmake/script/test-counts.mjs adds up after the last ctest test. CommonJS because mocha require()s reporters.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { reporters, Runner } = require('mocha');

const { EVENT_RUN_END, EVENT_TEST_PENDING } = Runner.constants;

class CountsReporter extends reporters.Dot {
  constructor(runner, options) {
    super(runner, options);
    const skipped = [];
    // Pending covers it.skip, describe.skip, a test without a body and this.skip() in a test or a hook.
    runner.on(EVENT_TEST_PENDING, (test) => skipped.push(test.fullTitle()));
    runner.once(EVENT_RUN_END, () => {
      const file = process.env.SMITHCOIN_TEST_COUNTS;
      if (!file) return;
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const counts = { passed: this.stats.passes, failed: this.stats.failures, skipped };
      fs.writeFileSync(file, JSON.stringify(counts, null, 1) + '\n');
    });
  }
}

module.exports = CountsReporter;
