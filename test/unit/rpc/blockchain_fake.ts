// A ChainstateManagerApi over an in-memory block tree for the blockchain RPC and REST tests: blocks built
// here (coinbase with the BIP34 height, optional spends), a coins map, undo data, tip notifications.
import { BlockValidationResult, BlockValidationState } from '../../../src/consensus/validation.js';
import { blockMerkleRoot } from '../../../src/consensus/merkle.js';
import { createChainParams, type ChainParams } from '../../../src/kernel/chainparams.js';
import { BlockIndex, Chain } from '../../../src/node/chain.js';
import type {
  ChainstateManagerApi, CoinsReader, ProcessBlockResult, TipChange,
} from '../../../src/node/chainstate_api.js';
import type { Coin } from '../../../src/node/coin.js';
import { BlockStatus } from '../../../src/node/disk_block_index.js';
import type { BlockUndo } from '../../../src/node/undo.js';
import { Block, BlockHeader } from '../../../src/primitives/block.js';
import { MutableTransaction, OutPoint, type Transaction } from '../../../src/primitives/transaction.js';
import { ScriptBuilder } from '../../../src/script/script.js';
import { hexToBytes } from '../../../src/util/hex.js';
import assert from 'node:assert/strict';
import { ArgsManager } from '../../../src/common/args.js';
import { ShutdownSignal, type NodeContext } from '../../../src/node/context.js';
import { RPCError, RPCErrorCode, RPCTypeError } from '../../../src/rpc/protocol.js';
import { RPCTable } from '../../../src/rpc/server.js';
import { Logger } from '../../../src/util/logging.js';
import { NodeClock } from '../../../src/util/time.js';

/** Pay-to-anchor: a standard output with a known regtest address (bcrt1pfeesnyr2tx). */
export const P2A = hexToBytes('51024e73');
const HAVE_ALL = BlockStatus.BLOCK_HAVE_DATA | BlockStatus.BLOCK_HAVE_UNDO | BlockStatus.BLOCK_VALID_SCRIPTS;

export function coinbaseTx(height: number, value = 5_000_000_000n, script: Uint8Array = P2A): Transaction {
  return new MutableTransaction({ version: 2 })
    .addInput(new OutPoint(), new ScriptBuilder().pushInt(height).pushInt(0).build())
    .addOutput(value, script)
    .toTransaction();
}

export function makeBlock(prev: BlockIndex, txs: Transaction[], time = prev.time + 600, version = 0x20000000): Block {
  const vtx = [coinbaseTx(prev.height + 1), ...txs];
  const header = new BlockHeader({
    version, hashPrevBlock: prev.hash, hashMerkleRoot: blockMerkleRoot(vtx.map((t) => t.txid)).root,
    time, bits: prev.bits, nonce: prev.height,
  });
  return new Block(header, vtx);
}

export class FakeChainman implements ChainstateManagerApi {
  readonly params: ChainParams;
  readonly chain = new Chain();
  readonly blockIndex = new Map<string, BlockIndex>();
  readonly blocks = new Map<string, Block>();
  readonly undos = new Map<string, BlockUndo>();
  readonly coins = new Map<string, Coin>();
  pruneMode = false;
  prunedBelow = 0;
  ibd = false;
  usage = 12345;
  target: number | undefined = undefined;
  calls: string[] = [];
  private readonly listeners = new Set<(c: TipChange) => void>();

  /** nVersion of the blocks mine() makes. */
  blockVersion = 0x20000000;

  constructor(chain: string | ChainParams = 'regtest') {
    this.params = typeof chain === 'string' ? createChainParams(chain) : chain;
    const genesis = this.add(this.params.genesis, undefined);
    this.chain.setTip(genesis);
  }

  /** Stores a block with data, undo (with the given spent coins) and a VALID_SCRIPTS status. */
  add(block: Block, prev: BlockIndex | undefined, spent: Coin[][] = block.vtx.slice(1).map((tx) => tx.vin.map(() => undefined as never))): BlockIndex {
    const index = new BlockIndex(block.header, prev);
    index.status = prev ? HAVE_ALL : BlockStatus.BLOCK_HAVE_DATA | BlockStatus.BLOCK_VALID_SCRIPTS;
    index.nTx = block.vtx.length;
    index.chainTx = (prev?.chainTx ?? 0) + index.nTx;
    this.blockIndex.set(index.hashHex, index);
    this.blocks.set(index.hashHex, block);
    if (prev) this.undos.set(index.hashHex, { vtxundo: spent });
    return index;
  }

  /** Extends the active chain by one block and connects its outputs to the coins map. */
  mine(txs: Transaction[] = [], spent?: Coin[][]): BlockIndex {
    const tip = this.chain.tip()!;
    const block = makeBlock(tip, txs, tip.time + 600, this.blockVersion);
    const index = this.add(block, tip, spent);
    block.vtx.forEach((tx, i) => tx.vout.forEach((out, n) => {
      this.coins.set(new OutPoint(tx.txid, n).key(), { out, height: index.height, coinbase: i === 0 });
    }));
    this.setTip(index);
    return index;
  }

  setTip(index: BlockIndex): void {
    this.chain.setTip(index);
    for (const l of this.listeners) l({ tip: index, initialDownload: this.ibd });
  }

  lookupBlockIndex(hashHex: string): BlockIndex | undefined {
    return this.blockIndex.get(hashHex);
  }
  bestHeader(): BlockIndex | undefined {
    let best: BlockIndex | undefined;
    for (const i of this.blockIndex.values()) if (!i.isFailed() && (!best || i.chainWork > best.chainWork)) best = i;
    return best;
  }
  isInitialBlockDownload(): boolean {
    return this.ibd;
  }
  firstStoredHeight(): number {
    return this.prunedBelow;
  }
  pruneTarget(): number | undefined {
    return this.target;
  }
  calculateCurrentUsage(): number {
    return this.usage;
  }
  processNewBlock(): Promise<ProcessBlockResult> {
    throw new Error('not used by these tests');
  }
  processNewBlockHeaders(): BlockValidationState {
    throw new Error('not used by these tests');
  }
  testBlockValidity(): Promise<BlockValidationState> {
    throw new Error('not used by these tests');
  }
  readBlock(index: BlockIndex): Block {
    return Block.fromBytes(this.readRawBlock(index));
  }
  readRawBlock(index: BlockIndex): Uint8Array {
    const block = this.blocks.get(index.hashHex);
    if (!index.haveData()) throw new Error(this.pruneMode ? 'Block not available (pruned data)' : 'Block not found on disk');
    if (block === undefined) throw new Error('Block not found on disk');
    return block.toBytes();
  }
  readBlockUndo(index: BlockIndex): BlockUndo {
    const undo = this.undos.get(index.hashHex);
    if (undo === undefined) throw new Error('Undo data not found');
    return undo;
  }
  coinsTip(): CoinsReader {
    const coins = this.coins;
    const tip = this.chain.tip()!;
    return {
      getCoin: (o) => coins.get(o.key()),
      haveCoin: (o) => coins.has(o.key()),
      getBestBlock: () => tip.hash,
    };
  }
  *coinsCursor(): Iterable<[OutPoint, Coin]> {
    throw new Error('not used by these tests');
  }
  coinsDbEstimateSize(): number {
    throw new Error('not used by these tests');
  }
  flush(): void {
    this.calls.push('flush');
  }
  async invalidateBlock(index: BlockIndex): Promise<BlockValidationState> {
    this.calls.push(`invalidate ${index.height}`);
    const state = new BlockValidationState();
    if (index.height === 0) {
      state.invalid(BlockValidationResult.BLOCK_CACHED_INVALID, 'genesis-invalidate', 'the genesis block cannot be invalidated');
      return state;
    }
    index.status |= BlockStatus.BLOCK_FAILED_VALID;
    if (this.chain.contains(index)) this.setTip(index.prev!);
    return state;
  }
  async reconsiderBlock(index: BlockIndex): Promise<void> {
    this.calls.push(`reconsider ${index.height}`);
    index.status &= ~BlockStatus.BLOCK_FAILED_VALID;
  }
  async preciousBlock(index: BlockIndex): Promise<BlockValidationState> {
    this.calls.push(`precious ${index.height}`);
    return new BlockValidationState();
  }
  async verifyDB(level: number, depth: number): Promise<boolean> {
    this.calls.push(`verify ${level} ${depth}`);
    return level !== 4;
  }
  pruneBlockchain(height: number): number {
    this.calls.push(`prune ${height}`);
    return height;
  }
  chainTips(): BlockIndex[] {
    return [];
  }
  onTipChanged(cb: (change: TipChange) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }
  registerValidationInterface(): () => void {
    return () => {};
  }
  async syncWithValidationInterfaceQueue(): Promise<void> {
    this.calls.push('sync');
  }
}

/** A node context around the fake chainstate (warm-up still on in its table). */
export function makeContext(chainman?: FakeChainman): NodeContext {
  const params = chainman?.params;
  return {
    args: new ArgsManager(), logger: new Logger(), chainParams: params!, clock: new NodeClock(), shutdown: new ShutdownSignal(),
    rpcTable: new RPCTable(), startTime: 0, chainman,
  };
}

/** The RPC error a call ends in, as the dispatcher maps exceptions. */
export async function rpcError(f: () => unknown): Promise<{ code: number; message: string }> {
  try {
    await f();
  } catch (e) {
    if (e instanceof RPCError) return { code: e.code, message: e.message };
    if (e instanceof RPCTypeError) return { code: RPCErrorCode.RPC_TYPE_ERROR, message: e.message };
    if (e instanceof Error) return { code: RPCErrorCode.RPC_MISC_ERROR, message: e.message };
  }
  assert.fail('no error');
}

