// The node's logger (Core's BCLog::Logger): categories and levels, Core's line format, console and
// debug.log sinks (append-only, one write per line), early buffering, rate limiting and debug.log shrinking.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, threadId } from 'node:worker_threads';
import {
  DEFAULT_LOG_LEVEL, getLogCategory, getLogLevel, Level, LogFlags, logCategoryNames, logCategoryToStr, logLevelToStr,
  logLevelsString, MAX_USER_SETABLE_SEVERITY_LEVEL, type LogFlag,
} from './logging_categories.js';
import { LogRateLimiter, RATELIMIT_MAX_BYTES, RATELIMIT_WINDOW_SECONDS, RateLimitStatus, type SchedulerFunction, type SourceLocation } from './logging_ratelimit.js';
import { formatLogLine, type FormatOptions } from './logging_format.js';

export { Level, LogFlags } from './logging_categories.js';
export type { LogFlag } from './logging_categories.js';
export type { SourceLocation } from './logging_ratelimit.js';

export const DEFAULT_DEBUGLOGFILE = 'debug.log';
export const DEFAULT_LOGTIMEMICROS = false;
export const DEFAULT_LOGIPS = false;
export const DEFAULT_LOGTIMESTAMPS = true;
export const DEFAULT_LOGTHREADNAMES = false;
export const DEFAULT_LOGSOURCELOCATIONS = false;
export const DEFAULT_LOGLEVELALWAYS = false;
/** Bytes of log lines kept in memory before startLogging(). */
export const DEFAULT_MAX_LOG_BUFFER = 1_000_000;
/** Bytes of debug.log kept when shrinking, and the size (10% more) above which it shrinks. */
export const RECENT_DEBUG_HISTORY_SIZE = 10 * 1_000_000;

/** One log line before formatting (Core's util::log::Entry). */
export interface LogEntry {
  category: LogFlag;
  level: Level;
  shouldRatelimit: boolean;
  /** Microseconds since the Unix epoch. */
  timestampUs: number;
  /** Mock time in seconds (0: none). */
  mocktime: number;
  threadName: string;
  sourceLoc: SourceLocation;
  message: string;
}

export interface LoggerOptions {
  /** Wall clock in microseconds since the epoch. */
  clock?: () => number;
  /** Mock time in seconds, 0 when not mocked. */
  mockTime?: () => number;
  /** Name of the calling thread (default: "main", or "worker-<id>" in a worker). */
  threadName?: () => string;
  /** Console sink (default: process.stdout). */
  stdout?: (text: string) => void;
  /** Early-buffer limit in bytes (default DEFAULT_MAX_LOG_BUFFER). */
  maxBufferMemusage?: number;
}

/**
 * A call site that logs often (e.g. once per block): its location is looked up from the stack on its first line
 * only. Core's locations cost nothing (std::source_location); a stack capture costs several µs per line. Use one
 * site object at one call only, or the lines share (and are rate limited as) the first call's location.
 */
export class LogSite {
  loc: SourceLocation | undefined;
}

/** Per-call options of the logging methods. */
export interface LogCallOptions {
  /** Where the line comes from (default: the caller's frame). */
  sourceLoc?: SourceLocation;
  /** The call site's cache of its location (used when sourceLoc is absent). */
  site?: LogSite;
  /** Unconditional lines are rate limited unless this is false. */
  ratelimit?: boolean;
}

export type LogCallback = (line: string) => void;

/** Wall clock with microseconds: Date.now() anchored once, advanced by the monotonic high-resolution timer. */
function defaultClock(): () => number {
  // performance.now() is monotonic like hrtime, and a float read costs less than a BigInt division per line.
  const anchor = Date.now() * 1000 - Math.floor(performance.now() * 1000);
  return () => anchor + Math.floor(performance.now() * 1000);
}

const JS_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Module URL → the file name log lines show; the set of modules is finite, and converting costs more than the line. */
const displayFiles = new Map<string, string>();

function displayFile(raw: string): string {
  let file = displayFiles.get(raw);
  if (file === undefined) {
    file = raw.startsWith('file://') ? fileURLToPath(raw) : raw;
    if (file.startsWith(JS_ROOT)) file = path.relative(JS_ROOT, file);
    displayFiles.set(raw, file);
  }
  return file;
}

/** The frame that called `fn`, as Core's SourceLocation (file relative to the build's js root). */
export function callerLocation(fn: Function): SourceLocation {
  const savedPrepare = Error.prepareStackTrace;
  const savedLimit = Error.stackTraceLimit;
  const holder: { stack?: NodeJS.CallSite[] } = {};
  try {
    Error.stackTraceLimit = 1;
    Error.prepareStackTrace = (_err, sites) => sites;
    Error.captureStackTrace(holder, fn);
    const site = holder.stack?.[0];
    if (!site) return { file: 'unknown', line: 0, func: 'unknown' };
    return { file: displayFile(site.getFileName() ?? 'unknown'), line: site.getLineNumber() ?? 0, func: site.getFunctionName() ?? '(anonymous)' };
  } finally {
    Error.prepareStackTrace = savedPrepare;
    Error.stackTraceLimit = savedLimit;
  }
}

/** The location of a line that neither prints nor charges it. */
const UNUSED_SOURCE_LOC: SourceLocation = Object.freeze({ file: 'unknown', line: 0, func: 'unknown' });

/** The location of the frame that called `fn`, from the site's cache when there is one. */
function siteLocation(site: LogSite | undefined, fn: Function): SourceLocation {
  if (site === undefined) return callerLocation(fn);
  return (site.loc ??= callerLocation(fn));
}

/** Core's memusage of a buffered entry on 64-bit glibc: heap strings beyond the SSO, plus the list node. */
function memUsage(entry: LogEntry): number {
  const malloc = (n: number) => ((n + 31) >> 4) << 4;
  const str = (s: string) => {
    const n = Buffer.byteLength(s);
    return n > 15 ? malloc(n + 1) : 0;
  };
  return str(entry.message) + str(entry.threadName) + malloc(136);
}

export class Logger {
  printToConsole = false;
  printToFile = false;
  logTimestamps = DEFAULT_LOGTIMESTAMPS;
  logTimeMicros = DEFAULT_LOGTIMEMICROS;
  logThreadNames = DEFAULT_LOGTHREADNAMES;
  logSourceLocations = DEFAULT_LOGSOURCELOCATIONS;
  alwaysPrintCategoryLevel = DEFAULT_LOGLEVELALWAYS;
  /** Core's fLogIPs: whether network code may put peer addresses in log lines. */
  logIps = DEFAULT_LOGIPS;
  filePath = '';
  /** Set (e.g. on SIGHUP) to reopen debug.log before the next line, for log rotation. */
  reopenFile = false;

  private fd: number | undefined;
  private buffering = true;
  private msgsBeforeOpen: LogEntry[] = [];
  private readonly maxBufferMemusage: number;
  private curBufferMemusage = 0;
  private bufferLinesDiscarded = 0;
  private limiter: LogRateLimiter | undefined;
  private categoryLogLevels = new Map<LogFlag, Level>();
  private level: Level = DEFAULT_LOG_LEVEL;
  private categories: number = LogFlags.NONE;
  private callbacks = new Set<{ fn: LogCallback }>();
  private readonly clock: () => number;
  private readonly mockTime: () => number;
  private readonly threadName: () => string;
  private readonly stdout: (text: string) => void;

  constructor(options: LoggerOptions = {}) {
    this.clock = options.clock ?? defaultClock();
    this.mockTime = options.mockTime ?? (() => 0);
    const ownThread = isMainThread ? 'main' : `worker-${threadId}`;
    this.threadName = options.threadName ?? (() => ownThread);
    this.stdout = options.stdout ?? ((text) => process.stdout.write(text));
    this.maxBufferMemusage = options.maxBufferMemusage ?? DEFAULT_MAX_LOG_BUFFER;
  }

  // --- Core's LogInfo / LogWarning / LogError / LogDebug / LogTrace ---

  info(message: string, opts: LogCallOptions = {}): void {
    this.emit(LogFlags.ALL, Level.Info, message, opts, Logger.prototype.info);
  }

  warning(message: string, opts: LogCallOptions = {}): void {
    this.emit(LogFlags.ALL, Level.Warning, message, opts, Logger.prototype.warning);
  }

  error(message: string, opts: LogCallOptions = {}): void {
    this.emit(LogFlags.ALL, Level.Error, message, opts, Logger.prototype.error);
  }

  /** A debug line in `category`, written only when that category is on at debug level. */
  debug(category: LogFlag, message: string, opts: LogCallOptions = {}): void {
    if (!this.willLogCategoryLevel(category, Level.Debug)) return;
    this.emit(category, Level.Debug, message, { ...opts, ratelimit: false }, Logger.prototype.debug);
  }

  trace(category: LogFlag, message: string, opts: LogCallOptions = {}): void {
    if (!this.willLogCategoryLevel(category, Level.Trace)) return;
    this.emit(category, Level.Trace, message, { ...opts, ratelimit: false }, Logger.prototype.trace);
  }

  shouldDebugLog(category: LogFlag): boolean {
    return this.willLogCategoryLevel(category, Level.Debug);
  }

  shouldTraceLog(category: LogFlag): boolean {
    return this.willLogCategoryLevel(category, Level.Trace);
  }

  private emit(category: LogFlag, level: Level, message: string, opts: LogCallOptions, caller: Function): void {
    if (!this.enabled()) return;
    const shouldRatelimit = opts.ratelimit ?? true;
    this.logPrint({
      category,
      level,
      shouldRatelimit,
      timestampUs: this.clock(),
      mocktime: this.mockTime(),
      threadName: this.threadName(),
      sourceLoc: opts.sourceLoc ?? (this.needsSourceLoc(shouldRatelimit) ? siteLocation(opts.site, caller) : UNUSED_SOURCE_LOC),
      message,
    });
  }

  /**
   * Whether a line's location is used: printed, or charged by the rate limiter. Lines buffered before
   * startLogging are formatted later, under options not yet known, so they always carry it.
   */
  private needsSourceLoc(shouldRatelimit: boolean): boolean {
    return this.buffering || this.logSourceLocations || (shouldRatelimit && this.limiter !== undefined);
  }

  /** Whether lines go anywhere (buffer, console, file or a callback). */
  enabled(): boolean {
    return this.buffering || this.printToConsole || this.printToFile || this.callbacks.size > 0;
  }

  // --- sinks ---

  /** Adds a sink that receives every formatted line; returns the handle for deleteCallback. */
  pushBackCallback(fn: LogCallback): object {
    const handle = { fn };
    this.callbacks.add(handle);
    return handle;
  }

  deleteCallback(handle: object): void {
    this.callbacks.delete(handle as { fn: LogCallback });
  }

  numConnections(): number {
    return this.callbacks.size;
  }

  /** Opens debug.log (append) and flushes the lines buffered so far; false when the file cannot be opened. */
  startLogging(): boolean {
    if (!this.buffering || this.fd !== undefined) throw new Error('startLogging: already started');
    if (this.printToFile) {
      if (this.filePath === '') throw new Error('startLogging: no debug log file path');
      try {
        this.fd = fs.openSync(this.filePath, 'a');
      } catch {
        return false;
      }
      // Blank lines set this run apart from the previous one.
      fs.writeSync(this.fd, '\n\n\n\n\n');
    }
    this.buffering = false;
    if (this.bufferLinesDiscarded > 0) {
      this.logPrint(this.internalEntry(Level.Info, `Early logging buffer overflowed, ${this.bufferLinesDiscarded} log lines discarded.`, false, 'StartLogging'));
    }
    const buffered = this.msgsBeforeOpen;
    this.msgsBeforeOpen = [];
    for (const entry of buffered) {
      const line = this.format(entry);
      if (this.printToFile) fs.writeSync(this.fd!, line);
      if (this.printToConsole) this.stdout(line);
      for (const cb of this.callbacks) cb.fn(line);
    }
    this.curBufferMemusage = 0;
    return true;
  }

  /** Turns all output off for a process that wants no logging (use instead of startLogging). */
  disableLogging(): void {
    if (!this.buffering || this.callbacks.size > 0) throw new Error('disableLogging: logging already in use');
    this.printToFile = false;
    this.printToConsole = false;
    this.startLogging();
  }

  /** Back to the buffering state, closing debug.log and dropping callbacks (tests). */
  disconnectTestLogger(): void {
    this.buffering = true;
    this.close();
    this.callbacks.clear();
    this.curBufferMemusage = 0;
    this.bufferLinesDiscarded = 0;
    this.msgsBeforeOpen = [];
  }

  /** Closes debug.log. */
  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }

  setRateLimiting(limiter: LogRateLimiter | undefined): void {
    this.limiter = limiter;
  }

  /** A limiter whose "Restarting logging" warnings come back to this logger, reset by `scheduler`. */
  createRateLimiter(scheduler: SchedulerFunction, maxBytes = RATELIMIT_MAX_BYTES, windowSeconds = RATELIMIT_WINDOW_SECONDS): LogRateLimiter {
    return LogRateLimiter.create(scheduler, maxBytes, windowSeconds, (message) =>
      this.warning(message, { ratelimit: false, sourceLoc: { file: 'util/logging_ratelimit.js', line: 0, func: 'Reset' } }),
    );
  }

  /** Sends one entry to the buffer or the sinks (Core's LogPrint). */
  logPrint(entry: LogEntry): void {
    if (this.buffering) {
      this.buffer(entry);
      return;
    }
    let line = this.format(entry);
    let dropFromFile = false;
    if (entry.shouldRatelimit && this.limiter) {
      const status = this.limiter.consume(entry.sourceLoc, Buffer.byteLength(line));
      if (status === RateLimitStatus.NEWLY_SUPPRESSED) {
        const loc = entry.sourceLoc;
        this.logPrint(
          this.internalEntry(
            Level.Warning,
            `Excessive logging detected from ${loc.file}:${loc.line} (${loc.func}): >${this.limiter.maxBytes} bytes logged during ` +
              `the last time window of ${this.limiter.resetWindowSeconds}s. Suppressing logging to disk from this ` +
              'source location until time window resets. Console logging unaffected. Last log entry.',
            false,
            'LogPrint_',
          ),
        );
      } else if (status === RateLimitStatus.STILL_SUPPRESSED) {
        dropFromFile = true;
      }
    }
    // Mark every line while some location is suppressed, so readers know lines may be missing.
    if (this.limiter?.suppressionsActive()) line = '[*] ' + line;
    if (this.printToConsole) this.stdout(line);
    for (const cb of this.callbacks) cb.fn(line);
    if (this.printToFile && !dropFromFile) this.writeFile(line);
  }

  private writeFile(line: string): void {
    if (this.fd === undefined) throw new Error('logPrint: debug log file is not open');
    if (this.reopenFile) {
      this.reopenFile = false;
      try {
        const fresh = fs.openSync(this.filePath, 'a');
        fs.closeSync(this.fd);
        this.fd = fresh;
      } catch {
        // Core keeps writing to the old file when the new one cannot be opened.
      }
    }
    fs.writeSync(this.fd, line);
  }

  private buffer(entry: LogEntry): void {
    this.curBufferMemusage += memUsage(entry);
    this.msgsBeforeOpen.push(entry);
    while (this.curBufferMemusage > this.maxBufferMemusage) {
      const dropped = this.msgsBeforeOpen.shift();
      if (!dropped) {
        this.curBufferMemusage = 0;
        break;
      }
      this.curBufferMemusage -= memUsage(dropped);
      this.bufferLinesDiscarded++;
    }
  }

  private internalEntry(level: Level, message: string, ratelimit: boolean, func: string): LogEntry {
    return {
      category: LogFlags.ALL,
      level,
      shouldRatelimit: ratelimit,
      timestampUs: this.clock(),
      mocktime: this.mockTime(),
      threadName: this.threadName(),
      sourceLoc: { file: 'util/logging.js', line: 0, func },
      message,
    };
  }

  /** One formatted line with the current options (always ends with a newline). */
  format(entry: LogEntry): string {
    const opts: FormatOptions = {
      timestamps: this.logTimestamps,
      timeMicros: this.logTimeMicros,
      threadNames: this.logThreadNames,
      sourceLocations: this.logSourceLocations,
      alwaysPrintCategoryLevel: this.alwaysPrintCategoryLevel,
    };
    return formatLogLine(entry, opts);
  }

  /**
   * Keeps only the last RECENT_DEBUG_HISTORY_SIZE bytes of debug.log when it has grown more than 10%
   * past that (run at start, before the file is opened for appending).
   */
  shrinkDebugFile(): void {
    if (this.filePath === '') throw new Error('shrinkDebugFile: no debug log file path');
    let fd: number;
    try {
      fd = fs.openSync(this.filePath, 'r');
    } catch {
      return;
    }
    let keep: Buffer | undefined;
    try {
      const size = fs.fstatSync(fd).size;
      if (size > 11 * (RECENT_DEBUG_HISTORY_SIZE / 10)) {
        keep = Buffer.alloc(RECENT_DEBUG_HISTORY_SIZE);
        const n = fs.readSync(fd, keep, 0, keep.length, size - keep.length);
        keep = keep.subarray(0, n);
      }
    } finally {
      fs.closeSync(fd);
    }
    if (keep) fs.writeFileSync(this.filePath, keep);
  }

  /** Shrinking is the default only when no -debug category is on. */
  defaultShrinkDebugFile(): boolean {
    return this.categories === LogFlags.NONE;
  }

  // --- categories and levels ---

  getCategoryMask(): number {
    return this.categories;
  }

  /** Turns a category (flag or -debug name) on; false for an unknown name. */
  enableCategory(category: LogFlag | string): boolean {
    const flag = typeof category === 'number' ? category : getLogCategory(category, (m) => this.warning(m));
    if (flag === undefined) return false;
    this.categories |= flag;
    return true;
  }

  disableCategory(category: LogFlag | string): boolean {
    const flag = typeof category === 'number' ? category : getLogCategory(category, (m) => this.warning(m));
    if (flag === undefined) return false;
    this.categories &= ~flag;
    return true;
  }

  willLogCategory(category: LogFlag): boolean {
    return (this.categories & category) !== 0;
  }

  /** Info and above always; debug/trace when the category is on and its level (or the global one) allows. */
  willLogCategoryLevel(category: LogFlag, level: Level): boolean {
    if (level >= Level.Info) return true;
    if (!this.willLogCategory(category)) return false;
    return level >= (this.categoryLogLevels.get(category) ?? this.level);
  }

  logLevel(): Level {
    return this.level;
  }

  /** Sets the global threshold from a -loglevel name; false when unknown or above info. */
  setLogLevel(level: Level | string): boolean {
    const parsed = typeof level === 'string' ? getLogLevel(level) : level;
    if (parsed === undefined || parsed > MAX_USER_SETABLE_SEVERITY_LEVEL) return false;
    this.level = parsed;
    return true;
  }

  /** Sets one category's threshold from names; false when either name is unknown or the level is above info. */
  setCategoryLogLevel(categoryStr: string, levelStr: string): boolean {
    const flag = getLogCategory(categoryStr, (m) => this.warning(m));
    if (flag === undefined) return false;
    const level = getLogLevel(levelStr);
    if (level === undefined || level > MAX_USER_SETABLE_SEVERITY_LEVEL) return false;
    if (flag === LogFlags.NONE) return true;
    this.categoryLogLevels.set(flag, level);
    return true;
  }

  categoryLevels(): Map<LogFlag, Level> {
    return new Map(this.categoryLogLevels);
  }

  /** The categories in alphabetical order with whether each is on. */
  logCategoriesList(): Array<{ category: string; active: boolean }> {
    return logCategoryNames().map((name) => ({ category: name, active: this.willLogCategory(getLogCategory(name)!) }));
  }

  logCategoriesString(): string {
    return logCategoryNames().join(', ');
  }

  logLevelsString(): string {
    return logLevelsString();
  }

  static logLevelToStr(level: Level): string {
    return logLevelToStr(level);
  }

  static logCategoryToStr(flag: LogFlag): string {
    return logCategoryToStr(flag);
  }
}
