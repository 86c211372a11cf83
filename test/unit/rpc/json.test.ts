import assert from 'node:assert/strict';
import { duplicateKeys, MAX_JSON_DEPTH, parseJSONBody } from '../../../src/rpc/json.js';

const parse = (text: string): unknown => parseJSONBody(Buffer.from(text))?.value;

describe('parseJSONBody', () => {
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
