// The UTXO set RPCs as Core declares them (rpc/blockchain.cpp): gettxoutsetinfo, dumptxoutset and scantxoutset with
// their arguments, results and examples; the bodies are in coinstats_rpcs.ts and scantxoutset.ts.
import type { NodeContext } from '../node/context.js';
import { dumptxoutset, gettxoutsetinfo } from './coinstats_rpcs.js';
import { scantxoutset } from './scantxoutset.js';
import type { RPCTable } from './server.js';
import { helpExampleCli, helpExampleRpc, Optional, registerCommands, RPCHelpMan, type RPCResult } from './util.js';

const CURRENCY_UNIT = 'BTC';
const EXAMPLE_HASH = '00000000c937983704a73af28acdec37b049d214adbda81d7e2a3dd146f6ed09';
// raw() descriptor of mainnet address 12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S.
const EXAMPLE_DESCRIPTOR_RAW = 'raw(76a91411b366edfc0a8b66feebae5c2e25a7b6a5d1cf3188ac)#fm24fxxy';

const amountResult = (key: string, description: string): RPCResult => ({ type: 'STR_AMOUNT', key, description });

function gettxoutsetinfoMan(): RPCHelpMan {
  return new RPCHelpMan({
    name: 'gettxoutsetinfo',
    description: 'Returns statistics about the unspent transaction output set.\n' +
      'Note this call may take some time if you are not using coinstatsindex.\n',
    args: [
      { names: 'hash_type', type: 'STR', fallback: { default: 'hash_serialized_3' },
        description: 'Which UTXO set hash should be calculated. Options: \'hash_serialized_3\' (the legacy algorithm), \'muhash\', \'none\'.' },
      { names: 'hash_or_height', type: 'NUM', fallback: { hint: 'the current best block' },
        description: 'The block hash or height of the target height (only available with coinstatsindex).',
        opts: { skipTypeCheck: true, typeStr: ['', 'string or numeric'] } },
      { names: 'use_index', type: 'BOOL', fallback: { default: true }, description: 'Use coinstatsindex, if available.' },
    ],
    results: { type: 'OBJ', description: '', inner: [
      { type: 'NUM', key: 'height', description: 'The block height (index) of the returned statistics' },
      { type: 'STR_HEX', key: 'bestblock', description: 'The hash of the block at which these statistics are calculated' },
      { type: 'NUM', key: 'txouts', description: 'The number of unspent transaction outputs' },
      { type: 'NUM', key: 'bogosize', description: 'Database-independent, meaningless metric indicating the UTXO set size' },
      { type: 'STR_HEX', key: 'hash_serialized_3', optional: true, description: 'The serialized hash (only present if \'hash_serialized_3\' hash_type is chosen)' },
      { type: 'STR_HEX', key: 'muhash', optional: true, description: 'The serialized hash (only present if \'muhash\' hash_type is chosen)' },
      { type: 'NUM', key: 'transactions', optional: true, description: 'The number of transactions with unspent outputs (not available when coinstatsindex is used)' },
      { type: 'NUM', key: 'disk_size', optional: true, description: 'The estimated size of the chainstate on disk (not available when coinstatsindex is used)' },
      amountResult('total_amount', 'The total amount of coins in the UTXO set'),
      { type: 'STR_AMOUNT', key: 'total_unspendable_amount', optional: true, description: 'The total amount of coins permanently excluded from the UTXO set (only available if coinstatsindex is used)' },
      { type: 'OBJ', key: 'block_info', optional: true, description: 'Info on amounts in the block at this block height (only available if coinstatsindex is used)', inner: [
        amountResult('prevout_spent', 'Total amount of all prevouts spent in this block'),
        amountResult('coinbase', 'Coinbase subsidy amount of this block'),
        amountResult('new_outputs_ex_coinbase', 'Total amount of new outputs created by this block'),
        amountResult('unspendable', 'Total amount of unspendable outputs created in this block'),
        { type: 'OBJ', key: 'unspendables', description: 'Detailed view of the unspendable categories', inner: [
          amountResult('genesis_block', 'The unspendable amount of the Genesis block subsidy'),
          amountResult('bip30', 'Transactions overridden by duplicates (no longer possible with BIP30)'),
          amountResult('scripts', 'Amounts sent to scripts that are unspendable (for example OP_RETURN outputs)'),
          amountResult('unclaimed_rewards', 'Fee rewards that miners did not claim in their coinbase transaction'),
        ] },
      ] },
    ] },
    examples: helpExampleCli('gettxoutsetinfo', '') +
      helpExampleCli('gettxoutsetinfo', '"none"') +
      helpExampleCli('gettxoutsetinfo', '"none" 1000') +
      helpExampleCli('gettxoutsetinfo', `"none" '"${EXAMPLE_HASH}"'`) +
      helpExampleCli('-named gettxoutsetinfo', 'hash_type=\'muhash\' use_index=\'false\'') +
      helpExampleRpc('gettxoutsetinfo', '') +
      helpExampleRpc('gettxoutsetinfo', '"none"') +
      helpExampleRpc('gettxoutsetinfo', '"none", 1000') +
      helpExampleRpc('gettxoutsetinfo', `"none", "${EXAMPLE_HASH}"`),
    handler: (request, ctx) => gettxoutsetinfo(ctx, request.params),
  });
}

function dumptxoutsetMan(): RPCHelpMan {
  return new RPCHelpMan({
    name: 'dumptxoutset',
    description: 'Write the serialized UTXO set to a file. This can be used in loadtxoutset afterwards if this snapshot height is supported in the chainparams as well.\n' +
      'This creates a temporary UTXO database when rolling back, keeping the main chain intact. Should the node experience an unclean shutdown the temporary database may need to be removed from the datadir manually.\n' +
      'For deep rollbacks, make sure to use no RPC timeout (bitcoin-cli -rpcclienttimeout=0) as it may take several minutes.',
    args: [
      { names: 'path', type: 'STR', fallback: Optional.NO, description: 'Path to the output file. If relative, will be prefixed by datadir.' },
      { names: 'type', type: 'STR', fallback: { default: '' },
        description: 'The type of snapshot to create. Can be "latest" to create a snapshot of the current UTXO set or "rollback" to temporarily roll back the state of the node to a historical block before creating the snapshot of a historical UTXO set. This parameter can be omitted if a separate "rollback" named parameter is specified indicating the height or hash of a specific historical block. If "rollback" is specified and separate "rollback" named parameter is not specified, this will roll back to the latest valid snapshot block that can currently be loaded with loadtxoutset.' },
      { names: 'options', type: 'OBJ_NAMED_PARAMS', fallback: Optional.OMITTED, description: '', inner: [
        { names: 'rollback', type: 'NUM', fallback: Optional.OMITTED,
          description: 'Height or hash of the block to roll back to before creating the snapshot. Note: The further this number is from the tip, the longer this process will take. Consider setting a higher -rpcclienttimeout value in this case.',
          opts: { skipTypeCheck: true, typeStr: ['', 'string or numeric'] } },
        { names: 'in_memory', type: 'BOOL', fallback: { default: false },
          description: 'If true, the temporary UTXO-set database used during rollback is kept entirely in memory. This can significantly speed up the process but requires sufficient free RAM (over 10 GB on mainnet).' },
      ] },
    ],
    results: { type: 'OBJ', description: '', inner: [
      { type: 'NUM', key: 'coins_written', description: 'the number of coins written in the snapshot' },
      { type: 'STR_HEX', key: 'base_hash', description: 'the hash of the base of the snapshot' },
      { type: 'NUM', key: 'base_height', description: 'the height of the base of the snapshot' },
      { type: 'STR', key: 'path', description: 'the absolute path that the snapshot was written to' },
      { type: 'STR_HEX', key: 'txoutset_hash', description: 'the hash of the UTXO set contents' },
      { type: 'NUM', key: 'nchaintx', description: 'the number of transactions in the chain up to and including the base block' },
    ] },
    examples: helpExampleCli('-rpcclienttimeout=0 dumptxoutset', 'utxo.dat latest') +
      helpExampleCli('-rpcclienttimeout=0 dumptxoutset', 'utxo.dat rollback') +
      helpExampleCli('-rpcclienttimeout=0 -named dumptxoutset', 'utxo.dat rollback=853456') +
      helpExampleCli('-rpcclienttimeout=0 -named dumptxoutset', 'utxo.dat rollback=853456 in_memory=true'),
    handler: (request, ctx) => dumptxoutset(ctx, request.params),
  });
}

const scantxoutsetDescription = 'Scans the unspent transaction output set for entries that match certain output descriptors.\n' +
  'Examples of output descriptors are:\n' +
  '    addr(<address>)                      Outputs whose output script corresponds to the specified address (does not include P2PK)\n' +
  '    raw(<hex script>)                    Outputs whose output script equals the specified hex-encoded bytes\n' +
  '    combo(<pubkey>)                      P2PK, P2PKH, P2WPKH, and P2SH-P2WPKH outputs for the given pubkey\n' +
  '    pkh(<pubkey>)                        P2PKH outputs for the given pubkey\n' +
  '    sh(multi(<n>,<pubkey>,<pubkey>,...)) P2SH-multisig outputs for the given threshold and pubkeys\n' +
  '    tr(<pubkey>)                         P2TR\n' +
  '    tr(<pubkey>,{pk(<pubkey>)})          P2TR with single fallback pubkey in tapscript\n' +
  '    rawtr(<pubkey>)                      P2TR with the specified key as output key rather than inner\n' +
  '    wsh(and_v(v:pk(<pubkey>),after(2)))  P2WSH miniscript with mandatory pubkey and a timelock\n' +
  '\nIn the above, <pubkey> either refers to a fixed public key in hexadecimal notation, or to an xpub/xprv optionally followed by one\n' +
  'or more path elements separated by "/", and optionally ending in "/*" (unhardened), or "/*\'" or "/*h" (hardened) to specify all\n' +
  'unhardened or hardened child keys.\n' +
  'In the latter case, a range needs to be specified by below if different from 1000.\n' +
  'For more information on output descriptors, see the documentation in the doc/descriptors.md file.\n';

function scantxoutsetMan(): RPCHelpMan {
  return new RPCHelpMan({
    name: 'scantxoutset',
    description: scantxoutsetDescription,
    args: [
      { names: 'action', type: 'STR', fallback: Optional.NO, description: 'The action to execute\n' +
        '"start" for starting a scan\n' +
        '"abort" for aborting the current scan (returns true when abort was successful)\n' +
        '"status" for progress report (in %) of the current scan' },
      { names: 'scanobjects', type: 'ARR', fallback: Optional.OMITTED,
        description: 'Array of scan objects. Required for "start" action\nEvery scan object is either a string descriptor or an object:',
        opts: { onelineDescription: '[scanobjects,...]' },
        inner: [
          { names: 'descriptor', type: 'STR', fallback: Optional.OMITTED, description: 'An output descriptor' },
          { names: '', type: 'OBJ', fallback: Optional.OMITTED, description: 'An object with output descriptor and metadata', inner: [
            { names: 'desc', type: 'STR', fallback: Optional.NO, description: 'An output descriptor' },
            { names: 'range', type: 'RANGE', fallback: { default: 1000 }, description: 'The range of HD chain indexes to explore (either end or [begin,end])' },
          ] },
        ] },
    ],
    results: [
      { cond: 'when action==\'start\'; only returns after scan completes', type: 'OBJ', description: '', inner: [
        { type: 'BOOL', key: 'success', description: 'Whether the scan was completed' },
        { type: 'NUM', key: 'txouts', description: 'The number of unspent transaction outputs scanned' },
        { type: 'NUM', key: 'height', description: 'The block height at which the scan was done' },
        { type: 'STR_HEX', key: 'bestblock', description: 'The hash of the block at the tip of the chain' },
        { type: 'ARR', key: 'unspents', description: '', inner: [
          { type: 'OBJ', description: '', inner: [
            { type: 'STR_HEX', key: 'txid', description: 'The transaction id' },
            { type: 'NUM', key: 'vout', description: 'The vout value' },
            { type: 'STR_HEX', key: 'scriptPubKey', description: 'The output script' },
            { type: 'STR', key: 'desc', description: 'A specialized descriptor for the matched output script' },
            amountResult('amount', `The total amount in ${CURRENCY_UNIT} of the unspent output`),
            { type: 'BOOL', key: 'coinbase', description: 'Whether this is a coinbase output' },
            { type: 'NUM', key: 'height', description: 'Height of the unspent transaction output' },
            { type: 'STR_HEX', key: 'blockhash', description: 'Blockhash of the unspent transaction output' },
            { type: 'NUM', key: 'confirmations', description: 'Number of confirmations of the unspent transaction output when the scan was done' },
          ] },
        ] },
        amountResult('total_amount', `The total amount of all found unspent outputs in ${CURRENCY_UNIT}`),
      ] },
      { cond: 'when action==\'abort\'', type: 'BOOL', key: 'success',
        description: 'True if scan will be aborted (not necessarily before this RPC returns), or false if there is no scan to abort' },
      { cond: 'when action==\'status\' and a scan is currently in progress', type: 'OBJ', description: '', inner: [
        { type: 'NUM', key: 'progress', description: 'Approximate percent complete' },
      ] },
      { cond: 'when action==\'status\' and no scan is in progress - possibly already completed', type: 'NONE', description: '' },
    ],
    examples: helpExampleCli('scantxoutset', `start '["${EXAMPLE_DESCRIPTOR_RAW}"]'`) +
      helpExampleCli('scantxoutset', 'status') +
      helpExampleCli('scantxoutset', 'abort') +
      helpExampleRpc('scantxoutset', `"start", ["${EXAMPLE_DESCRIPTOR_RAW}"]`) +
      helpExampleRpc('scantxoutset', '"status"') +
      helpExampleRpc('scantxoutset', '"abort"'),
    handler: (request, ctx) => scantxoutset(ctx, request.params),
  });
}

/** Core registers these three under "blockchain". */
export function registerUTXOSetRPCCommands(table: RPCTable, ctx: NodeContext): void {
  registerCommands(table, ctx, 'blockchain', [gettxoutsetinfoMan(), scantxoutsetMan(), dumptxoutsetMan()]);
}
