// JSONRPCRequest parsing (Core's texts and codes) and the reply shapes of 1.0 and 2.0.
import assert from 'node:assert/strict';
import { RPCError, RPCErrorCode, httpStatusReason, HTTPStatus } from '../../../src/rpc/protocol.js';
import { JSONRPCRequest, JSONRPCVersion, jsonrpcReply, type JSONValue } from '../../../src/rpc/request.js';

function parseError(value: JSONValue): RPCError {
  const r = new JSONRPCRequest();
  try {
    r.parse(value);
  } catch (e) {
    assert.ok(e instanceof RPCError);
    return e;
  }
  assert.fail('parse did not throw');
}

describe('rpc request parsing', () => {
  it('rejects bad requests with Core\'s texts', () => {
    const cases: [JSONValue, string][] = [
      [[], 'Invalid Request object'],
      ['x', 'Invalid Request object'],
      [{ id: 1 }, 'Missing method'],
      [{ method: null }, 'Missing method'],
      [{ method: 5 }, 'Method must be a string'],
      [{ method: 'a', params: 3 }, 'Params must be an array or object'],
      [{ method: 'a', params: 'x' }, 'Params must be an array or object'],
      [{ method: 'a', jsonrpc: 2 }, 'jsonrpc field must be a string'],
      [{ method: 'a', jsonrpc: '1.1' }, 'JSON-RPC version not supported'],
    ];
    for (const [value, message] of cases) {
      const e = parseError(value);
      assert.equal(e.message, message);
      assert.equal(e.code, RPCErrorCode.RPC_INVALID_REQUEST);
    }
  });

  it('detects the version and notifications', () => {
    const r = new JSONRPCRequest();
    r.parse({ method: 'm', jsonrpc: '1.0' });
    assert.equal(r.version, JSONRPCVersion.V1_LEGACY);
    assert.equal(r.isNotification(), false, 'a legacy request without id is not a notification');
    r.parse({ method: 'm', jsonrpc: '2.0' });
    assert.equal(r.version, JSONRPCVersion.V2);
    assert.equal(r.isNotification(), true);
    r.parse({ method: 'm', jsonrpc: '2.0', id: null });
    assert.equal(r.isNotification(), false, 'a null id is still an id');
    assert.deepEqual(r.params, []);
  });

  it('keeps the id when a later field is bad', () => {
    const r = new JSONRPCRequest();
    assert.throws(() => r.parse({ id: 'x7', jsonrpc: '2.0', method: 1 }));
    assert.equal(r.id, 'x7');
    assert.equal(r.version, JSONRPCVersion.V2);
  });

  it('shapes replies as Core', () => {
    assert.deepEqual(jsonrpcReply(5, null, 1, JSONRPCVersion.V1_LEGACY), { result: 5, error: null, id: 1 });
    assert.deepEqual(jsonrpcReply(null, { code: -1, message: 'm' }, 1, JSONRPCVersion.V1_LEGACY),
      { result: null, error: { code: -1, message: 'm' }, id: 1 });
    assert.deepEqual(jsonrpcReply(5, null, 1, JSONRPCVersion.V2), { jsonrpc: '2.0', result: 5, id: 1 });
    assert.deepEqual(jsonrpcReply(null, { code: -1, message: 'm' }, undefined, JSONRPCVersion.V2),
      { jsonrpc: '2.0', error: { code: -1, message: 'm' } });
    assert.deepEqual(Object.keys(jsonrpcReply(null, null, 3, JSONRPCVersion.V2)), ['jsonrpc', 'result', 'id']);
  });

  it('has Core\'s codes and reasons', () => {
    assert.equal(RPCErrorCode.RPC_IN_WARMUP, -28);
    assert.equal(RPCErrorCode.RPC_METHOD_NOT_FOUND, -32601);
    assert.equal(RPCErrorCode.RPC_PARSE_ERROR, -32700);
    assert.equal(RPCErrorCode.RPC_INVALID_PARAMETER, -8);
    assert.equal(httpStatusReason(HTTPStatus.CONTENT_TOO_LARGE), 'Content too large');
    assert.equal(httpStatusReason(HTTPStatus.BAD_METHOD), 'Method Not Allowed');
  });
});
