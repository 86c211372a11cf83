// The LevelDB addon (native/leveldb) against classic-level 3.0.0 on a UTXO-like workload: 36-byte
// outpoint keys, ~40-byte coin values; batch writes, random synchronous gets, batched gets and a
// full scan. classic-level is not a project dependency: a full run installs it with npm into a
// scratch folder outside the tree. A -quick run (CI, no network) measures the addon against a plain
// JS Map instead.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { leveldbAddon, type LevelDBDatabase } from '../src/node/leveldb_native.js';
import { measure, report, type BenchOptions, type BenchmarkSuite, type Measurement } from './lib/bench.js';

const CLASSIC_LEVEL = 'classic-level@3.0.0';
const CACHE = 8 << 20;
const WRITE_BUFFER = 4 << 20;
const BATCH = 10_000;
const MANY = 1000;

interface Workload {
  keys: Uint8Array[];
  values: Uint8Array[];
  /** Indices into keys in random order, for the reads. */
  order: Uint32Array;
}

function makeWorkload(n: number): Workload {
  const keys: Uint8Array[] = [];
  const values: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    keys.push(new Uint8Array(crypto.randomBytes(36)));
    values.push(new Uint8Array(crypto.randomBytes(36 + (i % 9))));
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = crypto.randomInt(n);
  return { keys, values, order };
}

/** The operations measured on each store; each resolves when done. */
interface Store {
  name: string;
  writeBatch(keys: Uint8Array[], values: Uint8Array[]): void | Promise<void>;
  get(key: Uint8Array): Uint8Array | null | undefined;
  getMany(keys: Uint8Array[]): unknown[] | Promise<unknown[]>;
  /** Entries seen by a scan of everything. */
  scan(): number | Promise<number>;
  close(): void | Promise<void>;
}

function ourStore(dir: string): Store {
  if (leveldbAddon === null) throw new Error('leveldb addon missing: configure found no LevelDB (build native/leveldb first)');
  const db: LevelDBDatabase = new leveldbAddon.Database(dir, { cacheSize: CACHE, writeBufferSize: WRITE_BUFFER });
  return {
    name: 'leveldb addon',
    writeBatch: (k, v) => db.write(k, v, false),
    get: (k) => db.get(k),
    getMany: (k) => db.getMany(k),
    scan: () => {
      const it = db.iterator();
      let n = 0;
      for (it.seekToFirst(); it.valid(); it.next()) { it.key(); it.value(); n++; }
      it.close();
      return n;
    },
    close: () => db.close(),
  };
}

function mapStore(): Store {
  const map = new Map<string, Uint8Array>();
  const id = (k: Uint8Array) => Buffer.from(k.buffer, k.byteOffset, k.byteLength).toString('latin1');
  return {
    name: 'JS Map',
    writeBatch: (k, v) => { for (let i = 0; i < k.length; i++) map.set(id(k[i]!), v[i]!); },
    get: (k) => map.get(id(k)),
    getMany: (k) => k.map((x) => map.get(id(x))),
    scan: () => { let n = 0; for (const e of map) { void e; n++; } return n; },
    close: () => map.clear(),
  };
}

interface ClassicLevelDb {
  open(o: { compression: boolean }): Promise<void>;
  batch(ops: { type: 'put'; key: Uint8Array; value: Uint8Array }[], o: { sync: boolean }): Promise<void>;
  getSync(key: Uint8Array): Uint8Array | undefined;
  getMany(keys: Uint8Array[]): Promise<(Uint8Array | undefined)[]>;
  iterator(): { nextv(n: number): Promise<[Uint8Array, Uint8Array][]>; close(): Promise<void> };
  close(): Promise<void>;
}
type ClassicLevelCtor = new (dir: string, o: object) => ClassicLevelDb;

/** Installs classic-level into a scratch folder under the temp dir (reused by later runs). */
function installClassicLevel(): ClassicLevelCtor {
  const dir = path.join(os.tmpdir(), 'smithcoin-bench-classic-level-3.0.0');
  const req = createRequire(path.join(dir, 'package.json'));
  if (!fs.existsSync(path.join(dir, 'node_modules', 'classic-level'))) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "bench-scratch", "private": true }\n');
    const npm = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', CLASSIC_LEVEL], { cwd: dir, encoding: 'utf8' });
    if (npm.status !== 0) throw new Error(`npm install ${CLASSIC_LEVEL} in ${dir} failed: ${npm.stderr || npm.error?.message}`);
  }
  return (req('classic-level') as { ClassicLevel: ClassicLevelCtor }).ClassicLevel;
}

async function classicStore(dir: string): Promise<Store> {
  const db = new (installClassicLevel())(dir, { keyEncoding: 'view', valueEncoding: 'view', cacheSize: CACHE, writeBufferSize: WRITE_BUFFER });
  await db.open({ compression: false });
  return {
    name: 'classic-level 3.0.0',
    writeBatch: (k, v) => db.batch(k.map((key, i) => ({ type: 'put' as const, key, value: v[i]! })), { sync: false }),
    get: (k) => db.getSync(k),
    getMany: (k) => db.getMany(k),
    scan: async () => {
      const it = db.iterator();
      let n = 0;
      for (let chunk = await it.nextv(1000); chunk.length > 0; chunk = await it.nextv(1000)) n += chunk.length;
      await it.close();
      return n;
    },
    close: () => db.close(),
  };
}

/** Loads the whole workload, then measures each operation; returns one measurement per operation. */
async function run(store: Store, w: Workload, opts: BenchOptions): Promise<Measurement[]> {
  const n = w.keys.length;
  for (let i = 0; i < n; i += BATCH) await store.writeBatch(w.keys.slice(i, i + BATCH), w.values.slice(i, i + BATCH));
  let b = 0;
  const write = await measure(`batch write (${BATCH} puts), ${store.name}`, () => {
    const at = (b++ * BATCH) % n;
    return store.writeBatch(w.keys.slice(at, at + BATCH), w.values.slice(at, at + BATCH));
  }, { quick: opts.quick, opsPerCall: BATCH });
  let g = 0;
  const get = await measure(`random get, ${store.name}`, () => {
    if (store.get(w.keys[w.order[g++ % n]!]!) == null) throw new Error(`${store.name}: a written key is missing`);
  }, opts);
  let m = 0;
  const many = await measure(`getMany (${MANY} random keys), ${store.name}`, () => {
    const keys: Uint8Array[] = [];
    for (let i = 0; i < MANY; i++) keys.push(w.keys[w.order[m++ % n]!]!);
    return store.getMany(keys);
  }, { quick: opts.quick, opsPerCall: MANY });
  const scan = await measure(`full scan (${n} entries), ${store.name}`, async () => {
    const seen = await store.scan();
    if (seen !== n) throw new Error(`${store.name}: scan saw ${seen} of ${n} entries`);
  }, { quick: opts.quick, opsPerCall: n, ms: 1000, reps: 3 });
  return [write, get, many, scan];
}

async function utxoBench(opts: BenchOptions): Promise<void> {
  const w = makeWorkload(opts.quick ? 20_000 : 200_000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'smithcoin-bench-leveldb-'));
  const stores: Store[] = [];
  try {
    // The baseline first, so the addon's lines carry the ratio.
    const base = opts.quick ? mapStore() : await classicStore(path.join(tmp, 'classic'));
    stores.push(base);
    const baseline = await run(base, w, opts);
    const ours = ourStore(path.join(tmp, 'ours'));
    stores.push(ours);
    const mine = await run(ours, w, opts);
    const units = ['put/s', 'get/s', 'get/s', 'entry/s'];
    for (let i = 0; i < mine.length; i++) {
      report(baseline[i]!, undefined, units[i]);
      report(mine[i]!, baseline[i], units[i]);
    }
  } finally {
    for (const s of stores) await s.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export const benchmarks: BenchmarkSuite[] = [{ name: 'leveldb.utxo', run: utxoBench }];
