// The request handlers: each turns the command line into a request and the server's reply into the
// reply the client prints (Core's BaseRequestHandler and its plain, -generate and -addrinfo kinds).
import type { ArgsManager } from '../common/args.js';
import { rpcConvertNamedValues, rpcConvertValues } from './convert.js';
import { DEFAULT_NAMED, DEFAULT_RPC_REQ_ID } from './options.js';
import { RPCErrorCode } from '../rpc/protocol.js';
import { replyObj, requestObj } from './request.js';
import { getInt, getObj, JsonObject, member, num, obj, pushKV, type Json } from './univalue.js';

export interface RequestHandler {
  prepareRequest(method: string, args: string[]): Json;
  processReply(reply: Json): Json;
}

/** A plain command: positional or -named params, the -rpcid id, the reply as it came. */
export class DefaultRequestHandler implements RequestHandler {
  constructor(private readonly cliArgs: ArgsManager) {}

  prepareRequest(method: string, args: string[]): Json {
    const params = this.cliArgs.getBoolArg('-named', DEFAULT_NAMED) ? rpcConvertNamedValues(method, args) : rpcConvertValues(method, args);
    return requestObj(method, params, this.cliArgs.getArg('-rpcid', DEFAULT_RPC_REQ_ID));
  }

  processReply(reply: Json): Json {
    return getObj(reply);
  }
}

/** -generate's second step: generatetoaddress, answered with the address and the block hashes. */
export class GenerateToAddressRequestHandler implements RequestHandler {
  private address = '';

  prepareRequest(_method: string, args: string[]): Json {
    this.address = args[1]!;
    return requestObj('generatetoaddress', rpcConvertValues('generatetoaddress', args), num(1));
  }

  processReply(reply: Json): Json {
    return replyObj(obj([['address', this.address], ['blocks', member(getObj(reply), 'result')]]));
  }
}

/** -addrinfo: getaddrmaninfo's totals per network. */
export class AddrinfoRequestHandler implements RequestHandler {
  prepareRequest(_method: string, args: string[]): Json {
    if (args.length > 0) throw new Error('-addrinfo takes no arguments');
    return requestObj('getaddrmaninfo', null, num(1));
  }

  processReply(reply: Json): Json {
    const error = member(reply, 'error');
    if (error !== null) {
      if (getInt(member(error, 'code')) === RPCErrorCode.RPC_METHOD_NOT_FOUND) {
        throw new Error('-addrinfo requires smithcoind v26.0 or later which supports getaddrmaninfo RPC. Please upgrade your node or use smithcoin-cli from the same version.');
      }
      return reply;
    }
    const result = member(reply, 'result');
    const addresses = new JsonObject();
    if (result instanceof JsonObject) {
      result.keys.forEach((network, i) => {
        pushKV(addresses, network === 'all_networks' ? 'total' : network, num(getInt(member(result.values[i], 'total'))));
      });
    }
    return replyObj(obj([['addresses_known', addresses]]));
  }
}
