// The tip candidates through one activation of a chain that arrived whole (a reindex or an import): every block is
// a candidate, then each connected block asks for the best one and prunes those below the new tip. The baseline is
// a plain Set scanned for both, as the chainstate did before the ordered set.
import { BlockIndexCandidates, candidateLess } from '../src/node/block_candidates.js';
import { BlockIndex } from '../src/node/chain.js';
import { BlockHeader } from '../src/primitives/block.js';
import { measure, report, type BenchOptions, type BenchmarkSuite } from './lib/bench.js';

function chain(n: number): BlockIndex[] {
  const blocks: BlockIndex[] = [];
  let prev: BlockIndex | undefined;
  for (let i = 0; i < n; i++) {
    prev = new BlockIndex(new BlockHeader({ bits: 0x207fffff, nonce: i, hashPrevBlock: prev?.hash }), prev);
    prev.sequenceId = i + 1;
    blocks.push(prev);
  }
  return blocks;
}

function activateWithSet(blocks: BlockIndex[]): void {
  const set = new Set<BlockIndex>(blocks);
  for (const tip of blocks) {
    let best: BlockIndex | undefined;
    for (const c of set) if (best === undefined || candidateLess(best, c)) best = c;
    for (const c of set) if (candidateLess(c, tip)) set.delete(c);
  }
}

function activateWithOrdered(blocks: BlockIndex[]): void {
  const set = new BlockIndexCandidates();
  for (const b of blocks) set.add(b);
  for (const tip of blocks) {
    set.best();
    set.pruneLessThan(tip);
  }
}

async function candidatesBench(opts: BenchOptions): Promise<void> {
  const blocks = chain(opts.quick ? 500 : 5000);
  const run = { quick: opts.quick, ms: 1000, reps: 3, opsPerCall: blocks.length };
  const scanned = await measure(`activation over ${blocks.length} candidates, Set scanned per block`, () => activateWithSet(blocks), run);
  const ordered = await measure(`activation over ${blocks.length} candidates, ordered set`, () => activateWithOrdered(blocks), run);
  report(scanned, undefined, 'block/s');
  report(ordered, scanned, 'block/s');
}

export const benchmarks: BenchmarkSuite[] = [{ name: 'validation.candidates', run: candidatesBench }];
