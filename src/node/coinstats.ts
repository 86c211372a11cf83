// UTXO set statistics (Core's kernel/coinstats): one pass over the coins in database key order that counts outputs,
// transactions and bogosize, sums the amounts and hashes the set, either with hash_serialized_3 (double SHA-256 of
// every coin's TxOutSer in order) or with MuHash3072 (an order-independent set hash of the same serializations).
import crypto from 'node:crypto';
import { MuHash3072 } from '../crypto/muhash.js';
import { sha256 } from '../crypto/sha256.js';
import { OutPoint } from '../primitives/transaction.js';
import { ByteWriter } from '../util/serialize.js';
import { bytesEqual } from '../util/hex.js';
import type { Coin } from './coin.js';

export type CoinStatsHashType = 'hash_serialized_3' | 'muhash' | 'none';

/** Core's ParseHashType failure (an RPC_INVALID_PARAMETER in the RPCs). */
export class HashTypeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HashTypeError';
  }
}

export function parseHashType(input: string): CoinStatsHashType {
  if (input === 'hash_serialized_3' || input === 'muhash' || input === 'none') return input;
  throw new HashTypeError(`'${input}' is not a valid hash_type`);
}

/** Core's CCoinsStats, for the fields a pass over the coins database gives. */
export interface CoinsStats {
  height: number;
  /** The block the coins are current for (internal byte order). */
  hashBlock: Uint8Array;
  /** Transactions with at least one unspent output. */
  transactions: number;
  txouts: number;
  bogoSize: number;
  /** The set hash in internal byte order; absent for hash type 'none'. */
  hashSerialized?: Uint8Array;
  /** Sum of the amounts, or null when it overflowed int64 (Core's nullopt). */
  totalAmount: bigint | null;
  coinsCount: number;
}

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

/** Core's GetBogoSize: a database-independent size of one coin (32 + 4 + 4 + 8 + 2 bytes plus the script). */
export function getBogoSize(scriptPubKey: Uint8Array): number {
  return 32 + 4 + 4 + 8 + 2 + scriptPubKey.length;
}

/** Core's TxOutSer: outpoint, uint32 (height << 1 | coinbase), then the output (amount and script). */
export function writeTxOutSer(w: ByteWriter, outpoint: OutPoint, coin: Coin): void {
  outpoint.write(w);
  w.writeU32LE(((coin.height << 1) | (coin.coinbase ? 1 : 0)) >>> 0);
  coin.out.write(w);
}

export function txOutSer(outpoint: OutPoint, coin: Coin): Uint8Array {
  const w = new ByteWriter(64 + coin.out.scriptPubKey.length);
  writeTxOutSer(w, outpoint, coin);
  return w.toBytes();
}

/** What a pass feeds the coins of one transaction to (Core's hash_obj overloads). */
interface SetHasher {
  add(ser: Uint8Array): void;
  finish(): Uint8Array | undefined;
}

function makeHasher(type: CoinStatsHashType): SetHasher {
  switch (type) {
    case 'hash_serialized_3': {
      // Core's HashWriter: SHA-256 over the stream, then SHA-256 of that (GetHash).
      const h = crypto.createHash('sha256');
      return { add: (ser) => h.update(ser), finish: () => sha256(new Uint8Array(h.digest())) };
    }
    case 'muhash': {
      const m = new MuHash3072();
      return { add: (ser) => m.insert(ser), finish: () => m.finalize() };
    }
    case 'none':
      return { add: () => undefined, finish: () => undefined };
  }
}

/** Where a pass starts from: the block the coins are current for. */
export interface StatsBase {
  height: number;
  hashBlock: Uint8Array;
}

export interface StatsOptions {
  /** Called before each coin; throws to abort (Core's interruption_point, e.g. on shutdown). */
  interruptionPoint?: () => void;
}

/** Accumulates one transaction's outputs at a time, as Core's ComputeUTXOStats does with its per-txid map. */
class StatsPass {
  readonly stats: CoinsStats;
  private readonly hasher: SetHasher;
  private prevTxid: Uint8Array | null = null;
  private outputs = new Map<number, Coin>();

  constructor(type: CoinStatsHashType, base: StatsBase) {
    this.hasher = makeHasher(type);
    this.stats = {
      height: base.height, hashBlock: base.hashBlock, transactions: 0, txouts: 0, bogoSize: 0, totalAmount: 0n, coinsCount: 0,
    };
  }

  add(outpoint: OutPoint, coin: Coin): void {
    if (this.outputs.size > 0 && !bytesEqual(outpoint.hash, this.prevTxid!)) this.flushTx();
    this.prevTxid = outpoint.hash;
    this.outputs.set(outpoint.n, coin);
    this.stats.coinsCount++;
  }

  /** Applies the collected outputs in output-index order (Core keeps them in a std::map). */
  private flushTx(): void {
    const s = this.stats;
    const txid = this.prevTxid!;
    s.transactions++;
    for (const n of [...this.outputs.keys()].sort((a, b) => a - b)) {
      const coin = this.outputs.get(n)!;
      s.txouts++;
      s.bogoSize += getBogoSize(coin.out.scriptPubKey);
      if (s.totalAmount !== null) {
        const sum = s.totalAmount + coin.out.value;
        s.totalAmount = sum > INT64_MAX || sum < INT64_MIN ? null : sum;
      }
      this.hasher.add(txOutSer(new OutPoint(txid, n), coin));
    }
    this.outputs.clear();
  }

  finish(): CoinsStats {
    if (this.outputs.size > 0) this.flushTx();
    const hash = this.hasher.finish();
    if (hash !== undefined) this.stats.hashSerialized = hash;
    return this.stats;
  }
}

/** Core's ComputeUTXOStats over coins in database key order (all outputs of a transaction next to each other). */
export function computeUTXOStats(
  type: CoinStatsHashType,
  coins: Iterable<readonly [OutPoint, Coin]>,
  base: StatsBase,
  opts: StatsOptions = {},
): CoinsStats {
  const pass = new StatsPass(type, base);
  for (const [outpoint, coin] of coins) {
    opts.interruptionPoint?.();
    pass.add(outpoint, coin);
  }
  return pass.finish();
}
