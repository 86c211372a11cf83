// Block assembly (Core's node/miner.cpp BlockAssembler): a block template on the active tip with the BIP34 coinbase,
// the witness commitment, mempool chunks within the weight and sigops limits, the version, time and difficulty of
// the next block, checked with TestBlockValidity. The mining RPCs use it now and the IPC Mining interface next.
import type { Amount } from '../consensus/amount.js';
import { MAX_BLOCK_SIGOPS_COST, MAX_TIMEWARP } from '../consensus/consensus.js';
import { type ConsensusParams, difficultyAdjustmentInterval } from '../consensus/params.js';
import { getNextWorkRequired } from '../consensus/pow.js';
import { getBlockSubsidy } from '../consensus/subsidy.js';
import { isFinalTx } from '../consensus/tx_verify.js';
import { Block, BlockHeader } from '../primitives/block.js';
import { OutPoint, Transaction, TxIn, TxOut } from '../primitives/transaction.js';
import { Opcode, pushIntBytes } from '../script/script.js';
import { LogSite, type Logger } from '../util/logging.js';
import type { NodeClock } from '../util/time.js';
import type { BlockIndex } from './chain.js';
import type { ChainstateManagerApi } from './chainstate_api.js';
import { isWitnessCommitment } from '../consensus/witness_commitment.js';
import {
  coinbaseWitnessRequired, headerWith, reservedValueWitness, witnessCommitmentOutput, witnessCommitmentScript,
} from './miner_commitment.js';
import type { BlockChunk, BlockTxCandidate, MiningMempool } from './miner_mempool.js';
import { type BlockCreateOptions, type FlatBlockCreateOptions, checkMiningOptions, flattenMiningOptions } from './miner_options.js';
import { versionBitsCacheOf } from './versionbits.js';

/** Stop trying chunks after this many misses in a row once the block is nearly full. */
const MAX_CONSECUTIVE_FAILURES = 1000;
/** "Nearly full": within this much weight of the limit. */
const BLOCK_FULL_ENOUGH_WEIGHT_DELTA = 4000;

/** The coinbase fields the node chose, for miners that build their own coinbase (Core's CoinbaseTx). */
export interface CoinbaseTemplate {
  version: number;
  sequence: number;
  /** The BIP34 height push alone (without the OP_0 padding at heights up to 16). */
  scriptSigPrefix: Uint8Array;
  /** The coinbase witness (the BIP141 reserved value), when the block has witness data. */
  witness?: Uint8Array;
  blockRewardRemaining: Amount;
  /** Outputs the coinbase must end with: the witness commitment. */
  requiredOutputs: TxOut[];
  lockTime: number;
}

/** A new block without proof of work, with per-transaction figures (Core's CBlockTemplate). */
export interface BlockTemplate {
  block: Block;
  /** Fee of each transaction, coinbase excluded. */
  txFees: Amount[];
  /** Sigops cost of each transaction, coinbase excluded. */
  txSigOpsCost: number[];
  /** Fee rate of each selected chunk in selection order: fee over vsize. */
  packageFeerates: Array<{ fee: Amount; vsize: number }>;
  coinbaseTx: CoinbaseTemplate;
}

/** Figures of the last assembled block, for getmininginfo (Core's static m_last_block_*). */
export interface LastBlockStats {
  numTxs?: number;
  weight?: number;
}

/** What BlockAssembler reads from the node. */
export interface BlockAssemblerEnv {
  chainman: ChainstateManagerApi;
  clock: NodeClock;
  /** Absent: build without mempool transactions. */
  mempool?: MiningMempool;
  /** -blockversion, honoured only where blocks are mined on demand (no retargeting: regtest). */
  blockVersionOverride?: number;
  logger?: Logger;
  /** Updated after each assembly when given. */
  lastBlock?: LastBlockStats;
}

/**
 * Core's GetMinimumTime: one second past the median time past, and on a retarget block no earlier than the BIP94
 * timewarp limit (applied on every network, so that a future activation is safe).
 */
export function getMinimumTime(prev: BlockIndex, params: ConsensusParams): number {
  let minTime = prev.getMedianTimePast() + 1;
  if ((prev.height + 1) % difficultyAdjustmentInterval(params) === 0) minTime = Math.max(minTime, prev.time - MAX_TIMEWARP);
  return minTime;
}

/**
 * Core's UpdateTime: moves the header's time up to max(minimum time, now) (never back), and on chains with
 * minimum-difficulty blocks recomputes nBits, which depends on the time there. Returns the header and the change.
 */
export function updateTime(header: BlockHeader, params: ConsensusParams, prev: BlockIndex, now: number): { header: BlockHeader; delta: number } {
  const oldTime = header.time;
  const newTime = Math.max(getMinimumTime(prev, params), now);
  const time = oldTime < newTime ? newTime : oldTime;
  const bits = params.powAllowMinDifficultyBlocks ? getNextWorkRequired(prev, time, params) : header.bits;
  return { header: headerWith(header, { time, bits }), delta: newTime - oldTime };
}

/** The BIP34 coinbase scriptSig: the height push, plus OP_0 at heights up to 16 (a coinbase needs 2 bytes). */
export function coinbaseScriptSig(height: number): { scriptSig: Uint8Array; prefix: Uint8Array } {
  const prefix = pushIntBytes(height);
  if (height > 16) return { scriptSig: prefix, prefix };
  const scriptSig = new Uint8Array(prefix.length + 1);
  scriptSig.set(prefix, 0);
  scriptSig[prefix.length] = Opcode.OP_0;
  return { scriptSig, prefix };
}

/** The coinbase's place in the witness merkle tree (its leaf is zero whatever it holds). */
const NO_TRANSACTION = new Transaction();

/** The per-template summary line, one per block mined. */
const createNewBlockLogSite = new LogSite();
const CREATE_NEW_BLOCK_LOG = { site: createNewBlockLogSite };
const feeRateLogSite = new LogSite();

/** Core's BlockAssembler: one template per createNewBlock call. */
export class BlockAssembler {
  private readonly options: FlatBlockCreateOptions;
  private blockWeight = 0;
  private blockSigOpsCost = 0;
  private blockTx = 0;
  private fees: Amount = 0n;
  private height = 0;
  private lockTimeCutoff = 0;
  private template!: Omit<BlockTemplate, 'block' | 'coinbaseTx'> & { vtx: Transaction[] };

  /** Throws MiningOptionsError (with the field names) for options outside Core's limits. */
  constructor(
    private readonly env: BlockAssemblerEnv,
    options: BlockCreateOptions,
  ) {
    checkMiningOptions(options, false);
    this.options = flattenMiningOptions(options);
  }

  private resetBlock(): void {
    // Room for the header, the transaction count and the coinbase is reserved up front.
    this.blockWeight = this.options.blockReservedWeight;
    this.blockSigOpsCost = this.options.coinbaseOutputMaxAdditionalSigops;
    this.blockTx = 0;
    this.fees = 0n;
    this.template = { vtx: [], txFees: [], txSigOpsCost: [], packageFeerates: [] };
  }

  /** Core's CreateNewBlock on the active tip. Throws `TestBlockValidity failed: <state>` if the result is invalid. */
  async createNewBlock(): Promise<BlockTemplate> {
    this.resetBlock();
    const { chainman, clock } = this.env;
    const params = chainman.params.consensus;
    const prev = chainman.chain.tip();
    if (!prev) throw new Error('CreateNewBlock: no active chain tip');
    this.height = prev.height + 1;

    let version = versionBitsCacheOf(chainman).computeBlockVersion(prev, params);
    if (params.powNoRetargeting && this.env.blockVersionOverride !== undefined) version = this.env.blockVersionOverride;
    this.lockTimeCutoff = prev.getMedianTimePast();

    if (this.options.useMempool && this.env.mempool) this.addChunks(this.env.mempool);
    if (this.env.lastBlock) {
      this.env.lastBlock.numTxs = this.blockTx;
      this.env.lastBlock.weight = this.blockWeight;
    }

    const coinbase = this.makeCoinbase(params, prev);
    let block = new Block(new BlockHeader({ version, time: clock.now() }), [coinbase.tx, ...this.template.vtx]);
    const witness = coinbase.tx.hasWitness() ? coinbase.tx.vin[0]!.witness[0] : undefined;
    const commitment = witnessCommitmentOutput(block);

    this.env.logger?.info(
      `CreateNewBlock(): block weight: ${block.getWeight()} txs: ${this.blockTx} fees: ${this.fees} sigops ${this.blockSigOpsCost}`,
      CREATE_NEW_BLOCK_LOG,
    );

    const { header } = updateTime(headerWith(block.header, { hashPrevBlock: prev.hash }), params, prev, clock.now());
    const bits = getNextWorkRequired(prev, header.time, params);
    // The merkle root stays null, as in Core's template: whoever completes the block (generate, submitSolution)
    // computes it, and TestBlockValidity does not check it.
    block = new Block(headerWith(header, { bits, nonce: 0 }), block.vtx);

    if (this.options.testBlockValidity) {
      const state = await chainman.testBlockValidity(block, { checkPow: false, checkMerkleRoot: false });
      if (!state.isValid()) throw new Error(`TestBlockValidity failed: ${state.toString()}`);
    }
    return {
      block,
      txFees: this.template.txFees,
      txSigOpsCost: this.template.txSigOpsCost,
      packageFeerates: this.template.packageFeerates,
      coinbaseTx: {
        version: coinbase.tx.version,
        sequence: TxIn.MAX_SEQUENCE_NONFINAL,
        scriptSigPrefix: coinbase.prefix,
        witness,
        blockRewardRemaining: coinbase.reward,
        requiredOutputs: commitment ? [commitment] : [],
        lockTime: coinbase.tx.lockTime,
      },
    };
  }

  /**
   * The coinbase: the whole reward to the configured script, the BIP34 height, locktime height - 1, and what Core's
   * GenerateCoinbaseCommitment adds (the witness commitment unless that script is one, the reserved value as witness
   * once segwit is active), built once.
   */
  private makeCoinbase(params: ConsensusParams, prev: BlockIndex): { tx: Transaction; prefix: Uint8Array; reward: Amount } {
    const reward = this.fees + getBlockSubsidy(this.height, params);
    const { scriptSig, prefix } = coinbaseScriptSig(this.height);
    const script = this.options.coinbaseOutputScript;
    const vout = [new TxOut(reward, script)];
    if (!isWitnessCommitment(script)) vout.push(new TxOut(0n, witnessCommitmentScript([NO_TRANSACTION, ...this.template.vtx])));
    const witness = coinbaseWitnessRequired(prev, params) ? reservedValueWitness() : undefined;
    const tx = new Transaction({
      // The non-final sequence makes the lock time count.
      vin: [new TxIn({ prevout: new OutPoint(), scriptSig, sequence: TxIn.MAX_SEQUENCE_NONFINAL, witness })],
      vout,
      lockTime: this.height - 1,
    });
    return { tx, prefix, reward };
  }

  /** Core's addChunks: takes the mempool's chunks in fee-rate order while they fit and pay the minimum fee rate. */
  private addChunks(mempool: MiningMempool): void {
    const builder = mempool.startBlockBuilding();
    try {
      let consecutiveFailed = 0;
      for (let chunk = builder.next(); chunk !== undefined && chunk.txs.length > 0; chunk = builder.next()) {
        const vsize = Math.ceil(chunk.weight / 4);
        // Everything after a chunk below the minimum fee rate pays less still.
        if (chunk.fee * 1000n < this.options.blockMinFeeRate * BigInt(vsize)) return;
        const sigOps = chunk.txs.reduce((n, t) => n + t.sigOpCost, 0);
        if (!this.chunkFits(chunk, sigOps) || !this.chunkFinal(chunk.txs)) {
          builder.skip();
          consecutiveFailed++;
          if (consecutiveFailed > MAX_CONSECUTIVE_FAILURES && this.blockWeight + BLOCK_FULL_ENOUGH_WEIGHT_DELTA > this.options.blockMaxWeight) return;
          continue;
        }
        builder.include();
        consecutiveFailed = 0;
        for (const entry of chunk.txs) this.addToBlock(entry);
        this.template.packageFeerates.push({ fee: chunk.fee, vsize });
      }
    } finally {
      builder.stop();
    }
  }

  private chunkFits(chunk: BlockChunk, sigOps: number): boolean {
    if (this.blockWeight + chunk.weight >= this.options.blockMaxWeight) return false;
    return this.blockSigOpsCost + sigOps < MAX_BLOCK_SIGOPS_COST;
  }

  /** Lock times are judged as the block will be: this height and the tip's median time past. */
  private chunkFinal(txs: BlockTxCandidate[]): boolean {
    return txs.every((t) => isFinalTx(t.tx, this.height, this.lockTimeCutoff));
  }

  private addToBlock(entry: BlockTxCandidate): void {
    this.template.vtx.push(entry.tx);
    this.template.txFees.push(entry.fee);
    this.template.txSigOpsCost.push(entry.sigOpCost);
    this.blockWeight += entry.weight;
    this.blockTx++;
    this.blockSigOpsCost += entry.sigOpCost;
    this.fees += entry.fee;
    if (this.options.printModifiedFee) {
      this.env.logger?.info(`fee rate ${formatFeeRate(entry.modifiedFee, entry.vsize)} txid ${entry.tx.txidHex()}`, { site: feeRateLogSite });
    }
  }
}

/** CFeeRate::ToString: "<sat per kvB as BTC with 8 decimals> BTC/kvB". */
function formatFeeRate(fee: Amount, vsize: number): string {
  const perK = vsize > 0 ? (fee * 1000n) / BigInt(vsize) : 0n;
  const neg = perK < 0n;
  const abs = neg ? -perK : perK;
  return `${neg ? '-' : ''}${abs / 100_000_000n}.${(abs % 100_000_000n).toString().padStart(8, '0')} BTC/kvB`;
}
