// Lists the npm packages that installed JavaScript loads at run time, so that the install carries
// those and nothing else (no compiler, test runner or build tool). It reads the module specifiers of
// every .js file under the given directories with TypeScript's import scanner (static imports,
// re-exports, import() and require() with a literal name), keeps the bare package names, adds their
// dependencies transitively as Node would resolve them, and writes one node_modules-relative path
// per line ("@noble/curves", or "a/node_modules/b" for a nested copy). The output file is only
// rewritten when the list changes, so installs do not see a new timestamp on every build.
//
// usage: runtime-npm-packages.mjs --node-modules DIR --out FILE [--provided NAME]... JSDIR...
import fs from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import ts from 'typescript';

class UsageError extends Error {}

function parseArgs(argv) {
  const opts = { nodeModules: '', out: '', provided: new Set(), dirs: [] };
  for (let i = 0; i < argv.length; ++i) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new UsageError(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === '--node-modules') opts.nodeModules = path.resolve(value());
    else if (arg === '--out') opts.out = value();
    else if (arg === '--provided') opts.provided.add(value());
    else opts.dirs.push(arg);
  }
  if (!opts.nodeModules || !opts.out || opts.dirs.length === 0) {
    throw new UsageError('usage: runtime-npm-packages.mjs --node-modules DIR --out FILE [--provided NAME]... JSDIR...');
  }
  return opts;
}

function* jsFiles(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') yield* jsFiles(full);
    else if (entry.isFile() && entry.name.endsWith('.js')) yield full;
  }
}

/** The package a bare specifier names ("@scope/name/sub.js" -> "@scope/name"), or null. */
function packageName(specifier) {
  if (specifier.startsWith('.') || specifier.startsWith('/') || /^[a-z]+:/.test(specifier)) return null;
  if (isBuiltin(specifier)) return null;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Every package the files under `dirs` import by name. */
function importedPackages(dirs) {
  const names = new Map();
  for (const dir of dirs) {
    for (const file of jsFiles(dir)) {
      const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
      for (const { fileName } of info.importedFiles) {
        const name = packageName(fileName);
        if (name && !names.has(name)) names.set(name, file);
      }
    }
  }
  return names;
}

/**
 * Node's lookup of `name` from the package at `from` (node_modules-relative, '' for the root):
 * from/node_modules/name, then the same beside each enclosing package, then the root.
 */
function locate(nodeModules, from, name) {
  const chain = from ? from.split('/node_modules/') : [];
  for (let n = chain.length; n >= 0; --n) {
    const rel = [...chain.slice(0, n), name].join('/node_modules/');
    if (fs.existsSync(path.join(nodeModules, rel, 'package.json'))) return rel;
  }
  return null;
}

/**
 * What a package needs beside it: its dependencies and required peers, plus its optional
 * dependencies when npm installed them. Optional peers are left out: the package only uses one
 * when its user brought it (capnp-es and typescript), and the installed code brings none.
 */
function manifestDeps(manifest) {
  const optionalPeers = Object.entries(manifest.peerDependenciesMeta ?? {})
    .filter(([, meta]) => meta?.optional).map(([name]) => name);
  const required = new Set([
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}).filter((name) => !optionalPeers.includes(name)),
  ]);
  const optional = Object.keys(manifest.optionalDependencies ?? {}).filter((name) => !required.has(name));
  return [...[...required].map((name) => ({ name, optional: false })), ...optional.map((name) => ({ name, optional: true }))];
}

/** The packages and their dependencies, as node_modules-relative paths. */
function closure(nodeModules, roots) {
  const seen = new Set();
  const queue = [];
  for (const [name, importer] of roots) {
    const rel = locate(nodeModules, '', name);
    if (!rel) throw new Error(`${importer} imports ${name}, which is not in ${nodeModules}`);
    queue.push(rel);
  }
  while (queue.length > 0) {
    const rel = queue.shift();
    if (seen.has(rel)) continue;
    seen.add(rel);
    const manifest = JSON.parse(fs.readFileSync(path.join(nodeModules, rel, 'package.json'), 'utf8'));
    for (const dep of manifestDeps(manifest)) {
      const found = locate(nodeModules, rel, dep.name);
      if (found) queue.push(found);
      else if (!dep.optional) throw new Error(`${rel} depends on ${dep.name}, which is not in ${nodeModules}`);
    }
  }
  return [...seen].sort();
}

try {
  const opts = parseArgs(process.argv.slice(2));
  const roots = importedPackages(opts.dirs);
  for (const name of opts.provided) roots.delete(name);
  const text = closure(opts.nodeModules, roots).map((rel) => rel + '\n').join('');
  const old = fs.existsSync(opts.out) ? fs.readFileSync(opts.out, 'utf8') : null;
  if (old !== text) fs.writeFileSync(opts.out, text);
} catch (err) {
  console.error(`runtime-npm-packages: ${err.message}`);
  process.exit(err instanceof UsageError ? 2 : 1);
}
