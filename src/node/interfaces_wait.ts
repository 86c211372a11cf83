// The waits behind the Mining interface (Core's node/miner.cpp WaitTipChanged, CooldownIfHeadersAhead and
// WaitAndCreateNewBlock): one wake-up source per chainstate, as Core's m_tip_block_cv, plus the caller's AbortSignal
// so that a wait ends at once when an IPC client disconnects or cancels the call.
import { type Amount, MAX_MONEY } from '../consensus/amount.js';
import { bytesEqual } from '../util/hex.js';
import type { NodeClock } from '../util/time.js';
import type { BlockIndex } from './chain.js';
import type { ChainstateManagerApi } from './chainstate_api.js';
import type { ShutdownSignal } from './context.js';
import type { BlockTemplate as NodeBlockTemplate } from './miner.js';

/** setTimeout takes at most this many milliseconds (longer delays fire at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Core caps wait timeouts at std::chrono::years{100} (a year of 365.2425 days). */
const MAX_WAIT_MS = 100 * 365.2425 * 86_400_000;
/** waitNext checks for higher fees (and the testnet rule) once per tick. */
const WAIT_NEXT_TICK_MS = 1000;
/** Test chains that allow minimum-difficulty blocks get a new template once the tip is this old. */
const MIN_DIFFICULTY_AFTER_SECONDS = 20 * 60;

/** Core's interrupt booleans: set by interrupt()/interruptWait(), consumed (reset) by the wait that sees them. */
export interface InterruptFlag {
  set: boolean;
}

/**
 * Wakes every waiter on each tip change, on shutdown and on notifyAll() (Core's m_tip_block_cv.notify_all); each
 * waiter re-checks its own condition.
 */
export class TipNotifier {
  private readonly waiters = new Set<() => void>();

  constructor(chainman: ChainstateManagerApi, shutdown: ShutdownSignal) {
    chainman.onTipChanged(() => this.notifyAll());
    void shutdown.wait().then(() => this.notifyAll());
  }

  notifyAll(): void {
    for (const wake of [...this.waiters]) wake();
  }

  /** Waiters currently blocked (the resources a disconnect must free). */
  get pending(): number {
    return this.waiters.size;
  }

  /**
   * Core's cv.wait_until(deadline, pred): true once `pred()` holds (checked first), else pred() at the deadline
   * (performance.now() milliseconds; Infinity waits for ever). Rejects with the signal's reason when it aborts.
   */
  waitUntil(pred: () => boolean, deadline: number, signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (pred()) return Promise.resolve(true);
    if (performance.now() >= deadline) return Promise.resolve(false);
    return new Promise<boolean>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (settle: () => void): void => {
        this.waiters.delete(check);
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        settle();
      };
      const check = (): void => {
        if (pred()) finish(() => resolve(true));
      };
      const onAbort = (): void => finish(() => reject(signal!.reason));
      // Long deadlines are reached in steps: a single timer cannot wait more than ~24.8 days.
      const arm = (): void => {
        const left = deadline - performance.now();
        if (left <= 0) finish(() => resolve(pred()));
        else if (Number.isFinite(left)) timer = setTimeout(arm, Math.min(Math.ceil(left), MAX_TIMER_MS));
      };
      this.waiters.add(check);
      signal?.addEventListener('abort', onAbort, { once: true });
      arm();
    });
  }
}

const notifiers = new WeakMap<ChainstateManagerApi, TipNotifier>();

/** The chainstate's notifier, made on first use (one tip subscription however many clients wait). */
export function tipNotifierOf(chainman: ChainstateManagerApi, shutdown: ShutdownSignal): TipNotifier {
  let n = notifiers.get(chainman);
  if (n === undefined) notifiers.set(chainman, n = new TipNotifier(chainman, shutdown));
  return n;
}

/** What the waits read. */
export interface WaitEnv {
  chainman: ChainstateManagerApi;
  shutdown: ShutdownSignal;
  clock: NodeClock;
  notifier: TipNotifier;
}

/** A deadline `timeoutMs` from now, with Core's clamping (negative or NaN: now; at most 100 years). */
export function deadlineAfter(timeoutMs: number): number {
  const ms = timeoutMs >= 0 ? Math.min(timeoutMs, MAX_WAIT_MS) : 0;
  return performance.now() + ms;
}

/**
 * Core's WaitTipChanged: first waits (whatever the timeout) until there is a tip, then until the tip is not
 * `currentTip` or the deadline passes. The tip then; undefined on shutdown or interrupt (which is consumed).
 */
export async function waitTipChanged(env: WaitEnv, currentTip: Uint8Array, timeoutMs: number, interrupt: InterruptFlag,
  signal?: AbortSignal): Promise<BlockIndex | undefined> {
  const deadline = deadlineAfter(timeoutMs);
  const { chain } = env.chainman;
  const stop = (): boolean => env.shutdown.requested || interrupt.set;
  await env.notifier.waitUntil(() => chain.tip() !== undefined || stop(), Infinity, signal);
  if (!stop()) await env.notifier.waitUntil(() => !bytesEqual(chain.tip()!.hash, currentTip) || stop(), deadline, signal);
  if (stop()) {
    interrupt.set = false;
    return undefined;
  }
  return chain.tip();
}

/** Core's ChainstateManager::BlocksAheadOfTip: how far the best header extends the tip (not a competing branch). */
export function blocksAheadOfTip(chainman: ChainstateManagerApi): number | undefined {
  const best = chainman.bestHeader();
  const tip = chainman.chain.tip();
  if (!best || !tip || best.chainWork <= tip.chainWork || best.getAncestor(tip.height) !== tip) return undefined;
  return best.height - tip.height;
}

/**
 * Core's CooldownIfHeadersAhead: while the best header is ahead of the tip, waits 3-20 s (one per block behind)
 * without a new tip before a template is made; each new tip restarts the wait. False on shutdown or interrupt.
 */
export async function cooldownIfHeadersAhead(env: WaitEnv, lastTip: BlockIndex, interrupt: InterruptFlag,
  signal?: AbortSignal): Promise<boolean> {
  let lastHash = lastTip.hash;
  const tipMoved = (): boolean => {
    const tip = env.chainman.chain.tip();
    return tip !== undefined && !bytesEqual(tip.hash, lastHash);
  };
  for (let remaining = blocksAheadOfTip(env.chainman); remaining !== undefined; remaining = blocksAheadOfTip(env.chainman)) {
    const deadline = performance.now() + Math.min(Math.max(remaining, 3), 20) * 1000;
    await env.notifier.waitUntil(() => env.shutdown.requested || interrupt.set || tipMoved(), deadline, signal);
    if (env.shutdown.requested || interrupt.set) {
      interrupt.set = false;
      return false;
    }
    if (tipMoved()) {
      lastHash = env.chainman.chain.tip()!.hash;
      continue;
    }
    if (performance.now() >= deadline) break;
  }
  return true;
}

/** Options of waitAndCreateNewBlock, as BlockTemplate.waitNext receives them. */
export interface WaitNextOptions {
  timeoutMs: number;
  feeThreshold: Amount;
}

function totalFees(t: NodeBlockTemplate): Amount {
  return t.txFees.reduce((a, b) => a + b, 0n);
}

/**
 * Core's WaitAndCreateNewBlock: a new template as soon as the tip moves off `current`'s parent; otherwise once per
 * tick, when fees are watched (feeThreshold below MAX_MONEY), a fresh template whose fees beat `current`'s by the
 * threshold; on chains with minimum-difficulty blocks, one once the tip is 20 minutes old. Undefined at the
 * deadline, on shutdown, or on interruptWait (which is consumed).
 */
export async function waitAndCreateNewBlock(env: WaitEnv, current: NodeBlockTemplate, create: () => Promise<NodeBlockTemplate>,
  options: WaitNextOptions, interruptWait: InterruptFlag, signal?: AbortSignal): Promise<NodeBlockTemplate | undefined> {
  const { chain } = env.chainman;
  const prevHash = current.block.header.hashPrevBlock;
  const allowMinDifficulty = env.chainman.params.consensus.powAllowMinDifficultyBlocks;
  const deadline = deadlineAfter(options.timeoutMs);
  let currentFees: Amount | undefined;
  let now = performance.now();
  do {
    // Read before the wait, as Core reads NodeClock::now() before its tick.
    const nowSeconds = env.clock.now();
    let tipChanged = false;
    await env.notifier.waitUntil(() => {
      const tip = chain.tip();
      tipChanged = tip !== undefined && !bytesEqual(tip.hash, prevHash);
      return tipChanged || env.shutdown.requested || interruptWait.set;
    }, Math.min(now + WAIT_NEXT_TICK_MS, deadline), signal);
    if (interruptWait.set) {
      interruptWait.set = false;
      return undefined;
    }
    if (env.shutdown.requested) return undefined;
    if (!tipChanged && allowMinDifficulty && nowSeconds > chain.tip()!.time + MIN_DIFFICULTY_AFTER_SECONDS) tipChanged = true;
    if (options.feeThreshold < MAX_MONEY || tipChanged) {
      const next = await create();
      if (tipChanged) return next;
      currentFees ??= totalFees(current);
      if (totalFees(next) >= currentFees + options.feeThreshold) return next;
    }
    now = performance.now();
  } while (now < deadline);
  return undefined;
}
