// A small in-memory ChainstateManagerApi for mining tests: a block tree over regtest genesis whose processNewBlock
// runs CheckBlock and the contextual checks (no UTXO set, no scripts) and moves the tip to the most work.
import { checkBlock, checkBlockHeader, contextualCheckBlock, contextualCheckBlockHeader } from '../../src/consensus/block_check.js';
import { BlockValidationResult, BlockValidationState } from '../../src/consensus/validation.js';
import { type ChainParams, createChainParams } from '../../src/kernel/chainparams.js';
import { BlockIndex, Chain } from '../../src/node/chain.js';
import type { ChainstateManagerApi, ProcessBlockResult, TipChange } from '../../src/node/chainstate_api.js';
import { BlockStatus } from '../../src/node/disk_block_index.js';
import type { Block, BlockHeader } from '../../src/primitives/block.js';
import { hashToHex } from '../../src/util/hex.js';
import { NodeClock } from '../../src/util/time.js';

type Unused = 'readBlock' | 'readRawBlock' | 'readBlockUndo' | 'coinsTip' | 'coinsCursor' | 'flush' | 'invalidateBlock'
  | 'reconsiderBlock' | 'preciousBlock' | 'verifyDB' | 'pruneBlockchain' | 'pruneTarget' | 'calculateCurrentUsage'
  | 'coinsDbEstimateSize' | 'registerValidationInterface';

function notInFake(name: string): never {
  throw new Error(`${name} is not part of the fake chainstate`);
}

export class FakeChainman implements Omit<ChainstateManagerApi, Unused> {
  readonly params: ChainParams;
  readonly chain = new Chain();
  readonly blockIndex = new Map<string, BlockIndex>();
  readonly pruneMode = false;
  readonly clock: NodeClock;
  /** Every block processNewBlock stored, by display hash. */
  readonly blocks = new Map<string, Block>();
  ibd = false;
  private sequence = 1;
  private readonly listeners = new Set<(c: TipChange) => void>();

  constructor(clock = new NodeClock(), params = createChainParams('regtest')) {
    this.clock = clock;
    this.params = params;
    const genesis = new BlockIndex(params.genesis.header, undefined);
    genesis.status = BlockStatus.BLOCK_HAVE_DATA | BlockStatus.BLOCK_VALID_SCRIPTS;
    genesis.nTx = 1;
    this.blockIndex.set(genesis.hashHex, genesis);
    this.blocks.set(genesis.hashHex, params.genesis);
    this.chain.setTip(genesis);
  }

  lookupBlockIndex(hashHex: string): BlockIndex | undefined {
    return this.blockIndex.get(hashHex);
  }

  bestHeader(): BlockIndex | undefined {
    let best: BlockIndex | undefined;
    for (const e of this.blockIndex.values()) if (!e.isFailed() && (!best || e.chainWork > best.chainWork)) best = e;
    return best;
  }

  isInitialBlockDownload(): boolean {
    return this.ibd;
  }

  firstStoredHeight(): number {
    return 0;
  }

  /** Header checks against a known parent; adds the header (or finds it) when they pass. */
  private acceptHeader(header: BlockHeader, state: BlockValidationState): BlockIndex | undefined {
    const known = this.blockIndex.get(header.hashHex());
    if (known) {
      if (known.isFailed()) return void state.invalid(BlockValidationResult.BLOCK_CACHED_INVALID, 'duplicate-invalid', 'block is marked invalid');
      return known;
    }
    if (!checkBlockHeader(header, state, this.params.consensus)) return undefined;
    const prev = this.blockIndex.get(hashToHex(header.hashPrevBlock));
    if (!prev) return void state.invalid(BlockValidationResult.BLOCK_MISSING_PREV, 'prev-blk-not-found');
    if (prev.isFailed()) return void state.invalid(BlockValidationResult.BLOCK_INVALID_PREV, 'bad-prevblk');
    if (!contextualCheckBlockHeader(header, state, prev, this.params.consensus, this.clock.now())) return undefined;
    const index = new BlockIndex(header, prev);
    index.raiseValidity(BlockStatus.BLOCK_VALID_TREE);
    this.blockIndex.set(index.hashHex, index);
    return index;
  }

  processNewBlockHeaders(headers: readonly BlockHeader[]): BlockValidationState {
    const state = new BlockValidationState();
    for (const h of headers) if (!this.acceptHeader(h, state)) break;
    return state;
  }

  async processNewBlock(block: Block): Promise<ProcessBlockResult> {
    const state = new BlockValidationState();
    const known = this.blockIndex.get(block.hashHex());
    if (known?.haveData() && !known.isFailed()) return { accepted: true, newBlock: false, state };
    const index = this.acceptHeader(block.header, state);
    if (!index) return { accepted: false, newBlock: false, state };
    if (!checkBlock(block, state, this.params.consensus) || !contextualCheckBlock(block, state, index.prev, this.params.consensus)) {
      index.status |= BlockStatus.BLOCK_FAILED_VALID;
      return { accepted: false, newBlock: false, state };
    }
    index.status |= BlockStatus.BLOCK_HAVE_DATA;
    index.nTx = block.vtx.length;
    index.sequenceId = this.sequence++;
    this.blocks.set(index.hashHex, block);
    if (index.chainWork > this.chain.tip()!.chainWork) {
      // No UTXO set here: "connecting" is the contextual checks already done.
      index.raiseValidity(BlockStatus.BLOCK_VALID_SCRIPTS);
      this.chain.setTip(index);
      for (const cb of this.listeners) cb({ tip: index, initialDownload: this.ibd });
    }
    return { accepted: true, newBlock: true, state };
  }

  async testBlockValidity(block: Block, opts: { checkPow: boolean; checkMerkleRoot: boolean }): Promise<BlockValidationState> {
    const state = new BlockValidationState();
    const tip = this.chain.tip()!;
    if (hashToHex(block.header.hashPrevBlock) !== tip.hashHex) {
      state.invalid(BlockValidationResult.BLOCK_CONSENSUS, 'inconclusive-not-best-prevblk');
      return state;
    }
    if (!contextualCheckBlockHeader(block.header, state, tip, this.params.consensus, this.clock.now())) return state;
    if (!checkBlock(block, state, this.params.consensus, opts)) return state;
    contextualCheckBlock(block, state, tip, this.params.consensus);
    return state;
  }

  chainTips(): BlockIndex[] {
    return [this.chain.tip()!];
  }

  onTipChanged(cb: (change: TipChange) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  async syncWithValidationInterfaceQueue(): Promise<void> {}

  readBlock(): never {
    return notInFake('readBlock');
  }
}

/** The fake as the full interface (the methods mining never calls throw). */
export function fakeChainman(clock?: NodeClock, params?: ChainParams): FakeChainman & ChainstateManagerApi {
  const fake = new FakeChainman(clock, params);
  const unused: Unused[] = ['readRawBlock', 'readBlockUndo', 'coinsTip', 'coinsCursor', 'flush', 'invalidateBlock', 'reconsiderBlock',
    'preciousBlock', 'verifyDB', 'pruneBlockchain', 'pruneTarget', 'calculateCurrentUsage'];
  for (const name of unused) Object.defineProperty(fake, name, { value: () => notInFake(name) });
  return fake as FakeChainman & ChainstateManagerApi;
}
