// Per-source-location log rate limiting (Core's BCLog::LogRateLimiter): each location may write
// RATELIMIT_MAX_BYTES to the debug log per window; the scheduler resets the counts every window.

/** Bytes one source location may log per window (1 MiB). */
export const RATELIMIT_MAX_BYTES = 1024 * 1024;
/** The window, in seconds (one hour). */
export const RATELIMIT_WINDOW_SECONDS = 60 * 60;
export const DEFAULT_LOGRATELIMIT = true;

/** Where a log line was written from (Core's SourceLocation: file, line, short function name). */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly func: string;
}

export const RateLimitStatus = {
  /** The line fits within the limit. */
  UNSUPPRESSED: 0,
  /** This line started the suppression. */
  NEWLY_SUPPRESSED: 1,
  /** The location was already suppressed. */
  STILL_SUPPRESSED: 2,
} as const;
export type RateLimitStatus = (typeof RateLimitStatus)[keyof typeof RateLimitStatus];

class Stats {
  droppedBytes = 0;
  constructor(public availableBytes: number) {}
  consume(bytes: number): boolean {
    if (bytes > this.availableBytes) {
      this.droppedBytes += bytes;
      this.availableBytes = 0;
      return false;
    }
    this.availableBytes -= bytes;
    return true;
  }
}

/** Runs `fn` every `intervalMs` (the node's scheduler). */
export type SchedulerFunction = (fn: () => void, intervalMs: number) => void;

/** "file:line" of each location object seen: a site's lines share one location object, so the key is made once. */
const locationKeys = new WeakMap<SourceLocation, string>();

function locationKey(loc: SourceLocation): string {
  let key = locationKeys.get(loc);
  if (key === undefined) {
    key = `${loc.file}:${loc.line}`;
    locationKeys.set(loc, key);
  }
  return key;
}

export class LogRateLimiter {
  private readonly locations = new Map<string, { loc: SourceLocation; stats: Stats }>();
  private suppressionActive = false;

  private constructor(
    readonly maxBytes: number,
    readonly resetWindowSeconds: number,
    private readonly onRestart: (message: string) => void,
  ) {}

  /**
   * Makes a limiter and schedules its reset every window. `onRestart` receives Core's "Restarting
   * logging from ..." warning for each location that dropped bytes.
   */
  static create(scheduler: SchedulerFunction, maxBytes: number, resetWindowSeconds: number, onRestart: (message: string) => void): LogRateLimiter {
    const limiter = new LogRateLimiter(maxBytes, resetWindowSeconds, onRestart);
    scheduler(() => limiter.reset(), resetWindowSeconds * 1000);
    return limiter;
  }

  /** Charges `bytes` (the formatted line's UTF-8 length) to `loc` and says whether it may be written. */
  consume(loc: SourceLocation, bytes: number): RateLimitStatus {
    const key = locationKey(loc);
    let entry = this.locations.get(key);
    if (!entry) this.locations.set(key, (entry = { loc, stats: new Stats(this.maxBytes) }));
    let status: RateLimitStatus = entry.stats.droppedBytes > 0 ? RateLimitStatus.STILL_SUPPRESSED : RateLimitStatus.UNSUPPRESSED;
    if (!entry.stats.consume(bytes) && status === RateLimitStatus.UNSUPPRESSED) {
      status = RateLimitStatus.NEWLY_SUPPRESSED;
      this.suppressionActive = true;
    }
    return status;
  }

  /** Starts a new window and reports the locations that dropped bytes in the last one. */
  reset(): void {
    const previous = [...this.locations.values()];
    this.locations.clear();
    this.suppressionActive = false;
    for (const { loc, stats } of previous) {
      if (stats.droppedBytes === 0) continue;
      this.onRestart(
        `Restarting logging from ${loc.file}:${loc.line} (${loc.func}): ${stats.droppedBytes} bytes were dropped during the last ${this.resetWindowSeconds}s.`,
      );
    }
  }

  suppressionsActive(): boolean {
    return this.suppressionActive;
  }
}
