// UTXO set snapshots as Core's dumptxoutset writes them and loadtxoutset reads them (node/utxo_snapshot.h,
// rpc/blockchain.cpp WriteUTXOSnapshot, validation.cpp PopulateAndValidateSnapshot): the metadata (magic "utxo\xff",
// version 2, network magic, base block hash, coin count), then per transaction its txid, a CompactSize count and
// each coin as CompactSize(vout) + Coin. The file is untrusted on reading: every count is checked before use.
import fs from 'node:fs';
import { moneyRange } from '../consensus/amount.js';
import { getNetworkForMagic } from '../kernel/chainparams.js';
import { OutPoint } from '../primitives/transaction.js';
import { bytesEqual } from '../util/hex.js';
import { ByteReader, ByteWriter, SerializationError } from '../util/serialize.js';
import { type Coin, readCoin, writeCoin } from './coin.js';

export const SNAPSHOT_MAGIC_BYTES = Uint8Array.of(0x75, 0x74, 0x78, 0x6f, 0xff);
export const SNAPSHOT_VERSION = 2;
const SUPPORTED_VERSIONS: ReadonlySet<number> = new Set([SNAPSHOT_VERSION]);
/** Bytes of the serialized metadata: magic, uint16 version, 4-byte network magic, uint256, uint64. */
export const SNAPSHOT_METADATA_SIZE = 5 + 2 + 4 + 32 + 8;

/** A snapshot whose metadata or coins Core would refuse (its texts, without the RPC's prefixes). */
export class SnapshotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotError';
  }
}

export interface SnapshotMetadata {
  networkMagic: Uint8Array;
  /** Internal byte order. */
  baseBlockhash: Uint8Array;
  coinsCount: bigint;
}

export function writeSnapshotMetadata(w: ByteWriter, m: SnapshotMetadata): void {
  w.writeBytes(SNAPSHOT_MAGIC_BYTES).writeU16LE(SNAPSHOT_VERSION).writeBytes(m.networkMagic)
    .writeBytes(m.baseBlockhash).writeU64LE(m.coinsCount);
}

/** Core's SnapshotMetadata::Unserialize for a node on the network with `nodeMagic`. */
export function readSnapshotMetadata(r: ByteReader, nodeMagic: Uint8Array): SnapshotMetadata {
  if (!bytesEqual(r.readBytes(SNAPSHOT_MAGIC_BYTES.length), SNAPSHOT_MAGIC_BYTES)) {
    throw new SnapshotError('Invalid UTXO set snapshot magic bytes. Please check if this is indeed a snapshot file or if you are using an outdated snapshot format.');
  }
  const version = r.readU16LE();
  if (!SUPPORTED_VERSIONS.has(version)) {
    throw new SnapshotError(`Version of snapshot ${version} does not match any of the supported versions.`);
  }
  const networkMagic = Uint8Array.from(r.readBytes(4));
  if (!bytesEqual(networkMagic, nodeMagic)) {
    const snapshotNet = getNetworkForMagic(networkMagic);
    if (snapshotNet === undefined) {
      throw new SnapshotError('This snapshot has been created for an unrecognized network. This could be a custom signet, a new testnet or possibly caused by data corruption.');
    }
    throw new SnapshotError(`The network of the snapshot (${snapshotNet}) does not match the network of this node (${getNetworkForMagic(nodeMagic)}).`);
  }
  return { networkMagic, baseBlockhash: Uint8Array.from(r.readHash()), coinsCount: r.readU64LE() };
}

/** Appends to a file descriptor through a buffer (Core's AutoFile), flushing every megabyte. */
class FileSink {
  private w = new ByteWriter(1 << 20);
  constructor(private readonly fd: number) {}

  get writer(): ByteWriter {
    return this.w;
  }

  maybeFlush(): void {
    if (this.w.length >= 1 << 20) this.flush();
  }

  flush(): void {
    const bytes = this.w.toBytes();
    let off = 0;
    while (off < bytes.length) off += fs.writeSync(this.fd, bytes, off, bytes.length - off);
    this.w = new ByteWriter(1 << 20);
  }
}

function writeTxCoins(w: ByteWriter, txid: Uint8Array, coins: [number, Coin][]): void {
  w.writeBytes(txid).writeCompactSize(coins.length);
  for (const [n, coin] of coins) {
    w.writeCompactSize(n);
    writeCoin(w, coin);
  }
}

export interface SnapshotWriteOptions {
  /** Called every 5000 coins; throws to abort (Core's interruption_point). */
  interruptionPoint?: () => void;
}

/**
 * Writes the metadata and every coin to `fd`, grouping consecutive coins of one txid as Core does (coins come in
 * database key order). Returns the number of coins written, which must equal the metadata's count.
 */
export function writeSnapshot(fd: number, meta: SnapshotMetadata, coins: Iterable<readonly [OutPoint, Coin]>, opts: SnapshotWriteOptions = {}): number {
  const sink = new FileSink(fd);
  writeSnapshotMetadata(sink.writer, meta);
  let lastTxid: Uint8Array | null = null;
  let group: [number, Coin][] = [];
  let written = 0;
  let iter = 0;
  for (const [outpoint, coin] of coins) {
    if (iter++ % 5000 === 0) opts.interruptionPoint?.();
    if (lastTxid !== null && !bytesEqual(outpoint.hash, lastTxid)) {
      writeTxCoins(sink.writer, lastTxid, group);
      written += group.length;
      group = [];
      sink.maybeFlush();
    }
    lastTxid = outpoint.hash;
    group.push([outpoint.n, coin]);
  }
  if (lastTxid !== null) {
    writeTxCoins(sink.writer, lastTxid, group);
    written += group.length;
  }
  sink.flush();
  if (BigInt(written) !== meta.coinsCount) {
    throw new SnapshotError(`Wrote ${written} coins but the snapshot metadata says ${meta.coinsCount}`);
  }
  return written;
}

/** What loading checks each coin against: the height of the base block. */
export interface SnapshotLoadContext {
  baseHeight: number;
  /** Receives each coin in file order (Core puts them into the snapshot chainstate's cache). */
  onCoin: (outpoint: OutPoint, coin: Coin) => void;
}

/**
 * Reads the coins after the metadata (Core's PopulateAndValidateSnapshot up to the content hash): `r` is positioned
 * just after the metadata. Throws SnapshotError with Core's texts; returns the number of coins read.
 */
export function readSnapshotCoins(r: ByteReader, meta: SnapshotMetadata, ctx: SnapshotLoadContext): bigint {
  const coinsCount = meta.coinsCount;
  let coinsLeft = coinsCount;
  let processed = 0n;
  while (coinsLeft > 0n) {
    try {
      const txid = Uint8Array.from(r.readHash());
      const perTxid = BigInt(r.readCompactSize());
      if (perTxid > coinsLeft) {
        throw new SnapshotError('Mismatch in coins count in snapshot metadata and actual snapshot data');
      }
      for (let i = 0n; i < perTxid; i++) {
        // CompactSize's MAX_SIZE limit already keeps n far below Core's other bound, UINT32_MAX.
        const n = r.readCompactSize();
        const coin = readCoin(r);
        if (coin.height > ctx.baseHeight) {
          throw new SnapshotError(`Bad snapshot data after deserializing ${coinsCount - coinsLeft} coins`);
        }
        if (!moneyRange(coin.out.value)) {
          throw new SnapshotError(`Bad snapshot data after deserializing ${coinsCount - coinsLeft} coins - bad tx out value`);
        }
        ctx.onCoin(new OutPoint(txid, n), coin);
        coinsLeft--;
        processed++;
      }
    } catch (err) {
      if (!(err instanceof SerializationError)) throw err;
      throw new SnapshotError(`Bad snapshot format or truncated snapshot after deserializing ${processed} coins`);
    }
  }
  if (!r.eof()) throw new SnapshotError(`Bad snapshot - coins left over after deserializing ${coinsCount} coins`);
  return coinsCount;
}
