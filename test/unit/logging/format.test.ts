// Core's log line format: timestamps (with micros and mocktime), thread names, source locations,
// category/level prefixes and message escaping.
import assert from 'node:assert/strict';
import { Level, LogFlags } from '../../../src/util/logging_categories.js';
import { formatISO8601DateTime, formatLogLine, logEscapeMessage, logPrefix, type FormatOptions, type FormattableEntry } from '../../../src/util/logging_format.js';

const T0 = Date.UTC(2026, 11, 6, 3, 30, 0) / 1000;

const base: FormatOptions = { timestamps: true, timeMicros: false, threadNames: false, sourceLocations: false, alwaysPrintCategoryLevel: false };

function entry(over: Partial<FormattableEntry> = {}): FormattableEntry {
  return {
    category: LogFlags.ALL,
    level: Level.Info,
    timestampUs: T0 * 1_000_000 + 123_456,
    mocktime: 0,
    threadName: 'init',
    sourceLoc: { file: './net.js', line: 42, func: 'connect' },
    message: 'hello',
    ...over,
  };
}

describe('log line format', () => {
  it('timestamps in ISO 8601 UTC, optionally with microseconds and mocktime', () => {
    assert.equal(formatISO8601DateTime(T0), '2026-12-06T03:30:00Z');
    assert.equal(formatLogLine(entry(), base), '2026-12-06T03:30:00Z hello\n');
    assert.equal(formatLogLine(entry(), { ...base, timeMicros: true }), '2026-12-06T03:30:00.123456Z hello\n');
    assert.equal(formatLogLine(entry({ timestampUs: T0 * 1_000_000 + 7 }), { ...base, timeMicros: true }), '2026-12-06T03:30:00.000007Z hello\n');
    assert.equal(formatLogLine(entry({ mocktime: T0 - 86400 }), base), '2026-12-06T03:30:00Z (mocktime: 2026-12-05T03:30:00Z) hello\n');
    assert.equal(formatLogLine(entry(), { ...base, timestamps: false }), 'hello\n');
  });

  it('thread names and source locations come before the prefix', () => {
    const opts = { ...base, threadNames: true, sourceLocations: true };
    assert.equal(formatLogLine(entry({ level: Level.Warning }), opts), '2026-12-06T03:30:00Z [init] [net.js:42] [connect] [warning] hello\n');
    assert.equal(formatLogLine(entry({ threadName: '' }), { ...base, threadNames: true }), '2026-12-06T03:30:00Z [unknown] hello\n');
  });

  it('prefixes: [cat] for debug, [cat:level] otherwise, [level] when uncategorized, nothing for info', () => {
    assert.equal(logPrefix(LogFlags.ALL, Level.Info, false), '');
    assert.equal(logPrefix(LogFlags.NONE, Level.Info, false), '');
    assert.equal(logPrefix(LogFlags.ALL, Level.Warning, false), '[warning] ');
    assert.equal(logPrefix(LogFlags.ALL, Level.Error, false), '[error] ');
    assert.equal(logPrefix(LogFlags.ALL, Level.Debug, false), '[debug] ');
    assert.equal(logPrefix(LogFlags.IPC, Level.Debug, false), '[ipc] ');
    assert.equal(logPrefix(LogFlags.NET, Level.Trace, false), '[net:trace] ');
    assert.equal(logPrefix(LogFlags.NET, Level.Info, false), '[net:info] ');
    assert.equal(logPrefix(LogFlags.ALL, Level.Info, true), '[all:info] ');
    assert.equal(logPrefix(LogFlags.IPC, Level.Debug, true), '[ipc:debug] ');
  });

  it('escapes control characters except newline, and DEL; adds one trailing newline', () => {
    assert.equal(logEscapeMessage('a\x01b\tc\nd\x7fé\x1b'), 'a\\x01b\\x09c\nd\\x7fé\\x1b');
    assert.equal(formatLogLine(entry({ message: 'line\n' }), { ...base, timestamps: false }), 'line\n');
    assert.equal(formatLogLine(entry({ message: '' }), { ...base, timestamps: false }), '\n');
  });
});
