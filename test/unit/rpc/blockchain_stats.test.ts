// getblockstats over a block with a legacy and a segwit spend (one with an OP_RETURN output).
import assert from 'node:assert/strict';
import { MutableTransaction, OutPoint, TxOut } from '../../../src/primitives/transaction.js';
import { getblockstats } from '../../../src/rpc/blockchain_stats.js';
import { hexToBytes } from '../../../src/util/hex.js';
import { FakeChainman, P2A, makeContext, rpcError } from './blockchain_fake.js';
import { BlockStatus } from '../../../src/node/disk_block_index.js';

const OP_RETURN = hexToBytes('6a0401020304');

function statsChain() {
  const cm = new FakeChainman();
  const cb1 = cm.blocks.get(cm.mine().hashHex)!.vtx[0]!;
  const cb2 = cm.blocks.get(cm.mine().hashHex)!.vtx[0]!;
  const legacy = new MutableTransaction({ version: 2 }).addInput(new OutPoint(cb1.txid, 0), new Uint8Array(100).fill(1))
    .addOutput(2_000_000_000n, P2A).addOutput(2_999_990_000n, P2A).toTransaction();
  const segwit = new MutableTransaction({ version: 2 }).addInput(new OutPoint(cb2.txid, 0))
    .addOutput(4_999_995_000n, P2A).addOutput(0n, OP_RETURN).setWitness(0, [new Uint8Array(72).fill(2)]).toTransaction();
  const spent = [[{ out: cb1.vout[0]!, height: 1, coinbase: true }], [{ out: cb2.vout[0]!, height: 2, coinbase: true }]];
  const b3 = cm.mine([legacy, segwit], spent);
  return { cm, ctx: makeContext(cm), b3, legacy, segwit };
}

describe('getblockstats', () => {
  it('computes Core\'s statistics', () => {
    const { ctx, b3, legacy, segwit } = statsChain();
    const s = getblockstats(ctx, [3]) as Record<string, unknown>;
    const size = (o: TxOut): number => 8 + 1 + o.scriptPubKey.length + 40;
    const lw = legacy.getWeight();
    const sw = segwit.getWeight();
    const legacyRate = Math.floor(10_000 * 4 / lw);
    const segwitRate = Math.floor(5_000 * 4 / sw);
    assert.equal(Object.keys(s).join(','), 'avgfee,avgfeerate,avgtxsize,blockhash,feerate_percentiles,height,ins,maxfee,maxfeerate,maxtxsize,'
      + 'medianfee,mediantime,mediantxsize,minfee,minfeerate,mintxsize,outs,subsidy,swtotal_size,swtotal_weight,swtxs,time,total_out,'
      + 'total_size,total_weight,totalfee,txs,utxo_increase,utxo_size_inc,utxo_increase_actual,utxo_size_inc_actual');
    const coinbaseOut = new TxOut(5_000_000_000n, P2A);
    assert.deepEqual(s, {
      avgfee: 7500, avgfeerate: Math.floor(15_000 * 4 / (lw + sw)), avgtxsize: Math.floor((legacy.getTotalSize() + segwit.getTotalSize()) / 2),
      blockhash: b3.hashHex,
      // The lighter-feerate transaction covers the lower percentiles by its share of the weight.
      feerate_percentiles: percentiles([[legacyRate, lw], [segwitRate, sw]], lw + sw),
      height: 3, ins: 2, maxfee: 10_000, maxfeerate: Math.max(legacyRate, segwitRate), maxtxsize: Math.max(legacy.getTotalSize(), segwit.getTotalSize()),
      medianfee: 7500, mediantime: b3.getMedianTimePast(), mediantxsize: Math.floor((legacy.getTotalSize() + segwit.getTotalSize()) / 2),
      minfee: 5000, minfeerate: Math.min(legacyRate, segwitRate), mintxsize: Math.min(legacy.getTotalSize(), segwit.getTotalSize()),
      outs: 5, subsidy: 5_000_000_000, swtotal_size: segwit.getTotalSize(), swtotal_weight: sw, swtxs: 1, time: b3.time,
      total_out: 9_999_985_000, total_size: legacy.getTotalSize() + segwit.getTotalSize(), total_weight: lw + sw, totalfee: 15_000, txs: 3,
      utxo_increase: 3, utxo_size_inc: 5 * size(coinbaseOut) - 2 * size(coinbaseOut) + size(new TxOut(0n, OP_RETURN)) - size(coinbaseOut),
      utxo_increase_actual: 2, utxo_size_inc_actual: 4 * size(coinbaseOut) - 2 * size(coinbaseOut),
    });
  });

  it('a percentile mark reached exactly takes the transaction that reaches it', () => {
    const cm = new FakeChainman();
    const cbs = [cm.mine(), cm.mine()].map((b) => cm.blocks.get(b.hashHex)!.vtx[0]!);
    // Same shape, so the same weight: the 50% mark falls exactly at the end of the cheaper one.
    const txs = cbs.map((cb, i) => new MutableTransaction({ version: 2 }).addInput(new OutPoint(cb.txid, 0))
      .addOutput(5_000_000_000n - BigInt((i + 1) * 4000), P2A).toTransaction());
    cm.mine(txs, cbs.map((cb) => [{ out: cb.vout[0]!, height: 1, coinbase: true }]));
    const w = txs[0]!.getWeight();
    assert.equal(txs[1]!.getWeight(), w);
    const rates = [Math.floor(4000 * 4 / w), Math.floor(8000 * 4 / w)];
    assert.deepEqual(getblockstats(makeContext(cm), [3, ['feerate_percentiles']]), { feerate_percentiles: [rates[0], rates[0], rates[0], rates[1], rates[1]] });
  });

  it('selected statistics in name order; Core\'s errors', async () => {
    const { cm, ctx } = statsChain();
    const picked = getblockstats(ctx, [cm.chain.at(3)!.hashHex, ['txs', 'minfee', 'txs']]) as object;
    assert.deepEqual(Object.entries(picked), [['minfee', 5000], ['txs', 3]]);
    assert.deepEqual(getblockstats(ctx, [0, ['mintxsize', 'minfee', 'feerate_percentiles']]), { feerate_percentiles: [0, 0, 0, 0, 0], minfee: 0, mintxsize: 0 });
    assert.deepEqual(getblockstats(ctx, [0, ['utxo_increase', 'utxo_increase_actual', 'subsidy']]), { subsidy: 5_000_000_000, utxo_increase: 1, utxo_increase_actual: 0 });
    assert.deepEqual(await rpcError(() => getblockstats(ctx, [3, ['txs', 'nope']])), { code: -8, message: "Invalid selected statistic 'nope'" });
    assert.deepEqual(await rpcError(() => getblockstats(ctx, [-1])), { code: -8, message: 'Target block height -1 is negative' });
    assert.deepEqual(await rpcError(() => getblockstats(ctx, [4])), { code: -8, message: 'Target block height 4 after current tip 3' });
    assert.deepEqual(await rpcError(() => getblockstats(ctx, ['00'.repeat(32)])), { code: -5, message: 'Block not found' });
    cm.chain.at(3)!.status &= ~BlockStatus.BLOCK_HAVE_UNDO;
    assert.deepEqual(await rpcError(() => getblockstats(ctx, [3])), { code: -1, message: 'Undo data not available' });
    cm.pruneMode = true;
    cm.chain.at(3)!.status &= ~BlockStatus.BLOCK_HAVE_DATA;
    assert.deepEqual(await rpcError(() => getblockstats(ctx, [3])), { code: -1, message: 'Block not available (pruned data)' });
  });
});

/** The weighted percentiles written out: the first rate whose cumulative weight reaches each mark. */
function percentiles(rates: [number, number][], total: number): number[] {
  const sorted = [...rates].sort((a, b) => a[0] - b[0]);
  return [0.1, 0.25, 0.5, 0.75, 0.9].map((f) => {
    let cum = 0;
    for (const [r, w] of sorted) {
      cum += w;
      if (cum >= total * f) return r;
    }
    return sorted[sorted.length - 1]![0];
  });
}
