// Generates a regtest chain for the validation benchmark: blocks full of signed transactions of the standard kinds
// (P2WPKH, P2TR key path, P2TR script path, P2PKH, P2SH 2-of-3 multisig), written in Core's block file framing
// (network magic, size, block) so that `smithcoind -loadblock=<file>` imports it. Deterministic: same options, same
// chain. The caller caches the file.
import fs from 'node:fs';
import { hash160 } from '../../src/crypto/ripemd160.js';
import { ecdsaSign, pubkeyCreate, schnorrSign, seckeyTweakAdd, xonlyFromSeckey } from '../../src/crypto/secp256k1.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { blockMerkleRoot, blockWitnessMerkleRoot } from '../../src/consensus/merkle.js';
import { checkProofOfWork } from '../../src/consensus/pow.js';
import { getBlockSubsidy } from '../../src/consensus/subsidy.js';
import { createChainParams, type ChainParams } from '../../src/kernel/chainparams.js';
import { Block, BlockHeader } from '../../src/primitives/block.js';
import { MutableTransaction, OutPoint, Transaction, TxIn, TxOut } from '../../src/primitives/transaction.js';
import { computeTapTweakHash } from '../../src/script/interpreter_taproot.js';
import { SIGHASH_ALL, SIGHASH_DEFAULT, TAPROOT_LEAF_TAPSCRIPT } from '../../src/script/interpreter_types.js';
import { Opcode, ScriptBuilder } from '../../src/script/script.js';
import { PrecomputedTransactionData, signatureHashLegacy, signatureHashSchnorr, signatureHashWitnessV0 } from '../../src/script/sighash.js';
import { getScriptForDestination, getScriptForMultisig } from '../../src/script/standard.js';
import { controlBlock, TaprootBuilder, type TaprootLeaf, type TaprootOutput } from '../../src/script/taproot_builder.js';
import { ByteWriter } from '../../src/util/serialize.js';

export type OutputKind = 'p2wpkh' | 'p2tr-key' | 'p2tr-script' | 'p2pkh' | 'p2sh-multisig';
const KINDS: readonly OutputKind[] = ['p2wpkh', 'p2tr-key', 'p2tr-script', 'p2pkh', 'p2sh-multisig'];

/** The libsecp256k1 calls that validating one input of each kind makes (with no signature cache hits). */
export interface InputCryptoCost { ecdsa: number; schnorr: number; tweakCheck: number }

/**
 * Per kind, as signed below. The 2-of-3 multisig signs with keys 1 and 3, so OP_CHECKMULTISIG tries the second
 * signature against key 2 first (a failing verification that costs as much as a passing one).
 */
export const INPUT_CRYPTO_COST: Readonly<Record<OutputKind, InputCryptoCost>> = {
  'p2wpkh': { ecdsa: 1, schnorr: 0, tweakCheck: 0 },
  'p2pkh': { ecdsa: 1, schnorr: 0, tweakCheck: 0 },
  'p2sh-multisig': { ecdsa: 3, schnorr: 0, tweakCheck: 0 },
  'p2tr-key': { ecdsa: 0, schnorr: 1, tweakCheck: 0 },
  'p2tr-script': { ecdsa: 0, schnorr: 1, tweakCheck: 1 },
};

export interface GeneratorOptions {
  blocks: number;
  /** Non-coinbase transactions per block once coinbases have matured. */
  txsPerBlock: number;
  /** Outputs of the transaction that splits each matured coinbase. */
  fanOut: number;
  /** Called every 100 blocks. */
  progress?: (height: number, txs: number) => void;
}

export interface GeneratedChain {
  blocks: number;
  transactions: number;
  inputs: number;
  inputsByKind: Record<OutputKind, number>;
  tipHash: string;
}

interface Spendable {
  outpoint: OutPoint;
  out: TxOut;
  kind: OutputKind;
}

/** A deterministic secret whose public key has an even Y (so that taproot tweaking needs no negation). */
function evenKey(seed: number): Uint8Array {
  for (let i = 0; ; i++) {
    const sk = sha256(new TextEncoder().encode(`smithcoin bench key ${seed}/${i}`));
    if (pubkeyCreate(sk, true)[0] === 0x02) return sk;
  }
}

/** The keys and scripts of each output kind. */
class Wallet {
  readonly sk = [evenKey(1), evenKey(2), evenKey(3)];
  readonly pub = this.sk.map((k) => pubkeyCreate(k, true));
  readonly redeem = getScriptForMultisig(2, this.pub);
  readonly leafScript = new ScriptBuilder().pushData(xonlyFromSeckey(this.sk[1]!)).op(Opcode.OP_CHECKSIG).build();
  readonly tree: TaprootOutput;
  readonly leaf: TaprootLeaf;
  readonly keyPathSecret: Uint8Array;
  readonly scripts: Record<OutputKind, Uint8Array>;

  constructor() {
    const internal = xonlyFromSeckey(this.sk[0]!);
    this.tree = new TaprootBuilder().add(0, this.leafScript, TAPROOT_LEAF_TAPSCRIPT).finalize(internal);
    this.leaf = this.tree.leaves[0]!;
    this.keyPathSecret = seckeyTweakAdd(this.sk[0]!, computeTapTweakHash(internal, this.tree.merkleRoot))!;
    const pkh = hash160(this.pub[0]!);
    const taproot = getScriptForDestination({ type: 'witness_v1_taproot', program: this.tree.outputKey });
    this.scripts = {
      'p2wpkh': getScriptForDestination({ type: 'witness_v0_keyhash', hash: pkh }),
      'p2tr-key': taproot,
      'p2tr-script': taproot,
      'p2pkh': getScriptForDestination({ type: 'pkhash', hash: pkh }),
      'p2sh-multisig': getScriptForDestination({ type: 'scripthash', hash: hash160(this.redeem) }),
    };
  }

  /** Signs every input of `mtx` spending `spent`. */
  sign(mtx: MutableTransaction, spent: readonly Spendable[]): Transaction {
    const unsigned = mtx.toTransaction();
    const outs = spent.map((s) => s.out);
    const txdata = PrecomputedTransactionData.from(unsigned, outs, true);
    spent.forEach((s, i) => this.signInput(mtx, unsigned, i, s, txdata));
    return mtx.toTransaction();
  }

  private ecdsa(hash: Uint8Array, sk: Uint8Array): Uint8Array {
    const der = ecdsaSign(hash, sk);
    return Uint8Array.from([...der, SIGHASH_ALL]);
  }

  private signInput(mtx: MutableTransaction, tx: Transaction, i: number, s: Spendable, txdata: PrecomputedTransactionData): void {
    switch (s.kind) {
      case 'p2wpkh': {
        const code = getScriptForDestination({ type: 'pkhash', hash: hash160(this.pub[0]!) });
        const sig = this.ecdsa(signatureHashWitnessV0(code, tx, i, SIGHASH_ALL, s.out.value, txdata), this.sk[0]!);
        mtx.setWitness(i, [sig, this.pub[0]!]);
        return;
      }
      case 'p2pkh': {
        const sig = this.ecdsa(signatureHashLegacy(s.out.scriptPubKey, tx, i, SIGHASH_ALL), this.sk[0]!);
        mtx.setScriptSig(i, new ScriptBuilder().pushData(sig).pushData(this.pub[0]!).build());
        return;
      }
      case 'p2sh-multisig': {
        const hash = signatureHashLegacy(this.redeem, tx, i, SIGHASH_ALL);
        const b = new ScriptBuilder().op(Opcode.OP_0).pushData(this.ecdsa(hash, this.sk[0]!)).pushData(this.ecdsa(hash, this.sk[2]!));
        mtx.setScriptSig(i, b.pushData(this.redeem).build());
        return;
      }
      case 'p2tr-key': {
        const hash = signatureHashSchnorr(tx, i, SIGHASH_DEFAULT, 'taproot', txdata, { annexPresent: false })!;
        mtx.setWitness(i, [schnorrSign(hash, this.keyPathSecret)]);
        return;
      }
      case 'p2tr-script': {
        const exec = { annexPresent: false, tapleafHash: this.leaf.leafHash, codeseparatorPos: 0xffffffff };
        const hash = signatureHashSchnorr(tx, i, SIGHASH_DEFAULT, 'tapscript', txdata, exec)!;
        mtx.setWitness(i, [schnorrSign(hash, this.sk[1]!), this.leafScript, controlBlock(this.tree, this.leaf)]);
        return;
      }
    }
  }
}

const FEE = 300n;

/** Block construction: coinbase with the BIP34 height and a witness commitment, then proof of work. */
function makeBlock(params: ChainParams, prev: BlockHeader, height: number, txs: Transaction[], fees: bigint, payTo: Uint8Array): Block {
  const coinbaseSig = new ScriptBuilder().pushInt(height).op(Opcode.OP_0).build();
  const value = getBlockSubsidy(height, params.consensus) + fees;
  const placeholder = new Transaction({ vin: [new TxIn({ prevout: new OutPoint(), scriptSig: coinbaseSig }).withWitness([new Uint8Array(32)])], vout: [new TxOut(value, payTo)] });
  const witnessRoot = blockWitnessMerkleRoot([new Uint8Array(32), ...txs.map((t) => t.wtxid)]);
  const commitment = sha256(sha256(Uint8Array.from([...witnessRoot, ...new Uint8Array(32)])));
  const commitmentScript = Uint8Array.from([Opcode.OP_RETURN, 0x24, 0xaa, 0x21, 0xa9, 0xed, ...commitment]);
  const coinbase = new Transaction({ version: 2, vin: placeholder.vin, vout: [...placeholder.vout, new TxOut(0n, commitmentScript)] });
  const all = [coinbase, ...txs];
  const merkleRoot = blockMerkleRoot(all.map((t) => t.txid)).root;
  for (let nonce = 0; ; nonce++) {
    const header = new BlockHeader({ version: 0x20000000, hashPrevBlock: prev.hash, hashMerkleRoot: merkleRoot, time: prev.time + 1, bits: params.genesis.header.bits, nonce });
    if (checkProofOfWork(header.hash, header.bits, params.consensus)) return new Block(header, all);
  }
}

/** Splits `input` into `n` outputs of rotating kinds (fewer when the value is small). */
function splitOutputs(wallet: Wallet, value: bigint, n: number, rotation: number): Array<{ kind: OutputKind; out: TxOut }> {
  const count = value > BigInt(n) * 2000n ? n : 1;
  const each = (value - FEE) / BigInt(count);
  return Array.from({ length: count }, (_, k) => {
    const kind = KINDS[(rotation + k) % KINDS.length]!;
    return { kind, out: new TxOut(each, wallet.scripts[kind]) };
  });
}

/** Builds one signed transaction and records its outputs as spendable from the next block on. */
function spend(wallet: Wallet, inputs: Spendable[], outputs: number, rotation: number, next: Spendable[]): Transaction {
  const mtx = new MutableTransaction({ version: 2 });
  for (const s of inputs) mtx.addInput(s.outpoint, new Uint8Array(0), 0xfffffffe);
  const total = inputs.reduce((a, s) => a + s.out.value, 0n);
  const outs = splitOutputs(wallet, total, outputs, rotation);
  for (const o of outs) mtx.addOutput(o.out.value, o.out.scriptPubKey);
  const tx = wallet.sign(mtx, inputs);
  outs.forEach((o, k) => next.push({ outpoint: new OutPoint(tx.txid, k), out: o.out, kind: o.kind }));
  return tx;
}

/** Writes the chain to `file` (Core's block file framing) and returns its figures. */
export function generateChain(file: string, opts: GeneratorOptions): GeneratedChain {
  const params = createChainParams('regtest');
  const wallet = new Wallet();
  const fd = fs.openSync(file, 'w');
  const figures: GeneratedChain = { blocks: 0, transactions: 0, inputs: 0, inputsByKind: { 'p2wpkh': 0, 'p2tr-key': 0, 'p2tr-script': 0, 'p2pkh': 0, 'p2sh-multisig': 0 }, tipHash: '' };
  const coinbases: Spendable[] = [];
  let pool: Spendable[] = [];
  let prev = params.genesis.header;
  try {
    for (let height = 1; height <= opts.blocks; height++) {
      const next: Spendable[] = [];
      const txs: Transaction[] = [];
      let fees = 0n;
      const matured = height > 100 ? coinbases[height - 101] : undefined;
      if (matured) {
        txs.push(spend(wallet, [matured], opts.fanOut, height, next));
        fees += FEE;
      }
      for (let t = 0; t < opts.txsPerBlock && pool.length > 0; t++) {
        const inputs = pool.splice(0, pool.length > 1 && t % 3 === 0 ? 2 : 1);
        for (const s of inputs) figures.inputsByKind[s.kind]++;
        txs.push(spend(wallet, inputs, 2, height + t, next));
        fees += FEE;
      }
      const block = makeBlock(params, prev, height, txs, fees, wallet.scripts['p2wpkh']);
      writeFramed(fd, params.messageStart, block.toBytes());
      const cb = block.vtx[0]!;
      coinbases.push({ outpoint: new OutPoint(cb.txid, 0), out: cb.vout[0]!, kind: 'p2wpkh' });
      if (matured) figures.inputsByKind['p2wpkh']++;
      pool = [...pool, ...next];
      figures.blocks = height;
      figures.transactions += txs.length;
      figures.inputs += txs.reduce((a, t) => a + t.vin.length, 0);
      prev = block.header;
      if (height % 100 === 0) opts.progress?.(height, figures.transactions);
    }
  } finally {
    fs.closeSync(fd);
  }
  figures.tipHash = prev.hashHex();
  return figures;
}

function writeFramed(fd: number, magic: Uint8Array, block: Uint8Array): void {
  const w = new ByteWriter(8 + block.length);
  w.writeBytes(magic).writeU32LE(block.length).writeBytes(block);
  fs.writeSync(fd, w.toBytes());
}
