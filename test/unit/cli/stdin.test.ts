// Standard input lines as std::getline reads them.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { StdinLines } from '../../../src/cli/stdin.js';

function lines(chunks: string[]): StdinLines {
  const input = new PassThrough();
  for (const c of chunks) input.write(c);
  input.end();
  return new StdinLines(input as unknown as NodeJS.ReadStream);
}

describe('cli stdin', () => {
  it('splits on \\n only, keeps \\r, counts a last line without a newline', async () => {
    assert.deepEqual(await lines(['a\r\nb', 'c\n\nd']).readAll(), ['a\r', 'bc', '', 'd']);
    assert.deepEqual(await lines(['x\n']).readAll(), ['x']);
    assert.deepEqual(await lines([]).readAll(), []);
  });

  it('reads one line, then the rest', async () => {
    const src = lines(['pw\n1\n2']);
    assert.equal(await src.readLine(), 'pw');
    assert.deepEqual(await src.readAll(), ['1', '2']);
    assert.equal(await src.readLine(), undefined);
  });
});
