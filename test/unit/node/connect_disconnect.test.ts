// DisconnectBlock and ApplyTxInUndo (Core's validation.cpp): the unclean and failed cases and old undo records.
import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { OutPoint, TxOut } from '../../../src/primitives/transaction.js';
import { applyTxInUndo, disconnectBlock } from '../../../src/node/connect_coins.js';
import type { BlockUndo } from '../../../src/node/undo.js';
import { hashToHex } from '../../../src/util/hex.js';
import { MemoryCoins, TestChain, utxosOf } from '../../../bench/lib/connect_chain.js';

/** A chain whose tip block spends two fan-out outputs in one transaction; `before` is the coin set under the tip. */
async function tipSpending(): Promise<{ chain: TestChain; before: string[] }> {
  const chain = await TestChain.create(101);
  const fan = chain.spend([chain.matureCoinbases()[0]!], ['p2wpkh', 'p2tr']);
  await chain.mine([fan]);
  const before = chain.view.snapshot();
  await chain.mine([chain.spend(utxosOf(fan), ['p2pkh', 'p2tr-script'])]);
  return { chain, before };
}

function tipParts(chain: TestChain) {
  const index = chain.tip;
  return { index, block: chain.blocks.get(index.hashHex)!, undo: chain.undo.get(index.hashHex)! };
}

describe('disconnectBlock', () => {
  it('fails when the undo data does not match the block, with Core\'s log line', async () => {
    const { chain } = await tipSpending();
    const { index, block, undo } = tipParts(chain);
    const logged: string[] = [];
    const short: BlockUndo = { vtxundo: [] };
    assert.equal(disconnectBlock(block, index, chain.view.clone(), short, { logError: (m) => logged.push(m) }), 'failed');
    const oneShort: BlockUndo = { vtxundo: [undo.vtxundo[0]!.slice(1)] };
    assert.equal(disconnectBlock(block, index, chain.view.clone(), oneShort, { logError: (m) => logged.push(m) }), 'failed');
    assert.deepEqual(logged, ['DisconnectBlock(): block and undo data inconsistent', 'DisconnectBlock(): transaction and undo data inconsistent']);
  });

  it('is unclean when an output of the block is missing, yet restores what it spent', async () => {
    const { chain, before } = await tipSpending();
    const { index, block, undo } = tipParts(chain);
    chain.view.spendCoin(new OutPoint(block.vtx[1]!.txid, 1));
    assert.equal(disconnectBlock(block, index, chain.view, undo), 'unclean');
    assert.deepEqual(chain.view.snapshot(), before);
    assert.equal(hashToHex(chain.view.getBestBlock()), index.prev!.hashHex);
  });

  it('is unclean when an output differs from what the block created (height, coinbase flag, amount)', async () => {
    for (const change of ['height', 'coinbase', 'value'] as const) {
      const { chain, before } = await tipSpending();
      const { index, block, undo } = tipParts(chain);
      const op = new OutPoint(block.vtx[1]!.txid, 0);
      const coin = chain.view.spendCoin(op)!;
      chain.view.addCoin(op, {
        out: change === 'value' ? new TxOut(coin.out.value + 1n, coin.out.scriptPubKey) : coin.out,
        height: change === 'height' ? coin.height - 1 : coin.height,
        coinbase: change === 'coinbase' ? !coin.coinbase : coin.coinbase,
      }, false);
      assert.equal(disconnectBlock(block, index, chain.view, undo), 'unclean', change);
      assert.deepEqual(chain.view.snapshot(), before);
    }
  });

  it('is unclean when a coin it restores is already unspent (and overwrites it)', async () => {
    const { chain, before } = await tipSpending();
    const { index, block, undo } = tipParts(chain);
    const spent = block.vtx[1]!.vin[0]!.prevout;
    chain.view.addCoin(spent, { out: new TxOut(1n, Uint8Array.of(0x51)), height: 7, coinbase: false }, false);
    assert.equal(disconnectBlock(block, index, chain.view, undo), 'unclean');
    assert.deepEqual(chain.view.snapshot(), before);
  });
});

describe('disconnectBlock with old undo records', () => {
  it('restores inputs in reverse order, so a height-0 record finds the metadata of a later input of the same transaction', async () => {
    const chain = await TestChain.create(101);
    const fan = chain.spend([chain.matureCoinbases()[0]!], ['p2wpkh', 'p2tr']);
    await chain.mine([fan]);
    const before = chain.view.snapshot();
    await chain.mine([chain.spend(utxosOf(fan), ['p2pkh'])]);
    const { index, block, undo } = tipParts(chain);
    // Old versions kept height and coinbase flag only with the last spent output of a transaction.
    const [first, second] = undo.vtxundo[0]!;
    const old: BlockUndo = { vtxundo: [[{ out: first!.out, height: 0, coinbase: false }, second!]] };
    assert.equal(disconnectBlock(block, index, chain.view, old), 'ok');
    assert.deepEqual(chain.view.snapshot(), before);
  });
});

describe('applyTxInUndo', () => {
  const txid = new Uint8Array(32).fill(0xab);
  const out = new TxOut(5000n, Uint8Array.of(0x51));

  it('restores a coin cleanly', () => {
    const view = new MemoryCoins();
    assert.equal(applyTxInUndo({ out, height: 12, coinbase: true }, view, new OutPoint(txid, 1)), 'ok');
    assert.deepEqual(view.getCoin(new OutPoint(txid, 1)), { out, height: 12, coinbase: true });
  });

  it('takes height and coinbase flag of an old (height 0) record from another unspent output of the transaction', () => {
    const view = new MemoryCoins();
    view.addCoin(new OutPoint(txid, 3), { out, height: 40, coinbase: true }, false);
    assert.equal(applyTxInUndo({ out, height: 0, coinbase: false }, view, new OutPoint(txid, 0)), 'ok');
    assert.deepEqual(view.getCoin(new OutPoint(txid, 0)), { out, height: 40, coinbase: true });
  });

  it('fails on an old record when no output of the transaction is left', () => {
    const view = new MemoryCoins();
    view.addCoin(new OutPoint(new Uint8Array(32).fill(0xac), 0), { out, height: 40, coinbase: true }, false);
    assert.equal(applyTxInUndo({ out, height: 0, coinbase: false }, view, new OutPoint(txid, 0)), 'failed');
    assert.equal(view.haveCoin(new OutPoint(txid, 0)), false);
  });
});
