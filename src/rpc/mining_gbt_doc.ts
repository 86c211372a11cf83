// getblocktemplate's documented results (Core's RPCResult list), apart from the handler to keep both readable.
import type { RPCResult } from './util.js';

const TX_FIELDS: RPCResult[] = [
  { type: 'STR_HEX', key: 'data', description: 'transaction data encoded in hexadecimal (byte-for-byte)' },
  { type: 'STR_HEX', key: 'txid', description: 'transaction hash excluding witness data, shown in byte-reversed hex' },
  { type: 'STR_HEX', key: 'hash', description: 'transaction hash including witness data, shown in byte-reversed hex' },
  {
    type: 'ARR', key: 'depends', description: 'array of numbers',
    inner: [{ type: 'NUM', description: "transactions before this one (by 1-based index in 'transactions' list) that must be present in the final block if this one is" }],
  },
  { type: 'NUM', key: 'fee', description: "difference in value between transaction inputs and outputs (in satoshis); for coinbase transactions, this is a negative Number of the total collected block fees (ie, not including the block subsidy); if key is not present, fee is unknown and clients MUST NOT assume there isn't one" },
  { type: 'NUM', key: 'sigops', description: 'total SigOps cost, as counted for purposes of block limits; if key is not present, sigop cost is unknown and clients MUST NOT assume it is zero' },
  { type: 'NUM', key: 'weight', description: 'total transaction weight, as counted for purposes of block limits' },
];

/** The three result shapes: accepted proposal, rejected proposal, template. */
export function gbtResults(epoch: string): RPCResult[] {
  return [
    { cond: "If the proposal was accepted with mode=='proposal'", type: 'NONE', description: '' },
    { cond: "If the proposal was not accepted with mode=='proposal'", type: 'STR', description: 'According to BIP22' },
    {
      cond: 'Otherwise', type: 'OBJ', description: '', inner: [
        { type: 'NUM', key: 'version', description: 'The preferred block version' },
        { type: 'ARR', key: 'rules', description: 'specific block rules that are to be enforced', inner: [{ type: 'STR', description: 'name of a rule the client must understand to some extent; see BIP 9 for format' }] },
        { type: 'OBJ_DYN', key: 'vbavailable', description: 'set of pending, supported versionbit (BIP 9) softfork deployments', inner: [{ type: 'NUM', key: 'rulename', description: 'identifies the bit number as indicating acceptance and readiness for the named softfork rule' }] },
        { type: 'ARR', key: 'capabilities', description: '', inner: [{ type: 'STR', key: 'value', description: "A supported feature, for example 'proposal'" }] },
        { type: 'NUM', key: 'vbrequired', description: 'bit mask of versionbits the server requires set in submissions' },
        { type: 'STR', key: 'previousblockhash', description: 'The hash of current highest block' },
        { type: 'ARR', key: 'transactions', description: 'contents of non-coinbase transactions that should be included in the next block', inner: [{ type: 'OBJ', description: '', inner: TX_FIELDS }] },
        { type: 'OBJ_DYN', key: 'coinbaseaux', description: "data that should be included in the coinbase's scriptSig content", inner: [{ type: 'STR_HEX', key: 'key', description: 'values must be in the coinbase (keys may be ignored)' }] },
        { type: 'NUM', key: 'coinbasevalue', description: 'maximum allowable input to coinbase transaction, including the generation award and transaction fees (in satoshis)' },
        { type: 'STR', key: 'longpollid', description: 'an id to include with a request to longpoll on an update to this template' },
        { type: 'STR', key: 'target', description: 'The hash target' },
        { type: 'NUM_TIME', key: 'mintime', description: `The minimum timestamp appropriate for the next block time, expressed in ${epoch}. Adjusted for the proposed BIP94 timewarp rule.` },
        { type: 'ARR', key: 'mutable', description: 'list of ways the block template may be changed', inner: [{ type: 'STR', key: 'value', description: "A way the block template may be changed, e.g. 'time', 'transactions', 'prevblock'" }] },
        { type: 'STR_HEX', key: 'noncerange', description: 'A range of valid nonces' },
        { type: 'NUM', key: 'sigoplimit', description: 'limit of sigops in blocks' },
        { type: 'NUM', key: 'sizelimit', description: 'limit of block size' },
        { type: 'NUM', key: 'weightlimit', optional: true, description: 'limit of block weight' },
        { type: 'NUM_TIME', key: 'curtime', description: `current timestamp in ${epoch}. Adjusted for the proposed BIP94 timewarp rule.` },
        { type: 'STR', key: 'bits', description: 'compressed target of next block' },
        { type: 'NUM', key: 'height', description: 'The height of the next block' },
        { type: 'STR_HEX', key: 'signet_challenge', optional: true, description: 'Only on signet' },
        { type: 'STR_HEX', key: 'default_witness_commitment', optional: true, description: 'a valid witness commitment for the unmodified block template' },
      ],
    },
  ];
}
