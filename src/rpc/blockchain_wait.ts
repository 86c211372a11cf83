// waitfornewblock, waitforblock and waitforblockheight: block until the tip changes (Core's Mining
// waitTipChanged), a timeout in milliseconds passes (0: none) or the node shuts down.
import type { BlockIndex } from '../node/chain.js';
import type { ChainstateManagerApi } from '../node/chainstate_api.js';
import type { NodeContext, ShutdownSignal } from '../node/context.js';
import { getInt, isNull, parseHashV } from './blockchain_args.js';
import { activeTip, ensureChainman } from './blockchain_context.js';
import { RPCError, RPCErrorCode } from './protocol.js';
import type { JSONValue } from './request.js';

// One shutdown waiter per signal, shared by all pending waits, so that finished waits leave nothing behind
// (ShutdownSignal keeps its waiters until shutdown).
const shutdownCallbacks = new WeakMap<ShutdownSignal, Set<() => void>>();

function onShutdown(signal: ShutdownSignal, cb: () => void): () => void {
  let callbacks = shutdownCallbacks.get(signal);
  if (callbacks === undefined) {
    const set = new Set<() => void>();
    callbacks = set;
    shutdownCallbacks.set(signal, set);
    void signal.wait().then(() => {
      for (const f of [...set]) f();
    });
  }
  callbacks.add(cb);
  return () => callbacks.delete(cb);
}

/**
 * Resolves with the tip once it differs from `currentHash` or the deadline passes (undefined deadline: never),
 * or with undefined on shutdown (Core's waitTipChanged returning nullopt).
 */
export function waitTipChanged(chainman: ChainstateManagerApi, ctx: NodeContext, currentHash: string,
  timeoutMs: number | undefined): Promise<BlockIndex | undefined> {
  return new Promise((resolve) => {
    let done = false;
    const cleanups: Array<() => void> = [];
    const finish = (result: BlockIndex | undefined): void => {
      if (done) return;
      done = true;
      for (const c of cleanups) c();
      resolve(result);
    };
    cleanups.push(chainman.onTipChanged((change) => {
      if (change.tip.hashHex !== currentHash) finish(change.tip);
    }));
    cleanups.push(onShutdown(ctx.shutdown, () => finish(undefined)));
    if (timeoutMs !== undefined) {
      const timer = setTimeout(() => finish(activeTip(chainman)), timeoutMs);
      cleanups.push(() => clearTimeout(timer));
    }
    const tip = activeTip(chainman);
    if (tip.hashHex !== currentHash) finish(tip);
  });
}

function parseTimeout(v: JSONValue | undefined): number {
  const timeout = isNull(v) ? 0 : getInt(v);
  if (timeout < 0) throw new RPCError(RPCErrorCode.RPC_MISC_ERROR, 'Negative timeout');
  return timeout;
}

const blockRef = (index: BlockIndex): JSONValue => ({ hash: index.hashHex, height: index.height });

export async function waitfornewblock(ctx: NodeContext, params: JSONValue[]): Promise<JSONValue> {
  const timeout = parseTimeout(params[0]);
  const chainman = ensureChainman(ctx);
  const current = activeTip(chainman);
  const tipHash = isNull(params[1]) ? current.hashHex : parseHashV(params[1], 'current_tip');
  const block = await waitTipChanged(chainman, ctx, tipHash, timeout || undefined);
  return blockRef(block ?? current);
}

/** Waits in rounds until `done(tip)` holds, the deadline passes or the node shuts down. */
async function waitUntil(ctx: NodeContext, timeout: number, done: (tip: BlockIndex) => boolean): Promise<JSONValue> {
  const chainman = ensureChainman(ctx);
  let current = activeTip(chainman);
  const deadline = Date.now() + timeout;
  while (!done(current)) {
    let remaining: number | undefined;
    if (timeout) {
      remaining = deadline - Date.now();
      if (remaining <= 0) break;
    }
    const block = await waitTipChanged(chainman, ctx, current.hashHex, remaining);
    if (block === undefined) break;
    current = block;
  }
  return blockRef(current);
}

export function waitforblock(ctx: NodeContext, params: JSONValue[]): Promise<JSONValue> {
  const hash = parseHashV(params[0], 'blockhash');
  const timeout = parseTimeout(params[1]);
  return waitUntil(ctx, timeout, (tip) => tip.hashHex === hash);
}

export function waitforblockheight(ctx: NodeContext, params: JSONValue[]): Promise<JSONValue> {
  const height = getInt(params[0]);
  const timeout = parseTimeout(params[1]);
  return waitUntil(ctx, timeout, (tip) => tip.height >= height);
}
