// The chainstate manager with the real block connection (connect_block.ts) on the datadir Core wrote: the tip and
// chain tips Core reported, VerifyDB at level 4 (disconnecting and reconnecting Core's blocks, scripts included), and
// a new block on top that survives a restart.
import assert from 'node:assert/strict';
import { ArgsFlags, ArgsManager, OptionsCategory } from '../../../src/common/args.js';
import { loadChainstate, startChainstate } from '../../../src/node/chainstate_load.js';
import { chainstateOptionsFromArgs } from '../../../src/node/validation_args.js';
import { importBlocks } from '../../../src/node/blockstorage_import.js';
import type { ChainstateManager } from '../../../src/node/validation.js';
import { NodeClock } from '../../../src/util/time.js';
import { readTestJson } from '../util/paths.js';
import { suiteTempDirs } from '../wrapper/temp_dirs.js';
import { mineBlock, params, testLogger } from './chain_helpers.js';
import { copyCoreRegtest } from './helpers.js';

interface Expected {
  getblockchaininfo: { bestblockhash: string; blocks: number };
  getchaintips: { hash: string; height: number; status: string }[];
  gettxoutsetinfo_muhash: { txouts: number };
  mocktime_end: number;
}

const expected = readTestJson<Expected>('core-regtest/expected.json');

describe('node/chainstate on Core\'s regtest datadir', () => {
  const tempDir = suiteTempDirs('smithcoin-chainstate-core-');
  let cm: ChainstateManager | undefined;
  afterEach(() => {
    cm?.close();
    cm = undefined;
  });

  async function openFixture(dataDir: string): Promise<{ cm: ChainstateManager; lines: string[] }> {
    const { logger, lines } = testLogger();
    const clock = new NodeClock();
    clock.setMockTime(expected.mocktime_end + 60);
    const opened = loadChainstate({
      dataDir, params, clock, logger, dbCacheBytes: 32 << 20, pruneTarget: 0, fastPrune: false, useXor: true, reindex: false, reindexChainstate: false,
    });
    await importBlocks(opened);
    return { cm: opened, lines };
  }

  it('loads Core\'s tip, chain tips and coins, and passes VerifyDB at level 4', async () => {
    const dir = copyCoreRegtest(tempDir());
    const opened = await openFixture(dir);
    cm = opened.cm;
    assert.equal(cm.chain.tip()!.hashHex, expected.getblockchaininfo.bestblockhash);
    assert.equal(cm.chain.height(), expected.getblockchaininfo.blocks);
    assert.equal(cm.bestHeader(), cm.chain.tip());
    assert.deepEqual(cm.chainTips().map((t) => `${t.hashHex}:${t.height}`).sort(), expected.getchaintips.map((t) => `${t.hash}:${t.height}`).sort());
    assert.equal(cm.isInitialBlockDownload(), false);
    assert.ok(opened.lines.some((l) => l.startsWith(`Loaded best chain: hashBestChain=${expected.getblockchaininfo.bestblockhash} height=318 date=2026-01-0`)), opened.lines.join('\n'));
    assert.equal(await cm.verifyDB(4, 30), true);
    assert.ok(opened.lines.includes('Verifying last 30 blocks at level 4'), opened.lines.join('\n'));
    assert.ok(opened.lines.some((l) => /^Verification: no coin database inconsistencies \(\d+ transactions\)$/.test(l)));
    assert.equal([...cm.coinsCursor()].length, expected.gettxoutsetinfo_muhash.txouts);
  });

  function argsFor(dir: string, extra: string[]): ArgsManager {
    const args = new ArgsManager({ log: { info: () => {}, warning: () => {} } });
    for (const name of ['-datadir', '-regtest', '-dbcache', '-prune', '-reindex', '-reindex-chainstate', '-checkblocks', '-checklevel', '-assumevalid', '-loadblock', '-blocksdir']) {
      args.addArg(name, '', ArgsFlags.ALLOW_ANY, OptionsCategory.OPTIONS);
    }
    args.parseParameters([`-datadir=${dir}`, '-regtest', ...extra]);
    args.selectConfigNetwork(args.getChainTypeString());
    return args;
  }

  it('starts from the command line as init does: load, VerifyDB, then import', async () => {
    const dir = tempDir();
    copyCoreRegtest(dir);
    const { logger, lines } = testLogger();
    const clock = new NodeClock();
    clock.setMockTime(expected.mocktime_end + 60);
    const opts = chainstateOptionsFromArgs(argsFor(dir, ['-dbcache=8', '-checkblocks=3', '-checklevel=4']), { params, clock, logger });
    assert.equal(opts.dbCacheBytes, 8 << 20);
    const started = await startChainstate(opts);
    cm = started.chainman;
    await started.imported;
    assert.equal(cm.chain.tip()!.hashHex, expected.getblockchaininfo.bestblockhash);
    assert.ok(lines.includes('Verifying last 3 blocks at level 4'), lines.join('\n'));
    assert.throws(() => chainstateOptionsFromArgs(argsFor(dir, ['-prune=1', '-reindex-chainstate']), { params, clock, logger }),
      { message: 'Prune mode is incompatible with -reindex-chainstate. Use full -reindex instead.' });
    assert.throws(() => chainstateOptionsFromArgs(argsFor(dir, ['-prune=100']), { params, clock, logger }),
      { message: 'Prune configured below the minimum of 550 MiB.  Please use a higher number.' });
  });

  it('connects a new block on Core\'s tip, refuses one paying too much, and keeps it across a restart', async () => {
    const dir = copyCoreRegtest(tempDir());
    const opened = await openFixture(dir);
    cm = opened.cm;
    const tip = cm.chain.tip()!;
    const greedy = mineBlock(tip, { value: 5_000_000_000n });
    const refused = await cm.processNewBlock(greedy, { forceProcessing: true, minPowChecked: true });
    assert.equal(refused.state.getRejectReason(), 'bad-cb-amount');
    // Core's LogError: the line carries the [error] level.
    assert.ok(opened.lines.some((l) => l.startsWith(`[error] ConnectTip: ConnectBlock ${greedy.header.hashHex()} failed, bad-cb-amount`)), opened.lines.join('\n'));
    assert.equal(cm.chain.tip(), tip);
    const block = mineBlock(tip, { value: 1_250_000_000n, tag: 1 });
    const r = await cm.processNewBlock(block, { forceProcessing: true, minPowChecked: true });
    assert.equal(r.state.isValid(), true, r.state.toString());
    assert.equal(cm.chain.height(), 319);
    assert.equal((await cm.testBlockValidity(mineBlock(cm.chain.tip()!, { value: 1n }), { checkPow: false, checkMerkleRoot: true })).isValid(), true);
    cm.close();
    cm = (await openFixture(dir)).cm;
    assert.equal(cm.chain.tip()!.hashHex, block.header.hashHex());
    assert.equal([...cm.coinsCursor()].length, expected.gettxoutsetinfo_muhash.txouts + 1);
  });
});
