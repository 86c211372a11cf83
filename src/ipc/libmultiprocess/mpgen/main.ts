// mpgen command line: `mpgen SRC_PREFIX INCLUDE_PREFIX FILE [IMPORT_PATH...]`, as libmultiprocess's mpgen.
// Writes FILE's generated module to <FILE relative to SRC_PREFIX>.ts under the current directory.
// `mpgen --source-id` prints the id of the sources this mpgen was built from (cmake/MpSourceId.cmake).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const USAGE = 'Usage: mpgen SRC_PREFIX INCLUDE_PREFIX SRC_FILE [IMPORT_PATH...]';
const HERE = path.dirname(fileURLToPath(import.meta.url));

function sourceId(): number {
  const file = path.join(HERE, 'source-id');
  if (!fs.existsSync(file)) {
    process.stderr.write(`mpgen: ${file} is missing (the build writes it)\n`);
    return 1;
  }
  process.stdout.write(`${fs.readFileSync(file, 'utf8').trim()}\n`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  if (argv.length === 1 && argv[0] === '--source-id') return sourceId();
  if (argv.length < 3 || argv.includes('--help') || argv.includes('-h')) {
    process.stderr.write(`${USAGE}\n`);
    return argv.includes('--help') || argv.includes('-h') ? 0 : 1;
  }
  const [srcPrefixArg, includePrefixArg, fileArg, ...imports] = argv as [string, string, string, ...string[]];
  const srcPrefix = path.resolve(srcPrefixArg);
  const includePrefix = path.resolve(includePrefixArg);
  const file = path.resolve(fileArg);
  const rel = path.relative(srcPrefix, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    process.stderr.write(`mpgen: ${file} is not under SRC_PREFIX ${srcPrefix}\n`);
    return 1;
  }
  // Loaded here: ts-morph takes a while to load, and --source-id must stay quick (configure runs it).
  const { capnpIncludeDirs, compileSchema, modulePathResolver } = await import('./capnp.js');
  const { generateModule } = await import('./generate.js');
  const { decodeCodeGeneratorRequest } = await import('./schema.js');
  const capnp = process.env['CAPNP_EXECUTABLE'] || 'capnp';
  // This package's include dir holds /mp/proxy.capnp wherever the package is installed.
  const packageInclude = path.join(HERE, '..', 'include');
  const importPaths = [...new Set([...imports.map((p) => path.resolve(p)), includePrefix, packageInclude, ...capnpIncludeDirs(capnp)])];
  const frame = compileSchema({ capnp, srcPrefix, importPaths, file });
  const request = decodeCodeGeneratorRequest(frame);
  const requested = request.requestedFiles.find((f) => path.resolve(srcPrefix, f.filename) === file) ?? request.requestedFiles[0];
  if (!requested) {
    process.stderr.write(`mpgen: capnp returned no file for ${file}\n`);
    return 1;
  }
  const code = generateModule(request, requested.id, rel.split(path.sep).join('/'),
    { requestBytes: frame, modulePath: modulePathResolver(srcPrefix, importPaths) });
  const out = `${rel}.ts`;
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  fs.writeFileSync(out, code);
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
