// Logging on the hot path: nothing is formatted for a level that is off (codec names and value rendering are never
// touched), and the -debug=ipc lines have Core's exact shape: two spaces after "request" in recv/post lines, one
// process-wide #n per request (none for makeThread), the loop's tag on loop lines and the lane's on lane lines.
import assert from 'node:assert/strict';
import {
  Logger, ProxyClient, ProxyConnection, ProxyServer, RequestCounter, type InterfaceSpec, type LogLevelName,
  type MethodSpec, type StructCodec,
} from '../src/index.js';
import { EchoInterface, Echo_echo, InitClient, Init_construct, InitInterface } from './rpc-test-impl.js';
import { socketPair } from './rpc-helpers.js';

interface Probe { names: number; renders: number }

/** A value whose extra enumerable member counts how often something walks it (formatText does; codecs do not). */
function probed<T extends object>(v: T, probe: Probe): T {
  Object.defineProperty(v, 'probe', { enumerable: true, get() { probe.renders++; return 0; } });
  return v;
}

/** The codec with a counting `name` (only log lines read it) and probed decoded values. */
function counted<T extends object>(c: StructCodec<T>, probe: Probe): StructCodec<T> {
  return {
    get name() { probe.names++; return c.name; },
    dataWords: c.dataWords, ptrCount: c.ptrCount,
    encode: (b, v) => c.encode(b, v),
    decode: (r) => probed(c.decode(r), probe),
  };
}

function countedEcho(probe: Probe): { spec: MethodSpec<{ echo: string }, { result: string }>; iface: InterfaceSpec } {
  const spec = { ...Echo_echo, params: counted(Echo_echo.params, probe), results: counted(Echo_echo.results, probe) };
  const iface: InterfaceSpec = { ...EchoInterface, methods: EchoInterface.methods.map((m) => m.name === 'echo' ? spec : m) };
  return { spec: spec as MethodSpec<{ echo: string }, { result: string }>, iface };
}

class ProbeClient extends ProxyClient {
  spec!: MethodSpec<{ echo: string }, { result: string }>;
  probe!: Probe;
  echo(s: string): Promise<string> {
    return this.$call(this.spec, probed({ echo: s }, this.probe), null, (v) => v.result);
  }
}

async function run(level: LogLevelName | 'off', calls: string[]) {
  const probe: Probe = { names: 0, renders: 0 };
  const { spec, iface } = countedEcho(probe);
  const lines: string[] = [];
  const byLevel: Record<string, number> = {};
  const log = new Logger({ logFn: (l, m) => { byLevel[l] = (byLevel[l] ?? 0) + 1; lines.push(`${l} ${m}`); },
    logLevel: level, exeName: 'logt' }, new RequestCounter());
  const [a, b] = await socketPair();
  const sconn = ProxyConnection.serve(b, (conn) => new ProxyServer(InitInterface, conn, {
    makeEcho: (_p: unknown, ctx) => ({
      result: ctx.export(new ProxyServer(iface, conn, { echo: (p: { echo: string }) => probed({ result: p.echo }, probe) })),
    }),
  }), { log });
  const conn = ProxyConnection.connect(a, { log, threadName: 'client' });
  const init = conn.bootstrap((cap, c) => new InitClient(cap, c));
  await conn.construct(init.$cap, Init_construct);
  const e = init.makeEcho();
  const client = new ProbeClient(e.$cap, conn);
  client.spec = spec;
  client.probe = probe;
  const baseNames = probe.names;
  const baseRenders = probe.renders;
  const results: string[] = [];
  for (const s of calls) results.push(await client.echo(s));
  conn.close();
  await sconn.closed;
  return { results, lines, byLevel, names: probe.names - baseNames, renders: probe.renders - baseRenders };
}

describe('stress: logging cost and format', () => {
  it('formats nothing for levels that are off (info: no debug/trace work at all)', async () => {
    const info = await run('info', ['a', 'b', 'c']);
    assert.deepEqual(info.results, ['a', 'b', 'c']);
    assert.equal(info.names, 0, 'codec names read for debug lines at info level');
    assert.equal(info.renders, 0, 'values rendered for trace lines at info level');
    assert.equal(info.byLevel['debug'] ?? 0, 0);
    assert.equal(info.byLevel['trace'] ?? 0, 0);
    const off = await run('off', ['a']);
    assert.equal(off.names + off.renders + off.lines.length, 0);
    // The probes do see the work once the level is on (so the checks above can fail).
    const debug = await run('debug', ['a']);
    assert.ok(debug.names >= 4, `names read ${debug.names} times at debug`);
    assert.equal(debug.renders, 0, 'values rendered at debug level');
    const trace = await run('trace', ['a']);
    assert.ok(trace.renders >= 4, `values rendered ${trace.renders} times at trace`);
  });

  it('-debug=ipc lines have Core\'s exact shape and numbering', async () => {
    const { lines } = await run('debug', ['one', 'two']);
    const pid = process.pid;
    const loop = `{logt-${pid}/capnp-loop}`;
    const lane = `\\{logt-${pid}/\\d+ \\(from logt-${pid}/client\\)\\}`;
    const server = lines.filter((l) => l.includes(' IPC server ') && !l.includes('socket') && !l.includes('destroy'));
    // construct (context-less) and makeEcho, then two echo calls: four lines each for Context calls.
    const esc = (s: string): string => s.replace(/[$.{}()]/g, (c) => `\\${c}`);
    const expected: RegExp[] = [
      new RegExp(`^debug ${esc(loop)} IPC server recv request  #1 Init\\.construct\\$Params$`),
      new RegExp(`^debug ${esc(loop)} IPC server send response #1 Init\\.construct\\$Results$`),
    ];
    const ctxCall = (n: number, params: string, results: string): RegExp[] => [
      new RegExp(`^debug ${esc(loop)} IPC server recv request  #${n} ${esc(params)}$`),
      new RegExp(`^debug ${esc(loop)} IPC server post request  #${n} ${lane}$`),
      new RegExp(`^debug ${lane} IPC server executing request #${n}$`),
      new RegExp(`^debug ${esc(loop)} IPC server send response #${n} ${esc(results)}$`),
    ];
    expected.push(...ctxCall(2, 'Init.makeEcho$Params', 'Init.makeEcho$Results'));
    expected.push(...ctxCall(3, 'Echo.echo$Params', 'Echo.echo$Results'));
    expected.push(...ctxCall(4, 'Echo.echo$Params', 'Echo.echo$Results'));
    assert.equal(server.length, expected.length, server.join('\n'));
    server.forEach((l, i) => assert.match(l, expected[i]!));
    const client = lines.filter((l) => l.includes(' IPC client ') && l.includes('Echo.echo'));
    assert.deepEqual(client, [
      `debug {logt-${pid}/client} IPC client send Echo.echo$Params`,
      `debug {logt-${pid}/client} IPC client recv Echo.echo$Results`,
      `debug {logt-${pid}/client} IPC client send Echo.echo$Params`,
      `debug {logt-${pid}/client} IPC client recv Echo.echo$Results`,
    ]);
  });

  it('trace data is escaped and cut at max_chars, then "..."', async () => {
    const { lines } = await run('trace', ['\\\u0001é' + 'q'.repeat(400)]);
    const data = lines.filter((l) => l.startsWith('trace ') && l.includes('data: ') && l.includes('qqq'));
    assert.ok(data.length >= 4, lines.join('\n'));
    for (const l of data) {
      const payload = l.slice(l.indexOf('data: ') + 6);
      assert.ok(payload.endsWith('...'), payload);
      const cut = payload.length - 3;
      assert.ok(cut >= 201 && cut <= 203, `cut after ${cut} characters`); // LogEscape: first length > 200
      assert.ok(!/[^\x20-\x7e]/.test(payload), 'only printable ASCII');
      // Text `\` is `\\` in capnp text, then each `\` doubles again in the log; é is two escaped UTF-8 bytes.
      if (payload.includes('echo = ')) assert.ok(payload.includes('echo = "\\\\\\\\\\\\001\\c3\\a9qqq'), payload);
    }
  });
});
