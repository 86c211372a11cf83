// A ChainstateManagerApi over Core's regtest datadir (a scratch copy): BlockManager for the index, blocks and undo
// data, CoinsViewDB for the coins. Only what the coin-statistics RPCs use; anything else is a test bug and throws.
import path from 'node:path';
import { ArgsFlags, ArgsManager } from '../../../src/common/args.js';
import { type ChainParams, createChainParams } from '../../../src/kernel/chainparams.js';
import { BlockManager } from '../../../src/node/blockstorage.js';
import { Chain } from '../../../src/node/chain.js';
import type { ChainstateManagerApi } from '../../../src/node/chainstate_api.js';
import { type NodeContext, ShutdownSignal } from '../../../src/node/context.js';
import { CoinsViewDB } from '../../../src/node/txdb.js';
import { RPCTable } from '../../../src/rpc/server.js';
import { hashToHex } from '../../../src/util/hex.js';
import { testLogger } from './chain_helpers.js';
import { copyCoreRegtest } from './helpers.js';

export interface FixtureNode {
  ctx: NodeContext;
  chainman: ChainstateManagerApi;
  datadir: string;
  /** The node's log lines. */
  lines: string[];
  /** One entry per coins cursor taken: whether it flushed first. */
  cursorFlushes: boolean[];
  close: () => void;
}

const USED = new Set(['params', 'chain', 'blockIndex', 'lookupBlockIndex', 'readBlock', 'readBlockUndo', 'coinsTip', 'coinsCursor', 'coinsDbEstimateSize']);

/** Opens the copy in `dir` (the -datadir, with regtest/ in it); the active chain is the one the coins are at. */
export function openFixtureNode(dir: string): FixtureNode {
  const datadir = copyCoreRegtest(dir);
  const params: ChainParams = createChainParams('regtest');
  const blockman = new BlockManager({
    blocksDir: path.join(datadir, 'blocks'), params, indexCacheBytes: 1 << 20, useXor: true, fastPrune: false, pruneTarget: 0, wipe: false, log: () => {},
  });
  const coins = new CoinsViewDB({ path: path.join(datadir, 'chainstate'), cacheBytes: 1 << 20, obfuscate: true });
  blockman.loadBlockIndexDB();
  const chain = new Chain();
  const cursorFlushes: boolean[] = [];
  chain.setTip(blockman.lookup(hashToHex(coins.getBestBlock())));
  const impl: Partial<ChainstateManagerApi> = {
    params,
    chain,
    blockIndex: blockman.blockIndex,
    lookupBlockIndex: (h) => blockman.lookup(h),
    readBlock: (i) => blockman.readBlock(i),
    readBlockUndo: (i) => blockman.readBlockUndo(i),
    coinsTip: () => coins,
    coinsCursor: (opts) => {
      cursorFlushes.push(opts?.flush ?? true);
      return coins.cursor();
    },
    coinsDbEstimateSize: () => coins.estimateSize(),
  };
  const chainman = new Proxy(impl, {
    get(target, prop) {
      if (typeof prop === 'string' && !USED.has(prop)) throw new Error(`fixture chainman has no ${prop}`);
      return target[prop as keyof ChainstateManagerApi];
    },
  }) as ChainstateManagerApi;
  const args = new ArgsManager();
  args.setDefaultFlags(ArgsFlags.ALLOW_ANY);
  args.parseParameters([`-datadir=${dir}`]);
  args.selectConfigNetwork('regtest');
  const { logger, lines } = testLogger();
  const ctx = { chainman, chainParams: params, shutdown: new ShutdownSignal(), args, rpcTable: new RPCTable(), logger } as unknown as NodeContext;
  return { ctx, chainman, datadir, lines, cursorFlushes, close: () => { blockman.close(); coins.close(); } };
}
