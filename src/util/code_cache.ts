// The V8 code cache of the compiled program, written at build time into <jsroot>/code-cache.bin and read by the
// module loader (src/boot.ts) at start-up, so the programs skip compiling their ~200 modules on every run.
//
// The file is a little-endian u32 length, a JSON index of that length, then each module's cached data and its
// source. A start takes the source from here when the module's file still has the size and mtime it had when the
// cache was made (one stat instead of reading ~200 files). Otherwise it reads the file and uses the cached data
// only for the very source it was made from (the index keeps its hash): V8 checks only a cache's source length
// (and its own version and flags), so a module edited after the build would otherwise run its old code.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';

export const CODE_CACHE_FILE = 'code-cache.bin';

interface CacheIndex {
  /** V8's version: a cache from another V8 is rejected by V8 anyway, this saves the attempt. */
  v8: string;
  /**
   * jsroot-relative path (with '/') → [offset after the index, length, sha256 of the source, the source's offset
   * and length (UTF-8), the file's size and mtimeMs].
   */
  modules: Record<string, [number, number, string, number, number, number, number]>;
}

/** A module's source and cached data, taken from the cache file. */
export interface PackedModule {
  source: string;
  cachedData: Buffer;
}

export function sourceHash(source: string): string {
  return crypto.createHash('sha256').update(source).digest('base64');
}

/** The cached data for modules read from a cache file; a missing or unreadable file is an empty cache. */
export class CodeCache {
  private constructor(private readonly index: CacheIndex['modules'], private readonly blobs: Buffer) {}

  static empty(): CodeCache {
    return new CodeCache({}, Buffer.alloc(0));
  }

  /** Reads <jsRoot>/code-cache.bin. Any fault means no cache: the modules are then compiled, as without one. */
  static load(jsRoot: string): CodeCache {
    let file: Buffer;
    try {
      file = fs.readFileSync(path.join(jsRoot, CODE_CACHE_FILE));
    } catch {
      return CodeCache.empty();
    }
    if (file.length < 4) return CodeCache.empty();
    const indexLength = file.readUInt32LE(0);
    if (4 + indexLength > file.length) return CodeCache.empty();
    let index: CacheIndex;
    try {
      index = JSON.parse(file.toString('utf8', 4, 4 + indexLength)) as CacheIndex;
    } catch {
      return CodeCache.empty();
    }
    if (index.v8 !== process.versions.v8 || typeof index.modules !== 'object') return CodeCache.empty();
    return new CodeCache(index.modules, file.subarray(4 + indexLength));
  }

  /**
   * The module at `relPath` (whose file is `file`) from the cache alone, when its file looks as it did when the
   * cache was made: same size, same mtime.
   */
  packed(relPath: string, file: string): PackedModule | undefined {
    const entry = this.index[relPath];
    if (!entry) return undefined;
    const [offset, length, , sourceOffset, sourceLength, size, mtimeMs] = entry;
    if (sourceOffset + sourceLength > this.blobs.length || offset + length > this.blobs.length) return undefined;
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (stat === undefined || stat.size !== size || stat.mtimeMs !== mtimeMs) return undefined;
    return { source: this.blobs.toString('utf8', sourceOffset, sourceOffset + sourceLength), cachedData: this.blobs.subarray(offset, offset + length) };
  }

  /** The cached data for the module at `relPath` whose source is `source`, if the cache holds that very source. */
  lookup(relPath: string, source: string): Buffer | undefined {
    const entry = this.index[relPath];
    if (!entry) return undefined;
    const [offset, length, hash] = entry;
    if (offset + length > this.blobs.length || sourceHash(source) !== hash) return undefined;
    return this.blobs.subarray(offset, offset + length);
  }
}

/**
 * Modules that call import() are left out: in Node 20 a module compiled from cached data has lost its
 * importModuleDynamically callback, and its import() fails with ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING.
 */
const DYNAMIC_IMPORT = /\bimport\s*\(/;

/**
 * Compiles with every function's bytecode made now, not only each module's top level. A start runs a large share
 * of the program's functions once, and V8 would otherwise parse and compile each at its first call; with the
 * bytecode in the cache a start runs ~5% fewer instructions (callgrind) for ~2 MiB more RSS. V8 checks a cache's
 * flags: --lazy is back to its default before the cache is made, so the launchers (which pass no V8 flag) accept
 * it.
 */
function compileEagerly<T>(compile: () => T): T {
  v8.setFlagsFromString('--no-lazy');
  try {
    return compile();
  } finally {
    v8.setFlagsFromString('--lazy');
  }
}

/** Every .js file under `dir`, recursively, as paths relative to `root` with '/' separators. */
function listModules(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...listModules(root, rel));
    else if (entry.name.endsWith('.js')) out.push(rel);
  }
  return out;
}

/**
 * Compiles every module under those of <jsRoot>/<dirs> that exist and writes their code cache to <jsRoot>/code-cache.bin (atomically,
 * through a temporary file). Needs `vm.SourceTextModule`, i.e. node --experimental-vm-modules. Returns the count.
 */
export function writeCodeCache(jsRoot: string, dirs: string[]): number {
  const index: CacheIndex = { v8: process.versions.v8, modules: {} };
  const blobs: Buffer[] = [];
  let offset = 0;
  const present = dirs.filter((d) => fs.existsSync(path.join(jsRoot, d)));
  for (const rel of present.flatMap((d) => listModules(jsRoot, d)).sort()) {
    const file = path.join(jsRoot, rel);
    const stat = fs.statSync(file);
    const source = fs.readFileSync(file, 'utf8');
    if (DYNAMIC_IMPORT.test(source)) continue;
    // createCachedData is in Node 20's vm but not in @types/node's SourceTextModule.
    const module = compileEagerly(() => new vm.SourceTextModule(source, { identifier: rel })) as vm.SourceTextModule & { createCachedData(): Buffer };
    const data = module.createCachedData();
    const sourceBytes = Buffer.from(source, 'utf8');
    index.modules[rel] = [offset, data.length, sourceHash(source), offset + data.length, sourceBytes.length, stat.size, stat.mtimeMs];
    blobs.push(data, sourceBytes);
    offset += data.length + sourceBytes.length;
  }
  const indexBytes = Buffer.from(JSON.stringify(index), 'utf8');
  const header = Buffer.alloc(4);
  header.writeUInt32LE(indexBytes.length, 0);
  const target = path.join(jsRoot, CODE_CACHE_FILE);
  const temp = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(temp, Buffer.concat([header, indexBytes, ...blobs]));
  fs.renameSync(temp, target);
  return Object.keys(index.modules).length;
}
