// Logging options from the argument manager: registration, -debug/-debugexclude/-loglevel with Core's
// init errors, output options, -shrinkdebugfile, start lines, rate-limit setup and the IPC adapter.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ArgsFlags, ArgsManager, OptionsCategory } from '../../../src/common/args.js';
import { Level, LogFlags, Logger } from '../../../src/util/logging.js';
import {
  addLoggingArgs, LoggingInitError, setLoggingCategories, setLoggingLevel, setLoggingOptions, setupLogRateLimiting, startLogging,
} from '../../../src/util/logging_args.js';
import { ipcLogOptions } from '../../../src/util/logging_ipc.js';
import { tmpDir, useTmpDirs } from '../common/tmpdir.js';

function setup(argv: string[], cwd?: string): { args: ArgsManager; logger: Logger; out: string[] } {
  const out: string[] = [];
  const logger = new Logger({ clock: () => 0, stdout: (t) => out.push(t), threadName: () => 'main' });
  logger.printToConsole = true;
  const args = new ArgsManager({ log: logger, cwd, home: cwd });
  addLoggingArgs(args, logger);
  for (const o of ['-datadir', '-conf', '-daemon', '-rpcpassword']) args.addArg(o, '', ArgsFlags.ALLOW_ANY, OptionsCategory.OPTIONS);
  args.parseParameters(argv);
  return { args, logger, out };
}

function initError(fn: () => void): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof LoggingInitError);
    return err.message;
  }
  assert.fail('expected a LoggingInitError');
}

const CATS =
  'addrman, bench, blockstorage, cmpctblock, coindb, estimatefee, http, i2p, ipc, kernel, leveldb, mempool, mempoolrej, net, ' +
  'privatebroadcast, proxy, prune, qt, rand, reindex, rpc, scan, selectcoins, tor, txpackages, txreconciliation, validation, walletdb, zmq';

describe('logging options', () => {
  useTmpDirs();

  it('registers the options with their help text; -loglevel is debug-only and needs a value', () => {
    const { args } = setup([]);
    const help = args.getHelpMessage();
    assert.ok(help.includes('  -debuglogfile=<file>\n       Specify location of debug log file (default: debug.log). Relative paths\n'));
    assert.ok(help.includes('  -logratelimit\n       Apply rate limiting to unconditional logging to mitigate disk-filling\n       attacks (default: 1)\n'));
    assert.ok(!help.includes('-loglevel=') && !help.includes('-logtimemicros'));
    assert.throws(() => args.parseParameters(['-loglevel']), { message: 'Can not set -loglevel with no value. Please specify value with -loglevel=value.' });
    assert.throws(() => args.parseParameters(['-nologlevel']), { message: 'Negating of -loglevel is meaningless and therefore forbidden' });
  });

  it('-debug enables categories; values before the last 0/none are dropped; -debugexclude wins', () => {
    const { args, logger } = setup(['-debug=net', '-debug=0', '-debug=ipc', '-debug=rpc', '-debugexclude=rpc']);
    setLoggingCategories(args, logger);
    assert.equal(logger.willLogCategory(LogFlags.NET), false);
    assert.equal(logger.willLogCategory(LogFlags.IPC), true);
    assert.equal(logger.willLogCategory(LogFlags.RPC), false);
    const all = setup(['-debug']);
    setLoggingCategories(all.args, all.logger);
    assert.equal(all.logger.willLogCategory(LogFlags.ZMQ), true);
  });

  it('unknown categories are init errors with Core text', () => {
    const a = setup(['-debug=bogus']);
    assert.equal(initError(() => setLoggingCategories(a.args, a.logger)), 'Unsupported logging category -debug=bogus.');
    const b = setup(['-debugexclude=bogus']);
    assert.equal(initError(() => setLoggingCategories(b.args, b.logger)), 'Unsupported logging category -debugexclude=bogus.');
  });

  it('-loglevel sets the global or a category level; bad values give Core errors', () => {
    const { args, logger } = setup(['-loglevel=trace', '-loglevel=net:info']);
    setLoggingLevel(args, logger);
    assert.equal(logger.logLevel(), Level.Trace);
    assert.equal(logger.categoryLevels().get(LogFlags.NET), Level.Info);
    const bad = setup(['-loglevel=loud']);
    assert.equal(initError(() => setLoggingLevel(bad.args, bad.logger)), 'Unsupported global logging level -loglevel=loud. Valid values: info, debug, trace.');
    const short = setup(['-loglevel=a:b']);
    assert.equal(initError(() => setLoggingLevel(short.args, short.logger)), 'Unsupported global logging level -loglevel=a:b. Valid values: info, debug, trace.');
    for (const v of ['net:loud', 'bogus:info', 'net:info:x', 'net:warning']) {
      const c = setup([`-loglevel=${v}`]);
      assert.equal(
        initError(() => setLoggingLevel(c.args, c.logger)),
        `Unsupported category-specific logging level -loglevel=${v}. Expected -loglevel=<category>:<loglevel>. Valid categories: ${CATS}. Valid loglevels: info, debug, trace.`,
      );
    }
  });

  it('applies output options; -printtoconsole defaults to !-daemon; -nodebuglogfile turns the file off', () => {
    const dir = tmpDir();
    const { args, logger } = setup([`-datadir=${dir}`, '-logtimemicros', '-logthreadnames', '-nologtimestamps', '-logips', '-loglevelalways'], dir);
    args.selectConfigNetwork('regtest');
    setLoggingOptions(args, logger);
    assert.equal(logger.printToFile, true);
    assert.equal(logger.filePath, `${dir}/regtest/debug.log`);
    assert.equal(logger.printToConsole, true);
    assert.deepEqual(
      [logger.logTimeMicros, logger.logThreadNames, logger.logTimestamps, logger.logIps, logger.alwaysPrintCategoryLevel, logger.logSourceLocations],
      [true, true, false, true, true, false],
    );
    const daemon = setup(['-daemon', '-nodebuglogfile', '-debuglogfile=/abs/x.log']);
    setLoggingOptions(daemon.args, daemon.logger);
    assert.equal(daemon.logger.printToConsole, false);
    assert.equal(daemon.logger.printToFile, true, 'the last value wins: the file is back');
    assert.equal(daemon.logger.filePath, '/abs/x.log');
    const off = setup(['-nodebuglogfile']);
    setLoggingOptions(off.args, off.logger);
    assert.equal(off.logger.printToFile, false);
  });

  it('startLogging shrinks by default, opens debug.log and logs the start lines', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'debug.log');
    fs.writeFileSync(file, Buffer.alloc(11_000_001, 0x61));
    const { args, logger, out } = setup([`-datadir=${dir}`, '-nologtimestamps'], dir);
    args.readConfigFiles();
    setLoggingOptions(args, logger);
    try {
      startLogging(args, logger, { now: () => Date.UTC(2026, 11, 6, 3, 30, 0) / 1000 });
      assert.equal(fs.statSync(file).size > 10_000_000 && fs.statSync(file).size < 10_001_000, true, 'shrunk, then appended');
      assert.deepEqual(out, [
        'Startup time: 2026-12-06T03:30:00Z\n',
        `Default data directory ${dir}/.smithcoin\n`,
        `Using data directory ${dir}\n`,
        `Config file: ${dir}/smithcoin.conf (not found, skipping)\n`,
        `Command-line arg: datadir="${dir}"\n`,
        'Command-line arg: logtimestamps=false\n',
      ]);
    } finally {
      logger.close();
    }
  });

  it('-noshrinkdebugfile keeps the file, and an unopenable file is an init error', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'debug.log');
    fs.writeFileSync(file, Buffer.alloc(11_000_001, 0x61));
    const { args, logger } = setup([`-datadir=${dir}`, '-noshrinkdebugfile', '-printtoconsole=0'], dir);
    args.readConfigFiles();
    setLoggingOptions(args, logger);
    try {
      startLogging(args, logger);
      assert.ok(fs.statSync(file).size > 11_000_001);
    } finally {
      logger.close();
    }
    const bad = setup([`-datadir=${dir}`, '-debuglogfile=/nonexistent/d.log', '-printtoconsole=0'], dir);
    bad.args.readConfigFiles();
    setLoggingOptions(bad.args, bad.logger);
    assert.equal(initError(() => startLogging(bad.args, bad.logger)), 'Could not open debug log file /nonexistent/d.log');
  });

  it('reports the config file state and hides sensitive values', () => {
    const dir = tmpDir();
    const { args, logger, out } = setup([`-datadir=${dir}`, `-conf=${dir}/missing.conf`, '-logtimestamps=0'], dir);
    args.addArg('-secret', '', ArgsFlags.ALLOW_ANY | ArgsFlags.SENSITIVE, OptionsCategory.OPTIONS);
    args.lockSettings((s) => s.roConfig.set('', new Map([['secret', ['hunter2']]])));
    args.setConfigFilePath(`${dir}/missing.conf`);
    setLoggingOptions(args, logger);
    logger.filePath = path.join(dir, 'debug.log');
    const warned: string[] = [];
    try {
      startLogging(args, logger, { initWarning: (m) => warned.push(m), now: () => 0 });
    } finally {
      logger.close();
    }
    assert.deepEqual(warned, [`The specified config file ${dir}/missing.conf does not exist`]);
    assert.ok(out.includes('Config file arg: secret=****\n'));
  });

  it('-nologratelimit logs that rate limiting is off; otherwise a limiter is scheduled', () => {
    const off = setup(['-nologratelimit']);
    off.logger.startLogging();
    let scheduled = 0;
    setupLogRateLimiting(off.args, off.logger, () => scheduled++);
    assert.equal(scheduled, 0);
    assert.ok(off.out[0]!.endsWith('Log rate limiting disabled\n'));
    const on = setup([]);
    setupLogRateLimiting(on.args, on.logger, (_fn, ms) => (scheduled = ms));
    assert.equal(scheduled, 3_600_000);
  });
});

describe('IPC logging adapter', () => {
  it('asks for info unless -debug=ipc, then debug or trace by -loglevel', () => {
    const a = setup([]);
    setLoggingCategories(a.args, a.logger);
    assert.equal(ipcLogOptions(a.logger).logLevel, 'info');
    const b = setup(['-debug=ipc']);
    setLoggingCategories(b.args, b.logger);
    assert.equal(ipcLogOptions(b.logger).logLevel, 'debug');
    const c = setup(['-debug=ipc', '-loglevel=ipc:trace']);
    setLoggingCategories(c.args, c.logger);
    setLoggingLevel(c.args, c.logger);
    assert.equal(ipcLogOptions(c.logger).logLevel, 'trace');
  });

  it("writes the runtime's lines in Core's format", () => {
    const { args, logger, out } = setup(['-debug=ipc', '-loglevel=trace']);
    setLoggingCategories(args, logger);
    setLoggingLevel(args, logger);
    logger.logTimestamps = false;
    logger.startLogging();
    out.length = 0;
    const { logFn } = ipcLogOptions(logger);
    logFn('trace', '{node-1/main} IPC client send Echo.echo$Params');
    logFn('debug', 'connection opened');
    logFn('info', 'listening');
    logFn('warning', 'slow peer');
    logFn('error', 'disconnected');
    assert.deepEqual(out, [
      '[ipc:trace] {node-1/main} IPC client send Echo.echo$Params\n',
      '[ipc] connection opened\n',
      'ipc: listening\n',
      '[warning] ipc: slow peer\n',
      '[error] ipc: disconnected\n',
    ]);
    const quiet = setup([]);
    quiet.logger.startLogging();
    ipcLogOptions(quiet.logger).logFn('debug', 'hidden');
    assert.deepEqual(quiet.out, []);
  });
});
