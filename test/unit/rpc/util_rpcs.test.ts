// Util RPCs through the table with Core's functional-test vectors: validateaddress (main chain Bech32
// and Base58 errors), createmultisig, getdescriptorinfo, deriveaddresses, signed messages and
// estimatesmartfee.
import assert from 'node:assert/strict';
import type { NodeContext } from '../../../src/node/context.js';
import { RPCErrorCode } from '../../../src/rpc/protocol.js';
import type { JSONObject } from '../../../src/rpc/request.js';
import { registerAllRPCCommands } from '../../../src/rpc/register.js';
import { addChecksum } from '../../../src/script/descriptor_checksum.js';
import { call, callError, makeContext, type TestContextOptions } from './node_context.js';

function node(opts: TestContextOptions = {}): NodeContext {
  const ctx = makeContext(opts);
  registerAllRPCCommands(ctx.rpcTable, ctx);
  ctx.rpcTable.setWarmupFinished();
  return ctx;
}

async function expectError(ctx: NodeContext, method: string, params: unknown[], code: number, message: string): Promise<void> {
  const e = await callError(ctx, method, params as never);
  assert.deepEqual([e.code, e.message], [code, message]);
}

describe('rpc validateaddress', () => {
  const main = node({ chain: 'main' });
  const invalid: Array<[string, string, number[]]> = [
    ['tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty', 'Invalid or unsupported Segwit (Bech32) or Base58 encoding.', []],
    ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5', 'Invalid Bech32 checksum', [41]],
    ['BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P', 'Invalid Bech32 v0 address program size (16 bytes), per BIP141', []],
    ['BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3t4', 'Invalid character or mixed case', [40]],
    ['bc1gmk9yu', 'Empty Bech32 data section', []],
    ['bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4', 'Invalid Base 32 character', [59]],
    ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh', 'Version 0 witness address must use Bech32 checksum', []],
    ['bc1pw5dgrnzv', 'Invalid Bech32 address program size (1 byte)', []],
  ];
  for (const [addr, error, locations] of invalid) {
    it(`rejects ${addr.slice(0, 16)}… with "${error}"`, async () => {
      assert.deepEqual(await call(main, 'validateaddress', [addr]), { isvalid: false, error_locations: locations, error });
    });
  }

  it('describes valid addresses as Core does', async () => {
    assert.deepEqual(await call(main, 'validateaddress', ['bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0']), {
      isvalid: true, address: 'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0',
      scriptPubKey: '512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798',
      isscript: true, iswitness: true, witness_version: 1,
      witness_program: '79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798',
    });
    assert.deepEqual(await call(main, 'validateaddress', ['bc1pfeessrawgf']), {
      isvalid: true, address: 'bc1pfeessrawgf', scriptPubKey: '51024e73', isscript: true, iswitness: true,
    });
    const unknown = await call(main, 'validateaddress', ['BC1SW50QGDZ25J']) as JSONObject;
    assert.deepEqual(unknown, { isvalid: true, address: 'bc1sw50qgdz25j', scriptPubKey: '6002751e', iswitness: true, witness_version: 16, witness_program: '751e' });
    const p2pkh = await call(main, 'validateaddress', ['1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2']) as JSONObject;
    assert.deepEqual([p2pkh.isscript, p2pkh.iswitness, p2pkh.scriptPubKey],
      [false, false, '76a91477bff20c60e522dfaa3350c39b030a5d004e839a88ac']);
    const regtest = node();
    const wrongNet = await call(regtest, 'validateaddress', ['bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0']) as JSONObject;
    assert.equal(wrongNet.isvalid, false);
  });
});

const TPRV = 'tprv8ZgxMBicQKsPd7Uf69XL1XwhmjHopUGep8GuEiJDZmbQz6o58LninorQAfcKZWARbtRtfnLcJ5MQ2AtHcQJCCRUcMRvmDUjyEmNUWwx8UbK';
const TPUB = 'tpubD6NzVbkrYhZ4WaWSyoBvQwbpLkojyoTZPRsgXELWz3Popb3qkjcJyJUGLnL4qHHoQvao8ESaAstxYSnhyswJ76uZPStJRJCTKvosUCJZL5B';

describe('rpc deriveaddresses and getdescriptorinfo', () => {
  const ctx = node();
  const P = RPCErrorCode.RPC_INVALID_PARAMETER;
  const K = RPCErrorCode.RPC_INVALID_ADDRESS_OR_KEY;

  it('derives single, ranged, multipath and combo addresses (Core rpc_deriveaddresses.py)', async () => {
    const address = 'bcrt1qjqmxmkpmxt80xz4y3746zgt0q3u3ferr34acd5';
    assert.deepEqual(await call(ctx, 'deriveaddresses', [`wpkh(${TPRV}/1/1/0)#t6wfjs64`]), [address]);
    assert.deepEqual(await call(ctx, 'deriveaddresses', [`wpkh(${TPUB}/1/1/0)#s9ga3alw`]), [address]);
    const ranged = `wpkh(${TPRV}/1/1/*)#kft60nuy`;
    const next = ['bcrt1qhku5rq7jz8ulufe2y6fkcpnlvpsta7rq4442dy', 'bcrt1qpgptk2gvshyl0s9lqshsmx932l9ccsv265tvaq'];
    assert.deepEqual(await call(ctx, 'deriveaddresses', [ranged, [1, 2]]), next);
    assert.deepEqual(await call(ctx, 'deriveaddresses', [ranged, 2]), [address, ...next]);
    assert.deepEqual(await call(ctx, 'deriveaddresses', [addChecksum(`wpkh(${TPRV}/1/<0;1>/*)`), [1, 2]]), [
      ['bcrt1q7c8mdmdktrzs8xgpjmqw90tjn65j5a3yj04m3n', 'bcrt1qs6n37uzu0v0qfzf0r0csm0dwa7prc0v5uavgy0'], next]);
    assert.deepEqual(await call(ctx, 'deriveaddresses', [addChecksum(`combo(${TPRV}/1/1/0)`)]),
      ['mtfUoUax9L4tzXARpw1oTGxWyoogp52KhJ', address, '2NDvEwGfpEqJWfybzpKPHF2XH3jwoQV3D7x']);
    assert.deepEqual(await call(ctx, 'deriveaddresses', [addChecksum(`wpkh(${TPRV}/1/1/*)`), [2147483647, 2147483647]]),
      ['bcrt1qtzs23vgzpreks5gtygwxf8tv5rldxvvsyfpdkg']);
  });

  it('answers deriveaddresses errors with Core codes and texts', async () => {
    const ranged = addChecksum(`wpkh(${TPRV}/1/1/*)`);
    await expectError(ctx, 'deriveaddresses', ['a'], K, 'Missing checksum');
    await expectError(ctx, 'deriveaddresses', [addChecksum(`wpkh(${TPRV}/1/1/0)`), [0, 2]], P, 'Range should not be specified for an un-ranged descriptor');
    await expectError(ctx, 'deriveaddresses', [addChecksum(`wpkh(${TPRV}/1/1/0)`), null], P, 'Range should not be specified for an un-ranged descriptor');
    await expectError(ctx, 'deriveaddresses', [ranged], P, 'Range must be specified for a ranged descriptor');
    await expectError(ctx, 'deriveaddresses', [ranged, 10000000000], P, 'End of range is too high');
    await expectError(ctx, 'deriveaddresses', [ranged, [1000000000, 2000000000]], P, 'Range is too large');
    await expectError(ctx, 'deriveaddresses', [ranged, [2, 0]], P, 'Range specified as [begin,end] must not have begin after end');
    await expectError(ctx, 'deriveaddresses', [ranged, [-1, 0]], P, 'Range should be greater or equal than 0');
    await expectError(ctx, 'deriveaddresses', [addChecksum(`pk(${TPRV})`)], K, 'Descriptor does not have a corresponding address');
    await expectError(ctx, 'deriveaddresses', [addChecksum(`wpkh(${TPUB}/1'/1/0)`)], K, 'Cannot derive script without private keys');
    await expectError(ctx, 'deriveaddresses', [addChecksum(`multi(1,${TPUB}/1/1/0,${TPUB}/1/1/1)`)], K, 'Descriptor does not have a corresponding address');
  });

  it('analyses descriptors (Core rpc_getdescriptorinfo.py)', async () => {
    const pk = 'pk(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)';
    assert.deepEqual(await call(ctx, 'getdescriptorinfo', [pk]), {
      descriptor: addChecksum(pk), checksum: addChecksum(pk).slice(-8), isrange: false, issolvable: true, hasprivatekeys: false,
    });
    const multi = await call(ctx, 'getdescriptorinfo', [`wpkh(${TPRV}/1/<0;1>/*)`]) as JSONObject;
    assert.deepEqual(multi.multipath_expansion, [addChecksum(`wpkh(${TPUB}/1/0/*)`), addChecksum(`wpkh(${TPUB}/1/1/*)`)]);
    assert.equal(multi.descriptor, addChecksum(`wpkh(${TPUB}/1/0/*)`));
    assert.deepEqual([multi.isrange, multi.hasprivatekeys], [true, true]);
    await expectError(ctx, 'getdescriptorinfo', [''], K, "'' is not a valid descriptor function");
    await expectError(ctx, 'getdescriptorinfo', [`pk( ${pk.slice(3)}`], K,
      "pk(): Key ' 0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798' is invalid due to whitespace");
    await expectError(ctx, 'getdescriptorinfo', [1], RPCErrorCode.RPC_TYPE_ERROR,
      'Wrong type passed:\n{\n    "Position 1 (descriptor)": "JSON value of type number is not of expected type string"\n}');
    assert.match((await callError(ctx, 'getdescriptorinfo', [])).message, /^getdescriptorinfo "descriptor"\n/);
  });
});

describe('rpc createmultisig', () => {
  const ctx = node();
  const keys = ['03789ed0bb717d88f7d321a368d905e7430207ebbd82bd342cf11ae157a7ace5fd',
    '03dbc6764b8884a92e871274b87583e6d5c2a58819473e17e107ef3f6aa5a61626'];
  const redeem = `5221${keys[0]}21${keys[1]}52ae`;

  it('makes legacy, p2sh-segwit and bech32 addresses whose descriptors derive them', async () => {
    const shapes: Array<[string, string]> = [['legacy', 'sh(multi('], ['p2sh-segwit', 'sh(wsh(multi('], ['bech32', 'wsh(multi(']];
    for (const [type, prefix] of shapes) {
      const r = await call(ctx, 'createmultisig', [2, keys, type]) as JSONObject;
      assert.equal(r.redeemScript, redeem);
      assert.ok(String(r.descriptor).startsWith(`${prefix}2,${keys[0]},${keys[1]})`), String(r.descriptor));
      assert.deepEqual(await call(ctx, 'deriveaddresses', [r.descriptor as string]), [r.address]);
      assert.equal(r.warnings, undefined);
      const info = await call(ctx, 'validateaddress', [r.address as string]) as JSONObject;
      assert.equal(info.isscript, true);
      assert.equal(info.iswitness, type === 'bech32');
    }
    const legacy = await call(ctx, 'createmultisig', [2, keys]) as JSONObject;
    assert.ok(String(legacy.address).startsWith('2'));
  });

  it('falls back to legacy with a warning for uncompressed keys', async () => {
    const uncompressed = '0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8';
    const r = await call(ctx, 'createmultisig', [1, [keys[0], uncompressed], 'bech32']) as JSONObject;
    assert.ok(String(r.descriptor).startsWith('sh(multi(1,'));
    assert.deepEqual(r.warnings, ['Unable to make chosen address type, please ensure no uncompressed public keys are present.']);
    const plain = await call(ctx, 'createmultisig', [1, [uncompressed], 'legacy']) as JSONObject;
    assert.equal(plain.warnings, undefined);
  });

  it('answers Core errors', async () => {
    const P = RPCErrorCode.RPC_INVALID_PARAMETER;
    const K = RPCErrorCode.RPC_INVALID_ADDRESS_OR_KEY;
    await expectError(ctx, 'createmultisig', [2, keys, 'bech32m'], K, 'createmultisig cannot create bech32m multisig addresses');
    await expectError(ctx, 'createmultisig', [2, keys, 'segwit'], K, "Unknown address type 'segwit'");
    await expectError(ctx, 'createmultisig', [0, keys], P, 'a multisignature address must require at least one key to redeem');
    await expectError(ctx, 'createmultisig', [3, keys], P, 'not enough keys supplied (got 2 keys, but need at least 3 to redeem)');
    await expectError(ctx, 'createmultisig', [2, [...keys, 'zz']], K, 'Pubkey "zz" must be a hex string');
    const twenty = Array.from({ length: 20 }, (_, i) => keys[i % 2] as string);
    await expectError(ctx, 'createmultisig', [16, twenty, 'legacy'], P, 'redeemScript exceeds size limit: 684 > 520');
    await expectError(ctx, 'createmultisig', [16, [...twenty, keys[0]], 'bech32'], P,
      'Number of keys involved in the multisignature address creation > 20\nReduce the number');
    const wide = await call(ctx, 'createmultisig', [16, twenty, 'bech32']) as JSONObject;
    assert.ok(String(wide.address).startsWith('bcrt1q'));
  });
});

describe('rpc signed messages', () => {
  const ctx = node();
  const privKey = 'cUeKHd5orzT3mz8P9pxyREHfsWtVfgsfDjiZZBcjUBAaGk1BTj7N';
  const message = 'This is just a test message';
  const signature = 'INbVnW4e6PeRmsv2Qgu8NuopvrVjkcxob+sX8OcZG0SALhWybUjzMLPdAsXI46YZGb0KQTRii+wWIQzRpG/U+S0=';
  const address = 'mpLQjfK79b7CCV4VMJWEWAj5Mpx8Up5zxB';

  it('signs and verifies as Core does (rpc_signmessagewithprivkey.py)', async () => {
    assert.equal(await call(ctx, 'signmessagewithprivkey', [privKey, message]), signature);
    assert.equal(await call(ctx, 'verifymessage', [address, signature, message]), true);
    assert.equal(await call(ctx, 'verifymessage', [address, signature, `${message}.`]), false);
    // A 65-byte signature that recovers no key, and one that is not 65 bytes.
    assert.equal(await call(ctx, 'verifymessage', [address, Buffer.alloc(65).toString('base64'), message]), false);
    assert.equal(await call(ctx, 'verifymessage', [address, '', message]), false);
  });

  it('rejects other address kinds, bad keys and malformed base64', async () => {
    for (const desc of [`sh(wpkh(${privKey}))`, `wpkh(${privKey})`]) {
      const [addr] = await call(ctx, 'deriveaddresses', [addChecksum(desc)]) as string[];
      await expectError(ctx, 'verifymessage', [addr, signature, message], RPCErrorCode.RPC_TYPE_ERROR, 'Address does not refer to key');
    }
    await expectError(ctx, 'signmessagewithprivkey', ['invalid_key', message], RPCErrorCode.RPC_INVALID_ADDRESS_OR_KEY, 'Invalid private key');
    await expectError(ctx, 'verifymessage', ['invalid_addr', signature, message], RPCErrorCode.RPC_INVALID_ADDRESS_OR_KEY, 'Invalid address');
    for (const bad of ['invalid_sig', 'QR==', 'QQ=A', 'Q===']) {
      await expectError(ctx, 'verifymessage', [address, bad, message], RPCErrorCode.RPC_TYPE_ERROR, 'Malformed base64 encoding');
    }
    for (const n of [0, 1, 3]) {
      const e = await callError(ctx, 'signmessagewithprivkey', new Array(n).fill('dummy'));
      assert.equal(e.code, RPCErrorCode.RPC_MISC_ERROR);
      assert.match(e.message, /^signmessagewithprivkey "privkey" "message"\n/);
    }
  });
});

describe('rpc estimatesmartfee', () => {
  const ctx = node();

  it('has no estimate without a mempool', async () => {
    const none = { errors: ['Insufficient data or no feerate found'], blocks: 0 };
    assert.deepEqual(await call(ctx, 'estimatesmartfee', [1]), none);
    assert.deepEqual(await call(ctx, 'estimatesmartfee', [1008, 'CONSERVATIVE']), none);
    assert.deepEqual(await call(ctx, 'estimatesmartfee', { conf_target: 6, estimate_mode: 'unset' }), none);
  });

  it('checks the target and mode as Core does', async () => {
    const P = RPCErrorCode.RPC_INVALID_PARAMETER;
    for (const t of [0, -1, 1009]) await expectError(ctx, 'estimatesmartfee', [t], P, 'Invalid conf_target, must be between 1 and 1008');
    await expectError(ctx, 'estimatesmartfee', [2, 'foo'], P, 'Invalid estimate_mode parameter, must be one of: "unset", "economical", "conservative"');
    await expectError(ctx, 'estimatesmartfee', ['foo'], RPCErrorCode.RPC_TYPE_ERROR,
      'Wrong type passed:\n{\n    "Position 1 (conf_target)": "JSON value of type string is not of expected type number"\n}');
    assert.match(String(await call(ctx, 'help', ['estimatesmartfee'])), /2\. estimate_mode    \(string, optional, default="economical"\) The fee estimate mode\.\n {20}unset, economical, conservative \n {20}unset means no mode set \(default mode will be used\)\. \n/);
  });
});
