// Building small regtest chains for the chainstate tests: blocks mined against regtest's trivial target, a minimal
// block connector (UpdateCoins and its undo, no script or amount checks), and opening a datadir.
import { checkProofOfWork } from '../../../src/consensus/pow.js';
import { blockMerkleRoot } from '../../../src/consensus/merkle.js';
import { BlockValidationResult } from '../../../src/consensus/validation.js';
import { createChainParams } from '../../../src/kernel/chainparams.js';
import { importBlocks } from '../../../src/node/blockstorage_import.js';
import { loadChainstate, type LoadChainstateOptions } from '../../../src/node/chainstate_load.js';
import type { BlockIndex } from '../../../src/node/chain.js';
import type { Coin } from '../../../src/node/coin.js';
import type { BlockConnector, ChainstateManager } from '../../../src/node/validation.js';
import { Block, BlockHeader } from '../../../src/primitives/block.js';
import { MutableTransaction, OutPoint, Transaction, TxOut } from '../../../src/primitives/transaction.js';
import { isUnspendable, pushIntBytes } from '../../../src/script/script.js';
import { Logger } from '../../../src/util/logging.js';
import { NodeClock } from '../../../src/util/time.js';

export const params = createChainParams('regtest');
export const OP_TRUE = Uint8Array.of(0x51);

/** A coinbase paying 50 coins to OP_TRUE; `tag` makes sibling blocks differ. */
export function coinbase(height: number, tag = 0, value = 5_000_000_000n): Transaction {
  return new MutableTransaction()
    .addInput(new OutPoint(), Uint8Array.from([...pushIntBytes(height), 0x01, tag]))
    .addOutput(value, OP_TRUE)
    .toTransaction();
}

/** The same inputs and witnesses with one satoshi less in the first output: every signature is now wrong. */
export function tamper(tx: Transaction): Transaction {
  const vout = tx.vout.map((o, i) => (i === 0 ? new TxOut(o.value - 1n, o.scriptPubKey) : o));
  return new Transaction({ version: tx.version, vin: tx.vin, vout, lockTime: tx.lockTime });
}

/** A transaction spending `prevouts` into one OP_TRUE output per entry of `values`. */
export function spend(prevouts: OutPoint[], values: bigint[]): Transaction {
  const tx = new MutableTransaction();
  for (const p of prevouts) tx.addInput(p);
  for (const v of values) tx.addOutput(v, OP_TRUE);
  return tx.toTransaction();
}

/** A block on `prev` with a solved nonce. */
export function mineBlock(prev: { hash: Uint8Array; height: number; time: number }, opts: { tag?: number; txs?: Transaction[]; time?: number; value?: bigint } = {}): Block {
  const vtx = [coinbase(prev.height + 1, opts.tag ?? 0, opts.value), ...(opts.txs ?? [])];
  const merkle = blockMerkleRoot(vtx.map((t) => t.txid)).root;
  for (let nonce = 0; ; nonce++) {
    const header = new BlockHeader({
      version: 0x20000000, hashPrevBlock: prev.hash, hashMerkleRoot: merkle, time: opts.time ?? prev.time + 1, bits: 0x207fffff, nonce,
    });
    if (checkProofOfWork(header.hash, header.bits, params.consensus)) return new Block(header, vtx);
  }
}

/** ConnectBlock reduced to UpdateCoins: inputs must exist; the undo data is what they spent. */
export const testConnector: BlockConnector = {
  connectBlock(block, index, view, state) {
    const vtxundo: Coin[][] = [];
    for (const [i, tx] of block.vtx.entries()) {
      if (i > 0) {
        const spent: Coin[] = [];
        for (const input of tx.vin) {
          const coin = view.spendCoin(input.prevout);
          if (!coin) {
            state.invalid(BlockValidationResult.BLOCK_CONSENSUS, 'bad-txns-inputs-missingorspent', 'ConnectBlock(): inputs missing/spent');
            return undefined;
          }
          spent.push(coin);
        }
        vtxundo.push(spent);
      }
      tx.vout.forEach((out, n) => view.addCoin(new OutPoint(tx.txid, n), { out, height: index.height, coinbase: i === 0 }, i === 0));
    }
    return { vtxundo };
  },
  disconnectBlock(block, _index, undo, view) {
    let clean = true;
    for (let i = block.vtx.length - 1; i >= 0; i--) {
      const tx = block.vtx[i]!;
      tx.vout.forEach((out, n) => {
        if (!isUnspendable(out.scriptPubKey) && !view.spendCoin(new OutPoint(tx.txid, n))) clean = false;
      });
      if (i === 0) continue;
      tx.vin.forEach((input, j) => {
        if (view.haveCoin(input.prevout)) clean = false;
        view.addCoin(input.prevout, undo.vtxundo[i - 1]![j]!, true);
      });
    }
    return clean ? 'ok' : 'unclean';
  },
};

/** A logger whose lines (without timestamps) are kept for assertions. */
export function testLogger(): { logger: Logger; lines: string[] } {
  const logger = new Logger();
  const lines: string[] = [];
  logger.logTimestamps = false;
  logger.pushBackCallback((line) => lines.push(line.replace(/\n$/, '')));
  logger.startLogging();
  return { logger, lines };
}

/** A clock a little after the regtest genesis block, so tests control what counts as recent. */
export function testClock(): NodeClock {
  const clock = new NodeClock();
  clock.setMockTime(params.genesis.header.time + 1000);
  return clock;
}

/** Opens a datadir as init does: load, then import (reindex) and activate the best chain. */
export async function open(dataDir: string, over: Partial<LoadChainstateOptions> = {}): Promise<ChainstateManager> {
  const cm = loadChainstate({
    dataDir, params, clock: testClock(), logger: testLogger().logger, connector: testConnector, dbCacheBytes: 16 << 20, pruneTarget: 0,
    fastPrune: false, useXor: true, reindex: false, reindexChainstate: false, ...over,
  });
  await importBlocks(cm);
  return cm;
}

/** Mines `n` blocks on the tip through processNewBlock; returns them. */
export async function extend(cm: ChainstateManager, n: number, tag = 0, from?: BlockIndex): Promise<Block[]> {
  const blocks: Block[] = [];
  let prev: { hash: Uint8Array; height: number; time: number } = from ?? cm.chain.tip()!;
  for (let i = 0; i < n; i++) {
    const block = mineBlock(prev, { tag });
    const r = await cm.processNewBlock(block, { forceProcessing: true, minPowChecked: true });
    if (!r.accepted) throw new Error(`block refused: ${r.state.toString()}`);
    blocks.push(block);
    prev = { hash: block.hash, height: prev.height + 1, time: block.header.time };
  }
  return blocks;
}

/** Every coin of the chainstate database as "txid:n=value". */
export function coinSet(cm: ChainstateManager): string[] {
  return [...cm.coinsCursor()].map(([o, c]) => `${o.key()}=${c.out.value}`).sort();
}
