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
 * The records of a flat file: magic, then a size between a header's 80 bytes and the largest block, then that many
 * bytes. After a bad size the search resumes one byte past the magic; a record cut off by the end of data ends it.
 */
export function* scanBlockRecords(data: Uint8Array, magic: Uint8Array): Generator<FoundBlock> {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  let at = 0;
  while (at + STORAGE_HEADER_BYTES <= buf.length) {
    const found = buf.indexOf(magic, at);
    if (found < 0 || found + STORAGE_HEADER_BYTES > buf.length) return;
    const size = buf.readUInt32LE(found + 4);
    const start = found + STORAGE_HEADER_BYTES;
    if (size < 80 || size > MAX_BLOCK_SERIALIZED_SIZE) {
      at = found + 1;
      continue;
    }
    if (start + size > buf.length) return;
    yield { offset: start, bytes: data.subarray(start, start + size) };
    at = start + size;
  }
}

/**
 * Core's LoadExternalBlockFile over bytes already read (and de-obfuscated). With `file` set (reindex) the blocks stay
 * where they are; otherwise they are written to our blk files. Blocks whose parent is not known yet wait in
 * `unknownParent` until it arrives. Returns how many blocks were newly loaded.
 */
export async function loadExternalBlocks(cm: ChainstateManager, data: Uint8Array, file: number | undefined, unknownParent: Map<string, [Block, FlatFilePos | undefined][]>): Promise<number> {
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
  for (const { offset, bytes } of scanBlockRecords(data, cm.params.messageStart)) {
    // Interrupted, Core returns without its summary line; the caller says why it stopped.
    if (cm.interrupted) return loaded;
    let block: Block;
    try {
      block = Block.fromBytes(bytes);
    } catch (e) {
      cm.debug(LogFlags.REINDEX, `LoadExternalBlockFile: unexpected data at file offset 0x${(offset - 1).toString(16)} - ${(e as Error).message}. continuing`);
      continue;
    }
    const pos = file === undefined ? undefined : { file, pos: offset };
    const hash = block.header.hashHex();
    const prevHex = hashToHex(block.header.hashPrevBlock);
    if (hash !== genesisHex && !cm.blockman.lookup(prevHex)) {
      cm.debug(LogFlags.REINDEX, `LoadExternalBlockFile: Out of order block ${hash}, parent ${prevHex} not known`);
      unknownParent.set(prevHex, [...(unknownParent.get(prevHex) ?? []), [block, pos]]);
      continue;
    }
    const known = cm.blockman.lookup(hash);
    if (known?.haveData()) {
      cm.debug(LogFlags.REINDEX, `Block Import: already had block ${hash} at height ${known.height}`);
    } else {
      await accept(block, pos);
    }
    // Children that arrived before this block can follow now, depth first.
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
      const unknownParent = new Map<string, [Block, FlatFilePos | undefined][]>();
      for (let n = 0; n < total; n++) {
        cm.log(`Reindexing block file blk${String(n).padStart(5, '0')}.dat (${Math.floor((n * 100) / total)}% complete)...`);
        const reader = bm.blocks.fileReader(n);
        const size = bm.blocks.size(n);
        await loadExternalBlocks(cm, reader.read(0, size), n, unknownParent);
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
      await loadExternalBlocks(cm, new Uint8Array(fs.readFileSync(p)), undefined, new Map());
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
