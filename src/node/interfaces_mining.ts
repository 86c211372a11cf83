// The node's Mining interface (Core's node/interfaces.cpp MinerImpl): forwards to the MiningService (templates and
// submission), the chainstate and the mining waits; IPC serves it to external miners.
import type { BlockTemplate, BlockCheckOptions, BlockCreateOptions, BlockRef, CheckResult, Mining } from '../interfaces/mining.js';
import { Block } from '../primitives/block.js';
import type { Transaction } from '../primitives/transaction.js';
import { hashToHex } from '../util/hex.js';
import { ByteReader, SerializationError } from '../util/serialize.js';
import type { BlockIndex } from './chain.js';
import type { ChainstateManagerApi } from './chainstate_api.js';
import type { NodeContext } from './context.js';
import { BlockTemplateImpl } from './interfaces_block_template.js';
import {
  type InterruptFlag, type WaitEnv, cooldownIfHeadersAhead, tipNotifierOf, waitTipChanged,
} from './interfaces_wait.js';
import type { MiningService } from './miner_service.js';
import type { BlockCreateOptions as NodeCreateOptions } from './miner_options.js';

/** How long each IBD check of createNewBlock's cooldown waits for a new tip. */
const IBD_COOLDOWN_POLL_MS = 1000;

/** Mempool lookups by id (display hex); the seam the mempool fills in. */
export interface MempoolTxLookup {
  getByTxid(txidHex: string): Transaction | undefined;
  getByWtxid(wtxidHex: string): Transaction | undefined;
}

/** What the interface objects of one node share. */
export interface MiningDeps {
  service: MiningService;
  /** Absent until the node has a mempool: the lookups then return nothing, as Core's without m_node.mempool. */
  mempool?: MempoolTxLookup;
  /**
   * The AbortSignal of the IPC call being entered, if any (read at the start of a method): a wait ends with its
   * reason when the client disconnects or cancels.
   */
  callSignal?: () => AbortSignal | undefined;
}

export function blockRef(index: BlockIndex): BlockRef {
  return { hash: index.hash, height: index.height };
}

/**
 * Decodes IPC Data with `read`. Core's deserializers throw std::ios_base::failure and libmultiprocess sends its
 * what(), to which libstdc++ adds ": iostream error": the same text here, for clients that match Core's.
 */
export function readData<T>(bytes: Uint8Array, read: (r: ByteReader) => T): T {
  try {
    return read(new ByteReader(bytes));
  } catch (e) {
    if (e instanceof SerializationError) throw new Error(e.what, { cause: e });
    throw e;
  }
}

/** A block from IPC Data: Core's deserializer reads one block with witnesses and ignores trailing bytes. */
export function readBlock(bytes: Uint8Array): Block {
  return readData(bytes, (r) => Block.read(r));
}

/** Core's uint256 node options as the node's numbers (limits above 2^53 are rejected by the checks anyway). */
function nodeCreateOptions(o: BlockCreateOptions): NodeCreateOptions {
  return {
    useMempool: o.useMempool,
    blockReservedWeight: o.blockReservedWeight === undefined ? undefined : Number(o.blockReservedWeight),
    coinbaseOutputMaxAdditionalSigops: o.coinbaseOutputMaxAdditionalSigops === undefined ? undefined : Number(o.coinbaseOutputMaxAdditionalSigops),
  };
}

export class MinerImpl implements Mining {
  /** Core's m_interrupt_mining. */
  private readonly interruptMining: InterruptFlag = { set: false };

  constructor(private readonly ctx: NodeContext, private readonly deps: MiningDeps) {}

  private chainman(): ChainstateManagerApi {
    if (!this.ctx.chainman) throw new Error('Mining: the chainstate is not loaded');
    return this.ctx.chainman;
  }

  private env(): WaitEnv {
    const chainman = this.chainman();
    return { chainman, shutdown: this.ctx.shutdown, clock: this.ctx.clock, notifier: tipNotifierOf(chainman, this.ctx.shutdown) };
  }

  async isTestChain(): Promise<boolean> {
    return this.chainman().params.isTestChain;
  }

  async isInitialBlockDownload(): Promise<boolean> {
    return this.chainman().isInitialBlockDownload();
  }

  async getTip(): Promise<BlockRef | undefined> {
    const tip = this.chainman().chain.tip();
    return tip ? blockRef(tip) : undefined;
  }

  async waitTipChanged(currentTip: Uint8Array, timeout = Number.MAX_VALUE): Promise<BlockRef | undefined> {
    const tip = await waitTipChanged(this.env(), currentTip, timeout, this.interruptMining, this.deps.callSignal?.());
    return tip ? blockRef(tip) : undefined;
  }

  async createNewBlock(options: BlockCreateOptions, cooldown = true): Promise<BlockTemplate | null> {
    const signal = this.deps.callSignal?.();
    const env = this.env();
    // A tip first, so that every template has a parent.
    let tip = await waitTipChanged(env, new Uint8Array(32), Infinity, this.interruptMining, signal);
    if (!tip) return null;
    if (cooldown) {
      // No templates during IBD (it pauses and restarts); opt-out for regtest and one-miner signets.
      while (env.chainman.isInitialBlockDownload()) {
        tip = await waitTipChanged(env, tip.hash, IBD_COOLDOWN_POLL_MS, this.interruptMining, signal);
        if (!tip || this.ctx.shutdown.requested || this.interruptMining.set) return null;
      }
      if (!await cooldownIfHeadersAhead(env, tip, this.interruptMining, signal)) return null;
    }
    const create = nodeCreateOptions(options);
    return new BlockTemplateImpl(env, this.deps, create, await this.deps.service.createNewBlock(create));
  }

  async interrupt(): Promise<void> {
    this.interruptMining.set = true;
    if (this.ctx.chainman) this.env().notifier.notifyAll();
  }

  async checkBlock(block: Uint8Array, options: BlockCheckOptions): Promise<CheckResult> {
    const state = await this.chainman().testBlockValidity(readBlock(block), {
      checkPow: options.checkPow ?? true, checkMerkleRoot: options.checkMerkleRoot ?? true,
    });
    return { reason: state.getRejectReason(), debug: state.getDebugMessage(), result: state.isValid() };
  }

  async submitBlock(block: Uint8Array): Promise<CheckResult> {
    const r = await this.deps.service.submitBlock(readBlock(block));
    // Duplicates and blocks stored without being checked are failures for a miner.
    return { reason: r.reason, debug: r.debug, result: r.accepted && r.newBlock && r.reason === '' };
  }

  async getTransactionsByTxID(txids: readonly Uint8Array[]): Promise<Uint8Array[]> {
    const mempool = this.deps.mempool;
    return mempool ? txids.map((id) => serializedOrEmpty(id.length === 32 ? mempool.getByTxid(hashToHex(id)) : undefined)) : [];
  }

  async getTransactionsByWitnessID(wtxids: readonly Uint8Array[]): Promise<Uint8Array[]> {
    const mempool = this.deps.mempool;
    return mempool ? wtxids.map((id) => serializedOrEmpty(id.length === 32 ? mempool.getByWtxid(hashToHex(id)) : undefined)) : [];
  }
}

/** Core sends a missing transaction as empty Data (no transaction serializes to nothing). */
function serializedOrEmpty(tx: Transaction | undefined): Uint8Array {
  return tx ? tx.toBytes(true) : new Uint8Array(0);
}
