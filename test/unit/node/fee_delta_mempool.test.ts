// The mempool of a node without transaction relay: prioritisetransaction's deltas as Core's mapDeltas keeps them,
// and the relay fee options as Core's init reads them.
import assert from 'node:assert/strict';
import { ArgsManager } from '../../../src/common/args.js';
import { Block } from '../../../src/primitives/block.js';
import { FeeDeltaMempool } from '../../../src/node/fee_delta_mempool.js';
import { checkMaxMempool, feeRateString, MempoolArgsError, readRelayFeeArgs } from '../../../src/node/mempool_args.js';
import { fromUserHex } from '../../../src/node/validation_args.js';

const A = 'ab'.repeat(32);
const B = '01' + 'ff'.repeat(31);

function argsOf(argv: string[]): ArgsManager {
  const args = new ArgsManager();
  args.addHiddenArgs(['-minrelaytxfee=<amt>', '-incrementalrelayfee=<amt>', '-maxmempool=<n>', '-limitclustersize=<n>']);
  args.parseParameters(argv);
  return args;
}

describe('FeeDeltaMempool', () => {
  it('adds deltas up, drops a sum of zero, and logs as Core does', () => {
    const lines: string[] = [];
    const pool = new FeeDeltaMempool((m) => lines.push(m));
    pool.prioritiseTransaction(A, 1000n);
    pool.prioritiseTransaction(A, -250n);
    assert.deepEqual(pool.getPrioritisedTransactions(), [{ txid: A, delta: 750n, inMempool: false }]);
    pool.prioritiseTransaction(A, -750n);
    assert.deepEqual(pool.getPrioritisedTransactions(), []);
    assert.deepEqual(lines, [
      `PrioritiseTransaction: ${A} (not in mempool) fee += 0.00001, new delta=0.00001`,
      `PrioritiseTransaction: ${A} (not in mempool) fee += -0.0000025, new delta=0.0000075`,
      `PrioritiseTransaction: ${A} (not in mempool) delta cleared`,
    ]);
  });

  it('saturates at the int64 range', () => {
    const pool = new FeeDeltaMempool(() => {});
    pool.prioritiseTransaction(A, (1n << 63n) - 1n);
    pool.prioritiseTransaction(A, 5n);
    assert.equal(pool.getPrioritisedTransactions()[0]!.delta, (1n << 63n) - 1n);
  });

  it('lists txids in the order of their bytes, and a connected block clears its transactions\' deltas', () => {
    const pool = new FeeDeltaMempool(() => {});
    pool.prioritiseTransaction(A, 1n);
    pool.prioritiseTransaction(B, 2n);
    // A's bytes start with 0xab (its last display byte), B's with 0xff: A first, though B sorts first as hex.
    assert.deepEqual(pool.getPrioritisedTransactions().map((d) => d.txid), [A, B]);
    const block = { vtx: [{ txidHex: () => B }] } as unknown as Block;
    pool.blockConnected(block);
    assert.deepEqual(pool.getPrioritisedTransactions().map((d) => d.txid), [A]);
  });

  it('holds no transactions: empty templates, nothing found, no updates', () => {
    const pool = new FeeDeltaMempool(() => {});
    pool.prioritiseTransaction(A, 1n);
    assert.equal(pool.startBlockBuilding().next(), undefined);
    assert.equal(pool.get(A), undefined);
    assert.deepEqual([pool.size(), pool.getTransactionsUpdated()], [0, 0]);
  });

  it('counts the updates the chainstate reports (one per new tip, as Core\'s UpdateTip)', () => {
    const pool = new FeeDeltaMempool(() => {});
    pool.addTransactionsUpdated(1);
    pool.addTransactionsUpdated(1);
    pool.prioritiseTransaction(A, 5n);
    assert.equal(pool.getTransactionsUpdated(), 2);
  });
});

describe('readRelayFeeArgs', () => {
  it('defaults to 100 sat/kvB for both, and reads BTC/kvB amounts', () => {
    assert.deepEqual(readRelayFeeArgs(argsOf([]), () => {}), { minRelayFeePerK: 100n, incrementalRelayFeePerK: 100n });
    assert.deepEqual(readRelayFeeArgs(argsOf(['-minrelaytxfee=0.00002', '-incrementalrelayfee=0']), () => {}),
      { minRelayFeePerK: 2000n, incrementalRelayFeePerK: 0n });
  });

  it('raises the minimum to a larger incremental fee when the minimum is not set', () => {
    const lines: string[] = [];
    assert.deepEqual(readRelayFeeArgs(argsOf(['-incrementalrelayfee=0.00005']), (m) => lines.push(m)),
      { minRelayFeePerK: 5000n, incrementalRelayFeePerK: 5000n });
    assert.deepEqual(lines, ['Increasing minrelaytxfee to 0.00005000 BTC/kvB to match incrementalrelayfee']);
    assert.deepEqual(readRelayFeeArgs(argsOf(['-incrementalrelayfee=0.00005', '-minrelaytxfee=0.00001']), () => {}),
      { minRelayFeePerK: 1000n, incrementalRelayFeePerK: 5000n });
  });

  it('refuses a bad amount with Core\'s text', () => {
    assert.throws(() => readRelayFeeArgs(argsOf(['-minrelaytxfee=abc']), () => {}),
      (e: unknown) => e instanceof MempoolArgsError && e.message === "Invalid amount for -minrelaytxfee=<amount>: 'abc'");
    assert.throws(() => readRelayFeeArgs(argsOf(['-incrementalrelayfee=-1']), () => {}),
      (e: unknown) => e instanceof MempoolArgsError && e.message === "Invalid amount for -incrementalrelayfee=<amount>: '-1'");
  });

  it('formats fee rates as CFeeRate::ToString', () => {
    assert.equal(feeRateString(100n), '0.00000100 BTC/kvB');
    assert.equal(feeRateString(123456789012n), '1234.56789012 BTC/kvB');
  });
});

describe('checkMaxMempool', () => {
  it('needs room for 40 clusters of -limitclustersize, or 0 for no pool', () => {
    for (const ok of [[], ['-maxmempool=0'], ['-maxmempool=5'], ['-maxmempool=1', '-limitclustersize=25']]) checkMaxMempool(argsOf(ok));
    for (const [argv, text] of [[['-maxmempool=4'], '-maxmempool must be at least 5 MB'], [['-maxmempool=-1'], '-maxmempool must be at least 5 MB'],
      [['-maxmempool=10', '-limitclustersize=300'], '-maxmempool must be at least 12 MB']] as const) {
      assert.throws(() => checkMaxMempool(argsOf([...argv])), (e: unknown) => e instanceof MempoolArgsError && e.message === text);
    }
  });
});

describe('fromUserHex (-assumevalid, -minimumchainwork)', () => {
  it('takes up to 64 hex digits after an optional 0x, left-padded', () => {
    assert.equal(fromUserHex('0'), '0'.repeat(64));
    assert.equal(fromUserHex(''), '0'.repeat(64));
    assert.equal(fromUserHex('0xAb'), '0'.repeat(62) + 'ab');
    assert.equal(fromUserHex('f'.repeat(64)), 'f'.repeat(64));
    for (const bad of ['zz', '0x' + '1'.repeat(65), '1'.repeat(65), ' 1', '0X1', '-1']) assert.equal(fromUserHex(bad), null, bad);
  });
});
