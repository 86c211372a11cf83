// Core's log line format: `<timestamp> [<thread>] [<file>:<line>] [<func>] [<category>:<level>] <message>\n`,
// each part optional, with control characters in the message escaped.
import { Level, LogFlags, logCategoryToStr, logLevelToStr, type LogFlag } from './logging_categories.js';
import type { SourceLocation } from './logging_ratelimit.js';

export interface FormatOptions {
  timestamps: boolean;
  timeMicros: boolean;
  threadNames: boolean;
  sourceLocations: boolean;
  alwaysPrintCategoryLevel: boolean;
}

export interface FormattableEntry {
  category: LogFlag;
  level: Level;
  timestampUs: number;
  mocktime: number;
  threadName: string;
  sourceLoc: SourceLocation;
  message: string;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `2026-12-06T03:30:00Z` (Core's FormatISO8601DateTime). */
export function formatISO8601DateTime(seconds: number): string {
  const d = new Date(seconds * 1000);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}Z`
  );
}

/** The last second formatted: lines come many to a second, and a Date costs more than the rest of the line. */
let cachedSecond = NaN;
let cachedSecondStr = '';

function formatSecond(seconds: number): string {
  if (seconds !== cachedSecond) {
    cachedSecondStr = formatISO8601DateTime(seconds);
    cachedSecond = seconds;
  }
  return cachedSecondStr;
}

/** The timestamp prefix with its trailing space, or '' when timestamps are off. */
export function logTimestampStr(timestampUs: number, mocktime: number, opts: FormatOptions): string {
  if (!opts.timestamps) return '';
  const seconds = Math.floor(timestampUs / 1_000_000);
  let s = formatSecond(seconds);
  if (opts.timeMicros) s = s.slice(0, -1) + `.${pad(timestampUs - seconds * 1_000_000, 6)}Z`;
  if (mocktime > 0) s += ` (mocktime: ${formatISO8601DateTime(mocktime)})`;
  return s + ' ';
}

const ESCAPED_CHAR = /[\x00-\x09\x0b-\x1f\x7f]/;
const ESCAPED_CHARS = /[\x00-\x09\x0b-\x1f\x7f]/g;

/** Escapes control characters other than newline, and DEL, as `\xNN` (Core's LogEscapeMessage). */
export function logEscapeMessage(message: string): string {
  // Lines rarely hold one: a test is cheaper than a replace with a callback.
  if (!ESCAPED_CHAR.test(message)) return message;
  return message.replace(ESCAPED_CHARS, (c) => '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0'));
}

/**
 * `[category]` for debug lines, `[category:level]` otherwise, `[level]` for uncategorized warnings and
 * errors, nothing for uncategorized info (unless alwaysPrintCategoryLevel).
 */
export function logPrefix(category: LogFlag, level: Level, alwaysPrintCategoryLevel: boolean): string {
  if (category === LogFlags.NONE) category = LogFlags.ALL;
  const hasCategory = alwaysPrintCategoryLevel || category !== LogFlags.ALL;
  if (!hasCategory && level === Level.Info) return '';
  let s = '[';
  if (hasCategory) s += logCategoryToStr(category);
  if (alwaysPrintCategoryLevel || !hasCategory || level !== Level.Debug) {
    if (hasCategory) s += ':';
    s += logLevelToStr(level);
  }
  return s + '] ';
}

/** Core's RemovePrefixView(file, "./"). */
function sourceFile(file: string): string {
  return file.startsWith('./') ? file.slice(2) : file;
}

export function formatLogLine(entry: FormattableEntry, opts: FormatOptions): string {
  let result = logTimestampStr(entry.timestampUs, entry.mocktime, opts);
  if (opts.threadNames) result += `[${entry.threadName === '' ? 'unknown' : entry.threadName}] `;
  if (opts.sourceLocations) {
    const loc = entry.sourceLoc;
    result += `[${sourceFile(loc.file)}:${loc.line}] [${loc.func}] `;
  }
  result += logPrefix(entry.category, entry.level, opts.alwaysPrintCategoryLevel);
  result += logEscapeMessage(entry.message);
  if (!result.endsWith('\n')) result += '\n';
  return result;
}
