// Signature and public key encoding rules of the interpreter (BIP66 strict DER, low S, hash types, key types).
import { isLowSDerLax } from '../crypto/der_lax.js';
import { ScriptError } from './script_error.js';
import { SIGHASH_ALL, SIGHASH_ANYONECANPAY, SIGHASH_SINGLE, SigVersion } from './interpreter_types.js';
import {
  SCRIPT_VERIFY_DERSIG,
  SCRIPT_VERIFY_LOW_S,
  SCRIPT_VERIFY_STRICTENC,
  SCRIPT_VERIFY_WITNESS_PUBKEYTYPE,
  type ScriptVerifyFlags,
} from './verify_flags.js';

const PUBKEY_SIZE = 65;
const PUBKEY_COMPRESSED_SIZE = 33;

/** Encoding checks report failure through this result: OK or the error to raise. */
export type EncodingResult = ScriptError;

/** 0x04 + 64 bytes, or 0x02/0x03 + 32 bytes (Core's IsCompressedOrUncompressedPubKey). */
export function isCompressedOrUncompressedPubKey(pubkey: Uint8Array): boolean {
  if (pubkey.length < PUBKEY_COMPRESSED_SIZE) return false;
  if (pubkey[0] === 0x04) return pubkey.length === PUBKEY_SIZE;
  if (pubkey[0] === 0x02 || pubkey[0] === 0x03) return pubkey.length === PUBKEY_COMPRESSED_SIZE;
  return false;
}

/** 0x02/0x03 + 32 bytes. */
export function isCompressedPubKey(pubkey: Uint8Array): boolean {
  return pubkey.length === PUBKEY_COMPRESSED_SIZE && (pubkey[0] === 0x02 || pubkey[0] === 0x03);
}

/**
 * BIP66 strict DER of a signature with its trailing hash type byte:
 * 0x30 len 0x02 lenR R 0x02 lenS S hashtype, R and S minimal, positive, non-empty. Consensus since BIP66.
 */
export function isValidSignatureEncoding(sig: Uint8Array): boolean {
  const size = sig.length;
  if (size < 9 || size > 73) return false;
  if (sig[0] !== 0x30) return false;
  if (sig[1] !== size - 3) return false;
  const lenR = sig[3]!;
  if (5 + lenR >= size) return false;
  const lenS = sig[5 + lenR]!;
  if (lenR + lenS + 7 !== size) return false;
  if (sig[2] !== 0x02) return false;
  if (lenR === 0) return false;
  if (sig[4]! & 0x80) return false;
  if (lenR > 1 && sig[4] === 0x00 && !(sig[5]! & 0x80)) return false;
  if (sig[lenR + 4] !== 0x02) return false;
  if (lenS === 0) return false;
  if (sig[lenR + 6]! & 0x80) return false;
  if (lenS > 1 && sig[lenR + 6] === 0x00 && !(sig[lenR + 7]! & 0x80)) return false;
  return true;
}

/** Core's CPubKey::CheckLowS on a DER signature without the hash type byte. */
export function checkLowS(derSig: Uint8Array): boolean {
  return isLowSDerLax(derSig);
}

/** Strict DER plus S ≤ n/2. Returns OK, SIG_DER or SIG_HIGH_S. */
export function isLowDERSignature(sig: Uint8Array): EncodingResult {
  if (!isValidSignatureEncoding(sig)) return ScriptError.SCRIPT_ERR_SIG_DER;
  if (!checkLowS(sig.subarray(0, sig.length - 1))) return ScriptError.SCRIPT_ERR_SIG_HIGH_S;
  return ScriptError.SCRIPT_ERR_OK;
}

/** The hash type (ignoring ANYONECANPAY) is ALL, NONE or SINGLE. */
export function isDefinedHashtypeSignature(sig: Uint8Array): boolean {
  if (sig.length === 0) return false;
  const hashType = sig[sig.length - 1]! & ~SIGHASH_ANYONECANPAY & 0xff;
  return hashType >= SIGHASH_ALL && hashType <= SIGHASH_SINGLE;
}

/** Core's CheckSignatureEncoding (ECDSA signatures in BASE and WITNESS_V0 scripts). Empty is always fine. */
export function checkSignatureEncoding(sig: Uint8Array, flags: ScriptVerifyFlags): EncodingResult {
  if (sig.length === 0) return ScriptError.SCRIPT_ERR_OK;
  if (flags & (SCRIPT_VERIFY_DERSIG | SCRIPT_VERIFY_LOW_S | SCRIPT_VERIFY_STRICTENC) && !isValidSignatureEncoding(sig)) {
    return ScriptError.SCRIPT_ERR_SIG_DER;
  }
  // LOW_S is one of the flags above, so the strict DER check has passed: only S is left to look at
  // (Core's IsLowDERSignature would repeat the DER check).
  if (flags & SCRIPT_VERIFY_LOW_S && !checkLowS(sig.subarray(0, sig.length - 1))) return ScriptError.SCRIPT_ERR_SIG_HIGH_S;
  if (flags & SCRIPT_VERIFY_STRICTENC && !isDefinedHashtypeSignature(sig)) return ScriptError.SCRIPT_ERR_SIG_HASHTYPE;
  return ScriptError.SCRIPT_ERR_OK;
}

/** Core's CheckPubKeyEncoding: STRICTENC key formats, and compressed-only keys in witness v0 with WITNESS_PUBKEYTYPE. */
export function checkPubKeyEncoding(pubkey: Uint8Array, flags: ScriptVerifyFlags, sigversion: SigVersion): EncodingResult {
  if (flags & SCRIPT_VERIFY_STRICTENC && !isCompressedOrUncompressedPubKey(pubkey)) return ScriptError.SCRIPT_ERR_PUBKEYTYPE;
  if (flags & SCRIPT_VERIFY_WITNESS_PUBKEYTYPE && sigversion === SigVersion.WITNESS_V0 && !isCompressedPubKey(pubkey)) {
    return ScriptError.SCRIPT_ERR_WITNESS_PUBKEYTYPE;
  }
  return ScriptError.SCRIPT_ERR_OK;
}
