// ConnectBlock / DisconnectBlock (Core's validation.cpp) on a regtest chain with real signed transactions: coin set
// round trips, every reject reason with Core's debug text, BIP30 and its exception, BIP68, the script flags.
import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { formatMoney } from '../../../src/consensus/amount.js';
import { BlockValidationResult, type BlockValidationState } from '../../../src/consensus/validation.js';
import { createChainParams } from '../../../src/kernel/chainparams.js';
import { Block } from '../../../src/primitives/block.js';
import { OutPoint, Transaction, TxIn, TxOut } from '../../../src/primitives/transaction.js';
import { Opcode, ScriptBuilder } from '../../../src/script/script.js';
import { hash160 } from '../../../src/crypto/ripemd160.js';
import type { ConnectBlockResult } from '../../../src/node/connect_block.js';
import { disconnectBlock } from '../../../src/node/connect_coins.js';
import { hashToHex } from '../../../src/util/hex.js';
import { TestChain, type Utxo, utxosOf } from '../../../bench/lib/connect_chain.js';

function rejected(r: ConnectBlockResult): BlockValidationState {
  assert.equal(r.ok, false, 'block was accepted');
  return (r as { state: BlockValidationState }).state;
}

function expectReject(r: ConnectBlockResult, reason: string, debug: string): void {
  const state = rejected(r);
  assert.ok(state.isInvalid(), state.toString());
  assert.equal(state.getResult(), BlockValidationResult.BLOCK_CONSENSUS);
  assert.equal(state.getRejectReason(), reason);
  assert.equal(state.getDebugMessage(), debug);
}

/** A chain with 101 blocks (coinbase 1 mature) and a confirmed fan-out into `n` outputs of every spend kind. */
async function fundedChain(n = 2): Promise<{ chain: TestChain; utxos: Utxo[] }> {
  const chain = await TestChain.create(101);
  const kinds = Array.from({ length: n }, () => ['p2wpkh', 'p2pkh', 'p2tr', 'p2tr-script'] as const).flat();
  const fan = chain.spend([chain.matureCoinbases()[0]!], kinds);
  await chain.mine([fan]);
  return { chain, utxos: utxosOf(fan) };
}

describe('connectBlock', () => {
  it('connects the genesis block without adding its coinbase', async () => {
    const chain = await TestChain.create();
    assert.equal(chain.view.size, 0);
    assert.equal(hashToHex(chain.view.getBestBlock()), chain.tip.hashHex);
  });

  it('spends every kind of signed input, chains within a block, and returns fees, sigops and undo data', async () => {
    const { chain, utxos } = await fundedChain();
    const a = chain.spend(utxos.slice(0, 4), ['p2tr', 'p2wpkh'], 5000n);
    const b = chain.spend([utxosOf(a)[0]!, ...utxos.slice(4)], ['p2pkh'], 7000n);
    const { block, index } = chain.makeBlock([a, b]);
    const before = chain.view.clone();
    const r = await chain.connect(block, index);
    assert.ok(r.ok, r.ok ? '' : r.state.toString());
    assert.equal(r.fees, 12000n);
    assert.equal(r.inputs, 1 + 4 + 5);
    // Legacy sigops are counted in scriptSigs and output scripts (the P2PKH output: 1, weighing 4); each P2WPKH input
    // has one witness sigop; taproot inputs have none.
    assert.equal(r.sigops, 4 * 1 + 2 * 1);
    assert.deepEqual(r.undo.vtxundo.map((u) => u.length), [4, 5]);
    assert.deepEqual(r.undo.vtxundo[0]!.map((c) => c.out), utxos.slice(0, 4).map((u) => u.out));
    assert.equal(r.scriptCheckReason, 'assumevalid=0 (always verify)');
    assert.equal(r.scriptsChecked, 9);
    assert.equal(hashToHex(chain.view.getBestBlock()), index.hashHex);
    for (const u of [...utxos]) assert.equal(chain.view.haveCoin(u.outpoint), false);
    assert.equal(chain.view.haveCoin(new OutPoint(a.txid, 0)), false);
    assert.equal(chain.view.haveCoin(new OutPoint(a.txid, 1)), true);
    assert.deepEqual(chain.view.getCoin(new OutPoint(b.txid, 0)), { out: b.vout[0], height: index.height, coinbase: false });
    assert.equal(chain.view.size, before.size - 8 + 1 + 1 + 1);
  });

  it('disconnecting restores the exact coin set, block by block back to genesis', async () => {
    const { chain, utxos } = await fundedChain();
    const snapshots: string[][] = [];
    const txs = [chain.spend(utxos.slice(0, 3), ['p2tr-script', 'p2pkh']), chain.spend(utxos.slice(3), ['p2wpkh'])];
    for (const tx of [...txs, chain.spend(utxosOf(txs[0]!), ['p2tr'])]) {
      snapshots.push(chain.view.snapshot());
      await chain.mine([tx]);
    }
    // Unwind the three spending blocks, then everything else.
    while (chain.tip.prev) {
      const index = chain.tip;
      const block = chain.blocks.get(index.hashHex)!;
      assert.equal(disconnectBlock(block, index, chain.view, chain.undo.get(index.hashHex)!), 'ok');
      assert.equal(hashToHex(chain.view.getBestBlock()), index.prev!.hashHex);
      chain.tip = index.prev!;
      if (snapshots.length > 0) assert.deepEqual(chain.view.snapshot(), snapshots.pop());
    }
    assert.equal(chain.view.size, 0);
  });

  it('rejects a missing input with bad-txns-inputs-missingorspent', async () => {
    const { chain, utxos } = await fundedChain(1);
    const ghost: Utxo = { outpoint: new OutPoint(new Uint8Array(32).fill(9), 0), out: utxos[0]!.out };
    const tx = chain.spend([utxos[1]!, ghost], ['p2wpkh']);
    const { block, index } = chain.makeBlock([tx]);
    expectReject(await chain.connect(block, index), 'bad-txns-inputs-missingorspent', `CheckTxInputs: inputs missing/spent in transaction ${tx.txidHex()}`);
  });

  it('rejects a double spend across transactions of one block', async () => {
    const { chain, utxos } = await fundedChain(1);
    const t1 = chain.spend([utxos[0]!], ['p2wpkh']);
    const t2 = chain.spend([utxos[0]!], ['p2tr'], 2000n);
    const { block, index } = chain.makeBlock([t1, t2]);
    expectReject(await chain.connect(block, index), 'bad-txns-inputs-missingorspent', `CheckTxInputs: inputs missing/spent in transaction ${t2.txidHex()}`);
  });

  it('rejects an immature coinbase spend', async () => {
    const chain = await TestChain.create(101);
    // Block 102 may spend the coinbase of block 2 (depth 100) but not that of block 3.
    const young = chain.blocks.get(chain.tip.getAncestor(3)!.hashHex)!.vtx[0]!;
    const tx = chain.spend(utxosOf(young), ['p2wpkh']);
    const { block, index } = chain.makeBlock([tx]);
    expectReject(await chain.connect(block, index), 'bad-txns-premature-spend-of-coinbase', `tried to spend coinbase at depth 99 in transaction ${tx.txidHex()}`);
  });

  it('rejects outputs above the inputs', async () => {
    const { chain, utxos } = await fundedChain(1);
    const tx = chain.spend([utxos[0]!], ['p2wpkh'], -1n);
    const { block, index } = chain.makeBlock([tx]);
    const v = utxos[0]!.out.value;
    expectReject(
      await chain.connect(block, index),
      'bad-txns-in-belowout',
      `value in (${formatMoney(v)}) < value out (${formatMoney(v + 1n)}) in transaction ${tx.txidHex()}`,
    );
  });

  it('rejects a coinbase that claims more than subsidy and fees with bad-cb-amount', async () => {
    const { chain, utxos } = await fundedChain(1);
    const tx = chain.spend([utxos[0]!], ['p2wpkh'], 3000n);
    const { block, index } = chain.makeBlock([tx], { coinbaseExtra: 1n });
    const limit = 5_000_000_000n + 3000n;
    expectReject(await chain.connect(block, index), 'bad-cb-amount', `coinbase pays too much (actual=${limit + 1n} vs limit=${limit})`);
    // Exactly the limit is fine.
    const ok = chain.makeBlock([tx]);
    assert.ok((await chain.connect(ok.block, ok.index)).ok);
  });

  it('rejects fees that add up past MAX_MONEY', async () => {
    const chain = await TestChain.create(101);
    // Two coins of 20 million BTC each (each a valid amount), each spent whole as fee.
    const anyone = Uint8Array.of(Opcode.OP_TRUE);
    const coins = [1, 2].map((k) => new OutPoint(new Uint8Array(32).fill(k), 0));
    for (const op of coins) chain.view.addCoin(op, { out: new TxOut(20_000_000n * 100_000_000n, anyone), height: 1, coinbase: false }, false);
    const txs = coins.map((op) => new Transaction({ version: 2, vin: [new TxIn({ prevout: op })], vout: [new TxOut(0n, anyone)] }));
    const { block, index } = chain.makeBlock(txs, { coinbaseExtra: -40_000_000n * 100_000_000n });
    expectReject(await chain.connect(block, index), 'bad-txns-accumulated-fee-outofrange', 'accumulated fee in the block out of range');
  });

  it('rejects a block past MAX_BLOCK_SIGOPS_COST counting P2SH sigops with bad-blk-sigops', async () => {
    const { chain, utxos } = await fundedChain(1);
    // A P2SH output whose redeem script is a single OP_CHECKSIG (one accurate sigop, cost 4).
    const redeem = Uint8Array.of(Opcode.OP_CHECKSIG);
    const p2sh = new ScriptBuilder().op(Opcode.OP_HASH160).pushData(hash160(redeem)).op(Opcode.OP_EQUAL).build();
    const fund = chain.signer.sign(new Transaction({
      version: 2, vin: [new TxIn({ prevout: utxos[0]!.outpoint })], vout: [new TxOut(utxos[0]!.out.value - 1000n, p2sh)],
    }), [utxos[0]!.out]);
    await chain.mine([fund]);
    // 20,000 legacy sigops (cost 80,000: CheckBlock's limit, not over it) in an output, then the P2SH spend.
    const heavy = chain.spend([utxos[1]!], ['p2wpkh']);
    const withSigops = chain.signer.sign(new Transaction({
      version: 2, vin: heavy.vin.map((i) => new TxIn({ prevout: i.prevout })),
      vout: [...heavy.vout, new TxOut(0n, new Uint8Array(20_000).fill(Opcode.OP_CHECKSIG))],
    }), [utxos[1]!.out]);
    const spendP2sh = new Transaction({
      version: 2, vin: [new TxIn({ prevout: new OutPoint(fund.txid, 0), scriptSig: new ScriptBuilder().pushData(redeem).build() })],
      vout: [new TxOut(1000n, Uint8Array.of(Opcode.OP_TRUE))],
    });
    const { block, index } = chain.makeBlock([withSigops, spendP2sh]);
    expectReject(await chain.connect(block, index), 'bad-blk-sigops', 'too many sigops');
  });

  it('enforces BIP68 relative lock heights from the CSV activation height', async () => {
    const lockedSpend = async (csvHeight: number): Promise<{ r: ConnectBlockResult; tx: Transaction }> => {
      const chain = await TestChain.create(101, createChainParams('regtest', { testActivationHeight: [`csv@${csvHeight}`] }));
      const fan = chain.spend([chain.matureCoinbases()[0]!], ['p2wpkh']);
      await chain.mine([fan]);
      // A relative lock of 3 blocks on a coin confirmed in the previous block.
      const tx = chain.spend(utxosOf(fan), ['p2tr'], 1000n, { sequence: 3 });
      const { block, index } = chain.makeBlock([tx]);
      return { r: await chain.connect(block, index), tx };
    };
    const active = await lockedSpend(1);
    expectReject(active.r, 'bad-txns-nonfinal', `contains a non-BIP68-final transaction ${active.tx.txidHex()}`);
    assert.ok((await lockedSpend(500)).r.ok, 'BIP68 is not enforced before CSV activates');
  });

  it('rejects a block that re-creates an unspent transaction (bad-txns-BIP30) unless on the BIP34 chain', async () => {
    const duplicate = async (bip34Chain: boolean): Promise<ConnectBlockResult> => {
      const params = createChainParams('regtest');
      const chain = await TestChain.create(0, params);
      // Same scriptSig, output script and value: the coinbases at heights 1 and 2 have the same txid.
      const same = { coinbaseScriptSig: Uint8Array.of(Opcode.OP_1, Opcode.OP_0), coinbaseScript: chain.signer.script('p2wpkh') };
      const first = chain.makeBlock([], same);
      assert.ok((await chain.connect(first.block, first.index)).ok);
      if (bip34Chain) params.consensus.BIP34Hash = first.index.hash;
      const second = chain.makeBlock([], same);
      assert.deepEqual(second.block.vtx[0]!.txid, first.block.vtx[0]!.txid);
      return chain.connect(second.block, second.index);
    };
    expectReject(await duplicate(false), 'bad-txns-BIP30', 'tried to overwrite transaction');
    assert.ok((await duplicate(true)).ok, 'BIP34 makes the BIP30 check unnecessary below BIP34_IMPLIES_BIP30_LIMIT');
  });

  it('turns a corrupt (mutated) block into an error state and a fatal-error notice', async () => {
    const { chain, utxos } = await fundedChain(1);
    const { block, index } = chain.makeBlock([chain.spend([utxos[0]!], ['p2wpkh'])]);
    // Same header, different transactions: the merkle root no longer matches.
    const mutated = new Block(block.header, [block.vtx[0]!]);
    const notices: string[] = [];
    const r = await chain.connect(mutated, index, { fatalError: (m) => notices.push(m) });
    const state = rejected(r);
    // As Core's ValidationState::Error: the state becomes an error and keeps the first reject reason.
    assert.ok(state.isError());
    assert.equal(state.getRejectReason(), 'bad-txnmrklroot');
    assert.deepEqual(notices, ['Corrupt block found indicating potential hardware failure.']);
  });
});
