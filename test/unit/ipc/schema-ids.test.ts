// Checks src/ipc/capnp/*.capnp and proxy.capnp against Bitcoin Core's IDs and ordinals, using the real capnp compiler.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { SOURCE_DIR } from '../util/paths.js';

const capnp = process.env['CAPNP_EXECUTABLE'] || 'capnp';
// proxy.capnp comes from the libmultiprocess package in use (in-tree or installed), like mpgen's import path.
const packageDir = path.dirname(createRequire(import.meta.url).resolve('@smithcoin/libmultiprocess/package.json'));
const include = path.join(packageDir, 'include');
const PROXY = path.join(include, 'mp', 'proxy.capnp');

function compile(file: string): string {
  const res = spawnSync(capnp, ['compile', '-ocapnp', `-I${include}`, `--src-prefix=${SOURCE_DIR}`, path.resolve(SOURCE_DIR, file)],
    { encoding: 'utf8' });
  if (res.error) throw res.error;
  assert.equal(res.status, 0, res.stderr);
  return res.stdout;
}

/** Ordinal of each method of `iface`, from the compiler's canonical rendering. */
function methods(text: string, iface: string): string[] {
  const start = text.indexOf(`interface ${iface} @`);
  assert.ok(start >= 0, `interface ${iface} missing`);
  const body = text.slice(start, text.indexOf('\n}', start));
  return [...body.matchAll(/^\s+(\w+) @(\d+) \(/gm)].map((m) => `${m[1]}@${m[2]}`);
}

const FILES: [string, string][] = [
  [PROXY, '0xcc316e3f71a040fb'],
  ['src/ipc/capnp/init.capnp', '0xf2c5cfa319406aa6'],
  ['src/ipc/capnp/echo.capnp', '0x888b4f7f51e691f7'],
  ['src/ipc/capnp/mining.capnp', '0xc77d03df6a41b505'],
  ['src/ipc/capnp/common.capnp', '0xcd2c6232cb484a28'],
  ['src/ipc/capnp/rpc.capnp', '0x9c3505dc45e146ac'],
];

const INTERFACES: [string, string, string, string[]][] = [
  ['src/ipc/capnp/init.capnp', 'Init', '0x8838c700ba5cba65', ['construct@0', 'makeEcho@1', 'makeMiningOld2@2', 'makeMining@3', 'makeRpc@4']],
  ['src/ipc/capnp/echo.capnp', 'Echo', '0xd36b89640dc94399', ['destroy@0', 'echo@1']],
  ['src/ipc/capnp/mining.capnp', 'Mining', '0xf9c68436df3af39e', ['isTestChain@0', 'isInitialBlockDownload@1', 'getTip@2',
    'waitTipChanged@3', 'createNewBlock@4', 'checkBlock@5', 'interrupt@6', 'submitBlock@7', 'getTransactionsByTxID@8',
    'getTransactionsByWitnessID@9']],
  ['src/ipc/capnp/mining.capnp', 'BlockTemplate', '0xf9671ad841b2f622', ['destroy@0', 'getBlockHeader@1', 'getBlock@2',
    'getTxFees@3', 'getTxSigops@4', 'getCoinbaseTx@5', 'getCoinbaseMerklePath@6', 'submitSolution@7', 'waitNext@8',
    'interruptWait@9']],
  ['src/ipc/capnp/rpc.capnp', 'Rpc', '0xacb1d37f0a713129', ['executeRpc@0']],
  [PROXY, 'ThreadMap', '0xee5e37179ad9dc9d', ['makeThread@0', 'makePool@1']],
  [PROXY, 'Thread', '0x81c1e2600d0b56c5', ['getName@0']],
];

describe('capnp schemas match Bitcoin Core', () => {
  for (const [file, id] of FILES) {
    it(`${file} has file id ${id}`, () => {
      assert.match(compile(file), new RegExp(`^@${id};$`, "m"));
    });
  }
  for (const [file, name, id, ordinals] of INTERFACES) {
    it(`${name} is ${id} with ${ordinals.length} methods in order`, () => {
      const text = compile(file);
      assert.ok(text.includes(`interface ${name} ${'@'}${id} `), `${name} id`);
      assert.deepEqual(methods(text, name), ordinals);
    });
  }
  it('proxy.capnp Context and the mining constants and defaults', () => {
    assert.ok(compile(PROXY).includes('struct Context @0x9c44e6645d0b22c6 $count(0) {  # 0 bytes, 2 ptrs'));
    const mining = compile('src/ipc/capnp/mining.capnp');
    for (const s of ['const maxMoney @0x895d3c3ab1c80b14 :Int64 = 2100000000000000;', 'timeout @0 :Float64 = 1.7976931348623157e308',
      'feeThreshold @1 :Int64 = 2100000000000000', 'blockReservedWeight @1 :UInt64 = 8000', 'coinbaseOutputMaxAdditionalSigops @2 :UInt64 = 400',
      'useMempool @0 :Bool = true', 'checkMerkleRoot @0 :Bool = true', 'lockTime @6 :UInt32']) {
      assert.ok(mining.includes(s), s);
    }
  });
});
