// The pure-JS secp256k1 backend (@noble/curves), used when the crypto addon is missing and as a
// reference in tests. It reproduces libsecp256k1's and Core's acceptance rules exactly.
import { schnorr, secp256k1 } from '@noble/curves/secp256k1.js';
import { checkBoolean, checkBytes, checkFixedBytes } from './bytes.js';
import { parseDerLax, SECP256K1_N } from './der_lax.js';
import { INVALID_PUBLIC_KEY, INVALID_SECRET_KEY, Secp256k1Error, type Secp256k1Backend } from './secp256k1_backend.js';
import { bytesEqual } from '../util/hex.js';

const Point = secp256k1.Point;
type PointT = InstanceType<typeof Point>;
const HALF_N = SECP256K1_N >> 1n;
const ZERO32 = new Uint8Array(32);

function toBigInt(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

function toBytes32(v: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

// secp256k1_ec_pubkey_parse: noble has no hybrid form, so 06/07 become 04 once the parity matches.
function parsePubkey(pubkey: Uint8Array): PointT | null {
  const len = pubkey.length;
  const header = pubkey[0];
  let bytes = pubkey;
  if (len === 33) {
    if (header !== 0x02 && header !== 0x03) return null;
  } else if (len === 65) {
    if (header === 0x06 || header === 0x07) {
      if ((pubkey[64]! & 1) !== (header & 1)) return null;
      bytes = Uint8Array.from(pubkey);
      bytes[0] = 0x04;
    } else if (header !== 0x04) {
      return null;
    }
  } else {
    return null;
  }
  try {
    const p = Point.fromBytes(bytes);
    p.assertValidity();
    return p;
  } catch {
    return null; // off the curve or a coordinate not below p
  }
}

function liftX(xonly32: Uint8Array): PointT | null {
  try {
    return schnorr.utils.lift_x(toBigInt(xonly32));
  } catch {
    return null;
  }
}

function validScalar(bytes: Uint8Array): bigint | null {
  const v = toBigInt(bytes);
  return v > 0n && v < SECP256K1_N ? v : null;
}

function seckeyOrThrow(seckey32: Uint8Array): bigint {
  checkFixedBytes(seckey32, 32, 'seckey32');
  const d = validScalar(seckey32);
  if (d === null) throw new Secp256k1Error(INVALID_SECRET_KEY);
  return d;
}

// P + t·G; null when t is not below n or the sum is the point at infinity.
function tweakPoint(p: PointT, tweak32: Uint8Array): PointT | null {
  const t = toBigInt(tweak32);
  if (t >= SECP256K1_N) return null;
  const q = t === 0n ? p : p.add(Point.BASE.multiply(t));
  return q.is0() ? null : q;
}

function xonlyTweak(internal32: Uint8Array, tweak32: Uint8Array): { output: Uint8Array; parity: 0 | 1 } | null {
  const p = liftX(internal32);
  if (p === null) return null;
  const q = tweakPoint(p, tweak32);
  if (q === null) return null;
  const { x, y } = q.toAffine();
  return { output: toBytes32(x), parity: (y & 1n) === 1n ? 1 : 0 };
}

function schnorrVerifyAny(sig64: Uint8Array, msg: Uint8Array, xonly32: Uint8Array): boolean {
  checkFixedBytes(sig64, 64, 'sig64');
  checkFixedBytes(xonly32, 32, 'xonly32');
  try {
    return schnorr.verify(sig64, msg, xonly32);
  } catch {
    return false;
  }
}

function schnorrSignAny(msg: Uint8Array, seckey32: Uint8Array, auxRand32: Uint8Array | undefined): Uint8Array {
  seckeyOrThrow(seckey32);
  if (auxRand32 !== undefined) checkFixedBytes(auxRand32, 32, 'auxRand32');
  // libsecp256k1 treats a missing aux value as 32 zero bytes; noble would draw random ones.
  return schnorr.sign(msg, seckey32, auxRand32 ?? ZERO32);
}

function hasLowR(compact: Uint8Array): boolean {
  return compact[0]! < 0x80;
}

export const jsBackend: Secp256k1Backend = {
  name: 'js',

  ecdsaVerify(sigDer, msg32, pubkey) {
    checkBytes(sigDer, 'sigDer');
    checkFixedBytes(msg32, 32, 'msg32');
    checkBytes(pubkey, 'pubkey');
    const p = parsePubkey(pubkey);
    if (p === null) return false;
    const sig = parseDerLax(sigDer);
    if (sig === null || sig.r === 0n || sig.s === 0n) return false;
    // Low-S normalisation, as libsecp256k1 insists on it and Core normalises first.
    const s = sig.s > HALF_N ? SECP256K1_N - sig.s : sig.s;
    const compact = new Uint8Array(64);
    compact.set(toBytes32(sig.r), 0);
    compact.set(toBytes32(s), 32);
    try {
      return secp256k1.verify(compact, msg32, p.toBytes(true), { prehash: false, lowS: true, format: 'compact' });
    } catch {
      return false;
    }
  },

  isValidPubKey(pubkey) {
    checkBytes(pubkey, 'pubkey');
    return parsePubkey(pubkey) !== null;
  },

  schnorrVerify(sig64, msg32, xonly32) {
    checkFixedBytes(msg32, 32, 'msg32');
    return schnorrVerifyAny(sig64, msg32, xonly32);
  },

  schnorrSign(msg32, seckey32, auxRand32) {
    checkFixedBytes(msg32, 32, 'msg32');
    return schnorrSignAny(msg32, seckey32, auxRand32);
  },

  schnorrVerifyMessage(sig64, msg, xonly32) {
    checkBytes(msg, 'msg');
    return schnorrVerifyAny(sig64, msg, xonly32);
  },

  schnorrSignMessage(msg, seckey32, auxRand32) {
    checkBytes(msg, 'msg');
    return schnorrSignAny(msg, seckey32, auxRand32);
  },

  isValidXOnly(xonly32) {
    checkBytes(xonly32, 'xonly32');
    return xonly32.length === 32 && liftX(xonly32) !== null;
  },

  xonlyTweakAddCheck(tweaked32, parity, internal32, tweak32) {
    checkFixedBytes(tweaked32, 32, 'tweaked32');
    if (parity !== 0 && parity !== 1) throw new TypeError('parity must be 0 or 1');
    checkFixedBytes(internal32, 32, 'internal32');
    checkFixedBytes(tweak32, 32, 'tweak32');
    const r = xonlyTweak(internal32, tweak32);
    return r !== null && r.parity === parity && bytesEqual(r.output, tweaked32);
  },

  xonlyTweakAdd(internal32, tweak32) {
    checkFixedBytes(internal32, 32, 'internal32');
    checkFixedBytes(tweak32, 32, 'tweak32');
    return xonlyTweak(internal32, tweak32);
  },

  pubkeyCreate(seckey32, compressed = true) {
    const d = seckeyOrThrow(seckey32);
    checkBoolean(compressed, 'compressed');
    return Point.BASE.multiply(d).toBytes(compressed);
  },

  xonlyFromSeckey(seckey32) {
    seckeyOrThrow(seckey32);
    return schnorr.getPublicKey(seckey32);
  },

  pubkeyTweakAdd(pubkey, tweak32, compressed) {
    checkBytes(pubkey, 'pubkey');
    checkFixedBytes(tweak32, 32, 'tweak32');
    const asCompressed = compressed ?? pubkey.length === 33;
    checkBoolean(asCompressed, 'compressed');
    const p = parsePubkey(pubkey);
    if (p === null) return null;
    const q = tweakPoint(p, tweak32);
    return q === null ? null : q.toBytes(asCompressed);
  },

  seckeyTweakAdd(seckey32, tweak32) {
    checkFixedBytes(seckey32, 32, 'seckey32');
    checkFixedBytes(tweak32, 32, 'tweak32');
    const d = validScalar(seckey32);
    const t = toBigInt(tweak32);
    if (d === null || t >= SECP256K1_N) return null;
    const r = (d + t) % SECP256K1_N;
    return r === 0n ? null : toBytes32(r);
  },

  seckeyVerify(seckey32) {
    checkBytes(seckey32, 'seckey32');
    return seckey32.length === 32 && validScalar(seckey32) !== null;
  },

  pubkeyCompress(pubkey, compressed) {
    checkBytes(pubkey, 'pubkey');
    checkBoolean(compressed, 'compressed');
    const p = parsePubkey(pubkey);
    if (p === null) throw new Secp256k1Error(INVALID_PUBLIC_KEY);
    return p.toBytes(compressed);
  },

  ecdsaSign(msg32, seckey32, grind = true) {
    checkFixedBytes(msg32, 32, 'msg32');
    seckeyOrThrow(seckey32);
    checkBoolean(grind, 'grind');
    const opts = { prehash: false, lowS: true, format: 'compact' as const };
    let compact = secp256k1.sign(msg32, seckey32, opts);
    // Core's low-R grinding: the counter, little-endian in 32 bytes, is RFC6979's extra data.
    for (let counter = 1; grind && !hasLowR(compact); counter++) {
      const extra = new Uint8Array(32);
      new DataView(extra.buffer).setUint32(0, counter, true);
      compact = secp256k1.sign(msg32, seckey32, { ...opts, extraEntropy: extra });
    }
    return secp256k1.Signature.fromBytes(compact, 'compact').toBytes('der');
  },

  ecdsaSignRecoverable(msg32, seckey32, compressed) {
    checkFixedBytes(msg32, 32, 'msg32');
    seckeyOrThrow(seckey32);
    checkBoolean(compressed, 'compressed');
    const rec = secp256k1.sign(msg32, seckey32, { prehash: false, lowS: true, format: 'recovered' });
    const out = new Uint8Array(65);
    out[0] = 27 + rec[0]! + (compressed ? 4 : 0);
    out.set(rec.subarray(1), 1);
    return out;
  },

  ecdsaRecover(sig65, msg32) {
    checkBytes(sig65, 'sig65');
    checkFixedBytes(msg32, 32, 'msg32');
    if (sig65.length !== 65) return null;
    // Same arithmetic as Core: out-of-range headers wrap instead of being rejected.
    const recid = (sig65[0]! - 27) & 3;
    const compressed = ((sig65[0]! - 27) & 4) !== 0;
    const r = toBigInt(sig65.subarray(1, 33));
    const s = toBigInt(sig65.subarray(33, 65));
    if (r === 0n || s === 0n || r >= SECP256K1_N || s >= SECP256K1_N) return null;
    try {
      const q = new secp256k1.Signature(r, s, recid).recoverPublicKey(msg32);
      return q.toBytes(compressed);
    } catch {
      return null;
    }
  },
};
