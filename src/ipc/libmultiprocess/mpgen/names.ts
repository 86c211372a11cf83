// Naming rules of generated code: TS identifiers for schema nodes and which module each node lives in.
import path from 'node:path';
import { SchemaError, type SchemaNode, type SchemaRequest } from './schema.js';

/** The schema file that defines libmultiprocess's conventions; its types come from the runtime package. */
export const PROXY_FILE_ID = 0xcc316e3f71a040fbn;
/** Cap'n Proto's own c++.capnp: annotations only, never referenced by generated code. */
export const CXX_FILE_ID = 0xbdf87d7bb8304e81n;
export const RUNTIME_MODULE = '@smithcoin/libmultiprocess';

/** Resolves schema nodes to the identifiers that name them in one generated file. */
export class NameScope {
  /** Import alias per file id, for files other than the one being generated. */
  private readonly aliases = new Map<bigint, string>();

  constructor(
    private readonly request: SchemaRequest,
    /** The file being generated. */
    readonly fileId: bigint,
    /** Output module path of this file, relative to the source prefix (e.g. src/ipc/capnp/init.capnp). */
    readonly fileName: string,
    /** Output module path of another file from its display name (which is relative to the import dir it was found in). */
    private readonly modulePath: (displayName: string) => string = (d) => d,
  ) {}

  node(id: bigint): SchemaNode {
    const n = this.request.nodes.get(id);
    if (!n) throw new SchemaError(`schema node 0x${id.toString(16)} is missing from the compiler output`);
    return n;
  }

  /** The file node that declares `id` (method param/result structs have no scope, so go by name). */
  fileOf(id: bigint): SchemaNode {
    const n = this.node(id);
    if (n.kind === 'file') return n;
    const fileName = n.displayName.slice(0, n.displayName.indexOf(':'));
    for (const f of this.request.nodes.values()) {
      if (f.kind === 'file' && f.displayName === fileName) return f;
    }
    throw new SchemaError(`no file node for ${n.displayName}`);
  }

  /** Nodes from proxy.capnp that this file needs local codecs for. */
  readonly proxyNodes = new Set<bigint>();

  /** The local (unqualified) identifier of a node: its scoped name with dots replaced by underscores. */
  localName(id: bigint): string {
    const n = this.node(id);
    if (n.kind !== 'file' && this.fileOf(id).id === PROXY_FILE_ID && this.fileId !== PROXY_FILE_ID) {
      return `Proxy_${n.displayName.slice(n.displayName.lastIndexOf(':') + 1).replace(/\./g, '_')}`;
    }
    const colon = n.displayName.lastIndexOf(':');
    return n.displayName.slice(colon + 1).replace(/\./g, '_');
  }

  /** The identifier to use in this file: local, or qualified by the import alias of its file. */
  ref(id: bigint): string {
    const file = this.fileOf(id);
    if (file.id === this.fileId) return this.localName(id);
    if (file.id === PROXY_FILE_ID) {
      // The runtime exports no codecs for proxy.capnp, so each file carries the few it uses.
      this.proxyNodes.add(id);
      return this.localName(id);
    }
    return `${this.alias(file)}.${this.localName(id)}`;
  }

  private alias(file: SchemaNode): string {
    let a = this.aliases.get(file.id);
    if (a === undefined) {
      if (file.id === CXX_FILE_ID) throw new SchemaError(`${file.displayName} declares no types for generated code`);
      a = file.id === PROXY_FILE_ID ? '$mp' : `$${path.basename(file.displayName).replace(/\.capnp$/, '').replace(/[^A-Za-z0-9_]/g, '_')}`;
      while ([...this.aliases.values()].includes(a)) a += '_';
      this.aliases.set(file.id, a);
    }
    return a;
  }

  /** Import declarations for every other file referenced so far: alias and module specifier. */
  imports(): { alias: string; module: string }[] {
    const out: { alias: string; module: string }[] = [];
    for (const [id, alias] of this.aliases) {
      if (id === PROXY_FILE_ID) {
        out.push({ alias, module: RUNTIME_MODULE });
        continue;
      }
      const target = this.modulePath(this.node(id).displayName);
      let rel = path.posix.relative(path.posix.dirname(this.fileName), target);
      if (!rel.startsWith('.')) rel = `./${rel}`;
      out.push({ alias, module: `${rel}.js` });
    }
    return out;
  }
}

/** A JS string literal. */
export function str(s: string): string {
  return JSON.stringify(s);
}

/** A bigint literal in hex (how capnp prints type ids). */
export function hexId(id: bigint): string {
  return `0x${id.toString(16)}n`;
}

/** Capitalizes the first letter (method name -> class member suffix). */
export function upperFirst(s: string): string {
  return s.length === 0 ? s : s[0]!.toUpperCase() + s.slice(1);
}
