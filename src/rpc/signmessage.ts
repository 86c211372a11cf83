// Message signing RPCs (Core's rpc/signmessage.cpp): verifymessage and signmessagewithprivkey.
import { messageSign, messageVerify, MessageVerificationResult } from '../common/signmessage.js';
import { addressParams } from '../kernel/chainparams_base.js';
import { decodeSecret } from '../key_io.js';
import type { NodeContext } from '../node/context.js';
import { RPCError, RPCErrorCode } from './protocol.js';
import type { RPCTable } from './server.js';
import { getStr, helpExampleCli, helpExampleRpc, Optional, registerCommands, RPCHelpMan } from './util.js';

const EXAMPLE_P2PKH = '1D1ZrZNe3JUo7ZycKEYQQiQAWd9y54F4XX';

function verifymessage(): RPCHelpMan {
  return new RPCHelpMan({
    name: 'verifymessage',
    description: 'Verify a signed message.',
    args: [
      { names: 'address', type: 'STR', fallback: Optional.NO, description: 'The bitcoin address to use for the signature.' },
      { names: 'signature', type: 'STR', fallback: Optional.NO, description: 'The signature provided by the signer in base 64 encoding (see signmessage).' },
      { names: 'message', type: 'STR', fallback: Optional.NO, description: 'The message that was signed.' },
    ],
    results: { type: 'BOOL', description: 'If the signature is verified or not.' },
    examples: `\nUnlock the wallet for 30 seconds\n${helpExampleCli('walletpassphrase', '"mypassphrase" 30')}` +
      `\nCreate the signature\n${helpExampleCli('signmessage', `"${EXAMPLE_P2PKH}" "my message"`)}` +
      `\nVerify the signature\n${helpExampleCli('verifymessage', `"${EXAMPLE_P2PKH}" "signature" "my message"`)}` +
      `\nAs a JSON-RPC call\n${helpExampleRpc('verifymessage', `"${EXAMPLE_P2PKH}", "signature", "my message"`)}`,
    handler: (_req, ctx, args) => {
      const result = messageVerify(args.str('address'), args.str('signature'), args.str('message'), addressParams(ctx.chainParams.chainType));
      switch (result) {
        case MessageVerificationResult.ERR_INVALID_ADDRESS:
          throw new RPCError(RPCErrorCode.RPC_INVALID_ADDRESS_OR_KEY, 'Invalid address');
        case MessageVerificationResult.ERR_ADDRESS_NO_KEY:
          throw new RPCError(RPCErrorCode.RPC_TYPE_ERROR, 'Address does not refer to key');
        case MessageVerificationResult.ERR_MALFORMED_SIGNATURE:
          throw new RPCError(RPCErrorCode.RPC_TYPE_ERROR, 'Malformed base64 encoding');
        case MessageVerificationResult.ERR_PUBKEY_NOT_RECOVERED:
        case MessageVerificationResult.ERR_NOT_SIGNED:
          return false;
        case MessageVerificationResult.OK:
          return true;
      }
    },
  });
}

function signmessagewithprivkey(): RPCHelpMan {
  return new RPCHelpMan({
    name: 'signmessagewithprivkey',
    description: 'Sign a message with the private key of an address\n',
    args: [
      { names: 'privkey', type: 'STR', fallback: Optional.NO, description: 'The private key to sign the message with.' },
      { names: 'message', type: 'STR', fallback: Optional.NO, description: 'The message to create a signature of.' },
    ],
    results: { type: 'STR', key: 'signature', description: 'The signature of the message encoded in base 64' },
    examples: `\nCreate the signature\n${helpExampleCli('signmessagewithprivkey', '"privkey" "my message"')}` +
      `\nVerify the signature\n${helpExampleCli('verifymessage', `"${EXAMPLE_P2PKH}" "signature" "my message"`)}` +
      `\nAs a JSON-RPC call\n${helpExampleRpc('signmessagewithprivkey', '"privkey", "my message"')}`,
    handler: (req, ctx) => {
      const key = decodeSecret(getStr(req.params[0]), addressParams(ctx.chainParams.chainType));
      const message = getStr(req.params[1]);
      if (key === null) throw new RPCError(RPCErrorCode.RPC_INVALID_ADDRESS_OR_KEY, 'Invalid private key');
      return messageSign(key, message);
    },
  });
}

export function registerSignMessageRPCCommands(table: RPCTable, ctx: NodeContext): void {
  registerCommands(table, ctx, 'util', [verifymessage(), signmessagewithprivkey()]);
}
