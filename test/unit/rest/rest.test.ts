// REST over a real HTTP server and the fake chainstate: formats, Core's statuses and texts, getutxos limits.
import assert from 'node:assert/strict';
import http from 'node:http';
import { OutPoint } from '../../../src/primitives/transaction.js';
import { MAX_REST_HEADERS_RESULTS, startREST } from '../../../src/rest.js';
import { getQueryParameter, parseDataFormat, RESTResponseFormat, toIntegral, urlDecode } from '../../../src/rest_util.js';
import { HTTPServer } from '../../../src/rpc/httpserver.js';
import { buildAllowList } from '../../../src/rpc/netfilter.js';
import { BlockStatus } from '../../../src/node/disk_block_index.js';
import { ByteWriter } from '../../../src/util/serialize.js';
import { FakeChainman, makeContext } from '../rpc/blockchain_fake.js';

interface Reply {
  status: number;
  type: string | undefined;
  body: Buffer;
  text: string;
}

function get(port: number, path: string, body: Buffer | string = '', method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const b = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body: b, text: b.toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('REST', () => {
  let server: HTTPServer;
  let port: number;
  let cm: FakeChainman;
  let ctx: ReturnType<typeof makeContext>;

  before(async () => {
    cm = new FakeChainman();
    for (let i = 0; i < 5; i++) cm.mine();
    ctx = makeContext(cm);
    const log = { warning: () => undefined, debug: () => undefined };
    server = new HTTPServer({ endpoints: [{ host: '127.0.0.1', port: 0 }], allow: buildAllowList([]), log });
    startREST(server, ctx);
    [{ port }] = await server.start();
  });
  after(() => server.stop());

  const err = (status: number, text: string): Partial<Reply> => ({ status, type: 'text/plain', text: `${text}\r\n` });
  const pick = (r: Reply): Partial<Reply> => ({ status: r.status, type: r.type, text: r.text });

  it('answers 503 during warm-up', async () => {
    assert.deepEqual(pick(await get(port, '/rest/chaininfo.json')), err(503, 'Service temporarily unavailable: RPC server started'));
    ctx.rpcTable.setWarmupFinished();
  });

  it('/rest/block: bin, hex, json with prevouts, notxdetails; Core errors', async () => {
    const b2 = cm.chain.at(2)!;
    const raw = Buffer.from(cm.blocks.get(b2.hashHex)!.toBytes());
    const bin = await get(port, `/rest/block/${b2.hashHex}.bin`);
    assert.equal(bin.status, 200);
    assert.equal(bin.type, 'application/octet-stream');
    assert.deepEqual(bin.body, raw);
    const hex = await get(port, `/rest/block/${b2.hashHex}.hex`);
    assert.deepEqual([hex.type, hex.text], ['text/plain', `${raw.toString('hex')}\n`]);
    const json = await get(port, `/rest/block/${b2.hashHex}.json`);
    assert.equal(json.type, 'application/json');
    assert.ok(json.text.endsWith('\n'));
    assert.match(json.text, /"value":50\.00000000,/);
    assert.equal(JSON.parse(json.text).tx[0].txid, cm.blocks.get(b2.hashHex)!.vtx[0]!.txidHex());
    const ids = JSON.parse((await get(port, `/rest/block/notxdetails/${b2.hashHex}.json`)).text);
    assert.deepEqual(ids.tx, [cm.blocks.get(b2.hashHex)!.vtx[0]!.txidHex()]);
    assert.deepEqual(pick(await get(port, `/rest/block/${b2.hashHex}`)), err(404, 'output format not found (available: .bin, .hex, .json)'));
    assert.deepEqual(pick(await get(port, `/rest/block/${b2.hashHex}.xml`)), err(400, `Invalid hash: ${b2.hashHex}.xml`));
    assert.deepEqual(pick(await get(port, '/rest/block/abcd.bin')), err(400, 'Invalid hash: abcd'));
    assert.deepEqual(pick(await get(port, `/rest/block/${'00'.repeat(32)}.bin`)), err(404, `${'00'.repeat(32)} not found`));
    b2.status &= ~BlockStatus.BLOCK_HAVE_DATA;
    assert.deepEqual(pick(await get(port, `/rest/block/${b2.hashHex}.bin`)), err(404, `${b2.hashHex} not available (not fully downloaded)`));
    cm.pruneMode = true;
    assert.deepEqual(pick(await get(port, `/rest/block/${b2.hashHex}.bin`)), err(404, `${b2.hashHex} not available (pruned data)`));
    cm.pruneMode = false;
    b2.status |= BlockStatus.BLOCK_HAVE_DATA;
  });

  it('/rest/blockpart and /rest/spenttxouts', async () => {
    const b1 = cm.chain.at(1)!;
    const raw = Buffer.from(cm.blocks.get(b1.hashHex)!.toBytes());
    assert.deepEqual((await get(port, `/rest/blockpart/${b1.hashHex}.bin?offset=4&size=32`)).body, raw.subarray(4, 36));
    assert.deepEqual(pick(await get(port, `/rest/blockpart/${b1.hashHex}.bin?offset=4&size=0`)), err(400, `Bad block part offset/size 4/0 for ${b1.hashHex}`));
    assert.deepEqual(pick(await get(port, `/rest/blockpart/${b1.hashHex}.bin?offset=0&size=${raw.length + 1}`)), err(400, `Bad block part offset/size 0/${raw.length + 1} for ${b1.hashHex}`));
    assert.deepEqual(pick(await get(port, `/rest/blockpart/${b1.hashHex}.json?offset=0&size=1`)), err(400, 'JSON output is not supported for this request type'));
    assert.deepEqual(pick(await get(port, `/rest/blockpart/${b1.hashHex}.bin?size=1`)), err(400, 'Block part offset missing or invalid'));
    assert.deepEqual(pick(await get(port, `/rest/blockpart/${b1.hashHex}.bin?offset=1`)), err(400, 'Block part size missing or invalid'));
    assert.equal((await get(port, `/rest/spenttxouts/${b1.hashHex}.json`)).text, '[[]]\n');
    assert.equal((await get(port, `/rest/spenttxouts/${b1.hashHex}.hex`)).text, '0100\n');
    assert.deepEqual(pick(await get(port, `/rest/spenttxouts/a/${b1.hashHex}.json`)), err(400, 'Invalid URI format. Expected /rest/spenttxouts/<hash>.<ext>'));
  });

  it('/rest/headers: both URI forms, count limits, stops at the tip', async () => {
    const b1 = cm.chain.at(1)!;
    const hdrs = (from: number, n: number): string => Array.from({ length: n }, (_, i) => cm.chain.at(from + i)!.header().toHex()).join('');
    assert.equal((await get(port, `/rest/headers/${b1.hashHex}.hex?count=2`)).text, `${hdrs(1, 2)}\n`);
    assert.equal((await get(port, `/rest/headers/3/${b1.hashHex}.hex`)).text, `${hdrs(1, 3)}\n`);
    assert.equal((await get(port, `/rest/headers/${b1.hashHex}.hex`)).text, `${hdrs(1, 5)}\n`);
    assert.equal((await get(port, `/rest/headers/${b1.hashHex}.bin?count=100`)).body.length, 5 * 80);
    const json = JSON.parse((await get(port, `/rest/headers/${b1.hashHex}.json?count=2`)).text);
    assert.deepEqual(json.map((h: { height: number }) => h.height), [1, 2]);
    assert.equal((await get(port, `/rest/headers/${'00'.repeat(32)}.json`)).text, '[]\n');
    for (const bad of ['0', '2001', 'x', '-1', '+1']) {
      assert.deepEqual(pick(await get(port, `/rest/headers/${b1.hashHex}.json?count=${bad}`)),
        err(400, `Header count is invalid or out of acceptable range (1-${MAX_REST_HEADERS_RESULTS}): ${bad}`));
    }
    assert.deepEqual(pick(await get(port, '/rest/headers/1/2/3.json')), err(400, 'Invalid URI format. Expected /rest/headers/<hash>.<ext>?count=<count>'));
    assert.deepEqual(pick(await get(port, '/rest/headers/1/xyz.json')), err(400, 'Invalid hash: xyz'));
  });

  it('/rest/blockhashbyheight and /rest/chaininfo', async () => {
    const b3 = cm.chain.at(3)!;
    assert.equal((await get(port, '/rest/blockhashbyheight/3.hex')).text, `${b3.hashHex}\n`);
    assert.deepEqual((await get(port, '/rest/blockhashbyheight/3.bin')).body, Buffer.from(b3.hash));
    assert.equal((await get(port, '/rest/blockhashbyheight/3.json')).text, `{"blockhash":"${b3.hashHex}"}\n`);
    assert.deepEqual(pick(await get(port, '/rest/blockhashbyheight/6.json')), err(404, 'Block height out of range'));
    assert.deepEqual(pick(await get(port, '/rest/blockhashbyheight/-1.json')), err(400, 'Invalid height: -1'));
    assert.deepEqual(pick(await get(port, '/rest/blockhashbyheight/a<b>.json')), err(400, 'Invalid height: ab'));
    assert.deepEqual(pick(await get(port, '/rest/blockhashbyheight/3')), err(404, 'output format not found (available: .bin, .hex, .json)'));
    const info = JSON.parse((await get(port, '/rest/chaininfo.json')).text);
    assert.equal(info.blocks, 5);
    assert.equal(info.bestblockhash, cm.chain.tip()!.hashHex);
    assert.deepEqual(pick(await get(port, '/rest/chaininfo.bin')), err(404, 'output format not found (available: json)'));
  });

  it('/rest/tx, /rest/mempool and the filter endpoints without their subsystems', async () => {
    const txid = cm.blocks.get(cm.chain.at(1)!.hashHex)!.vtx[0]!.txidHex();
    assert.deepEqual(pick(await get(port, `/rest/tx/${txid}.json`)), err(404, `${txid} not found`));
    assert.deepEqual(pick(await get(port, '/rest/tx/1234.json')), err(400, 'Invalid hash: 1234'));
    assert.deepEqual(pick(await get(port, '/rest/mempool/info.json')), err(404, 'Mempool disabled or instance not found'));
    assert.deepEqual(pick(await get(port, '/rest/mempool/other.json')), err(400, 'Invalid URI format. Expected /rest/mempool/<info|contents>.json'));
    const h = cm.chain.at(1)!.hashHex;
    assert.deepEqual(pick(await get(port, `/rest/blockfilter/basic/${h}.json`)), err(400, 'Index is not enabled for filtertype basic'));
    assert.deepEqual(pick(await get(port, `/rest/blockfilter/extended/${h}.json`)), err(400, 'Unknown filtertype extended'));
    assert.deepEqual(pick(await get(port, `/rest/blockfilterheaders/basic/${h}.json?count=0`)), err(400, 'Header count is invalid or out of acceptable range (1-2000): 0'));
    assert.deepEqual(pick(await get(port, `/rest/blockfilterheaders/basic/${h}.json`)), err(400, 'Index is not enabled for filtertype basic'));
  });

  it('/rest/getutxos: URI and posted queries, bitmap, limits and errors', async () => {
    const b1 = cm.blocks.get(cm.chain.at(1)!.hashHex)!.vtx[0]!;
    const b2 = cm.blocks.get(cm.chain.at(2)!.hashHex)!.vtx[0]!;
    const j = JSON.parse((await get(port, `/rest/getutxos/${b1.txidHex()}-0/${b1.txidHex()}-1/${b2.txidHex()}-0.json`)).text);
    assert.equal(j.chainHeight, 5);
    assert.equal(j.chaintipHash, cm.chain.tip()!.hashHex);
    assert.equal(j.bitmap, '101');
    assert.deepEqual(j.utxos.map((u: { height: number }) => u.height), [1, 2]);
    assert.match((await get(port, `/rest/getutxos/${b1.txidHex()}-0.json`)).text, /"value":50\.00000000,/);
    // The binary answer: height, tip hash, bitmap, then CCoins (zero, height, output).
    const w = new ByteWriter();
    w.writeU8(0).writeVector([new OutPoint(b1.txid, 0), new OutPoint(b1.txid, 7)], (ww, o) => o.write(ww));
    const posted = await get(port, '/rest/getutxos.bin', Buffer.from(w.toBytes()), 'POST');
    const expect = new ByteWriter();
    expect.writeI32LE(5).writeBytes(cm.chain.tip()!.hash).writeVarBytes(Uint8Array.of(1)).writeCompactSize(1).writeU32LE(0).writeU32LE(1);
    b1.vout[0]!.write(expect);
    assert.deepEqual(posted.body, Buffer.from(expect.toBytes()));
    const hexPosted = await get(port, '/rest/getutxos.hex', Buffer.from(w.toBytes()).toString('hex'), 'POST');
    assert.equal(hexPosted.text, `${Buffer.from(expect.toBytes()).toString('hex')}\n`);
    assert.deepEqual(pick(await get(port, '/rest/getutxos.json')), err(400, 'Error: empty request'));
    assert.deepEqual(pick(await get(port, '/rest/getutxos/checkmempool.json')), err(400, 'Error: empty request'));
    assert.deepEqual(pick(await get(port, `/rest/getutxos/${b1.txidHex()}.json`)), err(400, 'Parse error'));
    assert.deepEqual(pick(await get(port, `/rest/getutxos/${b1.txidHex()}-x.json`)), err(400, 'Parse error'));
    assert.deepEqual(pick(await get(port, `/rest/getutxos/${b1.txidHex()}-0.bin`, Buffer.from(w.toBytes()), 'POST')),
      err(400, 'Combination of URI scheme inputs and raw post data is not allowed'));
    assert.deepEqual(pick(await get(port, '/rest/getutxos.bin', Buffer.from([0, 5, 1]), 'POST')), err(400, 'Parse error'));
    const many = Array.from({ length: 16 }, (_, i) => `${b1.txidHex()}-${i}`).join('/');
    assert.deepEqual(pick(await get(port, `/rest/getutxos/${many}.json`)), err(400, 'Error: max outpoints exceeded (max: 15, tried: 16)'));
    assert.equal(JSON.parse((await get(port, `/rest/getutxos/${Array.from({ length: 15 }, () => `${b1.txidHex()}-0`).join('/')}.json`)).text).bitmap, '1'.repeat(15));
    // checkmempool over a pool with no transactions: the chainstate's answer.
    const [plain, pooled] = await Promise.all([`/rest/getutxos/${b1.txidHex()}-0.json`, `/rest/getutxos/checkmempool/${b1.txidHex()}-0.json`].map((u) => get(port, u)));
    assert.equal(pooled.status, 200);
    assert.equal(pooled.text, plain.text);
    assert.deepEqual(pick(await get(port, `/rest/getutxos/${b1.txidHex()}-0`)), err(404, 'output format not found (available: .bin, .hex, .json)'));
  });

  it('parses formats, query parameters and integers as Core', () => {
    assert.deepEqual(parseDataFormat('abc.json?x=1.bin'), { param: 'abc', format: RESTResponseFormat.JSON });
    assert.deepEqual(parseDataFormat('abc.'), { param: 'abc', format: RESTResponseFormat.UNDEF });
    assert.deepEqual(parseDataFormat('abc.txt'), { param: 'abc.txt', format: RESTResponseFormat.UNDEF });
    assert.equal(getQueryParameter('/x?a=1&count=%32&count=3#count=9', 'count'), '2');
    assert.equal(getQueryParameter('/x?count', 'count'), '');
    assert.equal(getQueryParameter('/x?a=1', 'count'), undefined);
    assert.equal(urlDecode('%zz%41+'), '%zzA+');
    assert.equal(toIntegral('007', 0, 10), 7);
    assert.equal(toIntegral('-0', 0, 10), undefined);
    assert.equal(toIntegral(' 7', 0, 10), undefined);
  });
});
