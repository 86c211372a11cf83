// C++ client that drops its promises early -> TS server. ipc_early_release_client keeps only the capabilities it
// pipelines on, as C++ programs and pycapnp scripts (Bitcoin Core's ipc_util.py) do, so Cap'n Proto sends Finish
// for construct, makeEcho, makeMining and createNewBlock while calls pipelined on their results still wait for them,
// and Release for Echo/BlockTemplate while calls on them still run. The same program against ipc_interop_server
// (libcapnp) is the reference.
import assert from 'node:assert/strict';
import path from 'node:path';
import type { IncomingCall, ServerTarget } from '@smithcoin/libmultiprocess';
import type { Echo } from '../../../src/interfaces/echo.js';
import type { Init } from '../../../src/interfaces/init.js';
import type {
  BlockCheckOptions, BlockRef, BlockTemplate, BlockWaitOptions, CheckResult, CoinbaseTx, Mining,
} from '../../../src/interfaces/mining.js';
import type { Rpc } from '../../../src/interfaces/rpc.js';
import { Init as InitSpec, InitServer } from '../../../src/ipc/capnp/init.capnp.js';
import { OLD_MINING_INTERFACE_ERROR } from '../../../src/ipc/capnp/init-types.js';
import { Resources, interopProgram, runProgram, startCppServer, startTsServer } from './harness.js';

const SCENARIOS = ['pipelined', 'mining', 'released'];
const MAKE_MINING_OLD2 = InitSpec.methods.find((m) => m.name === 'makeMiningOld2')!.methodId;
const TIP: BlockRef = { hash: new Uint8Array(32).fill(7), height: 840000 };
const NOT_USED = 'not used by this test';

/**
 * The client's markers (Init.makeMiningOld2 calls) as seen by the server. Holding answers until a marker makes the
 * order deterministic: everything the client sent before the marker (its Finish and Release messages) has been
 * handled by then.
 */
class Markers {
  count = 0;
  private waiters: (() => void)[] = [];
  mark(): void {
    this.count++;
    for (const w of this.waiters.splice(0)) w();
  }
  next(): Promise<void> { return new Promise((r) => this.waiters.push(r)); }
}

/** Server-side events in order, e.g. "echo hold: returned", "Echo destroyed". */
type Events = string[];

class LocalEcho implements Echo {
  calls = 0;
  destroyed = 0;
  constructor(private readonly markers: Markers, private readonly events: Events) {}
  async echo(text: string): Promise<string> {
    this.calls++;
    if (text === 'hold') {
      await this.markers.next();
      // The client released this Echo while the call ran: it must live until the call is over.
      if (this.destroyed > 0) throw new Error('Echo destroyed while echo was running');
      this.events.push('echo hold: returned');
    }
    return text;
  }
  async destroy(): Promise<void> {
    this.destroyed++;
    this.events.push('Echo destroyed');
  }
}

class LocalTemplate implements BlockTemplate {
  destroyed = 0;
  constructor(private readonly markers: Markers, private readonly events: Events) {}
  async destroy(): Promise<void> {
    this.destroyed++;
    this.events.push('BlockTemplate destroyed');
  }
  async getBlockHeader(): Promise<Uint8Array> { return new Uint8Array(80).fill(1); }
  async waitNext(_options: BlockWaitOptions): Promise<BlockTemplate | null> {
    await this.markers.next();
    if (this.destroyed > 0) throw new Error('BlockTemplate destroyed while waitNext was running');
    this.events.push('waitNext: returned');
    return null;
  }
  async getBlock(): Promise<Uint8Array> { throw new Error(NOT_USED); }
  async getTxFees(): Promise<bigint[]> { throw new Error(NOT_USED); }
  async getTxSigops(): Promise<bigint[]> { throw new Error(NOT_USED); }
  async getCoinbaseTx(): Promise<CoinbaseTx> { throw new Error(NOT_USED); }
  async getCoinbaseMerklePath(): Promise<Uint8Array[]> { throw new Error(NOT_USED); }
  async submitSolution(): Promise<boolean> { throw new Error(NOT_USED); }
  async interruptWait(): Promise<void> { throw new Error(NOT_USED); }
}

class LocalMining implements Mining {
  readonly templates: LocalTemplate[] = [];
  constructor(private readonly markers: Markers, private readonly events: Events) {}
  async isTestChain(): Promise<boolean> { return true; }
  async getTip(): Promise<BlockRef | undefined> { return TIP; }
  async createNewBlock(): Promise<BlockTemplate | null> {
    const t = new LocalTemplate(this.markers, this.events);
    this.templates.push(t);
    return t;
  }
  async isInitialBlockDownload(): Promise<boolean> { throw new Error(NOT_USED); }
  async waitTipChanged(): Promise<BlockRef> { throw new Error(NOT_USED); }
  async checkBlock(_block: Uint8Array, _options: BlockCheckOptions): Promise<CheckResult> { throw new Error(NOT_USED); }
  async interrupt(): Promise<void> { throw new Error(NOT_USED); }
  async submitBlock(): Promise<CheckResult> { throw new Error(NOT_USED); }
  async getTransactionsByTxID(): Promise<Uint8Array[]> { throw new Error(NOT_USED); }
  async getTransactionsByWitnessID(): Promise<Uint8Array[]> { throw new Error(NOT_USED); }
}

/** One connection's Init and everything it made. */
class LocalInit implements Init {
  readonly markers = new Markers();
  readonly events: Events = [];
  readonly echoes: LocalEcho[] = [];
  readonly minings: LocalMining[] = [];
  async makeEcho(): Promise<Echo> {
    const e = new LocalEcho(this.markers, this.events);
    this.echoes.push(e);
    return e;
  }
  async makeMiningOld2(): Promise<void> { throw new Error(OLD_MINING_INTERFACE_ERROR); }
  async makeMining(): Promise<Mining> {
    const m = new LocalMining(this.markers, this.events);
    this.minings.push(m);
    return m;
  }
  async makeRpc(): Promise<Rpc | null> { return null; }
}

/**
 * The bootstrap object: Init, whose calls (construct included) wait for the client's first marker, so each Finish the
 * client sends for them arrives before their Return, however the bytes are split into reads.
 */
class HoldingInit implements ServerTarget {
  constructor(private readonly inner: InitServer, private readonly impl: LocalInit) {}
  dispatch(call: IncomingCall): void | Promise<void> {
    if (call.interfaceId === InitSpec.id && call.methodId === MAKE_MINING_OLD2) {
      this.impl.markers.mark();
      return this.inner.dispatch(call);
    }
    if (this.impl.markers.count > 0) return this.inner.dispatch(call);
    return this.impl.markers.next().then(() => this.inner.dispatch(call));
  }
  onRelease(): void { this.inner.onRelease(); }
}

/** Every line the client prints for SCENARIOS; `lane(name)` is how the server names a thread made for `name`. */
function expectedLines(lane: (name: string) => string): string[] {
  const marker = 'ok marker';
  return [
    'ok echo pipelined on makeEcho after Finish(makeEcho), thread from makeThread after Finish(construct): 1024 bytes',
    `ok thread handle made after Finish(construct): "${lane('pipelined')}"`,
    marker,
    'ok makeEcho, echo and destroy on the same thread afterwards',
    'ok Mining.isTestChain pipelined on makeMining after Finish(makeMining): true',
    `ok Mining.getTip likewise: height 840000 hash ${'07'.repeat(32)}`,
    'ok BlockTemplate.getBlockHeader pipelined on createNewBlock after Finish(createNewBlock): 80 bytes',
    marker,
    'ok first marker',
    `ok makeThread on a ThreadMap released while makeThread runs: "${lane('released')}", "${lane('released-wait')}"`,
    'ok echo on an Echo released while the call runs: "hold"',
    'ok BlockTemplate.waitNext on a template released while the call runs: no new template',
    marker,
  ];
}

describe('ipc_interop: C++ client dropping promises and results early', function () {
  this.timeout(20_000);
  const res = new Resources();
  afterEach(() => res.cleanup());

  it('works against libcapnp (ipc_interop_server): the reference', async () => {
    const sock = path.join(res.tempDir(), 'cpp.sock');
    await startCppServer(res, sock);
    const run = await runProgram(res, interopProgram('early_release_client'), [sock, ...SCENARIOS]);
    assert.deepEqual(run.lines, expectedLines((name) => `ipc_interop_server/${name}`), run.stderr);
    assert.equal(run.code, 0);
  });

  it('works against the TS server: pipelined calls outlive Finish, calls keep released objects alive', async () => {
    const sock = path.join(res.tempDir(), 'ts.sock');
    const inits: LocalInit[] = [];
    const ts = await startTsServer(res, sock, (conn) => {
      const impl = new LocalInit();
      inits.push(impl);
      return new HoldingInit(new InitServer(conn, impl), impl);
    });
    const run = await runProgram(res, interopProgram('early_release_client'), [sock, ...SCENARIOS]);
    // Lanes are numbered per connection; "released" makes two, "released-wait" second.
    const ids: Record<string, number> = { pipelined: 1, released: 1, 'released-wait': 2 };
    assert.deepEqual(run.lines, expectedLines((name) => `interop-test-${process.pid}/${ids[name]} (from ${name})`),
      `${run.lines.join('\n')}\n${ts.lines.join('\n')}`);
    assert.equal(run.code, 0);
    await Promise.all(ts.connections.map((c) => c.closed));

    const [pipelined, mining, released] = inits;
    assert.ok(pipelined && mining && released && inits.length === 3);
    // The Echo whose makeEcho was finished early is destroyed once its pipelined call is over; the other by destroy.
    assert.deepEqual(pipelined.echoes.map((e) => [e.calls, e.destroyed]), [[1, 1], [1, 1]]);
    assert.deepEqual(mining.minings[0]!.templates.map((t) => t.destroyed), [1]);
    // Released while their calls ran: destroyed once each, after the call.
    assert.deepEqual([...released.events].sort(), ['BlockTemplate destroyed', 'Echo destroyed', 'echo hold: returned',
      'waitNext: returned'], released.events.join(', '));
    const at = (event: string): number => released.events.indexOf(event);
    assert.ok(at('echo hold: returned') < at('Echo destroyed'), released.events.join(', '));
    assert.ok(at('waitNext: returned') < at('BlockTemplate destroyed'), released.events.join(', '));
    // No call failed but the markers (four of them, each logged as the server error Core logs).
    const errors = ts.lines.filter((l) => l.startsWith('error '));
    assert.equal(errors.length, 4, errors.join('\n'));
    for (const e of errors) assert.match(e, /IPC server error request #\d+ Init\.makeMiningOld2\$Results kj::Exception: std::exception: Old mining/);
  });
});
