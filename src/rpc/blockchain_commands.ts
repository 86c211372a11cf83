// The blockchain RPCs as Core declares them (rpc/blockchain.cpp, rpc/txoutproof.cpp): help text, argument
// types and defaults, result shapes and examples, bound to the handlers.
import type { NodeContext } from '../node/context.js';
import type { JSONValue } from './request.js';
import type { RPCTable } from './server.js';
import {
  getbestblockhash, getblock, getblockcount, getblockhash, getblockheader, getdifficulty, gettxout,
  invalidateblock, preciousblock, reconsiderblock, syncwithvalidationinterfacequeue, verifychain,
  DEFAULT_CHECKBLOCKS, DEFAULT_CHECKLEVEL,
} from './blockchain.js';
import { getblockfrompeer, scanblocks } from './blockchain_absent.js';
import {
  BLOCK_REF_RESULT, CURRENCY_UNIT, getBlockFields, HEADER_FIELDS, scriptPubKeyDoc, txDoc,
} from './blockchain_docs.js';
import { getdeploymentinfo } from './blockchain_deployment.js';
import { getblockstats } from './blockchain_stats.js';
import { getblockchaininfo, getchaintips, getchaintxstats, pruneblockchain } from './blockchain_info.js';
import { gettxoutproof, verifytxoutproof } from './blockchain_txoutproof.js';
import { waitforblock, waitforblockheight, waitfornewblock } from './blockchain_wait.js';
import {
  helpExampleCli, helpExampleRpc, Optional, registerCommands, RPCHelpMan, UNIX_EPOCH_TIME, type RPCArg, type RPCResult,
} from './util.js';

type Handler = (ctx: NodeContext, params: JSONValue[]) => JSONValue | Promise<JSONValue>;

interface Spec {
  name: string;
  description: string;
  args?: RPCArg[];
  results: RPCResult | RPCResult[];
  examples: string;
  handler: Handler;
}

function method(spec: Spec): RPCHelpMan {
  return new RPCHelpMan({
    name: spec.name, description: spec.description, args: spec.args ?? [], results: spec.results, examples: spec.examples,
    handler: (request, ctx) => spec.handler(ctx, request.params),
  });
}

const examples = (name: string, cli: string, rpc = cli): string => helpExampleCli(name, cli) + helpExampleRpc(name, rpc);

/** gettxout documents "type" before "address" and words it its own way (the result still has address first). */
function gettxoutScriptPubKeyDoc(): RPCResult[] {
  const [asm, desc, hex, address, type] = scriptPubKeyDoc();
  return [asm!, desc!, hex!, { ...type!, description: 'The type, eg pubkeyhash' }, address!];
}
const EXAMPLE_HASH = '"00000000c937983704a73af28acdec37b049d214adbda81d7e2a3dd146f6ed09"';
const NONE: RPCResult = { type: 'NONE', description: '' };
const WAIT_NOTE = '\nReturns the current block on timeout or exit.\n\nMake sure to use no RPC timeout (bitcoin-cli -rpcclienttimeout=0)';
const TIMEOUT_ARG: RPCArg = { names: 'timeout', type: 'NUM', fallback: { default: 0 }, description: 'Time in milliseconds to wait for a response. 0 indicates no timeout.' };
const CHECKLEVEL_DOC = [
  'level 0 reads the blocks from disk', 'level 1 verifies block validity', 'level 2 verifies undo data',
  'level 3 checks disconnection of tip blocks', 'level 4 tries to reconnect the blocks', 'each level includes the checks of the previous levels',
];


const CHAININFO_FIELDS: RPCResult[] = [
  { type: 'STR', key: 'chain', description: 'current network name (main, test, testnet4, signet, regtest)' },
  { type: 'NUM', key: 'blocks', description: 'the height of the most-work fully-validated chain. The genesis block has height 0' },
  { type: 'NUM', key: 'headers', description: 'the current number of headers we have validated' },
  { type: 'STR', key: 'bestblockhash', description: 'the hash of the currently best block' },
  { type: 'STR_HEX', key: 'bits', description: 'nBits: compact representation of the block difficulty target' },
  { type: 'STR_HEX', key: 'target', description: 'the difficulty target' },
  { type: 'NUM', key: 'difficulty', description: 'the current difficulty' },
  { type: 'NUM_TIME', key: 'time', description: `the block time expressed in ${UNIX_EPOCH_TIME}` },
  { type: 'NUM_TIME', key: 'mediantime', description: `the median block time expressed in ${UNIX_EPOCH_TIME}` },
  { type: 'NUM', key: 'verificationprogress', description: 'estimate of verification progress [0..1]' },
  { type: 'BOOL', key: 'initialblockdownload', description: '(debug information) estimate of whether this node is in Initial Block Download mode' },
  {
    type: 'OBJ', key: 'backgroundvalidation', optional: true, description: 'state info regarding background validation process', inner: [
      { type: 'NUM', key: 'snapshotheight', description: 'the height of the snapshot block. Background validation verifies the chain from genesis up to this height' },
      { type: 'NUM', key: 'blocks', description: 'the height of the most-work background fully-validated chain. The genesis block has height 0' },
      { type: 'STR', key: 'bestblockhash', description: 'the hash of the currently best block validated in the background' },
      { type: 'NUM_TIME', key: 'mediantime', description: `the median block time expressed in ${UNIX_EPOCH_TIME}` },
      { type: 'NUM', key: 'verificationprogress', description: 'estimate of background verification progress [0..1]' },
      { type: 'STR_HEX', key: 'chainwork', description: 'total amount of work in background validated chain, in hexadecimal' },
    ],
  },
  { type: 'STR_HEX', key: 'chainwork', description: 'total amount of work in active chain, in hexadecimal' },
  { type: 'NUM', key: 'size_on_disk', description: 'the estimated size of the block and undo files on disk' },
  { type: 'BOOL', key: 'pruned', description: 'if the blocks are subject to pruning' },
  { type: 'NUM', key: 'pruneheight', optional: true, description: 'the first block unpruned, all previous blocks were pruned (only present if pruning is enabled)' },
  { type: 'BOOL', key: 'automatic_pruning', optional: true, description: 'whether automatic pruning is enabled (only present if pruning is enabled)' },
  { type: 'NUM', key: 'prune_target_size', optional: true, description: 'the target size used by pruning (only present if automatic pruning is enabled)' },
  { type: 'STR_HEX', key: 'signet_challenge', optional: true, description: 'the block challenge (aka. block script), in hexadecimal (only present if the current network is a signet)' },
  {
    type: 'ARR', key: 'warnings', description: 'any network and blockchain warnings (run with `-deprecatedrpc=warnings` to return the latest warning as a single string)',
    inner: [{ type: 'STR', description: 'warning' }],
  },
];

const CHAINTIP_STATUS = 'status of the chain, "active" for the main chain\n'
  + 'Possible values for status:\n'
  + '1.  "invalid"               This branch contains at least one invalid block\n'
  + '2.  "headers-only"          Not all blocks for this branch are available, but the headers are valid\n'
  + '3.  "valid-headers"         All blocks are available for this branch, but they were never fully validated\n'
  + '4.  "valid-fork"            This branch is not part of the active chain, but is fully validated\n'
  + '5.  "active"                This is the tip of the active main chain, which is certainly valid';

const DEPLOYMENT_FIELDS: RPCResult[] = [
  { type: 'STR', key: 'type', description: 'one of "buried", "bip9"' },
  { type: 'NUM', key: 'height', optional: true, description: 'height of the first block which the rules are or will be enforced (only for "buried" type, or "bip9" type with "active" status)' },
  { type: 'BOOL', key: 'active', description: 'true if the rules are enforced for the mempool and the next block' },
  {
    type: 'OBJ', key: 'bip9', optional: true, description: 'status of bip9 softforks (only for "bip9" type)', inner: [
      { type: 'NUM', key: 'bit', optional: true, description: 'the bit (0-28) in the block version field used to signal this softfork (only for "started" and "locked_in" status)' },
      { type: 'NUM_TIME', key: 'start_time', description: 'the minimum median time past of a block at which the bit gains its meaning' },
      { type: 'NUM_TIME', key: 'timeout', description: 'the median time past of a block at which the deployment is considered failed if not yet locked in' },
      { type: 'NUM', key: 'min_activation_height', description: 'minimum height of blocks for which the rules may be enforced' },
      { type: 'STR', key: 'status', description: 'status of deployment at specified block (one of "defined", "started", "locked_in", "active", "failed")' },
      { type: 'NUM', key: 'since', description: 'height of the first block to which the status applies' },
      { type: 'STR', key: 'status_next', description: 'status of deployment at the next block' },
      {
        type: 'OBJ', key: 'statistics', optional: true, description: 'numeric statistics about signalling for a softfork (only for "started" and "locked_in" status)', inner: [
          { type: 'NUM', key: 'period', description: 'the length in blocks of the signalling period' },
          { type: 'NUM', key: 'threshold', optional: true, description: 'the number of blocks with the version bit set required to activate the feature (only for "started" status)' },
          { type: 'NUM', key: 'elapsed', description: 'the number of blocks elapsed since the beginning of the current period' },
          { type: 'NUM', key: 'count', description: 'the number of blocks with the version bit set in the current period' },
          { type: 'BOOL', key: 'possible', optional: true, description: 'returns false if there are not enough blocks left in this period to pass activation threshold (only for "started" status)' },
        ],
      },
      { type: 'STR', key: 'signalling', optional: true, description: 'indicates blocks that signalled with a # and blocks that did not with a -' },
    ],
  },
];

const BLOCKSTATS_FIELDS: RPCResult[] = [
  { type: 'NUM', key: 'avgfee', optional: true, description: 'Average fee in the block' },
  { type: 'NUM', key: 'avgfeerate', optional: true, description: 'Average feerate (in satoshis per virtual byte)' },
  { type: 'NUM', key: 'avgtxsize', optional: true, description: 'Average transaction size' },
  { type: 'STR_HEX', key: 'blockhash', optional: true, description: 'The block hash (to check for potential reorgs)' },
  {
    type: 'ARR_FIXED', key: 'feerate_percentiles', optional: true,
    description: 'Feerates at the 10th, 25th, 50th, 75th, and 90th percentile weight unit (in satoshis per virtual byte)',
    inner: ['10th', '25th', '50th', '75th', '90th'].map((p) => ({ type: 'NUM' as const, key: `${p}_percentile_feerate`, description: `The ${p} percentile feerate` })),
  },
  { type: 'NUM', key: 'height', optional: true, description: 'The height of the block' },
  { type: 'NUM', key: 'ins', optional: true, description: 'The number of inputs (excluding coinbase)' },
  { type: 'NUM', key: 'maxfee', optional: true, description: 'Maximum fee in the block' },
  { type: 'NUM', key: 'maxfeerate', optional: true, description: 'Maximum feerate (in satoshis per virtual byte)' },
  { type: 'NUM', key: 'maxtxsize', optional: true, description: 'Maximum transaction size' },
  { type: 'NUM', key: 'medianfee', optional: true, description: 'Truncated median fee in the block' },
  { type: 'NUM', key: 'mediantime', optional: true, description: 'The block median time past' },
  { type: 'NUM', key: 'mediantxsize', optional: true, description: 'Truncated median transaction size' },
  { type: 'NUM', key: 'minfee', optional: true, description: 'Minimum fee in the block' },
  { type: 'NUM', key: 'minfeerate', optional: true, description: 'Minimum feerate (in satoshis per virtual byte)' },
  { type: 'NUM', key: 'mintxsize', optional: true, description: 'Minimum transaction size' },
  { type: 'NUM', key: 'outs', optional: true, description: 'The number of outputs' },
  { type: 'NUM', key: 'subsidy', optional: true, description: 'The block subsidy' },
  { type: 'NUM', key: 'swtotal_size', optional: true, description: 'Total size of all segwit transactions' },
  { type: 'NUM', key: 'swtotal_weight', optional: true, description: 'Total weight of all segwit transactions' },
  { type: 'NUM', key: 'swtxs', optional: true, description: 'The number of segwit transactions' },
  { type: 'NUM', key: 'time', optional: true, description: 'The block time' },
  { type: 'NUM', key: 'total_out', optional: true, description: 'Total amount in all outputs (excluding coinbase and thus reward [ie subsidy + totalfee])' },
  { type: 'NUM', key: 'total_size', optional: true, description: 'Total size of all non-coinbase transactions' },
  { type: 'NUM', key: 'total_weight', optional: true, description: 'Total weight of all non-coinbase transactions' },
  { type: 'NUM', key: 'totalfee', optional: true, description: 'The fee total' },
  { type: 'NUM', key: 'txs', optional: true, description: 'The number of transactions (including coinbase)' },
  { type: 'NUM', key: 'utxo_increase', optional: true, description: 'The increase/decrease in the number of unspent outputs (not discounting op_return and similar)' },
  { type: 'NUM', key: 'utxo_size_inc', optional: true, description: 'The increase/decrease in size for the utxo index (not discounting op_return and similar)' },
  { type: 'NUM', key: 'utxo_increase_actual', optional: true, description: 'The increase/decrease in the number of unspent outputs, not counting unspendables' },
  { type: 'NUM', key: 'utxo_size_inc_actual', optional: true, description: 'The increase/decrease in size for the utxo index, not counting unspendables' },
];

const SCAN_OBJECTS: RPCArg = {
  names: 'scanobjects', type: 'ARR', fallback: Optional.OMITTED,
  description: 'Array of scan objects. Required for "start" action\nEvery scan object is either a string descriptor or an object:',
  inner: [
    { names: 'descriptor', type: 'STR', fallback: Optional.OMITTED, description: 'An output descriptor' },
    {
      names: '', type: 'OBJ', fallback: Optional.OMITTED, description: 'An object with output descriptor and metadata', inner: [
        { names: 'desc', type: 'STR', fallback: Optional.NO, description: 'An output descriptor' },
        { names: 'range', type: 'RANGE', fallback: { default: 1000 }, description: 'The range of HD chain indexes to explore (either end or [begin,end])' },
      ],
    },
  ],
  opts: { onelineDescription: '[scanobjects,...]' },
};

export function blockchainCommands(): RPCHelpMan[] {
  return [
    method({
      name: 'getblockchaininfo', description: 'Returns an object containing various state info regarding blockchain processing.\n',
      results: { type: 'OBJ', description: '', inner: CHAININFO_FIELDS }, examples: examples('getblockchaininfo', ''), handler: getblockchaininfo,
    }),
    method({
      name: 'getchaintxstats', description: 'Compute statistics about the total number and rate of transactions in the chain.\n',
      args: [
        { names: 'nblocks', type: 'NUM', fallback: { hint: 'one month' }, description: 'Size of the window in number of blocks' },
        { names: 'blockhash', type: 'STR_HEX', fallback: { hint: 'chain tip' }, description: 'The hash of the block that ends the window.' },
      ],
      results: {
        type: 'OBJ', description: '', inner: [
          { type: 'NUM_TIME', key: 'time', description: `The timestamp for the final block in the window, expressed in ${UNIX_EPOCH_TIME}` },
          { type: 'NUM', key: 'txcount', optional: true, description: 'The total number of transactions in the chain up to that point, if known. It may be unknown when using assumeutxo.' },
          { type: 'STR_HEX', key: 'window_final_block_hash', description: 'The hash of the final block in the window' },
          { type: 'NUM', key: 'window_final_block_height', description: 'The height of the final block in the window.' },
          { type: 'NUM', key: 'window_block_count', description: 'Size of the window in number of blocks' },
          { type: 'NUM', key: 'window_interval', optional: true, description: 'The elapsed time in the window in seconds. Only returned if "window_block_count" is > 0' },
          { type: 'NUM', key: 'window_tx_count', optional: true, description: 'The number of transactions in the window. Only returned if "window_block_count" is > 0 and if txcount exists for the start and end of the window.' },
          { type: 'NUM', key: 'txrate', optional: true, description: 'The average rate of transactions per second in the window. Only returned if "window_interval" is > 0 and if window_tx_count exists.' },
        ],
      },
      examples: examples('getchaintxstats', '', '2016'), handler: getchaintxstats,
    }),
    method({
      name: 'getblockstats',
      description: 'Compute per block statistics for a given window. All amounts are in satoshis.\nIt won\'t work for some heights with pruning.\n',
      args: [
        {
          names: 'hash_or_height', type: 'NUM', fallback: Optional.NO, description: 'The block hash or height of the target block',
          opts: { skipTypeCheck: true, typeStr: ['', 'string or numeric'] },
        },
        {
          names: 'stats', type: 'ARR', fallback: { hint: 'all values' }, description: 'Values to plot (see result below)', opts: { onelineDescription: 'stats' },
          inner: [
            { names: 'height', type: 'STR', fallback: Optional.OMITTED, description: 'Selected statistic' },
            { names: 'time', type: 'STR', fallback: Optional.OMITTED, description: 'Selected statistic' },
          ],
        },
      ],
      results: { type: 'OBJ', description: '', inner: BLOCKSTATS_FIELDS },
      examples: helpExampleCli('getblockstats', `'${EXAMPLE_HASH}' '["minfeerate","avgfeerate"]'`)
        + helpExampleCli('getblockstats', '1000 \'["minfeerate","avgfeerate"]\'')
        + helpExampleRpc('getblockstats', `${EXAMPLE_HASH}, ["minfeerate","avgfeerate"]`)
        + helpExampleRpc('getblockstats', '1000, ["minfeerate","avgfeerate"]'),
      handler: getblockstats,
    }),
    method({
      name: 'getbestblockhash', description: 'Returns the hash of the best (tip) block in the most-work fully-validated chain.\n',
      results: { type: 'STR_HEX', description: 'the block hash, hex-encoded' }, examples: examples('getbestblockhash', ''), handler: getbestblockhash,
    }),
    method({
      name: 'getblockcount', description: 'Returns the height of the most-work fully-validated chain.\nThe genesis block has height 0.\n',
      results: { type: 'NUM', description: 'The current block count' }, examples: examples('getblockcount', ''), handler: getblockcount,
    }),
    method({
      name: 'getblock',
      description: "If verbosity is 0, returns a string that is serialized, hex-encoded data for block 'hash'.\n"
        + 'If verbosity is 1, returns an Object with information about block <hash>.\n'
        + 'If verbosity is 2, returns an Object with information about block <hash> and information about each transaction.\n'
        + 'If verbosity is 3, returns an Object with information about block <hash> and information about each transaction, including prevout information for inputs (only for unpruned blocks in the current best chain).\n',
      args: [
        { names: 'blockhash', type: 'STR_HEX', fallback: Optional.NO, description: 'The block hash' },
        {
          names: 'verbosity|verbose', type: 'NUM', fallback: { default: 1 }, opts: { skipTypeCheck: true },
          description: '0 for hex-encoded data, 1 for a JSON object, 2 for JSON object with transaction data, and 3 for JSON object with transaction data including prevout information for inputs',
        },
      ],
      results: [
        { cond: 'for verbosity = 0', type: 'STR_HEX', description: "A string that is serialized, hex-encoded data for block 'hash'" },
        { cond: 'for verbosity = 1', type: 'OBJ', description: '', inner: getBlockFields({ type: 'ARR', key: 'tx', description: 'The transaction ids', inner: [{ type: 'STR_HEX', description: 'The transaction id' }] }) },
        {
          cond: 'for verbosity = 2', type: 'OBJ', description: '', inner: getBlockFields({
            type: 'ARR', key: 'tx', description: '', inner: [{
              type: 'OBJ', description: '', inner: txDoc({
                elisionMode: 'summary', fee: true, hex: true,
                elisionSummary: 'The transactions in the format of the getrawtransaction RPC. Different from verbosity = 1 "tx" result',
                feeDoc: `The transaction fee in ${CURRENCY_UNIT}, omitted if block undo data is not available`,
              }),
            }],
          }, 'Same output as verbosity = 1'),
        },
        {
          cond: 'for verbosity = 3', type: 'OBJ', description: '', inner: getBlockFields({
            type: 'ARR', key: 'tx', description: '', inner: [{
              type: 'OBJ', description: '', inner: txDoc({
                elisionMode: 'silent', prevout: true, prevoutOptional: true, fee: true, hex: true, vinItemDoc: '',
                prevoutDoc: '(Only if undo information is available)', vinInnerElision: 'The same output as verbosity = 2',
              }),
            }],
          }, 'Same output as verbosity = 2'),
        },
      ],
      examples: examples('getblock', EXAMPLE_HASH), handler: getblock,
    }),
    method({
      name: 'getblockfrompeer',
      description: 'Attempt to fetch block from a given peer.\n\n'
        + 'We must have the header for this block, e.g. using submitheader.\n'
        + 'The block will not have any undo data which can limit the usage of the block data in a context where the undo data is needed.\n'
        + 'Subsequent calls for the same block may cause the response from the previous peer to be ignored.\n'
        + 'Peers generally ignore requests for a stale block that they never fully verified, or one that is more than a month old.\n'
        + 'When a peer does not respond with a block, we will disconnect.\n'
        + 'Note: The block could be re-pruned as soon as it is received.\n\n'
        + 'Returns an empty JSON object if the request was successfully scheduled.',
      args: [
        { names: 'blockhash', type: 'STR_HEX', fallback: Optional.NO, description: 'The block hash to try to fetch' },
        { names: 'peer_id', type: 'NUM', fallback: Optional.NO, description: 'The peer to fetch it from (see getpeerinfo for peer IDs)' },
      ],
      results: { type: 'OBJ', description: '', inner: [] },
      examples: helpExampleCli('getblockfrompeer', '"00000000c937983704a73af28acdec37b049d214adbda81d7e2a3dd146f6ed09" 0')
        + helpExampleRpc('getblockfrompeer', '"00000000c937983704a73af28acdec37b049d214adbda81d7e2a3dd146f6ed09" 0'),
      handler: getblockfrompeer,
    }),
    method({
      name: 'getblockhash', description: 'Returns hash of block in best-block-chain at height provided.\n',
      args: [{ names: 'height', type: 'NUM', fallback: Optional.NO, description: 'The height index' }],
      results: { type: 'STR_HEX', description: 'The block hash' }, examples: examples('getblockhash', '1000'), handler: getblockhash,
    }),
    method({
      name: 'getblockheader',
      description: "If verbose is false, returns a string that is serialized, hex-encoded data for blockheader 'hash'.\n"
        + 'If verbose is true, returns an Object with information about blockheader <hash>.\n',
      args: [
        { names: 'blockhash', type: 'STR_HEX', fallback: Optional.NO, description: 'The block hash' },
        { names: 'verbose', type: 'BOOL', fallback: { default: true }, description: 'true for a json object, false for the hex-encoded data' },
      ],
      results: [
        { cond: 'for verbose = true', type: 'OBJ', description: '', inner: HEADER_FIELDS },
        { cond: 'for verbose=false', type: 'STR_HEX', description: "A string that is serialized, hex-encoded data for block 'hash'" },
      ],
      examples: examples('getblockheader', EXAMPLE_HASH), handler: getblockheader,
    }),
    method({
      name: 'getchaintips',
      description: 'Return information about all known tips in the block tree, including the main chain as well as orphaned branches.\n',
      results: {
        type: 'ARR', description: '', inner: [{
          type: 'OBJ', description: '', inner: [
            { type: 'NUM', key: 'height', description: 'height of the chain tip' },
            { type: 'STR_HEX', key: 'hash', description: 'block hash of the tip' },
            { type: 'NUM', key: 'branchlen', description: 'zero for main chain, otherwise length of branch connecting the tip to the main chain' },
            { type: 'STR', key: 'status', description: CHAINTIP_STATUS },
          ],
        }],
      },
      examples: examples('getchaintips', ''), handler: getchaintips,
    }),
    method({
      name: 'getdifficulty', description: 'Returns the proof-of-work difficulty as a multiple of the minimum difficulty.\n',
      results: { type: 'NUM', description: 'the proof-of-work difficulty as a multiple of the minimum difficulty.' },
      examples: examples('getdifficulty', ''), handler: getdifficulty,
    }),
    method({
      name: 'getdeploymentinfo',
      description: 'Returns an object containing various state info regarding deployments of consensus changes.\n'
        + 'Consensus changes for which the new rules are enforced from genesis are not listed in "deployments".',
      args: [{ names: 'blockhash', type: 'STR_HEX', fallback: { default: 'hash of current chain tip' }, description: 'The block hash at which to query deployment state' }],
      results: {
        type: 'OBJ', description: '', inner: [
          { type: 'STR', key: 'hash', description: 'requested block hash (or tip)' },
          { type: 'NUM', key: 'height', description: 'requested block height (or tip)' },
          { type: 'ARR', key: 'script_flags', description: 'script verify flags for the block', inner: [{ type: 'STR', key: 'flag', description: 'a script verify flag' }] },
          { type: 'OBJ_DYN', key: 'deployments', description: '', inner: [{ type: 'OBJ', key: 'xxxx', description: 'name of the deployment', inner: DEPLOYMENT_FIELDS }] },
        ],
      },
      examples: examples('getdeploymentinfo', ''), handler: getdeploymentinfo,
    }),
    method({
      name: 'gettxout', description: 'Returns details about an unspent transaction output.\n',
      args: [
        { names: 'txid', type: 'STR', fallback: Optional.NO, description: 'The transaction id' },
        { names: 'n', type: 'NUM', fallback: Optional.NO, description: 'vout number' },
        { names: 'include_mempool', type: 'BOOL', fallback: { default: true }, description: "Whether to include the mempool. Note that an unspent output that is spent in the mempool won't appear." },
      ],
      results: [
        { cond: 'If the UTXO was not found', type: 'NONE', description: '' },
        {
          cond: 'Otherwise', type: 'OBJ', description: '', inner: [
            { type: 'STR_HEX', key: 'bestblock', description: 'The hash of the block at the tip of the chain' },
            { type: 'NUM', key: 'confirmations', description: 'The number of confirmations' },
            { type: 'STR_AMOUNT', key: 'value', description: `The transaction value in ${CURRENCY_UNIT}` },
            { type: 'OBJ', key: 'scriptPubKey', description: '', inner: gettxoutScriptPubKeyDoc() },
            { type: 'BOOL', key: 'coinbase', description: 'Coinbase or not' },
          ],
        },
      ],
      examples: '\nGet unspent transactions\n' + helpExampleCli('listunspent', '') + '\nView the details\n' + helpExampleCli('gettxout', '"txid" 1')
        + '\nAs a JSON-RPC call\n' + helpExampleRpc('gettxout', '"txid", 1'),
      handler: gettxout,
    }),
    method({
      name: 'pruneblockchain',
      description: 'Attempts to delete block and undo data up to a specified height or timestamp, if eligible for pruning.\n'
        + 'Requires `-prune` to be enabled at startup. While pruned data may be re-fetched in some cases (e.g., via `getblockfrompeer`), local deletion is irreversible.\n',
      args: [{
        names: 'height', type: 'NUM', fallback: Optional.NO,
        description: `The block height to prune up to. May be set to a discrete height, or to a ${UNIX_EPOCH_TIME}\n`
          + '                  to prune blocks whose block time is at least 2 hours older than the provided timestamp.',
      }],
      results: { type: 'NUM', description: 'Height of the last block pruned' }, examples: examples('pruneblockchain', '1000'), handler: pruneblockchain,
    }),
    method({
      name: 'verifychain', description: 'Verifies blockchain database.\n',
      args: [
        {
          names: 'checklevel', type: 'NUM', fallback: { hint: `${DEFAULT_CHECKLEVEL}, range=0-4` },
          description: `How thorough the block verification is:\n${CHECKLEVEL_DOC.map((l) => `- ${l}`).join('\n')}`,
        },
        { names: 'nblocks', type: 'NUM', fallback: { hint: `${DEFAULT_CHECKBLOCKS}, 0=all` }, description: 'The number of blocks to check.' },
      ],
      results: { type: 'BOOL', description: 'Verification finished successfully. If false, check debug log for reason.' },
      examples: examples('verifychain', ''), handler: verifychain,
    }),
    method({
      name: 'preciousblock',
      description: 'Treats a block as if it were received before others with the same work.\n\nA later preciousblock call can override the effect of an earlier one.\n\nThe effects of preciousblock are not retained across restarts.\n',
      args: [{ names: 'blockhash', type: 'STR_HEX', fallback: Optional.NO, description: 'the hash of the block to mark as precious' }],
      results: NONE, examples: examples('preciousblock', '"blockhash"'), handler: preciousblock,
    }),
    method({
      name: 'scanblocks',
      description: 'Return relevant blockhashes for given descriptors (requires blockfilterindex).\nThis call may take several minutes. Make sure to use no RPC timeout (bitcoin-cli -rpcclienttimeout=0)',
      args: [
        {
          names: 'action', type: 'STR', fallback: Optional.NO,
          description: 'The action to execute\n"start" for starting a scan\n"abort" for aborting the current scan (returns true when abort was successful)\n"status" for progress report (in %) of the current scan',
        },
        SCAN_OBJECTS,
        { names: 'start_height', type: 'NUM', fallback: { default: 0 }, description: 'Height to start to scan from' },
        { names: 'stop_height', type: 'NUM', fallback: { hint: 'chain tip' }, description: 'Height to stop to scan' },
        { names: 'filtertype', type: 'STR', fallback: { default: 'basic' }, description: 'The type name of the filter' },
        {
          names: 'options', type: 'OBJ_NAMED_PARAMS', fallback: Optional.OMITTED, description: '', opts: { onelineDescription: 'options' },
          inner: [{
            names: 'filter_false_positives', type: 'BOOL', fallback: { default: false },
            description: 'Filter false positives (slower and may fail on pruned nodes). Otherwise they may occur at a rate of 1/M',
          }],
        },
      ],
      results: [
        { cond: "when action=='status' and no scan is in progress - possibly already completed", type: 'NONE', description: '' },
        {
          cond: "When action=='start'; only returns after scan completes", type: 'OBJ', description: '', inner: [
            { type: 'NUM', key: 'from_height', description: 'The height we started the scan from' },
            { type: 'NUM', key: 'to_height', description: 'The height we ended the scan at' },
            { type: 'ARR', key: 'relevant_blocks', description: 'Blocks that may have matched a scanobject.', inner: [{ type: 'STR_HEX', key: 'blockhash', description: 'A relevant blockhash' }] },
            { type: 'BOOL', key: 'completed', description: 'true if the scan process was not aborted' },
          ],
        },
        {
          cond: "when action=='status' and a scan is currently in progress", type: 'OBJ', description: '', inner: [
            { type: 'NUM', key: 'progress', description: 'Approximate percent complete' },
            { type: 'NUM', key: 'current_height', description: 'Height of the block currently being scanned' },
          ],
        },
        {
          cond: "when action=='abort'", type: 'BOOL', key: 'success',
          description: 'True if scan will be aborted (not necessarily before this RPC returns), or false if there is no scan to abort',
        },
      ],
      examples: helpExampleCli('scanblocks', 'start \'["addr(bcrt1q4u4nsgk6ug0sqz7r3rj9tykjxrsl0yy4d0wwte)"]\' 300000')
        + helpExampleCli('scanblocks', 'start \'["addr(bcrt1q4u4nsgk6ug0sqz7r3rj9tykjxrsl0yy4d0wwte)"]\' 100 150 basic')
        + helpExampleCli('scanblocks', 'status')
        + helpExampleRpc('scanblocks', '"start", ["addr(bcrt1q4u4nsgk6ug0sqz7r3rj9tykjxrsl0yy4d0wwte)"], 300000')
        + helpExampleRpc('scanblocks', '"start", ["addr(bcrt1q4u4nsgk6ug0sqz7r3rj9tykjxrsl0yy4d0wwte)"], 100, 150, "basic"')
        + helpExampleRpc('scanblocks', '"status"'),
      handler: scanblocks,
    }),
    method({
      name: 'gettxoutproof',
      description: 'Returns a hex-encoded proof that "txid" was included in a block.\n\n'
        + 'NOTE: By default this function only works sometimes. This is when there is an\n'
        + 'unspent output in the utxo for this transaction. To make it always work,\n'
        + 'you need to maintain a transaction index, using the -txindex command line option or\n'
        + 'specify the block in which the transaction is included manually (by blockhash).\n',
      args: [
        {
          names: 'txids', type: 'ARR', fallback: Optional.NO, description: 'The txids to filter',
          inner: [{ names: 'txid', type: 'STR_HEX', fallback: Optional.OMITTED, description: 'A transaction hash' }],
        },
        { names: 'blockhash', type: 'STR_HEX', fallback: Optional.OMITTED, description: 'If specified, looks for txid in the block with this hash' },
      ],
      results: { type: 'STR', key: 'data', description: 'A string that is a serialized, hex-encoded data for the proof.' },
      examples: '', handler: gettxoutproof,
    }),
    method({
      name: 'verifytxoutproof',
      description: 'Verifies that a proof points to a transaction in a block, returning the transaction it commits to\n'
        + 'and throwing an RPC error if the block is not in our best chain\n',
      args: [{ names: 'proof', type: 'STR_HEX', fallback: Optional.NO, description: 'The hex-encoded proof generated by gettxoutproof' }],
      results: {
        type: 'ARR', description: '', inner: [
          { type: 'STR_HEX', key: 'txid', description: 'The txid(s) which the proof commits to, or empty array if the proof cannot be validated.' },
        ],
      },
      examples: '', handler: verifytxoutproof,
    }),
    method({
      name: 'invalidateblock', description: 'Permanently marks a block as invalid, as if it violated a consensus rule.\n',
      args: [{ names: 'blockhash', type: 'STR_HEX', fallback: Optional.NO, description: 'the hash of the block to mark as invalid' }],
      results: NONE, examples: examples('invalidateblock', '"blockhash"'), handler: invalidateblock,
    }),
    method({
      name: 'reconsiderblock',
      description: 'Removes invalidity status of a block, its ancestors and its descendants, reconsider them for activation.\nThis can be used to undo the effects of invalidateblock.\n',
      args: [{ names: 'blockhash', type: 'STR_HEX', fallback: Optional.NO, description: 'the hash of the block to reconsider' }],
      results: NONE, examples: examples('reconsiderblock', '"blockhash"'), handler: reconsiderblock,
    }),
    method({
      name: 'waitfornewblock', description: `Waits for any new block and returns useful info about it.\n${WAIT_NOTE}`,
      args: [TIMEOUT_ARG, { names: 'current_tip', type: 'STR_HEX', fallback: Optional.OMITTED, description: 'Method waits for the chain tip to differ from this.' }],
      results: BLOCK_REF_RESULT, examples: examples('waitfornewblock', '1000'), handler: waitfornewblock,
    }),
    method({
      name: 'waitforblock', description: `Waits for a specific new block and returns useful info about it.\n${WAIT_NOTE}`,
      args: [{ names: 'blockhash', type: 'STR_HEX', fallback: Optional.NO, description: 'Block hash to wait for.' }, TIMEOUT_ARG],
      results: BLOCK_REF_RESULT,
      examples: helpExampleCli('waitforblock', '"0000000000079f8ef3d2c688c244eb7a4570b24c9ed7b4a8c619eb02596f8862" 1000')
        + helpExampleRpc('waitforblock', '"0000000000079f8ef3d2c688c244eb7a4570b24c9ed7b4a8c619eb02596f8862", 1000'),
      handler: waitforblock,
    }),
    method({
      name: 'waitforblockheight', description: `Waits for (at least) block height and returns the height and hash\nof the current tip.\n${WAIT_NOTE}`,
      args: [{ names: 'height', type: 'NUM', fallback: Optional.NO, description: 'Block height to wait for.' }, TIMEOUT_ARG],
      results: BLOCK_REF_RESULT, examples: examples('waitforblockheight', '100 1000', '100, 1000'), handler: waitforblockheight,
    }),
    method({
      name: 'syncwithvalidationinterfacequeue',
      description: 'Waits for the validation interface queue to catch up on everything that was there when we entered this function.\n',
      results: NONE, examples: examples('syncwithvalidationinterfacequeue', ''), handler: syncwithvalidationinterfacequeue,
    }),
  ];
}

/** Core lists these under "hidden": they are for tests and stay out of the help listing. */
const HIDDEN = new Set(['invalidateblock', 'reconsiderblock', 'syncwithvalidationinterfacequeue']);

/** RegisterBlockchainRPCCommands and RegisterTxoutProofRPCCommands. */
export function registerBlockchainRPCCommands(table: RPCTable, ctx: NodeContext): void {
  const all = blockchainCommands();
  registerCommands(table, ctx, 'blockchain', all.filter((m) => !HIDDEN.has(m.name)));
  registerCommands(table, ctx, 'hidden', all.filter((m) => HIDDEN.has(m.name)));
}
