// UTF-8 length and encoding of text: the native path taken from NATIVE_TEXT_MIN characters on must write exactly what
// the per-character path writes below it (and what Buffer writes), lone surrogates included (U+FFFD, 3 bytes).
import assert from 'node:assert/strict';
import { MessageBuilder, MessageReader } from '../src/index.js';
import { encodeTextInto, utf8Length } from '../src/message/text-codec.js';

const PIECES = ['a', 'z', '\u00e9', '\u07ff', '\u0800', '\u20ac', '\uffff', '\ud83d\ude00', '\ud800', '\udc00', '\u0000'];

/** Deterministic strings of `n` UTF-16 units built from PIECES (a pair may be cut into a lone surrogate). */
function sample(n: number, seed: number): string {
  let s = '';
  let x = seed;
  while (s.length < n) {
    x = (x * 1103515245 + 12345) >>> 0;
    s += PIECES[x % PIECES.length];
  }
  return s.slice(0, n);
}

describe('text encoding (per-character and native paths)', () => {
  it('gives Buffer\'s UTF-8 bytes for every length around the switch to the native path', () => {
    for (let n = 0; n <= 200; n++) {
      for (const s of [sample(n, n), 'x'.repeat(n), sample(n, n + 7)]) {
        const expected = Buffer.from(s, 'utf8');
        const len = utf8Length(s);
        assert.equal(len, expected.length, `length of ${JSON.stringify(s)}`);
        const out = new Uint8Array(len + 2).fill(0xaa);
        encodeTextInto(s, out, 1, len);
        assert.deepEqual(Buffer.from(out.subarray(1, 1 + len)), expected, `bytes of ${JSON.stringify(s)}`);
        assert.deepEqual([out[0], out[len + 1]], [0xaa, 0xaa], 'wrote outside its range');
      }
    }
  });

  it('round-trips long text through a message', () => {
    const s = sample(5000, 42);
    const mb = new MessageBuilder(64);
    mb.initRoot(0, 1).setText(0, s);
    const text = new MessageReader(mb.getSegments()).getRoot().getText(0);
    assert.equal(text, Buffer.from(s, 'utf8').toString('utf8'));
  });
});
