// Chain parameters: genesis blocks rebuilt from their parameters, magic bytes, ports, heights and regtest options.

import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { DeploymentPos, difficultyAdjustmentInterval } from '../../../src/consensus/params.js';
import { getCompact, setCompact } from '../../../src/consensus/pow.js';
import {
  CHAIN_TYPES,
  ChainParamsError,
  baseChainParams,
  createChainParams,
  getNetworkForMagic,
  signetMessageStart,
} from '../../../src/kernel/chainparams.js';
import { bytesToHex, hashToHex, hexToBytes } from '../../../src/util/hex.js';

const GENESIS: Record<string, [string, string]> = {
  main: ['000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f', '4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b'],
  test: ['000000000933ea01ad0ee984209779baaec3ced90fa3f408719526f8d77f4943', '4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b'],
  testnet4: ['00000000da84f2bafbbc53dee25a72ae507ff4914b867c565be350b0da8bf043', '7aa0a7ae1e223414cb807e40cd57e667b718e42aaf9306db9102fe28912b7b4e'],
  signet: ['00000008819873e925422c1ff0f99f7cc9bbb232af63a077a480a3633bee1ef6', '4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b'],
  regtest: ['0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206', '4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b'],
};

/** The whole mainnet genesis block as Core serializes it (getblock <hash> 0). */
const MAIN_GENESIS_HEX =
  '0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c' +
  '0101000000010000000000000000000000000000000000000000000000000000000000000000ffffffff4d04ffff001d0104455468652054696d65732030332f4a616e2f32303039204368616e63656c6c6f72206f6e206272696e6b206f66207365636f6e64206261696c6f757420666f722062616e6b73ffffffff0100f2052a01000000434104678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5fac00000000';

describe('chain parameters', () => {
  for (const chain of CHAIN_TYPES) {
    it(`${chain}: genesis hash and merkle root`, () => {
      const p = createChainParams(chain);
      const [hash, root] = GENESIS[chain]!;
      assert.equal(p.genesis.hashHex(), hash);
      assert.equal(hashToHex(p.genesis.header.hashMerkleRoot), root);
      assert.equal(hashToHex(p.consensus.hashGenesisBlock), hash);
      assert.equal(p.chainType, chain);
    });

    it(`${chain}: sane proof-of-work parameters (pow_tests sanity_check_chainparams)`, () => {
      const c = createChainParams(chain).consensus;
      assert.equal(c.powTargetTimespan % c.powTargetSpacing, 0);
      const { target, negative, overflow } = setCompact(createChainParams(chain).genesis.header.bits);
      assert.ok(!negative && target !== 0n && !overflow);
      assert.ok(c.powLimit >= target);
      if (!c.powNoRetargeting) assert.ok(c.powLimit < ((1n << 256n) - 1n) / BigInt(c.powTargetTimespan * 4));
    });
  }

  it('serializes the mainnet genesis block byte for byte', () => {
    assert.equal(createChainParams('main').genesis.toHex(), MAIN_GENESIS_HEX);
  });

  it('has Core magic bytes, P2P ports and RPC ports', () => {
    const expect: Record<string, [string, number, number]> = {
      main: ['f9beb4d9', 8333, 8332],
      test: ['0b110907', 18333, 18332],
      testnet4: ['1c163f28', 48333, 48332],
      signet: ['0a03cf40', 38333, 38332],
      regtest: ['fabfb5da', 18444, 18443],
    };
    for (const chain of CHAIN_TYPES) {
      const p = createChainParams(chain);
      const [magic, port, rpc] = expect[chain]!;
      assert.equal(bytesToHex(p.messageStart), magic, chain);
      assert.equal(p.defaultPort, port, chain);
      assert.equal(p.rpcPort, rpc, chain);
      assert.equal(baseChainParams(chain).rpcPort, rpc, chain);
      assert.equal(getNetworkForMagic(hexToBytes(magic)), chain);
    }
    assert.equal(getNetworkForMagic(hexToBytes('00000000')), undefined);
    assert.equal(baseChainParams('test').dataDir, 'testnet3');
  });

  it('has the buried deployment heights', () => {
    const heights = (chain: string) => {
      const c = createChainParams(chain).consensus;
      return [c.BIP34Height, c.BIP65Height, c.BIP66Height, c.CSVHeight, c.SegwitHeight];
    };
    assert.deepEqual(heights('main'), [227931, 388381, 363725, 419328, 481824]);
    assert.deepEqual(heights('test'), [21111, 581885, 330776, 770112, 834624]);
    assert.deepEqual(heights('testnet4'), [1, 1, 1, 1, 1]);
    assert.deepEqual(heights('signet'), [1, 1, 1, 1, 1]);
    assert.deepEqual(heights('regtest'), [1, 1, 1, 1, 0]);
  });

  it('has only the testdummy version-bits deployment, as Core (taproot is enforced from genesis)', () => {
    for (const chain of ['main', 'test', 'testnet4', 'signet', 'regtest']) {
      const deps = createChainParams(chain).consensus.deployments;
      assert.equal(deps.length, 1);
      assert.equal(deps[DeploymentPos.DEPLOYMENT_TESTDUMMY]!.bit, 28);
    }
    const regtest = createChainParams('regtest').consensus.deployments[DeploymentPos.DEPLOYMENT_TESTDUMMY]!;
    assert.deepEqual([regtest.startTime, regtest.threshold, regtest.period], [0, 108, 144]);
    assert.equal(createChainParams('main').consensus.MinBIP9WarningHeight, 711648);
    assert.equal(createChainParams('test').consensus.MinBIP9WarningHeight, 2013984);
  });

  it('has the pow limits, halving intervals and retarget settings', () => {
    const main = createChainParams('main').consensus;
    const regtest = createChainParams('regtest').consensus;
    const t4 = createChainParams('testnet4').consensus;
    assert.equal(getCompact(main.powLimit), 0x1d00ffff);
    assert.equal(main.subsidyHalvingInterval, 210000);
    assert.equal(regtest.subsidyHalvingInterval, 150);
    assert.equal(difficultyAdjustmentInterval(main), 2016);
    assert.equal(difficultyAdjustmentInterval(regtest), 144);
    assert.ok(regtest.powNoRetargeting && regtest.powAllowMinDifficultyBlocks && !regtest.enforceBIP94);
    assert.ok(t4.enforceBIP94 && t4.powAllowMinDifficultyBlocks);
    assert.ok(!main.powAllowMinDifficultyBlocks);
    assert.equal(main.minimumChainWork.toString(16), 'dee8e2a309ad8a9820433c68');
    assert.equal(hashToHex(main.defaultAssumeValid), '00000000000000000000611fd22f2df7c8fbd0688745c3a6c3bb5109cc2a12cb');
    assert.equal(main.scriptFlagExceptions.size, 2);
  });

  it('signet: default challenge, custom challenge and its magic', () => {
    const s = createChainParams('signet');
    assert.ok(s.consensus.signetBlocks);
    assert.equal(bytesToHex(s.consensus.signetChallenge).slice(0, 6), '512103');
    const custom = createChainParams('signet', { signetChallenge: ['51'] });
    assert.equal(bytesToHex(custom.consensus.signetChallenge), '51');
    assert.deepEqual(custom.messageStart, signetMessageStart(hexToBytes('51')));
    assert.notDeepEqual(custom.messageStart, s.messageStart);
    assert.equal(custom.consensus.minimumChainWork, 0n);
    assert.deepEqual(custom.dnsSeeds, []);
    assert.throws(() => createChainParams('signet', { signetChallenge: ['51', '52'] }), { message: '-signetchallenge cannot be multiple values.' });
    assert.throws(() => createChainParams('signet', { signetChallenge: ['xyz'] }), { message: "-signetchallenge must be hex, not 'xyz'." });
    assert.throws(() => createChainParams('signet', { signetChallenge: ['5'] }), { message: "-signetchallenge must be hex, not '5'." });
    assert.equal(bytesToHex(createChainParams('signet', { signetChallenge: ['51 ac'] }).consensus.signetChallenge), '51ac');
  });

  it('regtest: -testactivationheight moves buried deployments', () => {
    const c = createChainParams('regtest', { testActivationHeight: ['segwit@431', 'bip34@2', 'dersig@3', 'cltv@4', 'csv@5'] }).consensus;
    assert.deepEqual([c.SegwitHeight, c.BIP34Height, c.BIP66Height, c.BIP65Height, c.CSVHeight], [431, 2, 3, 4, 5]);
  });

  it('regtest: -testactivationheight errors are Core strings', () => {
    const bad = (v: string, message: string) =>
      assert.throws(() => createChainParams('regtest', { testActivationHeight: [v] }), (e: unknown) => e instanceof ChainParamsError && e.message === message);
    bad('name@2', 'Invalid name (name@2) for -testactivationheight=name@height.');
    bad('bip34@-2', 'Invalid height value (bip34@-2) for -testactivationheight=name@height.');
    bad('bip34@2147483647', 'Invalid height value (bip34@2147483647) for -testactivationheight=name@height.');
    bad('', 'Invalid format () for -testactivationheight=name@height.');
  });

  it('regtest: -vbparams, -fastprune and -test=bip94', () => {
    const p = createChainParams('regtest', { vbparams: ['testdummy:1:2:3'], fastprune: true, test: ['bip94'] });
    const d = p.consensus.deployments[DeploymentPos.DEPLOYMENT_TESTDUMMY]!;
    assert.deepEqual([d.startTime, d.timeout, d.minActivationHeight], [1, 2, 3]);
    assert.equal(p.pruneAfterHeight, 100);
    assert.ok(p.consensus.enforceBIP94);
    assert.throws(() => createChainParams('regtest', { vbparams: ['taproot:1'] }), {
      message: 'Version bits parameters malformed, expecting deployment:start:end[:min_activation_height]',
    });
    assert.throws(() => createChainParams('regtest', { vbparams: ['nosuch:1:2'] }), { message: 'Invalid deployment (nosuch)' });
    assert.throws(() => createChainParams('regtest', { vbparams: ['taproot:x:2'] }), { message: 'Invalid nStartTime (x)' });
  });

  it('builds fresh objects per call (no shared state)', () => {
    const a = createChainParams('regtest', { testActivationHeight: ['segwit@10'] });
    const b = createChainParams('regtest');
    assert.equal(a.consensus.SegwitHeight, 10);
    assert.equal(b.consensus.SegwitHeight, 0);
    assert.throws(() => createChainParams('nonet'), ChainParamsError);
  });
});
