// BlockHeader (80 bytes, cached hash) and Block (header + transactions) with their wire format and weight.
import { hash256 } from '../crypto/sha256.js';
import { sha256dBatch } from '../crypto/sha256_batch.js';
import { WITNESS_SCALE_FACTOR } from '../consensus/consensus.js';
import { Transaction, type TxReadOptions, type TxSpan } from './transaction.js';
import { ByteReader, ByteWriter, deserializeExact } from '../util/serialize.js';
import { bytesToHex, hashToHex, hexToBytes } from '../util/hex.js';

export interface BlockHeaderFields {
  version?: number;
  hashPrevBlock?: Uint8Array;
  hashMerkleRoot?: Uint8Array;
  time?: number;
  bits?: number;
  nonce?: number;
}

/** The 80-byte block header. nVersion is int32 in Core; time, bits and nonce are uint32. */
export class BlockHeader {
  static readonly SIZE = 80;

  readonly version: number;
  readonly hashPrevBlock: Uint8Array;
  readonly hashMerkleRoot: Uint8Array;
  readonly time: number;
  readonly bits: number;
  readonly nonce: number;
  private cachedHash: Uint8Array | undefined;
  private cachedHashHex: string | undefined;
  private cachedPrevHex: string | undefined;

  constructor(f: BlockHeaderFields = {}) {
    this.version = (f.version ?? 0) | 0;
    this.hashPrevBlock = f.hashPrevBlock ?? new Uint8Array(32);
    this.hashMerkleRoot = f.hashMerkleRoot ?? new Uint8Array(32);
    if (this.hashPrevBlock.length !== 32 || this.hashMerkleRoot.length !== 32) {
      throw new RangeError('block header hashes must be 32 bytes');
    }
    this.time = (f.time ?? 0) >>> 0;
    this.bits = (f.bits ?? 0) >>> 0;
    this.nonce = (f.nonce ?? 0) >>> 0;
  }

  static read(r: ByteReader): BlockHeader {
    return new BlockHeader({
      version: r.readI32LE(),
      hashPrevBlock: r.readHash(),
      hashMerkleRoot: r.readHash(),
      time: r.readU32LE(),
      bits: r.readU32LE(),
      nonce: r.readU32LE(),
    });
  }

  /** A header whose hash was computed elsewhere (a batch of them at once); `hash` is taken as it is. */
  static withHash(f: BlockHeaderFields, hash: Uint8Array): BlockHeader {
    const header = new BlockHeader(f);
    header.cachedHash = hash;
    return header;
  }

  static fromBytes(bytes: Uint8Array): BlockHeader {
    return deserializeExact(bytes, (r) => BlockHeader.read(r), 'Data after block header');
  }

  static fromHex(hex: string): BlockHeader {
    return BlockHeader.fromBytes(hexToBytes(hex));
  }

  write(w: ByteWriter): void {
    w.writeI32LE(this.version).writeBytes(this.hashPrevBlock).writeBytes(this.hashMerkleRoot);
    w.writeU32LE(this.time).writeU32LE(this.bits).writeU32LE(this.nonce);
  }

  toBytes(): Uint8Array {
    const w = new ByteWriter(BlockHeader.SIZE);
    this.write(w);
    return w.toBytes();
  }

  toHex(): string {
    return bytesToHex(this.toBytes());
  }

  /** Sets the hash computed by a parser from the 80 bytes this header was read from. */
  primeHash(hash: Uint8Array): void {
    this.cachedHash = hash;
    this.cachedHashHex = undefined;
  }

  /**
   * Fills the hash cache of every header in one batch (block index loading hashes each stored header, as Core's
   * ConstructBlockHash does): one serialization buffer and one native call instead of two hashes per header.
   */
  static hashAll(headers: readonly BlockHeader[]): void {
    const pending = headers.filter((h) => h.cachedHash === undefined);
    const w = new ByteWriter(pending.length * BlockHeader.SIZE);
    for (const h of pending) h.write(w);
    const bytes = w.peek();
    const inputs = pending.map((_, i) => bytes.subarray(i * BlockHeader.SIZE, (i + 1) * BlockHeader.SIZE));
    const hashes = sha256dBatch(inputs);
    pending.forEach((h, i) => { h.cachedHash = hashes[i]!; });
  }

  /** Block hash in internal byte order. Do not mutate the returned array. */
  get hash(): Uint8Array {
    if (!this.cachedHash) this.cachedHash = hash256(this.toBytes());
    return this.cachedHash;
  }

  getHash(): Uint8Array {
    return this.hash;
  }

  /** The hash in display hex (the block index's key); kept once made. */
  hashHex(): string {
    if (this.cachedHashHex === undefined) this.cachedHashHex = hashToHex(this.hash);
    return this.cachedHashHex;
  }

  /** hashPrevBlock in display hex (the parent's block index key); kept once made. */
  prevHashHex(): string {
    if (this.cachedPrevHex === undefined) this.cachedPrevHex = hashToHex(this.hashPrevBlock);
    return this.cachedPrevHex;
  }

  /** Core's CBlockHeader::IsNull: bits == 0. */
  isNull(): boolean {
    return this.bits === 0;
  }
}

/** A block: header plus transactions (immutable). */
export class Block {
  readonly header: BlockHeader;
  /** Frozen; blocks made from another block's list share it (a new header over the same transactions). */
  readonly vtx: readonly Transaction[];
  /**
   * Core's fChecked: the consensus parameters under which CheckBlock passed with proof of work and merkle root, so
   * it passes again under them (the block cannot change); with the signet solution check it used. Set only by
   * checkBlock.
   */
  checkedUnder: object | undefined = undefined;
  checkedSolution: unknown = undefined;

  constructor(header: BlockHeader, vtx: readonly Transaction[] = []) {
    this.header = header;
    this.vtx = Object.isFrozen(vtx) ? vtx : Object.freeze([...vtx]);
  }

  /** Reads a block; the header hash, txids and wtxids come from the bytes read, in one batch. */
  static read(r: ByteReader, opts: TxReadOptions = {}): Block {
    const headerStart = r.pos;
    const header = BlockHeader.read(r);
    const spans: TxSpan[] = [];
    const vtx = r.readVector((rr) => {
      const span: TxSpan = { start: 0, inputsStart: -1, witnessStart: -1, end: 0 };
      const tx = Transaction.read(rr, opts, span);
      spans.push(span);
      return tx;
    });
    primeBlockHashes(r.data, headerStart, header, vtx, spans);
    return new Block(header, vtx);
  }

  /** Parses exactly one block; trailing bytes are an error. */
  static fromBytes(bytes: Uint8Array, opts: TxReadOptions = {}): Block {
    return deserializeExact(bytes, (r) => Block.read(r, opts), 'Data after block');
  }

  static fromHex(hex: string, opts: TxReadOptions = {}): Block {
    return Block.fromBytes(hexToBytes(hex), opts);
  }

  write(w: ByteWriter, withWitness = true): void {
    this.header.write(w);
    w.writeCompactSize(this.vtx.length);
    for (let i = 0; i < this.vtx.length; i++) this.vtx[i]!.write(w, withWitness);
  }

  toBytes(withWitness = true): Uint8Array {
    const w = new ByteWriter(withWitness ? this.getTotalSize() : this.getStrippedSize());
    this.write(w, withWitness);
    return w.toBytes();
  }

  toHex(withWitness = true): string {
    return bytesToHex(this.toBytes(withWitness));
  }

  get hash(): Uint8Array {
    return this.header.hash;
  }

  getHash(): Uint8Array {
    return this.header.hash;
  }

  hashHex(): string {
    return this.header.hashHex();
  }

  getStrippedSize(): number {
    return this.sizeWith((tx) => tx.getStrippedSize());
  }

  getTotalSize(): number {
    return this.sizeWith((tx) => tx.getTotalSize());
  }

  /** GetBlockWeight: stripped size × (WITNESS_SCALE_FACTOR − 1) + total size. */
  getWeight(): number {
    return this.getStrippedSize() * (WITNESS_SCALE_FACTOR - 1) + this.getTotalSize();
  }

  private sizeWith(txSize: (tx: Transaction) => number): number {
    const n = this.vtx.length;
    let size = BlockHeader.SIZE + (n < 253 ? 1 : n <= 0xffff ? 3 : 5);
    for (let i = 0; i < n; i++) size += txSize(this.vtx[i]!);
    return size;
  }
}

/**
 * Hashes a parsed block from its bytes in one batch: the header, each transaction as read (its wtxid, and its txid
 * when it has no witness), and for a witness transaction its stripped serialization copied together from the
 * spans. Serializing every transaction again just to hash it costs more than the hashing.
 */
function primeBlockHashes(data: Uint8Array, headerStart: number, header: BlockHeader, vtx: readonly Transaction[], spans: readonly TxSpan[]): void {
  const inputs: Uint8Array[] = [data.subarray(headerStart, headerStart + BlockHeader.SIZE)];
  // Every stripped serialization goes into one buffer: an array of its own per transaction costs an allocation
  // (off the V8 heap for anything over 64 bytes) each.
  let strippedBytes = 0;
  for (const s of spans) if (s.witnessStart >= 0) strippedBytes += 8 + s.witnessStart - s.inputsStart;
  const strippedAll = new Uint8Array(strippedBytes);
  let at = 0;
  for (const s of spans) {
    inputs.push(data.subarray(s.start, s.end));
    if (s.witnessStart < 0) continue;
    const middle = s.witnessStart - s.inputsStart;
    const stripped = strippedAll.subarray(at, at + 8 + middle);
    at += 8 + middle;
    stripped.set(data.subarray(s.start, s.start + 4), 0);
    stripped.set(data.subarray(s.inputsStart, s.witnessStart), 4);
    stripped.set(data.subarray(s.end - 4, s.end), 4 + middle);
    inputs.push(stripped);
  }
  const digests = sha256dBatch(inputs);
  header.primeHash(digests[0]!);
  let k = 1;
  vtx.forEach((tx, i) => {
    const whole = digests[k++]!;
    if (spans[i]!.witnessStart < 0) tx.primeHashes(whole, whole);
    else tx.primeHashes(digests[k++]!, whole);
  });
}
