// The minimal view of a block index entry that the consensus checks need (height, time, bits, ancestry).

import { MEDIAN_TIME_SPAN } from './consensus.js';

/**
 * What consensus code reads from a block index entry (Core's CBlockIndex). The node's block index
 * implements it; tests build small chains of plain objects. `getAncestor` and `getMedianTimePast`
 * are used when present (they may be faster, e.g. with skip lists); otherwise `prev` is walked.
 */
export interface ChainEntry {
  readonly height: number;
  /** Block timestamp (nTime), seconds. */
  readonly time: number;
  /** Compact difficulty target (nBits). */
  readonly bits: number;
  readonly prev: ChainEntry | undefined;
  getAncestor?(height: number): ChainEntry | undefined;
  getMedianTimePast?(): number;
}

/** The ancestor of `entry` at `height` (itself when equal), or undefined when out of range. */
export function getAncestor(entry: ChainEntry, height: number): ChainEntry | undefined {
  if (height > entry.height || height < 0) return undefined;
  if (entry.getAncestor) return entry.getAncestor(height);
  let walk: ChainEntry | undefined = entry;
  while (walk && walk.height > height) walk = walk.prev;
  return walk;
}

/** Median of the timestamps of this block and up to 10 before it (Core's GetMedianTimePast). */
export function getMedianTimePast(entry: ChainEntry): number {
  if (entry.getMedianTimePast) return entry.getMedianTimePast();
  const times: number[] = [];
  let walk: ChainEntry | undefined = entry;
  for (let i = 0; i < MEDIAN_TIME_SPAN && walk; i++, walk = walk.prev) times.push(walk.time);
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}
