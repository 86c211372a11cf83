// Proof of work: compact "nBits" targets, CheckProofOfWork and the difficulty retarget rules (Core's pow.cpp).

import { type ChainEntry, getAncestor } from './chain_entry.js';
import { type ConsensusParams, difficultyAdjustmentInterval } from './params.js';

const UINT256_MASK = (1n << 256n) - 1n;

/** A 256-bit number read from 32 bytes in internal (little-endian) order, as UintToArith256 does. */
export function uint256ToBigInt(bytes: Uint8Array): bigint {
  if (bytes.length !== 32) throw new RangeError('uint256 must be 32 bytes');
  // Four 64-bit limbs: a byte at a time costs 64 BigInt operations, and this runs for every header on load.
  const view = new DataView(bytes.buffer, bytes.byteOffset, 32);
  return (view.getBigUint64(24, true) << 192n) | (view.getBigUint64(16, true) << 128n) |
    (view.getBigUint64(8, true) << 64n) | view.getBigUint64(0, true);
}

/** 32 little-endian bytes of a 256-bit number (ArithToUint256). */
export function bigIntToUint256(v: bigint): Uint8Array {
  if (v < 0n || v > UINT256_MASK) throw new RangeError('value does not fit in 256 bits');
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++, v >>= 8n) out[i] = Number(v & 0xffn);
  return out;
}

/** Big-endian display hex (64 digits) of a 256-bit number, as arith_uint256::GetHex prints it. */
export function uint256Hex(v: bigint): string {
  return (v & UINT256_MASK).toString(16).padStart(64, '0');
}

export interface CompactDecoded {
  target: bigint;
  negative: boolean;
  overflow: boolean;
}

/**
 * Core's arith_uint256::SetCompact. nBits packs a byte count (top byte) with a 23-bit mantissa and a sign
 * bit, a base-256 floating point form; bits shifted past 256 are lost.
 */
export function setCompact(compact: number): CompactDecoded {
  const c = compact >>> 0;
  const size = c >>> 24;
  let word = c & 0x007fffff;
  let target: bigint;
  if (size <= 3) {
    word >>>= 8 * (3 - size);
    target = BigInt(word);
  } else {
    target = (BigInt(word) << BigInt(8 * (size - 3))) & UINT256_MASK;
  }
  const negative = word !== 0 && (c & 0x00800000) !== 0;
  const overflow = word !== 0 && (size > 34 || (word > 0xff && size > 33) || (word > 0xffff && size > 32));
  return { target, negative, overflow };
}

function bitLength(v: bigint): number {
  return v === 0n ? 0 : v.toString(2).length;
}

/** Core's arith_uint256::GetCompact: the shortest compact form, never with the sign bit set unless `negative`. */
export function getCompact(target: bigint, negative = false): number {
  if (target < 0n || target > UINT256_MASK) throw new RangeError('target does not fit in 256 bits');
  let size = Math.ceil(bitLength(target) / 8);
  let compact: number;
  if (size <= 3) {
    compact = Number(target << BigInt(8 * (3 - size)));
  } else {
    compact = Number((target >> BigInt(8 * (size - 3))) & 0xffffffffn);
  }
  // Bit 23 of the mantissa is the sign flag; a value that would set it is shifted right by a byte instead.
  if (compact & 0x00800000) {
    compact >>>= 8;
    size++;
  }
  compact = (compact | (size << 24)) >>> 0;
  if (negative && (compact & 0x007fffff) !== 0) compact = (compact | 0x00800000) >>> 0;
  return compact;
}

/** The last deriveTarget result (checked for every header when the block index is loaded; nBits rarely changes). */
let lastTarget: { bits: number; powLimit: bigint; target: bigint | undefined; bytes: Uint8Array | undefined } | undefined;

function targetOf(bits: number, powLimit: bigint): { target: bigint | undefined; bytes: Uint8Array | undefined } {
  if (lastTarget?.bits === bits && lastTarget.powLimit === powLimit) return lastTarget;
  const { target, negative, overflow } = setCompact(bits);
  const valid = negative || target === 0n || overflow || target > powLimit ? undefined : target;
  lastTarget = { bits, powLimit, target: valid, bytes: valid === undefined ? undefined : bigIntToUint256(valid) };
  return lastTarget;
}

/**
 * Core's DeriveTarget: the target encoded by nBits, or undefined when it is negative, zero, overflows
 * or is easier than the proof-of-work limit.
 */
export function deriveTarget(bits: number, powLimit: bigint): bigint | undefined {
  return targetOf(bits, powLimit).target;
}

/** Whether a 256-bit number (32 bytes, internal little-endian order) is at most another one. */
export function uint256AtMost(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 31; i >= 0; i--) {
    if (a[i] !== b[i]) return a[i]! < b[i]!;
  }
  return true;
}

/**
 * A test of block hashes against the target in nBits (Core's CheckProofOfWorkImpl with DeriveTarget done once):
 * always false when nBits is invalid.
 */
export function proofOfWorkTest(bits: number, powLimit: bigint): (hash: Uint8Array) => boolean {
  const bytes = targetOf(bits, powLimit).bytes;
  return bytes === undefined ? () => false : (hash) => uint256AtMost(hash, bytes);
}

/** Whether a block hash (32 bytes, internal order) satisfies the target in nBits. */
export function checkProofOfWork(hash: Uint8Array, bits: number, params: ConsensusParams): boolean {
  const bytes = targetOf(bits, params.powLimit).bytes;
  return bytes !== undefined && uint256AtMost(hash, bytes);
}

/** The last getBlockProof result: a chain's headers mostly share one nBits, and loading the block index asks for each. */
let lastProof: { bits: number; proof: bigint } | undefined;

/** The expected number of hashes for a block at nBits: 2^256 / (target + 1), or 0 for an invalid nBits. */
export function getBlockProof(bits: number): bigint {
  if (lastProof?.bits === bits) return lastProof.proof;
  const { target, negative, overflow } = setCompact(bits);
  const proof = negative || overflow || target === 0n ? 0n : (1n << 256n) / (target + 1n);
  lastProof = { bits, proof };
  return proof;
}

/** Per entry: the result of the testnet walk below from it, and the rule figures it was found under. */
const minDifficultyWalks = new WeakMap<ChainEntry, { interval: number; limit: number; bits: number }>();

/**
 * The bits of the nearest block at or before `last` that is a retarget block, the first block, or not at the
 * minimum difficulty. The walk can span a whole period; an entry's answer never changes (its ancestry is fixed),
 * so it is kept per entry and the next block's walk stops at its parent.
 */
function lastNonMinDifficultyBits(last: ChainEntry, interval: number, limit: number): number {
  let walk: ChainEntry = last;
  let bits: number | undefined;
  while (walk.prev && walk.height % interval !== 0 && walk.bits === limit) {
    const known = minDifficultyWalks.get(walk);
    if (known !== undefined && known.interval === interval && known.limit === limit) {
      bits = known.bits;
      break;
    }
    walk = walk.prev;
  }
  bits ??= walk.bits;
  minDifficultyWalks.set(last, { interval, limit, bits });
  return bits;
}

/** The last proof-of-work limit put in compact form: a network's limit is asked for with every header. */
let lastLimit: { limit: bigint; compact: number } | undefined;

function compactLimit(limit: bigint): number {
  if (lastLimit?.limit !== limit) lastLimit = { limit, compact: getCompact(limit) };
  return lastLimit.compact;
}

/** The nBits a block following `last` must carry (Core's GetNextWorkRequired). `blockTime` is the new header's nTime. */
export function getNextWorkRequired(last: ChainEntry, blockTime: number, params: ConsensusParams): number {
  const proofOfWorkLimit = compactLimit(params.powLimit);
  const interval = difficultyAdjustmentInterval(params);

  // Between retarget heights the difficulty carries over.
  if ((last.height + 1) % interval !== 0) {
    if (params.powAllowMinDifficultyBlocks) {
      // Testnet rule: a block more than twice the target spacing after its parent must be min-difficulty.
      if (blockTime > last.time + params.powTargetSpacing * 2) return proofOfWorkLimit;
      // Else use the bits of the nearest earlier block that was not mined under that exception.
      return lastNonMinDifficultyBits(last, interval, proofOfWorkLimit);
    }
    return last.bits;
  }

  // The period's first block: interval - 1 blocks back (two weeks on mainnet).
  const heightFirst = last.height - (interval - 1);
  if (heightFirst < 0) throw new RangeError('GetNextWorkRequired: not enough blocks before the retarget');
  const first = getAncestor(last, heightFirst);
  if (!first) throw new RangeError(`GetNextWorkRequired: missing ancestor at height ${heightFirst}`);
  return calculateNextWorkRequired(last, first.time, params);
}

/** Core's CalculateNextWorkRequired: retarget from the time the period took, clamped to a factor of 4. */
export function calculateNextWorkRequired(last: ChainEntry, firstBlockTime: number, params: ConsensusParams): number {
  if (params.powNoRetargeting) return last.bits;

  const minTimespan = Math.trunc(params.powTargetTimespan / 4);
  const maxTimespan = params.powTargetTimespan * 4;
  let actualTimespan = last.time - firstBlockTime;
  if (actualTimespan < minTimespan) actualTimespan = minTimespan;
  if (actualTimespan > maxTimespan) actualTimespan = maxTimespan;

  let bitsBase = last.bits;
  if (params.enforceBIP94) {
    // BIP94: scale the bits of the period's opening block instead of its last one. The opening block never
    // qualifies for the min-difficulty exception, so a period ending in easy blocks cannot drag the target down.
    const heightFirst = last.height - (difficultyAdjustmentInterval(params) - 1);
    const first = getAncestor(last, heightFirst);
    if (!first) throw new RangeError(`CalculateNextWorkRequired: missing ancestor at height ${heightFirst}`);
    bitsBase = first.bits;
  }
  let target = setCompact(bitsBase).target;
  // arith_uint256 arithmetic wraps at 256 bits; the chain parameters are chosen so it never does.
  target = (target * BigInt(actualTimespan)) & UINT256_MASK;
  target /= BigInt(params.powTargetTimespan);
  if (target > params.powLimit) target = params.powLimit;
  return getCompact(target);
}

/**
 * Core's PermittedDifficultyTransition: whether nBits may go from `oldBits` to `newBits` at `height`
 * (used to sanity-check headers before their ancestors are all known).
 */
export function permittedDifficultyTransition(params: ConsensusParams, height: number, oldBits: number, newBits: number): boolean {
  if (params.powAllowMinDifficultyBlocks) return true;

  if (height % difficultyAdjustmentInterval(params) === 0) {
    const smallestTimespan = BigInt(Math.trunc(params.powTargetTimespan / 4));
    const largestTimespan = BigInt(params.powTargetTimespan * 4);
    const timespan = BigInt(params.powTargetTimespan);
    const observedNewTarget = setCompact(newBits).target;

    let largest = (setCompact(oldBits).target * largestTimespan) & UINT256_MASK;
    largest /= timespan;
    if (largest > params.powLimit) largest = params.powLimit;
    // Round through the compact form, then compare with what is observed.
    const maximumNewTarget = setCompact(getCompact(largest)).target;
    if (maximumNewTarget < observedNewTarget) return false;

    let smallest = (setCompact(oldBits).target * smallestTimespan) & UINT256_MASK;
    smallest /= timespan;
    if (smallest > params.powLimit) smallest = params.powLimit;
    const minimumNewTarget = setCompact(getCompact(smallest)).target;
    if (minimumNewTarget > observedNewTarget) return false;
  } else if (oldBits !== newBits) {
    return false;
  }
  return true;
}
