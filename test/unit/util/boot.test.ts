import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CODE_CACHE_FILE, CodeCache, sourceHash } from '../../../src/util/code_cache.js';

// src/boot.js and src/util/code_cache.js, as built: copied into a scratch js root with a small program, so the
// tests can write that root's cache and edit its modules.
const BUILT_SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'src');

const PROGRAM: Record<string, string> = {
  'src/main.js': [
    "import path from 'node:path';",
    "import { value } from './lib/value.js';",
    "import { ping } from './lib/cycle_a.js';",
    "import { nodeProgramArgs } from './util/node_program.js';",
    "const { later } = await import('./lib/later.js');",
    "const { EventEmitter } = await import('node:events');",
    'console.log(JSON.stringify({',
    '  argv: process.argv.slice(1), value, ping: ping(), later, emitter: typeof EventEmitter,',
    '  url: import.meta.url, file: import.meta.filename, dir: import.meta.dirname, sep: path.sep, spawn: nodeProgramArgs("x.js", ["-a"]),',
    '}));',
  ].join('\n'),
  'src/lib/value.js': "export const value = 'AAAA';\n",
  'src/lib/cycle_a.js': "import { pong } from './cycle_b.js';\nexport function ping() { return 'ping-' + pong(); }\n",
  'src/lib/cycle_b.js': "import { ping } from './cycle_a.js';\nexport function pong() { return typeof ping; }\n",
  'src/lib/later.js': 'export const later = 42;\n',
};

function makeRoot(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'smithcoin-boot-'));
  for (const [rel, text] of Object.entries(PROGRAM)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  fs.writeFileSync(path.join(root, 'package.json'), '{"type":"module"}\n');
  fs.mkdirSync(path.join(root, 'src/util'), { recursive: true });
  for (const rel of ['boot.js', 'util/code_cache.js', 'util/node_program.js']) {
    fs.copyFileSync(path.join(BUILT_SRC, rel), path.join(root, 'src', rel));
  }
  return root;
}

function node(args: string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--no-warnings', ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function writeCache(root: string): void {
  const script = `import { writeCodeCache } from ${JSON.stringify(path.join(root, 'src/util/code_cache.js'))};\n` +
    `console.log(writeCodeCache(${JSON.stringify(root)}, ['src', 'missing']));`;
  const r = node(['--experimental-vm-modules', '--input-type=module', '-e', script], root);
  assert.equal(r.code, 0, r.stderr);
  // Every module but those whose text has import( (see DYNAMIC_IMPORT in code_cache.ts): main.js, boot.js and
  // code_cache.js.
  assert.equal(r.stdout.trim(), String(Object.keys(PROGRAM).length - 1 + 1));
}

function boot(root: string, vmModules = true, v8Flags: string[] = []): Record<string, unknown> {
  const flags = [...(vmModules ? ['--experimental-vm-modules'] : []), ...v8Flags];
  const r = node([...flags, path.join(root, 'src/boot.js'), 'src/main.js', '-x', 'y'], root);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

describe('boot: the launchers\' module loader and its code cache', () => {
  const roots: string[] = [];
  after(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));
  const root = (): string => {
    const r = makeRoot();
    roots.push(r);
    return r;
  };

  it('runs the entry as Node would: argv, import.meta.url, builtins, cycles, dynamic imports', () => {
    const r = root();
    for (const vmModules of [true, false]) {
      const out = boot(r, vmModules);
      const entry = path.join(r, 'src/main.js');
      assert.deepEqual(out.argv, [entry, '-x', 'y']);
      assert.equal(out.url, `file://${entry}`);
      assert.equal(out.file, entry);
      assert.equal(out.dir, path.dirname(entry));
      assert.equal(out.value, 'AAAA');
      assert.equal(out.ping, 'ping-function');
      assert.equal(out.later, 42);
      assert.equal(out.emitter, 'function');
      assert.equal(out.sep, '/');
      // A child program is started through the same loader with the same Node options.
      assert.deepEqual(out.spawn, [
        '--no-warnings', ...(vmModules ? ['--experimental-vm-modules'] : []), path.join(r, 'src/boot.js'), 'x.js', '-a',
      ]);
    }
  });

  it('uses the cache only for the very source it was made from', () => {
    const r = root();
    writeCache(r);
    const cache = CodeCache.load(r);
    const source = fs.readFileSync(path.join(r, 'src/lib/value.js'), 'utf8');
    assert.ok(cache.lookup('src/lib/value.js', source)!.length > 0);
    // Same length, other text: V8 alone would accept the old code.
    const edited = source.replace('AAAA', 'BBBB');
    assert.equal(edited.length, source.length);
    assert.equal(cache.lookup('src/lib/value.js', edited), undefined);
    assert.equal(cache.lookup('src/lib/absent.js', source), undefined);
    const main = fs.readFileSync(path.join(r, 'src/main.js'), 'utf8');
    assert.equal(cache.lookup('src/main.js', main), undefined);
    // The source itself comes from the cache while the file keeps its size and mtime.
    const file = path.join(r, 'src/lib/value.js');
    assert.equal(cache.packed('src/lib/value.js', file)!.source, source);
    assert.deepEqual(cache.packed('src/lib/value.js', file)!.cachedData, cache.lookup('src/lib/value.js', source));
    const later = new Date(fs.statSync(file).mtimeMs + 5000);
    fs.utimesSync(file, later, later);
    assert.equal(cache.packed('src/lib/value.js', file), undefined);
    assert.ok(cache.lookup('src/lib/value.js', source), 'a touched file with the same text keeps its cached data');
    assert.equal(cache.packed('src/lib/absent.js', file), undefined);
    assert.equal(boot(r).value, 'AAAA');
    // Under other V8 flags V8 rejects every entry (and Node 20 throws for it): the modules are compiled instead.
    assert.equal(boot(r, true, ['--max-old-space-size=64']).value, 'AAAA');
    fs.writeFileSync(path.join(r, 'src/lib/value.js'), edited);
    assert.equal(boot(r).value, 'BBBB');
  });

  it('writes a cache V8 takes under the launchers\' flags, with the bytecode of every function', () => {
    const r = root();
    writeCache(r);
    // Node 20 throws for a rejected cachedData; a module made from an eager cache has its inner functions compiled,
    // so its cached data holds more than the top level's.
    const script = [
      "import fs from 'node:fs'; import vm from 'node:vm';",
      `import { CodeCache } from ${JSON.stringify(path.join(r, 'src/util/code_cache.js'))};`,
      `const cache = CodeCache.load(${JSON.stringify(r)});`,
      "const out = {};",
      "for (const rel of ['src/lib/value.js', 'src/lib/cycle_a.js', 'src/util/node_program.js']) {",
      `  const source = fs.readFileSync(${JSON.stringify(r)} + '/' + rel, 'utf8');`,
      '  const lazy = new vm.SourceTextModule(source).createCachedData().length;',
      '  const cachedData = cache.lookup(rel, source);',
      '  const m = new vm.SourceTextModule(source, { cachedData });',
      '  out[rel] = { accepted: m.cachedDataRejected !== true, cached: cachedData.length, lazy };',
      '}',
      'console.log(JSON.stringify(out));',
    ].join('\n');
    const res = node(['--experimental-vm-modules', '--input-type=module', '-e', script], r);
    assert.equal(res.code, 0, res.stderr);
    const out = JSON.parse(res.stdout) as Record<string, { accepted: boolean; cached: number; lazy: number }>;
    for (const [rel, m] of Object.entries(out)) assert.ok(m.accepted, `${rel}: cache rejected`);
    assert.ok(out['src/util/node_program.js']!.cached > out['src/util/node_program.js']!.lazy, JSON.stringify(out));
  });

  it('treats a missing, truncated or foreign cache as none', () => {
    const r = root();
    const source = fs.readFileSync(path.join(r, 'src/lib/value.js'), 'utf8');
    assert.equal(CodeCache.load(r).lookup('src/lib/value.js', source), undefined);
    writeCache(r);
    const file = path.join(r, CODE_CACHE_FILE);
    const whole = fs.readFileSync(file);
    for (const bad of [whole.subarray(0, 3), whole.subarray(0, 40), Buffer.from('garbage!')]) {
      fs.writeFileSync(file, bad);
      assert.equal(CodeCache.load(r).lookup('src/lib/value.js', source), undefined);
      assert.equal(boot(r).value, 'AAAA');
    }
    const indexLength = whole.readUInt32LE(0);
    const index = JSON.parse(whole.toString('utf8', 4, 4 + indexLength)) as { v8: string };
    assert.equal(index.v8, process.versions.v8);
    assert.equal(sourceHash(source), (index as unknown as { modules: Record<string, string[]> }).modules['src/lib/value.js']![2]);
  });
});
