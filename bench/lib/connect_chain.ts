// Helpers for the block connection tests and benchmark: an in-memory coins cache with Core's CCoinsViewCache rules,
// keys that sign real P2WPKH, P2PKH and P2TR (key and script path) spends, and a regtest chain that mines blocks.
import { getBlockSubsidy } from '../../src/consensus/subsidy.js';
import { checkProofOfWork } from '../../src/consensus/pow.js';
import { merkleRootOfBlock } from '../../src/consensus/block_check.js';
import { hash160 } from '../../src/crypto/ripemd160.js';
import { ecdsaSign, pubkeyCreate, schnorrSign, seckeyTweakAdd, xonlyFromSeckey } from '../../src/crypto/secp256k1.js';
import { type ChainParams, createChainParams } from '../../src/kernel/chainparams.js';
import { Block, BlockHeader } from '../../src/primitives/block.js';
import { OutPoint, Transaction, TxIn, TxOut } from '../../src/primitives/transaction.js';
import { computeTapTweakHash } from '../../src/script/interpreter_taproot.js';
import { Opcode, ScriptBuilder, isUnspendable, pushIntBytes } from '../../src/script/script.js';
import { PrecomputedTransactionData, signatureHashLegacy, signatureHashSchnorr, signatureHashWitnessV0 } from '../../src/script/sighash.js';
import { TaprootBuilder, controlBlock, type TaprootLeaf, type TaprootOutput } from '../../src/script/taproot_builder.js';
import { BlockIndex } from '../../src/node/chain.js';
import type { CoinsCache } from '../../src/node/chainstate_api.js';
import type { Coin } from '../../src/node/coin.js';
import { type ConnectBlockContext, type ConnectBlockResult, connectBlock } from '../../src/node/connect_block.js';
import type { BlockUndo } from '../../src/node/undo.js';
import { bytesToHex } from '../../src/util/hex.js';

const SIGHASH_ALL = 1;
const SIGHASH_DEFAULT = 0;
const SECP256K1_N = BigInt('0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141');

/** A CoinsCache in a Map, with CCoinsViewCache's AddCoin rules (unspendable outputs dropped, no silent overwrite). */
export class MemoryCoins implements CoinsCache {
  private coins = new Map<string, { outpoint: OutPoint; coin: Coin }>();
  private best = new Uint8Array(32);

  getCoin(outpoint: OutPoint): Coin | undefined {
    return this.coins.get(outpoint.key())?.coin;
  }

  haveCoin(outpoint: OutPoint): boolean {
    return this.coins.has(outpoint.key());
  }

  getBestBlock(): Uint8Array {
    return this.best;
  }

  addCoin(outpoint: OutPoint, coin: Coin, possibleOverwrite: boolean): void {
    if (isUnspendable(coin.out.scriptPubKey)) return;
    if (!possibleOverwrite && this.coins.has(outpoint.key())) throw new Error('Attempted to overwrite an unspent coin (when possible_overwrite is false)');
    this.coins.set(outpoint.key(), { outpoint, coin });
  }

  spendCoin(outpoint: OutPoint): Coin | undefined {
    const e = this.coins.get(outpoint.key());
    if (!e) return undefined;
    this.coins.delete(outpoint.key());
    return e.coin;
  }

  setBestBlock(hash: Uint8Array): void {
    this.best = hash.slice();
  }

  get size(): number {
    return this.coins.size;
  }

  clone(): MemoryCoins {
    const c = new MemoryCoins();
    c.coins = new Map(this.coins);
    c.best = this.best.slice();
    return c;
  }

  /** Every coin as one sorted line: outpoint, height, coinbase flag, value and script. */
  snapshot(): string[] {
    return [...this.coins.entries()]
      .map(([k, { coin }]) => `${k} ${coin.height} ${coin.coinbase ? 1 : 0} ${coin.out.value} ${bytesToHex(coin.out.scriptPubKey)}`)
      .sort();
  }

  entries(): Array<{ outpoint: OutPoint; coin: Coin }> {
    return [...this.coins.values()];
  }
}

export type SpendKind = 'p2wpkh' | 'p2pkh' | 'p2tr' | 'p2tr-script';
export const SPEND_KINDS: readonly SpendKind[] = ['p2wpkh', 'p2pkh', 'p2tr', 'p2tr-script'];

interface Owner {
  kind: SpendKind;
  sk: Uint8Array;
  pk: Uint8Array;
  taproot?: TaprootOutput;
  leaf?: TaprootLeaf;
  /** Key-path signing key: the internal key tweaked by the output's commitment. */
  tweakedSk?: Uint8Array;
}

function secret(n: number): Uint8Array {
  const sk = new Uint8Array(32);
  sk[0] = 0x3c;
  sk[28] = (n >>> 24) & 0xff;
  sk[29] = (n >>> 16) & 0xff;
  sk[30] = (n >>> 8) & 0xff;
  sk[31] = (n & 0xff) + 1;
  return sk;
}

function negateSecret(sk: Uint8Array): Uint8Array {
  const v = SECP256K1_N - BigInt(`0x${bytesToHex(sk)}`);
  return Uint8Array.from(Buffer.from(v.toString(16).padStart(64, '0'), 'hex'));
}

/** Keys indexed by scriptPubKey, so a transaction can be signed from the outputs it spends. */
export class Signer {
  private readonly owners = new Map<string, Owner>();
  private next = 0;

  /** A fresh output script of `kind`, remembered for signing. */
  script(kind: SpendKind): Uint8Array {
    const sk = secret(this.next++);
    const pk = pubkeyCreate(sk, true);
    const owner: Owner = { kind, sk, pk };
    let spk: Uint8Array;
    if (kind === 'p2wpkh') spk = new ScriptBuilder().op(Opcode.OP_0).pushData(hash160(pk)).build();
    else if (kind === 'p2pkh') spk = p2pkhScript(pk);
    else {
      const internal = xonlyFromSeckey(sk);
      const builder = new TaprootBuilder();
      if (kind === 'p2tr-script') builder.add(0, new ScriptBuilder().pushData(internal).op(Opcode.OP_CHECKSIG).build(), 0xc0);
      owner.taproot = builder.finalize(internal);
      owner.leaf = owner.taproot.leaves[0];
      const even = pk[0] === 2 ? sk : negateSecret(sk);
      owner.tweakedSk = seckeyTweakAdd(even, computeTapTweakHash(internal, owner.taproot.merkleRoot))!;
      spk = new ScriptBuilder().op(Opcode.OP_1).pushData(owner.taproot.outputKey).build();
    }
    this.owners.set(bytesToHex(spk), owner);
    return spk;
  }

  /** Signs every input of `tx` (SIGHASH_ALL / SIGHASH_DEFAULT) given the outputs it spends. */
  sign(tx: Transaction, spent: readonly TxOut[]): Transaction {
    const txdata = PrecomputedTransactionData.from(tx, spent, true);
    const vin = tx.vin.map((input, i) => {
      const owner = this.owners.get(bytesToHex(spent[i]!.scriptPubKey));
      if (!owner) throw new Error(`no key for input ${i}`);
      return signInput(tx, i, spent[i]!, owner, txdata, input);
    });
    return new Transaction({ version: tx.version, vin, vout: tx.vout, lockTime: tx.lockTime });
  }
}

function p2pkhScript(pk: Uint8Array): Uint8Array {
  return new ScriptBuilder().op(Opcode.OP_DUP, Opcode.OP_HASH160).pushData(hash160(pk)).op(Opcode.OP_EQUALVERIFY, Opcode.OP_CHECKSIG).build();
}

function withHashType(sig: Uint8Array, hashType: number): Uint8Array {
  const full = new Uint8Array(sig.length + 1);
  full.set(sig);
  full[sig.length] = hashType;
  return full;
}

function signInput(tx: Transaction, i: number, spent: TxOut, owner: Owner, txdata: PrecomputedTransactionData, input: TxIn): TxIn {
  switch (owner.kind) {
    case 'p2wpkh': {
      const sighash = signatureHashWitnessV0(p2pkhScript(owner.pk), tx, i, SIGHASH_ALL, spent.value, txdata);
      return input.withWitness([withHashType(ecdsaSign(sighash, owner.sk), SIGHASH_ALL), owner.pk]);
    }
    case 'p2pkh': {
      const sighash = signatureHashLegacy(spent.scriptPubKey, tx, i, SIGHASH_ALL);
      const sig = withHashType(ecdsaSign(sighash, owner.sk), SIGHASH_ALL);
      return input.withScriptSig(new ScriptBuilder().pushData(sig).pushData(owner.pk).build());
    }
    case 'p2tr': {
      const sighash = signatureHashSchnorr(tx, i, SIGHASH_DEFAULT, 'taproot', txdata, { annexPresent: false })!;
      return input.withWitness([schnorrSign(sighash, owner.tweakedSk!)]);
    }
    case 'p2tr-script': {
      const leaf = owner.leaf!;
      const execdata = { annexPresent: false, tapleafHash: leaf.leafHash, codeseparatorPos: 0xffffffff };
      const sighash = signatureHashSchnorr(tx, i, SIGHASH_DEFAULT, 'tapscript', txdata, execdata)!;
      return input.withWitness([schnorrSign(sighash, owner.sk), leaf.script, controlBlock(owner.taproot!, leaf)]);
    }
  }
}

/** A spendable output the chain's signer can sign for. */
export interface Utxo {
  outpoint: OutPoint;
  out: TxOut;
}

export interface BlockOptions {
  prev?: BlockIndex;
  time?: number;
  /** Added to (or, negative, taken from) what the coinbase may claim. */
  coinbaseExtra?: bigint;
  coinbaseScriptSig?: Uint8Array;
  /** The coinbase's output script (default: a fresh P2WPKH key). */
  coinbaseScript?: Uint8Array;
  version?: number;
}

/** A regtest chain of BlockIndex entries over a MemoryCoins view, with the blocks and undo data it connected. */
export class TestChain {
  readonly params: ChainParams;
  readonly signer = new Signer();
  private coins = new MemoryCoins();
  readonly blocks = new Map<string, Block>();
  readonly undo = new Map<string, BlockUndo>();
  tip: BlockIndex;

  private constructor(params: ChainParams) {
    this.params = params;
    this.tip = new BlockIndex(params.genesis.header, undefined);
    this.blocks.set(this.tip.hashHex, params.genesis);
  }

  /** Genesis connected; with `matureBlocks`, that many blocks whose coinbases pay the signer (P2WPKH). */
  static async create(matureBlocks = 0, params: ChainParams = createChainParams('regtest')): Promise<TestChain> {
    const c = new TestChain(params);
    const r = await connectBlock(params.genesis, c.tip, c.coins, { params });
    if (!r.ok) throw new Error(`genesis: ${r.state.toString()}`);
    for (let i = 0; i < matureBlocks; i++) await c.mine([]);
    return c;
  }

  /** The coinbase outputs at heights 1.. that can be spent in the next block. */
  matureCoinbases(): Utxo[] {
    const out: Utxo[] = [];
    for (let h = 1; h <= this.tip.height + 1 - 100; h++) {
      const cb = this.blocks.get(this.tip.getAncestor(h)!.hashHex)!.vtx[0]!;
      const outpoint = new OutPoint(cb.txid, 0);
      const coin = this.view.getCoin(outpoint);
      if (coin) out.push({ outpoint, out: coin.out });
    }
    return out;
  }

  /** A block on `opts.prev` (default: the tip) whose coinbase claims the subsidy plus the fees of `txs`. */
  makeBlock(txs: readonly Transaction[], opts: BlockOptions = {}): { block: Block; index: BlockIndex } {
    const prev = opts.prev ?? this.tip;
    const height = prev.height + 1;
    const reward = getBlockSubsidy(height, this.params.consensus) + this.fees(txs) + (opts.coinbaseExtra ?? 0n);
    const scriptSig = opts.coinbaseScriptSig ?? Uint8Array.from([...pushIntBytes(height), Opcode.OP_0]);
    const cb = new Transaction({
      version: 2,
      vin: [new TxIn({ prevout: new OutPoint(), scriptSig })],
      vout: [new TxOut(reward, opts.coinbaseScript ?? this.signer.script('p2wpkh'))],
    });
    const block = mineBlock([cb, ...txs], prev, this.params, opts);
    return { block, index: new BlockIndex(block.header, prev) };
  }

  /** Fees of `txs`, reading inputs from the view or from earlier transactions of the list. */
  fees(txs: readonly Transaction[]): bigint {
    const local = new Map<string, TxOut>();
    let fees = 0n;
    for (const tx of txs) {
      for (const input of tx.vin) fees += (local.get(input.prevout.key()) ?? this.view.getCoin(input.prevout)?.out)?.value ?? 0n;
      tx.vout.forEach((o, n) => {
        local.set(new OutPoint(tx.txid, n).key(), o);
        fees -= o.value;
      });
    }
    return fees;
  }

  /** The chain's coins (connect() replaces it on success). */
  get view(): MemoryCoins {
    return this.coins;
  }

  /**
   * Connects `block` on a copy of the view, kept only on success (as Core connects on a child cache and flushes it
   * into the tip's only when the block is valid). On success the block becomes the tip and its undo data is kept.
   */
  async connect(block: Block, index: BlockIndex, ctx: Partial<ConnectBlockContext> = {}): Promise<ConnectBlockResult> {
    const scratch = this.coins.clone();
    const r = await connectBlock(block, index, scratch, { params: this.params, ...ctx });
    if (r.ok && !ctx.justCheck) {
      this.coins = scratch;
      this.tip = index;
      this.blocks.set(index.hashHex, block);
      this.undo.set(index.hashHex, r.undo);
    }
    return r;
  }

  /** Makes and connects a block with `txs`; throws when it is rejected. */
  async mine(txs: readonly Transaction[], ctx: Partial<ConnectBlockContext> = {}): Promise<BlockIndex> {
    const { block, index } = this.makeBlock(txs);
    const r = await this.connect(block, index, ctx);
    if (!r.ok) throw new Error(`block rejected: ${r.state.toString()}`);
    return index;
  }

  /** A signed transaction spending `inputs` to `outputs` new scripts of the given kinds, `fee` left over. */
  spend(inputs: readonly Utxo[], kinds: readonly SpendKind[], fee = 1000n, opts: { version?: number; sequence?: number; lockTime?: number } = {}): Transaction {
    const total = inputs.reduce((s, u) => s + u.out.value, 0n) - fee;
    const each = total / BigInt(kinds.length);
    const vout = kinds.map((k, i) => new TxOut(i === 0 ? total - each * BigInt(kinds.length - 1) : each, this.signer.script(k)));
    const vin = inputs.map((u) => new TxIn({ prevout: u.outpoint, sequence: opts.sequence ?? 0xfffffffd }));
    const unsigned = new Transaction({ version: opts.version ?? 2, vin, vout, lockTime: opts.lockTime ?? 0 });
    return this.signer.sign(unsigned, inputs.map((u) => u.out));
  }
}

/** The outputs of `tx` as spendable Utxos. */
export function utxosOf(tx: Transaction): Utxo[] {
  return tx.vout.map((out, n) => ({ outpoint: new OutPoint(tx.txid, n), out }));
}

/** Grinds the nonce until the regtest target is met (about every other hash). */
export function mineBlock(vtx: Transaction[], prev: BlockIndex, params: ChainParams, opts: { time?: number; version?: number } = {}): Block {
  const root = merkleRootOfBlock(new Block(new BlockHeader(), vtx)).root;
  for (let nonce = 0; ; nonce++) {
    const header = new BlockHeader({
      version: opts.version ?? 0x20000000, hashPrevBlock: prev.hash, hashMerkleRoot: root,
      time: opts.time ?? prev.time + 600, bits: 0x207fffff, nonce,
    });
    if (checkProofOfWork(header.hash, header.bits, params.consensus)) return new Block(header, vtx);
  }
}
