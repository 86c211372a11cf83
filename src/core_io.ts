// Transactions, scripts and amounts as JSON (Core's core_io.cpp write side): the shapes that getblock,
// getrawtransaction, decoderawtransaction, gettxout and REST print.
import { type Amount, COIN, moneyRange } from './consensus/amount.js';
import { inferDescriptor } from './core_infer.js';
import type { AddressParams } from './kernel/chainparams_base.js';
import { encodeDestination } from './key_io.js';
import type { Coin } from './node/coin.js';
import type { TxUndo } from './node/undo.js';
import type { Transaction } from './primitives/transaction.js';
import { JSONNumber } from './rpc/json.js';
import type { JSONObject, JSONValue } from './rpc/request.js';
import { scriptToAsm } from './script/script.js';
import { TxoutType, extractDestination, solver } from './script/standard.js';
import { bytesToHex, hashToHex } from './util/hex.js';

export { scriptToAsm as scriptToAsmStr } from './script/script.js';

/** How much of each transaction a block's JSON shows (Core's TxVerbosity). */
export enum TxVerbosity {
  SHOW_TXID,
  SHOW_DETAILS,
  SHOW_DETAILS_AND_PREVOUT,
}

/** ValueFromAmount: satoshis as a JSON number with exactly 8 decimals (`-0.00000001`, `50.00000000`). */
export function valueFromAmount(amount: Amount): JSONNumber {
  const neg = amount < 0n;
  const abs = neg ? -amount : amount;
  const frac = (abs % COIN).toString().padStart(8, '0');
  return new JSONNumber(`${neg ? '-' : ''}${abs / COIN}.${frac}`);
}

/** EncodeHexTx: the serialization with witnesses. */
export function encodeHexTx(tx: Transaction): string {
  return tx.toHex(true);
}

export interface ScriptToUnivOptions {
  includeHex: boolean;
  /** Adds the inferred descriptor and, when the script has one, the address. */
  includeAddress: boolean;
}

/** ScriptToUniv: asm, desc, hex, address, type, in Core's key order. */
export function scriptToUniv(script: Uint8Array, params: AddressParams, opts: ScriptToUnivOptions): JSONObject {
  const out: JSONObject = { asm: scriptToAsm(script) };
  if (opts.includeAddress) out.desc = inferDescriptor(script, params).toString();
  if (opts.includeHex) out.hex = bytesToHex(script);
  const { type } = solver(script);
  const { ok, dest } = extractDestination(script);
  if (opts.includeAddress && ok && type !== TxoutType.PUBKEY) out.address = encodeDestination(dest, params);
  out.type = type;
  return out;
}

/** ScriptToUniv with hex and address, the form every output uses. */
export function scriptPubKeyToUniv(script: Uint8Array, params: AddressParams): JSONObject {
  return scriptToUniv(script, params, { includeHex: true, includeAddress: true });
}

export interface TxToUnivOptions {
  /** Display hex of the containing block; omitted for none. */
  blockHash?: string;
  includeHex: boolean;
  /** The coins the inputs spent (not for a coinbase): enables `fee`, and `prevout` at SHOW_DETAILS_AND_PREVOUT. */
  undo?: TxUndo;
  verbosity?: TxVerbosity;
}

function prevoutToUniv(coin: Coin, params: AddressParams): JSONObject {
  return {
    generated: coin.coinbase,
    height: coin.height,
    value: valueFromAmount(coin.out.value),
    scriptPubKey: scriptPubKeyToUniv(coin.out.scriptPubKey, params),
  };
}

function inputsToUniv(tx: Transaction, params: AddressParams, opts: TxToUnivOptions): JSONValue[] {
  return tx.vin.map((txin, i) => {
    const entry: JSONObject = {};
    if (tx.isCoinBase()) {
      entry.coinbase = bytesToHex(txin.scriptSig);
    } else {
      entry.txid = hashToHex(txin.prevout.hash);
      entry.vout = txin.prevout.n;
      entry.scriptSig = { asm: scriptToAsm(txin.scriptSig, true), hex: bytesToHex(txin.scriptSig) };
    }
    if (txin.witness.length > 0) entry.txinwitness = txin.witness.map(bytesToHex);
    const coin = opts.undo?.[i];
    if (coin !== undefined && opts.verbosity === TxVerbosity.SHOW_DETAILS_AND_PREVOUT) entry.prevout = prevoutToUniv(coin, params);
    entry.sequence = txin.sequence;
    return entry;
  });
}

/** The fee from the spent coins; Core treats a fee outside the money range as a bug. */
function feeOf(tx: Transaction, undo: TxUndo): Amount {
  if (undo.length !== tx.vin.length) throw new Error(`undo data has ${undo.length} coins for ${tx.vin.length} inputs`);
  const totalIn = undo.reduce((sum, c) => sum + c.out.value, 0n);
  const fee = totalIn - tx.vout.reduce((sum, o) => sum + o.value, 0n);
  if (!moneyRange(fee)) throw new Error('Internal bug detected: MoneyRange(fee)');
  return fee;
}

/** TxToUniv: the decoderawtransaction / getrawtransaction / getblock-verbosity-2 shape. */
export function txToUniv(tx: Transaction, params: AddressParams, opts: TxToUnivOptions): JSONObject {
  const weight = tx.getWeight();
  const entry: JSONObject = {
    txid: tx.txidHex(),
    hash: tx.wtxidHex(),
    version: tx.version,
    size: tx.getTotalSize(),
    vsize: Math.ceil(weight / 4),
    weight,
    locktime: tx.lockTime,
    vin: inputsToUniv(tx, params, opts),
    vout: tx.vout.map((o, n) => ({ value: valueFromAmount(o.value), n, scriptPubKey: scriptPubKeyToUniv(o.scriptPubKey, params) })),
  };
  if (opts.undo !== undefined) entry.fee = valueFromAmount(feeOf(tx, opts.undo));
  if (opts.blockHash !== undefined) entry.blockhash = opts.blockHash;
  if (opts.includeHex) entry.hex = encodeHexTx(tx);
  return entry;
}
