// Coin (coins.h): one unspent output with its height and coinbase flag, as the chainstate and the undo data store it.
import { TxOut } from '../primitives/transaction.js';
import { ByteReader, ByteWriter } from '../util/serialize.js';
import { readCompressedTxOut, writeCompressedTxOut } from './compressor.js';

/** Core keeps the height in a 31-bit field beside the coinbase flag. */
export const MAX_COIN_HEIGHT = 0x7fffffff;

export interface Coin {
  readonly out: TxOut;
  readonly height: number;
  readonly coinbase: boolean;
}

function checkHeight(height: number): void {
  if (!Number.isInteger(height) || height < 0 || height > MAX_COIN_HEIGHT) throw new RangeError(`coin height out of range: ${height}`);
}

/** VARINT((height << 1) | coinbase): the code that leads both the chainstate value and an undo entry. */
export function writeCoinCode(w: ByteWriter, coin: Coin): void {
  checkHeight(coin.height);
  w.writeVarInt(BigInt(coin.height) * 2n + (coin.coinbase ? 1n : 0n));
}

export function readCoinCode(r: ByteReader): { height: number; coinbase: boolean } {
  const code = r.readVarIntU32();
  return { height: code >>> 1, coinbase: (code & 1) === 1 };
}

/** Coin::Serialize, the value of a chainstate 'C' record (before the database's obfuscation). */
export function writeCoin(w: ByteWriter, coin: Coin): void {
  writeCoinCode(w, coin);
  writeCompressedTxOut(w, coin.out);
}

/** Coin::Unserialize. */
export function readCoin(r: ByteReader): Coin {
  const { height, coinbase } = readCoinCode(r);
  return { out: readCompressedTxOut(r), height, coinbase };
}
