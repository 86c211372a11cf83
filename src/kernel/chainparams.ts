// Chain parameters of main, test (testnet3), testnet4, signet and regtest (Core's kernel/chainparams.cpp, chainparamsbase.cpp).

import { COIN } from '../consensus/amount.js';
import { computeMerkleRoot } from '../consensus/merkle.js';
import {
  type BIP9Deployment,
  BuriedDeployment,
  type ConsensusParams,
  DeploymentPos,
  NEVER_ACTIVE,
  NO_TIMEOUT,
  getBuriedDeployment,
} from '../consensus/params.js';
import { Block, BlockHeader } from '../primitives/block.js';
import { hash256 } from '../crypto/sha256.js';
import { OutPoint, Transaction, TxIn, TxOut } from '../primitives/transaction.js';
import { Opcode, ScriptBuilder } from '../script/script.js';
import { SCRIPT_VERIFY_NONE, SCRIPT_VERIFY_P2SH, SCRIPT_VERIFY_WITNESS } from '../script/verify_flags.js';
import { bytesEqual, hashToHex, hexToBytes, hexToHash, tryParseHex } from '../util/hex.js';
import { ByteWriter } from '../util/serialize.js';

/** Core's chain type strings, as used by -chain and RPC. */
export type ChainType = 'main' | 'test' | 'testnet4' | 'signet' | 'regtest';
export const CHAIN_TYPES: readonly ChainType[] = ['main', 'test', 'testnet4', 'signet', 'regtest'];

/** A chain parameter option that Core rejects (std::runtime_error with this exact message). */
export class ChainParamsError extends Error {
  override name = 'ChainParamsError';
}

export interface AssumeutxoData {
  height: number;
  /** Hash (display hex) the loaded snapshot's coins must serialize to. */
  hashSerialized: string;
  /** Transactions from genesis through the snapshot block (its m_chain_tx_count once loaded). */
  chainTxCount: number;
  /** Display hex of the block the snapshot was taken at. */
  blockhash: string;
}

/** Figures for estimating sync progress from transaction counts. */
export interface ChainTxData {
  /** When txCount was sampled (UNIX seconds). */
  time: number;
  /** How many transactions the chain held at that moment, genesis included. */
  txCount: number;
  /** Assumed transactions per second since then. */
  txRate: number;
}

export interface HeadersSyncParams {
  commitmentPeriod: number;
  redownloadBufferSize: number;
}

/** Per-chain values that do not affect consensus (Core's CBaseChainParams). */
export interface BaseChainParams {
  /** Data directory below -datadir ("" for main). */
  dataDir: string;
  rpcPort: number;
  onionServiceTargetPort: number;
}

export interface ChainParams {
  readonly chainType: ChainType;
  readonly consensus: ConsensusParams;
  /** The 4 network magic bytes (pchMessageStart). */
  readonly messageStart: Uint8Array;
  readonly defaultPort: number;
  readonly rpcPort: number;
  readonly pruneAfterHeight: number;
  /** Minimal disk space (GB) the blockchain and the chain state need, for -prune warnings. */
  readonly assumedBlockchainSize: number;
  readonly assumedChainStateSize: number;
  readonly genesis: Block;
  readonly dnsSeeds: readonly string[];
  readonly defaultConsistencyChecks: boolean;
  readonly isMockableChain: boolean;
  /** Core's IsTestChain: every chain but main. */
  readonly isTestChain: boolean;
  readonly assumeutxo: readonly AssumeutxoData[];
  readonly chainTxData: ChainTxData;
  readonly headersSyncParams: HeadersSyncParams;
}

/** Options read from the command line (Core's ReadSigNetArgs / ReadRegTestArgs), as raw strings. */
export interface ChainParamsOptions {
  /** -signetchallenge values (hex); more than one is an error. */
  signetChallenge?: readonly string[];
  /** -signetseednode values; they replace the default signet DNS seeds. */
  signetSeedNode?: readonly string[];
  /** -testactivationheight=name@height values (regtest). */
  testActivationHeight?: readonly string[];
  /** -vbparams=deployment:start:end[:min_activation_height] values (regtest). */
  vbparams?: readonly string[];
  /** -fastprune (regtest). */
  fastprune?: boolean;
  /** -test=<option> values; "bip94" enforces BIP94 on regtest. */
  test?: readonly string[];
}

/** Core's default signet challenge: a 1-of-2 multisig. */
export const SIGNET_DEFAULT_CHALLENGE =
  '512103ad5e0edad18cb1f0fc0d28a3d4f1f3e445640337489abb10404f2d1e086be430210359ef5021964fe22d6f8e05b2463c9540ce96883fe3b278760f048f5189f2e6c452ae';

/** One version-bits deployment's name and whether getblocktemplate clients may ignore its rule (Core's VBDeploymentInfo). */
export interface VBDeploymentInfo {
  name: string;
  gbtOptionalRule: boolean;
}

/** Core's VersionBitsDeploymentInfo, in DeploymentPos order. */
export const VERSION_BITS_DEPLOYMENT_INFO: readonly VBDeploymentInfo[] = [{ name: 'testdummy', gbtOptionalRule: true }];

/** Names of the version-bits deployments, in DeploymentPos order. */
export const VERSION_BITS_DEPLOYMENT_NAMES: readonly string[] = VERSION_BITS_DEPLOYMENT_INFO.map((d) => d.name);

const BASE_PARAMS: Readonly<Record<ChainType, BaseChainParams>> = {
  main: { dataDir: '', rpcPort: 8332, onionServiceTargetPort: 8334 },
  test: { dataDir: 'testnet3', rpcPort: 18332, onionServiceTargetPort: 18334 },
  testnet4: { dataDir: 'testnet4', rpcPort: 48332, onionServiceTargetPort: 48334 },
  signet: { dataDir: 'signet', rpcPort: 38332, onionServiceTargetPort: 38334 },
  regtest: { dataDir: 'regtest', rpcPort: 18443, onionServiceTargetPort: 18445 },
};

export function isChainType(s: string): s is ChainType {
  return (CHAIN_TYPES as readonly string[]).includes(s);
}

/** Core's CreateBaseChainParams. */
export function baseChainParams(chain: ChainType): BaseChainParams {
  return BASE_PARAMS[chain];
}

// --- Genesis blocks -------------------------------------------------------------------------

/**
 * Core's CreateGenesisBlock: a version-1 coinbase whose scriptSig is `486604799 CScriptNum(4) <timestamp>`.
 * 486604799 is 0x1d00ffff, which CScript writes as a 4-byte little-endian number push; CScriptNum(4) is a
 * 1-byte push (not OP_4), because it is pushed as a serialized number rather than a small integer.
 */
export function createGenesisBlock(
  timestamp: string,
  outputScript: Uint8Array,
  time: number,
  nonce: number,
  bits: number,
  version: number,
  reward: bigint,
): Block {
  const scriptSig = new ScriptBuilder()
    .pushData(Uint8Array.of(0xff, 0xff, 0x00, 0x1d))
    .pushData(Uint8Array.of(0x04))
    .pushData(new TextEncoder().encode(timestamp))
    .build();
  const coinbase = new Transaction({
    version: 1,
    vin: [new TxIn({ prevout: new OutPoint(), scriptSig })],
    vout: [new TxOut(reward, outputScript)],
    lockTime: 0,
  });
  const { root } = computeMerkleRoot([coinbase.txid]);
  const header = new BlockHeader({ version, hashPrevBlock: new Uint8Array(32), hashMerkleRoot: root, time, bits, nonce });
  return new Block(header, [coinbase]);
}

const SATOSHI_TIMESTAMP = 'The Times 03/Jan/2009 Chancellor on brink of second bailout for banks';
const SATOSHI_PUBKEY =
  '04678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5f';

function satoshiGenesis(time: number, nonce: number, bits: number): Block {
  const script = new ScriptBuilder().pushData(hexToBytes(SATOSHI_PUBKEY)).op(Opcode.OP_CHECKSIG).build();
  return createGenesisBlock(SATOSHI_TIMESTAMP, script, time, nonce, bits, 1, 50n * COIN);
}

/** Rebuilding the genesis block must give the known hashes (Core asserts this at startup). */
function checkGenesis(genesis: Block, hash: string, merkleRoot: string): void {
  if (genesis.hashHex() !== hash) throw new Error(`genesis block hash mismatch: ${genesis.hashHex()} != ${hash}`);
  const root = hashToHex(genesis.header.hashMerkleRoot);
  if (root !== merkleRoot) throw new Error(`genesis merkle root mismatch: ${root} != ${merkleRoot}`);
}

// --- Per-chain parameters -------------------------------------------------------------------

const ZERO_HASH = new Uint8Array(32);
const POW_LIMIT_MAIN = BigInt('0x00000000ffffffffffffffffffffffffffffffffffffffffffffffffffffffff');

function deployment(bit: number, startTime: number, timeout: number, minActivationHeight: number, threshold: number, period: number): BIP9Deployment {
  return { bit, startTime, timeout, minActivationHeight, threshold, period };
}

function h(hex: string): Uint8Array {
  return hexToHash(hex);
}

function mainParams(): ChainParams {
  const genesis = satoshiGenesis(1231006505, 2083236893, 0x1d00ffff);
  checkGenesis(genesis, '000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f', '4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b');
  return {
    chainType: 'main',
    consensus: {
      hashGenesisBlock: genesis.hash,
      subsidyHalvingInterval: 210000,
      scriptFlagExceptions: new Map([
        ['00000000000002dc756eebf4f49723ed8d30cc28a5f108eb94b1ba88ac4f9c22', SCRIPT_VERIFY_NONE], // violates BIP16: no P2SH checks
        ['0000000000000000000f14c35b2d841e986ab5441de8c585d5ffe55ea1e395ad', SCRIPT_VERIFY_P2SH | SCRIPT_VERIFY_WITNESS], // fails taproot rules: no taproot checks
      ]),
      BIP34Height: 227931,
      BIP34Hash: h('000000000000024b89b42a942fe0d9fea3bb44ab7bd1b19115dd6a759c0808b8'),
      BIP65Height: 388381,
      BIP66Height: 363725,
      CSVHeight: 419328,
      SegwitHeight: 481824,
      MinBIP9WarningHeight: 711648, // taproot's activation height (709632) + one 2016-block signalling window
      deployments: [deployment(28, NEVER_ACTIVE, NO_TIMEOUT, 0, 1815, 2016)],
      powLimit: POW_LIMIT_MAIN,
      powAllowMinDifficultyBlocks: false,
      enforceBIP94: false,
      powNoRetargeting: false,
      powTargetSpacing: 10 * 60,
      powTargetTimespan: 14 * 24 * 60 * 60,
      minimumChainWork: BigInt('0x0000000000000000000000000000000000000000dee8e2a309ad8a9820433c68'),
      defaultAssumeValid: h('00000000000000000000611fd22f2df7c8fbd0688745c3a6c3bb5109cc2a12cb'), // 912683
      signetBlocks: false,
      signetChallenge: new Uint8Array(0),
    },
    messageStart: Uint8Array.of(0xf9, 0xbe, 0xb4, 0xd9),
    defaultPort: 8333,
    rpcPort: BASE_PARAMS.main.rpcPort,
    pruneAfterHeight: 100000,
    assumedBlockchainSize: 810,
    assumedChainStateSize: 14,
    genesis,
    dnsSeeds: [
      'seed.bitcoin.sipa.be.',
      'dnsseed.bluematt.me.',
      'seed.bitcoin.jonasschnelli.ch.',
      'seed.btc.petertodd.net.',
      'seed.bitcoin.sprovoost.nl.',
      'dnsseed.emzy.de.',
      'seed.bitcoin.wiz.biz.',
      'seed.mainnet.achownodes.xyz.',
    ],
    defaultConsistencyChecks: false,
    isMockableChain: false,
    isTestChain: false,
    assumeutxo: [
      { height: 840000, hashSerialized: 'a2a5521b1b5ab65f67818e5e8eccabb7171a517f9e2382208f77687310768f96', chainTxCount: 991032194, blockhash: '0000000000000000000320283a032748cef8227873ff4872689bf23f1cda83a5' },
      { height: 880000, hashSerialized: 'dbd190983eaf433ef7c15f78a278ae42c00ef52e0fd2a54953782175fbadcea9', chainTxCount: 1145604538, blockhash: '000000000000000000010b17283c3c400507969a9c2afd1dcf2082ec5cca2880' },
      { height: 910000, hashSerialized: '4daf8a17b4902498c5787966a2b51c613acdab5df5db73f196fa59a4da2f1568', chainTxCount: 1226586151, blockhash: '0000000000000000000108970acb9522ffd516eae17acddcb1bd16469194a821' },
    ],
    chainTxData: { time: 1756722903, txCount: 1235299397, txRate: 5.456290459519495 },
    headersSyncParams: { commitmentPeriod: 632, redownloadBufferSize: 15009 },
  };
}

function testNetParams(): ChainParams {
  const genesis = satoshiGenesis(1296688602, 414098458, 0x1d00ffff);
  checkGenesis(genesis, '000000000933ea01ad0ee984209779baaec3ced90fa3f408719526f8d77f4943', '4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b');
  return {
    chainType: 'test',
    consensus: {
      hashGenesisBlock: genesis.hash,
      subsidyHalvingInterval: 210000,
      scriptFlagExceptions: new Map([['00000000dd30457c001f4095d208cc1296b0eed002427aa599874af7a432b105', SCRIPT_VERIFY_NONE]]), // violates BIP16
      BIP34Height: 21111,
      BIP34Hash: h('0000000023b3a96d3484e5abb3755c413e7d41500f8e2a5c3f0dd01299cd8ef8'),
      BIP65Height: 581885,
      BIP66Height: 330776,
      CSVHeight: 770112,
      SegwitHeight: 834624,
      MinBIP9WarningHeight: 2013984, // taproot's activation height + one signalling window
      deployments: [deployment(28, NEVER_ACTIVE, NO_TIMEOUT, 0, 1512, 2016)],
      powLimit: POW_LIMIT_MAIN,
      powAllowMinDifficultyBlocks: true,
      enforceBIP94: false,
      powNoRetargeting: false,
      powTargetSpacing: 10 * 60,
      powTargetTimespan: 14 * 24 * 60 * 60,
      minimumChainWork: BigInt('0x0000000000000000000000000000000000000000000016dd270dd94fac1d7632'),
      defaultAssumeValid: h('0000000000000065c6c38258e201971a3fdfcc2ceee0dd6e85a6c022d45dee34'), // 4550000
      signetBlocks: false,
      signetChallenge: new Uint8Array(0),
    },
    messageStart: Uint8Array.of(0x0b, 0x11, 0x09, 0x07),
    defaultPort: 18333,
    rpcPort: BASE_PARAMS.test.rpcPort,
    pruneAfterHeight: 1000,
    assumedBlockchainSize: 240,
    assumedChainStateSize: 19,
    genesis,
    dnsSeeds: [
      'testnet-seed.bitcoin.jonasschnelli.ch.',
      'seed.tbtc.petertodd.net.',
      'seed.testnet.bitcoin.sprovoost.nl.',
      'testnet-seed.bluematt.me.',
      'seed.testnet.achownodes.xyz.',
    ],
    defaultConsistencyChecks: false,
    isMockableChain: false,
    isTestChain: true,
    assumeutxo: [
      { height: 2500000, hashSerialized: 'f841584909f68e47897952345234e37fcd9128cd818f41ee6c3ca68db8071be7', chainTxCount: 66484552, blockhash: '0000000000000093bcb68c03a9a168ae252572d348a2eaeba2cdf9231d73206f' },
    ],
    chainTxData: { time: 1751816758, txCount: 508468699, txRate: 7.172978845985714 },
    headersSyncParams: { commitmentPeriod: 628, redownloadBufferSize: 13460 },
  };
}

function testNet4Params(): ChainParams {
  const script = new ScriptBuilder().pushData(new Uint8Array(33)).op(Opcode.OP_CHECKSIG).build();
  const genesis = createGenesisBlock(
    '03/May/2024 000000000000000000001ebd58c244970b3aa9d783bb001011fbe8ea8e98e00e',
    script,
    1714777860,
    393743547,
    0x1d00ffff,
    1,
    50n * COIN,
  );
  checkGenesis(genesis, '00000000da84f2bafbbc53dee25a72ae507ff4914b867c565be350b0da8bf043', '7aa0a7ae1e223414cb807e40cd57e667b718e42aaf9306db9102fe28912b7b4e');
  return {
    chainType: 'testnet4',
    consensus: {
      hashGenesisBlock: genesis.hash,
      subsidyHalvingInterval: 210000,
      scriptFlagExceptions: new Map(),
      BIP34Height: 1,
      BIP34Hash: ZERO_HASH,
      BIP65Height: 1,
      BIP66Height: 1,
      CSVHeight: 1,
      SegwitHeight: 1,
      MinBIP9WarningHeight: 0,
      deployments: [deployment(28, NEVER_ACTIVE, NO_TIMEOUT, 0, 1512, 2016)],
      powLimit: POW_LIMIT_MAIN,
      powAllowMinDifficultyBlocks: true,
      enforceBIP94: true,
      powNoRetargeting: false,
      powTargetSpacing: 10 * 60,
      powTargetTimespan: 14 * 24 * 60 * 60,
      minimumChainWork: BigInt('0x00000000000000000000000000000000000000000000034a4690fe592dc49c7c'),
      defaultAssumeValid: h('000000000000000180a58e7fa3b0db84b5ea76377524894f53660d93ac839d9b'), // 91000
      signetBlocks: false,
      signetChallenge: new Uint8Array(0),
    },
    messageStart: Uint8Array.of(0x1c, 0x16, 0x3f, 0x28),
    defaultPort: 48333,
    rpcPort: BASE_PARAMS.testnet4.rpcPort,
    pruneAfterHeight: 1000,
    assumedBlockchainSize: 22,
    assumedChainStateSize: 2,
    genesis,
    dnsSeeds: ['seed.testnet4.bitcoin.sprovoost.nl.', 'seed.testnet4.wiz.biz.'],
    defaultConsistencyChecks: false,
    isMockableChain: false,
    isTestChain: true,
    assumeutxo: [
      { height: 90000, hashSerialized: '784fb5e98241de66fdd429f4392155c9e7db5c017148e66e8fdbc95746f8b9b5', chainTxCount: 11347043, blockhash: '0000000002ebe8bcda020e0dd6ccfbdfac531d2f6a81457191b99fc2df2dbe3b' },
    ],
    chainTxData: { time: 1752470331, txCount: 11414302, txRate: 0.2842619757327476 },
    headersSyncParams: { commitmentPeriod: 275, redownloadBufferSize: 7017 },
  };
}

/** Signet magic: the first 4 bytes of the double-SHA256 of the serialized (length-prefixed) challenge. */
export function signetMessageStart(challenge: Uint8Array): Uint8Array {
  const w = new ByteWriter(challenge.length + 9);
  w.writeVarBytes(challenge);
  return hash256(w.toBytes()).slice(0, 4);
}

function signetParams(opts: ChainParamsOptions): ChainParams {
  const challenges = opts.signetChallenge ?? [];
  if (challenges.length > 1) throw new ChainParamsError('-signetchallenge cannot be multiple values.');
  const custom = challenges.length === 1;
  const challenge = custom ? tryParseHex(challenges[0]!) : hexToBytes(SIGNET_DEFAULT_CHALLENGE);
  if (!challenge) throw new ChainParamsError(`-signetchallenge must be hex, not '${challenges[0]!}'.`);
  let dnsSeeds: string[] = custom ? [] : ['seed.signet.bitcoin.sprovoost.nl.', 'seed.signet.achownodes.xyz.'];
  if (opts.signetSeedNode && opts.signetSeedNode.length > 0) dnsSeeds = [...opts.signetSeedNode];

  const genesis = satoshiGenesis(1598918400, 52613770, 0x1e0377ae);
  checkGenesis(genesis, '00000008819873e925422c1ff0f99f7cc9bbb232af63a077a480a3633bee1ef6', '4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b');
  return {
    chainType: 'signet',
    consensus: {
      hashGenesisBlock: genesis.hash,
      subsidyHalvingInterval: 210000,
      scriptFlagExceptions: new Map(),
      BIP34Height: 1,
      BIP34Hash: ZERO_HASH,
      BIP65Height: 1,
      BIP66Height: 1,
      CSVHeight: 1,
      SegwitHeight: 1,
      MinBIP9WarningHeight: 0,
      deployments: [deployment(28, NEVER_ACTIVE, NO_TIMEOUT, 0, 1815, 2016)],
      powLimit: BigInt('0x00000377ae000000000000000000000000000000000000000000000000000000'),
      powAllowMinDifficultyBlocks: false,
      enforceBIP94: false,
      powNoRetargeting: false,
      powTargetSpacing: 10 * 60,
      powTargetTimespan: 14 * 24 * 60 * 60,
      minimumChainWork: custom ? 0n : BigInt('0x0000000000000000000000000000000000000000000000000000067d328e681a'),
      defaultAssumeValid: custom ? ZERO_HASH : h('000000128586e26813922680309f04e1de713c7542fee86ed908f56368aefe2e'), // 267665
      signetBlocks: true,
      signetChallenge: challenge,
    },
    messageStart: signetMessageStart(challenge),
    defaultPort: 38333,
    rpcPort: BASE_PARAMS.signet.rpcPort,
    pruneAfterHeight: 1000,
    assumedBlockchainSize: custom ? 0 : 20,
    assumedChainStateSize: custom ? 0 : 4,
    genesis,
    dnsSeeds,
    defaultConsistencyChecks: false,
    isMockableChain: false,
    isTestChain: true,
    assumeutxo: [
      { height: 160000, hashSerialized: 'fe0a44309b74d6b5883d246cb419c6221bcccf0b308c9b59b7d70783dbdf928a', chainTxCount: 2289496, blockhash: '0000003ca3c99aff040f2563c2ad8f8ec88bd0fd6b8f0895cfaf1ef90353a62c' },
    ],
    chainTxData: custom ? { time: 0, txCount: 0, txRate: 0 } : { time: 1756723017, txCount: 26185472, txRate: 0.7452721495389969 },
    headersSyncParams: { commitmentPeriod: 390, redownloadBufferSize: 9584 },
  };
}

function regTestParams(opts: ChainParamsOptions): ChainParams {
  const genesis = satoshiGenesis(1296688602, 2, 0x207fffff);
  checkGenesis(genesis, '0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206', '4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b');
  const consensus: ConsensusParams = {
    hashGenesisBlock: genesis.hash,
    subsidyHalvingInterval: 150,
    scriptFlagExceptions: new Map(),
    // The buried deployments are on from the start here; -testactivationheight can move them.
    BIP34Height: 1,
    BIP34Hash: ZERO_HASH,
    BIP65Height: 1,
    BIP66Height: 1,
    CSVHeight: 1,
    SegwitHeight: 0,
    MinBIP9WarningHeight: 0,
    deployments: [deployment(28, 0, NO_TIMEOUT, 0, 108, 144)],
    powLimit: BigInt('0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff'),
    powAllowMinDifficultyBlocks: true,
    enforceBIP94: (opts.test ?? []).includes('bip94'),
    powNoRetargeting: true,
    powTargetSpacing: 10 * 60,
    powTargetTimespan: 24 * 60 * 60,
    minimumChainWork: 0n,
    defaultAssumeValid: ZERO_HASH,
    signetBlocks: false,
    signetChallenge: new Uint8Array(0),
  };
  applyActivationHeights(consensus, opts.testActivationHeight ?? []);
  applyVersionBitsParameters(consensus, opts.vbparams ?? []);
  return {
    chainType: 'regtest',
    consensus,
    messageStart: Uint8Array.of(0xfa, 0xbf, 0xb5, 0xda),
    defaultPort: 18444,
    rpcPort: BASE_PARAMS.regtest.rpcPort,
    pruneAfterHeight: opts.fastprune ? 100 : 1000,
    assumedBlockchainSize: 0,
    assumedChainStateSize: 0,
    genesis,
    dnsSeeds: ['dummySeed.invalid.'],
    defaultConsistencyChecks: true,
    isMockableChain: true,
    isTestChain: true,
    assumeutxo: [
      { height: 110, hashSerialized: 'b952555c8ab81fec46f3d4253b7af256d766ceb39fb7752b9d18cdf4a0141327', chainTxCount: 111, blockhash: '6affe030b7965ab538f820a56ef56c8149b7dc1d1c144af57113be080db7c397' },
      { height: 200, hashSerialized: '17dcc016d188d16068907cdeb38b75691a118d43053b8cd6a25969419381d13a', chainTxCount: 201, blockhash: '385901ccbd69dff6bbd00065d01fb8a9e464dede7cfe0372443884f9b1dcf6b9' },
      { height: 299, hashSerialized: 'd2b051ff5e8eef46520350776f4100dd710a63447a8e01d917e92e79751a63e2', chainTxCount: 334, blockhash: '7cc695046fec709f8c9394b6f928f81e81fd3ac20977bb68760fa1faa7916ea2' },
    ],
    chainTxData: { time: 0, txCount: 0, txRate: 0.001 },
    headersSyncParams: { commitmentPeriod: 275, redownloadBufferSize: 7017 },
  };
}

// --- Regtest command-line overrides -----------------------------------------------------------

/** Parses an integer the way Core's ToIntegral does: optional '-', then digits only, within [min, max]. */
function toIntegral(s: string, min: bigint, max: bigint): number | undefined {
  if (!/^-?[0-9]+$/.test(s)) return undefined;
  const v = BigInt(s);
  if (v < min || v > max) return undefined;
  return Number(v);
}

const INT32_MIN = -2147483648n;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const INT32_MAX = 2147483647;

/** Applies -testactivationheight=name@height values (Core's HandleDeploymentArgs), with Core's error messages. */
export function applyActivationHeights(consensus: ConsensusParams, values: readonly string[]): void {
  for (const arg of values) {
    const found = arg.indexOf('@');
    if (found < 0) throw new ChainParamsError(`Invalid format (${arg}) for -testactivationheight=name@height.`);
    const height = toIntegral(arg.slice(found + 1), INT32_MIN, BigInt(INT32_MAX));
    if (height === undefined || height < 0 || height >= INT32_MAX) {
      throw new ChainParamsError(`Invalid height value (${arg}) for -testactivationheight=name@height.`);
    }
    const dep = getBuriedDeployment(arg.slice(0, found));
    if (dep === undefined) throw new ChainParamsError(`Invalid name (${arg}) for -testactivationheight=name@height.`);
    switch (dep) {
      case BuriedDeployment.DEPLOYMENT_SEGWIT:
        consensus.SegwitHeight = height;
        break;
      case BuriedDeployment.DEPLOYMENT_HEIGHTINCB:
        consensus.BIP34Height = height;
        break;
      case BuriedDeployment.DEPLOYMENT_DERSIG:
        consensus.BIP66Height = height;
        break;
      case BuriedDeployment.DEPLOYMENT_CLTV:
        consensus.BIP65Height = height;
        break;
      case BuriedDeployment.DEPLOYMENT_CSV:
        consensus.CSVHeight = height;
        break;
    }
  }
}

/** Applies -vbparams=deployment:start:end[:min_activation_height] values, with Core's error messages. */
export function applyVersionBitsParameters(consensus: ConsensusParams, values: readonly string[]): void {
  for (const spec of values) {
    const parts = spec.split(':');
    if (parts.length < 3 || parts.length > 4) {
      throw new ChainParamsError('Version bits parameters malformed, expecting deployment:start:end[:min_activation_height]');
    }
    const startTime = toIntegral(parts[1]!, INT64_MIN, INT64_MAX);
    if (startTime === undefined) throw new ChainParamsError(`Invalid nStartTime (${parts[1]!})`);
    const timeout = toIntegral(parts[2]!, INT64_MIN, INT64_MAX);
    if (timeout === undefined) throw new ChainParamsError(`Invalid nTimeout (${parts[2]!})`);
    let minActivationHeight = 0;
    if (parts.length === 4) {
      const v = toIntegral(parts[3]!, INT64_MIN, INT64_MAX);
      if (v === undefined) throw new ChainParamsError(`Invalid min_activation_height (${parts[3]!})`);
      minActivationHeight = v;
    }
    const pos = VERSION_BITS_DEPLOYMENT_NAMES.indexOf(parts[0]!);
    if (pos < 0) throw new ChainParamsError(`Invalid deployment (${parts[0]!})`);
    const d = consensus.deployments[pos as DeploymentPos]!;
    consensus.deployments[pos] = { ...d, startTime, timeout, minActivationHeight };
  }
}

/**
 * Core's CreateChainParams: fresh parameters for `chain` (no global state). Throws ChainParamsError
 * for an unknown chain or a bad option value.
 */
export function createChainParams(chain: string, opts: ChainParamsOptions = {}): ChainParams {
  switch (chain) {
    case 'main':
      return mainParams();
    case 'test':
      return testNetParams();
    case 'testnet4':
      return testNet4Params();
    case 'signet':
      return signetParams(opts);
    case 'regtest':
      return regTestParams(opts);
    default:
      throw new ChainParamsError(`CreateChainParams: Unknown chain ${chain}.`);
  }
}

/** Core's GetNetworkForMagic: which of the default networks uses these 4 magic bytes. */
export function getNetworkForMagic(magic: Uint8Array): ChainType | undefined {
  for (const chain of CHAIN_TYPES) {
    if (bytesEqual(createChainParams(chain).messageStart, magic)) return chain;
  }
  return undefined;
}
