// Feeding blocks from files into the chainstate (Core's ImportBlocks and LoadExternalBlockFile): -reindex re-reads our
// own blk files in place; -loadblock imports other files (bootstrap.dat, another node's unobfuscated blk files).
// Records are found by the network magic, so garbage between them is skipped.
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { MAX_BLOCK_SERIALIZED_SIZE } from '../consensus/consensus.js';
import { Block } from '../primitives/block.js';
import { hashToHex } from '../util/hex.js';
import { LogFlags } from '../util/logging.js';
import { STORAGE_HEADER_BYTES } from './blockstorage_format.js';
import type { FlatFilePos } from './flatfile.js';
import type { ChainstateManager } from './validation.js';
import { acceptBlock } from './validation_accept.js';
import { activateBestChain } from './validation_chain.js';

const yieldLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** One block found in a file: its payload offset and bytes. */
export interface FoundBlock {
  offset: number;
  bytes: Uint8Array;
}

/**
 * The records in `buf` from `at` (`base` is buf[0]'s file offset): magic, then a size between a header's 80 bytes and
 * the largest block, then that many bytes. After a bad size the search resumes one byte past the magic. Returns where
 * the records stopped: the start of one cut off by the end of `buf`, or of the bytes that may still begin one.
 */
function* scanRecords(buf: Buffer, magic: Uint8Array, base: number): Generator<FoundBlock, number> {
  let at = 0;
  while (at + STORAGE_HEADER_BYTES <= buf.length) {
    const found = buf.indexOf(magic, at);
    if (found < 0) return Math.max(at, buf.length - (STORAGE_HEADER_BYTES - 1));
    if (found + STORAGE_HEADER_BYTES > buf.length) return found;
    const size = buf.readUInt32LE(found + 4);
    const start = found + STORAGE_HEADER_BYTES;
    if (size < 80 || size > MAX_BLOCK_SERIALIZED_SIZE) {
      at = found + 1;
      continue;
    }
    if (start + size > buf.length) return found;
    yield { offset: base + start, bytes: buf.subarray(start, start + size) };
    at = start + size;
  }
  return at;
}

/** The records of a flat file held in memory (a blk file being reindexed); a record cut off by the end ends them. */
export function* scanBlockRecords(data: Uint8Array, magic: Uint8Array): Generator<FoundBlock> {
  yield* scanRecords(Buffer.from(data.buffer, data.byteOffset, data.byteLength), magic, 0);
}

/**
 * Core's read buffer for -loadblock: twice the largest block, so that any record fits beside what is left of the
 * previous read.
 */
export const LOADBLOCK_WINDOW_BYTES = 2 * MAX_BLOCK_SERIALIZED_SIZE;

/**
 * The records of a file read `windowBytes` at a time (a -loadblock file may be far larger than memory, as Core's
 * BufferedFile reads it): `read(pos, length)` returns fewer bytes only at the end of the file. Offsets are the
 * file's. The window must exceed the largest record with its header.
 */
export function* scanFileRecords(read: (pos: number, length: number) => Uint8Array, magic: Uint8Array,
  windowBytes = LOADBLOCK_WINDOW_BYTES): Generator<FoundBlock> {
  let base = 0;
  let chunk = read(0, windowBytes);
  let buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  for (;;) {
    const stopped = yield* scanRecords(buf, magic, base);
    if (chunk.length < windowBytes) return;
    const kept = buf.subarray(stopped);
    base += stopped;
    chunk = read(base + kept.length, windowBytes);
    buf = Buffer.concat([kept, chunk]);
  }
}

/** Reads `length` bytes of `fd` at `pos`, fewer only at the end of the file. */
function readAt(fd: number, pos: number, length: number): Uint8Array {
  const out = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const n = fs.readSync(fd, out, got, length - got, pos + got);
    if (n === 0) break;
    got += n;
  }
  return out.subarray(0, got);
}

/** Blocks whose parent was not known yet, by the parent's hash, with where they are (reindex). */
type UnknownParents = Map<string, [Block, FlatFilePos][]>;

/** Accepts the blocks that waited for `hash`, then theirs, depth first (Core's recursion over successors). */
async function acceptWaitingChildren(hash: string, unknownParent: UnknownParents, accept: (block: Block, pos: FlatFilePos) => Promise<void>,
  cm: ChainstateManager): Promise<void> {
  const queue = [hash];
  while (queue.length > 0) {
    const head = queue.shift()!;
    for (const [child, childPos] of unknownParent.get(head) ?? []) {
      cm.debug(LogFlags.REINDEX, `LoadExternalBlockFile: Processing out of order child ${child.header.hashHex()} of ${head}`);
      await accept(child, childPos);
      queue.push(child.header.hashHex());
    }
    unknownParent.delete(head);
  }
}

/**
 * Core's LoadExternalBlockFile over a file's records. Reindexing (`file` and `unknownParent` given), the blocks stay
 * where they are, and blocks whose parent is not known yet wait in `unknownParent` until it arrives. Otherwise
 * (-loadblock) they are written to our blk files, and, as in Core, a block whose parent is not known is skipped: the
 * file is expected in chain order, and nothing it holds accumulates in memory. Returns how many blocks were loaded.
 */
export async function loadExternalBlocks(cm: ChainstateManager, records: Iterable<FoundBlock>, file?: number, unknownParent?: UnknownParents): Promise<number> {
  const started = performance.now();
  const genesisHex = hashToHex(cm.params.consensus.hashGenesisBlock);
  let loaded = 0;
  const accept = (block: Block, pos: FlatFilePos | undefined): Promise<void> => cm.exclusive(async () => {
    const r = acceptBlock(cm, block, true, true, pos);
    if (r.accepted) loaded++;
    if (!r.accepted) cm.debug(LogFlags.REINDEX, `AcceptBlock failed: ${r.state.toString()}`);
    // The genesis block is connected at once, so the node has a tip while the rest is read. A pruned node importing
    // -loadblock files connects every block as it comes (Core does too), or nothing could be pruned until the end.
    if (block.header.hashHex() === genesisHex || (cm.blockman.pruneMode && cm.blockman.blockfilesIndexed)) await activateBestChain(cm);
  });
  for (const { offset, bytes } of records) {
    // Interrupted, Core returns without its summary line; the caller says why it stopped.
    if (cm.interrupted) return loaded;
    let block: Block;
    try {
      block = Block.fromBytes(bytes);
    } catch (e) {
      cm.debug(LogFlags.REINDEX, `LoadExternalBlockFile: unexpected data at file offset 0x${(offset - 1).toString(16)} - ${(e as Error).message}. continuing`);
      continue;
    }
    const pos = file === undefined || unknownParent === undefined ? undefined : { file, pos: offset };
    const hash = block.header.hashHex();
    const prevHex = hashToHex(block.header.hashPrevBlock);
    if (hash !== genesisHex && !cm.blockman.lookup(prevHex)) {
      cm.debug(LogFlags.REINDEX, `LoadExternalBlockFile: Out of order block ${hash}, parent ${prevHex} not known`);
      if (pos !== undefined) unknownParent!.set(prevHex, [...(unknownParent!.get(prevHex) ?? []), [block, pos]]);
      continue;
    }
    const known = cm.blockman.lookup(hash);
    if (!known?.haveData()) {
      await accept(block, pos);
    } else if (hash !== genesisHex && known.height % 1000 === 0) {
      cm.debug(LogFlags.REINDEX, `Block Import: already had block ${hash} at height ${known.height}`);
    }
    if (unknownParent !== undefined) await acceptWaitingChildren(hash, unknownParent, accept, cm);
    await yieldLoop();
  }
  cm.log(`Loaded ${loaded} blocks from external file in ${Math.floor(performance.now() - started)}ms`);
  return loaded;
}

/**
 * Core's ImportBlocks: a pending reindex reads every blk file from 0 up to the first missing one, then -loadblock
 * files are imported, then the best chain is activated.
 */
export async function importBlocks(cm: ChainstateManager, importPaths: readonly string[] = []): Promise<void> {
  const bm = cm.blockman;
  cm.importing = true;
  try {
    if (!bm.blockfilesIndexed) {
      let total = 0;
      while (bm.blocks.exists(total)) total++;
      const unknownParent: UnknownParents = new Map();
      for (let n = 0; n < total; n++) {
        cm.log(`Reindexing block file blk${String(n).padStart(5, '0')}.dat (${Math.floor((n * 100) / total)}% complete)...`);
        const reader = bm.blocks.fileReader(n);
        const size = bm.blocks.size(n);
        await loadExternalBlocks(cm, scanBlockRecords(reader.read(0, size), cm.params.messageStart), n, unknownParent);
        // An interrupted reindex keeps its flag, so the next start resumes it.
        if (cm.interrupted) {
          cm.log('Interrupt requested. Exit reindexing.');
          return;
        }
      }
      // The index just read from the files reaches the disk before the flag goes: a crash in between would leave
      // an empty index and no reindex to resume (the next start would then overwrite blk00000.dat with genesis).
      bm.writeBlockIndexDB();
      bm.treeDB.writeReindexing(false);
      bm.blockfilesIndexed = true;
      cm.log('Reindexing finished');
      if (!bm.lookup(cm.params.genesis.header.hashHex())) {
        await cm.exclusive(async () => acceptBlock(cm, cm.params.genesis, true, true));
      }
    }
    for (const p of importPaths) {
      if (cm.interrupted) return;
      if (!fs.existsSync(p)) {
        cm.logger.warning(`Could not open blocks file ${p}`);
        continue;
      }
      cm.log(`Importing blocks file ${p}...`);
      const fd = fs.openSync(p, 'r');
      try {
        await loadExternalBlocks(cm, scanFileRecords((pos, length) => readAt(fd, pos, length), cm.params.messageStart));
      } finally {
        fs.closeSync(fd);
      }
      if (cm.interrupted) {
        cm.log('Interrupt requested. Exit block importing.');
        return;
      }
    }
    // Still importing (Core's ImportingNow spans it): the chain it connects leaves the node in IBD.
    if (!cm.interrupted) await cm.activateBestChain();
  } finally {
    cm.importing = false;
  }
  // As Core's init thread does once ImportBlocks returns: a recent imported tip ends IBD now.
  cm.updateIBDStatus();
}
