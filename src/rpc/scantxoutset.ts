// scantxoutset (Core's rpc/blockchain.cpp): walks the coins database for outputs whose script one of the scan
// descriptors produces. One scan at a time per node; "status" and "abort" reach a running scan because the walk
// yields to the event loop every 8192 coins (where Core checks its abort flag).
import { type Amount } from '../consensus/amount.js';
import { valueFromAmount } from '../core_io.js';
import { addressParams, type AddressParams } from '../kernel/chainparams_base.js';
import type { BlockIndex } from '../node/chain.js';
import type { Coin } from '../node/coin.js';
import type { NodeContext } from '../node/context.js';
import type { OutPoint } from '../primitives/transaction.js';
import { TRDescriptor } from '../script/descriptor.js';
import { SigningProvider } from '../script/descriptor_keys.js';
import { parseDescriptor } from '../script/descriptor_parser.js';
import { bytesToHex, hashToHex } from '../util/hex.js';
import { getStr, uvTypeName } from './blockchain_args.js';
import { activeTip, ensureChainman } from './blockchain_context.js';
import { RPCError, RPCErrorCode, RPCTypeError } from './protocol.js';
import type { JSONObject, JSONValue } from './request.js';
import { inferDescriptor } from './scan_infer.js';
import { parseDescriptorRange } from './util_parse.js';

const ABORT_CHECK_INTERVAL = 8192;
const PROGRESS_INTERVAL = 256;

function invalidParameter(message: string): RPCError {
  return new RPCError(RPCErrorCode.RPC_INVALID_PARAMETER, message);
}

/** The scripts to look for, each with the provider knowledge that names it back (keys, scripts, tr internal keys). */
export interface Needles {
  scripts: Map<string, Uint8Array>;
  provider: SigningProvider;
  taproot: Map<string, Uint8Array>;
}

export function newNeedles(): Needles {
  return { scripts: new Map(), provider: new SigningProvider(), taproot: new Map() };
}

/** Core's EvalDescriptorStringOrObject: a descriptor string, or {desc, range}; expands every position into `into`. */
export function evalDescriptorStringOrObject(scanobject: JSONValue, params: AddressParams, into: Needles): void {
  let descStr: string;
  let range: [number, number] = [0, 1000];
  if (typeof scanobject === 'string') {
    descStr = scanobject;
  } else if (uvTypeName(scanobject) === 'object') {
    const obj = scanobject as JSONObject;
    if (obj.desc === undefined || obj.desc === null) throw invalidParameter('Descriptor needs to be provided in scan object');
    descStr = getStr(obj.desc);
    if (obj.range !== undefined && obj.range !== null) range = parseDescriptorRange(obj.range);
  } else {
    throw invalidParameter('Scan object needs to be either a string or an object');
  }
  const parsed = parseDescriptor(descStr, params);
  if (!parsed.ok) throw new RPCError(RPCErrorCode.RPC_INVALID_ADDRESS_OR_KEY, parsed.error);
  into.provider.merge(parsed.provider);
  if (!parsed.descriptors[0]!.isRange()) range = [0, 0];
  for (let i = range[0]; i <= range[1]; i++) {
    for (const desc of parsed.descriptors) {
      const scripts = desc.expand(i, into.provider, into.provider);
      if (scripts === null) {
        throw new RPCError(RPCErrorCode.RPC_INVALID_ADDRESS_OR_KEY, `Cannot derive script without private keys: '${descStr}'`);
      }
      for (const s of scripts) {
        into.scripts.set(bytesToHex(s), s);
        if (desc instanceof TRDescriptor && desc.subdescriptors.length === 0) {
          into.taproot.set(bytesToHex(s.subarray(2)), desc.pubkeyArgs[0]!.getPubKey(i, into.provider, new SigningProvider())!);
        }
      }
    }
  }
}

/** The walk's outcome: whether it ran to the end, coins visited, and the matches. */
export interface ScanResult {
  success: boolean;
  count: number;
  found: [OutPoint, Coin][];
}

/** Core's g_scan_in_progress / g_scan_progress / g_should_abort_scan, one per node. */
export class TxOutSetScan {
  private inProgress = false;
  private progress = 0;
  private shouldAbort = false;

  /** Null when no scan runs (Core returns null then), else the rough percentage done. */
  status(): JSONValue {
    return this.inProgress ? { progress: this.progress } : null;
  }

  /** Asks a running scan to stop; false when there is none. */
  abort(): boolean {
    if (!this.inProgress) return false;
    this.shouldAbort = true;
    return true;
  }

  /** Core's FindScriptPubKey under the reservation; `interruptionPoint` throws on shutdown. */
  async run(coins: Iterable<readonly [OutPoint, Coin]>, needles: ReadonlyMap<string, Uint8Array>, interruptionPoint?: () => void): Promise<ScanResult> {
    if (this.inProgress) throw invalidParameter('Scan already in progress, use action "abort" or "status"');
    this.inProgress = true;
    this.shouldAbort = false;
    try {
      return await this.walk(coins, needles, interruptionPoint);
    } finally {
      this.inProgress = false;
      this.progress = 0;
    }
  }

  private async walk(coins: Iterable<readonly [OutPoint, Coin]>, needles: ReadonlyMap<string, Uint8Array>, interruptionPoint?: () => void): Promise<ScanResult> {
    const found: [OutPoint, Coin][] = [];
    let count = 0;
    for (const [outpoint, coin] of coins) {
      if (++count % ABORT_CHECK_INTERVAL === 0) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        interruptionPoint?.();
        if (this.shouldAbort) return { success: false, count, found };
      }
      if (count % PROGRESS_INTERVAL === 0) {
        // The first two bytes of the txid place the cursor within the key space.
        const high = 0x100 * outpoint.hash[0]! + outpoint.hash[1]!;
        this.progress = Math.floor((high * 100) / 65536 + 0.5);
      }
      if (needles.has(bytesToHex(coin.out.scriptPubKey))) found.push([outpoint, coin]);
    }
    this.progress = 100;
    return { success: true, count, found };
  }
}

/** COutPoint ordering (txid bytes, then index): the order of Core's result map. */
function compareOutPoints(a: OutPoint, b: OutPoint): number {
  for (let i = 0; i < 32; i++) if (a.hash[i] !== b.hash[i]) return a.hash[i]! - b.hash[i]!;
  return a.n - b.n;
}

/** The "start" result as Core shapes it. */
export function scanResultToJSON(res: ScanResult, tip: BlockIndex, needles: Needles, params: AddressParams): JSONObject {
  const unspents: JSONValue[] = [];
  let total: Amount = 0n;
  for (const [outpoint, coin] of [...res.found].sort((a, b) => compareOutPoints(a[0], b[0]))) {
    const block = tip.getAncestor(coin.height);
    if (block === undefined) throw new RPCError(RPCErrorCode.RPC_MISC_ERROR, `Internal bug detected: coin height ${coin.height} above the tip`);
    total += coin.out.value;
    unspents.push({
      txid: hashToHex(outpoint.hash),
      vout: outpoint.n,
      scriptPubKey: bytesToHex(coin.out.scriptPubKey),
      desc: inferDescriptor(coin.out.scriptPubKey, needles.provider, needles.taproot, params).toString(),
      amount: valueFromAmount(coin.out.value),
      coinbase: coin.coinbase,
      height: coin.height,
      blockhash: block.hashHex,
      confirmations: tip.height - coin.height + 1,
    });
  }
  return {
    success: res.success, txouts: res.count, height: tip.height, bestblock: tip.hashHex, unspents, total_amount: valueFromAmount(total),
  };
}

/** A node's scan state lives beside its context (Core keeps it in globals). */
const scans = new WeakMap<object, TxOutSetScan>();

export function scanStateFor(ctx: NodeContext): TxOutSetScan {
  let s = scans.get(ctx);
  if (s === undefined) {
    s = new TxOutSetScan();
    scans.set(ctx, s);
  }
  return s;
}

/** scantxoutset "action" [scanobjects]. */
export async function scantxoutset(ctx: NodeContext, params: JSONValue[]): Promise<JSONValue> {
  const action = getStr(params[0]);
  const scan = scanStateFor(ctx);
  if (action === 'status') return scan.status();
  if (action === 'abort') return scan.abort();
  if (action !== 'start') throw invalidParameter(`Invalid action '${action}'`);
  if (scan.status() !== null) throw invalidParameter('Scan already in progress, use action "abort" or "status"');
  if (params.length < 2) throw new RPCError(RPCErrorCode.RPC_MISC_ERROR, 'scanobjects argument is required for the start action');
  if (!Array.isArray(params[1])) throw new RPCTypeError(`JSON value of type ${uvTypeName(params[1])} is not of expected type array`);
  const chainman = ensureChainman(ctx);
  const addrParams = addressParams(chainman.params.chainType);
  const needles = newNeedles();
  for (const obj of params[1]) evalDescriptorStringOrObject(obj, addrParams, needles);
  const coins = chainman.coinsCursor();
  const tip = activeTip(chainman);
  const res = await scan.run(coins, needles.scripts, () => {
    if (ctx.shutdown.requested) throw new RPCError(RPCErrorCode.RPC_CLIENT_NOT_CONNECTED, 'Shutting down');
  });
  return scanResultToJSON(res, tip, needles, addrParams);
}
