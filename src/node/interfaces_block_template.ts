// One block template handed to a miner (Core's node/interfaces.cpp BlockTemplateImpl): the template's fields in wire
// form, submitSolution on the template's own block, and waitNext for a better one.
import { merkleRootOfBlock } from '../consensus/block_check.js';
import { computeMerklePath } from '../consensus/merkle.js';
import type { BlockTemplate, BlockWaitOptions, CoinbaseTx } from '../interfaces/mining.js';
import { Block } from '../primitives/block.js';
import { Transaction } from '../primitives/transaction.js';
import { ByteWriter } from '../util/serialize.js';
import { headerWith } from './miner_commitment.js';
import type { BlockTemplate as NodeBlockTemplate } from './miner.js';
import type { BlockCreateOptions } from './miner_options.js';
import { type MiningDeps, readData } from './interfaces_mining.js';
import { type InterruptFlag, type WaitEnv, waitAndCreateNewBlock } from './interfaces_wait.js';
import { MAX_MONEY } from '../consensus/amount.js';

/**
 * Core's AddMerkleRootAndCoinbase: the block with `coinbase` first, the miner's version, time and nonce, and the
 * merkle root recomputed.
 */
export function addMerkleRootAndCoinbase(block: Block, coinbase: Transaction, version: number, timestamp: number, nonce: number): Block {
  const vtx = block.vtx.length === 0 ? [coinbase] : [coinbase, ...block.vtx.slice(1)];
  const withTxs = new Block(headerWith(block.header, { version: version | 0, time: timestamp, nonce }), vtx);
  return new Block(headerWith(withTxs.header, { hashMerkleRoot: merkleRootOfBlock(withTxs).root }), vtx);
}

export class BlockTemplateImpl implements BlockTemplate {
  /** Core's m_interrupt_wait. */
  private readonly interruptWaitFlag: InterruptFlag = { set: false };
  /** The template's block; submitSolution replaces it (Core mutates the template in place). */
  private block: Block;

  constructor(
    private readonly env: WaitEnv,
    private readonly deps: MiningDeps,
    /** The per-template options, for the templates waitNext makes. */
    private readonly createOptions: BlockCreateOptions,
    private readonly template: NodeBlockTemplate,
  ) {
    this.block = template.block;
  }

  /** Nothing to free by hand: the template goes with this object. */
  async destroy(): Promise<void> {}

  async getBlockHeader(): Promise<Uint8Array> {
    const w = new ByteWriter(80);
    this.block.header.write(w);
    return w.toBytes();
  }

  async getBlock(): Promise<Uint8Array> {
    return this.block.toBytes(true);
  }

  async getTxFees(): Promise<bigint[]> {
    return [...this.template.txFees];
  }

  async getTxSigops(): Promise<bigint[]> {
    return this.template.txSigOpsCost.map((n) => BigInt(n));
  }

  async getCoinbaseTx(): Promise<CoinbaseTx> {
    const c = this.template.coinbaseTx;
    return {
      version: c.version,
      sequence: c.sequence,
      scriptSigPrefix: c.scriptSigPrefix,
      witness: c.witness ?? new Uint8Array(0),
      blockRewardRemaining: c.blockRewardRemaining,
      requiredOutputs: c.requiredOutputs.map((out) => {
        const w = new ByteWriter(out.scriptPubKey.length + 9);
        out.write(w);
        return w.toBytes();
      }),
      lockTime: c.lockTime,
    };
  }

  async getCoinbaseMerklePath(): Promise<Uint8Array[]> {
    return computeMerklePath(this.block.vtx.map((tx) => tx.txid), 0);
  }

  async submitSolution(version: number, timestamp: number, nonce: number, coinbase: Uint8Array): Promise<boolean> {
    // Empty Data is how a null transaction travels (Core's CTransactionRef reader).
    if (coinbase.length === 0) return false;
    const tx = readData(coinbase, (r) => Transaction.read(r));
    this.block = addMerkleRootAndCoinbase(this.block, tx, version, timestamp, nonce);
    // Processed counts, duplicates included: the pool and the miner may both submit it.
    return (await this.deps.service.submitBlock(this.block)).accepted;
  }

  async waitNext(options: BlockWaitOptions): Promise<BlockTemplate | null> {
    const next = await waitAndCreateNewBlock(this.env, this.template, () => this.deps.service.createNewBlock(this.createOptions), {
      timeoutMs: options.timeout ?? Number.MAX_VALUE,
      feeThreshold: options.feeThreshold ?? MAX_MONEY,
    }, this.interruptWaitFlag, this.deps.callSignal?.());
    return next ? new BlockTemplateImpl(this.env, this.deps, this.createOptions, next) : null;
  }

  async interruptWait(): Promise<void> {
    this.interruptWaitFlag.set = true;
    this.env.notifier.notifyAll();
  }
}
