// Generated Mining/BlockTemplate proxies over a TCP socket pair: optional results (hasResult), schema defaults of
// omitted params, multi-output results, struct and list results, and a capability result (a BlockTemplate).
import assert from 'node:assert/strict';
import net from 'node:net';
import { ProxyConnection } from '@smithcoin/libmultiprocess';
import type {
  BlockCheckOptions, BlockCreateOptions, BlockRef, BlockTemplate, BlockWaitOptions, CheckResult, CoinbaseTx, Mining,
} from '../../../src/interfaces/mining.js';
import type { Echo } from '../../../src/interfaces/echo.js';
import type { Init } from '../../../src/interfaces/init.js';
import type { Rpc } from '../../../src/interfaces/rpc.js';
import { InitClient, InitServer } from '../../../src/ipc/capnp/init.capnp.js';
import { Mining as MiningSpec, MiningClient, type Mining_waitTipChanged$Results } from '../../../src/ipc/capnp/mining.capnp.js';
import { OLD_MINING_INTERFACE_ERROR } from '../../../src/ipc/capnp/init-types.js';

const HASH = new Uint8Array(32).fill(7);
const COINBASE: CoinbaseTx = {
  version: 2, sequence: 0xffffffff, scriptSigPrefix: new Uint8Array([3, 1, 2, 3]), witness: new Uint8Array(0),
  blockRewardRemaining: 312_500_000n, requiredOutputs: [new Uint8Array([0x6a, 0x24]), new Uint8Array(0)], lockTime: 0,
};

class LocalTemplate implements BlockTemplate {
  destroyed = 0;
  waits: BlockWaitOptions[] = [];
  async destroy(): Promise<void> { this.destroyed++; }
  async getBlockHeader(): Promise<Uint8Array> { return new Uint8Array(80).fill(1); }
  async getBlock(): Promise<Uint8Array> { return new Uint8Array([0xde, 0xad]); }
  async getTxFees(): Promise<bigint[]> { return [1n, 2n ** 62n]; }
  async getTxSigops(): Promise<bigint[]> { return []; }
  async getCoinbaseTx(): Promise<CoinbaseTx> { return COINBASE; }
  async getCoinbaseMerklePath(): Promise<Uint8Array[]> { return [HASH]; }
  async submitSolution(version: number, timestamp: number, nonce: number, coinbase: Uint8Array): Promise<boolean> {
    return version === 0x20000000 && timestamp === 1_700_000_000 && nonce === 0xffffffff && coinbase.length === 3;
  }
  async waitNext(options: BlockWaitOptions): Promise<BlockTemplate | null> { this.waits.push(options); return null; }
  async interruptWait(): Promise<void> {}
}

class LocalMining implements Mining {
  tip: BlockRef | undefined = undefined;
  readonly seen: unknown[] = [];
  readonly templates: LocalTemplate[] = [];
  async isTestChain(): Promise<boolean> { return true; }
  async isInitialBlockDownload(): Promise<boolean> { return false; }
  async getTip(): Promise<BlockRef | undefined> { return this.tip; }
  /** Undefined (interrupted, in the node) for an empty currentTip. */
  async waitTipChanged(currentTip: Uint8Array, timeout?: number): Promise<BlockRef | undefined> {
    this.seen.push(['waitTipChanged', currentTip.length, timeout]);
    return currentTip.length === 0 ? undefined : { hash: currentTip, height: 5 };
  }
  async createNewBlock(options: BlockCreateOptions, cooldown?: boolean): Promise<BlockTemplate | null> {
    this.seen.push(['createNewBlock', options, cooldown]);
    const t = new LocalTemplate();
    this.templates.push(t);
    return t;
  }
  async checkBlock(block: Uint8Array, options: BlockCheckOptions): Promise<CheckResult> {
    this.seen.push(['checkBlock', options]);
    return { reason: block.length === 0 ? 'bad-blk-length' : '', debug: 'checked', result: block.length > 0 };
  }
  async interrupt(): Promise<void> {}
  async submitBlock(block: Uint8Array): Promise<CheckResult> { return { reason: 'duplicate', debug: '', result: block.length > 0 }; }
  async getTransactionsByTxID(txids: readonly Uint8Array[]): Promise<Uint8Array[]> { return txids.map((t) => t.slice(0, 1)); }
  async getTransactionsByWitnessID(wtxids: readonly Uint8Array[]): Promise<Uint8Array[]> { return wtxids.map(() => new Uint8Array(0)); }
}

/** A generated client that also shows waitTipChanged's results as they came off the wire. */
class WireMiningClient extends MiningClient {
  waitTipChangedResults(currentTip: Uint8Array): Promise<Mining_waitTipChanged$Results> {
    return this.$call(MiningSpec.methods[3], { currentTip });
  }
}

class LocalInit implements Init {
  constructor(private readonly mining: Mining) {}
  async makeEcho(): Promise<Echo | null> { return null; }
  async makeMiningOld2(): Promise<void> { throw new Error(OLD_MINING_INTERFACE_ERROR); }
  async makeMining(): Promise<Mining | null> { return this.mining; }
  async makeRpc(): Promise<Rpc | null> { return null; }
}

/** A connected TCP socket pair on 127.0.0.1. */
async function tcpPair(): Promise<[net.Socket, net.Socket]> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  const accepted = new Promise<net.Socket>((r) => server.once('connection', r));
  const client = net.createConnection({ port, host: '127.0.0.1' });
  await new Promise<void>((r) => client.once('connect', r));
  const serverSide = await accepted;
  server.close();
  return [client, serverSide];
}

/** Connections of the running test, closed after it whatever its outcome (so a failure cannot hang mocha). */
const open: ProxyConnection[] = [];

describe('generated Mining/BlockTemplate proxies over TCP', () => {
  afterEach(async () => {
    const conns = open.splice(0);
    for (const c of conns) c.close();
    await Promise.all(conns.map((c) => c.closed));
  });

  /** A generated Mining client on `impl`, served over TCP. */
  async function serveMining(impl: LocalMining) {
    const [a, b] = await tcpPair();
    const server = ProxyConnection.serve(b, (conn) => new InitServer(conn, new LocalInit(impl)));
    const client = ProxyConnection.connect(a);
    open.push(client, server);
    const init = client.bootstrap((cap, conn) => new InitClient(cap, conn));
    await init.construct();
    const mining = await init.makeMining();
    assert.ok(mining !== null);
    return { server, client, init, mining };
  }

  it('maps optionals, defaults, multi-output, struct, list and capability results', async () => {
    const impl = new LocalMining();
    const { server, client, init, mining } = await serveMining(impl);

    assert.equal(await mining.isTestChain(), true);
    assert.equal(await mining.isInitialBlockDownload(), false);
    assert.equal(await mining.getTip(), undefined); // hasResult = false
    impl.tip = { hash: HASH, height: 840000 };
    assert.deepEqual(await mining.getTip(), { hash: HASH, height: 840000 });

    // Omitted params take the schema defaults on the server side.
    assert.deepEqual(await mining.waitTipChanged(HASH), { hash: HASH, height: 5 });
    await mining.waitTipChanged(HASH, 250);
    const tmpl = await mining.createNewBlock({ blockReservedWeight: 4000n });
    await mining.createNewBlock({}, false);
    assert.deepEqual(impl.seen.slice(0, 4), [
      ['waitTipChanged', 32, 1.7976931348623157e308],
      ['waitTipChanged', 32, 250],
      ['createNewBlock', { useMempool: true, blockReservedWeight: 4000n, coinbaseOutputMaxAdditionalSigops: 400n }, true],
      ['createNewBlock', { useMempool: true, blockReservedWeight: 8000n, coinbaseOutputMaxAdditionalSigops: 400n }, false],
    ]);

    assert.deepEqual(await mining.checkBlock(new Uint8Array(0), { checkPow: false }),
      { reason: 'bad-blk-length', debug: 'checked', result: false });
    assert.deepEqual(impl.seen[4], ['checkBlock', { checkMerkleRoot: true, checkPow: false }]);
    assert.deepEqual(await mining.submitBlock(new Uint8Array([1])), { reason: 'duplicate', debug: '', result: true });
    assert.deepEqual(await mining.getTransactionsByTxID([new Uint8Array([9, 8]), new Uint8Array([7])]),
      [new Uint8Array([9]), new Uint8Array([7])]);
    assert.deepEqual(await mining.getTransactionsByWitnessID([]), []);

    // The template is a capability result: a BlockTemplateClient on a server-side LocalTemplate.
    assert.ok(tmpl !== null);
    assert.deepEqual(await tmpl.getBlockHeader(), new Uint8Array(80).fill(1));
    assert.deepEqual(await tmpl.getTxFees(), [1n, 2n ** 62n]);
    assert.deepEqual(await tmpl.getTxSigops(), []);
    assert.deepEqual(await tmpl.getCoinbaseTx(), COINBASE);
    assert.deepEqual(await tmpl.getCoinbaseMerklePath(), [HASH]);
    assert.equal(await tmpl.submitSolution(0x20000000, 1_700_000_000, 0xffffffff, new Uint8Array(3)), true);
    assert.equal(await tmpl.waitNext({ timeout: 10 }), null);
    assert.deepEqual(impl.templates[0]!.waits, [{ timeout: 10, feeThreshold: 2100000000000000n }]);
    await tmpl.destroy();
    assert.equal(impl.templates[0]!.destroyed, 1);

    mining.release();
    init.release();
    client.close();
    await server.closed;
  });

  it('leaves a struct result unset when the implementation returns undefined (Core\'s std::nullopt)', async () => {
    const { init, mining } = await serveMining(new LocalMining());
    const wire = new WireMiningClient(mining.$cap.dup(), mining.$conn);
    assert.deepEqual(await wire.waitTipChangedResults(HASH), { result: { hash: HASH, height: 5 } });
    // No pointer at all, as libmultiprocess writes an empty optional (a C++ client sees hasResult() false)...
    assert.deepEqual(await wire.waitTipChangedResults(new Uint8Array(0)), {});
    // ...which the generated client reads as the default struct, as pycapnp does.
    assert.deepEqual(await mining.waitTipChanged(new Uint8Array(0)), { hash: new Uint8Array(0), height: 0 });
    wire.release();
    mining.release();
    init.release();
  });
});
