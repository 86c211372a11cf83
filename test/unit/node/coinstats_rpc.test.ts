// gettxoutsetinfo, dumptxoutset and scantxoutset over Core's regtest datadir (a scratch copy) through the
// ChainstateManagerApi, compared with what Core reported and with an independent replay of the blocks.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { hash160 } from '../../../src/crypto/ripemd160.js';
import { addressParams } from '../../../src/kernel/chainparams_base.js';
import type { Coin } from '../../../src/node/coin.js';
import { computeUTXOStats } from '../../../src/node/coinstats.js';
import { coinKey } from '../../../src/node/txdb_keys.js';
import { readSnapshotCoins, readSnapshotMetadata } from '../../../src/node/utxo_snapshot.js';
import { OutPoint } from '../../../src/primitives/transaction.js';
import { dumptxoutset, gettxoutsetinfo } from '../../../src/rpc/coinstats_rpcs.js';
import { RPCError, RPCTypeError } from '../../../src/rpc/protocol.js';
import { JSONRPCRequest, type JSONObject, type JSONValue } from '../../../src/rpc/request.js';
import { registerUTXOSetRPCCommands } from '../../../src/rpc/blockchain_utxo.js';
import { TxOutSetScan, evalDescriptorStringOrObject, newNeedles, scanResultToJSON, scantxoutset } from '../../../src/rpc/scantxoutset.js';
import { encodeDestination } from '../../../src/key_io.js';
import { addChecksum } from '../../../src/script/descriptor_checksum.js';
import { isUnspendable } from '../../../src/script/script.js';
import { extractDestination } from '../../../src/script/standard.js';
import { bytesToHex, hashToHex } from '../../../src/util/hex.js';
import { ByteReader } from '../../../src/util/serialize.js';
import { requireLevelDB } from '../leveldb/helpers.js';
import { readTestJson } from '../util/paths.js';
import { suiteTempDirs } from '../wrapper/temp_dirs.js';
import { type FixtureNode, openFixtureNode } from './coinstats_fixture_chainman.js';

interface Expected {
  tx_count: number;
  gettxoutsetinfo_hash_serialized_3: JSONObject;
  gettxoutsetinfo_muhash: JSONObject;
}

const expected = readTestJson<Expected>('core-regtest/expected.json');
const regtestAddr = addressParams('regtest');

/** The JSON as a client sees it (amount objects become numbers). */
function plain(v: JSONValue): unknown {
  return JSON.parse(JSON.stringify(v));
}

function rpcFails(fn: () => unknown, code: number, message: string): void {
  assert.throws(fn, (e: unknown) => e instanceof RPCError && e.code === code && e.message === message);
}

async function rpcRejects(p: Promise<unknown>, code: number, message: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => e instanceof RPCError && e.code === code && e.message === message);
}

describe('coinstats RPCs on Core\'s regtest datadir', () => {
  requireLevelDB();
  const tempDir = suiteTempDirs('smithcoin-coinstats-rpc-');
  let node: FixtureNode;
  before(() => { node = openFixtureNode(tempDir()); });
  after(() => node?.close());

  it('gettxoutsetinfo reports what Core reported, for both hash types', () => {
    for (const [arg, want] of [[[], expected.gettxoutsetinfo_hash_serialized_3], [['muhash'], expected.gettxoutsetinfo_muhash]] as const) {
      const got = plain(gettxoutsetinfo(node.ctx, [...arg])) as JSONObject;
      assert.equal(got.disk_size, node.chainman.coinsDbEstimateSize());
      assert.ok((got.disk_size as number) > 0);
      delete got.disk_size;
      assert.deepEqual(got, want);
    }
    const none = gettxoutsetinfo(node.ctx, ['none']) as JSONObject;
    assert.deepEqual(Object.keys(none), ['height', 'bestblock', 'txouts', 'bogosize', 'total_amount', 'transactions', 'disk_size']);
    assert.equal((none.total_amount as { text: string }).text, '11412.50000000');
  });

  it('gettxoutsetinfo refuses bad hash types and per-block queries with Core\'s texts', () => {
    rpcFails(() => gettxoutsetinfo(node.ctx, ['sha256']), -8, '\'sha256\' is not a valid hash_type');
    rpcFails(() => gettxoutsetinfo(node.ctx, ['muhash', 5]), -8, 'Querying specific block heights requires coinstatsindex');
  });

  function readBack(file: string, baseHeight: number): { meta: ReturnType<typeof readSnapshotMetadata>; coins: [OutPoint, Coin][] } {
    const r = new ByteReader(new Uint8Array(fs.readFileSync(file)));
    const meta = readSnapshotMetadata(r, node.chainman.params.messageStart);
    const coins: [OutPoint, Coin][] = [];
    readSnapshotCoins(r, meta, { baseHeight, onCoin: (op, c) => coins.push([op, c]) });
    return { meta, coins };
  }

  it('dumptxoutset latest writes the tip\'s set, whose hash is Core\'s hash_serialized_3', () => {
    node.cursorFlushes.length = 0;
    const res = plain(dumptxoutset(node.ctx, ['utxo-latest.dat', 'latest'])) as JSONObject;
    const file = path.join(node.datadir, 'utxo-latest.dat');
    const tip = node.chainman.chain.tip()!;
    assert.deepEqual(node.cursorFlushes, [true, false], 'one flush, for the statistics, as Core\'s PrepareUTXOSnapshot');
    const title = `WriteUTXOSnapshot: writing UTXO snapshot at height ${tip.height} (${tip.hashHex}) to file ${file} (via ${file}.incomplete)`;
    assert.deepEqual(node.lines.filter((l) => l.startsWith('WriteUTXOSnapshot')).map((l) => l.replace(/\(\d+\.\d\ds\)$/, '(Ns)')),
      [`${title} started`, `${title} completed (Ns)`]);
    assert.deepEqual(res, {
      coins_written: expected.gettxoutsetinfo_muhash.txouts, base_hash: tip.hashHex, base_height: tip.height, path: file,
      txoutset_hash: expected.gettxoutsetinfo_hash_serialized_3.hash_serialized_3, nchaintx: expected.tx_count,
    });
    assert.equal(fs.existsSync(`${file}.incomplete`), false);
    const back = readBack(file, tip.height);
    assert.equal(hashToHex(back.meta.baseBlockhash), tip.hashHex);
    assert.deepEqual(back.coins, [...node.chainman.coinsCursor()]);
    rpcFails(() => dumptxoutset(node.ctx, ['utxo-latest.dat', 'latest']), -8,
      `${file} already exists. If you are sure this is what you want, move it out of the way first`);
  });

  it('dumptxoutset rollback writes the set at an earlier block, equal to a replay of the chain up to it', () => {
    const target = node.chainman.chain.at(250)!;
    const res = plain(dumptxoutset(node.ctx, ['utxo-250.dat', null, { rollback: 250 }])) as JSONObject;
    const back = readBack(path.join(node.datadir, 'utxo-250.dat'), 250);
    // Independent: connect blocks 1..250 forward from nothing (genesis outputs never enter the set).
    const set = new Map<string, [OutPoint, Coin]>();
    for (let h = 1; h <= 250; h++) {
      const block = node.chainman.readBlock(node.chainman.chain.at(h)!);
      block.vtx.forEach((tx, i) => {
        if (i > 0) for (const input of tx.vin) assert.ok(set.delete(input.prevout.key()), `height ${h} spends a missing coin`);
        tx.vout.forEach((out, n) => {
          if (!isUnspendable(out.scriptPubKey)) set.set(new OutPoint(tx.txid, n).key(), [new OutPoint(tx.txid, n), { out, height: h, coinbase: i === 0 }]);
        });
      });
    }
    const key = ([op]: [OutPoint, Coin]) => op.key();
    const dbKeys = back.coins.map(([op]) => bytesToHex(coinKey(op)));
    assert.deepEqual(dbKeys, [...dbKeys].sort(), 'written in chainstate key order');
    assert.deepEqual(new Map(back.coins.map((c) => [key(c), c])), set);
    const stats = computeUTXOStats('hash_serialized_3', back.coins, { height: 250, hashBlock: target.hash });
    assert.equal(res.txoutset_hash, hashToHex(stats.hashSerialized!));
    assert.equal(res.base_hash, target.hashHex);
    assert.equal(res.nchaintx, target.chainTx);
    assert.equal(res.coins_written, set.size);
  });

  it('dumptxoutset refuses bad snapshot types with Core\'s texts', () => {
    rpcFails(() => dumptxoutset(node.ctx, ['x.dat', 'newest']), -8, 'Invalid snapshot type "newest" specified. Please specify "rollback" or "latest"');
    rpcFails(() => dumptxoutset(node.ctx, ['x.dat', 'latest', { rollback: 5 }]), -8, 'Invalid snapshot type "latest" specified with rollback option');
    rpcFails(() => dumptxoutset(node.ctx, ['x.dat', '', { rollback: 500 }]), -8, 'Target block height 500 after current tip 318');
    assert.throws(() => dumptxoutset(node.ctx, ['x.dat', '', { rollback: 300, in_memory: 'yes' }]),
      (e: unknown) => e instanceof RPCTypeError && e.message === 'JSON value of type string is not of expected type bool');
    assert.equal(fs.existsSync(path.join(node.datadir, 'x.dat.incomplete')), false);
  });

  it('scantxoutset finds the outputs of addr(), raw() and pk() descriptors with Core\'s result shape', async () => {
    const coins = [...node.chainman.coinsCursor()];
    // A P2PK coinbase output, and the script of some wallet output with an address.
    const p2pk = coins.find(([, c]) => c.out.scriptPubKey.length === 35 && c.out.scriptPubKey[34] === 0xac)!;
    const withAddr = coins.find(([, c]) => c.out.scriptPubKey[0] === 0x00 && c.out.scriptPubKey.length === 22)!;
    const address = encodeDestination(extractDestination(withAddr[1].out.scriptPubKey).dest, regtestAddr);
    const pubkey = bytesToHex(p2pk[1].out.scriptPubKey.subarray(1, 34));
    const tip = node.chainman.chain.tip()!;
    const matching = (script: Uint8Array) => coins.filter(([, c]) => bytesToHex(c.out.scriptPubKey) === bytesToHex(script));
    const res = plain(await scantxoutset(node.ctx, ['start', [`addr(${address})`, { desc: `pk(${pubkey})` }, `raw(${bytesToHex(withAddr[1].out.scriptPubKey)})`]])) as JSONObject;
    const want = [...matching(p2pk[1].out.scriptPubKey), ...matching(withAddr[1].out.scriptPubKey)];
    assert.equal(res.success, true);
    assert.equal(res.txouts, coins.length);
    assert.equal(res.height, tip.height);
    assert.equal(res.bestblock, tip.hashHex);
    const unspents = res.unspents as JSONObject[];
    assert.equal(unspents.length, want.length);
    const total = want.reduce((s, [, c]) => s + c.out.value, 0n);
    assert.equal(res.total_amount, Number(total) / 1e8);
    for (const u of unspents) {
      const [op, c] = want.find(([o]) => hashToHex(o.hash) === u.txid && o.n === u.vout)!;
      assert.deepEqual(Object.keys(u), ['txid', 'vout', 'scriptPubKey', 'desc', 'amount', 'coinbase', 'height', 'blockhash', 'confirmations']);
      assert.equal(u.scriptPubKey, bytesToHex(c.out.scriptPubKey));
      assert.equal(u.coinbase, c.coinbase);
      assert.equal(u.height, c.height);
      assert.equal(u.blockhash, node.chainman.chain.at(c.height)!.hashHex);
      assert.equal(u.confirmations, tip.height - c.height + 1);
      assert.equal(u.amount, Number(c.out.value) / 1e8);
      assert.ok(op);
      // pk() keys carry the origin Core's ConstPubkeyProvider records (the key's own fingerprint); addr() stays addr().
      assert.match(u.desc as string, u.scriptPubKey === bytesToHex(p2pk[1].out.scriptPubKey)
        ? new RegExp(`^pk\\(\\[[0-9a-f]{8}\\]${pubkey}\\)#[a-z0-9]{8}$`) : new RegExp(`^addr\\(${address}\\)#[a-z0-9]{8}$`));
    }
    assert.ok(unspents.length > 1);
  });

  it('runs through the RPC table with Core\'s usage texts and named options', async () => {
    registerUTXOSetRPCCommands(node.ctx.rpcTable, node.ctx);
    node.ctx.rpcTable.setWarmupFinished();
    const call = (method: string, params: JSONValue[] | JSONObject) => {
      const r = new JSONRPCRequest();
      r.parse({ method, params });
      return node.ctx.rpcTable.execute(r);
    };
    await assert.rejects(call('scantxoutset', []), (e: unknown) => e instanceof RPCError && e.code === -1 && e.message.startsWith('scantxoutset "action" ( [scanobjects,...] )\n'));
    await assert.rejects(call('gettxoutsetinfo', ['muhash', null, null, 1]), (e: unknown) => e instanceof RPCError && e.message.startsWith('gettxoutsetinfo ( "hash_type" hash_or_height use_index )'));
    const info = plain(await call('gettxoutsetinfo', { hash_type: 'muhash' })) as JSONObject;
    assert.equal(info.muhash, expected.gettxoutsetinfo_muhash.muhash);
    const res = plain(await call('dumptxoutset', { path: 'utxo-named.dat', rollback: 300 })) as JSONObject;
    assert.equal(res.base_height, 300);
    assert.equal(res.base_hash, node.chainman.chain.at(300)!.hashHex);
  });

  it('scantxoutset answers status and abort, and refuses a second scan while one runs', async () => {
    assert.equal(await scantxoutset(node.ctx, ['status']), null);
    assert.equal(await scantxoutset(node.ctx, ['abort']), false);
    await rpcRejects(scantxoutset(node.ctx, ['start']), -1, 'scanobjects argument is required for the start action');
    await rpcRejects(scantxoutset(node.ctx, ['invalid_command']), -8, 'Invalid action \'invalid_command\'');
    await rpcRejects(scantxoutset(node.ctx, ['start', [{ range: 5 }]]), -8, 'Descriptor needs to be provided in scan object');
    await rpcRejects(scantxoutset(node.ctx, ['start', [5]]), -8, 'Scan object needs to be either a string or an object');
    await rpcRejects(scantxoutset(node.ctx, ['start', ['pk(00)']]), -5, 'pk(): Pubkey \'00\' is invalid');
  });
});

describe('scantxoutset engine', () => {
  /** Many coins paying to two scripts, so a scan yields to the event loop several times. */
  function coinsFor(scripts: Uint8Array[], count: number): [OutPoint, Coin][] {
    return Array.from({ length: count }, (_, i) => {
      const txid = new Uint8Array(32);
      txid[0] = (i * 256) / count;
      txid[1] = i & 0xff;
      txid[31] = i >> 8;
      return [new OutPoint(txid, 0), { out: { value: 1000n, scriptPubKey: scripts[i % scripts.length]! } as Coin['out'], height: 1, coinbase: false }];
    });
  }

  it('reports progress while running, aborts on request and then allows a new scan', async () => {
    const scan = new TxOutSetScan();
    const needles = new Map([['51', Uint8Array.of(0x51)]]);
    const coins = coinsFor([Uint8Array.of(0x51), Uint8Array.of(0x52)], 40000);
    const running = scan.run(coins, needles);
    // The first 8192 coins go before the first yield: a quarter through the txid space.
    assert.deepEqual(scan.status(), { progress: 20 });
    await assert.rejects(scan.run(coins, needles), (e: unknown) => e instanceof RPCError && e.message === 'Scan already in progress, use action "abort" or "status"');
    await new Promise((r) => setImmediate(r));
    const mid = (scan.status() as { progress: number }).progress;
    assert.ok(mid > 0 && mid < 100, `progress ${mid}`);
    assert.equal(scan.abort(), true);
    const res = await running;
    assert.equal(res.success, false);
    assert.equal(res.count, 16384);
    assert.equal(res.found.length, 8192, 'coins before the 16384th');
    assert.equal(scan.status(), null);
    assert.equal(scan.abort(), false);
    const full = await scan.run(coins, needles);
    assert.equal(full.success, true);
    assert.equal(full.count, 40000);
    assert.equal(full.found.length, 20000);
  });

  it('names matches with key origins from the scan descriptors, as Core\'s functional test expects', async () => {
    const xprv = 'tprv8ZgxMBicQKsPd7Uf69XL1XwhmjHopUGep8GuEiJDZmbQz6o58LninorQAfcKZWARbtRtfnLcJ5MQ2AtHcQJCCRUcMRvmDUjyEmNUWwx8UbK';
    const needles = newNeedles();
    evalDescriptorStringOrObject({ desc: `combo(${xprv}/0h/0h/*)`, range: 3 }, regtestAddr, needles);
    assert.equal(needles.scripts.size, 4 * 4);
    const pkh = (pub: string) => `76a914${bytesToHex(hash160(Uint8Array.from(Buffer.from(pub, 'hex'))))}88ac`;
    const want = ['pkh([0c5f9a1e/0h/0h/0]026dbd8b2315f296d36e6b6920b1579ca75569464875c7ebe869b536a7d9503c8c)#rthll0rg',
      'pkh([0c5f9a1e/0h/0h/1]033e6f25d76c00bedb3a8993c7d5739ee806397f0529b1b31dda31ef890f19a60c)#mcjajulr'];
    const scripts = want.map((d) => Uint8Array.from(Buffer.from(pkh(d.slice(d.indexOf(']') + 1, d.indexOf(')'))), 'hex')));
    const scan = new TxOutSetScan();
    const res = await scan.run(coinsFor(scripts, 2), needles.scripts);
    const tip = { height: 10, hashHex: '00'.repeat(32), getAncestor: () => ({ hashHex: 'ab'.repeat(32) }) } as never;
    const json = plain(scanResultToJSON(res, tip, needles, regtestAddr)) as { unspents: { desc: string }[] };
    assert.deepEqual(json.unspents.map((u) => u.desc).sort(), want);
  });

  it('names sh, wsh, wpkh, multi and key-path tr matches back with their keys\' origins', async () => {
    const k1 = '026dbd8b2315f296d36e6b6920b1579ca75569464875c7ebe869b536a7d9503c8c';
    const k2 = '033e6f25d76c00bedb3a8993c7d5739ee806397f0529b1b31dda31ef890f19a60c';
    const fp = (k: string) => bytesToHex(hash160(Uint8Array.from(Buffer.from(k, 'hex'))).subarray(0, 4));
    const x1 = k1.slice(2);
    const cases: [string, string][] = [
      [`sh(wpkh(${k1}))`, `sh(wpkh([${fp(k1)}]${k1}))`],
      [`wsh(multi(1,${k1},${k2}))`, `wsh(multi(1,[${fp(k1)}]${k1},[${fp(k2)}]${k2}))`],
      [`sh(multi(2,${k2},${k1}))`, `sh(multi(2,[${fp(k2)}]${k2},[${fp(k1)}]${k1}))`],
      [`wpkh(${k2})`, `wpkh([${fp(k2)}]${k2})`],
      [`tr(${x1})`, `tr([${fp(k1)}]${x1})`],
    ];
    for (const [scanDesc, inferred] of cases) {
      const needles = newNeedles();
      evalDescriptorStringOrObject(scanDesc, regtestAddr, needles);
      const scripts = [...needles.scripts.values()];
      assert.equal(scripts.length, 1, scanDesc);
      const res = await new TxOutSetScan().run(coinsFor(scripts, 1), needles.scripts);
      const tip = { height: 10, hashHex: '00'.repeat(32), getAncestor: () => ({ hashHex: 'ab'.repeat(32) }) } as never;
      const json = plain(scanResultToJSON(res, tip, needles, regtestAddr)) as { unspents: { desc: string }[] };
      assert.equal(json.unspents[0]!.desc, addChecksum(inferred), scanDesc);
    }
  });
});
