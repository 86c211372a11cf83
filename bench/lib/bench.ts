// Small benchmark toolkit: timed loops, medians, and ratio lines against a baseline measured in
// the same run (absolute figures on shared machines are noise; ratios are what we compare).

export interface BenchOptions {
  /** Short runs for smoke tests (ctest), full runs for figures. */
  quick: boolean;
  /** Rounds for the suites that repeat whole runs (-rounds=<n>); undefined: the suite's default. */
  rounds?: number;
}

export interface Measurement {
  name: string;
  /** Operations per second (median over repetitions). */
  opsPerSec: number;
}

/** Runs fn in a loop for about `ms` milliseconds per repetition and returns the median rate. */
export async function measure(
  name: string,
  fn: () => unknown | Promise<unknown>,
  opts: { ms?: number; reps?: number; opsPerCall?: number; quick?: boolean } = {},
): Promise<Measurement> {
  const ms = opts.quick ? 50 : (opts.ms ?? 500);
  const reps = opts.quick ? 1 : (opts.reps ?? 5);
  const perCall = opts.opsPerCall ?? 1;
  const rates: number[] = [];
  await fn(); // warm-up: JIT and lazy initialisation
  for (let r = 0; r < reps; r++) {
    let calls = 0;
    const start = process.hrtime.bigint();
    const deadline = start + BigInt(ms) * 1_000_000n;
    let now = start;
    while (now < deadline) {
      const res = fn();
      if (res instanceof Promise) await res;
      calls++;
      now = process.hrtime.bigint();
    }
    const secs = Number(now - start) / 1e9;
    rates.push((calls * perCall) / secs);
  }
  return { name, opsPerSec: median(rates) };
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function fmtRate(x: number): string {
  return x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(2);
}

/** Prints one result line, with its ratio to the baseline when one is given. */
export function report(m: Measurement, baseline?: Measurement, unit = 'ops/s'): void {
  let line = `${m.name.padEnd(56)} ${fmtRate(m.opsPerSec).padStart(14)} ${unit}`;
  if (baseline) line += `   ${(m.opsPerSec / baseline.opsPerSec).toFixed(2)}x vs ${baseline.name}`;
  console.log(line);
}

/** Prints a latency line (µs) with its ratio to a baseline latency. */
export function reportLatency(name: string, micros: number, baselineName?: string, baselineMicros?: number): void {
  let line = `${name.padEnd(56)} ${micros.toFixed(1).padStart(14)} µs`;
  if (baselineName && baselineMicros) line += `   ${(micros / baselineMicros).toFixed(2)}x ${baselineName}`;
  console.log(line);
}

/**
 * Thrown by a suite that cannot run in this build (a part it measures was not built). bench_smithcoin prints
 * the reason and counts the suite as skipped, which ctest's skip summary reports.
 */
export class BenchSkipped extends Error {
  override readonly name = 'BenchSkipped';
}

/** A benchmark module: bench/<area>.bench.ts exports `benchmarks`. */
export interface BenchmarkSuite {
  name: string;
  run(opts: BenchOptions): Promise<void>;
}
