// REST block endpoints: /rest/block/ (full transactions with prevouts), /rest/block/notxdetails/ (txids),
// /rest/blockpart/ (a byte range of the raw block) and /rest/spenttxouts/ (the block's spent outputs).
import { scriptPubKeyToUniv, valueFromAmount, type TxVerbosity } from './core_io.js';
import type { NodeContext } from './node/context.js';
import type { BlockUndo } from './node/undo.js';
import { Block } from './primitives/block.js';
import { isReply, restChainman } from './rest.js';
import { RESTResponseFormat, formatNotFound, getQueryParameter, isHash, okReply, parseDataFormat, restError, toIntegral } from './rest_util.js';
import { blockToJSON, isBlockPruned } from './rpc/blockchain_json.js';
import { chainAddressParams } from './rpc/blockchain_context.js';
import type { HTTPReply, HTTPRequest } from './rpc/httpserver.js';
import { writeJSON } from './rpc/json.js';
import { HTTPStatus } from './rpc/protocol.js';
import type { JSONValue } from './rpc/request.js';
import { ByteWriter } from './util/serialize.js';

interface BlockPart {
  offset: number;
  size: number;
}

/** rest_block: `verbosity` undefined for /rest/blockpart/, which has no JSON form. */
export function restBlock(ctx: NodeContext, uriPart: string, verbosity: TxVerbosity | undefined, part?: BlockPart): HTTPReply {
  const { param: hash, format } = parseDataFormat(uriPart);
  if (!isHash(hash)) return restError(HTTPStatus.BAD_REQUEST, `Invalid hash: ${hash}`);
  const chainman = restChainman(ctx);
  if (isReply(chainman)) return chainman;
  const tip = chainman.chain.tip()!;
  const index = chainman.lookupBlockIndex(hash.toLowerCase());
  if (index === undefined) return restError(HTTPStatus.NOT_FOUND, `${hash} not found`);
  if (!index.haveData()) {
    const why = isBlockPruned(chainman, index) ? 'pruned data' : 'not fully downloaded';
    return restError(HTTPStatus.NOT_FOUND, `${hash} not available (${why})`);
  }
  let data: Uint8Array;
  try {
    data = chainman.readRawBlock(index);
  } catch (e) {
    if (!(e instanceof Error)) throw e;
    return restError(HTTPStatus.INTERNAL_SERVER_ERROR, `I/O error reading ${hash}`);
  }
  if (part !== undefined) {
    if (part.size === 0 || part.offset + part.size > data.length) {
      return restError(HTTPStatus.BAD_REQUEST, `Bad block part offset/size ${part.offset}/${part.size} for ${hash}`);
    }
    data = data.subarray(part.offset, part.offset + part.size);
  }
  if (format === RESTResponseFormat.BINARY || format === RESTResponseFormat.HEX) return okReply(format, { bytes: data });
  if (format !== RESTResponseFormat.JSON) return formatNotFound();
  if (verbosity === undefined) return restError(HTTPStatus.BAD_REQUEST, 'JSON output is not supported for this request type');
  const json = blockToJSON({ chainman, addressParams: chainAddressParams(chainman) }, Block.fromBytes(data), tip, index, verbosity);
  return okReply(format, { json: writeJSON(json) });
}

/** /rest/blockpart/<hash>.<bin|hex>?offset=<n>&size=<n>. */
export function restBlockPart(ctx: NodeContext, req: HTTPRequest, uriPart: string): HTTPReply {
  const offset = toIntegral(getQueryParameter(req.uri, 'offset') ?? '', 0, Number.MAX_SAFE_INTEGER);
  if (offset === undefined) return restError(HTTPStatus.BAD_REQUEST, 'Block part offset missing or invalid');
  const size = toIntegral(getQueryParameter(req.uri, 'size') ?? '', 0, Number.MAX_SAFE_INTEGER);
  if (size === undefined) return restError(HTTPStatus.BAD_REQUEST, 'Block part size missing or invalid');
  return restBlock(ctx, uriPart, undefined, { offset, size });
}

/** The spent outputs per transaction, the coinbase's (empty) list first. */
function spentToBytes(undo: BlockUndo): Uint8Array {
  const w = new ByteWriter();
  w.writeCompactSize(undo.vtxundo.length + 1).writeCompactSize(0);
  for (const tx of undo.vtxundo) w.writeVector(tx, (ww, coin) => coin.out.write(ww));
  return w.toBytes();
}

export function restSpentTxOuts(ctx: NodeContext, _req: HTTPRequest, uriPart: string): HTTPReply {
  const { param, format } = parseDataFormat(uriPart);
  const path = param.split('/');
  if (path.length !== 1) return restError(HTTPStatus.BAD_REQUEST, 'Invalid URI format. Expected /rest/spenttxouts/<hash>.<ext>');
  const hash = path[0]!;
  if (!isHash(hash)) return restError(HTTPStatus.BAD_REQUEST, `Invalid hash: ${hash}`);
  const chainman = restChainman(ctx);
  if (isReply(chainman)) return chainman;
  const index = chainman.lookupBlockIndex(hash.toLowerCase());
  if (index === undefined) return restError(HTTPStatus.NOT_FOUND, `${hash} not found`);
  let undo: BlockUndo = { vtxundo: [] };
  if (index.height > 0) {
    try {
      undo = chainman.readBlockUndo(index);
    } catch (e) {
      if (!(e instanceof Error)) throw e;
      return restError(HTTPStatus.NOT_FOUND, `${hash} undo not available`);
    }
  }
  if (format === RESTResponseFormat.BINARY || format === RESTResponseFormat.HEX) return okReply(format, { bytes: spentToBytes(undo) });
  if (format !== RESTResponseFormat.JSON) return formatNotFound();
  const params = chainAddressParams(chainman);
  const json: JSONValue[] = [[], ...undo.vtxundo.map((tx) => tx.map((coin) => ({
    value: valueFromAmount(coin.out.value), scriptPubKey: scriptPubKeyToUniv(coin.out.scriptPubKey, params),
  })))];
  return okReply(format, { json: writeJSON(json) });
}
