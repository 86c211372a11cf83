// The node's Init served on a real unix socket (as smithcoin-node serves it) over the in-memory fake chainstate,
// driven by the generated client; log lines are kept for the assertions on Core's IPC messages.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type net from 'node:net';
import { Logger, ProxyConnection, connectUnix, listenUnix } from '@smithcoin/libmultiprocess';
import { makeNodeInit, type NodeInitOptions } from '../../../src/init/ipc_init.js';
import { InitClient, InitServer } from '../../../src/ipc/capnp/init.capnp.js';
import type { NodeContext } from '../../../src/node/context.js';
import { BlockAssembler } from '../../../src/node/miner.js';
import type { MiningMempool } from '../../../src/node/miner_mempool.js';
import { MiningService } from '../../../src/node/miner_service.js';
import { withMerkleRoot } from '../../../src/node/miner_commitment.js';
import { solveBlock } from '../../../src/node/miner_solve.js';
import type { Block } from '../../../src/primitives/block.js';
import { makeContext } from '../rpc/node_context.js';
import { type FakeChainman, fakeChainman } from '../../../bench/lib/fake_chainman.js';

export const GENESIS_TIME = 1296688602;

export type Chainman = FakeChainman & ReturnType<typeof fakeChainman>;

export interface NodeHarnessOptions extends NodeInitOptions {
  /** Leave ctx.chainman unset (a node still loading its chainstate). */
  unloaded?: boolean;
  /** The mempool block assembly sees. */
  miningMempool?: MiningMempool;
}

export interface Client {
  conn: ProxyConnection;
  init: InitClient;
  socket: net.Socket;
}

export class NodeHarness {
  readonly lines: string[] = [];
  readonly serverConns: ProxyConnection[] = [];
  private readonly clients: Client[] = [];
  private server: net.Server | undefined;
  private readonly log = new Logger({ logFn: (_level, msg) => this.lines.push(msg), logLevel: 'debug', exeName: 'test' });

  private constructor(
    readonly ctx: NodeContext,
    readonly chainman: Chainman,
    readonly service: MiningService,
    readonly dir: string,
  ) {}

  static async start(opts: NodeHarnessOptions = {}): Promise<NodeHarness> {
    const ctx = makeContext();
    // Near the tip's time, so that regtest's 20-minute rule does not make waitNext return early.
    ctx.clock.setMockTime(GENESIS_TIME + 60);
    const chainman = fakeChainman(ctx.clock);
    if (!opts.unloaded) ctx.chainman = chainman;
    const service = opts.miningService ?? new MiningService(ctx, { mempool: opts.miningMempool });
    const h = new NodeHarness(ctx, chainman, service, fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-node-')));
    const init = makeNodeInit(ctx, { ...opts, miningService: service });
    try {
      h.server = await listenUnix(path.join(h.dir, 'node.sock'), {
        onConnection: (s) => h.serverConns.push(ProxyConnection.serve(s, (c) => new InitServer(c, init), { log: h.log })),
      });
    } catch (e) {
      fs.rmSync(h.dir, { recursive: true, force: true });
      throw e;
    }
    return h;
  }

  /** A new client connection with its Init constructed. */
  async connect(): Promise<Client> {
    const socket = await connectUnix(path.join(this.dir, 'node.sock'));
    const conn = ProxyConnection.connect(socket);
    const init = conn.bootstrap((cap, c) => new InitClient(cap, c));
    await init.construct();
    const client = { conn, init, socket };
    this.clients.push(client);
    return client;
  }

  /** Mines one block on the tip (through the node's own assembler) and processes it. */
  async mineBlock(): Promise<Block> {
    const { block } = await new BlockAssembler({ chainman: this.chainman, clock: this.ctx.clock }, {}).createNewBlock();
    const solved = solveBlock(withMerkleRoot(block), 1_000_000n, this.chainman.params.consensus).block!;
    const r = await this.chainman.processNewBlock(solved, { forceProcessing: true, minPowChecked: true });
    assert.ok(r.accepted, r.state.toString());
    return solved;
  }

  /** Resolves once a log line matches (fails after 5 s). */
  async waitForLine(re: RegExp): Promise<string> {
    const end = Date.now() + 5000;
    for (;;) {
      const line = this.lines.find((l) => re.test(l));
      if (line !== undefined) return line;
      if (Date.now() > end) assert.fail(`no log line matched ${re}:\n${this.lines.join('\n')}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  async close(): Promise<void> {
    try {
      for (const c of this.clients) c.conn.close();
      for (const c of this.serverConns) c.close();
      await Promise.all([...this.clients.map((c) => c.conn.closed), ...this.serverConns.map((c) => c.closed)]);
      this.ctx.shutdown.request();
      await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    } finally {
      fs.rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

/** Whether a promise has settled after a pause (used to check that a wait is still pending, never how long it took). */
export async function settledAfter(p: Promise<unknown>, ms = 100): Promise<boolean> {
  let done = false;
  p.then(() => { done = true; }, () => { done = true; });
  await new Promise((r) => setTimeout(r, ms));
  return done;
}
