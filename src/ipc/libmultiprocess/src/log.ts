// Injected logging in libmultiprocess's format: levels, the `{<exe>-<pid>/<thread>}` tag, the process-wide request
// counter, and the escaping/truncation of trace `… data:` lines. Nothing is formatted when a level is off.
import path from 'node:path';

export const LogLevel = { trace: 0, debug: 1, info: 2, warning: 3, error: 4, off: 5 } as const;
export type LogLevelName = Exclude<keyof typeof LogLevel, 'off'>;
export type LogLevelValue = (typeof LogLevel)[keyof typeof LogLevel];

/** What the embedder injects: where lines go and the lowest level wanted. */
export interface LogOptions {
  logFn: (level: LogLevelName, message: string) => void;
  logLevel: LogLevelName | 'off';
  /** Executable name used in thread tags (default: basename of process.argv[1]). */
  exeName?: string;
  /** Trace `data:` lines are cut after this many characters, then `...` (default 200, as max_chars). */
  maxChars?: number;
}

/** The process-wide request counter (`#n` in log lines), shared by every connection in the process. */
export class RequestCounter {
  private n = 0;
  next(): number { return ++this.n; }
}

/** A logger bound to one process (exe name, pid) with cheap level checks. */
export class Logger {
  readonly level: LogLevelValue;
  readonly exeName: string;
  readonly maxChars: number;
  readonly counter: RequestCounter;
  private readonly fn: LogOptions['logFn'] | null;

  constructor(options?: LogOptions | null, counter: RequestCounter = new RequestCounter()) {
    this.fn = options?.logFn ?? null;
    this.level = options ? LogLevel[options.logLevel] : LogLevel.off;
    this.exeName = options?.exeName ?? defaultExeName();
    this.maxChars = options?.maxChars ?? 200;
    this.counter = counter;
  }

  enabled(level: LogLevelName): boolean { return this.fn !== null && LogLevel[level] >= this.level; }
  get trace(): boolean { return this.fn !== null && this.level <= LogLevel.trace; }
  get debug(): boolean { return this.fn !== null && this.level <= LogLevel.debug; }
  get info(): boolean { return this.fn !== null && this.level <= LogLevel.info; }

  /** Emits a line if `level` is on. Callers on hot paths check `enabled()` before building `message`. */
  log(level: LogLevelName, message: string): void {
    if (this.fn !== null && LogLevel[level] >= this.level) this.fn(level, message);
  }

  /** `{<exe>-<pid>/<thread>}` */
  tag(thread: string): string { return `{${this.exeName}-${process.pid}/${thread}}`; }

  /** Escapes a rendered message for a trace line and cuts it at maxChars. */
  escape(text: string): string { return logEscape(text, this.maxChars); }
}

function defaultExeName(): string {
  const a = process.argv[1];
  return a ? path.basename(a).replace(/\.(m?js|ts)$/, '') : 'node';
}

const HEX = '0123456789abcdef';

/**
 * `\` → `\\`, bytes outside 0x20-0x7e → `\xx` (hex). As libmultiprocess's LogEscape: once the output is longer
 * than `maxChars` (after a whole escape sequence), `...` is appended and the rest dropped, so a cut line carries
 * maxChars+1 to maxChars+3 characters before the `...`.
 */
export function logEscape(text: string, maxChars: number): string {
  let out = '';
  // Every UTF-16 unit gives at least one output character, so units past maxChars+2 (room for a surrogate pair
  // straddling the cut) can never show; do not encode them.
  const bytes = Buffer.from(text.length > maxChars + 2 ? text.slice(0, maxChars + 2) : text, 'utf8');
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c === 0x5c) out += '\\\\';
    else if (c < 0x20 || c > 0x7e) out += '\\' + HEX[c >>> 4]! + HEX[c & 15]!;
    else out += String.fromCharCode(c);
    if (out.length > maxChars) return out + '...';
  }
  return out;
}
