// A line-oriented bridge from a functional test to smithcoin-node's IPC interfaces, through our own runtime's
// client side: `node ipc_bridge.js <socket>` connects, constructs Init and then reads one JSON request a line on
// stdin, {"id", "obj", "method", "args"}, calling `obj.method(...args)` on the generated client. Replies go to
// stdout, one a line, in the order the calls finish (so a test can leave a wait pending and act meanwhile):
// {"id", "result"} or {"id", "error"}. Interface results become handles ("h1", ...) that later requests name in
// `obj`; the Init is "init". Bytes travel as {"hex"}, 64-bit integers as {"int"} (decimal text). EOF closes.
import readline from 'node:readline';
import { ProxyClient, ProxyConnection, connectUnix } from '@smithcoin/libmultiprocess';
import { InitClient } from '../../src/ipc/capnp/init.capnp.js';
import { bytesToHex, hexToBytes } from '../../src/util/hex.js';

type Wire = null | boolean | number | string | Wire[] | { [key: string]: Wire };

interface Request {
  id: number;
  obj: string;
  method: string;
  args?: Wire[];
}

const handles = new Map<string, ProxyClient>();
let nextHandle = 1;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A test's argument as the generated client takes it. */
function decode(v: Wire): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (!isRecord(v)) return v;
  if (typeof v.hex === 'string') return hexToBytes(v.hex);
  if (typeof v.int === 'string') return BigInt(v.int);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decode(x as Wire)]));
}

/** A client's result as JSON: interfaces become handles. */
function encode(v: unknown): Wire {
  if (v === undefined || v === null) return null;
  if (v instanceof Uint8Array) return { hex: bytesToHex(v) };
  if (typeof v === 'bigint') return { int: v.toString() };
  if (v instanceof ProxyClient) {
    const name = `h${nextHandle++}`;
    handles.set(name, v);
    return { handle: name };
  }
  if (Array.isArray(v)) return v.map(encode);
  if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x)]));
  if (typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return v;
  throw new TypeError(`ipc_bridge: cannot encode a ${typeof v}`);
}

/** The generated client's method `name` (own methods only: no `$`-prefixed internals, nothing from Object). */
function methodOf(obj: ProxyClient, name: string): (...args: unknown[]) => Promise<unknown> {
  const fn: unknown = Reflect.get(obj, name);
  if (name.startsWith('$') || typeof fn !== 'function' || name in Object.prototype) {
    throw new Error(`ipc_bridge: no method ${name}`);
  }
  return (fn as (...args: unknown[]) => Promise<unknown>).bind(obj);
}

function reply(line: Record<string, Wire>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

async function serve(req: Request): Promise<void> {
  try {
    const obj = handles.get(req.obj);
    if (obj === undefined) throw new Error(`ipc_bridge: no object ${req.obj}`);
    const result = await methodOf(obj, req.method)(...(req.args ?? []).map(decode));
    reply({ id: req.id, result: encode(result) });
  } catch (e) {
    reply({ id: req.id, error: e instanceof Error ? e.message : String(e) });
  }
}

async function main(): Promise<void> {
  const socketPath = process.argv[2];
  if (socketPath === undefined) throw new Error('usage: ipc_bridge.js <socket path>');
  const conn = ProxyConnection.connect(await connectUnix(socketPath));
  const init = conn.bootstrap((cap, c) => new InitClient(cap, c));
  await init.construct();
  handles.set('init', init);
  reply({ ready: true });
  // Not awaited: calls run side by side (serve() reports its own failures), as a pending wait needs.
  for await (const line of readline.createInterface({ input: process.stdin })) {
    if (line.trim() !== '') void serve(JSON.parse(line) as Request);
  }
  conn.close();
  await conn.closed;
}

main().catch((e: unknown) => {
  process.stderr.write(`ipc_bridge: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
