// The UTXO set as it was at an earlier block of the active chain, for dumptxoutset's rollback: the current coins,
// with each later block disconnected from the tip down (its outputs removed, the coins its inputs spent restored
// from its undo data), as Core's DisconnectBlock does on the temporary chainstate. Kept in memory.
import type { BlockIndex } from '../node/chain.js';
import type { ChainstateManagerApi } from '../node/chainstate_api.js';
import type { Coin } from '../node/coin.js';
import { coinKey } from '../node/txdb_keys.js';
import { OutPoint } from '../primitives/transaction.js';
import { isUnspendable } from '../script/script.js';
import { bytesToHex } from '../util/hex.js';
import { RPCError, RPCErrorCode } from './protocol.js';

type CoinMap = Map<string, [OutPoint, Coin]>;

function put(set: CoinMap, outpoint: OutPoint, coin: Coin): void {
  set.set(bytesToHex(coinKey(outpoint)), [outpoint, coin]);
}

/** Undoes one block on `set`; the undo data must fit the block's inputs (Core: "block and undo data inconsistent"). */
function disconnect(chainman: ChainstateManagerApi, index: BlockIndex, set: CoinMap): void {
  const block = chainman.readBlock(index);
  const undo = chainman.readBlockUndo(index);
  if (undo.vtxundo.length + 1 !== block.vtx.length) {
    throw new RPCError(RPCErrorCode.RPC_MISC_ERROR, `Unable to roll back to the snapshot block: block and undo data inconsistent at ${index.hashHex}`);
  }
  for (let i = block.vtx.length - 1; i >= 0; i--) {
    const tx = block.vtx[i]!;
    tx.vout.forEach((out, n) => {
      if (!isUnspendable(out.scriptPubKey)) set.delete(bytesToHex(coinKey(new OutPoint(tx.txid, n))));
    });
    if (i === 0) continue;
    const txUndo = undo.vtxundo[i - 1]!;
    if (txUndo.length !== tx.vin.length) {
      throw new RPCError(RPCErrorCode.RPC_MISC_ERROR, `Unable to roll back to the snapshot block: transaction and undo data inconsistent at ${index.hashHex}`);
    }
    for (let j = tx.vin.length - 1; j >= 0; j--) put(set, tx.vin[j]!.prevout, txUndo[j]!);
  }
}

/** Every coin at `target` (an ancestor of `tip`) in chainstate key order. */
export function rolledBackCoins(chainman: ChainstateManagerApi, tip: BlockIndex, target: BlockIndex): [OutPoint, Coin][] {
  if (tip.getAncestor(target.height) !== target) {
    throw new RPCError(RPCErrorCode.RPC_MISC_ERROR, 'Unable to roll back to a block that is not on the active chain');
  }
  const set: CoinMap = new Map();
  for (const [outpoint, coin] of chainman.coinsCursor()) put(set, outpoint, coin);
  for (let index: BlockIndex = tip; index !== target; index = index.prev!) disconnect(chainman, index, set);
  // Hex of the database key sorts as the key bytes do.
  return [...set.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, v]) => v);
}
