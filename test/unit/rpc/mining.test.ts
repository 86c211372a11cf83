// The mining RPCs over the RPC table with a fake chainstate (regtest): generate*, getblocktemplate (template,
// proposal, longpoll), submitblock, submitheader, getmininginfo, getnetworkhashps and the mempool-only RPCs.
import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { createChainParams } from '../../../src/kernel/chainparams.js';
import { addressParams } from '../../../src/kernel/chainparams_base.js';
import { decodeExtPubKey, encodeDestination, encodeExtPubKey } from '../../../src/key_io.js';
import type { NodeContext } from '../../../src/node/context.js';
import type { MiningMempool, PrioritisedTransaction } from '../../../src/node/miner_mempool.js';
import { EMPTY_MEMPOOL } from '../../../src/node/miner_mempool.js';
import type { MiningService } from '../../../src/node/miner_service.js';
import { solveBlock } from '../../../src/node/miner_solve.js';
import { withMerkleRoot } from '../../../src/node/miner_commitment.js';
import { Block, BlockHeader } from '../../../src/primitives/block.js';
import { OutPoint, Transaction, TxIn, TxOut } from '../../../src/primitives/transaction.js';
import { JSONNumber } from '../../../src/rpc/json.js';
import { registerMiningRPCCommands } from '../../../src/rpc/mining.js';
import { RPCErrorCode } from '../../../src/rpc/protocol.js';
import type { JSONObject } from '../../../src/rpc/request.js';
import { bytesToHex } from '../../../src/util/hex.js';
import { fakeChainman } from '../../../bench/lib/fake_chainman.js';
import { call, callError, makeContext } from './node_context.js';

const GENESIS_HASH = '0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206';
const GENESIS_TIME = 1296688602;
const PROGRAM = new Uint8Array(20).fill(9);
const REGTEST = addressParams('regtest');
const ADDRESS = encodeDestination({ type: 'witness_v0_keyhash', hash: PROGRAM }, REGTEST);
const G = '0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798';
const XPUB = 'xpub6ERApfZwUNrhLCkDtcHTcxd75RbzS1ed54G1LkBUHQVHQKqhMkhgbmJbZRkrgZw4koxb5JaHWkY4ALHY2grBGRjaDMzQLcgJvLJuZZvRcEL';
const TPUB = encodeExtPubKey(decodeExtPubKey(XPUB, addressParams('main'))!, REGTEST);

interface Node {
  ctx: NodeContext;
  chainman: ReturnType<typeof fakeChainman>;
  miner: MiningService;
}

function node(opts: { chain?: 'main' | 'regtest'; mempool?: MiningMempool; argv?: string[] } = {}): Node {
  const ctx = makeContext({ chain: opts.chain, argv: ['-rpcdoccheck=1', ...(opts.argv ?? [])] });
  ctx.clock.setMockTime(GENESIS_TIME + 600);
  const chainman = fakeChainman(ctx.clock, createChainParams(opts.chain ?? 'regtest'));
  ctx.chainman = chainman;
  const miner = registerMiningRPCCommands(ctx.rpcTable, ctx, { mempool: opts.mempool });
  ctx.rpcTable.setWarmupFinished();
  return { ctx, chainman, miner };
}

async function generate(n: Node, blocks: number): Promise<string[]> {
  return (await call(n.ctx, 'generatetoaddress', [blocks, ADDRESS])) as string[];
}

/** A syntactically valid transaction (the fake chainstate has no UTXO set). */
function someTx(seed: number, lockTime = 0, sequence?: number): Transaction {
  return new Transaction({
    vin: [new TxIn({ prevout: new OutPoint(new Uint8Array(32).fill(seed), 1), scriptSig: Uint8Array.of(0x51), sequence })],
    vout: [new TxOut(5000n, Uint8Array.of(0x51))],
    lockTime,
  });
}

/** A template from the service with its merkle root (a template leaves it null, as Core's), solved. */
async function solvedTemplate(n: Node): Promise<Block> {
  const { block } = await n.miner.createNewBlock({});
  return solveBlock(withMerkleRoot(block), 1_000_000n, n.chainman.params.consensus).block!;
}

describe('mining RPCs: generate*', () => {
  it('generatetoaddress mines to the address and returns the hashes', async () => {
    const n = node();
    const hashes = await generate(n, 3);
    assert.equal(hashes.length, 3);
    assert.equal(n.chainman.chain.height(), 3);
    assert.equal(n.chainman.chain.tip()!.hashHex, hashes[2]);
    const coinbase = n.chainman.blocks.get(hashes[0]!)!.vtx[0]!;
    assert.equal(bytesToHex(coinbase.vout[0]!.scriptPubKey), `0014${bytesToHex(PROGRAM)}`);
  });

  it('generatetoaddress: invalid address, maxtries exhausted, argument types', async () => {
    const n = node();
    const e = await callError(n.ctx, 'generatetoaddress', [1, 'bc1notregtest']);
    assert.deepEqual([e.code, e.message], [RPCErrorCode.RPC_INVALID_ADDRESS_OR_KEY, 'Error: Invalid address']);
    assert.deepEqual(await call(n.ctx, 'generatetoaddress', [2, ADDRESS, 0]), []);
    // A negative int wraps to a huge uint64, as in Core.
    assert.equal(((await call(n.ctx, 'generatetoaddress', [1, ADDRESS, -1])) as string[]).length, 1);
    assert.equal((await callError(n.ctx, 'generatetoaddress', ['x', ADDRESS])).code, RPCErrorCode.RPC_TYPE_ERROR);
    assert.deepEqual(await call(n.ctx, 'generatetoaddress', { nblocks: 1, address: ADDRESS }).then((r) => (r as string[]).length), 1);
  });

  it('yields to the event loop while mining (every few milliseconds)', async () => {
    const n = node();
    // Enough blocks to outlast the yield interval many times over, however fast the machine.
    const blocks = 300;
    const seen = new Set<number>();
    let running = true;
    const watch = (): void => {
      seen.add(n.chainman.chain.height());
      if (running) setImmediate(watch);
    };
    setImmediate(watch);
    await generate(n, blocks);
    running = false;
    assert.ok([...seen].some((h) => h > 0 && h < blocks), `heights seen while mining: ${[...seen].join(',')}`);
  });

  it('stops at shutdown', async () => {
    const n = node();
    n.ctx.shutdown.request();
    assert.deepEqual(await generate(n, 5), []);
  });

  it('generatetodescriptor: raw(), combo() takes P2WPKH, parse errors, ranged and multipath refused', async () => {
    const n = node();
    const [h1] = (await call(n.ctx, 'generatetodescriptor', [1, 'raw(51)'])) as string[];
    assert.equal(bytesToHex(n.chainman.blocks.get(h1!)!.vtx[0]!.vout[0]!.scriptPubKey), '51');
    const [h2] = (await call(n.ctx, 'generatetodescriptor', [1, `combo(${G})`])) as string[];
    assert.equal(bytesToHex(n.chainman.blocks.get(h2!)!.vtx[0]!.vout[0]!.scriptPubKey).slice(0, 4), '0014');
    const bad = await callError(n.ctx, 'generatetodescriptor', [1, 'nosuch(51)']);
    assert.deepEqual([bad.code, bad.message], [RPCErrorCode.RPC_INVALID_ADDRESS_OR_KEY, "'nosuch(51)' is not a valid descriptor function"]);
    const ranged = await callError(n.ctx, 'generatetodescriptor', [1, `wpkh(${TPUB}/0/*)`]);
    assert.deepEqual([ranged.code, ranged.message], [RPCErrorCode.RPC_INVALID_PARAMETER, 'Ranged descriptor not accepted. Maybe pass through deriveaddresses first?']);
    const multi = await callError(n.ctx, 'generatetodescriptor', [1, `wpkh(${TPUB}/<0;1>)`]);
    assert.deepEqual([multi.code, multi.message], [RPCErrorCode.RPC_INVALID_PARAMETER, 'Multipath descriptor not accepted']);
  });

  it('generate is gone, with the help text as the error', async () => {
    const n = node();
    const e = await callError(n.ctx, 'generate');
    assert.equal(e.code, RPCErrorCode.RPC_METHOD_NOT_FOUND);
    assert.equal(e.message, 'generate\n\nhas been replaced by the -generate cli option. Refer to -help for more information.\n');
  });

  it('generateblock: raw transactions in order, submit or return the hex', async () => {
    const n = node();
    const tx = someTx(1);
    const r = (await call(n.ctx, 'generateblock', [ADDRESS, [tx.toHex()]])) as JSONObject;
    assert.deepEqual(Object.keys(r), ['hash']);
    assert.equal(n.chainman.chain.tip()!.hashHex, r.hash);
    assert.deepEqual(n.chainman.blocks.get(r.hash as string)!.vtx[1]!.txidHex(), tx.txidHex());
    const kept = (await call(n.ctx, 'generateblock', [`raw(51)`, [], false])) as JSONObject;
    assert.equal(n.chainman.chain.height(), 1);
    const block = Block.fromHex(kept.hex as string);
    assert.equal(block.hashHex(), kept.hash);
    assert.equal(block.vtx.length, 1);
  });

  it('generateblock: Core\'s errors', async () => {
    const n = node();
    const txid = 'aa'.repeat(32);
    const missing = await callError(n.ctx, 'generateblock', [ADDRESS, [txid]]);
    assert.deepEqual([missing.code, missing.message], [RPCErrorCode.RPC_INVALID_ADDRESS_OR_KEY, `Transaction ${txid} not in mempool.`]);
    const undecodable = await callError(n.ctx, 'generateblock', [ADDRESS, ['00']]);
    assert.deepEqual([undecodable.code, undecodable.message],
      [RPCErrorCode.RPC_DESERIALIZATION_ERROR, 'Transaction decode failed for 00. Make sure the tx has at least one input.']);
    const output = await callError(n.ctx, 'generateblock', ['nothing', []]);
    assert.deepEqual([output.code, output.message], [RPCErrorCode.RPC_INVALID_ADDRESS_OR_KEY, 'Error: Invalid address or descriptor']);
    const nonfinal = await callError(n.ctx, 'generateblock', [ADDRESS, [someTx(2, 100, 0).toHex()]]);
    assert.deepEqual([nonfinal.code, nonfinal.message], [RPCErrorCode.RPC_VERIFY_ERROR, 'TestBlockValidity failed: bad-txns-nonfinal, non-final transaction']);
    assert.equal(n.chainman.chain.height(), 0);
  });

  it('generateblock takes mempool transactions by txid', async () => {
    const tx = someTx(3);
    const mempool: MiningMempool = { ...EMPTY_MEMPOOL, get: (txid) => (txid === tx.txidHex() ? tx : undefined) };
    const n = node({ mempool });
    const r = (await call(n.ctx, 'generateblock', [ADDRESS, [tx.txidHex()]])) as JSONObject;
    assert.equal(n.chainman.blocks.get(r.hash as string)!.vtx[1]!.txidHex(), tx.txidHex());
  });
});

describe('mining RPCs: getblocktemplate', () => {
  it('requires the segwit rule, with Core\'s text', async () => {
    const n = node();
    for (const params of [[{}], [{ rules: [] }], [{ rules: ['taproot'] }]]) {
      const e = await callError(n.ctx, 'getblocktemplate', params);
      assert.deepEqual([e.code, e.message], [RPCErrorCode.RPC_INVALID_PARAMETER,
        'getblocktemplate must be called with the segwit rule set (call with {"rules": ["segwit"]})']);
    }
    const mode = await callError(n.ctx, 'getblocktemplate', [{ mode: 'other', rules: ['segwit'] }]);
    assert.deepEqual([mode.code, mode.message], [RPCErrorCode.RPC_INVALID_PARAMETER, 'Invalid mode']);
    const modeType = await callError(n.ctx, 'getblocktemplate', [{ mode: 5, rules: ['segwit'] }]);
    assert.deepEqual([modeType.code, modeType.message], [RPCErrorCode.RPC_INVALID_PARAMETER, 'Invalid mode']);
  });

  it('returns Core\'s template shape on regtest', async () => {
    const n = node();
    const t = (await call(n.ctx, 'getblocktemplate', [{ rules: ['segwit'] }])) as JSONObject;
    assert.deepEqual(Object.keys(t), ['capabilities', 'version', 'rules', 'vbavailable', 'vbrequired', 'previousblockhash', 'transactions',
      'coinbaseaux', 'coinbasevalue', 'longpollid', 'target', 'mintime', 'mutable', 'noncerange', 'sigoplimit', 'sizelimit', 'weightlimit',
      'curtime', 'bits', 'height', 'default_witness_commitment']);
    assert.deepEqual(t.capabilities, ['proposal']);
    assert.equal(t.version, 0x20000000);
    assert.deepEqual(t.rules, ['csv', '!segwit', 'taproot']);
    assert.deepEqual(t.vbavailable, {});
    assert.equal(t.previousblockhash, GENESIS_HASH);
    assert.deepEqual(t.transactions, []);
    assert.equal(t.coinbasevalue, 5_000_000_000);
    assert.equal(t.longpollid, `${GENESIS_HASH}0`);
    assert.equal(t.target, `7fffff${'0'.repeat(58)}`);
    assert.equal(t.mintime, GENESIS_TIME + 1);
    assert.equal(t.curtime, GENESIS_TIME + 600);
    assert.deepEqual([t.sigoplimit, t.sizelimit, t.weightlimit, t.bits, t.height, t.noncerange], [80000, 4000000, 4000000, '207fffff', 1, '00000000ffffffff']);
    assert.deepEqual(t.mutable, ['time', 'transactions', 'prevblock']);
    assert.match(t.default_witness_commitment as string, /^6a24aa21a9ed[0-9a-f]{64}$/);
  });

  it('signals testdummy from the second regtest period (vbavailable, version)', async () => {
    const n = node();
    await generate(n, 143);
    const t = (await call(n.ctx, 'getblocktemplate', [{ rules: ['segwit'] }])) as JSONObject;
    assert.deepEqual(t.vbavailable, { testdummy: 28 });
    assert.equal(t.version, 0x30000000);
  });

  it('reuses the template until the tip changes; curtime follows the clock', async () => {
    const n = node();
    const a = (await call(n.ctx, 'getblocktemplate', [{ rules: ['segwit'] }])) as JSONObject;
    n.ctx.clock.setMockTime(GENESIS_TIME + 700);
    const b = (await call(n.ctx, 'getblocktemplate', [{ rules: ['segwit'] }])) as JSONObject;
    assert.equal(b.default_witness_commitment, a.default_witness_commitment);
    assert.equal(b.curtime, GENESIS_TIME + 700);
    await generate(n, 1);
    const c = (await call(n.ctx, 'getblocktemplate', [{ rules: ['segwit'] }])) as JSONObject;
    assert.equal(c.height, 2);
  });

  it('lists template transactions with fee, sigops, weight and depends', async () => {
    const parent = someTx(4);
    const child = new Transaction({ vin: [new TxIn({ prevout: new OutPoint(parent.txid, 0) })], vout: [new TxOut(100n, Uint8Array.of(0x51))] });
    const chunk = (tx: Transaction, fee: bigint, sigOpCost: number) => ({ tx, fee, modifiedFee: fee, sigOpCost, weight: tx.getWeight(), vsize: tx.getVirtualSize() });
    const mempool: MiningMempool = {
      ...EMPTY_MEMPOOL,
      startBlockBuilding() {
        const chunks = [chunk(parent, 700n, 4), chunk(child, 300n, 8)];
        return { next: () => { const c = chunks.shift(); return c && { txs: [c], fee: c.fee, weight: c.weight }; }, include() {}, skip() {}, stop() {} };
      },
    };
    const n = node({ mempool });
    const t = (await call(n.ctx, 'getblocktemplate', [{ rules: ['segwit'] }])) as JSONObject;
    const txs = t.transactions as JSONObject[];
    assert.deepEqual(txs[0], { data: parent.toHex(), txid: parent.txidHex(), hash: parent.wtxidHex(), depends: [], fee: 700, sigops: 4, weight: parent.getWeight() });
    assert.deepEqual(txs[1]!.depends, [1]);
    assert.deepEqual([txs[1]!.fee, txs[1]!.sigops], [300, 8]);
    assert.equal(t.coinbasevalue, 5_000_001_000);
  });

  it('proposal mode: BIP22 answers', async () => {
    const n = node();
    const missing = await callError(n.ctx, 'getblocktemplate', [{ mode: 'proposal', rules: ['segwit'] }]);
    assert.deepEqual([missing.code, missing.message], [RPCErrorCode.RPC_TYPE_ERROR, 'Missing data String key for proposal']);
    const undecodable = await callError(n.ctx, 'getblocktemplate', [{ mode: 'proposal', data: 'zz' }]);
    assert.deepEqual([undecodable.code, undecodable.message], [RPCErrorCode.RPC_DESERIALIZATION_ERROR, 'Block decode failed']);
    const good = (await solvedTemplate(n));
    assert.equal(await call(n.ctx, 'getblocktemplate', [{ mode: 'proposal', data: good.toHex() }]), null);
    const badRoot = new Block(new BlockHeader({ ...good.header, hashMerkleRoot: new Uint8Array(32), hashPrevBlock: good.header.hashPrevBlock }), good.vtx);
    assert.equal(await call(n.ctx, 'getblocktemplate', [{ mode: 'proposal', data: badRoot.toHex() }]), 'bad-txnmrklroot');
    await call(n.ctx, 'submitblock', [good.toHex()]);
    assert.equal(await call(n.ctx, 'getblocktemplate', [{ mode: 'proposal', data: good.toHex() }]), 'duplicate');
    // A known header without a connected block.
    const side = solveBlock(withMerkleRoot((await n.miner.createNewBlock({})).block), 1_000_000n, n.chainman.params.consensus).block!;
    n.chainman.processNewBlockHeaders([side.header]);
    assert.equal(await call(n.ctx, 'getblocktemplate', [{ mode: 'proposal', data: side.toHex() }]), 'duplicate-inconclusive');
    n.chainman.lookupBlockIndex(side.hashHex())!.status |= 32;
    assert.equal(await call(n.ctx, 'getblocktemplate', [{ mode: 'proposal', data: side.toHex() }]), 'duplicate-invalid');
  });

  it('longpoll returns when the tip changes, and "Shutting down" on shutdown', async () => {
    const n = node();
    const first = (await call(n.ctx, 'getblocktemplate', [{ rules: ['segwit'] }])) as JSONObject;
    let done = false;
    const waiting = call(n.ctx, 'getblocktemplate', [{ rules: ['segwit'], longpollid: first.longpollid }]).then((r) => {
      done = true;
      return r as JSONObject;
    });
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(done, false);
    await generate(n, 1);
    assert.equal((await waiting).height, 2);

    const second = call(n.ctx, 'getblocktemplate', [{ rules: ['segwit'], longpollid: `${n.chainman.chain.tip()!.hashHex}0` }]);
    n.ctx.shutdown.request();
    await assert.rejects(second, (e: { code: number; message: string }) => e.code === RPCErrorCode.RPC_CLIENT_NOT_CONNECTED && e.message === 'Shutting down');
  });

  it('a longpollid that is not the tip returns at once', async () => {
    const n = node();
    const t = (await call(n.ctx, 'getblocktemplate', [{ rules: ['segwit'], longpollid: `${'00'.repeat(32)}0` }])) as JSONObject;
    assert.equal(t.height, 1);
    const bad = await callError(n.ctx, 'getblocktemplate', [{ rules: ['segwit'], longpollid: 'xyz' }]);
    assert.equal(bad.code, RPCErrorCode.RPC_INVALID_PARAMETER);
  });

  it('mainnet without P2P answers with Core\'s EnsureConnman error', async () => {
    const n = node({ chain: 'main' });
    const e = await callError(n.ctx, 'getblocktemplate', [{ rules: ['segwit'] }]);
    assert.deepEqual([e.code, e.message], [RPCErrorCode.RPC_CLIENT_P2P_DISABLED, 'Error: Peer-to-peer functionality missing or disabled']);
  });
});

describe('mining RPCs: submitblock and submitheader', () => {
  it('submitblock: null when connected, then duplicate; decode errors; reject reasons', async () => {
    const n = node();
    const good = (await solvedTemplate(n));
    assert.equal(await call(n.ctx, 'submitblock', [good.toHex()]), null);
    assert.equal(n.chainman.chain.tip()!.hashHex, good.hashHex());
    assert.equal(await call(n.ctx, 'submitblock', [good.toHex(), 'ignored']), 'duplicate');
    const e = await callError(n.ctx, 'submitblock', ['00']);
    assert.deepEqual([e.code, e.message], [RPCErrorCode.RPC_DESERIALIZATION_ERROR, 'Block decode failed']);
    const next = (await solvedTemplate(n));
    const badRoot = new Block(new BlockHeader({ ...next.header, hashMerkleRoot: new Uint8Array(32), hashPrevBlock: next.header.hashPrevBlock }), next.vtx);
    const solvedBad = solveBlock(badRoot, 1_000_000n, n.chainman.params.consensus).block!;
    assert.equal(await call(n.ctx, 'submitblock', [solvedBad.toHex()]), 'bad-txnmrklroot');
  });

  it('submitblock: inconclusive for a block stored on a side chain', async () => {
    const n = node();
    const a = (await solvedTemplate(n));
    n.ctx.clock.setMockTime(GENESIS_TIME + 900);
    const b = (await solvedTemplate(n));
    assert.equal(await call(n.ctx, 'submitblock', [a.toHex()]), null);
    assert.equal(await call(n.ctx, 'submitblock', [b.toHex()]), 'inconclusive');
    assert.equal(n.chainman.chain.tip()!.hashHex, a.hashHex());
  });

  it('submitblock adds the witness reserved value a miner left out', async () => {
    const n = node();
    const good = (await solvedTemplate(n));
    const bare = new Block(good.header, [good.vtx[0]!.toMutable().setWitness(0, []).toTransaction()]);
    assert.equal(await call(n.ctx, 'submitblock', [bare.toHex()]), null);
    assert.equal(n.chainman.chain.height(), 1);
  });

  it('submitheader: decode error, unknown parent, accepted, invalid', async () => {
    const n = node();
    const e = await callError(n.ctx, 'submitheader', ['00']);
    assert.deepEqual([e.code, e.message], [RPCErrorCode.RPC_DESERIALIZATION_ERROR, 'Block header decode failed']);
    const orphan = new BlockHeader({ version: 4, hashPrevBlock: new Uint8Array(32).fill(1), bits: 0x207fffff, time: GENESIS_TIME + 1 });
    const o = await callError(n.ctx, 'submitheader', [orphan.toHex()]);
    assert.deepEqual([o.code, o.message], [RPCErrorCode.RPC_VERIFY_ERROR, `Must submit previous header (${'01'.repeat(32)}) first`]);
    const good = (await solvedTemplate(n));
    assert.equal(await call(n.ctx, 'submitheader', [good.header.toHex()]), null);
    assert.ok(n.chainman.lookupBlockIndex(good.hashHex()));
    assert.equal(n.chainman.chain.height(), 0);
    const badBits = new BlockHeader({ ...good.header, hashPrevBlock: good.header.hashPrevBlock, hashMerkleRoot: good.header.hashMerkleRoot, bits: 0x1d00ffff });
    const invalid = await callError(n.ctx, 'submitheader', [badBits.toHex()]);
    assert.deepEqual([invalid.code, invalid.message], [RPCErrorCode.RPC_VERIFY_ERROR, 'high-hash']);
  });
});

describe('mining RPCs: getmininginfo, getnetworkhashps, prioritisation', () => {
  it('getmininginfo: Core\'s fields; the last block figures appear once a block was assembled', async () => {
    const n = node();
    const before = (await call(n.ctx, 'getmininginfo')) as JSONObject;
    assert.deepEqual(Object.keys(before), ['blocks', 'bits', 'difficulty', 'target', 'networkhashps', 'pooledtx', 'blockmintxfee', 'chain', 'next', 'warnings']);
    assert.ok(before.blockmintxfee instanceof JSONNumber);
    assert.equal((before.blockmintxfee as JSONNumber).text, '0.00000001');
    assert.deepEqual([before.blocks, before.bits, before.pooledtx, before.chain, before.warnings], [0, '207fffff', 0, 'regtest', []]);
    assert.deepEqual(before.next, { height: 1, bits: '207fffff', difficulty: before.difficulty, target: before.target });
    await generate(n, 2);
    const after = (await call(n.ctx, 'getmininginfo')) as JSONObject;
    assert.deepEqual([after.blocks, after.currentblockweight, after.currentblocktx], [2, 8000, 0]);
  });

  it('getmininginfo shows -blockmintxfee', async () => {
    const n = node();
    const { registerMiningRPCCommands: register } = await import('../../../src/rpc/mining.js');
    const ctx = makeContext({ argv: [] });
    ctx.chainman = n.chainman;
    register(ctx.rpcTable, ctx, { miningArgs: { blockMinFeeRate: 2500n } });
    ctx.rpcTable.setWarmupFinished();
    assert.equal(((await call(ctx, 'getmininginfo')) as JSONObject & { blockmintxfee: JSONNumber }).blockmintxfee.text, '0.00002500');
    // Without explicit options the service reads the node's arguments.
    const fromArgs = node({ argv: ['-blockmintxfee=0.00003'] });
    assert.equal(((await call(fromArgs.ctx, 'getmininginfo')) as JSONObject & { blockmintxfee: JSONNumber }).blockmintxfee.text, '0.00003000');
  });

  it('getnetworkhashps: Core\'s argument errors, 0 at genesis, work over time', async () => {
    const n = node();
    assert.equal(await call(n.ctx, 'getnetworkhashps'), 0);
    const zero = await callError(n.ctx, 'getnetworkhashps', [0]);
    assert.deepEqual([zero.code, zero.message], [RPCErrorCode.RPC_INVALID_PARAMETER, 'Invalid nblocks. Must be a positive number or -1.']);
    const high = await callError(n.ctx, 'getnetworkhashps', [120, 5]);
    assert.deepEqual([high.code, high.message], [RPCErrorCode.RPC_INVALID_PARAMETER, 'Block does not exist at specified height']);
    for (let i = 0; i < 3; i++) {
      n.ctx.clock.setMockTime(GENESIS_TIME + 600 * (i + 2));
      await generate(n, 1);
    }
    const tip = n.chainman.chain.tip()!;
    const genesis = n.chainman.chain.at(0)!;
    const expected = Number(tip.chainWork - genesis.chainWork) / (tip.time - genesis.time);
    assert.equal(await call(n.ctx, 'getnetworkhashps'), expected);
    const one = n.chainman.chain.at(1)!;
    assert.equal(await call(n.ctx, 'getnetworkhashps', [2]), Number(tip.chainWork - one.chainWork) / (tip.time - one.time));
    assert.equal(await call(n.ctx, 'getnetworkhashps', [-1, 1]), Number(one.chainWork - genesis.chainWork) / (one.time - genesis.time));
  });

  it('getnetworkhashps -1 counts the blocks since the last retarget, this one included', async () => {
    const n = node();
    for (let i = 1; i <= 150; i++) {
      n.ctx.clock.setMockTime(GENESIS_TIME + 600 * i + (i % 7) * 100);
      await generate(n, 1);
    }
    const tip = n.chainman.chain.tip()!;
    const from = n.chainman.chain.at(150 - 7)!;
    let [minTime, maxTime] = [tip.time, tip.time];
    for (let b = tip; b !== from; b = b.prev!) [minTime, maxTime] = [Math.min(minTime, b.prev!.time), Math.max(maxTime, b.prev!.time)];
    assert.equal(await call(n.ctx, 'getnetworkhashps', [-1]), Number(tip.chainWork - from.chainWork) / (maxTime - minTime));
  });

  it('prioritisetransaction / getprioritisedtransactions need a mempool (Core\'s -33)', async () => {
    const n = node();
    const txid = 'ab'.repeat(32);
    const e = await callError(n.ctx, 'prioritisetransaction', [txid, null, 1000]);
    assert.deepEqual([e.code, e.message], [RPCErrorCode.RPC_CLIENT_MEMPOOL_DISABLED, 'Mempool disabled or instance not found']);
    const dummy = await callError(n.ctx, 'prioritisetransaction', [txid, 1, 1000]);
    assert.deepEqual([dummy.code, dummy.message], [RPCErrorCode.RPC_INVALID_PARAMETER, 'Priority is no longer supported, dummy argument to prioritisetransaction must be 0.']);
    const g = await callError(n.ctx, 'getprioritisedtransactions');
    assert.equal(g.code, RPCErrorCode.RPC_CLIENT_MEMPOOL_DISABLED);
  });

  it('prioritisetransaction / getprioritisedtransactions with a mempool', async () => {
    const deltas = new Map<string, bigint>();
    const mempool: MiningMempool = {
      ...EMPTY_MEMPOOL,
      prioritiseTransaction: (txid, delta) => void deltas.set(txid, (deltas.get(txid) ?? 0n) + delta),
      getPrioritisedTransactions: (): PrioritisedTransaction[] =>
        [...deltas].map(([txid, delta]) => ({ txid, delta, inMempool: txid.startsWith('cd'), modifiedFee: txid.startsWith('cd') ? 500n + delta : undefined })),
    };
    const n = node({ mempool });
    assert.equal(await call(n.ctx, 'prioritisetransaction', { txid: 'ab'.repeat(32), fee_delta: 1000 }), true);
    assert.equal(await call(n.ctx, 'prioritisetransaction', ['cd'.repeat(32), 0, -200]), true);
    assert.deepEqual(await call(n.ctx, 'getprioritisedtransactions'), {
      ['ab'.repeat(32)]: { fee_delta: 1000, in_mempool: false },
      ['cd'.repeat(32)]: { fee_delta: -200, in_mempool: true, modified_fee: 300 },
    });
  });

  it('help lists mining commands; the generate RPCs are hidden', async () => {
    const n = node();
    const { tableHelp } = await import('../../../src/rpc/server_rpcs.js');
    const all = tableHelp(n.ctx.rpcTable, '');
    assert.match(all, /== Mining ==\ngetblocktemplate \{"mode":"str","capabilities":\["str",...\],"rules":\["segwit","str",...\],"longpollid":"str","data":"hex"\}\ngetmininginfo\ngetnetworkhashps \( nblocks height \)\ngetprioritisedtransactions\nprioritisetransaction "txid" \( dummy \) fee_delta\nsubmitblock "hexdata" \( "dummy" \)\nsubmitheader "hexdata"/);
    assert.doesNotMatch(all, /generatetoaddress/);
    assert.match(tableHelp(n.ctx.rpcTable, 'generatetoaddress'), /If you are using the Smithcoin Core wallet/);
  });
});

