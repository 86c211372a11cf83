// The documentation shapes the blockchain RPCs share with Core: ScriptPubKeyDoc, TxDoc (with its elision
// modes), the block fields of getblock, and the header and UTXO shapes.
import { TxoutType } from '../script/standard.js';
import { UNIX_EPOCH_TIME, type RPCResult } from './util.js';

export const CURRENCY_UNIT = 'BTC';

/** GetAllOutputTypes: every GetTxnOutputType name in Core's enum order. */
export const ALL_OUTPUT_TYPES = [
  TxoutType.NONSTANDARD, TxoutType.ANCHOR, TxoutType.PUBKEY, TxoutType.PUBKEYHASH, TxoutType.SCRIPTHASH, TxoutType.MULTISIG,
  TxoutType.NULL_DATA, TxoutType.WITNESS_V0_SCRIPTHASH, TxoutType.WITNESS_V0_KEYHASH, TxoutType.WITNESS_V1_TAPROOT,
  TxoutType.WITNESS_UNKNOWN,
].join(', ');

export function scriptPubKeyDoc(): RPCResult[] {
  return [
    { type: 'STR', key: 'asm', description: 'Disassembly of the output script' },
    { type: 'STR', key: 'desc', description: 'Inferred descriptor for the output' },
    { type: 'STR_HEX', key: 'hex', description: 'The raw output script bytes, hex-encoded' },
    { type: 'STR', key: 'address', optional: true, description: 'The Bitcoin address (only if a well-defined address exists)' },
    { type: 'STR', key: 'type', description: `The type (one of: ${ALL_OUTPUT_TYPES})` },
  ];
}

/** ElideGroup: the first field prints `...` with the summary, the rest are left out. */
export function elideGroup(fields: RPCResult[], summary: string): RPCResult[] {
  return fields.map((f, i) => ({ ...f, elision: i === 0 ? { summary } : 'skip' }));
}

export interface TxDocOptions {
  elisionMode?: 'none' | 'summary' | 'silent';
  elisionSummary?: string;
  prevout?: boolean;
  prevoutOptional?: boolean;
  fee?: boolean;
  hex?: boolean;
  vinItemDoc?: string;
  prevoutDoc?: string;
  feeDoc?: string;
  vinInnerElision?: string;
}

function vinDoc(opts: TxDocOptions): RPCResult[] {
  let inner: RPCResult[] = [
    { type: 'STR_HEX', key: 'coinbase', optional: true, description: 'The coinbase value (only if coinbase transaction)' },
    { type: 'STR_HEX', key: 'txid', optional: true, description: 'The transaction id (if not coinbase transaction)' },
    { type: 'NUM', key: 'vout', optional: true, description: 'The output number (if not coinbase transaction)' },
    {
      type: 'OBJ', key: 'scriptSig', optional: true, description: 'The script (if not coinbase transaction)', inner: [
        { type: 'STR', key: 'asm', description: 'Disassembly of the signature script' },
        { type: 'STR_HEX', key: 'hex', description: 'The raw signature script bytes, hex-encoded' },
      ],
    },
    { type: 'ARR', key: 'txinwitness', optional: true, description: '', inner: [{ type: 'STR_HEX', key: 'hex', description: 'hex-encoded witness data (if any)' }] },
  ];
  if (opts.prevout) {
    inner.push({
      type: 'OBJ', key: 'prevout', optional: opts.prevoutOptional ?? false,
      description: opts.prevoutDoc ?? 'The previous output, omitted if block undo data is not available', inner: [
        { type: 'BOOL', key: 'generated', description: 'Coinbase or not' },
        { type: 'NUM', key: 'height', description: 'The height of the prevout' },
        { type: 'STR_AMOUNT', key: 'value', description: `The value in ${CURRENCY_UNIT}` },
        { type: 'OBJ', key: 'scriptPubKey', description: '', inner: scriptPubKeyDoc() },
      ],
    });
  }
  inner.push({ type: 'NUM', key: 'sequence', description: 'The script sequence number' });
  if (opts.vinInnerElision !== undefined) {
    // The prevout stays visible while the other input fields are elided.
    inner = elideGroup(inner, opts.vinInnerElision).map((r) => (r.key === 'prevout' ? { ...r, elision: undefined } : r));
  }
  return inner;
}

/** TxDoc: the decoded transaction; elision hides the fields another result already showed. */
export function txDoc(opts: TxDocOptions = {}): RPCResult[] {
  const fields: RPCResult[] = [
    { type: 'STR_HEX', key: 'txid', description: 'The transaction id' },
    { type: 'STR_HEX', key: 'hash', description: 'The transaction hash (differs from txid for witness transactions)' },
    { type: 'NUM', key: 'size', description: 'The serialized transaction size' },
    { type: 'NUM', key: 'vsize', description: 'The virtual transaction size (differs from size for witness transactions)' },
    { type: 'NUM', key: 'weight', description: "The transaction's weight (between vsize*4-3 and vsize*4)" },
    { type: 'NUM', key: 'version', description: 'The version' },
    { type: 'NUM_TIME', key: 'locktime', description: 'The lock time' },
    {
      type: 'ARR', key: 'vin', description: '',
      inner: [{ type: 'OBJ', description: opts.vinInnerElision !== undefined ? opts.vinItemDoc ?? 'utxo being spent' : '', inner: vinDoc(opts) }],
    },
    {
      type: 'ARR', key: 'vout', description: '', inner: [{
        type: 'OBJ', description: '', inner: [
          { type: 'STR_AMOUNT', key: 'value', description: `The value in ${CURRENCY_UNIT}` },
          { type: 'NUM', key: 'n', description: 'index' },
          { type: 'OBJ', key: 'scriptPubKey', description: '', inner: scriptPubKeyDoc() },
        ],
      }],
    },
  ];
  if (opts.fee) fields.push({ type: 'NUM', key: 'fee', optional: true, description: opts.feeDoc ?? `transaction fee in ${CURRENCY_UNIT}, omitted if block undo data is not available` });
  if (opts.hex) fields.push({ type: 'STR_HEX', key: 'hex', description: 'The hex-encoded transaction data' });
  const mode = opts.elisionMode ?? 'none';
  if (mode === 'none') return fields;
  const silent = mode === 'silent';
  let first = true;
  return fields.map((f) => {
    if (!silent && f.key === 'fee') return f;
    if (f.key === 'vin' && opts.vinInnerElision !== undefined) return f;
    if (!silent && first) {
      first = false;
      return { ...f, elision: { summary: opts.elisionSummary ?? '' } };
    }
    return { ...f, elision: 'skip' as const };
  });
}

/** getblockheader's fields; getblock shares most of them. */
export const HEADER_FIELDS: RPCResult[] = [
  { type: 'STR_HEX', key: 'hash', description: 'the block hash (same as provided)' },
  { type: 'NUM', key: 'confirmations', description: 'The number of confirmations, or -1 if the block is not on the main chain' },
  { type: 'NUM', key: 'height', description: 'The block height or index' },
  { type: 'NUM', key: 'version', description: 'The block version' },
  { type: 'STR_HEX', key: 'versionHex', description: 'The block version formatted in hexadecimal' },
  { type: 'STR_HEX', key: 'merkleroot', description: 'The merkle root' },
  { type: 'NUM_TIME', key: 'time', description: `The block time expressed in ${UNIX_EPOCH_TIME}` },
  { type: 'NUM_TIME', key: 'mediantime', description: `The median block time expressed in ${UNIX_EPOCH_TIME}` },
  { type: 'NUM', key: 'nonce', description: 'The nonce' },
  { type: 'STR_HEX', key: 'bits', description: 'nBits: compact representation of the block difficulty target' },
  { type: 'STR_HEX', key: 'target', description: 'The difficulty target' },
  { type: 'NUM', key: 'difficulty', description: 'The difficulty' },
  { type: 'STR_HEX', key: 'chainwork', description: 'Expected number of hashes required to produce the current chain' },
  { type: 'NUM', key: 'nTx', description: 'The number of transactions in the block' },
  { type: 'STR_HEX', key: 'previousblockhash', optional: true, description: 'The hash of the previous block (if available)' },
  { type: 'STR_HEX', key: 'nextblockhash', optional: true, description: 'The hash of the next block (if available)' },
];

/** HEADER_FIELDS from `from` up to (not including) `to`. */
function headerSlice(from: string, to?: string): RPCResult[] {
  const keys = HEADER_FIELDS.map((f) => f.key);
  return HEADER_FIELDS.slice(keys.indexOf(from), to === undefined ? undefined : keys.indexOf(to));
}

/** GetBlockFields: the block's fields around `tx`; with an elision message only `tx` stays visible. */
export function getBlockFields(tx: RPCResult, elisionMsg?: string): RPCResult[] {
  const fields: RPCResult[] = [
    ...headerSlice('hash', 'height'),
    { type: 'NUM', key: 'size', description: 'The block size' },
    { type: 'NUM', key: 'strippedsize', description: 'The block size excluding witness data' },
    { type: 'NUM', key: 'weight', description: 'The block weight as defined in BIP 141' },
    {
      type: 'OBJ', key: 'coinbase_tx', description: 'Coinbase transaction metadata', inner: [
        { type: 'NUM', key: 'version', description: 'The coinbase transaction version' },
        { type: 'NUM', key: 'locktime', description: "The coinbase transaction's locktime (nLockTime)" },
        { type: 'NUM', key: 'sequence', description: "The coinbase input's sequence number (nSequence)" },
        { type: 'STR_HEX', key: 'coinbase', description: "The coinbase input's script" },
        { type: 'STR_HEX', key: 'witness', optional: true, description: "The coinbase input's first (and only) witness stack element, if present" },
      ],
    },
    ...headerSlice('height', 'time'),
    tx,
    ...headerSlice('time', 'chainwork'),
    { type: 'STR_HEX', key: 'chainwork', description: 'Expected number of hashes required to produce the chain up to this block (in hex)' },
    ...headerSlice('nTx'),
  ];
  if (elisionMsg === undefined) return fields;
  let first = true;
  return fields.map((f) => {
    if (f.key === 'tx') return f;
    if (first) {
      first = false;
      return { ...f, elision: { summary: elisionMsg } };
    }
    return { ...f, elision: 'skip' as const };
  });
}

/** The result of each wait RPC. */
export const BLOCK_REF_RESULT: RPCResult = {
  type: 'OBJ', description: '', inner: [
    { type: 'STR_HEX', key: 'hash', description: 'The blockhash' },
    { type: 'NUM', key: 'height', description: 'Block height' },
  ],
};
