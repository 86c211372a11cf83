// Connecting a block to the UTXO set (Core's Chainstate::ConnectBlock): the checks that need the coins (BIP30,
// inputs, BIP68 sequence locks, sigop cost, the coinbase amount, scripts) and the changes they lead to, with the
// undo data that disconnectBlock (connect_coins.ts) uses to reverse them.
//
// Shapes:
//   connectBlock(block, index, view, ctx) resolves to
//     { ok: true, undo, fees, sigops, inputs, scriptCheckReason, scriptsChecked, scriptCacheHits }  or
//     { ok: false, state }  (state.isInvalid(): a consensus failure; state.isError(): a corrupt block on disk).
//   On failure the view is half-changed and must be discarded, as Core discards its CCoinsViewCache.
// The only wait is the join of the script workers (then the result is a promise); everything else runs
// synchronously, in Core's order.
// The caller then does what Core does next: write the undo data, raise the index to BLOCK_VALID_SCRIPTS.
import { moneyRange } from '../consensus/amount.js';
import { type CheckBlockOptions, checkBlock, checkBlockOptionsWith } from '../consensus/block_check.js';
import { MAX_BLOCK_SIGOPS_COST } from '../consensus/consensus.js';
import type { ConsensusParams } from '../consensus/params.js';
import { getBlockSubsidy } from '../consensus/subsidy.js';
import { type CoinsView, checkTxInputs, getTransactionSigOpCost, sequenceLocks } from '../consensus/tx_verify.js';
import { BlockValidationResult, BlockValidationState, TxValidationState } from '../consensus/validation.js';
import type { ChainParams } from '../kernel/chainparams.js';
import type { Block } from '../primitives/block.js';
import { OutPoint, type Transaction } from '../primitives/transaction.js';
import type { ScriptCheckQueue } from '../script/check_queue.js';
import { bytesEqual } from '../util/hex.js';
import { isPromise } from '../util/maybe_async.js';
import type { BlockIndex } from './chain.js';
import type { CoinsCache } from './chainstate_api.js';
import type { Coin } from './coin.js';
import { type AssumeValidContext, scriptCheckReason } from './connect_assumevalid.js';
import { updateCoins } from './connect_coins.js';
import { getBlockLockTimeFlags, getBlockScriptFlags, isBIP30Enforced } from './connect_flags.js';
import { BlockScriptChecks, type ScriptFailure } from './connect_scripts.js';
import type { ScriptsAhead } from './connect_scripts_ahead.js';
import type { ValidationCache } from './script_cache.js';
import type { BlockUndo, TxUndo } from './undo.js';

export interface ConnectBlockContext {
  params: ChainParams;
  /**
   * The script worker pool; without one, scripts are verified inline (Core's -par=1). The main thread verifies a
   * share too, so a pool of N-1 workers is Core's -par=N.
   */
  scriptQueue?: ScriptCheckQueue;
  /** Inputs of the first chunk of script work (a tuning knob; default DEFAULT_SCRIPT_CHUNK_INPUTS). */
  scriptChunkInputs?: number;
  /** The main thread's signature and script-execution caches; without one, nothing is cached. */
  validationCache?: ValidationCache;
  /**
   * Check only (Core's fJustCheck, TestBlockValidity): proof of work and merkle root are not checked again, the
   * view's best block stays, and script results are cached.
   */
  justCheck?: boolean;
  /** -assumevalid; absent means always verify scripts. */
  assumeValid?: AssumeValidContext;
  /** Passed to checkBlock (the signet solution check). */
  checkBlockOptions?: Pick<CheckBlockOptions, 'checkSignetSolution'>;
  /** Core's LogInfo/LogError lines ("Block validation error: ...", "ConnectBlock: Consensus::CheckBlock: ..."). */
  log?: { info(message: string): void; error(message: string): void };
  /** Called for a block whose data proved corrupt (Core's FatalError notification). */
  fatalError?: (message: string) => void;
  /**
   * Told why each block's scripts are verified, or null when they are not (Core logs a line when that changes: the
   * chainstate keeps the last reason it logged).
   */
  scriptCheckReason?: (reason: string | null, index: BlockIndex) => void;
}

export type ConnectBlockResult =
  | {
      ok: true;
      /** The coins the block spent, per transaction but the coinbase (empty for the genesis block). */
      undo: BlockUndo;
      fees: bigint;
      /** Total sigop cost of the block. */
      sigops: number;
      /** Inputs of every transaction, the coinbase's included (Core's nInputs). */
      inputs: number;
      /** Why scripts were verified, or null when -assumevalid skipped them (Core's script_check_reason). */
      scriptCheckReason: string | null;
      /** Inputs whose scripts ran, and transactions whose scripts the script-execution cache vouched for. */
      scriptsChecked: number;
      scriptCacheHits: number;
    }
  | { ok: false; state: BlockValidationState };

const CORRUPT_BLOCK = 'Corrupt block found indicating potential hardware failure.';

/**
 * The coins one transaction spends, each read from the view once: the input checks, the sigop count and the
 * scripts all ask for them again, by the same outpoint objects (anything else falls through to the view).
 */
function txInputsView(tx: Transaction, view: CoinsCache): CoinsView {
  const coins = new Map<OutPoint, Coin | undefined>();
  for (const input of tx.vin) coins.set(input.prevout, view.getCoin(input.prevout));
  return { accessCoin: (outpoint: OutPoint) => (coins.has(outpoint) ? coins.get(outpoint) : view.getCoin(outpoint)) };
}

/** The coins view of a coinbase: its sigop count reads no inputs, so any lookup is a bug. */
const NO_INPUTS: CoinsView = {
  accessCoin: () => {
    throw new Error('ConnectBlock: a coinbase has no inputs to look up');
  },
};

function fail(state: BlockValidationState, ctx: ConnectBlockContext): ConnectBlockResult {
  ctx.log?.info(`Block validation error: ${state.toString()}`);
  return { ok: false, state };
}

/**
 * Core's Chainstate::ConnectBlock. `index` is the block's entry; the view must be at its parent. `whileScriptsRun`
 * is given the block's undo data while the script workers verify (only when checks went to them): the caller's serial
 * work that needs no verdict, overlapped with theirs. The undo object is the one the result then carries. `ahead`
 * holds this block's script checks when they were posted before its turn; the caller drops what goes unused.
 */
export function connectBlock(block: Block, index: BlockIndex, view: CoinsCache, ctx: ConnectBlockContext, whileScriptsRun?: (undo: BlockUndo) => void, ahead?: ScriptsAhead): ConnectBlockResult | Promise<ConnectBlockResult> {
  if (!bytesEqual(block.hash, index.hash)) throw new Error('ConnectBlock: block does not match its index entry');
  const consensus = ctx.params.consensus;
  const state = new BlockValidationState();
  const justCheck = ctx.justCheck ?? false;

  // Checked again in case an older version stored a bad block.
  if (!checkBlock(block, state, consensus, checkBlockOptionsWith(ctx.checkBlockOptions, !justCheck, !justCheck))) {
    if (state.getResult() === BlockValidationResult.BLOCK_MUTATED) {
      // Blocks are stored only after these checks, so this is disk or memory corruption.
      ctx.fatalError?.(CORRUPT_BLOCK);
      state.error(CORRUPT_BLOCK);
      return { ok: false, state };
    }
    ctx.log?.error(`ConnectBlock: Consensus::CheckBlock: ${state.toString()}`);
    return { ok: false, state };
  }

  const prevHash = index.prev?.hash ?? new Uint8Array(32);
  if (!bytesEqual(prevHash, view.getBestBlock())) throw new Error('ConnectBlock: the coins view is not at the block\'s parent');

  // The genesis block's coinbase is not spendable: nothing of it enters the UTXO set.
  if (bytesEqual(block.hash, consensus.hashGenesisBlock)) {
    if (!justCheck) view.setBestBlock(index.hash);
    return { ok: true, undo: { vtxundo: [] }, fees: 0n, sigops: 0, inputs: 0, scriptCheckReason: null, scriptsChecked: 0, scriptCacheHits: 0 };
  }

  if (!index.prev) throw new Error('ConnectBlock: only the genesis block has no parent');
  const reason = scriptCheckReason(index, ctx.assumeValid, consensus);
  const newOutpoints = checkBIP30(block, index, view, consensus, state);

  const flags = getBlockScriptFlags(index, consensus);
  ctx.scriptCheckReason?.(reason, index);
  const scripts = reason === null ? undefined : new BlockScriptChecks({
    flags, cache: ctx.validationCache, queue: ctx.scriptQueue, cacheStore: justCheck, chunkInputs: ctx.scriptChunkInputs, ahead,
  });
  const totals = connectTransactions(block, index, view, state, { flags, lockTimeFlags: getBlockLockTimeFlags(index, consensus), scripts, newOutpoints });

  const blockReward = totals.fees + getBlockSubsidy(index.height, consensus);
  const coinbaseOut = block.vtx[0]!.getValueOut();
  if (coinbaseOut > blockReward && state.isValid()) {
    state.invalid(BlockValidationResult.BLOCK_CONSENSUS, 'bad-cb-amount', `coinbase pays too much (actual=${coinbaseOut} vs limit=${blockReward})`);
  }
  const undo: BlockUndo = { vtxundo: totals.undo };
  const finish = (parallelFailure: ScriptFailure | undefined): ConnectBlockResult => {
    if (parallelFailure && state.isValid()) state.invalid(BlockValidationResult.BLOCK_CONSENSUS, parallelFailure.reason, parallelFailure.debug);
    if (!state.isValid()) return fail(state, ctx);
    if (!justCheck) view.setBestBlock(index.hash);
    return {
      ok: true, undo, fees: totals.fees, sigops: totals.sigops, inputs: totals.inputs,
      scriptCheckReason: reason, scriptsChecked: scripts?.inputsChecked ?? 0, scriptCacheHits: scripts?.cacheHits ?? 0,
    };
  };
  // Joined even when the block already failed: no check may outlive the call. With nothing handed to the pool the
  // result is ready now, and no promise is made for it: scripts ran inline, or the few checks kept back from the
  // pool run here, after the loop as the pool's would (a failure of the block found there comes first).
  if (scripts?.hasPoolWork()) {
    const joined = scripts.complete(whileScriptsRun && state.isValid() ? () => whileScriptsRun(undo) : undefined);
    return isPromise(joined) ? joined.then(finish) : finish(joined);
  }
  return finish(scripts !== undefined && state.isValid() ? scripts.verifyRemaining() : undefined);
}

/**
 * BIP30: no transaction may create an output where an unspent one with the same outpoint exists. Returns the
 * outpoints it made, per transaction, for the coins to be added under (their cache keys are then made once).
 */
function checkBIP30(block: Block, index: BlockIndex, view: CoinsCache, consensus: ConsensusParams, state: BlockValidationState): OutPoint[][] | undefined {
  if (!isBIP30Enforced(index, index.prev!.getAncestor(consensus.BIP34Height), consensus)) return undefined;
  const outpoints: OutPoint[] = [];
  const perTx: OutPoint[][] = [];
  for (const tx of block.vtx) {
    const mine: OutPoint[] = [];
    for (let n = 0; n < tx.vout.length; n++) {
      const outpoint = new OutPoint(tx.txid, n);
      mine.push(outpoint);
      outpoints.push(outpoint);
    }
    perTx.push(mine);
  }
  // One batched question for the whole block: the outputs are new, so most are in no cache.
  const found = view.haveAnyCoin ? view.haveAnyCoin(outpoints) : outpoints.some((o) => view.haveCoin(o));
  if (found) state.invalid(BlockValidationResult.BLOCK_CONSENSUS, 'bad-txns-BIP30', 'tried to overwrite transaction');
  return perTx;
}

interface ConnectRules {
  flags: number;
  lockTimeFlags: number;
  scripts: BlockScriptChecks | undefined;
  /** Each transaction's output outpoints, when checkBIP30 made them. */
  newOutpoints: OutPoint[][] | undefined;
}

interface ConnectTotals {
  undo: TxUndo[];
  fees: bigint;
  sigops: number;
  inputs: number;
}

/** The per-transaction loop of ConnectBlock; stops at the first failure (recorded in `state`). */
function connectTransactions(block: Block, index: BlockIndex, view: CoinsCache, state: BlockValidationState, rules: ConnectRules): ConnectTotals {
  const totals: ConnectTotals = { undo: [], fees: 0n, sigops: 0, inputs: 0 };
  for (let i = 0; i < block.vtx.length; i++) {
    const tx = block.vtx[i]!;
    if (!state.isValid()) break;
    totals.inputs += tx.vin.length;
    const coinbase = tx.isCoinBase();
    // A coinbase spends nothing: its null prevout is never looked up (Core asks the view nothing for it).
    const reader = coinbase ? NO_INPUTS : txInputsView(tx, view);
    const spent = coinbase ? [] : checkSpends(tx, index, reader, state, rules, totals);
    if (spent === undefined) break;

    // Legacy sigops always; P2SH and witness sigops of the inputs when those rules apply.
    totals.sigops += getTransactionSigOpCost(tx, reader, rules.flags);
    if (totals.sigops > MAX_BLOCK_SIGOPS_COST) {
      state.invalid(BlockValidationResult.BLOCK_CONSENSUS, 'bad-blk-sigops', 'too many sigops');
      break;
    }

    if (!coinbase && rules.scripts) {
      const failure: ScriptFailure | undefined = rules.scripts.add(tx, spent.map((c) => c.out));
      if (failure) {
        state.invalid(BlockValidationResult.BLOCK_CONSENSUS, failure.reason, failure.debug);
        break;
      }
    }
    const txundo = updateCoins(tx, view, index.height, rules.newOutpoints?.[i]);
    if (!coinbase) totals.undo.push(txundo);
  }
  return totals;
}

/**
 * Input checks of a non-coinbase transaction: CheckTxInputs, the running fee total and BIP68. Returns the coins it
 * spends (in input order), or undefined with `state` set.
 */
function checkSpends(tx: Transaction, index: BlockIndex, reader: CoinsView, state: BlockValidationState, rules: ConnectRules, totals: ConnectTotals): Coin[] | undefined {
  const txState = new TxValidationState();
  const fee = checkTxInputs(tx, txState, reader, index.height);
  if (fee === undefined) {
    // Any transaction failure here is a block consensus failure.
    state.invalid(BlockValidationResult.BLOCK_CONSENSUS, txState.getRejectReason(), `${txState.getDebugMessage()} in transaction ${tx.txidHex()}`);
    return undefined;
  }
  totals.fees += fee;
  if (!moneyRange(totals.fees)) {
    state.invalid(BlockValidationResult.BLOCK_CONSENSUS, 'bad-txns-accumulated-fee-outofrange', 'accumulated fee in the block out of range');
    return undefined;
  }
  // checkTxInputs found every coin, so these lookups succeed.
  const coins = tx.vin.map((input) => reader.accessCoin(input.prevout)!);
  const prevHeights = coins.map((c) => c.height);
  if (!sequenceLocks(tx, rules.lockTimeFlags, prevHeights, index)) {
    state.invalid(BlockValidationResult.BLOCK_CONSENSUS, 'bad-txns-nonfinal', `contains a non-BIP68-final transaction ${tx.txidHex()}`);
    return undefined;
  }
  return coins;
}
