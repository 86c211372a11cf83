// interop_schema.ts is written by hand: check its ids, ordinals and field layouts against what the Cap'n Proto
// compiler makes of test/ipc/interop_test.capnp (the schema the C++ programs are generated from).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { InterfaceSpec } from '@smithcoin/libmultiprocess';
import { Init } from '../../../src/ipc/capnp/init.capnp.js';
import { sourceDir } from './harness.js';
import { CallbackSpec, CallbackTestSpec, INTEROP_FILE_ID, TestInitSpec, type Field, type PointerStructCodec } from './interop_schema.js';

interface CompiledMethod { ordinal: number; params: Field[]; results: Field[] }
interface CompiledInterface { id: bigint; superclass: string | null; methods: Map<string, CompiledMethod> }

/** `name :Type, ...` → fields, with the kinds interop_schema.ts uses. */
function fieldsOf(list: string): Field[] {
  if (list.trim() === '') return [];
  return list.split(', ').map((f) => {
    const m = /^(\w+) :(.+)$/.exec(f);
    assert.ok(m, `unexpected field "${f}"`);
    const type = m[2]!;
    const kind = type.endsWith('.Context') ? 'context' : type === 'Text' ? 'text' : 'cap';
    return [kind, m[1]!] as const;
  });
}

/** Parses `capnp compile -ocapnp` output (interfaces and their methods only). */
function compile(): { fileId: bigint; interfaces: Map<string, CompiledInterface> } {
  const src = sourceDir();
  const capnp = process.env['CAPNP_EXECUTABLE'] || 'capnp';
  const text = execFileSync(capnp, ['compile', '-ocapnp',
    `-I${path.join(src, 'src/ipc/libmultiprocess/include')}`, `-I${path.join(src, 'src/ipc/capnp')}`,
    path.join(src, 'test/ipc/interop_test.capnp')], { encoding: 'utf8' });
  const fileId = BigInt(/^@(0x[0-9a-f]+);$/m.exec(text)![1]!);
  const interfaces = new Map<string, CompiledInterface>();
  let current: CompiledInterface | null = null;
  for (const line of text.split('\n')) {
    const i = /^interface (\w+) @(0x[0-9a-f]+)(?: superclasses\((.*)\))? \{$/.exec(line);
    if (i) {
      current = { id: BigInt(i[2]!), superclass: i[3] ?? null, methods: new Map() };
      interfaces.set(i[1]!, current);
      continue;
    }
    const m = /^ {2}(\w+) @(\d+) \((.*)\) -> \((.*)\);$/.exec(line);
    if (m && current) current.methods.set(m[1]!, { ordinal: Number(m[2]), params: fieldsOf(m[3]!), results: fieldsOf(m[4]!) });
    if (line === '}') current = null;
  }
  return { fileId, interfaces };
}

function checkInterface(spec: InterfaceSpec, compiled: CompiledInterface | undefined): void {
  assert.ok(compiled, `${spec.name} is not in interop_test.capnp`);
  assert.equal(spec.id, compiled.id, `${spec.name} id`);
  assert.deepEqual(spec.methods.map((m) => m.name).sort(), [...compiled.methods.keys()].sort(), `${spec.name} methods`);
  for (const m of spec.methods) {
    const c: CompiledMethod = compiled.methods.get(m.name)!;
    assert.equal(m.interfaceId, spec.id);
    assert.equal(m.methodId, c.ordinal, `${spec.name}.${m.name} ordinal`);
    assert.deepEqual((m.params as PointerStructCodec).fields, c.params, `${spec.name}.${m.name} params`);
    assert.deepEqual((m.results as PointerStructCodec).fields, c.results, `${spec.name}.${m.name} results`);
    assert.equal(m.contextField, c.params.some(([k]) => k === 'context') ? 'context' : undefined);
  }
}

describe('ipc_interop: hand-written interop_test.capnp specs', () => {
  it('match the capnp compiler: file id, interface ids, ordinals, fields, superclass', () => {
    const { fileId, interfaces } = compile();
    assert.equal(fileId, INTEROP_FILE_ID);
    checkInterface(TestInitSpec, interfaces.get('TestInit'));
    checkInterface(CallbackSpec, interfaces.get('Callback'));
    checkInterface(CallbackTestSpec, interfaces.get('CallbackTest'));
    assert.equal(interfaces.get('TestInit')!.superclass, 'import "/init.capnp".Init');
    assert.deepEqual(TestInitSpec.extends, [Init]);
    assert.equal(interfaces.size, 3);
  });
});
