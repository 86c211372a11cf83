// /rest/getutxos (BIP64): outpoints from the URI (txid-n/...) or a posted bin/hex body, at most 15, answered
// with the tip, a hit bitmap and the unspent outputs.
import { scriptPubKeyToUniv, valueFromAmount } from './core_io.js';
import type { Coin } from './node/coin.js';
import type { NodeContext } from './node/context.js';
import { OutPoint } from './primitives/transaction.js';
import { isReply, restChainman } from './rest.js';
import { RESTResponseFormat, formatNotFound, isHash, okReply, parseDataFormat, restError, toIntegral } from './rest_util.js';
import { chainAddressParams } from './rpc/blockchain_context.js';
import type { HTTPReply, HTTPRequest } from './rpc/httpserver.js';
import { writeJSON } from './rpc/json.js';
import { HTTPStatus } from './rpc/protocol.js';
import { hexToHash, tryParseHex } from './util/hex.js';
import { ByteReader, ByteWriter, SerializationError } from './util/serialize.js';

export const MAX_GETUTXOS_OUTPOINTS = 15;

const parseError = (): HTTPReply => restError(HTTPStatus.BAD_REQUEST, 'Parse error');
const emptyRequest = (): HTTPReply => restError(HTTPStatus.BAD_REQUEST, 'Error: empty request');

interface Query {
  checkMempool: boolean;
  outpoints: OutPoint[];
}

/** Outpoints in the URI: [checkmempool/]txid-n/...; undefined when there are none. */
function parseURIOutpoints(param: string): Query | HTTPReply | undefined {
  const parts = param.length > 1 ? param.slice(1).split('/') : [];
  if (parts.length === 0) return undefined;
  const checkMempool = parts[0] === 'checkmempool';
  const outpoints: OutPoint[] = [];
  for (const part of parts.slice(checkMempool ? 1 : 0)) {
    const fields = part.split('-');
    if (fields.length !== 2) return parseError();
    const n = toIntegral(fields[1]!, 0, 0xffffffff);
    if (!isHash(fields[0]!) || n === undefined) return parseError();
    outpoints.push(new OutPoint(hexToHash(fields[0]!), n));
  }
  if (outpoints.length === 0) return emptyRequest();
  return { checkMempool, outpoints };
}

/** A posted request: a bool (checkmempool) and a vector of outpoints; trailing bytes are ignored. */
function parseBody(body: Uint8Array): Query | HTTPReply {
  try {
    const r = new ByteReader(body);
    const checkMempool = r.readU8() !== 0;
    return { checkMempool, outpoints: r.readVector(OutPoint.read) };
  } catch (e) {
    if (e instanceof SerializationError) return parseError();
    throw e;
  }
}

function readQuery(req: HTTPRequest, param: string, format: RESTResponseFormat): Query | HTTPReply {
  const fromURI = parseURIOutpoints(param);
  if (isReply(fromURI)) return fromURI;
  if (req.body.length === 0 && fromURI === undefined) return emptyRequest();
  if (format === RESTResponseFormat.JSON) return fromURI ?? emptyRequest();
  if (format !== RESTResponseFormat.BINARY && format !== RESTResponseFormat.HEX) return formatNotFound();
  // A hex body that does not parse reads as empty, as Core's ParseHex gives.
  const raw = format === RESTResponseFormat.HEX ? tryParseHex(req.body.toString('latin1')) ?? new Uint8Array(0) : req.body;
  if (raw.length === 0) return fromURI ?? { checkMempool: false, outpoints: [] };
  if (fromURI !== undefined) return restError(HTTPStatus.BAD_REQUEST, 'Combination of URI scheme inputs and raw post data is not allowed');
  return parseBody(raw);
}

export function restGetUTXOs(ctx: NodeContext, req: HTTPRequest, uriPart: string): HTTPReply {
  const { param, format } = parseDataFormat(uriPart);
  const query = readQuery(req, param, format);
  if (isReply(query)) return query;
  const { outpoints } = query;
  if (outpoints.length > MAX_GETUTXOS_OUTPOINTS) {
    return restError(HTTPStatus.BAD_REQUEST, `Error: max outpoints exceeded (max: ${MAX_GETUTXOS_OUTPOINTS}, tried: ${outpoints.length})`);
  }
  const chainman = restChainman(ctx);
  if (isReply(chainman)) return chainman;
  // checkmempool: the node's mempool holds no transactions yet, so the chainstate's answer is the pool's too.
  const view = chainman.coinsTip();
  const tip = chainman.chain.tip()!;
  const bitmap = new Uint8Array(Math.ceil(outpoints.length / 8));
  const coins: Coin[] = [];
  let bits = '';
  outpoints.forEach((o, i) => {
    const coin = view.getCoin(o);
    if (coin !== undefined) {
      coins.push(coin);
      bitmap[i >> 3]! |= 1 << (i & 7);
    }
    bits += coin !== undefined ? '1' : '0';
  });
  if (format === RESTResponseFormat.JSON) {
    const params = chainAddressParams(chainman);
    return okReply(format, {
      json: writeJSON({
        chainHeight: tip.height,
        chaintipHash: tip.hashHex,
        bitmap: bits,
        utxos: coins.map((c) => ({ height: c.height, value: valueFromAmount(c.out.value), scriptPubKey: scriptPubKeyToUniv(c.out.scriptPubKey, params) })),
      }),
    });
  }
  const w = new ByteWriter();
  w.writeI32LE(tip.height).writeBytes(tip.hash).writeVarBytes(bitmap);
  // CCoin: a zero "tx version" field, the height, then the output.
  w.writeVector(coins, (ww, c) => {
    ww.writeU32LE(0).writeU32LE(c.height);
    c.out.write(ww);
  });
  return okReply(format, { bytes: w.toBytes() });
}
