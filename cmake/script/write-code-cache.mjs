// Writes the V8 code cache of the compiled programs (<jsroot>/code-cache.bin, see src/util/code_cache.ts).
// Run as: node --experimental-vm-modules write-code-cache.mjs <jsroot> <dir under jsroot>...
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [jsRoot, ...dirs] = process.argv.slice(2);
const { writeCodeCache } = await import(pathToFileURL(path.join(jsRoot, 'src/util/code_cache.js')).href);
const count = writeCodeCache(jsRoot, dirs);
console.log(`code cache: ${count} modules`);
