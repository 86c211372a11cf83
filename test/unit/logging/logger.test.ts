// The Logger: categories and levels, buffering before start, console/file/callback sinks, the append-only
// debug.log, reopening, shrinking and rate limiting.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { callerLocation, Level, LogFlags, Logger, LogSite, RECENT_DEBUG_HISTORY_SIZE } from '../../../src/util/logging.js';
import { getLogCategory, logCategoryNames } from '../../../src/util/logging_categories.js';
import { tmpDir, useTmpDirs } from '../common/tmpdir.js';

const T0 = Date.UTC(2026, 11, 6, 3, 30, 0) / 1000;

function makeLogger(): { logger: Logger; out: string[] } {
  const out: string[] = [];
  const logger = new Logger({ clock: () => T0 * 1_000_000, stdout: (t) => out.push(t), threadName: () => 'test' });
  logger.printToConsole = true;
  return { logger, out };
}

describe('log categories and levels', () => {
  it("lists Core's -debug names alphabetically, ipc included", () => {
    assert.equal(
      new Logger().logCategoriesString(),
      'addrman, bench, blockstorage, cmpctblock, coindb, estimatefee, http, i2p, ipc, kernel, leveldb, mempool, mempoolrej, net, ' +
        'privatebroadcast, proxy, prune, qt, rand, reindex, rpc, scan, selectcoins, tor, txpackages, txreconciliation, validation, walletdb, zmq',
    );
    assert.equal(new Logger().logLevelsString(), 'info, debug, trace');
    assert.equal(logCategoryNames().length, 29);
  });

  it('"", "1" and "all" mean every category; libevent is deprecated; unknown names fail', () => {
    for (const s of ['', '1', 'all']) assert.equal(getLogCategory(s), LogFlags.ALL);
    const warnings: string[] = [];
    assert.equal(getLogCategory('libevent', (m) => warnings.push(m)), LogFlags.NONE);
    assert.deepEqual(warnings, ['The logging category `libevent` is deprecated, does nothing, and will be removed in a future version']);
    assert.equal(getLogCategory('nosuch'), undefined);
    const logger = new Logger();
    assert.equal(logger.enableCategory('nosuch'), false);
    assert.equal(logger.disableCategory('nosuch'), false);
  });

  it('debug/trace need the category and the level; info and above always pass', () => {
    const logger = new Logger();
    assert.equal(logger.willLogCategoryLevel(LogFlags.NET, Level.Debug), false);
    assert.equal(logger.willLogCategoryLevel(LogFlags.NET, Level.Info), true);
    logger.enableCategory('net');
    assert.equal(logger.willLogCategoryLevel(LogFlags.NET, Level.Debug), true);
    assert.equal(logger.willLogCategoryLevel(LogFlags.NET, Level.Trace), false, 'default level is debug');
    assert.equal(logger.setLogLevel('trace'), true);
    assert.equal(logger.willLogCategoryLevel(LogFlags.NET, Level.Trace), true);
    assert.equal(logger.setCategoryLogLevel('net', 'info'), true);
    assert.equal(logger.willLogCategoryLevel(LogFlags.NET, Level.Debug), false, 'a category level overrides the global one');
    assert.equal(logger.setLogLevel('warning'), false, 'above info cannot be set');
    assert.equal(logger.setLogLevel('bogus'), false);
    assert.equal(logger.setCategoryLogLevel('net', 'error'), false);
    assert.equal(logger.setCategoryLogLevel('bogus', 'info'), false);
    logger.enableCategory('all');
    logger.disableCategory('net');
    assert.equal(logger.willLogCategory(LogFlags.NET), false);
    assert.equal(logger.willLogCategory(LogFlags.IPC), true);
    assert.deepEqual(logger.logCategoriesList().filter((c) => !c.active).map((c) => c.category), ['net']);
  });

  it('debug and trace lines carry the category; unconditional lines do not', () => {
    const { logger, out } = makeLogger();
    logger.startLogging();
    logger.debug(LogFlags.NET, 'hidden');
    logger.enableCategory('net');
    logger.setLogLevel('trace');
    logger.debug(LogFlags.NET, 'peer');
    logger.trace(LogFlags.NET, 'bytes');
    logger.info('started');
    logger.warning('careful');
    logger.error('broken');
    assert.deepEqual(out, [
      '2026-12-06T03:30:00Z [net] peer\n',
      '2026-12-06T03:30:00Z [net:trace] bytes\n',
      '2026-12-06T03:30:00Z started\n',
      '2026-12-06T03:30:00Z [warning] careful\n',
      '2026-12-06T03:30:00Z [error] broken\n',
    ]);
  });

  it('records the caller as the source location', () => {
    function someCaller() {
      return callerLocation(someCaller);
    }
    const here = (function outer() {
      return someCaller();
    })();
    assert.equal(here.func, 'outer');
    assert.match(here.file, /test\/unit\/logging\/logger\.test\.js$/);
    assert.ok(here.line > 0);
    const { logger, out } = makeLogger();
    logger.logSourceLocations = true;
    logger.startLogging();
    (function emitter() {
      logger.info('x');
    })();
    assert.match(out[0]!, /^2026-12-06T03:30:00Z \[test\/unit\/logging\/logger\.test\.js:\d+\] \[emitter\] x\n$/);
  });

  it('a LogSite looks its location up on its first line and reuses it', () => {
    const { logger, out } = makeLogger();
    logger.logSourceLocations = true;
    logger.startLogging();
    const site = new LogSite();
    function hot(n: number) {
      logger.info(`line ${n}`, { site });
    }
    hot(1);
    const first = site.loc;
    assert.equal(first?.func, 'hot');
    hot(2);
    assert.equal(site.loc, first);
    // The cache is per site object: another caller using it gets the first caller's location.
    (function elsewhere() {
      logger.info('other', { site });
    })();
    assert.equal(out.length, 3);
    for (const line of out) assert.match(line, /\[hot\] /);
  });

  it('looks no location up when neither printed nor rate limited', () => {
    const { logger } = makeLogger();
    logger.startLogging();
    const site = new LogSite();
    const looked = () => site.loc !== undefined;
    logger.info('quiet', { site });
    assert.equal(looked(), false);
    logger.setRateLimiting(logger.createRateLimiter(() => {}, 1000, 60));
    logger.info('limited', { site });
    assert.equal(looked(), true);
  });
});

describe('logger sinks', () => {
  useTmpDirs();

  it('buffers lines until startLogging, then flushes them in order to every sink', () => {
    const { logger, out } = makeLogger();
    const seen: string[] = [];
    logger.info('early one');
    logger.warning('early two');
    assert.deepEqual(out, []);
    const handle = logger.pushBackCallback((l) => seen.push(l));
    assert.equal(logger.startLogging(), true);
    assert.deepEqual(out, ['2026-12-06T03:30:00Z early one\n', '2026-12-06T03:30:00Z [warning] early two\n']);
    assert.deepEqual(seen, out);
    logger.deleteCallback(handle);
    logger.info('late');
    assert.equal(seen.length, 2);
    assert.equal(out.length, 3);
  });

  it('drops the oldest early lines past the buffer limit and says how many', () => {
    const out: string[] = [];
    const logger = new Logger({ clock: () => T0 * 1_000_000, stdout: (t) => out.push(t), maxBufferMemusage: 10_000 });
    logger.printToConsole = true;
    for (let i = 0; i < 100; i++) logger.info(`line ${i} ${'x'.repeat(100)}`);
    logger.startLogging();
    const m = /^2026-12-06T03:30:00Z Early logging buffer overflowed, (\d+) log lines discarded\.\n$/.exec(out[0]!);
    assert.ok(m, out[0]);
    const discarded = Number(m[1]);
    assert.ok(discarded > 0 && discarded < 100);
    assert.equal(out.length - 1 + discarded, 100);
    assert.ok(out[out.length - 1]!.includes('line 99 '), 'the newest lines are kept');
  });

  it('appends to debug.log, one write per line, never truncating', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'debug.log');
    fs.writeFileSync(file, 'previous run\n');
    const { logger } = makeLogger();
    logger.printToConsole = false;
    logger.printToFile = true;
    logger.filePath = file;
    logger.info('buffered');
    try {
      assert.equal(logger.startLogging(), true);
      assert.equal(fs.readFileSync(file, 'utf8'), 'previous run\n\n\n\n\n\n2026-12-06T03:30:00Z buffered\n');
      logger.info('now');
      assert.ok(fs.readFileSync(file, 'utf8').endsWith('buffered\n2026-12-06T03:30:00Z now\n'), 'written before the next call');
    } finally {
      logger.close();
    }
  });

  it('reopens debug.log when asked (log rotation)', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'debug.log');
    const { logger } = makeLogger();
    logger.printToConsole = false;
    logger.printToFile = true;
    logger.filePath = file;
    try {
      logger.startLogging();
      logger.info('before');
      fs.renameSync(file, `${file}.1`);
      logger.info('still old');
      logger.reopenFile = true;
      logger.info('after');
      assert.match(fs.readFileSync(`${file}.1`, 'utf8'), /before\n.*still old\n$/);
      assert.equal(fs.readFileSync(file, 'utf8'), '2026-12-06T03:30:00Z after\n');
    } finally {
      logger.close();
    }
  });

  it('fails to start when debug.log cannot be opened', () => {
    const logger = new Logger();
    logger.printToFile = true;
    logger.filePath = '/nonexistent/dir/debug.log';
    assert.equal(logger.startLogging(), false);
  });

  it('disableLogging writes nothing anywhere', () => {
    const { logger, out } = makeLogger();
    logger.disableLogging();
    logger.info('x');
    assert.deepEqual(out, []);
    assert.equal(logger.enabled(), false);
  });
});

describe('debug.log shrinking', () => {
  useTmpDirs();

  function shrink(size: number): Buffer {
    const dir = tmpDir();
    const file = path.join(dir, 'debug.log');
    const data = Buffer.alloc(size);
    for (let i = 0; i < size; i++) data[i] = 0x61 + (i % 26);
    fs.writeFileSync(file, data);
    const logger = new Logger();
    logger.filePath = file;
    logger.shrinkDebugFile();
    return fs.readFileSync(file);
  }

  it('keeps the last 10,000,000 bytes once the file is over 11,000,000 bytes', () => {
    assert.equal(RECENT_DEBUG_HISTORY_SIZE, 10_000_000);
    const size = 11_000_001;
    const kept = shrink(size);
    assert.equal(kept.length, 10_000_000);
    assert.equal(kept[0], 0x61 + ((size - 10_000_000) % 26), 'the tail is kept');
    assert.equal(kept[kept.length - 1], 0x61 + ((size - 1) % 26));
  });

  it('leaves a file of exactly 11,000,000 bytes alone, and a missing file too', () => {
    assert.equal(shrink(11_000_000).length, 11_000_000);
    const logger = new Logger();
    logger.filePath = path.join(tmpDir(), 'none.log');
    logger.shrinkDebugFile();
    assert.equal(fs.existsSync(logger.filePath), false);
  });

  it('is the default only without -debug categories', () => {
    const logger = new Logger();
    assert.equal(logger.defaultShrinkDebugFile(), true);
    logger.enableCategory('net');
    assert.equal(logger.defaultShrinkDebugFile(), false);
  });
});
