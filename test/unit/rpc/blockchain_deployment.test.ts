// getdeploymentinfo and /rest/deploymentinfo against Core's rpc_blockchain.py expectations.
import assert from 'node:assert/strict';
import { createChainParams } from '../../../src/kernel/chainparams.js';
import { startREST } from '../../../src/rest.js';
import { getdeploymentinfo } from '../../../src/rpc/blockchain_deployment.js';
import { HTTPServer } from '../../../src/rpc/httpserver.js';
import { writeJSON } from '../../../src/rpc/json.js';
import { buildAllowList } from '../../../src/rpc/netfilter.js';
import { FakeChainman, makeContext, rpcError } from './blockchain_fake.js';
import http from 'node:http';

function signallingChain(height: number): FakeChainman {
  const params = createChainParams('regtest', { testActivationHeight: ['bip34@2', 'dersig@3', 'cltv@4', 'csv@5', 'segwit@6'] });
  const cm = new FakeChainman(params);
  cm.blockVersion = 0x30000000;
  for (let i = 0; i < height; i++) cm.mine();
  return cm;
}

/** Core's check_signalling_deploymentinfo_result, with its key order. */
function expected(cm: FakeChainman, height: number, statusNext: string): string {
  return writeJSON({
    hash: cm.chain.at(height)!.hashHex,
    height,
    script_flags: ['CHECKLOCKTIMEVERIFY', 'CHECKSEQUENCEVERIFY', 'DERSIG', 'NULLDUMMY', 'P2SH', 'TAPROOT', 'WITNESS'],
    deployments: {
      bip34: { type: 'buried', active: true, height: 2 },
      bip66: { type: 'buried', active: true, height: 3 },
      bip65: { type: 'buried', active: true, height: 4 },
      csv: { type: 'buried', active: true, height: 5 },
      segwit: { type: 'buried', active: true, height: 6 },
      testdummy: {
        type: 'bip9', active: false, bip9: {
          bit: 28, start_time: 0, timeout: 0, min_activation_height: 0, status: 'started', since: 144, status_next: statusNext,
          statistics: { period: 144, elapsed: height - 143, count: height - 143, threshold: 108, possible: true },
          signalling: '#'.repeat(height - 143),
        },
      },
    },
  }).replace('"timeout":0', '"timeout":9223372036854775807');
}

describe('getdeploymentinfo', () => {
  it('buried and BIP9 deployments as Core reports them while signalling', async () => {
    const cm = signallingChain(287);
    const ctx = makeContext(cm);
    assert.equal(writeJSON(getdeploymentinfo(ctx, [])), expected(cm, 287, 'locked_in'));
    assert.equal(writeJSON(getdeploymentinfo(ctx, [cm.chain.at(207)!.hashHex])), expected(cm, 207, 'started'));
    assert.deepEqual(await rpcError(() => getdeploymentinfo(ctx, ['55'.repeat(32)])), { code: -5, message: 'Block not found' });
  });

  it('at the genesis block buried deployments with later heights are inactive; active ones carry a height', () => {
    const cm = signallingChain(0);
    const info = getdeploymentinfo(makeContext(cm), []) as any;
    assert.deepEqual(info.deployments.bip34, { type: 'buried', active: false, height: 2 });
    assert.deepEqual(info.deployments.testdummy.bip9, {
      start_time: 0, timeout: info.deployments.testdummy.bip9.timeout, min_activation_height: 0, status: 'defined', since: 0, status_next: 'defined',
    });
    assert.deepEqual(info.script_flags, ['P2SH', 'TAPROOT', 'WITNESS']);
    const active = signallingChain(432);
    const d = (getdeploymentinfo(makeContext(active), []) as any).deployments.testdummy;
    assert.equal(d.bip9.status, 'active');
    assert.equal(d.height, 432);
    assert.equal(d.active, true);
  });

  it('/rest/deploymentinfo at the tip and at a hash', async () => {
    const cm = signallingChain(207);
    const ctx = makeContext(cm);
    ctx.rpcTable.setWarmupFinished();
    const server = new HTTPServer({ endpoints: [{ host: '127.0.0.1', port: 0 }], allow: buildAllowList([]), log: { warning: () => undefined, debug: () => undefined } });
    startREST(server, ctx);
    const [{ port }] = await server.start();
    try {
      const get = (path: string): Promise<[number, string]> => new Promise((resolve, reject) => {
        http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => { body += c.toString(); });
          res.on('end', () => resolve([res.statusCode ?? 0, body]));
        }).on('error', reject);
      });
      assert.deepEqual(await get('/rest/deploymentinfo.json'), [200, `${expected(cm, 207, 'started')}\n`]);
      assert.deepEqual(await get(`/rest/deploymentinfo/${cm.chain.at(207)!.hashHex}.json`), [200, `${expected(cm, 207, 'started')}\n`]);
      assert.deepEqual(await get(`/rest/deploymentinfo/${'66'.repeat(32)}.json`), [400, 'Block not found\r\n']);
      assert.deepEqual(await get('/rest/deploymentinfo/xyz.json'), [400, 'Invalid hash: xyz\r\n']);
      assert.deepEqual(await get('/rest/deploymentinfo.bin'), [404, 'output format not found (available: json)\r\n']);
    } finally {
      await server.stop();
    }
  });
});
