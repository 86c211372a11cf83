// The REST interface (-rest, Core's rest.cpp): blocks, headers, block hashes by height, chain info, UTXO
// queries, transactions and the mempool, in .bin, .hex and .json, registered on the RPC HTTP server.
import { TxVerbosity } from './core_io.js';
import type { BlockIndex } from './node/chain.js';
import type { ChainstateManagerApi } from './node/chainstate_api.js';
import type { NodeContext } from './node/context.js';
import { BlockHeader } from './primitives/block.js';
import { restBlock, restBlockPart, restSpentTxOuts } from './rest_block.js';
import { restGetUTXOs } from './rest_getutxos.js';
import {
  RESTResponseFormat, formatNotFound, getQueryParameter, isHash, okReply, parseDataFormat, restError, toIntegral,
} from './rest_util.js';
import { blockheaderToJSON } from './rpc/blockchain_json.js';
import { getdeploymentinfo } from './rpc/blockchain_deployment.js';
import { getblockchaininfo } from './rpc/blockchain_info.js';
import { BlockFilterType, blockFilterTypeName } from './blockfilter_type.js';
import type { HTTPReply, HTTPRequest, HTTPServer } from './rpc/httpserver.js';
import { writeJSON } from './rpc/json.js';
import { HTTPStatus } from './rpc/protocol.js';
import { ByteWriter } from './util/serialize.js';

export const MAX_REST_HEADERS_RESULTS = 2000;

export type RESTHandler = (ctx: NodeContext, req: HTTPRequest, uriPart: string) => HTTPReply;

/** Replies 503 while the RPC server warms up, as CheckWarmup does; undefined when ready. */
function checkWarmup(ctx: NodeContext): HTTPReply | undefined {
  const status = ctx.rpcTable.warmup();
  return status === undefined ? undefined : restError(HTTPStatus.SERVICE_UNAVAILABLE, `Service temporarily unavailable: ${status}`);
}

/** GetChainman: after warm-up the chainstate exists, so its absence is an internal bug. */
export function restChainman(ctx: NodeContext): ChainstateManagerApi | HTTPReply {
  return ctx.chainman ?? restError(HTTPStatus.INTERNAL_SERVER_ERROR, 'Internal bug detected: Chainman disabled or instance not found!');
}

export function isReply(v: unknown): v is HTTPReply {
  return typeof v === 'object' && v !== null && 'status' in v;
}

/** Up to `count` entries of the active chain from `hash` on (none when it is not on the active chain). */
function activeRange(chainman: ChainstateManagerApi, hash: string, count: number): BlockIndex[] {
  const out: BlockIndex[] = [];
  let index = chainman.lookupBlockIndex(hash);
  while (index !== undefined && chainman.chain.contains(index) && out.length < count) {
    out.push(index);
    index = chainman.chain.next(index);
  }
  return out;
}

/**
 * The `<count>/<hash>` (deprecated) or `<hash>?count=<count>` (default 5) forms of the header endpoints, with
 * the count checked against 1..MAX_REST_HEADERS_RESULTS.
 */
function countAndHash(req: HTTPRequest, parts: string[], invalidUri: string): { count: number; hash: string } | HTTPReply {
  let rawCount: string;
  let hash: string;
  if (parts.length === 2) {
    [rawCount, hash] = parts as [string, string];
  } else if (parts.length === 1) {
    hash = parts[0]!;
    rawCount = getQueryParameter(req.uri, 'count') ?? '5';
  } else {
    return restError(HTTPStatus.BAD_REQUEST, invalidUri);
  }
  const count = toIntegral(rawCount, 0, Number.MAX_SAFE_INTEGER);
  if (count === undefined || count < 1 || count > MAX_REST_HEADERS_RESULTS) {
    return restError(HTTPStatus.BAD_REQUEST, `Header count is invalid or out of acceptable range (1-${MAX_REST_HEADERS_RESULTS}): ${rawCount}`);
  }
  return { count, hash };
}

function restHeaders(ctx: NodeContext, req: HTTPRequest, uriPart: string): HTTPReply {
  const { param, format } = parseDataFormat(uriPart);
  const path = param.split('/');
  const parsed = countAndHash(req, path, 'Invalid URI format. Expected /rest/headers/<hash>.<ext>?count=<count>');
  if (isReply(parsed)) return parsed;
  const { count, hash } = parsed;
  if (!isHash(hash)) return restError(HTTPStatus.BAD_REQUEST, `Invalid hash: ${hash}`);
  const chainman = restChainman(ctx);
  if (isReply(chainman)) return chainman;
  const tip = chainman.chain.tip()!;
  const headers = activeRange(chainman, hash.toLowerCase(), count);
  if (format === RESTResponseFormat.JSON) {
    return okReply(format, { json: writeJSON(headers.map((h) => blockheaderToJSON(tip, h, chainman.params.consensus.powLimit))) });
  }
  if (format === RESTResponseFormat.UNDEF) return formatNotFound();
  const w = new ByteWriter(headers.length * BlockHeader.SIZE);
  for (const h of headers) h.header().write(w);
  return okReply(format, { bytes: w.toBytes() });
}

function restBlockhashByHeight(ctx: NodeContext, _req: HTTPRequest, uriPart: string): HTTPReply {
  const { param, format } = parseDataFormat(uriPart);
  const height = toIntegral(param, -0x80000000, 0x7fffffff);
  if (height === undefined || height < 0) return restError(HTTPStatus.BAD_REQUEST, `Invalid height: ${sanitizeURI(param)}`);
  const chainman = restChainman(ctx);
  if (isReply(chainman)) return chainman;
  if (height > chainman.chain.height()) return restError(HTTPStatus.NOT_FOUND, 'Block height out of range');
  const index = chainman.chain.at(height)!;
  switch (format) {
    case RESTResponseFormat.BINARY:
      return okReply(format, { bytes: index.hash });
    case RESTResponseFormat.HEX:
      return { status: HTTPStatus.OK, headers: { 'Content-Type': 'text/plain' }, body: `${index.hashHex}\n` };
    case RESTResponseFormat.JSON:
      return okReply(format, { json: writeJSON({ blockhash: index.hashHex }) });
    default:
      return formatNotFound();
  }
}

/** SanitizeString with SAFE_CHARS_URI: only the characters a URI may carry are echoed back. */
function sanitizeURI(s: string): string {
  return s.replace(/[^a-zA-Z0-9!*'();:@&=+$,/?#[\]\-_.~%]/g, '');
}

function restChaininfo(ctx: NodeContext, _req: HTTPRequest, uriPart: string): HTTPReply {
  const { format } = parseDataFormat(uriPart);
  if (format !== RESTResponseFormat.JSON) return formatNotFound('json');
  return okReply(format, { json: writeJSON(getblockchaininfo(ctx)) });
}

/** /rest/deploymentinfo[/<hash>].json: getdeploymentinfo at the tip or at a known block. */
function restDeploymentInfo(ctx: NodeContext, _req: HTTPRequest, uriPart: string): HTTPReply {
  const { param: hash, format } = parseDataFormat(uriPart);
  if (format !== RESTResponseFormat.JSON) return formatNotFound('json');
  const params: string[] = [];
  if (hash !== '') {
    if (!isHash(hash)) return restError(HTTPStatus.BAD_REQUEST, `Invalid hash: ${hash}`);
    const chainman = restChainman(ctx);
    if (isReply(chainman)) return chainman;
    if (chainman.lookupBlockIndex(hash.toLowerCase()) === undefined) return restError(HTTPStatus.BAD_REQUEST, 'Block not found');
    params.push(hash);
  }
  return okReply(format, { json: writeJSON(getdeploymentinfo(ctx, params)) });
}

/** /rest/mempool/<info|contents>: this node has no mempool yet, which Core reports as not found. */
function restMempool(_ctx: NodeContext, _req: HTTPRequest, uriPart: string): HTTPReply {
  const { param } = parseDataFormat(uriPart);
  if (param !== 'contents' && param !== 'info') {
    return restError(HTTPStatus.BAD_REQUEST, 'Invalid URI format. Expected /rest/mempool/<info|contents>.json');
  }
  return restError(HTTPStatus.NOT_FOUND, 'Mempool disabled or instance not found');
}

/** /rest/tx/: without -txindex or a mempool no transaction can be found (GetTransaction returns none). */
function restTx(_ctx: NodeContext, _req: HTTPRequest, uriPart: string): HTTPReply {
  const { param } = parseDataFormat(uriPart);
  if (!isHash(param)) return restError(HTTPStatus.BAD_REQUEST, `Invalid hash: ${param}`);
  return restError(HTTPStatus.NOT_FOUND, `${param} not found`);
}

/** /rest/blockfilter/ and /rest/blockfilterheaders/: Core's checks up to the missing filter index. */
function restFilter(what: 'blockfilter' | 'blockfilterheaders'): RESTHandler {
  return (_ctx, req, uriPart) => {
    const { param } = parseDataFormat(uriPart);
    const parts = param.split('/');
    let hash: string;
    if (what === 'blockfilter') {
      if (parts.length !== 2) return restError(HTTPStatus.BAD_REQUEST, 'Invalid URI format. Expected /rest/blockfilter/<filtertype>/<blockhash>');
      hash = parts[1]!;
    } else {
      const parsed = countAndHash(req, parts.slice(1),
        'Invalid URI format. Expected /rest/blockfilterheaders/<filtertype>/<blockhash>.<ext>?count=<count>');
      if (isReply(parsed)) return parsed;
      hash = parsed.hash;
    }
    if (!isHash(hash)) return restError(HTTPStatus.BAD_REQUEST, `Invalid hash: ${hash}`);
    if (parts[0] !== blockFilterTypeName(BlockFilterType.BASIC)) return restError(HTTPStatus.BAD_REQUEST, `Unknown filtertype ${parts[0]}`);
    return restError(HTTPStatus.BAD_REQUEST, `Index is not enabled for filtertype ${parts[0]}`);
  };
}

/** Core's prefixes in its order: the first prefix that matches a URI handles it. */
export const REST_ENDPOINTS: ReadonlyArray<[string, RESTHandler]> = [
  ['/rest/tx/', restTx],
  ['/rest/block/notxdetails/', (ctx, req, part) => restBlock(ctx, part, TxVerbosity.SHOW_TXID)],
  ['/rest/block/', (ctx, req, part) => restBlock(ctx, part, TxVerbosity.SHOW_DETAILS_AND_PREVOUT)],
  ['/rest/blockpart/', restBlockPart],
  ['/rest/blockfilter/', restFilter('blockfilter')],
  ['/rest/blockfilterheaders/', restFilter('blockfilterheaders')],
  ['/rest/chaininfo', restChaininfo],
  ['/rest/mempool/', restMempool],
  ['/rest/headers/', restHeaders],
  ['/rest/getutxos', restGetUTXOs],
  ['/rest/deploymentinfo/', restDeploymentInfo],
  ['/rest/deploymentinfo', restDeploymentInfo],
  ['/rest/blockhashbyheight/', restBlockhashByHeight],
  ['/rest/spenttxouts/', restSpentTxOuts],
];

/** StartREST: every endpoint as a prefix handler; each answers 503 during warm-up. */
export function startREST(server: HTTPServer, ctx: NodeContext): void {
  for (const [prefix, handler] of REST_ENDPOINTS) {
    server.registerHandler(prefix, false, async (req, uriPart) => checkWarmup(ctx) ?? handler(ctx, req, uriPart));
  }
}
