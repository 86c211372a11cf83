// Core's compact amount and script encodings (compressor.h/.cpp), used by the chainstate coins and the undo data.
import { pubkeyCompress } from '../crypto/secp256k1.js';
import { pubkeyIsFullyValid } from '../key.js';
import { TxOut } from '../primitives/transaction.js';
import { MAX_SCRIPT_SIZE, Opcode } from '../script/script.js';
import { ByteReader, ByteWriter } from '../util/serialize.js';

/** Script codes below this are the special templates 0-5; longer scripts store `length + N_SPECIAL_SCRIPTS`. */
export const N_SPECIAL_SCRIPTS = 6;

const U64 = (1n << 64n) - 1n;

/** CompressAmount: strips trailing decimal zeros into an exponent so round amounts take a byte or two. */
export function compressAmount(amount: bigint): bigint {
  // Core takes the amount as uint64_t, so a negative CAmount is its two's complement.
  let n = BigInt.asUintN(64, amount);
  if (n === 0n) return 0n;
  let e = 0n;
  while (n % 10n === 0n && e < 9n) {
    n /= 10n;
    e++;
  }
  if (e < 9n) {
    const d = n % 10n;
    n /= 10n;
    return (1n + (n * 9n + d - 1n) * 10n + e) & U64;
  }
  return (1n + (n - 1n) * 10n + 9n) & U64;
}

/** DecompressAmount, with Core's uint64 wrap-around for codes no amount produces; the result is a CAmount (int64). */
export function decompressAmount(code: bigint): bigint {
  let x = BigInt.asUintN(64, code);
  if (x === 0n) return 0n;
  x--;
  let e = x % 10n;
  x /= 10n;
  let n: bigint;
  if (e < 9n) {
    const d = (x % 9n) + 1n;
    x /= 9n;
    n = (x * 10n + d) & U64;
  } else {
    n = x + 1n;
  }
  for (; e > 0n; e--) n = (n * 10n) & U64;
  return BigInt.asIntN(64, n);
}

/** The 20 or 32 payload bytes of special script `code`, or 0 when `code` is not special (GetSpecialScriptSize). */
export function specialScriptSize(code: number): number {
  if (code === 0 || code === 1) return 20;
  if (code >= 2 && code <= 5) return 32;
  return 0;
}

function isP2PKH(s: Uint8Array): boolean {
  return (
    s.length === 25 && s[0] === Opcode.OP_DUP && s[1] === Opcode.OP_HASH160 && s[2] === 20 &&
    s[23] === Opcode.OP_EQUALVERIFY && s[24] === Opcode.OP_CHECKSIG
  );
}

function isP2SH(s: Uint8Array): boolean {
  return s.length === 23 && s[0] === Opcode.OP_HASH160 && s[1] === 20 && s[22] === Opcode.OP_EQUAL;
}

function isCompressedP2PK(s: Uint8Array): boolean {
  return s.length === 35 && s[0] === 33 && s[34] === Opcode.OP_CHECKSIG && (s[1] === 2 || s[1] === 3);
}

// An uncompressed key is only special when it is on the curve: the compact form keeps x and the parity of y.
function isUncompressedP2PK(s: Uint8Array): boolean {
  return s.length === 67 && s[0] === 65 && s[66] === Opcode.OP_CHECKSIG && s[1] === 4 && pubkeyIsFullyValid(s.subarray(1, 66));
}

/** CompressScript: the special code byte plus payload for the six templates, else undefined. */
export function compressScript(script: Uint8Array): Uint8Array | undefined {
  if (isP2PKH(script)) return codeAndPayload(0x00, script, 3, 23);
  if (isP2SH(script)) return codeAndPayload(0x01, script, 2, 22);
  if (isCompressedP2PK(script)) return script.slice(1, 34);
  if (isUncompressedP2PK(script)) return codeAndPayload(0x04 | (script[65]! & 1), script, 2, 34);
  return undefined;
}

// Copied with set(), not spread: spreading a typed array walks an iterator (every coin written takes this path).
function codeAndPayload(code: number, script: Uint8Array, start: number, end: number): Uint8Array {
  const out = new Uint8Array(1 + end - start);
  out[0] = code;
  out.set(script.subarray(start, end), 1);
  return out;
}

/**
 * DecompressScript for special `code` (0-5) and its payload. An x coordinate that is not on the curve gives the empty
 * script, as Core leaves the script untouched when the key does not decompress.
 */
export function decompressScript(code: number, payload: Uint8Array): Uint8Array {
  switch (code) {
    case 0x00:
      return Uint8Array.of(Opcode.OP_DUP, Opcode.OP_HASH160, 20, ...payload, Opcode.OP_EQUALVERIFY, Opcode.OP_CHECKSIG);
    case 0x01:
      return Uint8Array.of(Opcode.OP_HASH160, 20, ...payload, Opcode.OP_EQUAL);
    case 0x02:
    case 0x03:
      return Uint8Array.of(33, code, ...payload, Opcode.OP_CHECKSIG);
    case 0x04:
    case 0x05: {
      const compressed = Uint8Array.of(code - 2, ...payload);
      if (!pubkeyIsFullyValid(compressed)) return new Uint8Array(0);
      return Uint8Array.of(65, ...pubkeyCompress(compressed, false), Opcode.OP_CHECKSIG);
    }
    default:
      throw new RangeError(`not a special script code: ${code}`);
  }
}

/** ScriptCompression::Ser. */
export function writeCompressedScript(w: ByteWriter, script: Uint8Array): void {
  const special = compressScript(script);
  if (special) {
    w.writeBytes(special);
    return;
  }
  w.writeVarInt(script.length + N_SPECIAL_SCRIPTS).writeBytes(script);
}

/**
 * ScriptCompression::Unser. The length is a VARINT into a 32-bit int; a script over MAX_SCRIPT_SIZE is skipped
 * (its bytes must still be there) and replaced by a lone OP_RETURN, so a huge length never allocates.
 */
export function readCompressedScript(r: ByteReader): Uint8Array {
  const code = r.readVarIntU32();
  if (code < N_SPECIAL_SCRIPTS) return decompressScript(code, r.readView(specialScriptSize(code)));
  const size = code - N_SPECIAL_SCRIPTS;
  if (size > MAX_SCRIPT_SIZE) {
    r.skip(size);
    return Uint8Array.of(Opcode.OP_RETURN);
  }
  return r.readBytes(size);
}

/** TxOutCompression::Ser: compressed amount as a VARINT, then the compressed script. */
export function writeCompressedTxOut(w: ByteWriter, out: TxOut): void {
  w.writeVarInt(compressAmount(out.value));
  writeCompressedScript(w, out.scriptPubKey);
}

/** TxOutCompression::Unser. */
export function readCompressedTxOut(r: ByteReader): TxOut {
  const value = decompressAmount(r.readVarInt(64));
  return new TxOut(value, readCompressedScript(r));
}
