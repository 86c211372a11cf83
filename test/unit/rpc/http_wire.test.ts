// The RPC server's own HTTP/1.1 reader and writer: requests split anywhere, chunked bodies, the limits, llhttp's
// strictness, and the exact bytes Core's HTTP server sends (checked against bitcoind by test/core-diff's wire check).
import assert from 'node:assert/strict';
import net from 'node:net';
import { HTTPParseError, HTTPRequestParser, MAX_BODY_SIZE, MAX_HEADERS_SIZE, type ParsedRequest } from '../../../src/rpc/http_parser.js';
import { requestKeepsAlive } from '../../../src/rpc/http_reply.js';
import { cookieAuth, startServer, type Harness } from './harness.js';

const BODY = '{"method":"echo","params":[1],"id":1}';

function head(lines: string[]): string {
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** Feeds the bytes in pieces of `step` and collects every request; throws what the parser throws. */
function parseAll(bytes: string | Buffer, step = Infinity): ParsedRequest[] {
  const data = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
  const parser = new HTTPRequestParser();
  const out: ParsedRequest[] = [];
  for (let i = 0; i < data.length; i += Math.min(step, data.length)) {
    parser.push(data.subarray(i, i + step));
    for (let r = parser.next(); r !== undefined; r = parser.next()) out.push(r);
  }
  return out;
}

function parseError(bytes: string | Buffer): HTTPParseError {
  try {
    parseAll(bytes);
  } catch (e) {
    if (e instanceof HTTPParseError) return e;
    throw e;
  }
  throw new Error(`parsed: ${JSON.stringify(bytes)}`);
}

describe('http request parser', () => {
  it('reads requests split at every byte, pipelined, with Core\'s keep-alive rules per version (the first Connection header, whole)', () => {
    const one = head(['POST / HTTP/1.1', 'Authorization: Basic x', `Content-Length: ${BODY.length}`]) + BODY;
    const ten = head(['POST /wallet/w HTTP/1.0', 'Connection: Keep-Alive', 'Content-Length: 2']) + '[]';
    const tc = head(['POST / HTTP/1.1', 'Connection: keep-alive, close']);
    const closes = head(['POST / HTTP/1.2', 'Connection: Close', 'Connection: keep-alive']);
    // Lines may end in a bare LF, as Core's LineReader reads them.
    const lf = 'GET /x HTTP/1.1\nX:\ty \nContent-Length: 1\n\nZ';
    const keeps = (r: ParsedRequest) => requestKeepsAlive({ ...r, forceClose: false, headOnly: false });
    for (const step of [1, 7, Infinity]) {
      const got = parseAll(`${one}${ten}${tc}${closes}${lf}`, step);
      assert.deepEqual(got.map((r) => [r.method, r.uri, r.versionMinor, keeps(r), r.body.toString()]), [
        ['POST', '/', 1, true, BODY], ['POST', '/wallet/w', 0, true, '[]'], ['POST', '/', 1, true, ''], ['POST', '/', 2, false, ''],
        ['GET', '/x', 1, true, 'Z'],
      ]);
      assert.equal(got[0]!.headers.authorization, 'Basic x');
    }
    assert.equal(keeps(parseAll(head(['POST / HTTP/1.0']))[0]!), false);
    assert.equal(keeps(parseAll(head(['POST / HTTP/1.0', 'Connection: keep-alive, close']))[0]!), false);
  });

  it('reads chunked bodies with extensions and trailers, and keeps the first of repeated headers (Core\'s FindFirst)', () => {
    const body = `5;x=1\r\n${BODY.slice(0, 5)}\r\n ${(BODY.length - 5).toString(16).toUpperCase()} \r\n${BODY.slice(5)}\r\n0\r\nT: y\r\n\r\n`;
    const bytes = head(['POST / HTTP/1.1', 'Transfer-Encoding: Chunked', 'Authorization: a', 'Authorization: b', 'X: 1', 'X: 2']) + body;
    for (const step of [1, 3, Infinity]) {
      const [r] = parseAll(bytes, step);
      assert.equal(r!.body.toString(), BODY);
      assert.deepEqual([r!.headers.authorization, r!.headers.x], ['a', '1']);
    }
    // Only "chunked" itself is chunked to Core; otherwise the body goes by Content-Length (none here).
    assert.deepEqual(parseAll(head(['POST / HTTP/1.1', 'Transfer-Encoding: gzip, chunked'])).map((r) => r.body.length), [0]);
    // Equal Content-Length headers are one length; any method word is read (the server answers 405).
    assert.deepEqual(parseAll(head(['FOO / HTTP/1.9', 'Content-Length: 2', 'Content-Length: 2']) + '{}').map((r) => [r.method, r.body.toString()]),
      [['FOO', '{}']]);
  });

  it('refuses what Core refuses, with its texts', () => {
    const cases: [string, string][] = [
      ['GARBAGE\r\n\r\n', 'HTTP request line too short'],
      [`\r\n${head(['POST / HTTP/1.1'])}`, 'HTTP request line too short'],
      [head(['POST /  HTTP/1.1']), 'HTTP request line malformed'],
      [head(['POST / FTP/1.1 x']), 'HTTP request line malformed'],
      [head(['POST / HTTP/1.1.1']), 'HTTP request line malformed'],
      [head(['POST / HTTP/HTTP/1']), 'HTTP request line malformed'],
      [head(['POST / HTTP/1.10']), 'HTTP bad version'],
      [head(['POST / HTTP/2.0']), 'HTTP bad version'],
      [head(['POST / HTTP/1.x']), 'HTTP bad version'],
      [head(['POST /\0 HTTP/1.1']), 'Invalid request line contains NUL'],
      [head(['POST / HTTP/1.1', 'NoColon']), 'HTTP header missing colon (:)'],
      [head(['POST / HTTP/1.1', 'X: a', ' folded']), 'HTTP header missing colon (:)'],
      [head(['POST / HTTP/1.1', 'Bad Name: x']), 'Invalid header field-name contains whitespace'],
      [head(['POST / HTTP/1.1', ': x']), 'Empty HTTP header name'],
      [head(['POST / HTTP/1.1', 'X: a\rb']), 'Header contains invalid character'],
      [head(['POST / HTTP/1.1', 'X: a\0b']), 'Header contains invalid character'],
      [head(['POST / HTTP/1.1', 'Content-Length: +2']), 'Cannot parse Content-Length value'],
      [head(['POST / HTTP/1.1', 'Content-Length: 18446744073709551616']), 'Cannot parse Content-Length value'],
      [head(['POST / HTTP/1.1', 'Content-Length: 2', 'Content-Length: 02']), 'Differing Content-Length values'],
      [head(['POST / HTTP/1.1', 'Transfer-Encoding: chunked']) + 'zz\r\n', 'Cannot parse chunk length value'],
      [head(['POST / HTTP/1.1', 'Transfer-Encoding: chunked']) + '2\r\n{}XX\r\n', 'Improperly terminated chunk'],
      [head(['POST / HTTP/1.1', `X: ${'a'.repeat(MAX_HEADERS_SIZE)}`]), 'max_line_length exceeded by LineReader'],
      [head(['POST / HTTP/1.1', ...Array.from({ length: 100 }, (_, i) => `X${i}: ${'a'.repeat(90)}`)]), 'HTTP headers exceed size limit'],
      [`POST / HTTP/1.1\r\nX: ${'a'.repeat(MAX_HEADERS_SIZE)}`, 'max_line_length exceeded by LineReader'],
      [`POST /${'a'.repeat(MAX_HEADERS_SIZE)} HTTP/1.1\r\n\r\n`, 'max_line_length exceeded by LineReader'],
      [head(['POST / HTTP/1.1', 'Transfer-Encoding: chunked']) + `0\r\n${`T: ${'a'.repeat(90)}\r\n`.repeat(100)}\r\n`, 'HTTP chunked trailer exceeds size limit'],
    ];
    for (const [bytes, message] of cases) {
      const err = parseError(bytes);
      assert.deepEqual([err.message, err.tooLarge], [message, false], JSON.stringify(bytes.slice(0, 60)));
    }
    // A bad line is refused as soon as it is there, before the head is complete.
    assert.equal(parseError('POST / HTTP/1.1\r\nNoColon\r\n').message, 'HTTP header missing colon (:)');
    assert.equal(parseAll(head(['POST / HTTP/1.1', `X: ${'a'.repeat(MAX_HEADERS_SIZE - 100)}`])).length, 1);
    // What the reply to a refused request follows: the version and Connection header read before the error.
    assert.equal(parseError('GARBAGE\r\n\r\n').request, undefined);
    assert.deepEqual(parseError(head(['POST / HTTP/1.0', 'Connection: Keep-Alive', 'Bad Name: x'])).request,
      { versionMajor: 1, versionMinor: 0, connection: 'keep-alive' });
    assert.equal(parseError(head(['POST / HTTP/1.0', 'Transfer-Encoding: chunked']) + 'zz\r\n').request?.versionMinor, 0);
  });

  it('refuses bodies over 32 MiB, declared or streamed, without keeping them', () => {
    const declared = parseError(head(['POST / HTTP/1.1', `Content-Length: ${MAX_BODY_SIZE + 1}`]));
    assert.deepEqual([declared.message, declared.tooLarge], ['Max body size exceeded', true]);
    const parser = new HTTPRequestParser();
    parser.push(Buffer.from(head(['POST / HTTP/1.1', 'Transfer-Encoding: chunked'])));
    const piece = Buffer.alloc(1024 * 1024, 0x20);
    let err: unknown;
    try {
      for (let i = 0; i <= 32; i++) {
        parser.push(Buffer.from(`${piece.length.toString(16)}\r\n`));
        parser.push(piece);
        parser.push(Buffer.from('\r\n'));
        assert.equal(parser.next(), undefined);
      }
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof HTTPParseError && err.tooLarge && err.message === 'Chunk will exceed max body size', String(err));
  });

  it('waits for the rest of a request, however it is cut', () => {
    const bytes = head(['POST / HTTP/1.1', 'Transfer-Encoding: chunked']) + '2\r\n{}\r\n0\r\n\r\n';
    for (let cut = 0; cut < bytes.length; cut++) {
      const parser = new HTTPRequestParser();
      parser.push(Buffer.from(bytes.slice(0, cut)));
      assert.equal(parser.next(), undefined, `cut at ${cut}`);
      parser.push(Buffer.from(bytes.slice(cut)));
      assert.equal(parser.next()?.body.toString(), '{}');
    }
  });
});

/** Writes bytes (closing our side unless keepOpen) and collects the reply until the server closes or goes quiet. */
function exchange(port: number, bytes: string, keepOpen = false): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(port, '127.0.0.1', () => (keepOpen ? socket.write(bytes, 'latin1') : socket.end(bytes, 'latin1')));
    socket.setTimeout(500, () => socket.destroy());
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1').replace(/Date: [^\r]*/g, 'Date: D')));
    socket.on('error', reject);
  });
}

describe('http wire format', () => {
  let h: Harness;
  let auth: string;
  before(async () => {
    h = await startServer({ timeoutSeconds: 30 });
    auth = cookieAuth(h);
  });
  after(async () => h.close());

  const post = (extra: string[] = [], body = BODY, line = 'POST / HTTP/1.1'): string =>
    head([line, `Authorization: ${auth}`, `Content-Length: ${body.length}`, ...extra]) + body;
  const ok = (id: number, connection = ''): string => {
    const body = `{"result":[1],"error":null,"id":${id}}\n`;
    return `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nDate: D\r\nContent-Length: ${body.length}\r\n${connection}\r\n${body}`;
  };
  const okTen = (keepAlive: boolean): string => {
    const body = '{"result":[1],"error":null,"id":1}\n';
    return keepAlive ? `HTTP/1.0 200 OK\r\nContent-Type: application/json\r\nConnection: keep-alive\r\nContent-Length: ${body.length}\r\n\r\n${body}`
      : `HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n${body}`;
  };

  it('answers pipelined requests in order with Core\'s headers, then closes on Connection: close', async () => {
    const second = post(['Connection: close'], BODY.replace('"id":1', '"id":2'));
    assert.equal(await exchange(h.port, post() + second + post()), ok(1) + ok(2, 'Connection: close\r\n'));
    assert.equal(await exchange(h.port, post(['Connection: Close', 'Connection: keep-alive'])), ok(1, 'Connection: close\r\n'));
  });

  it('answers HTTP/1.0 in HTTP/1.0, with a length only when kept alive, and other 1.x versions as 1.1', async () => {
    assert.equal(await exchange(h.port, post([], BODY, 'POST / HTTP/1.0'), true), okTen(false));
    assert.equal(await exchange(h.port, post(['Connection: Keep-Alive'], BODY, 'POST / HTTP/1.0'), true), okTen(true));
    assert.equal(await exchange(h.port, post(['Connection: keep-alive, close'], BODY, 'POST / HTTP/1.0'), true), okTen(false));
    assert.equal(await exchange(h.port, post([], BODY, 'POST / HTTP/1.2'), true), ok(1).replace('HTTP/1.1', 'HTTP/1.2'));
  });

  it('answers every pipelined request, in order, to a client that reads only later (the send buffer fills)', async () => {
    const n = 300;
    const big = 'x'.repeat(64 * 1024);
    let bytes = '';
    for (let i = 0; i < n; i++) bytes += post([], JSON.stringify({ method: 'echo', params: [big], id: i }));
    const ids = await new Promise<number[]>((resolve, reject) => {
      const chunks: Buffer[] = [];
      const socket = net.connect(h.port, '127.0.0.1', () => {
        socket.pause();
        socket.end(bytes);
        // Let the server run into a full send buffer before anything is read.
        setTimeout(() => socket.resume(), 300);
      });
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('close', () => {
        const text = Buffer.concat(chunks).toString('latin1');
        resolve([...text.matchAll(/"id":(\d+)\}\n/g)].map((m) => Number(m[1])));
      });
      socket.on('error', reject);
    });
    assert.deepEqual(ids, [...Array(n).keys()]);
  });

  it('keeps an idle connection open, and answers a request whose sender already shut its side', async () => {
    assert.equal(await exchange(h.port, post(), true), ok(1));
    assert.equal(await exchange(h.port, post()), ok(1));
  });

  it('sends 100 Continue when asked (Core does not: its clients wait a second), and ignores other expectations as Core', async () => {
    assert.equal(await exchange(h.port, post(['Expect: 100-continue'])), `HTTP/1.1 100 Continue\r\n\r\n${ok(1)}`);
    assert.equal(await exchange(h.port, post(['Expect: 100-continue'], BODY, 'POST / HTTP/1.0')), okTen(false));
    assert.equal(await exchange(h.port, post(['Expect: x'])), ok(1));
  });

  it('answers malformed, cut-off and over-large requests as Core and closes; unknown methods get 405 on an open connection', async () => {
    const empty = (status: string, version = '1.1'): string => version === '1.1'
      ? `HTTP/1.1 ${status}\r\nDate: D\r\nContent-Length: 0\r\nContent-Type: text/html; charset=ISO-8859-1\r\n\r\n`
      : `HTTP/1.0 ${status}\r\nContent-Type: text/html; charset=ISO-8859-1\r\n\r\n`;
    assert.equal(await exchange(h.port, 'GARBAGE\r\n\r\n', true), empty('400 Bad Request'));
    // Cut off by the end of input: Core drops it without a word.
    assert.equal(await exchange(h.port, post().slice(0, -3)), '');
    assert.equal(await exchange(h.port, head(['POST / HTTP/1.0', 'NoColon']), true), empty('400 Bad Request', '1.0'));
    assert.equal(await exchange(h.port, head(['POST / HTTP/2.0'])), empty('400 Bad Request'));
    assert.equal(await exchange(h.port, head(['POST / HTTP/1.1', `Content-Length: ${MAX_BODY_SIZE + 1}`]), true), empty('413 Content too large'));
    // Open: a second request on the same connection is answered too.
    const unknown = head(['FOO / HTTP/1.1', 'Content-Length: 0']);
    assert.equal(await exchange(h.port, unknown + unknown, true), empty('405 Method Not Allowed').repeat(2));
    assert.equal(await exchange(h.port, head(['DELETE / HTTP/1.1'])), empty('405 Method Not Allowed'));
  });
});
