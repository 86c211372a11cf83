// Block assembly (Core's miner_tests, on regtest): the coinbase, the witness commitment, version, time and bits,
// mempool chunk selection within the limits, TestBlockValidity, and the mining options with Core's error texts.
import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { ArgsManager } from '../../../src/common/args.js';
import { checkBlock, checkWitnessMalleation, getWitnessCommitmentIndex } from '../../../src/consensus/block_check.js';
import { COIN } from '../../../src/consensus/amount.js';
import { BlockValidationState } from '../../../src/consensus/validation.js';
import { createChainParams } from '../../../src/kernel/chainparams.js';
import { BlockIndex } from '../../../src/node/chain.js';
import { BlockAssembler, type BlockAssemblerEnv, coinbaseScriptSig, getMinimumTime, updateTime } from '../../../src/node/miner.js';
import { regenerateCommitments, updateUncommittedBlockStructures, withMerkleRoot } from '../../../src/node/miner_commitment.js';
import type { BlockChunk, BlockTxCandidate, MiningMempool } from '../../../src/node/miner_mempool.js';
import { EMPTY_MEMPOOL } from '../../../src/node/miner_mempool.js';
import { type BlockCreateOptions, MiningOptionsError, checkMiningOptions, parseMoney, readMiningArgs } from '../../../src/node/miner_options.js';
import { solveBlock } from '../../../src/node/miner_solve.js';
import { Block, BlockHeader } from '../../../src/primitives/block.js';
import { OutPoint, Transaction, TxIn, TxOut } from '../../../src/primitives/transaction.js';
import { bytesToHex } from '../../../src/util/hex.js';
import { NodeClock } from '../../../src/util/time.js';
import { type FakeChainman, fakeChainman } from '../../../bench/lib/fake_chainman.js';

const P2WPKH = Uint8Array.from([0x00, 0x14, ...new Array<number>(20).fill(7)]);
const GENESIS_TIME = 1296688602;

function setup(mock = GENESIS_TIME + 1000): { chainman: FakeChainman & ReturnType<typeof fakeChainman>; clock: NodeClock } {
  const clock = new NodeClock();
  clock.setMockTime(mock);
  return { chainman: fakeChainman(clock), clock };
}

function env(chainman: ReturnType<typeof fakeChainman>, clock: NodeClock, extra: Partial<BlockAssemblerEnv> = {}): BlockAssemblerEnv {
  return { chainman, clock, ...extra };
}

/** Builds, solves and submits `n` blocks; returns their hashes. */
async function mine(chainman: ReturnType<typeof fakeChainman>, clock: NodeClock, n: number, opts: BlockCreateOptions = {}): Promise<string[]> {
  const hashes: string[] = [];
  for (let i = 0; i < n; i++) {
    const { block } = (await new BlockAssembler(env(chainman, clock), opts).createNewBlock());
    const solved = solveBlock(withMerkleRoot(block), 1_000_000n, chainman.params.consensus).block!;
    const result = await chainman.processNewBlock(solved, { forceProcessing: true, minPowChecked: true });
    assert.ok(result.accepted, result.state.toString());
    hashes.push(solved.hashHex());
  }
  return hashes;
}

/** A transaction with an arbitrary input (the fake has no UTXO set) and one output. */
function tx(seed: number, opts: { lockTime?: number; sequence?: number; outputs?: number } = {}): Transaction {
  const prevout = new OutPoint(new Uint8Array(32).fill(seed), 0);
  const vout = Array.from({ length: opts.outputs ?? 1 }, () => new TxOut(1000n, P2WPKH));
  return new Transaction({ vin: [new TxIn({ prevout, scriptSig: Uint8Array.of(0x51), sequence: opts.sequence })], vout, lockTime: opts.lockTime ?? 0 });
}

function candidate(t: Transaction, fee: bigint, sigOpCost = 4): BlockTxCandidate {
  return { tx: t, fee, modifiedFee: fee, sigOpCost, weight: t.getWeight(), vsize: Math.ceil(t.getWeight() / 4) };
}

/** A mempool that offers fixed single-transaction chunks in order and records what the assembler did with them. */
function chunkMempool(cands: BlockTxCandidate[]): MiningMempool & { decisions: string[] } {
  const decisions: string[] = [];
  return {
    ...EMPTY_MEMPOOL,
    decisions,
    startBlockBuilding() {
      let i = 0;
      return {
        next: (): BlockChunk | undefined => {
          const c = cands[i++];
          return c && { txs: [c], fee: c.fee, weight: c.weight };
        },
        include: () => decisions.push('include'),
        skip: () => decisions.push('skip'),
        stop: () => decisions.push('stop'),
      };
    },
  };
}

describe('miner: CreateNewBlock on regtest', () => {
  it('builds the coinbase as Core: height push + OP_0, non-final sequence, locktime height-1, full reward', async () => {
    const { chainman, clock } = setup();
    const t = (await new BlockAssembler(env(chainman, clock), { coinbaseOutputScript: P2WPKH }).createNewBlock());
    const cb = t.block.vtx[0]!;
    assert.equal(bytesToHex(cb.vin[0]!.scriptSig), '5100');
    assert.ok(cb.vin[0]!.prevout.isNull());
    assert.equal(cb.vin[0]!.sequence, 0xfffffffe);
    assert.equal(cb.lockTime, 0);
    assert.equal(cb.version, 2);
    assert.equal(cb.vout[0]!.value, 50n * COIN);
    assert.deepEqual(cb.vout[0]!.scriptPubKey, P2WPKH);
    assert.deepEqual(t.coinbaseTx.scriptSigPrefix, Uint8Array.of(0x51));
    assert.equal(t.coinbaseTx.blockRewardRemaining, 50n * COIN);
    assert.equal(t.coinbaseTx.lockTime, 0);
    assert.deepEqual([t.txFees, t.txSigOpsCost], [[], []]);
  });

  it('pushes heights as CScript << n: OP_16 + OP_0 at 16, a 1-byte number push from 17', async () => {
    assert.equal(bytesToHex(coinbaseScriptSig(16).scriptSig), '6000');
    assert.equal(bytesToHex(coinbaseScriptSig(17).scriptSig), '0111');
    assert.equal(bytesToHex(coinbaseScriptSig(17).prefix), '0111');
    assert.equal(bytesToHex(coinbaseScriptSig(200).scriptSig), '02c800');
    assert.equal(bytesToHex(coinbaseScriptSig(16).prefix), '60');
  });

  it('commits to the witness root with the zero reserved value in the coinbase witness', async () => {
    const { chainman, clock } = setup();
    const { block, coinbaseTx } = (await new BlockAssembler(env(chainman, clock), {}).createNewBlock());
    const cb = block.vtx[0]!;
    const index = getWitnessCommitmentIndex(block);
    assert.equal(index, 1);
    assert.equal(bytesToHex(cb.vout[1]!.scriptPubKey).slice(0, 12), '6a24aa21a9ed');
    assert.equal(cb.vout[1]!.value, 0n);
    assert.deepEqual(cb.vin[0]!.witness, [new Uint8Array(32)]);
    assert.deepEqual(coinbaseTx.witness, new Uint8Array(32));
    assert.deepEqual(coinbaseTx.requiredOutputs, [cb.vout[1]]);
    assert.ok(checkWitnessMalleation(block, true, new BlockValidationState()));
    // The default coinbase output is OP_TRUE.
    assert.equal(bytesToHex(cb.vout[0]!.scriptPubKey), '51');
  });

  it('fills the header as Core: prev hash, regtest bits, nonce 0, version from versionbits, and a null merkle root', async () => {
    const { chainman, clock } = setup();
    const { block } = (await new BlockAssembler(env(chainman, clock), {}).createNewBlock());
    assert.deepEqual(block.header.hashPrevBlock, chainman.params.genesis.hash);
    // Core's template leaves the root to whoever completes the block (GenerateBlock, submitSolution).
    assert.deepEqual(block.header.hashMerkleRoot, new Uint8Array(32));
    assert.ok(checkBlock(block, new BlockValidationState(), chainman.params.consensus, { checkPow: false, checkMerkleRoot: false }));
    assert.ok(checkBlock(withMerkleRoot(block), new BlockValidationState(), chainman.params.consensus, { checkPow: false }));
    assert.equal(block.header.bits, 0x207fffff);
    assert.equal(block.header.nonce, 0);
    assert.equal(block.header.version, 0x20000000);
  });

  it('block time is max(MTP + 1, now) under mock time', async () => {
    const { chainman, clock } = setup();
    assert.equal((await new BlockAssembler(env(chainman, clock), {}).createNewBlock()).block.header.time, GENESIS_TIME + 1000);
    clock.setMockTime(GENESIS_TIME - 5000);
    assert.equal((await new BlockAssembler(env(chainman, clock), {}).createNewBlock()).block.header.time, GENESIS_TIME + 1);
  });

  it('mined blocks connect, and later templates carry their height (17: no OP_0)', async () => {
    const { chainman, clock } = setup();
    await mine(chainman, clock, 16);
    assert.equal(chainman.chain.height(), 16);
    const t = (await new BlockAssembler(env(chainman, clock), {}).createNewBlock());
    assert.equal(bytesToHex(t.block.vtx[0]!.vin[0]!.scriptSig), '0111');
    assert.equal(t.block.vtx[0]!.lockTime, 16);
  });

  it('-blockversion overrides the version where blocks are mined on demand only', async () => {
    const { chainman, clock } = setup();
    assert.equal((await new BlockAssembler(env(chainman, clock, { blockVersionOverride: 7 }), {}).createNewBlock()).block.header.version, 7);
    chainman.params.consensus.powNoRetargeting = false;
    const v = (await new BlockAssembler(env(chainman, clock, { blockVersionOverride: 7, }), { testBlockValidity: false }).createNewBlock()).block.header.version;
    assert.equal(v, 0x20000000);
  });

  it('runs TestBlockValidity and throws Core\'s text when the template is invalid', async () => {
    const { chainman, clock } = setup();
    const empty = new Transaction({ vin: [], vout: [new TxOut(1n, P2WPKH)] });
    const mempool = chunkMempool([candidate(empty, 1000n)]);
    await assert.rejects(() => new BlockAssembler(env(chainman, clock, { mempool }), {}).createNewBlock(), (e: Error) =>
      e.message.startsWith('TestBlockValidity failed: bad-txns-vin-empty, Transaction check failed'));
    // Without the check the template comes back as it is.
    const t = (await new BlockAssembler(env(chainman, clock, { mempool: chunkMempool([candidate(empty, 1000n)]) }), { testBlockValidity: false }).createNewBlock());
    assert.equal(t.block.vtx.length, 2);
  });
});

describe('miner: selecting mempool chunks', () => {
  it('adds chunks with their fees and sigops, and pays the fees to the coinbase', async () => {
    const { chainman, clock } = setup();
    const lastBlock = {};
    const mempool = chunkMempool([candidate(tx(1), 5000n, 8), candidate(tx(2), 3000n, 4)]);
    const t = (await new BlockAssembler(env(chainman, clock, { mempool, lastBlock }), {}).createNewBlock());
    assert.equal(t.block.vtx.length, 3);
    assert.deepEqual(t.txFees, [5000n, 3000n]);
    assert.deepEqual(t.txSigOpsCost, [8, 4]);
    assert.equal(t.block.vtx[0]!.vout[0]!.value, 50n * COIN + 8000n);
    assert.equal(t.packageFeerates.length, 2);
    assert.deepEqual(mempool.decisions, ['include', 'include', 'stop']);
    assert.deepEqual(lastBlock, { numTxs: 2, weight: 8000 + tx(1).getWeight() + tx(2).getWeight() });
  });

  it('useMempool: false leaves the mempool out', async () => {
    const { chainman, clock } = setup();
    const mempool = chunkMempool([candidate(tx(1), 5000n)]);
    assert.equal((await new BlockAssembler(env(chainman, clock, { mempool }), { useMempool: false }).createNewBlock()).block.vtx.length, 1);
  });

  it('stops at the first chunk below -blockmintxfee (fee per kvB; equal passes)', async () => {
    const { chainman, clock } = setup();
    const base = tx(1);
    // One satoshi per vbyte is exactly 1000 per kvB.
    const a = candidate(base, BigInt(Math.ceil(base.getWeight() / 4)));
    const mempool = chunkMempool([a]);
    assert.equal((await new BlockAssembler(env(chainman, clock, { mempool }), { blockMinFeeRate: 1000n }).createNewBlock()).block.vtx.length, 2);
    const mempool2 = chunkMempool([a]);
    assert.equal((await new BlockAssembler(env(chainman, clock, { mempool: mempool2 }), { blockMinFeeRate: 1001n }).createNewBlock()).block.vtx.length, 1);
    assert.deepEqual(mempool2.decisions, ['stop']);
  });

  it('skips chunks that would reach -blockmaxweight, and takes later ones that fit', async () => {
    const { chainman, clock } = setup();
    const big = candidate(tx(1, { outputs: 40 }), 9000n);
    const small = candidate(tx(2), 100n);
    const maxWeight = 8000 + small.weight + 1;
    const mempool = chunkMempool([big, small]);
    const t = (await new BlockAssembler(env(chainman, clock, { mempool }), { blockMaxWeight: maxWeight }).createNewBlock());
    assert.deepEqual(t.block.vtx.slice(1), [small.tx]);
    assert.deepEqual(mempool.decisions, ['skip', 'include', 'stop']);
    // The limit is exclusive: a block exactly at the maximum is not filled.
    const exact = chunkMempool([small]);
    assert.equal((await new BlockAssembler(env(chainman, clock, { mempool: exact }), { blockMaxWeight: 8000 + small.weight }).createNewBlock()).block.vtx.length, 1);
  });

  it('counts -blockreservedweight against the limit', async () => {
    const { chainman, clock } = setup();
    const small = candidate(tx(2), 100n);
    const mempool = chunkMempool([small]);
    const opts = { blockMaxWeight: 10000, blockReservedWeight: 10000 - small.weight };
    assert.equal((await new BlockAssembler(env(chainman, clock, { mempool }), opts).createNewBlock()).block.vtx.length, 1);
  });

  it('skips chunks over the sigops limit (the coinbase reserve counts)', async () => {
    const { chainman, clock } = setup();
    const heavy = candidate(tx(1), 5000n, 80_000 - 400);
    const mempool = chunkMempool([heavy, candidate(tx(2), 100n, 399)]);
    const t = (await new BlockAssembler(env(chainman, clock, { mempool }), {}).createNewBlock());
    assert.deepEqual(mempool.decisions, ['skip', 'include', 'stop']);
    assert.deepEqual(t.txSigOpsCost, [399]);
  });

  it('skips transactions not final at the next height and the tip\'s median time past', async () => {
    const { chainman, clock } = setup();
    const final = candidate(tx(1, { lockTime: 0 }), 100n);
    const notYet = candidate(tx(2, { lockTime: 1, sequence: 0 }), 100n); // height 1 is not < 1
    const byTime = candidate(tx(3, { lockTime: GENESIS_TIME, sequence: 0 }), 100n); // genesis MTP is not < it
    const ok = candidate(tx(4, { lockTime: GENESIS_TIME - 1, sequence: 0 }), 100n);
    const mempool = chunkMempool([final, notYet, byTime, ok]);
    const t = (await new BlockAssembler(env(chainman, clock, { mempool }), {}).createNewBlock());
    assert.deepEqual(mempool.decisions, ['include', 'skip', 'skip', 'include', 'stop']);
    assert.equal(t.block.vtx.length, 3);
  });
});

describe('miner: time and commitments', () => {
  it('GetMinimumTime applies the timewarp floor on retarget heights only', async () => {
    const params = createChainParams('regtest').consensus;
    let prev: BlockIndex | undefined;
    for (let h = 0; h < 144; h++) {
      // Times step back and forth so the median stays low while the last block is late.
      const time = h === 143 ? 1_000_000 + 10_000 : 1_000_000 + h;
      prev = new BlockIndex(new BlockHeader({ version: 4, hashPrevBlock: prev?.hash, time, bits: 0x207fffff, nonce: h }), prev);
    }
    const last = prev!;
    assert.equal(getMinimumTime(last, params), 1_000_000 + 10_000 - 600);
    assert.equal(getMinimumTime(last.prev!, params), last.prev!.getMedianTimePast() + 1);
    const { header, delta } = updateTime(new BlockHeader({ time: 5 }), params, last, 0);
    assert.equal(header.time, 1_000_000 + 10_000 - 600);
    assert.equal(delta, header.time - 5);
    // Never moves the time back.
    assert.equal(updateTime(new BlockHeader({ time: 2_000_000 }), params, last, 0).header.time, 2_000_000);
  });

  it('RegenerateCommitments replaces the commitment after the transactions change', async () => {
    const { chainman, clock } = setup();
    const { block } = (await new BlockAssembler(env(chainman, clock), {}).createNewBlock());
    const withTx = new Block(block.header, [...block.vtx, tx(9)]);
    const regenerated = regenerateCommitments(withTx, chainman.chain.tip(), chainman.params.consensus);
    assert.equal(regenerated.vtx[0]!.vout.length, 2);
    assert.notDeepEqual(regenerated.vtx[0]!.vout[1], block.vtx[0]!.vout[1]);
    assert.ok(checkBlock(regenerated, new BlockValidationState(), chainman.params.consensus, { checkPow: false }));
    assert.ok(checkWitnessMalleation(regenerated, true, new BlockValidationState()));
  });
});

describe('miner: submitted blocks', () => {
  it('UpdateUncommittedBlockStructures adds the reserved value only to a coinbase without witness', async () => {
    const { chainman, clock } = setup();
    const { block } = (await new BlockAssembler(env(chainman, clock), {}).createNewBlock());
    const bare = new Block(block.header, [block.vtx[0]!.toMutable().setWitness(0, []).toTransaction()]);
    const prev = chainman.chain.tip();
    assert.deepEqual(updateUncommittedBlockStructures(bare, prev, chainman.params.consensus).vtx[0]!.vin[0]!.witness, [new Uint8Array(32)]);
    const own = new Block(block.header, [block.vtx[0]!.toMutable().setWitness(0, [new Uint8Array(32).fill(1)]).toTransaction()]);
    assert.deepEqual(updateUncommittedBlockStructures(own, prev, chainman.params.consensus).vtx[0]!.vin[0]!.witness, [new Uint8Array(32).fill(1)]);
    // Before segwit activates nothing is added.
    chainman.params.consensus.SegwitHeight = 10;
    assert.deepEqual(updateUncommittedBlockStructures(bare, prev, chainman.params.consensus).vtx[0]!.vin[0]!.witness, []);
  });
});

describe('miner: options (Core\'s mining_args)', () => {
  it('CheckMiningOptions: Core\'s texts with field names or option names', () => {
    const msg = (o: BlockCreateOptions, args: boolean) => {
      try {
        checkMiningOptions(o, args);
        return '';
      } catch (e) {
        assert.ok(e instanceof MiningOptionsError);
        return e.message;
      }
    };
    assert.equal(msg({ blockReservedWeight: 1999 }, true), '-blockreservedweight (1999) is lower than minimum safety value of (2000)');
    assert.equal(msg({ blockReservedWeight: 1999 }, false), 'block_reserved_weight (1999) is lower than minimum safety value of (2000)');
    assert.equal(msg({ blockReservedWeight: 2000 }, false), '');
    assert.equal(msg({ blockReservedWeight: 4000001 }, true), '-blockreservedweight (4000001) exceeds consensus maximum block weight (4000000)');
    assert.equal(msg({ blockMaxWeight: 4000001 }, true), '-blockmaxweight (4000001) exceeds consensus maximum block weight (4000000)');
    assert.equal(msg({ blockMaxWeight: 4000000 }, true), '');
    assert.equal(msg({ blockMaxWeight: 7999 }, true), '-blockreservedweight (8000) exceeds -blockmaxweight (7999)');
    assert.equal(msg({ blockMaxWeight: 8000 }, false), '');
    assert.equal(msg({ coinbaseOutputMaxAdditionalSigops: 80001 }, false),
      'coinbase_output_max_additional_sigops (80001) exceeds consensus maximum block sigops cost (80000)');
  });

  it('ReadMiningArgs reads the options and fails with InitError texts', async () => {
    const args = new ArgsManager();
    args.forceSetArg('-blockmintxfee', '0.00002');
    args.forceSetArg('-blockmaxweight', '3000000');
    args.forceSetArg('-blockreservedweight', '9000');
    assert.deepEqual(readMiningArgs(args), { blockMinFeeRate: 2000n, blockMaxWeight: 3000000, blockReservedWeight: 9000 });
    args.forceSetArg('-blockmintxfee', 'abc');
    assert.throws(() => readMiningArgs(args), { message: "Invalid amount for -blockmintxfee=<amount>: 'abc'" });
    args.forceSetArg('-blockmintxfee', '0');
    args.forceSetArg('-blockmaxweight', '4000001');
    assert.throws(() => readMiningArgs(args), { message: '-blockmaxweight (4000001) exceeds consensus maximum block weight (4000000)' });
  });

  it('BlockAssembler refuses bad options with the field names', async () => {
    const { chainman, clock } = setup();
    assert.throws(() => new BlockAssembler(env(chainman, clock), { blockReservedWeight: 10 }), {
      message: 'block_reserved_weight (10) is lower than minimum safety value of (2000)',
    });
  });

  it('ParseMoney as Core', async () => {
    assert.equal(parseMoney('0.00000001'), 1n);
    assert.equal(parseMoney(' 1.5 '), 150_000_000n);
    assert.equal(parseMoney('.5'), 50_000_000n);
    assert.equal(parseMoney('21000000'), 21_000_000n * COIN);
    for (const bad of ['', '-1', '1e3', '0.000000001', '1 0', '21000001', '12345678901', '1.2.3']) assert.equal(parseMoney(bad), undefined, bad);
  });
});

describe('miner: solving', () => {
  it('grinds the nonce until the hash meets the target; tries and interrupts stop it', async () => {
    const { chainman, clock } = setup();
    const block = withMerkleRoot((await new BlockAssembler(env(chainman, clock), {}).createNewBlock()).block);
    const r = solveBlock(block, 1000n, chainman.params.consensus);
    assert.ok(r.ok && r.block);
    assert.ok(checkBlock(r.block, new BlockValidationState(), chainman.params.consensus));
    assert.equal(r.triesLeft, 1000n - BigInt(r.block.header.nonce));
    assert.deepEqual(solveBlock(block, 0n, chainman.params.consensus), { ok: false, triesLeft: 0n });
    assert.equal(solveBlock(block, 1000n, chainman.params.consensus, () => true).ok, false);
  });
});
