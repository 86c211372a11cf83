// getblockchaininfo, getchaintips, getchaintxstats, pruneblockchain, the wait RPCs, getblockfrompeer,
// scanblocks, merkle proofs and the command registration, over the fake chainstate.
import assert from 'node:assert/strict';
import { concatBytes } from '../../../src/crypto/bytes.js';
import { hash256 } from '../../../src/crypto/sha256.js';
import { MerkleBlock, PartialMerkleTree, bitsToBytes, bytesToBits } from '../../../src/merkleblock.js';
import { BlockStatus } from '../../../src/node/disk_block_index.js';
import { MutableTransaction, OutPoint } from '../../../src/primitives/transaction.js';
import { getblockfrompeer, scanblocks } from '../../../src/rpc/blockchain_absent.js';
import { getblockchaininfo, getchaintips, getchaintxstats, guessVerificationProgress, pruneblockchain } from '../../../src/rpc/blockchain_info.js';
import { registerBlockchainRPCCommands } from '../../../src/rpc/blockchain_commands.js';
import { gettxoutproof, verifytxoutproof } from '../../../src/rpc/blockchain_txoutproof.js';
import { waitforblock, waitforblockheight, waitfornewblock } from '../../../src/rpc/blockchain_wait.js';
import { writeJSON } from '../../../src/rpc/json.js';
import { JSONRPCRequest } from '../../../src/rpc/request.js';
import { registerAllRPCCommands } from '../../../src/rpc/register.js';
import { rpcTableInfo } from '../../../src/rpc/util.js';
import { bytesToHex, hashToHex } from '../../../src/util/hex.js';
import { FakeChainman, P2A, makeBlock, makeContext, rpcError } from './blockchain_fake.js';

function chain(n: number): { cm: FakeChainman; ctx: ReturnType<typeof makeContext> } {
  const cm = new FakeChainman();
  for (let i = 0; i < n; i++) cm.mine();
  return { cm, ctx: makeContext(cm) };
}

describe('blockchain RPCs: chain info', () => {
  it('getblockchaininfo: Core master field order; prune fields only when pruning; warnings list', () => {
    const { cm, ctx } = chain(2);
    ctx.clock.setMockTime(cm.chain.tip()!.time + 100);
    const info = getblockchaininfo(ctx) as any;
    assert.deepEqual(Object.keys(info), ['chain', 'blocks', 'headers', 'bestblockhash', 'bits', 'target', 'difficulty', 'time', 'mediantime',
      'verificationprogress', 'initialblockdownload', 'chainwork', 'size_on_disk', 'pruned', 'warnings']);
    assert.equal(info.chain, 'regtest');
    assert.equal(info.blocks, 2);
    assert.equal(info.headers, 2);
    assert.equal(info.bestblockhash, cm.chain.tip()!.hashHex);
    assert.equal(info.chainwork, '0000000000000000000000000000000000000000000000000000000000000006');
    assert.equal(info.verificationprogress, 1);
    assert.equal(info.size_on_disk, 12345);
    assert.deepEqual(info.warnings, []);
    cm.pruneMode = true;
    cm.chain.at(1)!.status &= ~BlockStatus.BLOCK_HAVE_DATA;
    const pruned = getblockchaininfo(Object.assign(ctx, { warnings: { messages: () => ['w1'] } })) as any;
    assert.deepEqual(Object.keys(pruned).slice(13), ['pruned', 'pruneheight', 'automatic_pruning', 'warnings']);
    assert.equal(pruned.pruneheight, 2);
    assert.equal(pruned.automatic_pruning, false);
    assert.deepEqual(pruned.warnings, ['w1']);
    cm.target = 550 * 1024 * 1024;
    const auto = getblockchaininfo(ctx) as any;
    assert.equal(auto.prune_target_size, 576716800);
    assert.equal(auto.automatic_pruning, true);
    cm.chain.at(1)!.status |= BlockStatus.BLOCK_HAVE_DATA;
    assert.equal((getblockchaininfo(ctx) as any).pruneheight, 0);
    const signet = new FakeChainman('signet');
    assert.equal((getblockchaininfo(makeContext(signet)) as any).signet_challenge, bytesToHex(signet.params.consensus.signetChallenge));
  });

  it('verification progress extrapolates ChainTxData and counts blocks near the best header', () => {
    const { cm } = chain(3);
    const tip = cm.chain.tip()!;
    const data = cm.params.chainTxData;
    assert.equal(guessVerificationProgress(cm.params, undefined, tip, 0), 0);
    // Far from now: the block's own time; tx count above the checkpoint data.
    const now = tip.time + 10 * 3600;
    const expected = Math.min(tip.chainTx / (tip.chainTx + (now - tip.time) * data.txRate), 1);
    assert.equal(guessVerificationProgress(cm.params, tip, tip, now), expected);
    const mid = cm.chain.at(1)!;
    const near = mid.time + 60;
    const blockTime = near - (tip.height - mid.height) * cm.params.consensus.powTargetSpacing;
    assert.equal(guessVerificationProgress(cm.params, mid, tip, near), Math.min(mid.chainTx / (mid.chainTx + (near - blockTime) * data.txRate), 1));
  });

  it('getchaintips: active tip, forks with branch lengths and Core statuses, highest first', () => {
    const { cm, ctx } = chain(3);
    const b1 = cm.chain.at(1)!;
    const fork2 = cm.add(makeBlock(b1, [], b1.time + 7), b1);
    const fork3 = cm.add(makeBlock(fork2, [], fork2.time + 7), fork2);
    fork3.status = BlockStatus.BLOCK_VALID_TREE;
    fork3.chainTx = 0;
    const other = cm.add(makeBlock(cm.chain.at(0)!, [], cm.chain.at(0)!.time + 3), cm.chain.at(0)!);
    other.status |= BlockStatus.BLOCK_FAILED_VALID;
    const tips = getchaintips(ctx) as any[];
    assert.deepEqual(tips, [
      { height: 3, hash: cm.chain.tip()!.hashHex, branchlen: 0, status: 'active' },
      { height: 3, hash: fork3.hashHex, branchlen: 2, status: 'headers-only' },
      { height: 1, hash: other.hashHex, branchlen: 1, status: 'invalid' },
    ].sort((a, b) => b.height - a.height || (a.hash < b.hash ? -1 : 1)));
    fork3.chainTx = 5;
    assert.equal((getchaintips(ctx) as any[]).find((t) => t.hash === fork3.hashHex).status, 'valid-headers');
    fork3.status = BlockStatus.BLOCK_VALID_SCRIPTS;
    assert.equal((getchaintips(ctx) as any[]).find((t) => t.hash === fork3.hashHex).status, 'valid-fork');
  });

  it('getchaintxstats: window fields, txrate, and Core errors', async () => {
    const { cm, ctx } = chain(5);
    const all = getchaintxstats(ctx, []) as any;
    assert.deepEqual(Object.keys(all), ['time', 'txcount', 'window_final_block_hash', 'window_final_block_height', 'window_block_count',
      'window_interval', 'window_tx_count', 'txrate']);
    assert.equal(all.txcount, 6);
    assert.equal(all.window_block_count, 4);
    assert.equal(all.window_tx_count, 4);
    assert.equal(all.window_interval, cm.chain.at(5)!.getMedianTimePast() - cm.chain.at(1)!.getMedianTimePast());
    assert.equal(all.txrate, 4 / all.window_interval);
    assert.deepEqual(Object.keys(getchaintxstats(ctx, [0]) as object), ['time', 'txcount', 'window_final_block_hash', 'window_final_block_height', 'window_block_count']);
    const at3 = getchaintxstats(ctx, [2, cm.chain.at(3)!.hashHex]) as any;
    assert.equal(at3.window_final_block_height, 3);
    assert.equal(at3.window_tx_count, 2);
    const invalidCount = { code: -8, message: "Invalid block count: should be between 0 and the block's height - 1" };
    assert.deepEqual(await rpcError(() => getchaintxstats(ctx, [5])), invalidCount);
    assert.deepEqual(await rpcError(() => getchaintxstats(ctx, [-1])), invalidCount);
    const stale = cm.add(makeBlock(cm.chain.at(1)!, [], 1), cm.chain.at(1)!);
    assert.deepEqual(await rpcError(() => getchaintxstats(ctx, [null, stale.hashHex])), { code: -8, message: 'Block is not in main chain' });
    assert.deepEqual(await rpcError(() => getchaintxstats(ctx, [null, '00'.repeat(32)])), { code: -5, message: 'Block not found' });
  });

  it('pruneblockchain: Core errors, the 288-block floor and timestamps', async () => {
    const { cm, ctx } = chain(3);
    assert.deepEqual(await rpcError(() => pruneblockchain(ctx, [1])), { code: -1, message: 'Cannot prune blocks because node is not in prune mode.' });
    cm.pruneMode = true;
    assert.deepEqual(await rpcError(() => pruneblockchain(ctx, [-1])), { code: -8, message: 'Negative block height.' });
    assert.deepEqual(await rpcError(() => pruneblockchain(ctx, [1])), { code: -1, message: 'Blockchain is too short for pruning.' });
    // Regtest prunes only after height 1000.
    for (let i = 0; i < 1100; i++) cm.mine();
    assert.deepEqual(await rpcError(() => pruneblockchain(ctx, [1104])), { code: -8, message: 'Blockchain is shorter than the attempted prune height.' });
    assert.equal(pruneblockchain(ctx, [100]), 100);
    assert.equal(pruneblockchain(ctx, [1100]), 1103 - 288);
    assert.equal(pruneblockchain(ctx, [cm.chain.at(50)!.time + 7200]), 50);
    assert.deepEqual(await rpcError(() => pruneblockchain(ctx, [2_000_000_000])), { code: -8, message: 'Could not find block with at least the specified timestamp.' });
    assert.deepEqual(cm.calls, ['prune 100', 'prune 815', 'prune 50']);
  });
});

describe('blockchain RPCs: waits, absent subsystems, proofs, registration', () => {
  it('waitfornewblock returns on a new tip, on timeout with the current tip, and on shutdown', async () => {
    const { cm, ctx } = chain(1);
    const waiting = waitfornewblock(ctx, []);
    const b2 = cm.mine();
    assert.deepEqual(await waiting, { hash: b2.hashHex, height: 2 });
    assert.deepEqual(await waitfornewblock(ctx, [5]), { hash: b2.hashHex, height: 2 });
    // A current_tip other than the tip returns at once.
    assert.deepEqual(await waitfornewblock(ctx, [0, cm.chain.at(1)!.hashHex]), { hash: b2.hashHex, height: 2 });
    const onShutdown = waitfornewblock(ctx, [0]);
    ctx.shutdown.request();
    assert.deepEqual(await onShutdown, { hash: b2.hashHex, height: 2 });
    assert.deepEqual(await rpcError(() => waitfornewblock(ctx, [-1])), { code: -1, message: 'Negative timeout' });
  });

  it('waitforblock and waitforblockheight wait through several tips', async () => {
    const { cm, ctx } = chain(1);
    const byHeight = waitforblockheight(ctx, [3]);
    const b2 = cm.mine();
    const byHash = waitforblock(ctx, [b2.hashHex, 10_000]);
    assert.deepEqual(await byHash, { hash: b2.hashHex, height: 2 });
    const b3 = cm.mine();
    assert.deepEqual(await byHeight, { hash: b3.hashHex, height: 3 });
    assert.deepEqual(await waitforblockheight(ctx, [9, 5]), { hash: b3.hashHex, height: 3 });
    assert.deepEqual(await waitforblock(ctx, ['33'.repeat(32), 5]), { hash: b3.hashHex, height: 3 });
    assert.deepEqual(await rpcError(() => waitforblock(ctx, [b3.hashHex, -5])), { code: -1, message: 'Negative timeout' });
  });

  it('getblockfrompeer fails as a node without peers; scanblocks as one without a filter index', async () => {
    const { cm, ctx } = chain(1);
    const header = cm.add(makeBlock(cm.chain.tip()!, []), cm.chain.tip()!);
    header.status = BlockStatus.BLOCK_VALID_TREE;
    assert.deepEqual(await rpcError(() => getblockfrompeer(ctx, [header.hashHex, 0])), { code: -1, message: 'Peer does not exist' });
    assert.deepEqual(await rpcError(() => getblockfrompeer(ctx, [cm.chain.tip()!.hashHex, 0])), { code: -1, message: 'Block already downloaded' });
    assert.deepEqual(await rpcError(() => getblockfrompeer(ctx, ['44'.repeat(32), 0])), { code: -1, message: 'Block header missing' });
    cm.pruneMode = true;
    assert.deepEqual(await rpcError(() => getblockfrompeer(ctx, [header.hashHex, 0])), {
      code: -1, message: 'In prune mode, only blocks that the node has already synced previously can be fetched from a peer',
    });
    assert.equal(scanblocks(ctx, ['status']), null);
    assert.equal(scanblocks(ctx, ['abort']), false);
    assert.deepEqual(await rpcError(() => scanblocks(ctx, ['start', []])), { code: -1, message: 'Index is not enabled for filtertype basic' });
    assert.deepEqual(await rpcError(() => scanblocks(ctx, ['start', [], null, null, 'extended'])), { code: -5, message: 'Unknown filtertype' });
    assert.deepEqual(await rpcError(() => scanblocks(ctx, ['go'])), { code: -8, message: "Invalid action 'go'" });
  });

  it('partial merkle trees: the flag bits and hashes of a known shape, and round trips', () => {
    const txids = [1, 2, 3].map((b) => new Uint8Array(32).fill(b));
    const tree = PartialMerkleTree.build(txids, [false, true, false]);
    assert.deepEqual(tree.bits, [true, true, false, true, false]);
    assert.deepEqual(tree.hashes, [txids[0], txids[1], hash256(concatBytes(txids[2]!, txids[2]!))]);
    assert.equal(bytesToHex(bitsToBytes(tree.bits)), '0b');
    assert.deepEqual(bytesToBits(Uint8Array.of(0x0b)).slice(0, 5), tree.bits);
    const m = tree.extractMatches();
    assert.deepEqual(m.matches, [txids[1]]);
    assert.deepEqual(m.indexes, [1]);
    const left = hash256(concatBytes(txids[0]!, txids[1]!));
    assert.deepEqual(m.root, hash256(concatBytes(left, hash256(concatBytes(txids[2]!, txids[2]!)))));
    // Identical sibling branches (CVE-2012-2459) make the proof invalid.
    const twin = new MerkleBlock(makeBlock(new FakeChainman().chain.tip()!, []).header, PartialMerkleTree.build([txids[0]!, txids[0]!], [true, true]));
    assert.equal(MerkleBlock.fromBytes(twin.toBytes()).txn.extractMatches().root, undefined);
    for (let n = 1; n <= 9; n++) {
      const ids = Array.from({ length: n }, (_, i) => hash256(Uint8Array.of(i)));
      const match = ids.map((_, i) => i % 3 === 1);
      const t = PartialMerkleTree.build(ids, match);
      const back = MerkleBlock.fromBytes(new MerkleBlock(makeBlock(new FakeChainman().chain.tip()!, []).header, t).toBytes()).txn.extractMatches();
      assert.deepEqual(back.matches, ids.filter((_, i) => match[i]));
    }
  });

  it('gettxoutproof and verifytxoutproof: through an unspent output or the given block; tampered proofs', async () => {
    const { cm, ctx } = chain(1);
    const cb1 = cm.blocks.get(cm.chain.at(1)!.hashHex)!.vtx[0]!;
    const spend = new MutableTransaction({ version: 2 }).addInput(new OutPoint(cb1.txid, 0)).addOutput(1n, P2A).toTransaction();
    const b2 = cm.mine([spend]);
    cm.coins.delete(new OutPoint(cb1.txid, 0).key());
    const proof = gettxoutproof(ctx, [[spend.txidHex()]]) as string;
    assert.equal(proof.slice(0, 160), cm.chain.at(2)!.header().toHex());
    assert.deepEqual(verifytxoutproof(ctx, [proof]), [spend.txidHex()]);
    assert.equal(gettxoutproof(ctx, [[spend.txidHex()], b2.hashHex]), proof);
    const both = gettxoutproof(ctx, [[cm.blocks.get(b2.hashHex)!.vtx[0]!.txidHex(), spend.txidHex()]]) as string;
    assert.deepEqual(verifytxoutproof(ctx, [both]), [cm.blocks.get(b2.hashHex)!.vtx[0]!.txidHex(), spend.txidHex()]);
    // The coinbase of block 1 is spent: without -txindex nothing finds its block.
    assert.deepEqual(await rpcError(() => gettxoutproof(ctx, [[cb1.txidHex()]])), { code: -5, message: 'Transaction not yet in block' });
    assert.deepEqual(verifytxoutproof(ctx, [gettxoutproof(ctx, [[cb1.txidHex()], cm.chain.at(1)!.hashHex])]), [cb1.txidHex()]);
    assert.deepEqual(await rpcError(() => gettxoutproof(ctx, [[cb1.txidHex()], b2.hashHex])), { code: -5, message: 'Not all transactions found in specified or retrieved block' });
    assert.deepEqual(await rpcError(() => gettxoutproof(ctx, [[]])), { code: -8, message: "Parameter 'txids' cannot be empty" });
    assert.deepEqual(await rpcError(() => gettxoutproof(ctx, [[spend.txidHex(), spend.txidHex()]])), { code: -8, message: `Invalid parameter, duplicated txid: ${spend.txidHex()}` });
    // Tampering: a wrong transaction count, a flipped flag bit, a truncated proof, a block off the chain.
    const wrongCount = proof.slice(0, 160) + '03000000' + proof.slice(168);
    assert.deepEqual(verifytxoutproof(ctx, [wrongCount]), []);
    const flipped = proof.slice(0, -2) + (parseInt(proof.slice(-2), 16) ^ 1).toString(16).padStart(2, '0');
    assert.deepEqual(verifytxoutproof(ctx, [flipped]), []);
    assert.deepEqual(await rpcError(() => verifytxoutproof(ctx, [proof.slice(0, 170)])), { code: -1, message: 'SpanReader::read(): end of data: iostream error' });
    assert.deepEqual(await rpcError(() => verifytxoutproof(ctx, ['zz'])), { code: -8, message: "proof must be hexadecimal string (not 'zz')" });
    // Block [a, b, c] has root H(H(a,b), H(c,c)); a tree over [a, b, c, c] gives the same root with 4 transactions.
    const extra = [0, 1].map((n) => new MutableTransaction({ version: 2 }).addInput(new OutPoint(spend.txid, n)).addOutput(1n, P2A).toTransaction());
    const b3 = cm.mine(extra);
    const [a, b, c] = cm.blocks.get(b3.hashHex)!.vtx.map((t) => t.txid) as [Uint8Array, Uint8Array, Uint8Array];
    const header = cm.blocks.get(b3.hashHex)!.header;
    const honest = new MerkleBlock(header, PartialMerkleTree.build([a, b, c], [true, false, false]));
    assert.deepEqual(verifytxoutproof(ctx, [bytesToHex(honest.toBytes())]), [hashToHex(a)]);
    const padded = new MerkleBlock(header, PartialMerkleTree.build([a, b, c, c], [true, false, false, false]));
    assert.deepEqual(padded.txn.extractMatches().root, header.hashMerkleRoot);
    assert.deepEqual(verifytxoutproof(ctx, [bytesToHex(padded.toBytes())]), []);
    await cm.invalidateBlock(b2);
    assert.deepEqual(await rpcError(() => verifytxoutproof(ctx, [proof])), { code: -5, message: 'Block not found in chain' });
  });

  it('registers Core\'s names, categories and arguments; type checks and help come from the declarations', async () => {
    const { cm, ctx } = chain(1);
    const table = ctx.rpcTable;
    registerBlockchainRPCCommands(table, ctx);
    table.setWarmupFinished();
    const info = rpcTableInfo(table);
    for (const name of ['getblockchaininfo', 'getblock', 'gettxoutproof', 'verifytxoutproof', 'waitforblockheight', 'scanblocks', 'getchaintips']) {
      assert.equal(info.commands.get(name)?.category, 'blockchain', name);
    }
    for (const name of ['invalidateblock', 'reconsiderblock', 'syncwithvalidationinterfacequeue']) assert.equal(info.commands.get(name)?.category, 'hidden');
    const req = new JSONRPCRequest();
    req.parse({ method: 'getblock', params: { blockhash: cm.chain.tip()!.hashHex, verbose: 2 } });
    const block = await table.execute(req) as any;
    assert.equal(writeJSON(block.tx[0].vout[0].value), '50.00000000');
    req.parse({ method: 'getblockhash', params: { height: 1 } });
    assert.equal(await table.execute(req), cm.chain.tip()!.hashHex);
    req.parse({ method: 'getblockhash', params: ['1'] });
    await assert.rejects(table.execute(req), { code: -3, message: 'Wrong type passed:\n{\n    "Position 1 (height)": "JSON value of type string is not of expected type number"\n}' });
    req.parse({ method: 'getblockcount', params: [1] });
    await assert.rejects(table.execute(req), { code: -1, message: info.commands.get('getblockcount')!.man.toString() });
    assert.equal(info.commands.get('getblockcount')!.man.toString(), 'getblockcount\n\n'
      + 'Returns the height of the most-work fully-validated chain.\nThe genesis block has height 0.\n\n'
      + 'Result:\nn    (numeric) The current block count\n\nExamples:\n> smithcoin-cli getblockcount \n'
      + '> curl --user myusername --data-binary \'{"jsonrpc": "2.0", "id": "curltest", "method": "getblockcount", "params": []}\' -H \'content-type: application/json\' http://127.0.0.1:8332/\n');
    assert.match(info.commands.get('getblockheader')!.man.toString(), /^getblockheader "blockhash" \( verbose \)\n/);
    // The node's full registration includes them.
    const all = makeContext(cm);
    registerAllRPCCommands(all.rpcTable, all);
    assert.equal(rpcTableInfo(all.rpcTable).commands.get('getblockstats')?.category, 'blockchain');
  });

});
