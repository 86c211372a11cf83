// The node's mining service: block templates with the node-wide options, block submission with Core's BIP22
// outcome, and tip waits. The mining RPCs use it now; the IPC Mining interface's local implementation forwards to
// it next (Core keeps this logic in node/miner.cpp and node/interfaces.cpp's MinerImpl).
import type { Block } from '../primitives/block.js';
import type { BlockValidationState } from '../consensus/validation.js';
import type { BlockIndex } from './chain.js';
import type { ChainstateManagerApi } from './chainstate_api.js';
import type { NodeContext } from './context.js';
import { BlockStatus } from './disk_block_index.js';
import { BlockAssembler, type BlockTemplate, type LastBlockStats } from './miner.js';
import { updateUncommittedBlockStructures } from './miner_commitment.js';
import { hashToHex } from '../util/hex.js';
import type { MiningMempool } from './miner_mempool.js';
import { type BlockCreateOptions, mergeMiningOptions, readMiningArgs } from './miner_options.js';

/** The result of a submitted block, as Core's SubmitBlock reports it. */
export interface SubmitBlockResult {
  accepted: boolean;
  newBlock: boolean;
  /**
   * Why it was not conclusively good: "duplicate", "inconclusive" (stored but not connected, so never checked), or
   * the validation reject reason; empty when it was connected.
   */
  reason: string;
  debug: string;
  /** The verdict, when validation gave one (Core's BlockChecked state). */
  state?: BlockValidationState;
}

export interface MiningServiceOptions {
  /** Absent until the node has a mempool: templates then carry only the coinbase. */
  mempool?: MiningMempool;
  /** The node-wide options (-blockmaxweight, ...); read from the context's args when absent (init checked them). */
  miningArgs?: BlockCreateOptions;
}

export class MiningService {
  /** Figures of the last template, for getmininginfo. */
  readonly lastBlock: LastBlockStats = {};
  readonly mempool: MiningMempool | undefined;
  private readonly miningArgs: BlockCreateOptions;
  /** -blockversion (read once: the arguments do not change while the node runs). */
  private readonly blockVersionOverride: number | undefined;

  constructor(private readonly ctx: NodeContext, opts: MiningServiceOptions = {}) {
    this.mempool = opts.mempool;
    this.miningArgs = opts.miningArgs ?? readMiningArgs(ctx.args);
    const version = ctx.args.getIntArg('-blockversion');
    this.blockVersionOverride = version === undefined ? undefined : Number(BigInt.asIntN(32, version));
  }

  /** The node-wide options with nothing filled in (getmininginfo flattens them). */
  get nodeOptions(): BlockCreateOptions {
    return this.miningArgs;
  }

  private chainman(): ChainstateManagerApi {
    if (!this.ctx.chainman) throw new Error('MiningService: the chainstate is not loaded');
    return this.ctx.chainman;
  }

  /** A template on the active tip; per-call options override the node's. Throws `TestBlockValidity failed: …`. */
  createNewBlock(options: BlockCreateOptions = {}): Promise<BlockTemplate> {
    return this.templateMaker(options)();
  }

  /**
   * Templates with the same options, one per call on the tip of that moment (a mining loop's createNewBlock): the
   * options are merged and checked once, not per block. Throws MiningOptionsError now for bad options.
   */
  templateMaker(options: BlockCreateOptions = {}): () => Promise<BlockTemplate> {
    const assembler = new BlockAssembler({
      chainman: this.chainman(),
      clock: this.ctx.clock,
      mempool: this.mempool,
      blockVersionOverride: this.blockVersionOverride,
      logger: this.ctx.logger,
      lastBlock: this.lastBlock,
    }, mergeMiningOptions(options, this.miningArgs));
    return () => assembler.createNewBlock();
  }

  getTip(): BlockIndex | undefined {
    return this.ctx.chainman?.chain.tip();
  }

  /** Whether the shutdown started (Core's chainman.m_interrupt for mining loops). */
  interrupted(): boolean {
    return this.ctx.shutdown.requested;
  }

  /**
   * Core's SubmitBlock: process the block (forced, proof of work already checked by the caller's decoding) and
   * say what became of it. Validation's verdict counts only when it concerned this block: it failed, or the block
   * was connected (BLOCK_VALID_SCRIPTS); a block stored on a side chain was never checked ("inconclusive").
   */
  async submitBlock(block: Block): Promise<SubmitBlockResult> {
    const chainman = this.chainman();
    const { accepted, newBlock, state } = await chainman.processNewBlock(block, { forceProcessing: true, minPowChecked: true });
    if (!newBlock && accepted) return { accepted, newBlock, reason: 'duplicate', debug: '' };
    const index = chainman.lookupBlockIndex(block.hashHex());
    const checked = !state.isValid() || (index !== undefined && index.isValid(BlockStatus.BLOCK_VALID_SCRIPTS));
    if (!checked) return { accepted, newBlock, reason: 'inconclusive', debug: '' };
    return { accepted, newBlock, reason: state.isValid() ? '' : state.getRejectReason(), debug: state.getDebugMessage(), state };
  }

  /** The witness nonce for a submitted block whose parent is known (submitblock's UpdateUncommittedBlockStructures). */
  completeSubmittedBlock(block: Block): Block {
    const chainman = this.chainman();
    const prev = chainman.lookupBlockIndex(hashToHex(block.header.hashPrevBlock));
    return prev ? updateUncommittedBlockStructures(block, prev, chainman.params.consensus) : block;
  }

  /**
   * Core's WaitTipChanged: resolves with the tip once it is no longer `currentHashHex`, or after `timeoutMs`
   * (the unchanged tip); undefined when the node shuts down.
   */
  waitTipChanged(currentHashHex: string, timeoutMs: number): Promise<BlockIndex | undefined> {
    const chainman = this.chainman();
    return new Promise((resolve) => {
      let done = false;
      const finish = (tip: BlockIndex | undefined): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        unsubscribe();
        resolve(tip);
      };
      const unsubscribe = chainman.onTipChanged((change) => {
        if (change.tip.hashHex !== currentHashHex) finish(change.tip);
      });
      const timer = setTimeout(() => finish(chainman.chain.tip()), Math.max(0, timeoutMs));
      void this.ctx.shutdown.wait().then(() => finish(undefined));
      const tip = chainman.chain.tip();
      if (tip && tip.hashHex !== currentHashHex) finish(tip);
    });
  }
}
