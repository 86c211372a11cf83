// Block assembly on regtest: CreateNewBlock without and with TestBlockValidity, and the whole generate step
// (template, nonce grinding, processNewBlock on the in-memory chainstate the unit tests use), in blocks/s,
// each against the bare template as the baseline.
import { BlockAssembler } from '../src/node/miner.js';
import { withMerkleRoot } from '../src/node/miner_commitment.js';
import { solveBlock } from '../src/node/miner_solve.js';
import { NodeClock } from '../src/util/time.js';
import { fakeChainman } from './lib/fake_chainman.js';
import { measure, report, type BenchmarkSuite } from './lib/bench.js';

const OP_TRUE = Uint8Array.of(0x51);

function chainstate() {
  const clock = new NodeClock();
  clock.setMockTime(1296688602 + 600);
  return { chainman: fakeChainman(clock), clock };
}

async function run(quick: boolean): Promise<void> {
  const a = chainstate();
  const bare = await measure('CreateNewBlock, no TestBlockValidity', async () => {
    await new BlockAssembler(a, { coinbaseOutputScript: OP_TRUE, testBlockValidity: false }).createNewBlock();
  }, { quick });
  const checked = await measure('CreateNewBlock with TestBlockValidity', async () => {
    await new BlockAssembler(a, { coinbaseOutputScript: OP_TRUE }).createNewBlock();
  }, { quick });
  const b = chainstate();
  const mined = await measure('CreateNewBlock + solve + processNewBlock', async () => {
    // Each block must be one second past the median time past; the clock keeps ahead of it, as a real one would
    // (a clock standing still runs into time-too-new after two hours' worth of blocks).
    b.clock.setMockTime(b.clock.now() + 1);
    const { block } = await new BlockAssembler(b, { coinbaseOutputScript: OP_TRUE }).createNewBlock();
    const solved = solveBlock(withMerkleRoot(block), 1_000_000n, b.chainman.params.consensus).block!;
    const r = await b.chainman.processNewBlock(solved, { forceProcessing: true, minPowChecked: true });
    if (!r.accepted) throw new Error(`block not accepted: ${r.state.toString()}`);
  }, { quick });
  report(bare, undefined, 'blocks/s');
  report(checked, bare, 'blocks/s');
  report(mined, bare, 'blocks/s');
  console.log(`(chain grew to ${b.chainman.chain.height()} blocks)`);
}

export const benchmarks: BenchmarkSuite[] = [{ name: 'miner_regtest', run: (o) => run(o.quick) }];
