// Core's client conversion table and the positional/-named conversions, plus the small helpers of
// the call path (ports, wallet URIs, error printing).
import assert from 'node:assert/strict';
import { paramByName, paramByPosition, rpcConvertNamedValues, rpcConvertValues } from '../../../src/cli/convert.js';
import { RPC_CONVERT_PARAMS } from '../../../src/cli/convert_table.js';
import { parseError, parseResult } from '../../../src/cli/main.js';
import { splitHostPort, urlEncode } from '../../../src/cli/rpc_call.js';
import { progressBar } from '../../../src/cli/getinfo.js';
import { JsonNumber, readJson, writeJson } from '../../../src/cli/univalue.js';

describe('cli conversion table', () => {
  it('holds Core\'s 337 entries; the first one of a position or name counts', () => {
    assert.equal(RPC_CONVERT_PARAMS.length, 337);
    // Named-only options share their options object's position.
    assert.deepEqual(RPC_CONVERT_PARAMS.filter(([m, i]) => m === 'dumptxoutset' && i === 2).map(([, , n]) => n), ['options', 'rollback', 'in_memory']);
    assert.equal(paramByPosition('dumptxoutset', 2)!.name, 'options');
    assert.equal(paramByName('dumptxoutset', 'rollback')!.format, 'JSON_OR_STRING');
  });

  it('has Core\'s facts for a sample of methods', () => {
    const facts: [string, number, string, string][] = [
      ['setmocktime', 0, 'timestamp', 'JSON'], ['generatetoaddress', 0, 'nblocks', 'JSON'], ['generatetoaddress', 2, 'maxtries', 'JSON'],
      ['getblock', 1, 'verbosity', 'JSON'], ['getblockhash', 0, 'height', 'JSON'], ['gettxoutsetinfo', 1, 'hash_or_height', 'JSON_OR_STRING'],
      ['getblockstats', 0, 'hash_or_height', 'JSON_OR_STRING'], ['dumptxoutset', 0, 'path', 'STRING'],
      ['createwallet', 0, 'wallet_name', 'STRING'], ['sendtoaddress', 1, 'amount', 'JSON'], ['echojson', 9, 'arg9', 'JSON'],
      ['stop', 0, 'wait', 'JSON'], ['logging', 0, 'include', 'JSON'], ['verifychain', 1, 'nblocks', 'JSON'], ['walletpassphrasechange', 1, 'newpassphrase', 'STRING'],
    ];
    for (const [method, index, name, format] of facts) {
      assert.deepEqual(paramByPosition(method, index), { method, index, name, format }, `${method} ${index}`);
      assert.deepEqual(paramByName(method, name), { method, index, name, format });
    }
    assert.equal(paramByPosition('getblockhash', 1), undefined);
    assert.equal(paramByPosition('echo', 0), undefined);
    assert.equal(paramByPosition('getbestblockhash', 0), undefined);
  });

  it('converts positional words by the table', () => {
    assert.equal(writeJson(rpcConvertValues('getblock', ['00ff', '2'])), '["00ff",2]');
    assert.equal(writeJson(rpcConvertValues('sendtoaddress', ['addr', '0.10000000', 'c', 'to', 'false'])), '["addr",0.10000000,"c","to",false]');
    assert.equal(writeJson(rpcConvertValues('gettxoutsetinfo', ['muhash', '0011'])), '["muhash","0011"]');
    assert.throws(() => rpcConvertValues('getblock', ['00', 'two']), /^ConvertError: Error parsing JSON: two$/);
  });

  it('converts -named words with Core\'s fallbacks and a trailing "args" entry', () => {
    const named = (method: string, words: string[]) => writeJson(rpcConvertNamedValues(method, words));
    assert.equal(named('getblock', ['verbosity=2', 'blockhash=00']), '{"verbosity":2,"blockhash":"00"}');
    assert.equal(named('getblock', ['00', 'verbosity=0']), '{"verbosity":0,"args":["00"]}');
    assert.equal(named('echojson', ['arg0=1', 'arg0=2']), '{"arg0":2}');
    assert.equal(named('echojson', ['["a=b"]']), '{"args":[["a=b"]]}');
    assert.equal(named('createwallet', ['my=wallet']), '{"args":["my=wallet"]}');
    assert.equal(named('echo', ['a=b']), '{"a":"b"}');
    // An unknown name before a JSON position that does not parse whole stays named.
    assert.equal(named('echojson', ['x=1']), '{"x":"1"}');
    // An explicit args=... (a string: "args" is no table name) and positional words: both keys go to the server.
    assert.equal(named('echojson', ['args=[1]', '2']), '{"args":"[1]","args":[2]}');
    assert.equal(named('getblockcount', []), '{}');
  });
});

describe('cli call helpers', () => {
  it('splits hosts and ports as Core\'s SplitHostPort', () => {
    assert.deepEqual(splitHostPort('127.0.0.1'), { host: '127.0.0.1', port: 0, valid: true });
    assert.deepEqual(splitHostPort('127.0.0.1:18443'), { host: '127.0.0.1', port: 18443, valid: true });
    assert.deepEqual(splitHostPort('[::1]:5'), { host: '::1', port: 5, valid: true });
    assert.deepEqual(splitHostPort('[::1]'), { host: '::1', port: 0, valid: true });
    assert.deepEqual(splitHostPort('::1'), { host: '::1', port: 0, valid: true });
    assert.deepEqual(splitHostPort('host:0'), { host: 'host', port: 0, valid: false });
    assert.deepEqual(splitHostPort('host:65536'), { host: 'host:65536', port: 0, valid: false });
    assert.deepEqual(splitHostPort('host:+1'), { host: 'host:+1', port: 0, valid: false });
    assert.deepEqual(splitHostPort(':7'), { host: '', port: 7, valid: true });
  });

  it('percent-encodes wallet names except RFC 3986 unreserved characters', () => {
    assert.equal(urlEncode('aZ09-_.~'), 'aZ09-_.~');
    assert.equal(urlEncode('a b/c%é'), 'a%20b%2Fc%25%C3%A9');
  });

  it('prints errors and results as Core', () => {
    assert.deepEqual(parseError(readJson('{"code":-8,"message":"bad"}')!), { text: 'error code: -8\nerror message:\nbad', code: 8 });
    assert.deepEqual(parseError(readJson('{"code":-8}')!), { text: 'error code: -8\n', code: 8 });
    assert.throws(() => parseError(readJson('{"message":"m"}')!), /JSON value of type null is not of expected type number/);
    assert.throws(() => parseError('oops'), /JSON value of type null/);
    assert.equal(parseResult(null), '');
    assert.equal(parseResult('text\n'), 'text\n');
    assert.equal(parseResult(new JsonNumber('1.50')), '1.50');
    assert.equal(parseResult(readJson('{"a":true}')!), '{\n  "a": true\n}');
  });

  it('draws the -getinfo progress bar in 5% steps', () => {
    assert.equal(progressBar(0), '\u2591'.repeat(20));
    assert.equal(progressBar(1), '\u2592'.repeat(20));
    assert.equal(progressBar(0.51), '\u2592'.repeat(11) + '\u2591'.repeat(10));
    assert.equal(progressBar(-0.1), '');
    assert.equal(progressBar(1.1), '');
  });
});
