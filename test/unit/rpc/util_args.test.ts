// RPCHelpMan's request checks (argument types, counts, defaults, -rpcdoccheck) and the shared argument
// parsers (amounts, hashes, hex, confirmation targets, verbosity, ranges), with Core's error texts.
import assert from 'node:assert/strict';
import type { NodeContext } from '../../../src/node/context.js';
import { RPCError, RPCErrorCode } from '../../../src/rpc/protocol.js';
import type { JSONValue } from '../../../src/rpc/request.js';
import {
  amountFromValue, getInt, hexToPubKey, Optional, parseConfirmTarget, parseDescriptorRange, parseFeeRate,
  parseFixedPoint, parseHashV, parseHexV, parseVerbosity, RPCHelpMan, rpcTypeCheckObj, type ArgReader, type RPCResult,
} from '../../../src/rpc/util.js';
import { call, callError, makeContext } from './node_context.js';

function thrown(f: () => unknown): { code: number | undefined; message: string; type: boolean } {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof Error);
    return { code: e instanceof RPCError ? e.code : undefined, message: e.message, type: e.name === 'RPCTypeError' };
  }
  assert.fail('no error');
}

/** A method with one arg of each checked kind; the handler returns what the reader gives. */
function typed(ctx: NodeContext, read: (a: ArgReader) => JSONValue, results: RPCResult = { type: 'ANY', description: '' }): void {
  new RPCHelpMan({
    name: 'typed', description: 'x', examples: '', results,
    args: [
      { names: 'n', type: 'NUM', fallback: Optional.NO, description: '' },
      { names: 's', type: 'STR', fallback: { default: 'dflt' }, description: '' },
      { names: 'b', type: 'BOOL', fallback: Optional.OMITTED, description: '' },
      { names: 'o', type: 'OBJ', fallback: Optional.OMITTED, description: '', inner: [] },
      { names: 'a', type: 'AMOUNT', fallback: Optional.OMITTED, description: '' },
      { names: 'x', type: 'ARR', fallback: Optional.OMITTED, description: '', inner: [], opts: { skipTypeCheck: true } },
    ],
    handler: (_r, _c, args) => read(args),
  }).register(ctx.rpcTable, 'test', ctx);
  ctx.rpcTable.setWarmupFinished();
}

describe('rpc/util request checks', () => {
  it('reports every wrongly typed argument with its position', async () => {
    const ctx = makeContext();
    typed(ctx, () => null);
    const e = await callError(ctx, 'typed', ['1', 2, 'yes', [], { any: 1 }, 'not an array']);
    assert.equal(e.code, RPCErrorCode.RPC_TYPE_ERROR);
    assert.equal(e.message, 'Wrong type passed:\n{\n' +
      '    "Position 1 (n)": "JSON value of type string is not of expected type number",\n' +
      '    "Position 2 (s)": "JSON value of type number is not of expected type string",\n' +
      '    "Position 3 (b)": "JSON value of type string is not of expected type bool",\n' +
      '    "Position 4 (o)": "JSON value of type array is not of expected type object"\n}');
    // A required argument may not be null; optional ones may.
    const nul = await callError(ctx, 'typed', [null]);
    assert.match(nul.message, /"Position 1 \(n\)": "JSON value of type null is not of expected type number"/);
    assert.equal(await call(ctx, 'typed', [1, null, null, null, null]), null);
  });

  it('reads arguments by name with their defaults and univalue getter errors', async () => {
    const ctx = makeContext();
    typed(ctx, (a) => [a.int('n'), a.str('s'), a.maybeBool('b') ?? 'unset']);
    assert.deepEqual(await call(ctx, 'typed', [7]), [7, 'dflt', 'unset']);
    assert.deepEqual(await call(ctx, 'typed', { n: -3, b: true, s: 'given' }), [-3, 'given', true]);
    const frac = await callError(ctx, 'typed', [1.5]);
    assert.equal(frac.code, RPCErrorCode.RPC_MISC_ERROR);
    assert.equal(frac.message, 'JSON integer out of range');
    assert.equal((await callError(ctx, 'typed', [2 ** 31])).message, 'JSON integer out of range');
  });

  it('checks results against the doc only with -rpcdoccheck', async () => {
    const doc: RPCResult = { type: 'OBJ', description: '', inner: [
      { type: 'NUM', key: 'n', description: '' }, { type: 'STR', key: 'opt', optional: true, description: '' },
    ] };
    const bad = { n: 'x', extra: 1 };
    const off = makeContext();
    typed(off, () => bad, doc);
    assert.deepEqual(await call(off, 'typed', [1]), bad);
    const on = makeContext({ argv: ['-rpcdoccheck=1'] });
    typed(on, () => bad, doc);
    const e = await callError(on, 'typed', [1]);
    assert.equal(e.code, RPCErrorCode.RPC_MISC_ERROR);
    assert.ok(e.message.startsWith('Internal bug detected: RPC call "typed" returned incorrect type:\n{\n' +
      '    "extra": "key returned that was not in doc",\n    "n": "returned type is string, but declared as number in doc"\n}\n'),
    e.message);
    const missing = makeContext({ argv: ['-rpcdoccheck=1'] });
    typed(missing, () => ({ opt: 'x' }), doc);
    assert.match((await callError(missing, 'typed', [1])).message, /"n": "key missing, despite not being optional in doc"/);
    const good = makeContext({ argv: ['-rpcdoccheck=1'] });
    typed(good, () => ({ n: 1 }), doc);
    assert.deepEqual(await call(good, 'typed', [1]), { n: 1 });
  });

  it('rejects declarations Core rejects', () => {
    const base = { name: 'd', description: '', examples: '', handler: () => null, results: { type: 'NONE', description: '' } as RPCResult };
    assert.throws(() => new RPCHelpMan({ ...base, args: [
      { names: 'a', type: 'NUM', fallback: Optional.NO, description: '' },
      { names: 'b|a', type: 'NUM', fallback: Optional.NO, description: '' }] }), /not unique/);
    assert.throws(() => new RPCHelpMan({ ...base, args: [
      { names: 'a', type: 'NUM', fallback: { default: 'text' }, description: '' }] }), /does not match its type/);
    assert.throws(() => new RPCHelpMan({ ...base, args: [], results: { type: 'ARR', description: '' } }), /needs inner results/);
  });
});

describe('rpc/util parsers', () => {
  it('parses amounts as Core does', () => {
    assert.equal(amountFromValue(0.1), 10_000_000n);
    assert.equal(amountFromValue('21000000'), 2_100_000_000_000_000n);
    assert.equal(amountFromValue(1e-8), 1n);
    assert.equal(amountFromValue('0.00000001e1'), 10n);
    assert.deepEqual(thrown(() => amountFromValue(true)), { code: RPCErrorCode.RPC_TYPE_ERROR, message: 'Amount is not a number or string', type: false });
    assert.equal(thrown(() => amountFromValue('0.000000001')).message, 'Invalid amount');
    assert.equal(thrown(() => amountFromValue('1.')).message, 'Invalid amount');
    assert.equal(thrown(() => amountFromValue(' 1')).message, 'Invalid amount');
    assert.equal(thrown(() => amountFromValue(-1)).message, 'Amount out of range');
    assert.equal(thrown(() => amountFromValue('21000000.00000001')).message, 'Amount out of range');
    assert.equal(thrown(() => parseFeeRate(1)).message, 'Fee rates larger than or equal to 1BTC/kvB are not accepted');
  });

  it('parses fixed point text with Core edge cases', () => {
    assert.equal(parseFixedPoint('0.000000000', 8), 0n); // zeros move the exponent, so this is in range
    assert.equal(parseFixedPoint('0e-9', 8), undefined);
    assert.equal(parseFixedPoint('1e+2', 8), 10_000_000_000n);
    assert.equal(parseFixedPoint('9999999999.99999999', 8), 999_999_999_999_999_999n);
    assert.equal(parseFixedPoint('10000000000', 8), undefined);
    assert.equal(parseFixedPoint('00', 8), undefined);
    assert.equal(parseFixedPoint('-0.5', 8), -50_000_000n);
    assert.equal(parseFixedPoint('1e0000000000000000000000002', 8), 10_000_000_000n);
  });

  it('parses hashes and hex with Core texts', () => {
    const h = 'ab'.repeat(32);
    assert.equal(parseHashV(h, 'blockhash'), h);
    assert.deepEqual(thrown(() => parseHashV('abc', 'blockhash')),
      { code: RPCErrorCode.RPC_INVALID_PARAMETER, message: "blockhash must be of length 64 (not 3, for 'abc')", type: false });
    assert.equal(thrown(() => parseHashV('zz'.repeat(32), 'txid')).message, `txid must be hexadecimal string (not '${'zz'.repeat(32)}')`);
    assert.equal(thrown(() => parseHashV(5, 'txid')).message, 'JSON value of type number is not of expected type string');
    assert.deepEqual(parseHexV('00ff', 'data'), new Uint8Array([0, 255]));
    assert.equal(thrown(() => parseHexV('0', 'data')).message, "data must be hexadecimal string (not '0')");
    assert.equal(thrown(() => parseHexV(7, 'data')).message, "data must be hexadecimal string (not '')");
  });

  it('parses public keys, targets, verbosity, ranges and object fields', () => {
    const g = '0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798';
    assert.equal(hexToPubKey(g).length, 33);
    assert.equal(thrown(() => hexToPubKey('xy')).message, 'Pubkey "xy" must be a hex string');
    assert.equal(thrown(() => hexToPubKey('02ab')).message, 'Pubkey "02ab" must have a length of either 33 or 65 bytes');
    assert.equal(thrown(() => hexToPubKey(`05${g.slice(2)}`)).message, `Pubkey "05${g.slice(2)}" must be cryptographically valid.`);
    assert.equal(parseConfirmTarget(6, 1008), 6);
    for (const bad of [0, -1, 1009]) assert.equal(thrown(() => parseConfirmTarget(bad, 1008)).message, 'Invalid conf_target, must be between 1 and 1008');
    assert.equal(parseVerbosity(null, 1, false), 1);
    assert.equal(parseVerbosity(true, 0, true), 1);
    assert.equal(parseVerbosity(2, 0, false), 2);
    assert.deepEqual(thrown(() => parseVerbosity(false, 0, false)), { code: RPCErrorCode.RPC_TYPE_ERROR, message: 'Verbosity was boolean but only integer allowed', type: false });
    assert.deepEqual(parseDescriptorRange(5), [0, 5]);
    assert.deepEqual(parseDescriptorRange([2, 9]), [2, 9]);
    assert.equal(thrown(() => parseDescriptorRange([-1, 2])).message, 'Range should be greater or equal than 0');
    assert.equal(thrown(() => parseDescriptorRange([0, 2 ** 31])).message, 'End of range is too high');
    assert.equal(thrown(() => parseDescriptorRange([0, 1_000_000])).message, 'Range is too large');
    assert.equal(parseDescriptorRange([1, 1_000_000])[1], 1_000_000);
    assert.equal(thrown(() => parseDescriptorRange([3, 2])).message, 'Range specified as [begin,end] must not have begin after end');
    assert.equal(thrown(() => parseDescriptorRange('1')).message, 'Range must be specified as end or as [begin,end]');
    assert.equal(thrown(() => rpcTypeCheckObj({ a: 1 }, { a: 'string' })).message, 'JSON value of type number for field a is not of expected type string');
    assert.equal(thrown(() => rpcTypeCheckObj({}, { a: 'string' })).message, 'Missing a');
    assert.equal(thrown(() => rpcTypeCheckObj({ a: 'x', b: 1 }, { a: 'string' }, false, true)).message, 'Unexpected key b');
    assert.equal(getInt(-0), 0);
  });
});
