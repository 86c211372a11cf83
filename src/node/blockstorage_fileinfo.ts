// Per-file statistics kept in memory while blocks are written (Core's CBlockFileInfo with AddBlock and ToString).
import type { BlockFileInfo } from './block_file_info.js';

export class FileInfo implements BlockFileInfo {
  nBlocks = 0;
  nSize = 0;
  nUndoSize = 0;
  nHeightFirst = 0;
  nHeightLast = 0;
  nTimeFirst = 0n;
  nTimeLast = 0n;

  static from(info: BlockFileInfo): FileInfo {
    return Object.assign(new FileInfo(), info);
  }

  /** Counts a block of `height` and `time` in this file (CBlockFileInfo::AddBlock). */
  addBlock(height: number, time: number): void {
    const t = BigInt(time);
    if (this.nBlocks === 0 || this.nHeightFirst > height) this.nHeightFirst = height;
    if (this.nBlocks === 0 || this.nTimeFirst > t) this.nTimeFirst = t;
    this.nBlocks++;
    if (height > this.nHeightLast) this.nHeightLast = height;
    if (t > this.nTimeLast) this.nTimeLast = t;
  }

  toString(): string {
    const day = (t: bigint): string => new Date(Number(t) * 1000).toISOString().slice(0, 10);
    return `CBlockFileInfo(blocks=${this.nBlocks}, size=${this.nSize}, heights=${this.nHeightFirst}...${this.nHeightLast}, time=${day(this.nTimeFirst)}...${day(this.nTimeLast)})`;
  }
}
