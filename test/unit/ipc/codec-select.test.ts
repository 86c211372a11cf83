// Codec selection: generated Init/Echo round trips with the pure-TS and the native codec forced on both sides,
// identical wire bytes either way, and the option / MP_CODEC override rules.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  AUTO_PREFERS_NATIVE, CodecSelector, ProxyConnection, connectUnix, listenUnix, loadNativeCodec, type CodecChoice,
} from '@smithcoin/libmultiprocess';
import type { Echo } from '../../../src/interfaces/echo.js';
import type { Init } from '../../../src/interfaces/init.js';
import type { Mining } from '../../../src/interfaces/mining.js';
import type { Rpc } from '../../../src/interfaces/rpc.js';
import { Echo as EchoSpec } from '../../../src/ipc/capnp/echo.capnp.js';
import { InitClient, InitServer } from '../../../src/ipc/capnp/init.capnp.js';

class LocalInit implements Init {
  async makeEcho(): Promise<Echo> {
    return { echo: async (s: string) => s, destroy: async () => undefined };
  }
  async makeMiningOld2(): Promise<void> { throw new Error('unused'); }
  async makeMining(): Promise<Mining | null> { return null; }
  async makeRpc(): Promise<Rpc | null> { return null; }
}

async function socketPair(): Promise<[net.Socket, net.Socket]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-codec-'));
  try {
    let accept!: (s: net.Socket) => void;
    const accepted = new Promise<net.Socket>((r) => { accept = r; });
    const server = await listenUnix(path.join(dir, 's.sock'), { onConnection: (s) => accept(s) });
    const client = await connectUnix(path.join(dir, 's.sock'));
    const serverSide = await accepted;
    server.close();
    return [client, serverSide];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Records every byte written to `socket`. */
function tap(socket: net.Socket, into: Buffer[]): void {
  const write = socket.write.bind(socket) as (chunk: Uint8Array) => boolean;
  (socket as unknown as { write: (chunk: Uint8Array) => boolean }).write = (chunk: Uint8Array): boolean => {
    into.push(Buffer.from(chunk));
    return write(chunk);
  };
}

const KIB = 'x'.repeat(1000) + 'é'.repeat(12);

/** One fixed session with `codec` forced on both sides: what each side wrote, and what the echoes returned. */
async function session(codec: CodecChoice): Promise<{ toServer: Buffer; toClient: Buffer; echoed: string[];
  kinds: string[] }> {
  const [a, b] = await socketPair();
  const toServer: Buffer[] = [];
  const toClient: Buffer[] = [];
  tap(a, toServer);
  tap(b, toClient);
  const server = ProxyConnection.serve(b, (conn) => new InitServer(conn, new LocalInit()), { codec });
  const client = ProxyConnection.connect(a, { codec, threadName: 'codec' });
  try {
    const init = client.bootstrap((cap, conn) => new InitClient(cap, conn));
    await init.construct();
    const lane = client.makeThread('lane');
    const echo = (await init.withThread(lane).makeEcho())!;
    const echoed = [];
    for (const s of ['héllo "wörld"\n\u0001', '', KIB]) echoed.push(await echo.withThread(lane).echo(s));
    await echo.destroy();
    lane.release();
    init.release();
    return { toServer: Buffer.concat(toServer), toClient: Buffer.concat(toClient), echoed,
      kinds: [client.codecs.kind, server.codecs.kind] };
  } finally {
    client.close();
    await server.closed;
  }
}

describe('codec selection', () => {
  it('finds the native codec addon in this (ENABLE_IPC) build', () => {
    assert.ok(loadNativeCodec() !== null, 'capnp.node not found: build with -DENABLE_IPC=ON');
  });

  it('TS <-> TS echo round trip with the pure-TS codec forced', async () => {
    const r = await session('ts');
    assert.deepEqual(r.kinds, ['ts', 'ts']);
    assert.deepEqual(r.echoed, ['héllo "wörld"\n\u0001', '', KIB]);
  });

  it('TS <-> TS echo round trip with the native codec forced', async () => {
    const r = await session('native');
    assert.deepEqual(r.kinds, ['native', 'native']);
    assert.deepEqual(r.echoed, ['héllo "wörld"\n\u0001', '', KIB]);
    // The native selector really swaps the generated codecs for the addon's.
    const m = EchoSpec.methods[1];
    const c = CodecSelector.resolve('native').codecs(m);
    assert.notEqual(c.params, m.params);
    assert.notEqual(c.results, m.results);
    assert.equal(c.params.name, 'Echo.echo$Params');
    assert.equal(CodecSelector.resolve('ts').codecs(m), m);
  });

  it('writes identical bytes on the wire with either codec', async () => {
    const ts = await session('ts');
    const native = await session('native');
    assert.ok(ts.toServer.length > 1024 && ts.toClient.length > 1024);
    assert.ok(ts.toServer.includes(Buffer.from('héllo "wörld"')));
    assert.equal(native.toServer.toString('hex'), ts.toServer.toString('hex'));
    assert.equal(native.toClient.toString('hex'), ts.toClient.toString('hex'));
  });

  it('option beats MP_CODEC, which beats auto; bad values are refused', () => {
    assert.equal(CodecSelector.resolve(undefined, { MP_CODEC: 'ts' }).kind, 'ts');
    assert.equal(CodecSelector.resolve(undefined, { MP_CODEC: 'native' }).kind, 'native');
    assert.equal(CodecSelector.resolve('ts', { MP_CODEC: 'native' }).kind, 'ts');
    assert.equal(CodecSelector.resolve(undefined, {}).kind, AUTO_PREFERS_NATIVE ? 'native' : 'ts');
    assert.equal(CodecSelector.resolve('auto', { MP_CODEC: 'native' }).kind, AUTO_PREFERS_NATIVE ? 'native' : 'ts');
    assert.throws(() => CodecSelector.resolve(undefined, { MP_CODEC: 'fast' }),
      /Invalid MP_CODEC \/ codec value 'fast' \(expected auto, native or ts\)/);
  });
});
