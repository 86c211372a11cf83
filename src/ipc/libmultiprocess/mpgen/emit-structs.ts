// Emits the pure-TS codec of a schema's structs, enums and constants: value types plus encode/decode
// functions following the canonical encoding rule (full section sizes, pointers in slot order, depth-first).
import { ElementSize } from '@smithcoin/libmultiprocess';
import { NameScope, hexId, str } from './names.js';
import { SchemaError, elementSizeOf, type SchemaField, type SchemaNode, type SchemaType, type SchemaValue } from './schema.js';

/** Collects list helper functions so that each list type is emitted once per file. */
export class ListHelpers {
  readonly code = new Map<string, string>();
  constructor(private readonly names: NameScope) {}

  /** Signature of a type, usable inside an identifier. */
  sig(t: SchemaType): string {
    switch (t.kind) {
      case 'list': return `L${this.sig(t.element)}`;
      case 'struct': case 'enum': case 'interface': return `${t.kind[0]}${t.id.toString(16)}`;
      default: return t.kind;
    }
  }

  /** Name of `(p, i, x) => void` writing list `x` into pointer `i` of builder `p`. */
  encoder(t: SchemaType & { kind: 'list' }): string {
    const name = `$encList_${this.sig(t.element)}`;
    if (this.code.has(name)) return name;
    this.code.set(name, '');
    const e = t.element;
    let body: string;
    if (e.kind === 'struct') {
      const c = this.names.ref(e.id);
      body = `const l = p.initStructList(i, x.length, ${c}.dataWords, ${c}.ptrCount);\n` +
        `for (let k = 0; k < x.length; k++) ${c}.encode(l.getStruct(k), x[k]!);`;
    } else if (e.kind === 'void') {
      body = `p.initList(i, ${ElementSize.VOID}, x.length);`;
    } else {
      const size = elementSizeOf(e);
      body = `const l = p.initList(i, ${size}, x.length);\n` +
        `for (let k = 0; k < x.length; k++) {\n  const y = x[k];\n  ${this.elementWrite(e)}\n}`;
    }
    this.code.set(name, `function ${name}(p: $M.StructBuilder | $M.ListBuilder, i: number, x: readonly ${wrapUnion(inputType(this.names, e))}[]): void {\n${indent(body)}\n}`);
    return name;
  }

  private elementWrite(e: SchemaType): string {
    switch (e.kind) {
      case 'bool': return 'l.setBool(k, y === true);';
      case 'int8': return 'l.setInt8(k, y ?? 0);';
      case 'uint8': return 'l.setUint8(k, y ?? 0);';
      case 'int16': return 'l.setInt16(k, y ?? 0);';
      case 'uint16': case 'enum': return 'l.setUint16(k, y ?? 0);';
      case 'int32': return 'l.setInt32(k, y ?? 0);';
      case 'uint32': return 'l.setUint32(k, y ?? 0);';
      case 'float32': return 'l.setFloat32(k, y ?? 0);';
      case 'int64': return 'l.setInt64(k, y ?? 0n);';
      case 'uint64': return 'l.setUint64(k, y ?? 0n);';
      case 'float64': return 'l.setFloat64(k, y ?? 0);';
      case 'text': return 'if (y != null) l.setText(k, y);';
      case 'data': return 'if (y != null) l.setData(k, y);';
      case 'interface': return 'l.setCapability(k, y == null ? null : y.cap);';
      case 'list': return `if (y != null) ${this.encoder(e)}(l, k, y);`;
      default: throw new SchemaError(`lists of ${e.kind} are not supported by mpgen`);
    }
  }

  /** Name of `(l: ListReader) => T[]`. */
  decoder(t: SchemaType & { kind: 'list' }): string {
    const name = `$decList_${this.sig(t.element)}`;
    if (this.code.has(name)) return name;
    this.code.set(name, '');
    const e = t.element;
    let read: string;
    switch (e.kind) {
      case 'void': read = 'null'; break;
      case 'bool': read = 'l.getBool(k)'; break;
      case 'int8': read = 'l.getInt8(k)'; break;
      case 'uint8': read = 'l.getUint8(k)'; break;
      case 'int16': read = 'l.getInt16(k)'; break;
      case 'uint16': case 'enum': read = 'l.getUint16(k)'; break;
      case 'int32': read = 'l.getInt32(k)'; break;
      case 'uint32': read = 'l.getUint32(k)'; break;
      case 'float32': read = 'l.getFloat32(k)'; break;
      case 'int64': read = 'l.getInt64(k)'; break;
      case 'uint64': read = 'l.getUint64(k)'; break;
      case 'float64': read = 'l.getFloat64(k)'; break;
      case 'text': read = 'l.getText(k)'; break;
      // A copy as a plain Uint8Array: the reader's view may be a Buffer over the received frame.
      case 'data': read = 'new Uint8Array(l.getData(k))'; break;
      case 'struct': read = `${this.names.ref(e.id)}.decode(l.getStruct(k))`; break;
      case 'interface': read = '$capOf(l.getCapability(k))'; break;
      case 'list': read = `${this.decoder(e)}(l.getList(k, ${listExpect(e)}))`; break;
      default: throw new SchemaError(`lists of ${e.kind} are not supported by mpgen`);
    }
    const elem = outputType(this.names, e);
    this.code.set(name, `function ${name}(l: $M.ListReader): ${wrapUnion(elem)}[] {\n` +
      `  const a = new Array<${elem}>(l.length);\n` +
      `  for (let k = 0; k < l.length; k++) a[k] = ${read};\n  return a;\n}`);
    return name;
  }
}

/** The element size a list pointer of type `t` is checked against when read (-1 = any struct layout). */
export function listExpect(t: SchemaType & { kind: 'list' }): number {
  return t.element.kind === 'struct' ? -1 : elementSizeOf(t.element);
}

export function indent(s: string, by = '  '): string {
  return s.split('\n').map((l) => (l ? by + l : l)).join('\n');
}

/** TS type of a decoded value. */
export function outputType(names: NameScope, t: SchemaType): string {
  switch (t.kind) {
    case 'void': return 'null';
    case 'bool': return 'boolean';
    case 'int64': case 'uint64': return 'bigint';
    case 'text': return 'string';
    case 'data': return 'Uint8Array';
    case 'list': return `${wrapUnion(outputType(names, t.element))}[]`;
    case 'enum': return 'number';
    case 'struct': return names.ref(t.id);
    case 'interface': return '$CapRef | null';
    case 'anyPointer': throw new SchemaError('AnyPointer fields are not supported by mpgen');
    default: return 'number';
  }
}

/** TS type accepted when encoding. */
export function inputType(names: NameScope, t: SchemaType): string {
  switch (t.kind) {
    case 'list': return `readonly ${wrapUnion(inputType(names, t.element))}[]`;
    case 'struct': return `${names.ref(t.id)}$Init`;
    default: return outputType(names, t);
  }
}

function wrapUnion(t: string): string {
  return t.includes('|') || t.startsWith('readonly ') ? `(${t})` : t;
}

/** A JS literal for a primitive default value. */
function literal(v: SchemaValue, t: SchemaType): string | undefined {
  switch (v.kind) {
    case 'bool': return v.value ? 'true' : undefined;
    case 'bigint': return v.value === 0n ? undefined : `${v.value}n`;
    case 'number': {
      if (v.value === 0 && !Object.is(v.value, -0)) return undefined;
      if (Number.isNaN(v.value)) return 'NaN';
      if (!Number.isFinite(v.value)) return v.value > 0 ? 'Infinity' : '-Infinity';
      if (Object.is(v.value, -0)) return '-0';
      return t.kind === 'float32' ? String(Math.fround(v.value)) : String(v.value);
    }
    default: return undefined;
  }
}

const SETTER: Record<string, [string, string]> = {
  bool: ['Bool', 'false'], int8: ['Int8', '0'], uint8: ['Uint8', '0'], int16: ['Int16', '0'],
  uint16: ['Uint16', '0'], enum: ['Uint16', '0'], int32: ['Int32', '0'], uint32: ['Uint32', '0'],
  int64: ['Int64', '0n'], uint64: ['Uint64', '0n'], float32: ['Float32', '0'], float64: ['Float64', '0'],
};

interface Slot { field: SchemaField; access: string; cond: string[] }

/** Emits codecs for the structs (and their groups), enums and constants of one file. */
export class StructEmitter {
  readonly lists: ListHelpers;
  constructor(private readonly names: NameScope) {
    this.lists = new ListHelpers(names);
  }

  private doc(node: SchemaNode): string {
    return node.docComment ? `/** ${node.docComment.trim().replace(/\*\//g, '*\\/').replace(/\n/g, '\n * ')} */\n` : '';
  }

  enumCode(node: SchemaNode): string {
    const name = this.names.localName(node.id);
    const members = (node.enumerants ?? []).map((e, i) => `  ${e}: ${i},`).join('\n');
    return `${this.doc(node)}export const ${name} = {\n${members}\n} as const;\nexport type ${name} = (typeof ${name})[keyof typeof ${name}];`;
  }

  constCode(node: SchemaNode): string {
    const name = this.names.localName(node.id);
    const t = node.constType!;
    const v = node.constValue!;
    let value: string;
    if (v.kind === 'text') value = str(v.value ?? '');
    else if (v.kind === 'data') value = `new Uint8Array([${[...(v.value ?? [])].join(', ')}])`;
    else if (v.kind === 'bool') value = String(v.value);
    else if (v.kind === 'bigint') value = `${v.value}n`;
    else if (v.kind === 'number') value = literal(v, t) ?? '0';
    else throw new SchemaError(`constant ${node.displayName}: only primitive, Text and Data constants are supported`);
    return `${this.doc(node)}export const ${name} = ${value};`;
  }

  /** Type declarations (decoded value and encode input) for a struct or group node. */
  typeCode(node: SchemaNode): string {
    const name = this.names.localName(node.id);
    const out: string[] = [];
    const inp: string[] = [];
    const docs = node.memberDocs ?? [];
    const unionMember = node.struct!.discriminantCount > 0;
    for (const f of node.struct!.fields) {
      const d = docs[f.codeOrder] ? `  /** ${docs[f.codeOrder]!.trim().replace(/\n/g, ' ')} */\n` : '';
      const inUnion = unionMember && f.discriminantValue !== 0xffff;
      let o: string;
      let i: string;
      let optional: boolean;
      if (f.groupId !== undefined) {
        o = this.names.localName(f.groupId);
        i = `${o}$Init`;
        optional = inUnion;
      } else {
        const t = f.slot!.type;
        if (t.kind === 'void' && !inUnion) continue;
        if ((t.kind === 'struct' || t.kind === 'interface') && t.generic) {
          throw new SchemaError(`${node.displayName}.${f.name}: generic types are not supported by mpgen`);
        }
        o = outputType(this.names, t);
        i = inputType(this.names, t);
        // Text/Data/List read as ''/empty when null (as libmultiprocess does); structs and caps may be absent.
        optional = inUnion || t.kind === 'struct' || t.kind === 'interface';
      }
      out.push(`${d}  ${f.name}${optional ? '?' : ''}: ${o};`);
      inp.push(`${d}  ${f.name}?: ${i};`);
    }
    return `${this.doc(node)}export interface ${name} {\n${out.join('\n')}\n}\n` +
      `/** Input of ${name}.encode: every field may be left out (it then keeps its default). */\n` +
      `export interface ${name}$Init {\n${inp.join('\n')}\n}`;
  }

  /** The codec object of a (non-group) struct. */
  codecCode(node: SchemaNode): string {
    const name = this.names.localName(node.id);
    const s = node.struct!;
    const slots: Slot[] = [];
    const pre: string[] = [];
    this.collect(node, 'v', [], slots, pre, { n: 0 });
    const lines: string[] = [...pre];
    // Data fields first (any order is canonical), then pointers strictly in slot order, depth-first.
    for (const sl of slots.filter((x) => !isPointer(x.field.slot!.type))) lines.push(this.writeData(sl));
    for (let p = 0; p < s.ptrCount; p++) {
      for (const sl of slots.filter((x) => isPointer(x.field.slot!.type) && x.field.slot!.offset === p)) {
        lines.push(this.writePointer(sl));
      }
    }
    const decode = this.decodeBody(node, 'r');
    return `${this.doc(node)}export const ${name} = {\n` +
      `  typeId: ${hexId(node.id)},\n` +
      `  name: ${str(node.displayName.slice(node.displayName.lastIndexOf(':') + 1))},\n` +
      `  dataWords: ${s.dataWords},\n  ptrCount: ${s.ptrCount},\n` +
      `  encode(b: $M.StructBuilder, v: ${name}$Init): void {\n${indent(lines.join('\n'), '    ')}\n  },\n` +
      `  decode(r: $M.StructReader): ${name} {\n${indent(decode, '    ')}\n  },\n` +
      `} as const;`;
  }

  /** Flattens fields of a struct and its groups, with the union conditions under which each is written. */
  private collect(node: SchemaNode, access: string, cond: string[], slots: Slot[], pre: string[], ctr: { n: number }): void {
    const s = node.struct!;
    let disc: string | undefined;
    if (s.discriminantCount > 0) {
      disc = `d${ctr.n++}`;
      const members = s.fields.filter((f) => f.discriminantValue !== 0xffff);
      const chain = members.map((f) => `${access}.${f.name} !== undefined ? ${f.discriminantValue} : `).join('');
      pre.push(`const ${disc} = ${chain}-1;`);
      const guard = cond.length ? `if (${cond.join(' && ')} && ${disc} >= 0) ` : `if (${disc} >= 0) `;
      pre.push(`${guard}b.setUint16(${s.discriminantOffset}, ${disc});`);
    }
    for (const f of s.fields) {
      const c = f.discriminantValue !== 0xffff ? [...cond, `${disc} === ${f.discriminantValue}`] : cond;
      if (f.groupId !== undefined) {
        const g = `g${ctr.n++}`;
        pre.push(`const ${g}: ${this.names.localName(f.groupId)}$Init = ${access}.${f.name} ?? {};`);
        this.collect(this.names.node(f.groupId), g, c, slots, pre, ctr);
      } else if (f.slot!.type.kind !== 'void') {
        slots.push({ field: f, access: `${access}.${f.name}`, cond: c });
      }
    }
  }

  private writeData(sl: Slot): string {
    const { offset, type, defaultValue } = sl.field.slot!;
    const [m, zero] = SETTER[type.kind]!;
    const def = literal(defaultValue, type);
    const call = def === undefined
      ? `b.set${m}(${offset}, ${sl.access} ?? ${zero});`
      : `b.set${m}(${offset}, ${sl.access} ?? ${def}, ${def});`;
    // Untouched data stays zero, i.e. the default; only set what the caller gave.
    return `if (${[...sl.cond, `${sl.access} !== undefined`].join(' && ')}) ${call}`;
  }

  private writePointer(sl: Slot): string {
    const { offset, type } = sl.field.slot!;
    const x = sl.access;
    let w: string;
    switch (type.kind) {
      case 'text': w = `b.setText(${offset}, ${x});`; break;
      case 'data': w = `b.setData(${offset}, ${x});`; break;
      case 'struct': {
        const c = this.names.ref(type.id);
        w = `${c}.encode(b.initStruct(${offset}, ${c}.dataWords, ${c}.ptrCount), ${x});`;
        break;
      }
      case 'interface': w = `b.setCapability(${offset}, ${x}.cap);`; break;
      case 'list': w = `${this.lists.encoder(type)}(b, ${offset}, ${x});`; break;
      default: throw new SchemaError(`${sl.field.name}: ${type.kind} fields are not supported by mpgen`);
    }
    return `if (${[...sl.cond, `${x} != null`].join(' && ')}) ${w}`;
  }

  private decodeBody(node: SchemaNode, r: string): string {
    const name = this.names.localName(node.id);
    const s = node.struct!;
    const fixed: string[] = [];
    const later: string[] = [];
    const union: string[] = [];
    for (const f of s.fields) {
      const inUnion = f.discriminantValue !== 0xffff;
      let expr: string | undefined;
      let guard: string | undefined;
      if (f.groupId !== undefined) {
        expr = `${this.names.localName(f.groupId)}$decode(${r})`;
      } else {
        const t = f.slot!.type;
        const off = f.slot!.offset;
        const dv = f.slot!.defaultValue;
        if (t.kind === 'void') {
          if (!inUnion) continue;
          expr = 'null';
        } else if (!isPointer(t)) {
          const [m] = SETTER[t.kind]!;
          const def = literal(dv, t);
          expr = `${r}.get${m}(${off}${def === undefined ? '' : `, ${def}`})`;
        } else {
          guard = `${r}.hasPointer(${off})`;
          switch (t.kind) {
            case 'text': expr = `${r}.getText(${off})`; guard = undefined; break;
            case 'data': expr = `new Uint8Array(${r}.getData(${off}))`; guard = undefined; break;
            case 'struct': expr = `${this.names.ref(t.id)}.decode(${r}.getStruct(${off}))`; break;
            case 'interface': expr = `$capOf(${r}.getCapability(${off}))`; break;
            case 'list': expr = `${this.lists.decoder(t)}(${r}.getList(${off}, ${listExpect(t)}))`; guard = undefined; break;
            default: throw new SchemaError(`${f.name}: ${t.kind} fields are not supported by mpgen`);
          }
          // A null pointer with an explicit default reads as that default.
          if (dv.kind === 'text' && dv.value !== null) { expr = `${r}.getText(${off}, ${str(dv.value)})`; guard = undefined; }
          if (dv.kind === 'data' && dv.value !== null) {
            expr = `new Uint8Array(${r}.getData(${off}, new Uint8Array([${[...dv.value].join(', ')}])))`;
            guard = undefined;
          }
          if (dv.kind === 'pointer' && !dv.value.isNull()) {
            throw new SchemaError(`${node.displayName}.${f.name}: default values of List/struct fields are not supported by mpgen`);
          }
        }
      }
      // Keys keep the schema's field order (logged values print in that order, as capnp's text format does): a
      // literal for the leading fields that are always there, then assignments.
      if (inUnion) union.push(`case ${f.discriminantValue}: ${guard ? `if (${guard}) ` : ''}v.${f.name} = ${expr}; break;`);
      else if (guard) later.push(`if (${guard}) v.${f.name} = ${expr};`);
      else if (later.length > 0) later.push(`v.${f.name} = ${expr};`);
      else fixed.push(`${f.name}: ${expr},`);
    }
    const lines = [`const v: ${name} = {${fixed.length ? `\n${indent(fixed.join('\n'))}\n` : ''}} as ${name};`, ...later];
    if (union.length) lines.push(`switch (${r}.getUint16(${s.discriminantOffset})) {\n${indent(union.join('\n'))}\n}`);
    lines.push('return v;');
    return lines.join('\n');
  }

  /** A group's decoder (groups share their parent's reader; encoding is flattened into the parent). */
  groupDecoderCode(node: SchemaNode): string {
    const name = this.names.localName(node.id);
    return `function ${name}$decode(r: $M.StructReader): ${name} {\n${indent(this.decodeBody(node, 'r'))}\n}`;
  }
}

export function isPointer(t: SchemaType): boolean {
  return t.kind === 'text' || t.kind === 'data' || t.kind === 'list' || t.kind === 'struct' ||
    t.kind === 'interface' || t.kind === 'anyPointer';
}
