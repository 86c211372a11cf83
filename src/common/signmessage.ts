// Signed messages (Core's common/signmessage.cpp): the message hash with Bitcoin's magic prefix, compact
// recoverable signatures in base64, and verification against a P2PKH address.
import * as ec from '../crypto/secp256k1.js';
import { hash160 } from '../crypto/ripemd160.js';
import { hash256 } from '../crypto/sha256.js';
import type { AddressParams } from '../kernel/chainparams_base.js';
import type { Key } from '../key.js';
import { decodeDestination } from '../key_io.js';
import { bytesEqual } from '../util/hex.js';
import { ByteWriter } from '../util/serialize.js';

/** Prefixed to every signed message so that a signature can never be a transaction signature. */
export const MESSAGE_MAGIC = 'Bitcoin Signed Message:\n';

export enum MessageVerificationResult {
  OK,
  ERR_INVALID_ADDRESS,
  ERR_ADDRESS_NO_KEY,
  ERR_MALFORMED_SIGNATURE,
  ERR_PUBKEY_NOT_RECOVERED,
  ERR_NOT_SIGNED,
}

const utf8 = new TextEncoder();

/** Core's MessageHash: double SHA-256 of the serialized magic and message (each with its length). */
export function messageHash(message: string): Uint8Array {
  const w = new ByteWriter();
  w.writeVarBytes(utf8.encode(MESSAGE_MAGIC)).writeVarBytes(utf8.encode(message));
  return hash256(w.toBytes());
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Core's DecodeBase64: length a multiple of 4, at most two trailing '=', only base64 characters, and
 * zero padding bits; undefined otherwise.
 */
export function decodeBase64(str: string): Uint8Array | undefined {
  if (str.length % 4 !== 0) return undefined;
  let body = str;
  if (body.endsWith('=')) body = body.slice(0, -1);
  if (body.endsWith('=')) body = body.slice(0, -1);
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const c of body) {
    const v = B64.indexOf(c);
    if (v < 0) return undefined;
    acc = ((acc << 6) | v) & 0x3fff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
  }
  if (bits >= 6 || ((acc << (8 - bits)) & 0xff) !== 0) return undefined;
  return Uint8Array.from(out);
}

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

/** Core's MessageSign: the base64 compact signature of the message hash. */
export function messageSign(key: Key, message: string): string {
  return encodeBase64(ec.ecdsaSignRecoverable(messageHash(message), key.secret, key.compressed));
}

/** Core's MessageVerify: whether `signature` by the key of the P2PKH `address` signs `message`. */
export function messageVerify(address: string, signature: string, message: string, params: AddressParams): MessageVerificationResult {
  const { dest } = decodeDestination(address, params);
  if (dest.type === 'none' || dest.type === 'pubkey') return MessageVerificationResult.ERR_INVALID_ADDRESS;
  if (dest.type !== 'pkhash') return MessageVerificationResult.ERR_ADDRESS_NO_KEY;
  const sig = decodeBase64(signature);
  if (sig === undefined) return MessageVerificationResult.ERR_MALFORMED_SIGNATURE;
  const pubkey = sig.length === 65 ? ec.ecdsaRecover(sig, messageHash(message)) : null;
  if (pubkey === null) return MessageVerificationResult.ERR_PUBKEY_NOT_RECOVERED;
  if (!bytesEqual(hash160(pubkey), dest.hash)) return MessageVerificationResult.ERR_NOT_SIGNED;
  return MessageVerificationResult.OK;
}
