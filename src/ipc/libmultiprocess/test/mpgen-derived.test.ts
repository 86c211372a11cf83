// Derived interfaces (mpgen-derived.capnp): the generated clients call inherited methods with the interface id of the
// interface that declares them, the generated servers answer every superclass's id (diamonds included) and nothing
// else, a derived object goes wherever a superclass is expected, and capability parameters are lent for the call.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  Logger, ProxyConnection, RequestCounter, RpcError, SERVER_TEXT,
} from '@smithcoin/libmultiprocess';
import { Named, NamedClient } from './mpgen-derived-base.capnp.js';
import {
  AuditedStore, AuditedStoreClient, Reader, ReaderClient, Registry, RegistryClient, RegistryServer, Store, StoreClient,
  Writer, WriterClient,
} from './mpgen-derived.capnp.js';
import { socketPair, waitFor } from './rpc-helpers.js';

class LocalStore implements AuditedStore {
  readonly map = new Map<string, string>();
  readonly puts: string[] = [];
  destroyed = 0;
  constructor(readonly label: string) {}
  async name(): Promise<string> { return this.label; }
  async tag(): Promise<string> { return `#${this.label}`; }
  async get(key: string): Promise<string | undefined> { return this.map.get(key); }
  async put(key: string, value: string): Promise<void> {
    this.map.set(key, value);
    this.puts.push(`${key}=${value}`);
  }
  async size(): Promise<number> { return this.map.size; }
  async log(): Promise<string[]> { return [...this.puts]; }
  async destroy(): Promise<void> { this.destroyed++; }
}

class LocalRegistry implements Registry {
  readonly stores: LocalStore[] = [];
  kept: Reader | null = null;
  lent: Reader | null = null;
  async describe(item: Named | null): Promise<string> {
    return item === null ? 'nothing' : `named ${await item.name()}`;
  }
  async identify(item: Named | null): Promise<string> { return item === null ? 'nothing' : item.tag(); }
  async makeStore(): Promise<Store> { return this.add(); }
  async makeAudited(): Promise<AuditedStore> { return this.add(); }
  async keep(item: Reader | null): Promise<void> {
    this.lent = item;
    // A reference of our own outlives the call; the lent one does not.
    this.kept = item instanceof ReaderClient ? new ReaderClient(item.$cap.dup(), item.$conn) : item;
  }
  async readKept(key: string): Promise<{ kept: string; lent: string }> {
    const kept = (await this.kept!.get(key)) ?? '(none)';
    const lent = await Promise.resolve().then(() => this.lent!.get(key)).then(() => 'answered', (e: Error) => e.message);
    return { kept, lent };
  }
  private add(): LocalStore {
    const s = new LocalStore(`store${this.stores.length}`);
    this.stores.push(s);
    return s;
  }
}

interface Setup { client: ProxyConnection; server: ProxyConnection; registry: RegistryClient; impl: LocalRegistry;
  serverLines: string[]; clientLines: string[] }

const opened: ProxyConnection[] = [];
afterEach(async () => {
  for (const c of opened.splice(0)) {
    c.close();
    await c.closed;
  }
});

async function setup(): Promise<Setup> {
  const [a, b] = await socketPair();
  const serverLines: string[] = [];
  const clientLines: string[] = [];
  const logger = (lines: string[]): Logger => new Logger({ logFn: (l, m) => lines.push(`${l} ${m}`), logLevel: 'debug',
    exeName: 'derived' }, new RequestCounter());
  const impl = new LocalRegistry();
  const server = ProxyConnection.serve(b, (conn) => new RegistryServer(conn, impl), { log: logger(serverLines) });
  const client = ProxyConnection.connect(a, { log: logger(clientLines), threadName: 'client' });
  opened.push(client, server);
  const registry = client.bootstrap((cap, conn) => new RegistryClient(cap, conn));
  await registry.construct();
  return { client, server, registry, impl, serverLines, clientLines };
}

/** The params struct names the server decoded, in order: they tell which interface id each call carried. */
function received(lines: string[]): string[] {
  return lines.flatMap((l) => /IPC server recv request {2}#\d+ (\S+)\$Params$/.exec(l)?.[1] ?? []);
}

function remote(type: RpcError['type'], reason: string): (e: unknown) => boolean {
  return (e) => e instanceof RpcError && e.remote && e.type === type && e.reason === reason;
}

describe('mpgen derived interfaces', () => {
  it('extends the superclasses in the TS types, specs and client classes', () => {
    assert.deepEqual(Store.extends, [Reader, Writer]);
    assert.deepEqual(AuditedStore.extends, [Store]);
    assert.deepEqual(Reader.extends, [Named]);
    // Only a class's own methods are in its table; inherited ones stay in their interface's (own id).
    assert.deepEqual(Store.methods.map((m) => [m.name, m.interfaceId]), [['size', Store.id]]);
    // One base class each: the first superclass's client; the others' methods are written out again.
    const c = Object.create(AuditedStoreClient.prototype) as AuditedStoreClient;
    assert.ok(c instanceof StoreClient && c instanceof ReaderClient && c instanceof NamedClient);
    assert.ok(!(c instanceof WriterClient));
    assert.equal(typeof c.put, 'function');
    // Compile-time: a derived client is every superclass's API.
    const asApis: [Named, Reader, Writer, Store] = [c, c, c, c];
    assert.equal(asApis.length, 4);
  });

  it('calls inherited methods with the id of the interface that declares them, three levels down', async () => {
    const { registry, impl, serverLines, clientLines } = await setup();
    const audited = (await registry.makeAudited())!;
    await audited.put('a', '1');
    assert.equal(await audited.get('a'), '1');
    assert.equal(await audited.get('missing'), undefined);
    assert.equal(await audited.size(), 1);
    assert.equal(await audited.name(), 'store0');
    assert.deepEqual(await audited.log(), ['a=1']);
    assert.deepEqual(received(serverLines).slice(-6),
      ['Writer.put', 'Reader.get', 'Reader.get', 'Store.size', 'Named.name', 'AuditedStore.log']);
    assert.ok(clientLines.some((l) => l.endsWith('IPC client send Named.name$Params')), clientLines.join('\n'));
    assert.deepEqual(impl.stores[0]!.puts, ['a=1']);
  });

  it('serves every superclass id (the diamond root once), and no other interface', async () => {
    const { client, registry } = await setup();
    const store = (await registry.makeStore())!;
    // The base clients over the same capability: each call carries that base's id.
    assert.equal(await new NamedClient(store.$cap.dup(), client).name(), 'store0');
    await new WriterClient(store.$cap.dup(), client).put('k', 'v');
    assert.equal(await new ReaderClient(store.$cap.dup(), client).get('k'), 'v');
    // Served as a Store (the declared result type), so AuditedStore's methods are not there.
    await assert.rejects(new AuditedStoreClient(store.$cap.dup(), client).log(),
      remote('unimplemented', `Requested interface not implemented.; actualInterfaceName = Store; requestedTypeId = ${AuditedStore.id}`));
    const other = store.$cap.newCall(Registry.id, 1, 0, 2);
    await assert.rejects(other.send(() => 0),
      remote('unimplemented', `Requested interface not implemented.; actualInterfaceName = Store; requestedTypeId = ${Registry.id}`));
    const beyond = store.$cap.newCall(Named.id, 3, 0, 1);
    await assert.rejects(beyond.send(() => 0),
      remote('unimplemented', `Method not implemented.; interfaceName = Store; typeId = ${Named.id}; methodId = 3`));
  });

  it('destroy declared by two interfaces of the graph ends the object once, whichever is called', async () => {
    const { client, registry, impl } = await setup();
    await registry.describe(null); // the lane exists now, so the import count below is the store's alone
    const imports = client.rpc.stats().imports;
    const store = (await registry.makeStore())!;
    // Writer's own destroy @1, by hand: the generated clients call the first declaration met, Named's @0.
    const destroy = Writer.methods[1];
    const req = store.$cap.newCall(destroy.interfaceId, destroy.methodId, destroy.params.dataWords, destroy.params.ptrCount);
    destroy.params.encode(req.params, { context: { thread: { cap: req.addCap(client.defaultThread().cap)! } } });
    await req.send(() => undefined);
    assert.equal(impl.stores[0]!.destroyed, 1);
    await assert.rejects(store.size(), remote('failed', SERVER_TEXT.destroyed));
    // Named's destroy @0 (WriterClient's, inherited from NamedClient): the object is gone; the reference is dropped.
    await assert.rejects(new WriterClient(store.$cap.dup(), client).destroy(), remote('failed', SERVER_TEXT.destroyed));
    store.release();
    await waitFor(() => client.rpc.stats().imports === imports);
    await registry.describe(null); // a round trip: the Release has been handled
    assert.equal(impl.stores[0]!.destroyed, 1);
  });

  it('passes a derived object where a superclass is expected, remote or local', async () => {
    const { registry, clientLines } = await setup();
    const audited = (await registry.makeAudited())!;
    // The server gets back its own AuditedStore, typed Named: it calls tag() with Named's id, answered locally.
    assert.equal(await registry.identify(audited), '#store0');
    // A local object is served for the call as a Named; the server calls back on our callbackThread.
    const local = new LocalStore('mine');
    assert.equal(await registry.describe(local), 'named mine');
    assert.ok(clientLines.some((l) => new RegExp(`IPC server post request {2}#\\d+ \\{derived-${process.pid}/client\\}$`).test(l)),
      clientLines.join('\n'));
    // Lent for the call only: the server released it when describe returned, which destroys our served object.
    await waitFor(() => local.destroyed === 1);
    assert.equal(await registry.describe(null), 'nothing');
  });

  it('a capability parameter is lent for the call; a dup of it outlives the call', async () => {
    const { registry } = await setup();
    const local = new LocalStore('kept');
    await local.put('k', 'kept value');
    await registry.keep(local);
    assert.deepEqual(await registry.readKept('k'), { kept: 'kept value', lent: 'Capability used after release().' });
    assert.equal(local.destroyed, 0);
  });
});

describe('mpgen on derived schemas (command line)', () => {
  let dir = '';
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpgen-derived-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Writes `files` under the temp dir, runs mpgen there, returns its exit status, stderr and output directory. */
  function mpgen(files: Record<string, string>, srcPrefix: string, file: string, imports: string[] = []):
    { status: number | null; stderr: string; out: string } {
    const exe = process.env['MPGEN_EXECUTABLE'];
    if (!exe) throw new Error('MPGEN_EXECUTABLE must name the mpgen to test (ctest sets it)');
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), `@${capnpId()};\n${text}\n`);
    }
    const out = path.join(dir, 'out');
    fs.mkdirSync(out, { recursive: true });
    const res = spawnSync(exe, [path.join(dir, srcPrefix), path.join(dir, srcPrefix), path.join(dir, file),
      ...imports.map((d) => path.join(dir, d))], { cwd: out, encoding: 'utf8' });
    return { status: res.status, stderr: res.stderr, out };
  }

  it('refuses two inherited methods of the same name, naming both', () => {
    const r = mpgen({ 'a.capnp': 'interface A { foo @0 () -> (); }\ninterface B { foo @0 (x :Int32) -> (); }\n' +
      'interface C extends(A, B) {}' }, '.', 'a.capnp');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /C: A\.foo and B\.foo share a name; generated code maps methods by name/);
  });

  it('accepts destroy from two superclasses only with the same signature', () => {
    const base = 'interface A { destroy @0 () -> (); }\ninterface C extends(A, B) {}\n';
    const same = mpgen({ 'a.capnp': `${base}interface B { destroy @0 () -> (); }` }, '.', 'a.capnp');
    assert.equal(same.status, 0, same.stderr);
    const differ = mpgen({ 'a.capnp': `${base}interface B { destroy @0 (x :Int32) -> (); }` }, '.', 'a.capnp');
    assert.equal(differ.status, 1);
    assert.match(differ.stderr, /C: A\.destroy and B\.destroy differ in signature/);
  });

  it('imports a superclass found through an import dir by its path under SRC_PREFIX', () => {
    const files = {
      'src/lib/base.capnp': 'interface Base { ping @0 () -> (); }',
      'src/app/main.capnp': 'using B = import "/base.capnp";\ninterface Main extends(B.Base) {}',
    };
    const ok = mpgen(files, 'src', 'src/app/main.capnp', ['src/lib']);
    assert.equal(ok.status, 0, ok.stderr);
    const code = fs.readFileSync(path.join(ok.out, 'app/main.capnp.ts'), 'utf8');
    assert.match(code, /^import \* as \$base from "\.\.\/lib\/base\.capnp\.js";$/m);
    assert.match(code, /^export class MainClient extends \$base\.BaseClient implements Main \{$/m);
    // Outside SRC_PREFIX the generated base module has no path relative to this one.
    const outside = mpgen(files, 'src/app', 'src/app/main.capnp', ['src/lib']);
    assert.equal(outside.status, 1);
    assert.match(outside.stderr, /base\.capnp is not under SRC_PREFIX .*src\/app, so the module generated from it has no path/);
  });
});

/** A fresh file id (capnp's rule: the top bit set). */
function capnpId(): string {
  return `0x${(0x8000000000000000n | BigInt.asUintN(64, BigInt(`0x${crypto.randomBytes(8).toString('hex')}`))).toString(16)}`;
}
