// Prints, one per line, the npm packages (and their dependencies, transitively) that mpgen needs
// at run time, resolved in a flat node_modules directory, so that CMake can link or install them.
import fs from 'node:fs';
import path from 'node:path';

const [nodeModules, ...roots] = process.argv.slice(2);
if (!nodeModules || roots.length === 0) {
  console.error('usage: node-deps.mjs NODE_MODULES PACKAGE...');
  process.exit(2);
}
const seen = new Set();
const queue = [...roots];
while (queue.length > 0) {
  const name = queue.shift();
  if (seen.has(name)) continue;
  const manifest = path.join(nodeModules, name, 'package.json');
  if (!fs.existsSync(manifest)) {
    console.error(`npm package ${name} is missing from ${nodeModules}`);
    process.exit(1);
  }
  seen.add(name);
  const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8'));
  for (const dep of Object.keys(pkg.dependencies ?? {})) queue.push(dep);
}
process.stdout.write([...seen].sort().join('\n') + '\n');
