// Signet block solutions (BIP325): the default signet's first blocks pass CheckBlock, a tampered solution fails
// with Core's reason, and other challenges (OP_TRUE, a 2-of-2 of the default keys) judge the same blocks.

import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { checkBlock } from '../../../src/consensus/block_check.js';
import { BlockValidationState } from '../../../src/consensus/validation.js';
import { getWitnessCommitmentIndex } from '../../../src/consensus/witness_commitment.js';
import { createChainParams } from '../../../src/kernel/chainparams.js';
import { Block, BlockHeader } from '../../../src/primitives/block.js';
import { MutableTransaction, OutPoint, TxIn, TxOut } from '../../../src/primitives/transaction.js';
import { SIGNET_HEADER, checkSignetBlockSolution, createSignetTxs, fetchAndClearCommitmentSection } from '../../../src/signet.js';
import { bytesToHex, hashToHex, hexToBytes } from '../../../src/util/hex.js';
import { readTestJson } from '../util/paths.js';

const blocks = readTestJson<{ blocks: string[] }>('signet_blocks.json').blocks.map((h) => Block.fromHex(h));
const signet = createChainParams('signet');
const DEFAULT_CHALLENGE = bytesToHex(signet.consensus.signetChallenge);
const HEIGHT1_HASH = '00000086d6b2636cb2a392d45edc4ec544a10024d30141c9adf4bfd9de533b53';

/** `block` with byte `offset` of its signet solution (counted from the end of the commitment script) flipped. */
function tamperSolution(block: Block, fromEnd: number): Block {
  const cb = block.vtx[0]!;
  const cidx = getWitnessCommitmentIndex(block);
  const script = cb.vout[cidx]!.scriptPubKey.slice();
  script[script.length - fromEnd]! ^= 0x01;
  const vout = cb.vout.map((o, i) => (i === cidx ? new TxOut(o.value, script) : o));
  const tampered = new MutableTransaction({ version: cb.version, vin: cb.vin, vout, lockTime: cb.lockTime }).toTransaction();
  return new Block(block.header, [tampered, ...block.vtx.slice(1)]);
}

function check(block: Block, challengeHex?: string): string {
  const params = challengeHex === undefined ? signet : createChainParams('signet', { signetChallenge: [challengeHex] });
  const state = new BlockValidationState();
  return checkBlock(block, state, params.consensus) ? 'valid' : state.toString();
}

/** A block on the OP_TRUE signet's genesis whose coinbase has a witness commitment and, maybe, a solution push. */
function opTrueBlock(solution?: Uint8Array): Block {
  const commitment = new Uint8Array([0x6a, 0x24, 0xaa, 0x21, 0xa9, 0xed, ...new Uint8Array(32)]);
  const withSolution = solution === undefined ? commitment
    : new Uint8Array([...commitment, 4 + solution.length, ...SIGNET_HEADER, ...solution]);
  const cb = new MutableTransaction({ version: 1, lockTime: 0 });
  cb.vin.push(new TxIn({ prevout: new OutPoint(), scriptSig: Uint8Array.of(0x51, 0x00), witness: [new Uint8Array(32)] }));
  cb.vout.push(new TxOut(0n, withSolution));
  const genesis = createChainParams('signet', { signetChallenge: ['51'] }).genesis;
  return new Block(new BlockHeader({ version: 0x20000000, hashPrevBlock: genesis.hash, time: genesis.header.time + 1 }), [cb.toTransaction()]);
}

describe('signet block solution (CheckSignetBlockSolution)', () => {
  it('the default signet accepts its first blocks through CheckBlock', () => {
    assert.equal(hashToHex(blocks[0]!.hash), HEIGHT1_HASH);
    assert.equal(hashToHex(blocks[0]!.header.hashPrevBlock), hashToHex(signet.genesis.hash));
    for (const block of blocks) assert.equal(check(block), 'valid');
    assert.equal(checkSignetBlockSolution(signet.genesis, signet.consensus), true, 'the genesis block needs no solution');
  });

  it('a tampered solution fails with bad-signet-blksig (the header, and so the proof of work, unchanged)', () => {
    // The default challenge is a bare 1-of-2 multisig: the solution is a scriptSig (OP_0 <signature>) and an
    // empty witness. From the end: the witness count (then the solution does not parse), the sighash type, a
    // byte inside the signature.
    for (const fromEnd of [1, 2, 10]) {
      assert.equal(check(tamperSolution(blocks[0]!, fromEnd)), 'bad-signet-blksig, signet block signature validation failure');
    }
    // The same block on another chain's rules: a solution for other keys is no solution.
    const twoOfTwo = `52${DEFAULT_CHALLENGE.slice(2)}`;
    assert.equal(check(blocks[0]!, twoOfTwo), 'bad-signet-blksig, signet block signature validation failure');
  });

  it('an OP_TRUE challenge needs no solution, and rejects a witness it did not ask for', () => {
    const params = createChainParams('signet', { signetChallenge: ['51'] }).consensus;
    assert.equal(checkSignetBlockSolution(opTrueBlock(), params), true);
    // An empty scriptSig and no witness, given explicitly, is the same solution.
    assert.equal(checkSignetBlockSolution(opTrueBlock(Uint8Array.of(0x00, 0x00)), params), true);
    // Default signet block 1's scriptSig only pushes data, so OP_TRUE still ends true.
    assert.equal(checkSignetBlockSolution(blocks[0]!, params), true);
    // A witness stack ([01]) for a challenge that is no witness program: SCRIPT_ERR_WITNESS_UNEXPECTED.
    assert.equal(checkSignetBlockSolution(opTrueBlock(Uint8Array.of(0x00, 0x01, 0x01, 0x01)), params), false);
    // The default challenge wants a signature.
    assert.equal(checkSignetBlockSolution(opTrueBlock(), signet.consensus), false);
  });

  it('a solution that does not parse, or no witness commitment, is invalid', () => {
    const params = createChainParams('signet', { signetChallenge: ['51'] }).consensus;
    assert.equal(checkSignetBlockSolution(opTrueBlock(Uint8Array.of(0x00, 0x00, 0x00)), params), false, 'extraneous data');
    assert.equal(checkSignetBlockSolution(opTrueBlock(Uint8Array.of(0x05, 0x00)), params), false, 'truncated scriptSig');
    const noCommitment = opTrueBlock();
    const cb = noCommitment.vtx[0]!;
    const bare = new MutableTransaction({ version: cb.version, vin: cb.vin, vout: [new TxOut(0n, Uint8Array.of(0x51))], lockTime: 0 });
    assert.equal(createSignetTxs(new Block(noCommitment.header, [bare.toTransaction()]), params.signetChallenge), undefined);
  });

  it('the solution is cut out of the commitment, which is re-encoded with minimal pushes', () => {
    const script = hexToBytes(`6a4c04aaaaaaaa06${bytesToHex(SIGNET_HEADER)}beef4c00`);
    const found = fetchAndClearCommitmentSection(SIGNET_HEADER, script);
    assert.ok(found);
    assert.equal(bytesToHex(found.section), 'beef');
    assert.equal(bytesToHex(found.script), `6a04aaaaaaaa04${bytesToHex(SIGNET_HEADER)}4c`);
    // The header alone, with nothing after it, is not a solution.
    assert.equal(fetchAndClearCommitmentSection(SIGNET_HEADER, hexToBytes(`04${bytesToHex(SIGNET_HEADER)}`)), undefined);
  });
});
