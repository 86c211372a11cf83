// The chainstate's BlockConnector over node/connect_block.ts (ConnectBlock with scripts, caches and -assumevalid)
// and node/connect_coins.ts (DisconnectBlock).
import { isZero } from '../util/hex.js';
import type { MaybePromise } from '../util/maybe_async.js';
import { checkBlock, checkBlockOptionsWith } from '../consensus/block_check.js';
import { BlockValidationState } from '../consensus/validation.js';
import type { Block } from '../primitives/block.js';
import type { BlockIndex } from './chain.js';
import type { CoinsCache } from './chainstate_api.js';
import { type AssumeValidContext, scriptCheckReason, scriptCheckSwitchLogLine } from './connect_assumevalid.js';
import { type ConnectBlockContext, type ConnectBlockResult, connectBlock } from './connect_block.js';
import { disconnectBlock } from './connect_coins.js';
import { getBlockScriptFlags } from './connect_flags.js';
import { type ScriptsAhead, postScriptsAhead } from './connect_scripts_ahead.js';
import type { BlockUndo } from './undo.js';
import type { BlockConnector, ChainstateManager, DisconnectResult } from './validation.js';

/** What ConnectBlock gets from init: the script pool, the caches, the signet check; -assumevalid's hash. */
export type ConnectorOptions = Omit<ConnectBlockContext, 'justCheck' | 'assumeValid' | 'log' | 'scriptCheckReason'> & { assumeValidHash?: Uint8Array };

/** ConnectBlock's result as the chainstate takes it: the undo data, or its verdict copied into `state`. */
function outcome(r: ConnectBlockResult, state: BlockValidationState): BlockUndo | undefined {
  if (r.ok) return r.undo;
  if (r.state.isError()) state.error(r.state.getRejectReason());
  else state.invalid(r.state.getResult(), r.state.getRejectReason(), r.state.getDebugMessage());
  return undefined;
}

export class ChainstateBlockConnector implements BlockConnector {
  /** Set once the chainstate exists: -assumevalid looks at its block index and best header. */
  chainman: ChainstateManager | undefined;
  /** -assumevalid's hash; undefined for -assumevalid=0 (an all-zero hash), which verifies every script. */
  private readonly assumeValidHash: Uint8Array | undefined;

  constructor(private readonly opts: ConnectorOptions) {
    const hash = opts.assumeValidHash;
    this.assumeValidHash = hash !== undefined && !isZero(hash) ? hash : undefined;
  }

  /** ConnectBlock's contexts for one chainstate (check only, connect), built once: ConnectBlock reads them per block. */
  private contexts: { cm: ChainstateManager | undefined; check: ConnectBlockContext; connect: ConnectBlockContext } | undefined;

  private context(justCheck: boolean): ConnectBlockContext {
    const cm = this.chainman;
    if (this.contexts === undefined || this.contexts.cm !== cm) {
      const log = cm ? { info: (m: string) => cm.log(m), error: (m: string) => cm.logger.error(m) } : undefined;
      this.contexts = { cm, check: this.makeContext(true, log), connect: this.makeContext(false, log) };
    }
    return justCheck ? this.contexts.check : this.contexts.connect;
  }

  /**
   * Every field written, in one order, so that each context has the same shape (ConnectBlock's reads of it stay
   * monomorphic). -assumevalid's best header is read when a block is connected, not when the context is made.
   */
  private makeContext(justCheck: boolean, log: ConnectBlockContext['log']): ConnectBlockContext {
    const { params, scriptQueue, scriptChunkInputs, validationCache, checkBlockOptions, fatalError } = this.opts;
    const cm = this.chainman;
    const hash = this.assumeValidHash;
    const assumeValid: AssumeValidContext | undefined = cm && hash ? {
      hash, lookup: (hex) => cm.lookupBlockIndex(hex), get bestHeader() { return cm.bestHeader(); }, minimumChainWork: cm.minimumChainWork,
    } : undefined;
    const scriptCheckReason = cm ? (reason: string | null, index: BlockIndex): void => {
      const line = scriptCheckSwitchLogLine(cm.lastScriptCheckReasonLogged, reason, index);
      if (line === undefined) return;
      cm.log(line);
      cm.lastScriptCheckReasonLogged = reason;
    } : undefined;
    return { params, scriptQueue, scriptChunkInputs, validationCache, justCheck, assumeValid, checkBlockOptions, log, fatalError, scriptCheckReason };
  }

  /** The script checks posted for the block connected next (postScriptsAhead), until its connection takes them. */
  private ahead: ScriptsAhead | undefined;

  /** The undo data, or undefined with `state` set; a promise only when script checks went to the pool. */
  connectBlock(block: Block, index: BlockIndex, view: CoinsCache, state: BlockValidationState, justCheck: boolean, whileScriptsRun?: (undo: BlockUndo) => void): MaybePromise<BlockUndo | undefined> {
    // A check-only call (a block template) is not the chain's next block: what was posted ahead stays for that.
    const ahead = justCheck ? undefined : this.takeAhead(index);
    // What was not used is dropped; so is what this block posted for the next one, when this block failed.
    const settle = (ok: boolean): void => {
      ahead?.discard();
      if (!ok && !justCheck) this.dropAhead();
    };
    let r: ConnectBlockResult | Promise<ConnectBlockResult>;
    try {
      r = connectBlock(block, index, view, this.context(justCheck), whileScriptsRun, ahead);
    } catch (e) {
      settle(false);
      throw e;
    }
    if (!(r instanceof Promise)) {
      settle(r.ok);
      return outcome(r, state);
    }
    return r.then((done) => {
      settle(done.ok);
      return outcome(done, state);
    }, (e: unknown) => {
      settle(false);
      throw e;
    });
  }

  /**
   * Posts the script checks of `block`, to be connected next on top of `view`, while the workers still verify the
   * current block's: they start on it as soon as they finish, instead of waiting for its transaction loop. Its
   * connection uses the results only where they are for the same checks (connect_scripts_ahead.ts).
   */
  postScriptsAhead(block: Block, index: BlockIndex, view: CoinsCache): void {
    this.dropAhead();
    const ctx = this.context(false);
    if (ctx.scriptQueue === undefined || index.prev === undefined) return;
    if (scriptCheckReason(index, ctx.assumeValid, ctx.params.consensus) === null) return;
    this.ahead = postScriptsAhead(block, index, view, getBlockScriptFlags(index, ctx.params.consensus), ctx.scriptQueue);
  }

  private dropAhead(): void {
    this.ahead?.discard();
    this.ahead = undefined;
  }

  /** What was posted ahead for `index`; anything posted for another block is dropped. */
  private takeAhead(index: BlockIndex): ScriptsAhead | undefined {
    const ahead = this.ahead;
    this.ahead = undefined;
    if (ahead === undefined || ahead.index === index) return ahead;
    ahead.discard();
    return undefined;
  }

  /**
   * Context-free CheckBlock of a block read ahead, as ConnectBlock will run it: a pass is remembered in the block
   * (so ConnectBlock's own call returns at once); a failure changes nothing and is found again there. Returns
   * whether it passed.
   */
  precheckBlock(block: Block): boolean {
    const ctx = this.context(false);
    return checkBlock(block, new BlockValidationState(), ctx.params.consensus, checkBlockOptionsWith(ctx.checkBlockOptions, true, true));
  }

  disconnectBlock(block: Block, index: BlockIndex, undo: BlockUndo, view: CoinsCache): DisconnectResult {
    const cm = this.chainman;
    return disconnectBlock(block, index, view, undo, { logError: cm ? (m) => cm.logger.error(m) : undefined });
  }
}
