// submitblock and submitheader (Core's rpc/mining.cpp): BIP22 results for blocks, Core's errors for headers.
import type { MiningService } from '../node/miner_service.js';
import { hashToHex } from '../util/hex.js';
import { ensureChainman } from './blockchain_context.js';
import { bip22ValidationResult } from './mining_gbt.js';
import { decodeHexBlock, decodeHexBlockHeader } from './mining_decode.js';
import { RPCError, RPCErrorCode } from './protocol.js';
import { getStr, helpExampleCli, helpExampleRpc, Optional, RPCHelpMan } from './util.js';

export function submitblock(miner: MiningService): RPCHelpMan {
  // BIP22 allows a second argument; it is ignored.
  return new RPCHelpMan({
    name: 'submitblock',
    description: 'Attempts to submit new block to network.\nSee https://en.bitcoin.it/wiki/BIP_0022 for full specification.\n',
    args: [
      { names: 'hexdata', type: 'STR_HEX', fallback: Optional.NO, description: 'the hex-encoded block data to submit' },
      { names: 'dummy', type: 'STR', fallback: { hint: 'ignored' }, description: 'dummy value, for compatibility with BIP22. This value is ignored.' },
    ],
    results: [
      { cond: 'If the block was accepted', type: 'NONE', description: '' },
      { cond: 'Otherwise', type: 'STR', description: 'According to BIP22' },
    ],
    examples: helpExampleCli('submitblock', '"mydata"') + helpExampleRpc('submitblock', '"mydata"'),
    handler: async (req, ctx) => {
      const decoded = decodeHexBlock(getStr(req.params[0]));
      if (!decoded) throw new RPCError(RPCErrorCode.RPC_DESERIALIZATION_ERROR, 'Block decode failed');
      ensureChainman(ctx);
      const result = await miner.submitBlock(miner.completeSubmittedBlock(decoded));
      if (result.reason === 'duplicate' || result.reason === 'inconclusive') return result.reason;
      return bip22ValidationResult(result.state!);
    },
  });
}

export function submitheader(): RPCHelpMan {
  return new RPCHelpMan({
    name: 'submitheader',
    description: 'Decode the given hexdata as a header and submit it as a candidate chain tip if valid.\nThrows when the header is invalid.\n',
    args: [{ names: 'hexdata', type: 'STR_HEX', fallback: Optional.NO, description: 'the hex-encoded block header data' }],
    results: { type: 'NONE', description: 'None' },
    examples: helpExampleCli('submitheader', '"aabbcc"') + helpExampleRpc('submitheader', '"aabbcc"'),
    handler: (req, ctx) => {
      const header = decodeHexBlockHeader(getStr(req.params[0]));
      if (!header) throw new RPCError(RPCErrorCode.RPC_DESERIALIZATION_ERROR, 'Block header decode failed');
      const chainman = ensureChainman(ctx);
      const prevHex = hashToHex(header.hashPrevBlock);
      if (!chainman.lookupBlockIndex(prevHex)) {
        throw new RPCError(RPCErrorCode.RPC_VERIFY_ERROR, `Must submit previous header (${prevHex}) first`);
      }
      const state = chainman.processNewBlockHeaders([header], true);
      if (state.isValid()) return null;
      if (state.isError()) throw new RPCError(RPCErrorCode.RPC_VERIFY_ERROR, state.toString());
      throw new RPCError(RPCErrorCode.RPC_VERIFY_ERROR, state.getRejectReason());
    },
  });
}
