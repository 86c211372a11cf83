// FlatFilePos (flatfile.h): a file number and byte offset into blk?????.dat or rev?????.dat.

export interface FlatFilePos {
  readonly file: number;
  readonly pos: number;
}

/** FlatFilePos::ToString, the form Core's log lines and errors use. */
export function flatFilePosToString(p: FlatFilePos): string {
  return `FlatFilePos(nFile=${p.file}, nPos=${p.pos})`;
}

/** The file name for file number `n` with prefix "blk" or "rev" (FlatFileSeq::FileName: at least five digits). */
export function flatFileName(prefix: 'blk' | 'rev', n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 0x7fffffff) throw new RangeError(`block file number out of range: ${n}`);
  return `${prefix}${String(n).padStart(5, '0')}.dat`;
}
