// Signature hash tests: Core's sighash.json (legacy), BIP143 examples, BIP341 key-path wallet vectors.
import assert from 'node:assert/strict';
import { Transaction, TxOut } from '../../../src/primitives/transaction.js';
import {
  MissingDataBehavior,
  PrecomputedTransactionData,
  SIGHASH_ALL,
  SIGHASH_ANYONECANPAY,
  SIGHASH_NONE,
  SIGHASH_SINGLE,
  signatureHashLegacy,
  signatureHashSchnorr,
  signatureHashWitnessV0,
  signatureMessageSchnorr,
  uint256One,
} from '../../../src/script/sighash.js';
import { SigVersion } from '../../../src/script/interpreter_types.js';
import { findAndDelete, findAndDeletePush, writeScriptCodeLegacy } from '../../../src/script/sighash_scriptops.js';
import { pushDataBytes } from '../../../src/script/script.js';
import { concatBytes } from '../../../src/crypto/bytes.js';
import { ByteWriter } from '../../../src/util/serialize.js';
import { bytesToHex, hashToHex, hexToBytes } from '../../../src/util/hex.js';
import { readTestJson } from '../util/paths.js';

const counts: string[] = [];

describe('sighash: legacy (sighash.json)', () => {
  after(() => console.log(`      ${counts.join(', ')}`));

  it('matches every sighash.json case', () => {
    const rows = readTestJson<unknown[][]>('sighash.json');
    let n = 0;
    for (const row of rows) {
      if (row.length === 1) continue; // comment
      const [rawTx, script, nIn, hashType, expected] = row as [string, string, number, number, string];
      const tx = Transaction.fromHex(rawTx);
      assert.equal(tx.toHex(), rawTx, 'round trip');
      const got = signatureHashLegacy(hexToBytes(script), tx, nIn, hashType);
      assert.equal(hashToHex(got), expected, `case ${n}: ${rawTx.slice(0, 24)}… in ${nIn} type ${hashType}`);
      n++;
    }
    assert.equal(n, 500);
    counts.push(`sighash.json: ${n} cases`);
  });

  it('gives the same hashes when a huge message came between (the writers are reused)', () => {
    const rows = readTestJson<unknown[][]>('sighash.json').filter((r) => r.length > 1).slice(0, 20) as [string, string, number, number, string][];
    const hashAll = () => rows.map(([rawTx, script, nIn, hashType]) => hashToHex(signatureHashLegacy(hexToBytes(script), Transaction.fromHex(rawTx), nIn, hashType)));
    const first = hashAll();
    assert.deepEqual(first, rows.map((r) => r[4]));
    const [rawTx, , nIn] = rows[0]!;
    signatureHashLegacy(new Uint8Array(200_000).fill(0x51), Transaction.fromHex(rawTx), nIn, SIGHASH_ALL);
    assert.deepEqual(hashAll(), first);
  });

  it('returns uint256 one for SIGHASH_SINGLE without a matching output', () => {
    const tx = new Transaction({
      vin: [0, 1].map((i) => Transaction.fromHex(oneInOneOut(i)).vin[0]!),
      vout: [new TxOut(1n, new Uint8Array([0x51]))],
    });
    assert.deepEqual(signatureHashLegacy(new Uint8Array([0x51]), tx, 1, SIGHASH_SINGLE), uint256One());
    assert.equal(hashToHex(uint256One()), '0000000000000000000000000000000000000000000000000000000000000001');
    assert.notDeepEqual(signatureHashLegacy(new Uint8Array([0x51]), tx, 0, SIGHASH_SINGLE), uint256One());
  });

  it('drops OP_CODESEPARATOR from scriptCode but keeps the script otherwise', () => {
    const tx = Transaction.fromHex(oneInOneOut(0));
    const withSep = hexToBytes('51ab52ab');
    const without = hexToBytes('5152');
    assert.deepEqual(signatureHashLegacy(withSep, tx, 0, SIGHASH_ALL), signatureHashLegacy(without, tx, 0, SIGHASH_ALL));
    // 0xab inside a push is data, not a separator.
    const pushed = hexToBytes('01ab');
    assert.notDeepEqual(signatureHashLegacy(pushed, tx, 0, SIGHASH_ALL), signatureHashLegacy(new Uint8Array([1]), tx, 0, SIGHASH_ALL));
  });

  it('rejects an input index out of range', () => {
    const tx = Transaction.fromHex(oneInOneOut(0));
    assert.throws(() => signatureHashLegacy(new Uint8Array(0), tx, 1, SIGHASH_ALL), RangeError);
  });
});

/** A one-input, one-output transaction whose input spends <txid 11..11>:n. */
function oneInOneOut(n: number): string {
  const prev = '11'.repeat(32);
  const idx = n.toString(16).padStart(2, '0') + '000000';
  return `01000000${'01'}${prev}${idx}00ffffffff01${'0100000000000000'}0151${'00000000'}`;
}

// BIP143 "Native P2WPKH" example (second input).
const BIP143_P2WPKH = {
  tx: '0100000002fff7f7881a8099afa6940d42d1e7f6362bec38171ea3edf433541db4e4ad969f0000000000eeffffffef51e1b804cc89d182d279655c3aa89e815b1b309fe287d9b2b55d57b90ec68a0100000000ffffffff02202cb206000000001976a9148280b37df378db99f66f85c95a783a76ac7a6d5988ac9093510d000000001976a9143bde42dbee7e4dbe6a21b2d50ce2f0167faa815988ac11000000',
  scriptCode: '76a9141d0f172a0ecb48aee1be1f2687d2963ae33f71a188ac',
  amount: 600000000n,
  hashPrevouts: '96b827c8483d4e9b96712b6713a7b68d6e8003a781feba36c31143470b4efd37',
  hashSequence: '52b0a642eea2fb7ae638c36f6252b6750293dbe574a806984b8e4d8548339a3b',
  hashOutputs: '863ef3e1a92afbfdb97f31ad0fc7683ee943e9abcf2501590ff8f6551f47e5e5',
  sigHash: 'c37af31116d1b27caf68aae9e3ac82f1477929014d5b917657d0eb49478cb670',
};

describe('sighash: witness v0 (BIP143)', () => {
  it('matches the BIP143 native P2WPKH example', () => {
    const tx = Transaction.fromHex(BIP143_P2WPKH.tx);
    const txdata = PrecomputedTransactionData.from(tx, [], true);
    assert.equal(txdata.bip143Ready, true);
    assert.equal(txdata.bip341Ready, false, 'no spent outputs: no taproot data');
    assert.equal(bytesToHex(txdata.hashPrevouts), BIP143_P2WPKH.hashPrevouts);
    assert.equal(bytesToHex(txdata.hashSequence), BIP143_P2WPKH.hashSequence);
    assert.equal(bytesToHex(txdata.hashOutputs), BIP143_P2WPKH.hashOutputs);
    const sc = hexToBytes(BIP143_P2WPKH.scriptCode);
    const got = signatureHashWitnessV0(sc, tx, 1, SIGHASH_ALL, BIP143_P2WPKH.amount, txdata);
    assert.equal(bytesToHex(got), BIP143_P2WPKH.sigHash);
    assert.equal(bytesToHex(signatureHashWitnessV0(sc, tx, 1, SIGHASH_ALL, BIP143_P2WPKH.amount)), BIP143_P2WPKH.sigHash);
  });

  it('gives the same hash with and without precomputation for every hash type', () => {
    const tx = Transaction.fromHex(BIP143_P2WPKH.tx);
    const txdata = PrecomputedTransactionData.from(tx, [], true);
    const sc = hexToBytes(BIP143_P2WPKH.scriptCode);
    const seen = new Set<string>();
    for (const base of [SIGHASH_ALL, SIGHASH_NONE, SIGHASH_SINGLE, 0, 4]) {
      for (const acp of [0, SIGHASH_ANYONECANPAY]) {
        for (const nIn of [0, 1]) {
          const ht = base | acp;
          const a = signatureHashWitnessV0(sc, tx, nIn, ht, 5n, txdata);
          const b = signatureHashWitnessV0(sc, tx, nIn, ht, 5n, null);
          assert.deepEqual(a, b);
          seen.add(bytesToHex(a));
        }
      }
    }
    assert.equal(seen.size, 20, 'every (type, input) pair commits to something different');
  });

  it('commits to the amount', () => {
    const tx = Transaction.fromHex(BIP143_P2WPKH.tx);
    const sc = hexToBytes(BIP143_P2WPKH.scriptCode);
    assert.notDeepEqual(signatureHashWitnessV0(sc, tx, 1, SIGHASH_ALL, 1n), signatureHashWitnessV0(sc, tx, 1, SIGHASH_ALL, 2n));
  });
});

interface KeyPathGroup {
  given: { rawUnsignedTx: string; utxosSpent: Array<{ scriptPubKey: string; amountSats: number }> };
  intermediary: Record<'hashAmounts' | 'hashOutputs' | 'hashPrevouts' | 'hashScriptPubkeys' | 'hashSequences', string>;
  inputSpending: Array<{
    given: { txinIndex: number; hashType: number };
    intermediary: { sigMsg: string; sigHash: string; precomputedUsed?: string[] };
  }>;
  auxiliary: { fullySignedTx: string };
}

function keyPathGroup(spend: KeyPathGroup): { tx: Transaction; spent: TxOut[] } {
  const tx = Transaction.fromHex(spend.given.rawUnsignedTx);
  return { tx, spent: spend.given.utxosSpent.map((u) => new TxOut(BigInt(u.amountSats), hexToBytes(u.scriptPubKey))) };
}

describe('sighash: taproot (BIP341 wallet vectors)', () => {
  const groups = readTestJson<{ keyPathSpending: KeyPathGroup[] }>('bip341_wallet_vectors.json').keyPathSpending;
  let inputs = 0;
  after(() => console.log(`      bip341_wallet_vectors.json: ${groups.length} key-path group(s), ${inputs} key-path inputs`));

  it('has every key-path group and input of the vector file', () => {
    assert.equal(groups.length, 1);
    assert.equal(groups.reduce((n, g) => n + g.inputSpending.length, 0), 7);
  });

  groups.forEach((spend, g) => {
    const { tx, spent } = keyPathGroup(spend);

    it(`group ${g}: computes the intermediary hashes`, () => {
      const d = PrecomputedTransactionData.from(tx, spent, true);
      assert.equal(d.bip341Ready, true);
      assert.equal(bytesToHex(d.spentAmountsSingleHash), spend.intermediary.hashAmounts);
      assert.equal(bytesToHex(d.outputsSingleHash), spend.intermediary.hashOutputs);
      assert.equal(bytesToHex(d.prevoutsSingleHash), spend.intermediary.hashPrevouts);
      assert.equal(bytesToHex(d.spentScriptsSingleHash), spend.intermediary.hashScriptPubkeys);
      assert.equal(bytesToHex(d.sequencesSingleHash), spend.intermediary.hashSequences);
    });

    it(`group ${g}: computes every input sigMsg and sigHash`, () => {
      const d = PrecomputedTransactionData.from(tx, spent, true);
      const names = Object.keys(spend.intermediary) as Array<keyof typeof spend.intermediary>;
      for (const inp of spend.inputSpending) {
        const { txinIndex, hashType } = inp.given;
        const msg = signatureMessageSchnorr(tx, txinIndex, hashType, 'taproot', d, { annexPresent: false });
        assert.ok(msg);
        assert.equal(bytesToHex(msg), inp.intermediary.sigMsg, `sigMsg of input ${txinIndex}`);
        const hash = signatureHashSchnorr(tx, txinIndex, hashType, SigVersion.TAPROOT, d, { annexPresent: false });
        assert.ok(hash);
        assert.equal(bytesToHex(hash), inp.intermediary.sigHash, `sigHash of input ${txinIndex}`);
        // The message contains exactly the precomputed hashes the vector says were used.
        const used = new Set(inp.intermediary.precomputedUsed ?? []);
        for (const name of names) {
          assert.equal(inp.intermediary.sigMsg.includes(spend.intermediary[name]), used.has(name), `${name} in input ${txinIndex}`);
        }
        inputs++;
      }
    });

    it(`group ${g}: precomputes taproot data from the witnesses alone when spent outputs are given`, () => {
      const signed = Transaction.fromHex(spend.auxiliary.fullySignedTx);
      const d = PrecomputedTransactionData.from(signed, spent);
      assert.equal(d.bip341Ready, true);
      const none = PrecomputedTransactionData.from(tx, spent);
      assert.equal(none.bip341Ready, false, 'no witnesses: nothing to precompute');
      assert.equal(none.bip143Ready, false);
    });
  });
});

describe('sighash: taproot edge cases (on the first BIP341 key-path transaction)', () => {
  const group = readTestJson<{ keyPathSpending: KeyPathGroup[] }>('bip341_wallet_vectors.json').keyPathSpending[0]!;
  const { tx, spent } = keyPathGroup(group);

  it('precomputes BIP143 data too for the P2WPKH input of the signed transaction', () => {
    assert.equal(PrecomputedTransactionData.from(Transaction.fromHex(group.auxiliary.fullySignedTx), spent).bip143Ready, true);
  });

  it('fails exactly where Core returns false', () => {
    const d = PrecomputedTransactionData.from(tx, spent, true);
    const exec = { annexPresent: false };
    for (const bad of [4, 0x7f, 0x80, 0x84, 0xff, 0x100]) {
      assert.equal(signatureHashSchnorr(tx, 0, bad, 'taproot', d, exec), null, `hash type ${bad}`);
    }
    for (const good of [0, 1, 2, 3, 0x81, 0x82, 0x83]) {
      assert.ok(signatureHashSchnorr(tx, 0, good, 'taproot', d, exec), `hash type ${good}`);
    }
    // SIGHASH_SINGLE needs an output at the input's index (the tx has 2 outputs).
    assert.equal(signatureHashSchnorr(tx, 2, SIGHASH_SINGLE, 'taproot', d, exec), null);
    assert.equal(signatureHashSchnorr(tx, 2, SIGHASH_SINGLE | SIGHASH_ANYONECANPAY, 'taproot', d, exec), null);
    // Missing precomputed data.
    const empty = new PrecomputedTransactionData();
    assert.equal(signatureHashSchnorr(tx, 0, 0, 'taproot', empty, exec), null);
    assert.throws(() => signatureHashSchnorr(tx, 0, 0, 'taproot', empty, exec, MissingDataBehavior.ASSERT_FAIL), /Missing data/);
  });

  it('commits to the annex and the tapscript fields', () => {
    const d = PrecomputedTransactionData.from(tx, spent, true);
    const base = signatureMessageSchnorr(tx, 0, 0, 'taproot', d, { annexPresent: false })!;
    const annexHash = new Uint8Array(32).fill(7);
    const withAnnex = signatureMessageSchnorr(tx, 0, 0, 'taproot', d, { annexPresent: true, annexHash })!;
    assert.equal(withAnnex.length, base.length + 32);
    assert.deepEqual(withAnnex.subarray(withAnnex.length - 32), annexHash);
    const spendTypeAt = base.length - 5; // spend_type, then the 4-byte input index
    assert.equal(base[spendTypeAt], 0);
    assert.equal(withAnnex[spendTypeAt], 1);

    const leaf = new Uint8Array(32).fill(9);
    const ts = signatureMessageSchnorr(tx, 0, 0, 'tapscript', d, { annexPresent: false, tapleafHash: leaf, codeseparatorPos: 0xffffffff })!;
    assert.equal(ts.length, base.length + 37);
    assert.equal(ts[spendTypeAt], 2, 'ext_flag 1');
    assert.deepEqual(ts.subarray(base.length, base.length + 32), leaf);
    assert.equal(ts[base.length + 32], 0, 'key_version');
    assert.equal(bytesToHex(ts.subarray(base.length + 33)), 'ffffffff');
    assert.throws(() => signatureMessageSchnorr(tx, 0, 0, 'tapscript', d, { annexPresent: false }), /tapleafHash/);
  });

  it('caches the single output hash in execdata', () => {
    const d = PrecomputedTransactionData.from(tx, spent, true);
    const exec: { annexPresent: boolean; outputHash?: Uint8Array } = { annexPresent: false };
    const first = signatureHashSchnorr(tx, 1, SIGHASH_SINGLE, 'taproot', d, exec);
    assert.ok(exec.outputHash);
    assert.deepEqual(signatureHashSchnorr(tx, 1, SIGHASH_SINGLE, 'taproot', d, exec), first);
  });
});

describe('sighash: FindAndDelete and legacy scriptCode serialization', () => {
  const fad = (script: string, needle: string): [string, number] => {
    const r = findAndDelete(hexToBytes(script), hexToBytes(needle));
    return [bytesToHex(r.script), r.found];
  };

  it('deletes only matches that start on opcode boundaries', () => {
    assert.deepEqual(fad('0302ff03', '0302ff03'), ['', 1]);
    assert.deepEqual(fad('0302ff030302ff03', '0302ff03'), ['', 2]);
    assert.deepEqual(fad('0302ff030302ff03', '02'), ['0302ff030302ff03', 0]);
    assert.deepEqual(fad('0302ff030302ff03', 'ff'), ['0302ff030302ff03', 0]);
    // After the leading 0x03 is deleted, the next boundary is the 0x02 push; the next 0x03 is again at a boundary.
    assert.deepEqual(fad('0302ff030302ff03', '03'), ['02ff0302ff03', 2]);
    assert.deepEqual(fad('0003feed', '03feed'), ['00', 1]);
    assert.deepEqual(fad('0003feed', '00'), ['03feed', 1]);
    assert.deepEqual(fad('51', ''), ['51', 0]);
    // A truncated push stops the walk; the rest is kept as is.
    assert.deepEqual(fad('51514d01', '51'), ['4d01', 2]);
    assert.deepEqual(fad('4d0151', '51'), ['4d0151', 0]);
  });

  it('removes a signature push exactly as FindAndDelete of the built push, found or not', () => {
    const sig = Uint8Array.from({ length: 71 }, (_, i) => (i * 29 + 48) & 0xff);
    const push = pushDataBytes(sig);
    const key = Uint8Array.from({ length: 33 }, (_, i) => (i === 0 ? 2 : i));
    const scripts = [
      new Uint8Array(0),
      concatBytes(push),
      concatBytes(push, push, Uint8Array.of(0x51)),
      concatBytes(Uint8Array.of(0x52), pushDataBytes(key), Uint8Array.of(0xae)),
      // The signature bytes are there but not as a push at an opcode boundary: nothing to delete.
      concatBytes(Uint8Array.of(0x4c, 72), sig, Uint8Array.of(0x75)),
      concatBytes(pushDataBytes(concatBytes(Uint8Array.of(1), sig))),
    ];
    for (const data of [sig, new Uint8Array(0), key]) {
      for (const script of scripts) {
        assert.deepEqual(findAndDeletePush(script, data), findAndDelete(script, pushDataBytes(data)));
      }
    }
    assert.equal(findAndDeletePush(concatBytes(push, push, Uint8Array.of(0x51)), sig).found, 2);
  });

  const ser = (script: string): string => {
    const w = new ByteWriter();
    writeScriptCodeLegacy(w, hexToBytes(script));
    return bytesToHex(w.toBytes());
  };

  it('serializes scriptCode like Core, including after a truncated push', () => {
    assert.equal(ser('5152'), '025152');
    assert.equal(ser('ab51ab52ab'), '025152');
    assert.equal(ser('51ab4c'), '02514c');
    // PUSHDATA2 with one length byte: Core's iterator stops after the opcode, so the last byte is not
    // written although the length prefix still counts it.
    assert.equal(ser('514d01'), '03514d');
    assert.equal(ser('ab4d01'), '024d');
  });
});
