// Emits, per schema interface: its TS interface type, the method table (InterfaceSpec), an `XClient` proxy
// class and an `XServer` dispatcher, mapping params/results the way libmultiprocess maps C++ signatures.
import { firstByName, membersOf, type Member } from './inherit.js';
import { NameScope, PROXY_FILE_ID, hexId, str } from './names.js';
import { indent, isPointer, outputType } from './emit-structs.js';
import { SchemaError, type SchemaField, type SchemaMethod, type SchemaNode, type SchemaType } from './schema.js';

/** Type id of `Context` in proxy.capnp: a param of this type is filled in by the runtime. */
export const CONTEXT_STRUCT_ID = 0x9c44e6645d0b22c6n;

interface Param { field: SchemaField; type: SchemaType; optional: boolean; hasField?: string }
interface Shape {
  method: SchemaMethod;
  paramsRef: string;
  resultsRef: string;
  contextField?: string;
  params: Param[];
  /** How results map to the return value. */
  ret: { kind: 'void' } | { kind: 'result'; field: SchemaField; hasField?: string } | { kind: 'object'; fields: SchemaField[] };
}

export class InterfaceEmitter {
  /** Name of the module's embedded schema constant, referenced by every method spec (null: none). */
  schemaRef: string | null = null;
  /** Shapes by `interfaceId:ordinal`. */
  private readonly shapes = new Map<string, Shape>();

  constructor(private readonly names: NameScope) {}

  private isProxyInterface(t: SchemaType): boolean {
    return t.kind === 'interface' && this.names.fileOf(t.id).id === PROXY_FILE_ID;
  }

  /**
   * TS type of a value at the API level (interfaces become proxy objects, not cap indexes). `client`: the type a
   * generated client returns, i.e. interface results are that interface's client class (so `withThread` is at hand).
   */
  apiType(t: SchemaType, input: boolean, client = false): string {
    if (t.kind === 'interface') {
      if (this.isProxyInterface(t)) return '$M.Capability | null';
      return `${this.names.ref(t.id)}${client && !input ? 'Client' : ''} | null`;
    }
    if (t.kind === 'list') {
      const inner = this.apiType(t.element, input, client);
      if (t.element.kind === 'interface') throw new SchemaError('lists of capabilities are not supported in method signatures by mpgen');
      const elem = inner.includes('|') || inner.startsWith('readonly ') ? `(${inner})` : inner;
      return input ? `readonly ${elem}[]` : `${elem}[]`;
    }
    if (t.kind === 'struct') return input ? `${this.names.ref(t.id)}$Init` : this.names.ref(t.id);
    return outputType(this.names, t);
  }

  /** Value used for an absent pointer field at the API level (null Text reads as '', etc.). */
  private absent(t: SchemaType): string {
    switch (t.kind) {
      case 'text': return "''";
      case 'data': return 'new Uint8Array(0)';
      case 'list': return '[]';
      case 'struct': return `${this.names.ref(t.id)}.decode($M.EMPTY_STRUCT)`;
      default: return 'null';
    }
  }

  private shape(iface: SchemaNode, m: SchemaMethod): Shape {
    const pnode = this.names.node(m.paramStructType);
    const rnode = this.names.node(m.resultStructType);
    const pfields = pnode.struct!.fields;
    const rfields = rnode.struct!.fields;
    const shape: Shape = {
      method: m,
      paramsRef: this.names.ref(pnode.id),
      resultsRef: this.names.ref(rnode.id),
      params: [],
      ret: { kind: 'void' },
    };
    const pnames = new Set(pfields.map((f) => f.name));
    for (const f of pfields) {
      if (!f.slot) throw new SchemaError(`${iface.shortName}.${m.name}: group parameters are not supported by mpgen`);
      const t = f.slot.type;
      if (t.kind === 'struct' && t.id === CONTEXT_STRUCT_ID) { shape.contextField = f.name; continue; }
      // `hasFoo :Bool` next to `foo` makes foo optional (std::optional in C++).
      if (t.kind === 'bool' && /^has[A-Z]/.test(f.name) && pnames.has(lowerFirst(f.name.slice(3)))) continue;
      const hasName = `has${f.name[0]!.toUpperCase()}${f.name.slice(1)}`;
      const hasField = pnames.has(hasName) ? hasName : undefined;
      const optional = hasField !== undefined || f.slot.hadExplicitDefault;
      shape.params.push({ field: f, type: t, optional, ...(hasField ? { hasField } : {}) });
    }
    const rnames = new Set(rfields.map((f) => f.name));
    const outs = rfields.filter((f) => !(f.slot?.type.kind === 'bool' && /^has[A-Z]/.test(f.name) && rnames.has(lowerFirst(f.name.slice(3)))));
    for (const f of rfields) if (!f.slot) throw new SchemaError(`${iface.shortName}.${m.name}: group results are not supported by mpgen`);
    if (outs.length === 1 && outs[0]!.name === 'result') {
      shape.ret = { kind: 'result', field: outs[0]!, ...(rnames.has('hasResult') ? { hasField: 'hasResult' } : {}) };
    } else if (outs.length > 0) {
      shape.ret = { kind: 'object', fields: outs };
    }
    return shape;
  }

  private returnType(s: Shape, client = false): string {
    switch (s.ret.kind) {
      case 'void': return 'void';
      case 'result': {
        const t = this.apiType(s.ret.field.slot!.type, false, client);
        return s.ret.hasField || (!client && this.mayBeUnset(s)) ? `${t} | undefined` : t;
      }
      case 'object': return `{ ${s.ret.fields.map((f) => `${f.name}: ${this.apiType(f.slot!.type, false, client)}`).join('; ')} }`;
    }
  }

  /**
   * A struct `result` without `hasResult` may be left unset: that is how libmultiprocess sends a C++
   * std::optional<Struct> with no value (Core's waitTipChanged on interrupt). An implementation returns undefined
   * for it; a client reads an unset struct as the default one, as pycapnp and a C++ non-optional read do.
   */
  private mayBeUnset(s: Shape): boolean {
    return s.ret.kind === 'result' && s.ret.hasField === undefined && s.ret.field.slot!.type.kind === 'struct';
  }

  private signature(s: Shape): string {
    // Optional params can only be left out at the end; earlier ones take undefined.
    let lastRequired = -1;
    s.params.forEach((p, i) => { if (!p.optional) lastRequired = i; });
    return s.params.map((p, i) => {
      const t = this.apiType(p.type, true);
      if (!p.optional) return `${p.field.name}: ${t}`;
      return i > lastRequired ? `${p.field.name}?: ${t}` : `${p.field.name}: ${t} | undefined`;
    }).join(', ');
  }

  private methodDoc(iface: SchemaNode, m: SchemaMethod): string {
    const d = iface.memberDocs?.[m.ordinal];
    return d ? `/** ${d.trim().replace(/\*\//g, '*\\/').replace(/\n/g, '\n * ')} */\n` : '';
  }

  /** The client-side expression turning an API value into its codec value. */
  private toWire(t: SchemaType, x: string): string {
    if (t.kind === 'interface') {
      if (this.isProxyInterface(t)) return `$capIn(caps, ${x})`;
      const ref = this.names.ref(t.id);
      return `$capIn(caps, ${x} === null ? null : ${x} instanceof $M.ProxyClient ? ${x}.$cap : new ${ref}Server(this.$conn, ${x}))`;
    }
    return x;
  }

  /** The client-side expression (inside the result picker, with `resp`) turning a decoded result field into its API value. */
  private fromWireClient(t: SchemaType, x: string): string {
    if (t.kind === 'interface') {
      // Result capabilities must be claimed while the response is at hand (the runtime releases the rest).
      if (this.isProxyInterface(t)) return `resp.cap(${x}?.cap ?? null)`;
      return `$clientOf(resp.cap(${x}?.cap ?? null), (c) => new ${this.names.ref(t.id)}Client(c, this.$conn))`;
    }
    return isPointer(t) ? `${x} ?? ${this.absent(t)}` : x;
  }

  private fromWireServer(t: SchemaType, x: string): string {
    if (t.kind === 'interface') {
      if (this.isProxyInterface(t)) return `ctx.cap(${x})`;
      return `$lend(ctx, lent, ${x}, (c) => new ${this.names.ref(t.id)}Client(c, ctx.connection))`;
    }
    return isPointer(t) ? `${x} ?? ${this.absent(t)}` : x;
  }

  private toWireServer(t: SchemaType, x: string): string {
    if (t.kind === 'interface') {
      if (this.isProxyInterface(t)) return `ctx.export(${x})`;
      const ref = this.names.ref(t.id);
      return `ctx.export(${x} === null ? null : ${x} instanceof $M.ProxyClient ? ${x}.$cap : new ${ref}Server(ctx.connection, ${x}))`;
    }
    return x;
  }

  /** The shape of a method of `owner`, computed once (it registers the imports its types need). */
  private shapeOf(m: Member): Shape {
    const key = `${m.owner.id}:${m.method.ordinal}`;
    let s = this.shapes.get(key);
    if (s === undefined) this.shapes.set(key, s = this.shape(m.owner, m.method));
    return s;
  }

  /** The TS API member of a method: its signature and return type (`client`: as a generated client returns it). */
  private apiMember(s: Shape, client = false): string {
    return `${s.method.name}(${this.signature(s)}): Promise<${this.returnType(s, client)}>`;
  }

  /** construct and destroy may be inherited from several interfaces; one implementation serves them all. */
  private checkShared(iface: SchemaNode, members: readonly Member[]): void {
    const first = new Map<string, Member>();
    for (const m of members) {
      const f = first.get(m.method.name);
      if (f === undefined) { first.set(m.method.name, m); continue; }
      if (this.apiMember(this.shapeOf(f)) !== this.apiMember(this.shapeOf(m))) {
        throw new SchemaError(`${iface.displayName}: ${f.owner.shortName}.${m.method.name} and ` +
          `${m.owner.shortName}.${m.method.name} differ in signature; the runtime answers both with one ${m.method.name}`);
      }
    }
  }

  code(iface: SchemaNode): string {
    const name = this.names.localName(iface.id);
    const supers = (iface.superclasses ?? []).map((id) => this.names.ref(id));
    const members = membersOf(this.names, iface);
    this.checkShared(iface, members);
    const own = members.filter((m) => m.owner === iface);
    const doc = iface.docComment ? `/** ${iface.docComment.trim().replace(/\n/g, '\n * ')} */\n` : '';

    // The TS interface type: construct is the runtime's (ThreadMap exchange), so it is not part of the API.
    // Extending the superclasses' types lets a derived object go wherever a base one is expected.
    const apiMembers = own.filter((m) => m.method.name !== 'construct')
      .map((m) => `${this.methodDoc(iface, m.method)}${this.apiMember(this.shapeOf(m))};`);
    const typeDecl = `${doc}export interface ${name}${supers.length > 0 ? ` extends ${supers.join(', ')}` : ''} {\n` +
      `${indent(apiMembers.join('\n'))}\n}`;

    // Inherited methods are not listed: they keep their own interface's id and spec (reached through `extends`).
    const specs = own.map((m) => this.shapeOf(m)).map((s) =>
      `{ interfaceId: ${hexId(iface.id)}, interfaceName: ${str(iface.shortName)}, methodId: ${s.method.ordinal}, ` +
      `name: ${str(s.method.name)}, params: ${s.paramsRef}, results: ${s.resultsRef}` +
      `${s.contextField ? `, contextField: ${str(s.contextField)}` : ''}` +
      `${this.schemaRef ? `, schema: ${this.schemaRef}` : ''} },`);
    const spec = `/** Method table of ${iface.shortName} (interface id ${hexId(iface.id).slice(0, -1)}); index = ordinal. */\n` +
      `export const ${name} = {\n  id: ${hexId(iface.id)},\n  name: ${str(iface.shortName)},\n` +
      `  methods: [\n${indent(specs.join('\n'), '    ')}\n  ],\n` +
      `${supers.length > 0 ? `  extends: [${supers.join(', ')}],\n` : ''}} as const satisfies $M.InterfaceSpec;`;

    return [typeDecl, spec, this.clientCode(iface, name, members), this.serverCode(name, members)].join('\n\n');
  }

  /** `construct` is the runtime's ThreadMap exchange; check that it has the shape the runtime writes. */
  private checkConstruct(iface: SchemaNode, s: Shape): void {
    const ok = (f: SchemaField[]): boolean => f.length === 1 && f[0]!.slot?.offset === 0 &&
      f[0]!.slot.type.kind === 'interface' && this.isProxyInterface(f[0]!.slot.type);
    const params = this.names.node(s.method.paramStructType).struct!.fields;
    const results = this.names.node(s.method.resultStructType).struct!.fields;
    if (!ok(params) || !ok(results)) {
      throw new SchemaError(`${iface.shortName}.construct must be (threadMap :Proxy.ThreadMap) -> (threadMap :Proxy.ThreadMap)`);
    }
  }

  /** The `(value, resp) => ...` function that turns decoded results into the method's return value. */
  private picker(s: Shape): string {
    let body: string;
    switch (s.ret.kind) {
      case 'void': return '() => undefined';
      case 'result': {
        const f = s.ret.field;
        const v = this.fromWireClient(f.slot!.type, `v.${f.name}`);
        body = s.ret.hasField ? `v.${s.ret.hasField} ? ${v} : undefined` : v;
        break;
      }
      case 'object':
        body = `({ ${s.ret.fields.map((f) => `${f.name}: ${this.fromWireClient(f.slot!.type, `v.${f.name}`)}`).join(', ')} })`;
        break;
    }
    return `(v${/\bresp\b/.test(body) ? ', resp' : ''}) => ${body}`;
  }

  private clientCode(iface: SchemaNode, name: string, members: readonly Member[]): string {
    const first = iface.superclasses?.[0];
    // A class has one base: the first superclass's client brings its methods; the other superclasses' are
    // written out here again (calling them with their own interface's id, as Cap'n Proto requires).
    const inherited = new Set(first === undefined ? [] : membersOf(this.names, this.names.node(first)).map((m) => m.method.name));
    const methods = firstByName(members).filter((m) => !inherited.has(m.method.name)).map((m) => this.clientMethod(m));
    const base = first === undefined ? '$M.ProxyClient' : `${this.names.ref(first)}Client`;
    return `/** Calls a remote ${name}. Methods with a context run on this client's lane (see withThread). */\n` +
      `export class ${name}Client extends ${base} implements ${name} {\n${indent(methods.join('\n\n'))}\n}`;
  }

  private clientMethod(member: Member): string {
    const s = this.shapeOf(member);
    const m = s.method;
    const spec = `${this.names.ref(member.owner.id)}.methods[${m.ordinal}]`;
    if (m.name === 'construct') {
      this.checkConstruct(member.owner, s);
      return '/** Hands the peer our ThreadMap and keeps theirs (pipelined: makeThread may follow at once). */\n' +
        `construct(): Promise<void> {\n  return this.$conn.construct(this.$cap, ${spec});\n}`;
    }
    if (m.name === 'destroy') return `${this.methodDoc(member.owner, m)}destroy(): Promise<void> {\n  return this.$destroy(${spec});\n}`;
    const fields = s.params.map((p) => {
      const wire = this.toWire(p.type, p.field.name);
      if (p.hasField) return `${p.field.name}: ${p.field.name} === undefined ? undefined : ${wire}, ${p.hasField}: ${p.field.name} !== undefined`;
      return `${p.field.name}: ${wire}`;
    });
    const needsCaps = s.params.some((p) => p.type.kind === 'interface');
    const body: string[] = [];
    if (needsCaps) body.push('const caps: ($M.Capability | $M.ServerTarget | null)[] = [];');
    body.push(`return this.$call<${s.paramsRef}$Init, ${s.resultsRef}, ${this.returnType(s, true)}>(${spec}, ` +
      `{ ${fields.join(', ')} }, ${needsCaps ? 'caps' : 'null'}, ${this.picker(s)});`);
    return `${this.methodDoc(member.owner, m)}${this.apiMember(s, true)} {\n${indent(body.join('\n'))}\n}`;
  }

  /** Serves every method of the interface, inherited ones included (the runtime routes each by interface id). */
  private serverCode(name: string, members: readonly Member[]): string {
    const handlers: string[] = [];
    let hasDestroy = false;
    for (const member of firstByName(members)) {
      const m = member.method;
      // construct is answered by the runtime; destroy is the runtime's too and reaches impl through onDestroy.
      if (m.name === 'construct') continue;
      if (m.name === 'destroy') { hasDestroy = true; continue; }
      handlers.push(this.handler(this.shapeOf(member)));
    }
    // The object goes away once: by destroy, or when the peer drops it / disconnects; impl.destroy runs then.
    const options = hasDestroy
      ? '{ onDestroy: async () => {\n  try {\n    await impl.destroy();\n  } finally {\n    await options?.onDestroy?.();\n  }\n} }'
      : 'options';
    return `/** Serves a local ${name} implementation to a remote caller. */\n` +
      `export class ${name}Server extends $M.ProxyServer {\n` +
      `  constructor(conn: $M.ProxyConnection, impl: ${name}, options?: $M.ProxyServerOptions) {\n` +
      `    super(${name}, conn, {\n${indent(handlers.join('\n'), '      ')}\n    }, ${indent(options, '    ').trimStart()});\n  }\n}`;
  }

  private handler(s: Shape): string {
    const m = s.method;
    const args = s.params.map((p) => {
      const v = this.fromWireServer(p.type, `p.${p.field.name}`);
      return p.hasField ? `p.${p.hasField} ? ${v} : undefined` : v;
    }).join(', ');
    const call = `await impl.${m.name}(${args})`;
    let body: string;
    switch (s.ret.kind) {
      case 'void': body = `${call};\nreturn {};`; break;
      case 'result': {
        const f = s.ret.field;
        const t = f.slot!.type;
        if (s.ret.hasField) {
          body = `const r = ${call};\nreturn r === undefined ? { ${s.ret.hasField}: false } : { ${f.name}: ${this.toWireServer(t, 'r')}, ${s.ret.hasField}: true };`;
        } else if (this.mayBeUnset(s)) {
          body = `const r = ${call};\nreturn r === undefined ? {} : { ${f.name}: r };`;
        } else {
          body = `const r = ${call};\nreturn { ${f.name}: ${this.toWireServer(t, 'r')} };`;
        }
        break;
      }
      case 'object':
        body = `const r = ${call};\nreturn { ${s.ret.fields.map((f) => `${f.name}: ${this.toWireServer(f.slot!.type, `r.${f.name}`)}`).join(', ')} };`;
        break;
    }
    // Capabilities lent to impl for the call (see $lend) are released however the call ends.
    if (/\$lend\(/.test(args)) {
      body = `const lent: $M.ProxyClient[] = [];\ntry {\n${indent(body)}\n} finally {\n  for (const c of lent) c.release();\n}`;
    }
    const used = /\bctx\b/.test(body) || /\bctx\b/.test(args);
    const pUsed = /\bp\./.test(args);
    return `${m.name}: async (${pUsed ? 'p' : '_p'}: ${s.paramsRef}, ${used ? 'ctx' : '_ctx'}: $M.ServerContext) => {\n${indent(body)}\n},`;
  }
}

function lowerFirst(s: string): string {
  return s.length === 0 ? s : s[0]!.toLowerCase() + s.slice(1);
}
