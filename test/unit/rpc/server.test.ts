// The command table: warm-up, unknown methods, handler errors, and named parameters with Core's
// transformation rules (holes, aliases, named-only options, the "args" merge) and error texts.
import assert from 'node:assert/strict';
import { RPCError, RPCErrorCode, RPCTypeError } from '../../../src/rpc/protocol.js';
import { JSONRPCRequest, type JSONObject, type JSONValue } from '../../../src/rpc/request.js';
import { RPCTable, transformNamedArguments, type RPCArgName } from '../../../src/rpc/server.js';
import { duplicateKeys, JSONNumber, parseJSONBody } from '../../../src/rpc/json.js';
import { allowListDescription } from '../../../src/rpc/netfilter.js';

const ARGS: RPCArgName[] = [{ name: 'a' }, { name: 'b|bee' }, { name: 'c' }];

function invalid(named: JSONObject, names: RPCArgName[] = ARGS): string {
  try {
    transformNamedArguments(named, names);
  } catch (e) {
    assert.ok(e instanceof RPCError);
    assert.equal(e.code, RPCErrorCode.RPC_INVALID_PARAMETER);
    return e.message;
  }
  assert.fail('no error');
}

function req(method: string, params: JSONValue[] | JSONObject = []): JSONRPCRequest {
  const r = new JSONRPCRequest();
  r.parse({ method, params });
  return r;
}

async function rpcError(p: Promise<unknown>): Promise<RPCError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof RPCError);
    return e;
  }
  assert.fail('no error');
}

describe('rpc command table', () => {
  it('maps named params to positions, filling holes but not the tail', () => {
    assert.deepEqual(transformNamedArguments({ c: 3 }, ARGS), [null, null, 3]);
    assert.deepEqual(transformNamedArguments({ a: 1 }, ARGS), [1]);
    assert.deepEqual(transformNamedArguments({ bee: 2 }, ARGS), [null, 2]);
    assert.deepEqual(transformNamedArguments({}, ARGS), []);
  });

  it('merges the "args" array before named params', () => {
    assert.deepEqual(transformNamedArguments({ args: [1, 2], c: 3 }, ARGS), [1, 2, 3]);
    assert.deepEqual(transformNamedArguments({ args: [1] }, ARGS), [1]);
    assert.deepEqual(transformNamedArguments({ args: [1, 2, 3, 4] }, ARGS), [1, 2, 3, 4]);
    assert.deepEqual(transformNamedArguments({ args: 'x', a: 1 }, ARGS), [1], 'a non-array "args" is dropped');
    assert.equal(invalid({ args: [1, 2], b: 5 }), 'Parameter b|bee specified twice both as positional and named argument');
    assert.equal(invalid({ args: [1], a: 5 }), 'Parameter a specified twice both as positional and named argument');
  });

  it('collects named-only params into an options object', () => {
    const names: RPCArgName[] = [{ name: 'a' }, { name: 'x', namedOnly: true }, { name: 'y', namedOnly: true }, { name: 'opts' }];
    assert.deepEqual(transformNamedArguments({ a: 1, y: 2 }, names), [1, { y: 2 }]);
    assert.equal(invalid({ x: 1, opts: {} }, names), 'Parameter opts conflicts with parameter x');
  });

  it('rejects unknown names', () => {
    assert.equal(invalid({ a: 1, zzz: 2 }), 'Unknown named parameter zzz');
  });

  it('parses bodies as UniValue does: the first of duplicate keys wins, named ones twice are an error', () => {
    const parsed = parseJSONBody(Buffer.from('{"method":"x","method":"y","params":{"c":1,"a":2,"c":3,"a":4},"__proto__":5}'));
    const body = parsed!.value as JSONObject;
    assert.equal(body.method, 'x');
    assert.deepEqual(Object.keys(body), ['method', 'params', '__proto__']);
    assert.equal(body['__proto__'], 5);
    assert.deepEqual(duplicateKeys(body), ['method']);
    assert.deepEqual(duplicateKeys(body.params as JSONObject), ['c', 'a']);
    assert.equal(invalid(body.params as JSONObject), 'Parameter c specified multiple times');
    // A number keeps its text when a plain number would write it otherwise, as in UniValue.
    assert.deepEqual(parseJSONBody(Buffer.from(' [1, -0.5e2, -50, "a\\u00e9\\n", true, null, {}] ')),
      { value: [1, new JSONNumber('-0.5e2'), -50, 'a\u00e9\n', true, null, {}] });
    // Colons and escaped quotes inside strings do not hide a duplicate, nor make one up.
    const tricky = parseJSONBody(Buffer.from('{"a:\\"":"x:y","b":[{"c":":"}],"a:\\"":2}'))!.value as JSONObject;
    assert.deepEqual([tricky['a:"'], duplicateKeys(tricky)], ['x:y', ['a:"']]);
    const plain = parseJSONBody(Buffer.from('{"k\\\\":"v:\\":","__proto__":{"x":[1,{"y":null}]}}'))!.value as JSONObject;
    assert.deepEqual(Object.keys(plain), ['k\\', '__proto__']);
    assert.deepEqual(plain['__proto__'], { x: [1, { y: null }] });
    assert.equal(Object.getPrototypeOf(plain), Object.prototype);
    assert.deepEqual(duplicateKeys(plain), []);
    for (const bad of ['', '[1,]', '{"a":1,}', '01', '[1] 2', '"\u0001"', '{1:2}', "{'a':1}", '[', 'nul']) {
      assert.equal(parseJSONBody(Buffer.from(bad)), undefined, bad);
    }
  });

  it('answers -28 with the warm-up status until warm-up ends', async () => {
    const t = new RPCTable();
    t.register('x', 'test', () => 1);
    let e = await rpcError(t.execute(req('x')));
    assert.equal(e.code, RPCErrorCode.RPC_IN_WARMUP);
    assert.equal(e.message, 'RPC server started');
    t.setWarmupStatus('Loading block index…');
    e = await rpcError(t.execute(req('nosuch')));
    assert.equal(e.message, 'Loading block index…', 'warm-up is checked before the method lookup');
    t.setWarmupFinished();
    assert.equal(await t.execute(req('x')), 1);
    assert.throws(() => t.setWarmupFinished());
  });

  it('maps unknown methods and handler exceptions to Core\'s codes', async () => {
    const t = new RPCTable();
    t.register('misc', 'test', () => { throw new Error('boom'); });
    t.register('type', 'test', () => { throw new RPCTypeError('JSON value of type null is not of expected type string'); });
    t.register('own', 'test', async () => { throw new RPCError(-5, 'mine'); });
    t.register('echo', 'test', (r) => r.params, ['a', 'b']);
    t.setWarmupFinished();
    let e = await rpcError(t.execute(req('nosuch')));
    assert.deepEqual([e.code, e.message], [-32601, 'Method not found']);
    e = await rpcError(t.execute(req('misc')));
    assert.deepEqual([e.code, e.message], [-1, 'boom']);
    e = await rpcError(t.execute(req('type')));
    assert.equal(e.code, -3);
    e = await rpcError(t.execute(req('own')));
    assert.deepEqual([e.code, e.message], [-5, 'mine']);
    assert.deepEqual(await t.execute(req('echo', { b: 2 })), [null, 2]);
    assert.throws(() => t.register('echo', 'test', () => 0));
  });
});

describe('-debug=http: the allow list line', () => {
  it('lists each subnet as Core writes a CSubNet: masked network, prefix length, a space after each', () => {
    assert.equal(allowListDescription([]), '127.0.0.0/8 ::1/128 ');
    assert.equal(allowListDescription(['192.168.1.5/24', '10.1.2.3/255.255.0.0', '1.2.3.4', 'fe80::1:2/64', '2001:db8:0:0:1::1', '::/0']),
      '127.0.0.0/8 ::1/128 192.168.1.0/24 10.1.0.0/16 1.2.3.4/32 fe80::/64 2001:db8::1:0:0:1/128 ::/0 ');
  });
});
