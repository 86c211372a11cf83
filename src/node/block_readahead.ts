// One block read before its turn: while the script workers verify block N, the main thread reads block N+1 from
// disk (and runs its context-free checks), work that Core's single connecting thread does after N is done. The slot
// holds the outcome of the read, a block or the error it raised; the error is thrown where the read would have
// happened, so nothing about failures changes, and a block whose turn never comes (N failed, a reorg) is dropped.
import type { Block } from '../primitives/block.js';
import type { BlockIndex } from './chain.js';

type Outcome = { index: BlockIndex; block: Block } | { index: BlockIndex; error: unknown };

export class BlockReadAhead {
  private slot: Outcome | undefined;

  /** Reads `index`'s block now with `read`, replacing whatever was held; returns it, or undefined when the read failed. */
  load(index: BlockIndex, read: (index: BlockIndex) => Block): Block | undefined {
    try {
      const block = read(index);
      this.slot = { index, block };
      return block;
    } catch (error) {
      this.slot = { index, error };
      return undefined;
    }
  }

  /** The block read ahead for `index` (its read's error is thrown here), or undefined; the slot is emptied either way. */
  take(index: BlockIndex): Block | undefined {
    const held = this.slot;
    this.slot = undefined;
    if (held === undefined || held.index !== index) return undefined;
    if ('error' in held) throw held.error;
    return held.block;
  }

  clear(): void {
    this.slot = undefined;
  }
}
