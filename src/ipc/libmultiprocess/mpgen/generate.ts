// Assembles one generated module (X.capnp.ts) with ts-morph: imports, codecs, then interfaces.
import { Project, StructureKind } from 'ts-morph';
import { InterfaceEmitter } from './emit-interfaces.js';
import { StructEmitter } from './emit-structs.js';
import { NameScope, PROXY_FILE_ID, RUNTIME_MODULE } from './names.js';
import { SchemaError, type SchemaNode, type SchemaRequest } from './schema.js';

/**
 * How a server hands a capability parameter to its implementation, as libmultiprocess does: for the call only
 * (released when the call returns; keep one with `new XClient(x.$cap.dup(), x.$conn)`), and while the call runs,
 * calls on it go to the caller's callbackThread, the thread that is waiting for this call to return.
 */
const LEND_CODE = [
  '/** A capability parameter lent to the implementation for this call (released by the handler when it ends). */',
  'function $lend<T extends $M.ProxyClient>(ctx: $M.ServerContext, lent: $M.ProxyClient[], ref: $CapRef | null | undefined,\n' +
  '  make: (c: $M.Capability) => T): T | null {\n' +
  '  const cap = ctx.cap(ref);\n' +
  '  if (cap === null) return null;\n' +
  '  const client = make(cap);\n' +
  '  lent.push(client);\n' +
  '  const thread = ctx.callbackThread();\n' +
  "  return thread === null ? client : client.withThread(new $M.ThreadHandle(thread, 'callbackThread'));\n" +
  '}',
];

/** All nodes declared in a file (including param/result structs), in a stable order: by display name. */
function nodesOfFile(names: NameScope, file: SchemaNode, request: SchemaRequest): SchemaNode[] {
  const out: SchemaNode[] = [];
  for (const n of request.nodes.values()) {
    if (n.kind === 'file' || n.kind === 'annotation') continue;
    if (names.fileOf(n.id).id === file.id) out.push(n);
  }
  return out.sort((a, b) => (a.displayName < b.displayName ? -1 : a.displayName > b.displayName ? 1 : 0));
}

/**
 * Interfaces in an order where each comes after the ones of this file it extends: a derived client class and spec
 * refer to their bases while the module loads. Otherwise the given order is kept.
 */
function basesFirst(names: NameScope, ifaces: readonly SchemaNode[]): SchemaNode[] {
  const local = new Set(ifaces.map((n) => n.id));
  const out: SchemaNode[] = [];
  const done = new Set<bigint>();
  const visit = (n: SchemaNode): void => {
    if (done.has(n.id)) return;
    done.add(n.id);
    for (const id of n.superclasses ?? []) if (local.has(id)) visit(names.node(id));
    out.push(n);
  };
  for (const n of ifaces) visit(n);
  return out;
}

export interface GenerateOptions {
  /** The CodeGeneratorRequest itself, embedded so the runtime can load the schema into the native codec. */
  requestBytes?: Uint8Array;
  /** Module path (relative to the source prefix) of an imported schema file, from its display name. */
  modulePath?: (displayName: string) => string;
}

/**
 * Generates the TypeScript module for the requested file `fileId`. `sourceName` is shown in the header.
 * Without `options.requestBytes` the module only has its pure-TS codecs (see the runtime's CodecSelector).
 */
export function generateModule(request: SchemaRequest, fileId: bigint, sourceName: string,
  options: GenerateOptions = {}): string {
  const { requestBytes } = options;
  const file = request.nodes.get(fileId);
  if (!file) throw new SchemaError(`the compiler output has no node for ${sourceName}`);
  const names = new NameScope(request, fileId, file.displayName, options.modulePath);
  const structs = new StructEmitter(names);
  const ifaces = new InterfaceEmitter(names);
  if (requestBytes !== undefined) ifaces.schemaRef = '$schema';

  const nodes = nodesOfFile(names, file, request);
  const parts: string[] = [];
  const emitStruct = (n: SchemaNode): void => {
    parts.push(structs.typeCode(n));
    if (n.struct!.isGroup) parts.push(structs.groupDecoderCode(n));
    else parts.push(structs.codecCode(n));
  };
  for (const n of nodes) {
    if (n.kind === 'enum') parts.push(structs.enumCode(n));
    else if (n.kind === 'const') parts.push(structs.constCode(n));
  }
  for (const n of nodes) if (n.kind === 'struct') emitStruct(n);
  const interfaces = basesFirst(names, nodes.filter((n) => n.kind === 'interface'));
  const hasInterfaces = interfaces.length > 0;
  for (const n of interfaces) parts.push(ifaces.code(n));
  // Codecs of proxy.capnp structs used here (e.g. Context), emitted locally; they may pull in more.
  const done = new Set<bigint>();
  for (let more = true; more;) {
    more = false;
    for (const id of [...names.proxyNodes]) {
      if (done.has(id)) continue;
      done.add(id);
      more = true;
      const n = names.node(id);
      if (n.kind === 'struct') emitStruct(n);
    }
  }
  if (fileId === PROXY_FILE_ID) throw new SchemaError('proxy.capnp is provided by the runtime; generate the files that import it');

  const project = new Project({ useInMemoryFileSystem: true });
  const sf = project.createSourceFile('/out.ts', '', { overwrite: true });
  sf.addImportDeclaration({ kind: StructureKind.ImportDeclaration, namespaceImport: '$M', moduleSpecifier: RUNTIME_MODULE });
  for (const imp of names.imports()) {
    if (imp.module === RUNTIME_MODULE) continue;
    sf.addImportDeclaration({ kind: StructureKind.ImportDeclaration, namespaceImport: imp.alias, moduleSpecifier: imp.module });
  }
  sf.addStatements([
    '/** A capability in the value representation: its index in the message\'s capability table. */',
    'type $CapRef = { cap: number };',
    'function $capOf(i: number | null): $CapRef | null {\n  return i === null ? null : { cap: i };\n}',
    ...(hasInterfaces ? [
      'function $capIn(caps: ($M.Capability | $M.ServerTarget | null)[], c: $M.Capability | $M.ServerTarget | null): $CapRef | null {\n  if (c === null) return null;\n  caps.push(c);\n  return { cap: caps.length - 1 };\n}',
      'function $clientOf<T>(c: $M.Capability | null, make: (c: $M.Capability) => T): T | null {\n  return c === null ? null : make(c);\n}',
      ...LEND_CODE,
      'void $capIn; void $clientOf; void $lend;',
    ] : []),
    'void $capOf;',
    ...(hasInterfaces && requestBytes !== undefined ? [
      '/** This file\'s schema as `capnp compile -o-` gave it (base64), for the native codec. */',
      `const $schema: $M.CapnpSchema = { name: ${JSON.stringify(sourceName)}, request: ${JSON.stringify(Buffer.from(requestBytes).toString('base64'))} };`,
    ] : []),
    ...parts,
    ...structs.lists.code.values(),
  ]);
  sf.formatText({ indentSize: 2, convertTabsToSpaces: true });
  return `// Generated by mpgen from ${sourceName}\n// Do not edit: changes are lost when mpgen runs again.\n\n${sf.getFullText()}`;
}
