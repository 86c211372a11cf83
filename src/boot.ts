// The launchers' first module: `node --experimental-vm-modules src/boot.js <entry> <args…>` runs <entry> as if Node
// had been given it, but loads the program's own modules through vm.SourceTextModule with the build's V8 code
// cache (src/util/code_cache.ts). Node 20's ESM loader spends more time resolving and compiling ~200 modules than
// the node spends starting; this loader reads each file once, resolves relative specifiers with path.resolve and
// compiles nothing the cache holds. Builtins and npm packages still come from Node's loader.
//
// Nothing may import this module: it is the main module, and a second copy would run the program again.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { CodeCache } from './util/code_cache.js';
import { BOOT_SCRIPT_KEY, restoreExtraCaCerts } from './util/node_program.js';

const bootFile = fileURLToPath(import.meta.url);
const jsRoot = path.dirname(path.dirname(bootFile));
const jsRootSlash = `${jsRoot}/`;

/** The program's modules, by absolute file path, each loaded once. */
class ModuleLoader {
  private readonly modules = new Map<string, vm.SourceTextModule>();
  /** Each loaded module's file: the linker is called once per import, and parsing its URL back cost more. */
  private readonly files = new Map<vm.Module, string>();
  /** Resolved relative specifiers by directory: most modules import the same few dozen files. */
  private readonly resolved = new Map<string, string>();
  private readonly external = new Map<string, Promise<vm.Module>>();
  private readonly link = (specifier: string, referrer: vm.Module): Promise<vm.Module> | vm.Module =>
    this.resolveStatic(specifier, this.files.get(referrer) ?? fileURLToPath(referrer.identifier));

  constructor(private cache: CodeCache) {}

  /** Loads, links and evaluates `file`; resolves with its namespace, as import() does. */
  async run(file: string): Promise<object> {
    const module = this.load(file);
    if (module.status === 'unlinked') await module.link(this.link);
    await module.evaluate();
    return module.namespace;
  }

  private load(file: string): vm.SourceTextModule {
    let module = this.modules.get(file);
    if (module) return module;
    const url = pathToFileURL(file).href;
    // The program's files are under jsRoot; path.relative would cost more than the lookup it keys.
    const relPath = file.startsWith(jsRootSlash) ? file.slice(jsRootSlash.length) : file;
    const packed = this.cache.packed(relPath, file);
    if (packed) {
      module = this.compile(packed.source, url, file, packed.cachedData);
    } else {
      const source = fs.readFileSync(file, 'utf8');
      module = this.compile(source, url, file, this.cache.lookup(relPath, source));
    }
    this.modules.set(file, module);
    this.files.set(module, file);
    return module;
  }

  private compile(source: string, url: string, file: string, cachedData: Buffer | undefined): vm.SourceTextModule {
    try {
      return new vm.SourceTextModule(source, {
        identifier: url,
        cachedData,
        initializeImportMeta: (meta) => {
          meta.url = url;
          Object.assign(meta, { dirname: path.dirname(file), filename: file });
        },
        importModuleDynamically: ((specifier: string) => this.dynamicImport(specifier, file)) as never,
      });
    } catch (e) {
      // V8 refuses a cache made under other V8 flags (e.g. --max-old-space-size) and Node 20 throws for it. Every
      // entry was made under the same flags, so none would do: compile this module and the rest from source.
      if (cachedData === undefined || !(e instanceof Error) || !e.message.includes('cachedData buffer was rejected')) throw e;
      this.cache = CodeCache.empty();
      return this.compile(source, url, file, undefined);
    }
  }

  private resolveStatic(specifier: string, fromFile: string): Promise<vm.Module> | vm.Module {
    const file = this.ownFile(specifier, fromFile);
    return file ? this.load(file) : this.externalModule(specifier);
  }

  /** The file a relative or file: specifier names; undefined for builtins and packages. */
  private ownFile(specifier: string, fromFile: string): string | undefined {
    if (specifier.startsWith('./') || specifier.startsWith('../')) {
      const dir = path.dirname(fromFile);
      const key = `${dir}\0${specifier}`;
      let file = this.resolved.get(key);
      if (file === undefined) {
        file = path.resolve(dir, specifier);
        this.resolved.set(key, file);
      }
      return file;
    }
    if (specifier.startsWith('file:')) return fileURLToPath(specifier);
    return undefined;
  }

  /** A builtin or an npm package, imported by Node and exposed to the program's modules with the same exports. */
  private externalModule(specifier: string): Promise<vm.Module> {
    let module = this.external.get(specifier);
    if (!module) {
      module = import(specifier).then((namespace: Record<string, unknown>) => {
        const names = Object.keys(namespace);
        return new vm.SyntheticModule(names, function (this: vm.SyntheticModule) {
          for (const name of names) this.setExport(name, namespace[name]);
        }, { identifier: specifier });
      });
      this.external.set(specifier, module);
    }
    return module;
  }

  private async dynamicImport(specifier: string, fromFile: string): Promise<object> {
    const file = this.ownFile(specifier, fromFile);
    return file ? this.run(file) : import(specifier) as Promise<object>;
  }
}

async function main(): Promise<void> {
  const entry = process.argv[2];
  if (entry === undefined) throw new Error('usage: boot.js <entry> [args…]');
  const entryFile = path.resolve(entry);
  // The program sees the argv Node would have given it had it been started directly.
  process.argv.splice(1, 2, entryFile);
  restoreExtraCaCerts();
  (globalThis as Record<symbol, unknown>)[BOOT_SCRIPT_KEY] = bootFile;
  // Without --experimental-vm-modules there is no vm.SourceTextModule: Node's own loader does the job.
  if (typeof vm.SourceTextModule !== 'function') {
    await import(pathToFileURL(entryFile).href);
    return;
  }
  await new ModuleLoader(CodeCache.load(jsRoot)).run(entryFile);
}

await main();
