// The blockchain RPCs over a fake chainstate: JSON shapes and key orders, argument checks, Core's errors.
import assert from 'node:assert/strict';
import { BlockStatus } from '../../../src/node/disk_block_index.js';
import { MutableTransaction, OutPoint } from '../../../src/primitives/transaction.js';
import {
  getbestblockhash, getblock, getblockcount, getblockhash, getblockheader, getdifficulty, gettxout,
  invalidateblock, preciousblock, reconsiderblock, syncwithvalidationinterfacequeue, verifychain,
} from '../../../src/rpc/blockchain.js';
import { getDifficulty } from '../../../src/rpc/blockchain_json.js';
import { writeJSON } from '../../../src/rpc/json.js';
import type { NodeContext } from '../../../src/node/context.js';
import { FakeChainman, P2A, makeBlock, makeContext, rpcError } from './blockchain_fake.js';

/** A chain of genesis + 3 blocks; block 2 spends block 1's coinbase output into two outputs. */
function chainWithSpend(): { cm: FakeChainman; ctx: NodeContext } {
  const cm = new FakeChainman();
  const b1 = cm.mine();
  const cb1 = cm.blocks.get(b1.hashHex)!.vtx[0]!;
  const spend = new MutableTransaction({ version: 2 }).addInput(new OutPoint(cb1.txid, 0), new Uint8Array([0x51]))
    .addOutput(1_000_000_000n, P2A).addOutput(3_999_990_000n, P2A).toTransaction();
  cm.mine([spend], [[{ out: cb1.vout[0]!, height: 1, coinbase: true }]]);
  cm.coins.delete(new OutPoint(cb1.txid, 0).key());
  cm.mine();
  return { cm, ctx: makeContext(cm) };
}

describe('blockchain RPCs', () => {
  it('getblockcount, getbestblockhash, getblockhash and its range error', async () => {
    const { cm, ctx } = chainWithSpend();
    assert.equal(getblockcount(ctx), 3);
    assert.equal(getbestblockhash(ctx), cm.chain.tip()!.hashHex);
    assert.equal(getblockhash(ctx, [0]), '0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206');
    assert.equal(getblockhash(ctx, [2]), cm.chain.at(2)!.hashHex);
    for (const h of [-1, 4]) {
      assert.deepEqual(await rpcError(() => getblockhash(ctx, [h])), { code: -8, message: 'Block height out of range' });
    }
    assert.deepEqual(await rpcError(() => getblockhash(ctx, [1.5])), { code: -1, message: 'JSON integer out of range' });
    assert.deepEqual(await rpcError(() => getblockhash(ctx, ['1'])), { code: -3, message: 'JSON value of type string is not of expected type number' });
    assert.deepEqual(await rpcError(() => getblockcount(makeContext())), { code: -32603, message: 'Node chainman not found' });
  });

  it('getblockheader: Core fields in order, hex form, and hash argument errors', async () => {
    const { cm, ctx } = chainWithSpend();
    const genesis = getblockheader(ctx, ['0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206']) as any;
    assert.deepEqual(Object.keys(genesis), ['hash', 'confirmations', 'height', 'version', 'versionHex', 'merkleroot', 'time',
      'mediantime', 'nonce', 'bits', 'target', 'difficulty', 'chainwork', 'nTx', 'nextblockhash']);
    assert.equal(genesis.confirmations, 4);
    assert.equal(genesis.versionHex, '00000001');
    assert.equal(genesis.bits, '207fffff');
    assert.equal(genesis.target, '7fffff0000000000000000000000000000000000000000000000000000000000');
    assert.equal(writeJSON(genesis.difficulty), '4.656542373906925e-10');
    assert.equal(genesis.chainwork, '0000000000000000000000000000000000000000000000000000000000000002');
    assert.equal(genesis.merkleroot, '4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b');
    assert.equal(genesis.nextblockhash, cm.chain.at(1)!.hashHex);
    const tip = getblockheader(ctx, [cm.chain.tip()!.hashHex.toUpperCase()]) as any;
    assert.equal(tip.confirmations, 1);
    assert.equal(tip.previousblockhash, cm.chain.at(2)!.hashHex);
    assert.equal(tip.nextblockhash, undefined);
    assert.equal(tip.versionHex, '20000000');
    assert.equal(getblockheader(ctx, [tip.hash, false]), cm.chain.tip()!.header().toHex());
    assert.deepEqual(await rpcError(() => getblockheader(ctx, ['00'.repeat(32)])), { code: -5, message: 'Block not found' });
    assert.deepEqual(await rpcError(() => getblockheader(ctx, ['abc'])), { code: -8, message: "hash must be of length 64 (not 3, for 'abc')" });
    assert.deepEqual(await rpcError(() => getblockheader(ctx, ['zz'.repeat(32)])), { code: -8, message: `hash must be hexadecimal string (not '${'zz'.repeat(32)}')` });
  });

  it('a block off the active chain has -1 confirmations and no next block', () => {
    const { cm, ctx } = chainWithSpend();
    const fork = cm.add(makeBlock(cm.chain.at(1)!, [], cm.chain.at(1)!.time + 1), cm.chain.at(1)!);
    const j = getblockheader(ctx, [fork.hashHex]) as any;
    assert.equal(j.confirmations, -1);
    assert.equal(j.nextblockhash, undefined);
  });

  it('getblock verbosity 0..3: hex, txids, full transactions with fee, prevouts', async () => {
    const { cm, ctx } = chainWithSpend();
    const b2 = cm.chain.at(2)!;
    const block = cm.blocks.get(b2.hashHex)!;
    assert.equal(getblock(ctx, [b2.hashHex, 0]), Buffer.from(block.toBytes()).toString('hex'));
    assert.equal(getblock(ctx, [b2.hashHex, false]), getblock(ctx, [b2.hashHex, 0]));
    const v1 = getblock(ctx, [b2.hashHex]) as any;
    assert.deepEqual(Object.keys(v1), ['hash', 'confirmations', 'height', 'version', 'versionHex', 'merkleroot', 'time', 'mediantime',
      'nonce', 'bits', 'target', 'difficulty', 'chainwork', 'nTx', 'previousblockhash', 'nextblockhash', 'strippedsize', 'size', 'weight',
      'coinbase_tx', 'tx']);
    assert.deepEqual(v1.tx, block.vtx.map((t) => t.txidHex()));
    assert.deepEqual(v1.coinbase_tx, { version: 2, locktime: 0, sequence: 4294967295, coinbase: '5200' });
    assert.equal(v1.size, block.toBytes().length);
    assert.equal(v1.weight, block.getWeight());
    assert.deepEqual(getblock(ctx, [b2.hashHex, true]), v1);
    const v2 = getblock(ctx, [b2.hashHex, 2]) as any;
    assert.equal(v2.tx[0].fee, undefined, 'the coinbase has no undo data');
    assert.equal(writeJSON(v2.tx[1].fee), '0.00010000');
    assert.equal(v2.tx[1].vin[0].prevout, undefined);
    assert.equal(v2.tx[1].hex, block.vtx[1]!.toHex());
    const v3 = getblock(ctx, [b2.hashHex, 3]) as any;
    assert.equal(writeJSON(v3.tx[1].vin[0].prevout), '{"generated":true,"height":1,"value":50.00000000,"scriptPubKey":{"asm":"1 29518",'
      + `"desc":${JSON.stringify(v3.tx[1].vin[0].prevout.scriptPubKey.desc)},"hex":"51024e73","address":"bcrt1pfeesnyr2tx","type":"anchor"}}`);
    // Without undo data there is no fee and no prevout.
    b2.status &= ~BlockStatus.BLOCK_HAVE_UNDO;
    assert.equal((getblock(ctx, [b2.hashHex, 3]) as any).tx[1].fee, undefined);
    assert.deepEqual(await rpcError(() => getblock(ctx, ['11'.repeat(32)])), { code: -5, message: 'Block not found' });
    assert.deepEqual(await rpcError(() => getblock(ctx, [b2.hashHex, 'x'])), { code: -3, message: 'JSON value of type string is not of expected type number' });
  });

  it('getblock on missing data: pruned, not downloaded, unreadable undo', async () => {
    const { cm, ctx } = chainWithSpend();
    const b1 = cm.chain.at(1)!;
    b1.status &= ~BlockStatus.BLOCK_HAVE_DATA;
    assert.deepEqual(await rpcError(() => getblock(ctx, [b1.hashHex])), { code: -1, message: 'Block not available (not fully downloaded)' });
    cm.pruneMode = true;
    assert.deepEqual(await rpcError(() => getblock(ctx, [b1.hashHex])), { code: -1, message: 'Block not available (pruned data)' });
    const b2 = cm.chain.at(2)!;
    cm.undos.delete(b2.hashHex);
    assert.deepEqual(await rpcError(() => getblock(ctx, [b2.hashHex, 2])), {
      code: -32603, message: "Undo data expected but can't be read. This could be due to disk corruption or a conflict with a pruning event.",
    });
    cm.blocks.delete(b2.hashHex);
    assert.deepEqual(await rpcError(() => getblock(ctx, [b2.hashHex])), { code: -1, message: 'Block not found on disk' });
  });

  it('getdifficulty is GetDifficulty of the tip', () => {
    const { ctx } = chainWithSpend();
    assert.equal(writeJSON(getdifficulty(ctx)), '4.656542373906925e-10');
    assert.equal(writeJSON(getDifficulty(0x1d00ffff)), '1');
    assert.equal(writeJSON(getDifficulty(0x1b0404cb)), '16307.42093852398');
  });

  it('gettxout: Core shape and confirmations, null for spent or unknown outputs, the same through the (empty) mempool', async () => {
    const { cm, ctx } = chainWithSpend();
    const spend = cm.blocks.get(cm.chain.at(2)!.hashHex)!.vtx[1]!;
    const j = gettxout(ctx, [spend.txidHex(), 1, false]) as any;
    assert.equal(writeJSON(j), `{"bestblock":"${cm.chain.tip()!.hashHex}","confirmations":2,"value":39.99990000,"scriptPubKey":{"asm":"1 29518",`
      + `"desc":${JSON.stringify(j.scriptPubKey.desc)},"hex":"51024e73","address":"bcrt1pfeesnyr2tx","type":"anchor"},"coinbase":false}`);
    const cb3 = cm.blocks.get(cm.chain.at(3)!.hashHex)!.vtx[0]!;
    assert.equal((gettxout(ctx, [cb3.txidHex(), 0, false]) as any).coinbase, true);
    assert.equal((gettxout(ctx, [cb3.txidHex(), 0, false]) as any).confirmations, 1);
    const cb1 = cm.blocks.get(cm.chain.at(1)!.hashHex)!.vtx[0]!;
    assert.equal(gettxout(ctx, [cb1.txidHex(), 0, false]), null);
    assert.equal(gettxout(ctx, [spend.txidHex(), 2, false]), null);
    assert.deepEqual(gettxout(ctx, [spend.txidHex(), 1]), j);
    assert.deepEqual(gettxout(ctx, [spend.txidHex(), 1, true]), j);
    assert.equal(gettxout(ctx, [cb1.txidHex(), 0]), null);
    assert.deepEqual(await rpcError(() => gettxout(ctx, [spend.txidHex(), 1, 'yes'])), { code: -3, message: 'JSON value of type string is not of expected type bool' });
    assert.deepEqual(await rpcError(() => gettxout(ctx, [spend.txidHex(), -1, false])), { code: -1, message: 'JSON integer out of range' });
    assert.deepEqual(await rpcError(() => gettxout(ctx, ['x', 0, false])), { code: -8, message: "txid must be of length 64 (not 1, for 'x')" });
  });

  it('invalidateblock, reconsiderblock, preciousblock, verifychain and the queue sync reach the chainstate', async () => {
    const { cm, ctx } = chainWithSpend();
    const b3 = cm.chain.at(3)!;
    assert.equal(await invalidateblock(ctx, [b3.hashHex]), null);
    assert.equal(cm.chain.height(), 2);
    assert.equal(await reconsiderblock(ctx, [b3.hashHex]), null);
    assert.equal(await preciousblock(ctx, [b3.hashHex]), null);
    assert.deepEqual(await rpcError(() => invalidateblock(ctx, [cm.chain.at(0)!.hashHex])), {
      code: -20, message: 'genesis-invalidate, the genesis block cannot be invalidated',
    });
    for (const f of [invalidateblock, reconsiderblock, preciousblock]) {
      assert.deepEqual(await rpcError(() => f(ctx, ['22'.repeat(32)])), { code: -5, message: 'Block not found' });
    }
    assert.equal(await verifychain(ctx, []), true);
    assert.equal(await verifychain(ctx, [4, 0]), false);
    assert.equal(await syncwithvalidationinterfacequeue(ctx), null);
    assert.deepEqual(cm.calls, ['invalidate 3', 'reconsider 3', 'precious 3', 'invalidate 0', 'verify 3 6', 'verify 4 0', 'sync']);
  });
});
