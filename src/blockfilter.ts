// BIP158 compact block filters: Golomb-coded sets keyed by the block hash, filter hashes and header chain.
import { sha256d } from './crypto/sha256.js';
import { sipHash24 } from './crypto/siphash.js';
import { Opcode } from './script/script.js';
import { BitReader, BitWriter, golombRiceDecode, golombRiceEncode } from './util/golombrice.js';
import { ByteReader, ByteWriter, SerializationError } from './util/serialize.js';
import { bytesEqual, bytesToHex } from './util/hex.js';
import { BlockFilterType } from './blockfilter_type.js';

export { BlockFilterType, blockFilterTypeName } from './blockfilter_type.js';

/** BIP158 basic filter parameters. */
export const BASIC_FILTER_P = 19;
export const BASIC_FILTER_M = 784931;

export interface GCSParams {
  /** SipHash keys, read little-endian from the first 16 bytes of the block hash. */
  k0: bigint;
  k1: bigint;
  p: number;
  m: number;
}

/** GCS parameters for a block hash in internal byte order. */
export function basicFilterParams(blockHash: Uint8Array): GCSParams {
  const r = new ByteReader(blockHash);
  const k0 = r.readU64LE();
  return { k0, k1: r.readU64LE(), p: BASIC_FILTER_P, m: BASIC_FILTER_M };
}

/** A Golomb-coded set (Core's GCSFilter): a sorted list of hashes in [0, N*M) coded as Golomb-Rice deltas. */
export class GCSFilter {
  private constructor(
    readonly params: GCSParams,
    readonly n: number,
    /** Serialization: CompactSize N followed by the bit stream. */
    readonly encoded: Uint8Array,
  ) {}

  private static range(params: GCSParams, n: number): bigint {
    return BigInt(n) * BigInt(params.m);
  }

  /** Maps a SipHash of the element into [0, F) (FastRange64: the high 64 bits of hash*F). */
  private static hashToRange(params: GCSParams, f: bigint, element: Uint8Array): bigint {
    return (sipHash24(params.k0, params.k1, element) * f) >> 64n;
  }

  /** Builds the filter of a set of elements (duplicates must already be removed). */
  static fromElements(params: GCSParams, elements: readonly Uint8Array[]): GCSFilter {
    const n = elements.length;
    const f = GCSFilter.range(params, n);
    const values = elements.map((e) => GCSFilter.hashToRange(params, f, e)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const w = new ByteWriter();
    w.writeCompactSize(n);
    const bits = new BitWriter();
    let last = 0n;
    for (const v of values) {
      golombRiceEncode(bits, params.p, v - last);
      last = v;
    }
    w.writeBytes(bits.finish());
    return new GCSFilter(params, n, w.toBytes());
  }

  /**
   * Wraps a serialized filter, as Core's GCSFilter constructor does: N is read with the usual CompactSize
   * range check, then (unless skipped) exactly N codes must decode and no whole byte may follow them.
   * Failures throw SerializationError with Core's text.
   */
  static fromEncoded(params: GCSParams, encoded: Uint8Array, skipDecodeCheck = false): GCSFilter {
    const r = new ByteReader(encoded);
    const n = r.readCompactSize();
    // Unreachable after the range check (MAX_SIZE < 2^32), kept because Core checks it too.
    if (n > 0xffffffff) throw new SerializationError('N must be <2^32');
    const filter = new GCSFilter(params, n, encoded.slice());
    if (skipDecodeCheck) return filter;
    const bits = new BitReader(filter.encoded, r.pos);
    for (let i = 0; i < n; i++) golombRiceDecode(bits, params.p);
    // Only the zero padding of the last partly used byte may remain.
    if (bits.bytePos !== filter.encoded.length) throw new SerializationError('encoded_filter contains excess data');
    return filter;
  }

  /** The bit stream after N. */
  private bitsAfterN(): BitReader {
    const r = new ByteReader(this.encoded);
    r.readCompactSize();
    return new BitReader(this.encoded, r.pos);
  }

  /** Whether any of the sorted query hashes is in the set (a merge of two sorted lists). */
  private matchSorted(queries: bigint[]): boolean {
    if (this.n === 0 || queries.length === 0) return false;
    const bits = this.bitsAfterN();
    let value = 0n;
    let qi = 0;
    for (let i = 0; i < this.n; i++) {
      value += golombRiceDecode(bits, this.params.p);
      while (qi < queries.length && queries[qi]! < value) qi++;
      if (qi === queries.length) return false;
      if (queries[qi] === value) return true;
    }
    return false;
  }

  /** Probabilistic membership test (false positives at rate 1/M). */
  match(element: Uint8Array): boolean {
    const f = GCSFilter.range(this.params, this.n);
    return this.matchSorted([GCSFilter.hashToRange(this.params, f, element)]);
  }

  /** True if at least one element matches (false positives possible, as with match). */
  matchAny(elements: readonly Uint8Array[]): boolean {
    const f = GCSFilter.range(this.params, this.n);
    const qs = elements.map((e) => GCSFilter.hashToRange(this.params, f, e)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return this.matchSorted(qs);
  }
}

/** The parts of a block that the basic filter reads (structurally a primitives/Block). */
export interface FilterBlock {
  readonly vtx: readonly { readonly vout: readonly { readonly scriptPubKey: Uint8Array }[] }[];
}

/**
 * BasicFilterElements: every output script except empty and OP_RETURN ones, and every non-empty
 * script spent by the block (from its undo data), without duplicates.
 */
export function basicFilterElements(block: FilterBlock, spentScripts: readonly Uint8Array[]): Uint8Array[] {
  const seen = new Map<string, Uint8Array>();
  for (const tx of block.vtx) {
    for (const out of tx.vout) {
      const s = out.scriptPubKey;
      if (s.length === 0 || s[0] === Opcode.OP_RETURN) continue;
      seen.set(bytesToHex(s), s);
    }
  }
  for (const s of spentScripts) {
    if (s.length === 0) continue;
    seen.set(bytesToHex(s), s);
  }
  return [...seen.values()];
}

/** A block filter of some type for one block (Core's BlockFilter). */
export class BlockFilter {
  private constructor(
    readonly filterType: BlockFilterType,
    /** Block hash, internal byte order. */
    readonly blockHash: Uint8Array,
    readonly filter: GCSFilter,
  ) {}

  /** Builds the basic filter of a block from the block and the scripts of the outputs it spends. */
  static fromBlock(block: FilterBlock, blockHash: Uint8Array, spentScripts: readonly Uint8Array[]): BlockFilter {
    const params = basicFilterParams(blockHash);
    return new BlockFilter(BlockFilterType.BASIC, blockHash, GCSFilter.fromElements(params, basicFilterElements(block, spentScripts)));
  }

  /** Wraps a serialized filter received for a block. */
  static fromEncoded(filterType: BlockFilterType, blockHash: Uint8Array, encoded: Uint8Array, skipDecodeCheck = false): BlockFilter {
    if (filterType !== BlockFilterType.BASIC) throw new RangeError('unknown filter_type');
    return new BlockFilter(filterType, blockHash, GCSFilter.fromEncoded(basicFilterParams(blockHash), encoded, skipDecodeCheck));
  }

  get encoded(): Uint8Array {
    return this.filter.encoded;
  }

  /** Double SHA-256 of the serialized filter. */
  getHash(): Uint8Array {
    return sha256d(this.filter.encoded);
  }

  /** Filter header: Hash(filter hash || previous header), both internal byte order. */
  computeHeader(prevHeader: Uint8Array): Uint8Array {
    const buf = new Uint8Array(64);
    buf.set(this.getHash());
    buf.set(prevHeader, 32);
    return sha256d(buf);
  }

  equals(o: BlockFilter): boolean {
    return this.filterType === o.filterType && bytesEqual(this.blockHash, o.blockHash) && bytesEqual(this.encoded, o.encoded);
  }
}
