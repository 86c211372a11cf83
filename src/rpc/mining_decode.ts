// Hex decoding for the mining RPCs (Core's core_io.cpp read side): DecodeHexBlk, DecodeHexBlockHeader, DecodeHexTx,
// and the output script of an address or a descriptor (rpc/mining.cpp's getScriptFromDescriptor).
import type { AddressParams } from '../kernel/chainparams_base.js';
import { decodeDestination } from '../key_io.js';
import { Block, BlockHeader } from '../primitives/block.js';
import { Transaction } from '../primitives/transaction.js';
import { parseDescriptor } from '../script/descriptor_parser.js';
import { SigningProvider } from '../script/descriptor_keys.js';
import { getScriptForDestination, isValidDestination } from '../script/standard.js';
import { hexToBytes, isHex } from '../util/hex.js';
import { ByteReader, SerializationError } from '../util/serialize.js';
import { RPCError, RPCErrorCode } from './protocol.js';

/** Reads one value from the start of the bytes; trailing bytes are ignored, as Core's SpanReader leaves them. */
function readPrefix<T>(hex: string, read: (r: ByteReader) => T): T | undefined {
  if (!isHex(hex)) return undefined;
  try {
    return read(new ByteReader(hexToBytes(hex)));
  } catch (e) {
    if (e instanceof SerializationError || e instanceof RangeError) return undefined;
    throw e;
  }
}

/** Core's DecodeHexBlk: a block with witnesses; undefined when the text is not hex or does not parse. */
export function decodeHexBlock(hex: string): Block | undefined {
  return readPrefix(hex, (r) => Block.read(r));
}

/** Core's DecodeHexBlockHeader. */
export function decodeHexBlockHeader(hex: string): BlockHeader | undefined {
  return readPrefix(hex, (r) => BlockHeader.read(r));
}

/** Core's DecodeHexTx with its defaults (extended serialization only): the whole text must be one transaction. */
export function decodeHexTx(hex: string): Transaction | undefined {
  if (!isHex(hex)) return undefined;
  try {
    return Transaction.fromBytes(hexToBytes(hex), { allowWitness: true });
  } catch (e) {
    if (e instanceof SerializationError || e instanceof RangeError) return undefined;
    throw e;
  }
}

export type DescriptorScript = { ok: true; script: Uint8Array } | { ok: false; error: string };

/**
 * Core's getScriptFromDescriptor: the one script a descriptor stands for. Multipath and ranged descriptors and
 * keys that cannot be derived are RPC errors; a descriptor that does not parse returns its parse error.
 */
export function scriptFromDescriptor(descriptor: string, params: AddressParams): DescriptorScript {
  const parsed = parseDescriptor(descriptor, params, { requireChecksum: false });
  if (!parsed.ok) return { ok: false, error: parsed.error };
  if (parsed.descriptors.length > 1) throw new RPCError(RPCErrorCode.RPC_INVALID_PARAMETER, 'Multipath descriptor not accepted');
  const desc = parsed.descriptors[0]!;
  if (desc.isRange()) {
    throw new RPCError(RPCErrorCode.RPC_INVALID_PARAMETER, 'Ranged descriptor not accepted. Maybe pass through deriveaddresses first?');
  }
  const scripts = desc.expand(0, parsed.provider, new SigningProvider());
  if (!scripts) throw new RPCError(RPCErrorCode.RPC_INVALID_ADDRESS_OR_KEY, 'Cannot derive script without private keys');
  // combo() gives 4 scripts for a compressed key (take the third, P2WPKH) and 2 for an uncompressed one (P2PKH).
  if (scripts.length === 1) return { ok: true, script: scripts[0]! };
  return { ok: true, script: scripts.length === 4 ? scripts[2]! : scripts[1]! };
}

/** The output script of an address, or undefined when it is not a valid address of this chain. */
export function scriptFromAddress(address: string, params: AddressParams): Uint8Array | undefined {
  const { dest } = decodeDestination(address, params);
  return isValidDestination(dest) ? getScriptForDestination(dest) : undefined;
}
