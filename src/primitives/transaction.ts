// OutPoint, TxIn, TxOut and the immutable Transaction (BIP144 wire format, cached txid/wtxid, weight).
import { hash256 } from '../crypto/sha256.js';
import { ByteReader, ByteWriter, SerializationError, deserializeExact } from '../util/serialize.js';
import { bytesEqual, bytesToHex, hashToHex, hexToBytes } from '../util/hex.js';
import { WITNESS_SCALE_FACTOR } from '../consensus/consensus.js';

const ZERO_HASH = new Uint8Array(32);
/** The witness of every input without one: frozen, so one array serves them all. */
const NO_WITNESS: readonly Uint8Array[] = Object.freeze([]);
/** Where OutPoint.binaryKey serializes before reading the bytes back as a string. */
const OUTPOINT_KEY_SCRATCH = Buffer.allocUnsafeSlow(36);

/** A reference to one output of a previous transaction. `hash` is the txid in internal byte order. */
export class OutPoint {
  static readonly NULL_INDEX = 0xffffffff;
  readonly hash: Uint8Array;
  readonly n: number;
  private cachedBinaryKey: string | undefined;

  constructor(hash: Uint8Array = ZERO_HASH, n: number = OutPoint.NULL_INDEX) {
    if (hash.length !== 32) throw new RangeError('OutPoint hash must be 32 bytes');
    this.hash = hash;
    this.n = n >>> 0;
  }

  static read(r: ByteReader): OutPoint {
    return new OutPoint(r.readHash(), r.readU32LE());
  }

  write(w: ByteWriter): void {
    w.writeBytes(this.hash).writeU32LE(this.n);
  }

  isNull(): boolean {
    return this.n === OutPoint.NULL_INDEX && bytesEqual(this.hash, ZERO_HASH);
  }

  equals(o: OutPoint): boolean {
    return this.n === o.n && bytesEqual(this.hash, o.hash);
  }

  /**
   * The 36 serialized bytes as a binary (latin1) string: a compact Map key for the coins caches, made once per
   * outpoint object however often a block's checks look the coin up.
   */
  binaryKey(): string {
    if (this.cachedBinaryKey === undefined) {
      // Built in one reused buffer: a pooled Buffer per key made Node allocate a new pool every 227 keys.
      OUTPOINT_KEY_SCRATCH.set(this.hash, 0);
      OUTPOINT_KEY_SCRATCH.writeUInt32LE(this.n, 32);
      this.cachedBinaryKey = OUTPOINT_KEY_SCRATCH.toString('latin1', 0, 36);
    }
    return this.cachedBinaryKey;
  }

  /** A string usable as a Map key ("<display txid>:<n>"). */
  key(): string {
    return `${hashToHex(this.hash)}:${this.n}`;
  }

  /** Core's COutPoint::ToString. */
  toString(): string {
    return `COutPoint(${hashToHex(this.hash).slice(0, 10)}, ${this.n})`;
  }
}

export interface TxInFields {
  prevout: OutPoint;
  scriptSig?: Uint8Array;
  sequence?: number;
  witness?: readonly Uint8Array[];
}

/** A transaction input. The witness stack belongs to the input but is serialized by the transaction. */
export class TxIn {
  static readonly SEQUENCE_FINAL = 0xffffffff;
  static readonly MAX_SEQUENCE_NONFINAL = 0xfffffffe;
  static readonly SEQUENCE_LOCKTIME_DISABLE_FLAG = 0x80000000;
  static readonly SEQUENCE_LOCKTIME_TYPE_FLAG = 1 << 22;
  static readonly SEQUENCE_LOCKTIME_MASK = 0x0000ffff;
  static readonly SEQUENCE_LOCKTIME_GRANULARITY = 9;

  readonly prevout: OutPoint;
  readonly scriptSig: Uint8Array;
  readonly sequence: number;
  readonly witness: readonly Uint8Array[];

  constructor(f: TxInFields) {
    this.prevout = f.prevout;
    this.scriptSig = f.scriptSig ?? new Uint8Array(0);
    this.sequence = (f.sequence ?? TxIn.SEQUENCE_FINAL) >>> 0;
    this.witness = f.witness === undefined || f.witness.length === 0 ? NO_WITNESS : Object.freeze([...f.witness]);
  }

  /** Reads prevout, scriptSig and sequence (the witness comes later in the transaction). */
  static read(r: ByteReader): TxIn {
    const prevout = OutPoint.read(r);
    const scriptSig = r.readVarBytes();
    return new TxIn({ prevout, scriptSig, sequence: r.readU32LE() });
  }

  /** TxIn.read with the scriptSig a view of the input (TxReadOptions.keepBytes). */
  static readView(r: ByteReader): TxIn {
    const prevout = OutPoint.read(r);
    const scriptSig = r.readView(r.readCompactSize());
    return new TxIn({ prevout, scriptSig, sequence: r.readU32LE() });
  }

  write(w: ByteWriter): void {
    this.prevout.write(w);
    w.writeVarBytes(this.scriptSig).writeU32LE(this.sequence);
  }

  hasWitness(): boolean {
    return this.witness.length > 0;
  }

  withWitness(witness: readonly Uint8Array[]): TxIn {
    return new TxIn({ ...this.fields(), witness });
  }

  withScriptSig(scriptSig: Uint8Array): TxIn {
    return new TxIn({ ...this.fields(), scriptSig });
  }

  fields(): Required<TxInFields> {
    return { prevout: this.prevout, scriptSig: this.scriptSig, sequence: this.sequence, witness: this.witness };
  }
}

/** A transaction output: an amount in satoshis and the script that locks it. */
export class TxOut {
  readonly value: bigint;
  readonly scriptPubKey: Uint8Array;

  constructor(value: bigint, scriptPubKey: Uint8Array) {
    this.value = value;
    this.scriptPubKey = scriptPubKey;
  }

  static read(r: ByteReader): TxOut {
    const value = r.readI64LE();
    return new TxOut(value, r.readVarBytes());
  }

  write(w: ByteWriter): void {
    w.writeI64LE(this.value).writeVarBytes(this.scriptPubKey);
  }

  /** Core's CTxOut::IsNull (value -1, used by the SIGHASH_SINGLE serializer). */
  isNull(): boolean {
    return this.value === -1n;
  }

  equals(o: TxOut): boolean {
    return this.value === o.value && bytesEqual(this.scriptPubKey, o.scriptPubKey);
  }
}

export interface TransactionFields {
  version?: number;
  vin?: readonly TxIn[];
  vout?: readonly TxOut[];
  lockTime?: number;
}

export interface TxReadOptions {
  /** Accept the BIP144 extended format (default true; false is Core's TX_NO_WITNESS). */
  allowWitness?: boolean;
  /**
   * Keep a view of the bytes read as the transaction's serialization (wireBytes() then copies nothing), and read
   * scriptSigs and witness items as views too (scriptPubKeys are still copied: coins outlive the block). Only for
   * input nobody writes to afterwards, such as a block freshly read from disk: the views are not copies.
   */
  keepBytes?: boolean;
}

function readVarCopy(r: ByteReader): Uint8Array {
  return r.readVarBytes();
}

function readVarView(r: ByteReader): Uint8Array {
  return r.readView(r.readCompactSize());
}

/**
 * Where a parsed transaction lay in its input: the whole serialization is [start, end); with witness data, the
 * stripped serialization (the txid's) is the version, [inputsStart, witnessStart), then the lock time at
 * end - 4. Without witness data inputsStart and witnessStart are -1. A parser that keeps these can hash the
 * original bytes instead of serializing the transaction again (see block.ts).
 */
export interface TxSpan {
  start: number;
  inputsStart: number;
  witnessStart: number;
  end: number;
}

/**
 * An immutable transaction. `version` is a uint32 as in current Core (a wire value of -1 reads as 0xffffffff);
 * txid and wtxid are computed on first use and cached.
 */
export class Transaction {
  static readonly CURRENT_VERSION = 2;

  readonly version: number;
  readonly vin: readonly TxIn[];
  readonly vout: readonly TxOut[];
  readonly lockTime: number;

  private cachedTxid: Uint8Array | undefined;
  private cachedWtxid: Uint8Array | undefined;
  private cachedStrippedSize: number | undefined;
  private cachedTotalSize: number | undefined;
  private cachedHasWitness: boolean | undefined;
  private cachedBytes: Uint8Array | undefined;

  constructor(f: TransactionFields = {}) {
    this.version = (f.version ?? Transaction.CURRENT_VERSION) >>> 0;
    this.vin = Object.freeze([...(f.vin ?? [])]);
    this.vout = Object.freeze([...(f.vout ?? [])]);
    this.lockTime = (f.lockTime ?? 0) >>> 0;
  }

  /** Core's UnserializeTransaction, including its handling of the marker/flag bytes; `span` gets its position. */
  static read(r: ByteReader, opts: TxReadOptions = {}, span?: TxSpan): Transaction {
    const allowWitness = opts.allowWitness ?? true;
    const start = r.pos;
    let inputsStart = -1;
    let witnessStart = -1;
    const version = r.readU32LE();
    let flags = 0;
    // Views instead of copies: a signature over 64 bytes copied would get a backing store of its own.
    const readIn = opts.keepBytes ? TxIn.readView : TxIn.read;
    const readItem = opts.keepBytes ? readVarView : readVarCopy;
    // An empty vin here is either a real zero-input tx or the BIP144 marker; Core reads it as the marker.
    let vin = r.readVector(readIn);
    let vout: TxOut[] = [];
    if (vin.length === 0 && allowWitness) {
      flags = r.readU8();
      if (flags !== 0) {
        inputsStart = r.pos;
        vin = r.readVector(readIn);
        vout = r.readVector(TxOut.read);
        witnessStart = r.pos;
      }
    } else {
      vout = r.readVector(TxOut.read);
    }
    if (flags & 1 && allowWitness) {
      flags ^= 1;
      let any = false;
      for (let i = 0; i < vin.length; i++) {
        const stack = r.readVector(readItem);
        if (stack.length > 0) {
          any = true;
          const { prevout, scriptSig, sequence } = vin[i]!;
          vin[i] = new TxIn({ prevout, scriptSig, sequence, witness: stack });
        }
      }
      if (!any) throw new SerializationError('Superfluous witness record');
    }
    if (flags) throw new SerializationError('Unknown transaction optional data');
    const lockTime = r.readU32LE();
    if (span) {
      span.start = start;
      // Marker and flag without a witness record are rejected above, so a flag read means witness data follows.
      span.inputsStart = witnessStart < 0 ? -1 : inputsStart;
      span.witnessStart = witnessStart;
      span.end = r.pos;
    }
    const tx = new Transaction({ version, vin, vout, lockTime });
    if (opts.keepBytes) tx.cachedBytes = r.data.subarray(start, r.pos);
    return tx;
  }

  /**
   * Sets txid and wtxid computed by a parser from the bytes this transaction was read from (which serialize to
   * exactly those bytes: Core's format admits one encoding, compact sizes included). `wtxid` is ignored without
   * witness data.
   */
  primeHashes(txid: Uint8Array, wtxid: Uint8Array): void {
    this.cachedTxid = txid;
    this.cachedWtxid = this.hasWitness() ? wtxid : txid;
  }

  /** Parses exactly one transaction; trailing bytes are an error (as in Core's DecodeHexTx). */
  static fromBytes(bytes: Uint8Array, opts: TxReadOptions = {}): Transaction {
    return deserializeExact(bytes, (r) => Transaction.read(r, opts), 'Data after transaction');
  }

  static fromHex(hex: string, opts: TxReadOptions = {}): Transaction {
    return Transaction.fromBytes(hexToBytes(hex), opts);
  }

  /** Core's SerializeTransaction; witnesses are written only if `withWitness` and some input has one. */
  write(w: ByteWriter, withWitness = true): void {
    const extended = withWitness && this.hasWitness();
    w.writeU32LE(this.version);
    if (extended) w.writeU8(0).writeU8(1);
    w.writeCompactSize(this.vin.length);
    for (let k = 0; k < this.vin.length; k++) this.vin[k]!.write(w);
    w.writeCompactSize(this.vout.length);
    for (let k = 0; k < this.vout.length; k++) this.vout[k]!.write(w);
    if (extended) {
      for (let k = 0; k < this.vin.length; k++) {
        const witness = this.vin[k]!.witness;
        w.writeCompactSize(witness.length);
        for (let j = 0; j < witness.length; j++) w.writeVarBytes(witness[j]!);
      }
    }
    w.writeU32LE(this.lockTime);
  }

  toBytes(withWitness = true): Uint8Array {
    const w = new ByteWriter(withWitness ? this.getTotalSize() : this.getStrippedSize());
    this.write(w, withWitness);
    return w.toBytes();
  }

  /**
   * The serialization with witnesses, read-only: the bytes it was parsed from when kept (keepBytes; Core's format
   * admits one encoding, so they are the same), else a fresh serialization.
   */
  wireBytes(): Uint8Array {
    return this.cachedBytes ?? this.toBytes(true);
  }

  toHex(withWitness = true): string {
    return bytesToHex(this.toBytes(withWitness));
  }

  hasWitness(): boolean {
    if (this.cachedHasWitness === undefined) this.cachedHasWitness = this.vin.some((i) => i.witness.length > 0);
    return this.cachedHasWitness;
  }

  /** Hash of the serialization without witness (internal byte order). Do not mutate the returned array. */
  get txid(): Uint8Array {
    if (!this.cachedTxid) this.cachedTxid = hash256(this.toBytes(false));
    return this.cachedTxid;
  }

  /** Hash of the serialization with witness; equals txid when there is none. Do not mutate the returned array. */
  get wtxid(): Uint8Array {
    if (!this.cachedWtxid) this.cachedWtxid = this.hasWitness() ? hash256(this.toBytes(true)) : this.txid;
    return this.cachedWtxid;
  }

  /** txid in display (reversed) hex, as RPC shows it. */
  txidHex(): string {
    return hashToHex(this.txid);
  }

  wtxidHex(): string {
    return hashToHex(this.wtxid);
  }

  /** Serialized size without witness data. */
  getStrippedSize(): number {
    if (this.cachedStrippedSize === undefined) this.cachedStrippedSize = this.computeSize(false);
    return this.cachedStrippedSize;
  }

  /** Serialized size with witness data (Core's GetTotalSize). */
  getTotalSize(): number {
    if (this.cachedTotalSize === undefined) {
      this.cachedTotalSize = this.hasWitness() ? this.computeSize(true) : this.getStrippedSize();
    }
    return this.cachedTotalSize;
  }

  /** GetTransactionWeight: stripped size × (WITNESS_SCALE_FACTOR − 1) + total size. */
  getWeight(): number {
    return this.getStrippedSize() * (WITNESS_SCALE_FACTOR - 1) + this.getTotalSize();
  }

  /** Virtual size from weight alone (policy adds a sigop term on top; see policy code). */
  getVirtualSize(): number {
    return Math.ceil(this.getWeight() / WITNESS_SCALE_FACTOR);
  }

  isCoinBase(): boolean {
    return this.vin.length === 1 && this.vin[0]!.prevout.isNull();
  }

  /** Core's IsNull: no inputs and no outputs. */
  isNull(): boolean {
    return this.vin.length === 0 && this.vout.length === 0;
  }

  /** Sum of output values. Like Core, throws when a value or the running sum leaves the money range. */
  getValueOut(maxMoney = 21_000_000n * 100_000_000n): bigint {
    let total = 0n;
    for (const o of this.vout) {
      const inRange = (v: bigint): boolean => v >= 0n && v <= maxMoney;
      if (!inRange(o.value) || !inRange(total + o.value)) {
        throw new RangeError('GetValueOut: value out of range');
      }
      total += o.value;
    }
    return total;
  }

  /** A mutable copy for building and signing. */
  toMutable(): MutableTransaction {
    return new MutableTransaction({ version: this.version, vin: this.vin, vout: this.vout, lockTime: this.lockTime });
  }

  private computeSize(withWitness: boolean): number {
    const cs = (n: number): number => (n < 253 ? 1 : n <= 0xffff ? 3 : 5);
    let size = 4 + cs(this.vin.length) + cs(this.vout.length) + 4;
    // Indexed loops: these run for every new transaction, long before the optimizer has seen them.
    for (let k = 0; k < this.vin.length; k++) {
      const scriptSig = this.vin[k]!.scriptSig;
      size += 36 + cs(scriptSig.length) + scriptSig.length + 4;
    }
    for (let k = 0; k < this.vout.length; k++) {
      const script = this.vout[k]!.scriptPubKey;
      size += 8 + cs(script.length) + script.length;
    }
    if (withWitness && this.hasWitness()) {
      size += 2;
      for (let k = 0; k < this.vin.length; k++) {
        const witness = this.vin[k]!.witness;
        size += cs(witness.length);
        for (let j = 0; j < witness.length; j++) size += cs(witness[j]!.length) + witness[j]!.length;
      }
    }
    return size;
  }
}

/** Core's CMutableTransaction: plain mutable fields; freeze with toTransaction(). */
export class MutableTransaction {
  version: number;
  vin: TxIn[];
  vout: TxOut[];
  lockTime: number;

  constructor(f: TransactionFields = {}) {
    this.version = (f.version ?? Transaction.CURRENT_VERSION) >>> 0;
    this.vin = [...(f.vin ?? [])];
    this.vout = [...(f.vout ?? [])];
    this.lockTime = (f.lockTime ?? 0) >>> 0;
  }

  addInput(prevout: OutPoint, scriptSig?: Uint8Array, sequence?: number): this {
    this.vin.push(new TxIn({ prevout, scriptSig: scriptSig ?? new Uint8Array(0), sequence: sequence ?? TxIn.SEQUENCE_FINAL }));
    return this;
  }

  addOutput(value: bigint, scriptPubKey: Uint8Array): this {
    this.vout.push(new TxOut(value, scriptPubKey));
    return this;
  }

  setWitness(nIn: number, witness: readonly Uint8Array[]): this {
    this.vin[nIn] = this.vin[nIn]!.withWitness(witness);
    return this;
  }

  setScriptSig(nIn: number, scriptSig: Uint8Array): this {
    this.vin[nIn] = this.vin[nIn]!.withScriptSig(scriptSig);
    return this;
  }

  toTransaction(): Transaction {
    return new Transaction(this);
  }
}
