import assert from 'node:assert/strict';
import { duplicateKeys, JSONNumber, MAX_JSON_DEPTH, parseJSONBody, writeJSON } from '../../../src/rpc/json.js';
import { getInt, getReal } from '../../../src/rpc/util_value.js';

const parse = (text: string): unknown => parseJSONBody(Buffer.from(text))?.value;

describe('parseJSONBody', () => {
  it('keeps the text of numbers a plain number would not write back the same, as UniValue keeps every number', () => {
    const parse = (text: string) => parseJSONBody(Buffer.from(text))!.value;
    const exact = ['1.0', '1e2', '1E5', '-0', '1e400', '-1e-400', '1.50', '0.1000000000000000055511151231257827', '12345678901234567890123'];
    for (const text of exact) {
      // Alone, in an array, and in a long body (the tokenizer's path) alike.
      for (const body of [text, `[${text}]`, `{"a":"${'x'.repeat(70000)}","n":${text}}`]) {
        const value = parse(body);
        const n = typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof JSONNumber)
          ? value.n : Array.isArray(value) ? value[0] : value;
        assert.ok(n instanceof JSONNumber && n.text === text, `${text} in ${body.slice(0, 20)}`);
      }
      assert.equal(writeJSON(parse(`{"id":"1.0","p":[${text}]}`)), `{"id":"1.0","p":[${text}]}`);
    }
    // Numbers that write back the same stay plain, also next to strings holding digits, dots and exponents.
    assert.deepEqual(parse('{"jsonrpc":"2.0","method":"x1e5","params":[1,-2,0.5,0.25,123456789012345],"id":7}'),
      { jsonrpc: '2.0', method: 'x1e5', params: [1, -2, 0.5, 0.25, 123456789012345], id: 7 });
    assert.throws(() => getInt(parse('1.0')), { message: 'JSON integer out of range' });
    assert.throws(() => getInt(parse('1e2')), { message: 'JSON integer out of range' });
    assert.throws(() => getReal(parse('1e400')), { message: 'JSON double out of range' });
    assert.equal(getReal(parse('1.50')), 1.5);
    assert.equal(getInt(parse('-0')), 0);
  });

  it('decodes strings as JSON.parse does, with and without escapes', () => {
    for (const text of ['"plain"', '"a\\"b\\\\c\\/d\\n\\u00e9\\ud83d\\ude00"', '""', '{"k\\u0041":"v"}', '["x","\\t"]']) {
      assert.deepEqual(parse(text), JSON.parse(text), text);
    }
  });

  it('rejects what UniValue rejects: raw control characters, bad escapes, an unterminated string', () => {
    for (const text of ['"a\u0001b"', '"\\x41"', '"\\u12"', '"open', '["a" "b"]']) {
      assert.equal(parse(text), undefined, JSON.stringify(text));
    }
  });

  it('takes a megabyte-long string (a block in submitblock) whole', () => {
    const hex = 'ab'.repeat(1 << 20);
    const value = parse(JSON.stringify({ method: 'submitblock', params: [hex] })) as { params: string[] };
    assert.equal(value.params[0], hex);
  });

  it('bounds nesting wherever it is, also after a long prefix', () => {
    const deep = (n: number): string => `${'['.repeat(n)}${']'.repeat(n)}`;
    assert.ok(parse(deep(MAX_JSON_DEPTH)) !== undefined);
    assert.equal(parse(deep(MAX_JSON_DEPTH + 1)), undefined);
    assert.equal(parse(`["${'x'.repeat(4096)}",${deep(MAX_JSON_DEPTH)}]`), undefined);
    assert.equal(parse(`{"a":${deep(MAX_JSON_DEPTH + 1)}}`), undefined);
  });

  it('keeps the first of duplicate keys and lists the others', () => {
    const value = parse('{"a":1,"b":2,"a":3,"__proto__":4}') as Record<string, unknown>;
    assert.equal(value.a, 1);
    assert.equal(Object.getOwnPropertyDescriptor(value, '__proto__')?.value, 4);
    assert.deepEqual(duplicateKeys(value), ['a']);
  });
});
