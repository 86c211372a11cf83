// UniValue's reading and writing rules as the client uses them, and printf's %.4f.
import assert from 'node:assert/strict';
import { formatFixed } from '../../../src/cli/format.js';
import { getInt, JsonNumber, JsonObject, obj, pushKV, readJson, writeJson } from '../../../src/cli/univalue.js';

describe('cli univalue', () => {
  it('keeps number text exactly (amounts, exponents, big integers)', () => {
    for (const text of ['50.00000000', '1e-8', '-0', '123456789012345678901234567890', '4.656542373906925e-10', '1E+2']) {
      const v = readJson(text);
      assert.ok(v instanceof JsonNumber);
      assert.equal(writeJson(v), text);
    }
    assert.equal(writeJson(readJson('{"a":[1.10,{"b":2.50000000}]}')!, 2), '{\n  "a": [\n    1.10,\n    {\n      "b": 2.50000000\n    }\n  ]\n}');
  });

  it('rejects what UniValue rejects', () => {
    for (const bad of ['', ' ', '01', '-', '1.', '.5', '1e', '[1,]', '{"a":1,}', '[1 2]', '{"a" 1}', '{1:2}', 'nul', 'truex', '"\u0001"',
      '"\\x"', '"\\u12"', '"\\ud800"', '[1]]', '"abc', '+1', 'NaN', '[' .repeat(513) + ']'.repeat(513)]) {
      assert.equal(readJson(bad), undefined, JSON.stringify(bad));
    }
  });

  it('accepts any value at the top level, whitespace around it, and 512 levels', () => {
    assert.equal(readJson(' "x" \n'), 'x');
    assert.equal(readJson('null'), null);
    assert.equal(readJson('true'), true);
    assert.equal(readJson('"\\ud83d\\ude00\\/"'), '\u{1F600}/');
    assert.ok(Array.isArray(readJson('['.repeat(512) + ']'.repeat(512))));
  });

  it('keeps duplicate keys and writes them all', () => {
    const v = readJson('{"a":1,"a":2}');
    assert.ok(v instanceof JsonObject);
    assert.equal(writeJson(v), '{"a":1,"a":2}');
    assert.equal(writeJson(v.values[0]!), '1');
    const o = obj([['x', new JsonNumber('1')]]);
    pushKV(o, 'x', 'y');
    assert.equal(writeJson(o), '{"x":"y"}');
    o.push('x', 'z');
    assert.equal(writeJson(o), '{"x":"y","x":"z"}');
  });

  it('writes empty containers and escapes as UniValue', () => {
    assert.equal(writeJson([], 2), '[\n]');
    assert.equal(writeJson(new JsonObject(), 2), '{\n}');
    assert.equal(writeJson([[], new JsonObject()], 2), '[\n  [\n  ],\n  {\n  }\n]');
    assert.equal(writeJson('"\\\b\f\n\r\t\u0000\u001f\u007f/é'), '"\\"\\\\\\b\\f\\n\\r\\t\\u0000\\u001f\\u007f/é"');
  });

  it('reads integers within range only', () => {
    assert.equal(getInt(new JsonNumber('-32601')), -32601);
    assert.throws(() => getInt(new JsonNumber('2147483648')), /^JsonTypeError: JSON integer out of range$/);
    assert.throws(() => getInt(new JsonNumber('1.5')), /JSON integer out of range/);
    assert.throws(() => getInt('1'), /^JsonTypeError: JSON value of type string is not of expected type number$/);
    assert.throws(() => getInt(null), /JSON value of type null is not of expected type number/);
  });

  it('formats %.4f as C does, halves to even', () => {
    assert.equal(formatFixed(50, 4), '50.0000');
    assert.equal(formatFixed(99.99999, 4), '100.0000');
    assert.equal(formatFixed(0.03125, 4), '0.0312');
    assert.equal(formatFixed(0.09375, 4), '0.0938');
    assert.equal(formatFixed(-0.03125, 4), '-0.0312');
    assert.equal(formatFixed(2.5, 0), '2');
    assert.equal(formatFixed(0.1, 4), '0.1000');
  });
});
