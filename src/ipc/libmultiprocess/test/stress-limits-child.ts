// Child process for stress-limits.test.ts: a StressServer configured by the JSON in argv[2]. It answers each
// "stats" line on stdin with one JSON line (RSS and heap after a full gc, its tables, the log lines since the last
// answer; "peek": the same without the gc), so the parent watches a server that hostile peers may crash from the outside. Exits when stdin ends.
import readline from 'node:readline';
import { makeInitServer, type EchoImplState } from './rpc-test-impl.js';
import { StressServer, settledHeap, type StressServerOptions } from './stress-helpers.js';

export interface ChildConfig extends Pick<StressServerOptions, 'stream' | 'limits' | 'maxConnections'> {
  dir: string;
}

export interface ChildStats {
  rss: number;
  heapUsed: number;
  conns: number;
  accepted: number;
  answers: number;
  questions: number;
  exports: number;
  /** Lanes made by makePool, all connections. */
  poolLanes: number;
  callWords: number;
  pipelinedCalls: number;
  /** Times a connection stopped processing because of unsent bytes (all connections so far). */
  throttles: number;
  lines: string[];
}

const config = JSON.parse(process.argv[2]!) as ChildConfig;
const state: EchoImplState = { destroyed: 0, signals: [], order: [] };
let throttles = 0;
const server = await StressServer.start((c) => {
  void c.closed.then(() => { throttles += c.transport.throttles; });
  return makeInitServer(c, state);
}, { ...config, logLevel: 'info' });

async function stats(gc: boolean): Promise<ChildStats> {
  const heapUsed = gc ? await settledHeap() : process.memoryUsage().heapUsed;
  const t = server.totals();
  let poolLanes = 0;
  let callWords = 0;
  let pipelinedCalls = 0;
  let live = 0;
  for (const c of server.conns) {
    live += c.transport.throttles;
    poolLanes += c.pool?.length ?? 0;
    callWords += c.rpc.limits.callWords;
    pipelinedCalls += c.rpc.limits.pipelinedCalls;
  }
  return { rss: process.memoryUsage.rss(), heapUsed, conns: t.conns, accepted: server.accepted, answers: t.answers,
    questions: t.questions, exports: t.exports, poolLanes, callWords, pipelinedCalls, throttles: throttles + live, lines: server.lines.splice(0) };
}

process.stdout.write(`${JSON.stringify({ ready: server.socketPath })}\n`);
for await (const line of readline.createInterface({ input: process.stdin })) {
  if (line === 'stats' || line === 'peek') process.stdout.write(`${JSON.stringify(await stats(line === 'stats'))}\n`);
}
await server.close();
process.exit(0);
