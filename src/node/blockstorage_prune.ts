// Pruning of blk/rev file pairs (Core's FindFilesToPrune, FindFilesToPruneManual, PruneOneBlockFile,
// UnlinkPrunedFiles) and the -prune option (ApplyArgsManOptions).
import type { BlockIndex } from './chain.js';
import { BlockStatus } from './disk_block_index.js';
import { BLOCKFILE_CHUNK_SIZE, UNDOFILE_CHUNK_SIZE } from './blockstorage_files.js';
import { FileInfo } from './blockstorage_fileinfo.js';
import { type BlockManager, PRUNE_TARGET_MANUAL } from './blockstorage.js';

const MiB = 1024 * 1024;
/** UINT64_MAX / 1 MiB: how Core's log shows -prune=1's target. */
const UINT64_MAX_MIB = 17592186044415;
/** Core's MIN_BLOCKS_TO_KEEP: blocks below the tip that are never pruned. */
export const MIN_BLOCKS_TO_KEEP = 288;
/** Core's MIN_DISK_SPACE_FOR_BLOCK_FILES (550 MiB): the smallest automatic prune target. */
export const MIN_DISK_SPACE_FOR_BLOCK_FILES = 550 * MiB;

/** An invalid -prune value, with Core's text. */
export class PruneConfigError extends Error {
  override name = 'PruneConfigError';
}

/** The prune target in bytes for -prune=<MiB>: 0 off, 1 manual only, else at least 550 MiB. */
export function pruneTargetFromArg(mib: number): number {
  if (mib < 0) throw new PruneConfigError('Prune cannot be configured with a negative value.');
  if (mib === 1) return PRUNE_TARGET_MANUAL;
  const target = mib * MiB;
  if (target !== 0 && target < MIN_DISK_SPACE_FOR_BLOCK_FILES) {
    throw new PruneConfigError(`Prune configured below the minimum of ${MIN_DISK_SPACE_FOR_BLOCK_FILES / MiB} MiB.  Please use a higher number.`);
  }
  return target;
}

/** The heights whose files may go: from 0 up to `lastCanPrune`, never within MIN_BLOCKS_TO_KEEP of the tip. */
export function pruneRange(tipHeight: number, lastCanPrune: number): [number, number] {
  if (tipHeight < 0) return [0, 0];
  return [0, Math.min(lastCanPrune, Math.max(0, tipHeight - MIN_BLOCKS_TO_KEEP))];
}

/** Forgets a file pair's blocks and statistics (Core's PruneOneBlockFile); the files go later, after a flush. */
export function pruneOneBlockFile(bm: BlockManager, file: number): void {
  for (const e of bm.blockIndex.values()) {
    if (e.file !== file || !(e.status & BlockStatus.BLOCK_HAVE_MASK)) continue;
    e.status &= ~(BlockStatus.BLOCK_HAVE_DATA | BlockStatus.BLOCK_HAVE_UNDO);
    e.file = 0;
    e.dataPos = 0;
    e.undoPos = 0;
    bm.dirtyBlockIndex.add(e);
    const siblings = e.prev ? bm.blocksUnlinked.get(e.prev) : undefined;
    if (siblings) bm.blocksUnlinked.set(e.prev!, siblings.filter((s) => s !== e));
  }
  bm.fileInfo[file] = new FileInfo();
  bm.dirtyFileInfo.add(file);
}

function prunable(info: FileInfo, [minHeight, maxHeight]: [number, number]): boolean {
  return info.nSize !== 0 && info.nHeightLast <= maxHeight && info.nHeightFirst >= minHeight;
}

/** Every file wholly below `range`'s end (pruneblockchain, Core's FindFilesToPruneManual). */
export function findFilesToPruneManual(bm: BlockManager, range: [number, number], log: (m: string) => void): number[] {
  const files: number[] = [];
  for (let n = 0; n < bm.maxBlockfileNum(); n++) {
    if (!prunable(bm.fileInfo[n]!, range)) continue;
    pruneOneBlockFile(bm, n);
    files.push(n);
  }
  log(`[normal] Prune (Manual): prune_height=${range[1]} removed ${files.length} blk/rev pairs`);
  return files;
}

export interface AutoPruneContext {
  tipHeight: number;
  bestHeaderHeight: number;
  pruneAfterHeight: number;
  initialDownload: boolean;
  range: [number, number];
}

/**
 * The oldest files until usage falls under the -prune target with room for one more chunk of each kind (Core's
 * FindFilesToPrune). In IBD the room grows by 1 MB per block still to sync, so pruning does not run at every file.
 */
export function findFilesToPrune(bm: BlockManager, ctx: AutoPruneContext, logDebug: (m: string) => void): number[] {
  const target = Math.max(MIN_DISK_SPACE_FOR_BLOCK_FILES, bm.pruneTarget);
  const files: number[] = [];
  if (ctx.tipHeight < 0 || ctx.tipHeight <= ctx.pruneAfterHeight) return files;
  let usage = bm.calculateCurrentUsage();
  let buffer = BLOCKFILE_CHUNK_SIZE + UNDOFILE_CHUNK_SIZE;
  if (usage + buffer >= target) {
    if (ctx.initialDownload && ctx.bestHeaderHeight > ctx.tipHeight) buffer += 1_000_000 * (ctx.bestHeaderHeight - ctx.tipHeight);
    for (let n = 0; n < bm.maxBlockfileNum(); n++) {
      const info = bm.fileInfo[n]!;
      if (info.nSize === 0) continue;
      if (usage + buffer < target) break;
      if (!prunable(info, ctx.range)) continue;
      const bytes = info.nSize + info.nUndoSize;
      pruneOneBlockFile(bm, n);
      files.push(n);
      usage -= bytes;
    }
  }
  // Core's target is a uint64 (UINT64_MAX for -prune=1), and its difference is taken as int64: -1 minus the usage.
  const targetMiB = target === PRUNE_TARGET_MANUAL ? UINT64_MAX_MIB : Math.floor(target / MiB);
  const diffMiB = Math.trunc(((target === PRUNE_TARGET_MANUAL ? -1 : target) - usage) / MiB);
  logDebug(`[normal] target=${targetMiB}MiB actual=${Math.floor(usage / MiB)}MiB diff=${diffMiB}MiB min_height=${ctx.range[0]} max_prune_height=${ctx.range[1]} removed ${files.length} blk/rev pairs`);
  return files;
}

/** Deletes pruned file pairs (Core's UnlinkPrunedFiles). */
export function unlinkPrunedFiles(bm: BlockManager, files: readonly number[], logDebug: (m: string) => void): void {
  for (const n of files) {
    const blk = bm.blocks.remove(n);
    const rev = bm.undo.remove(n);
    if (blk || rev) logDebug(`Prune: UnlinkPrunedFiles deleted blk/rev (${String(n).padStart(5, '0')})`);
  }
}

/** On start: deletes files an earlier prune emptied but did not get to remove (ScanAndUnlinkAlreadyPrunedFiles). */
export function scanAndUnlinkAlreadyPrunedFiles(bm: BlockManager, logDebug: (m: string) => void): void {
  if (!bm.havePruned) return;
  const files: number[] = [];
  for (let n = 0; n < bm.maxBlockfileNum(); n++) if (bm.fileInfo[n]!.nSize === 0) files.push(n);
  unlinkPrunedFiles(bm, files, logDebug);
}

/** The lowest height from which every block of the chain ending at `tip` still has its data (GetFirstBlock). */
export function firstStoredHeight(tip: BlockIndex | undefined): number {
  if (!tip) return 0;
  if (!tip.haveData()) return tip.height + 1;
  let walk = tip;
  while (walk.prev && walk.prev.haveData()) walk = walk.prev;
  return walk.height;
}
