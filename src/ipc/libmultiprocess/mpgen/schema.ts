// Decodes a CodeGeneratorRequest (the output of `capnp compile -o-`) into a plain schema model.
// Offsets below are those `capnp compile -ocapnp capnp/schema.capnp` prints, in units of each field's size.
import { ElementSize, decodeFrame, type ListReader, type PointerReader, type StructReader } from '@smithcoin/libmultiprocess';

export type PrimitiveKind =
  | 'void' | 'bool' | 'int8' | 'int16' | 'int32' | 'int64' | 'uint8' | 'uint16' | 'uint32' | 'uint64'
  | 'float32' | 'float64';

/** A field or list element type. */
export type SchemaType =
  | { kind: PrimitiveKind }
  | { kind: 'text' }
  | { kind: 'data' }
  | { kind: 'list'; element: SchemaType }
  | { kind: 'enum'; id: bigint }
  | { kind: 'struct'; id: bigint; generic: boolean }
  | { kind: 'interface'; id: bigint; generic: boolean }
  | { kind: 'anyPointer'; parameter: boolean };

/** A default or constant value. Pointer values stay readers over the request message. */
export type SchemaValue =
  | { kind: 'none' }
  | { kind: 'bool'; value: boolean }
  | { kind: 'number'; value: number }
  | { kind: 'bigint'; value: bigint }
  | { kind: 'text'; value: string | null }
  | { kind: 'data'; value: Uint8Array | null }
  | { kind: 'pointer'; value: PointerReader };

export interface Annotation { id: bigint; value: SchemaValue }

export interface SchemaField {
  name: string;
  codeOrder: number;
  /** 0xffff when the field is not a union member. */
  discriminantValue: number;
  annotations: Annotation[];
  slot?: { offset: number; type: SchemaType; defaultValue: SchemaValue; hadExplicitDefault: boolean };
  groupId?: bigint;
}

export interface SchemaStruct {
  dataWords: number;
  ptrCount: number;
  isGroup: boolean;
  discriminantCount: number;
  discriminantOffset: number;
  fields: SchemaField[];
}

export interface SchemaMethod {
  name: string;
  ordinal: number;
  paramStructType: bigint;
  resultStructType: bigint;
  annotations: Annotation[];
}

export interface SchemaNode {
  id: bigint;
  displayName: string;
  /** The name relative to its scope (the part of displayName after the prefix). */
  shortName: string;
  scopeId: bigint;
  isGeneric: boolean;
  nested: { name: string; id: bigint }[];
  annotations: Annotation[];
  kind: 'file' | 'struct' | 'enum' | 'interface' | 'const' | 'annotation';
  struct?: SchemaStruct;
  enumerants?: string[];
  methods?: SchemaMethod[];
  superclasses?: bigint[];
  constType?: SchemaType;
  constValue?: SchemaValue;
  docComment?: string;
  memberDocs?: string[];
}

export interface RequestedFile {
  id: bigint;
  filename: string;
  imports: { id: bigint; name: string }[];
}

export interface SchemaRequest {
  nodes: Map<bigint, SchemaNode>;
  requestedFiles: RequestedFile[];
  capnpVersion: string;
}

/** An error in the schema that mpgen cannot translate. */
export class SchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaError';
  }
}

const PRIMITIVES: readonly PrimitiveKind[] = [
  'void', 'bool', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64', 'float32', 'float64',
];

function structList(r: StructReader, index: number): StructReader[] {
  const list: ListReader = r.getList(index, -1);
  const out: StructReader[] = [];
  for (let i = 0; i < list.length; i++) out.push(list.getStruct(i));
  return out;
}

function readType(r: StructReader): SchemaType {
  const which = r.getUint16(0);
  if (which < PRIMITIVES.length) return { kind: PRIMITIVES[which]! };
  switch (which) {
    case 12: return { kind: 'text' };
    case 13: return { kind: 'data' };
    case 14: return { kind: 'list', element: readType(r.getStruct(0)) };
    case 15: return { kind: 'enum', id: r.getUint64(1) };
    case 16: return { kind: 'struct', id: r.getUint64(1), generic: hasBrandScopes(r.getStruct(0)) };
    case 17: return { kind: 'interface', id: r.getUint64(1), generic: hasBrandScopes(r.getStruct(0)) };
    case 18: return { kind: 'anyPointer', parameter: r.getUint16(4) !== 0 };
    default: throw new SchemaError(`unknown schema type tag ${which}`);
  }
}

function hasBrandScopes(brand: StructReader): boolean {
  return brand.getList(0, -1).length > 0;
}

function readValue(r: StructReader | null): SchemaValue {
  if (r === null) return { kind: 'none' };
  const which = r.getUint16(0);
  switch (which) {
    case 0: return { kind: 'none' };
    case 1: return { kind: 'bool', value: r.getBool(16) };
    case 2: return { kind: 'number', value: r.getInt8(2) };
    case 3: return { kind: 'number', value: r.getInt16(1) };
    case 4: return { kind: 'number', value: r.getInt32(1) };
    case 5: return { kind: 'bigint', value: r.getInt64(1) };
    case 6: return { kind: 'number', value: r.getUint8(2) };
    case 7: return { kind: 'number', value: r.getUint16(1) };
    case 8: return { kind: 'number', value: r.getUint32(1) };
    case 9: return { kind: 'bigint', value: r.getUint64(1) };
    case 10: return { kind: 'number', value: r.getFloat32(1) };
    case 11: return { kind: 'number', value: r.getFloat64(1) };
    case 12: return { kind: 'text', value: r.hasPointer(0) ? r.getText(0) : null };
    case 13: return { kind: 'data', value: r.hasPointer(0) ? new Uint8Array(r.getData(0)) : null };
    case 15: return { kind: 'number', value: r.getUint16(1) };
    case 17: return { kind: 'none' };
    case 14: case 16: case 18: return { kind: 'pointer', value: r.getPointer(0) };
    default: throw new SchemaError(`unknown schema value tag ${which}`);
  }
}

function readAnnotations(r: StructReader, index: number): Annotation[] {
  return structList(r, index).map((a) => ({ id: a.getUint64(0), value: readValue(a.getStructOrNull(0)) }));
}

function readField(r: StructReader): SchemaField {
  const field: SchemaField = {
    name: r.getText(0),
    codeOrder: r.getUint16(0),
    discriminantValue: r.getUint16(1, 0xffff),
    annotations: readAnnotations(r, 1),
  };
  if (r.getUint16(4) === 0) {
    field.slot = {
      offset: r.getUint32(1),
      type: readType(r.getStruct(2)),
      defaultValue: readValue(r.getStructOrNull(3)),
      hadExplicitDefault: r.getBool(128),
    };
  } else {
    field.groupId = r.getUint64(2);
  }
  return field;
}

function readNode(r: StructReader): SchemaNode {
  const displayName = r.getText(0);
  const node: SchemaNode = {
    id: r.getUint64(0),
    displayName,
    shortName: displayName.slice(r.getUint32(2)),
    scopeId: r.getUint64(2),
    isGeneric: r.getBool(288),
    nested: structList(r, 1).map((n) => ({ name: n.getText(0), id: n.getUint64(0) })),
    annotations: readAnnotations(r, 2),
    kind: 'file',
  };
  switch (r.getUint16(6)) {
    case 0: node.kind = 'file'; break;
    case 1:
      node.kind = 'struct';
      node.struct = {
        dataWords: r.getUint16(7),
        ptrCount: r.getUint16(12),
        isGroup: r.getBool(224),
        discriminantCount: r.getUint16(15),
        discriminantOffset: r.getUint32(8),
        fields: structList(r, 3).map(readField),
      };
      break;
    case 2:
      node.kind = 'enum';
      node.enumerants = structList(r, 3).map((e) => e.getText(0));
      break;
    case 3:
      node.kind = 'interface';
      // The methods list is in ordinal order, so the index is the ordinal.
      node.methods = structList(r, 3).map((m, ordinal) => ({
        name: m.getText(0),
        ordinal,
        paramStructType: m.getUint64(1),
        resultStructType: m.getUint64(2),
        annotations: readAnnotations(m, 1),
      }));
      node.superclasses = structList(r, 4).map((s) => s.getUint64(0));
      break;
    case 4:
      node.kind = 'const';
      node.constType = readType(r.getStruct(3));
      node.constValue = readValue(r.getStructOrNull(4));
      break;
    case 5: node.kind = 'annotation'; break;
    default: throw new SchemaError(`unknown schema node kind ${r.getUint16(6)} (${displayName})`);
  }
  return node;
}

/** Decodes the framed bytes of a CodeGeneratorRequest. */
export function decodeCodeGeneratorRequest(frame: Uint8Array): SchemaRequest {
  // Schemas are small but the request holds every imported node: allow generous limits.
  const root = decodeFrame(frame, { traversalLimitInWords: 64 * 1024 * 1024 }).getRoot();
  const nodes = new Map<bigint, SchemaNode>();
  for (const n of structList(root, 0)) {
    const node = readNode(n);
    nodes.set(node.id, node);
  }
  for (const info of structList(root, 3)) {
    const node = nodes.get(info.getUint64(0));
    if (!node) continue;
    const doc = info.getText(0);
    if (doc) node.docComment = doc;
    const members = info.getList(1, -1);
    if (members.length > 0) {
      node.memberDocs = [];
      for (let i = 0; i < members.length; i++) node.memberDocs.push(members.getStruct(i).getText(0));
    }
  }
  const requestedFiles = structList(root, 1).map((f) => ({
    id: f.getUint64(0),
    filename: f.getText(0),
    imports: structList(f, 1).map((i) => ({ id: i.getUint64(0), name: i.getText(0) })),
  }));
  const v = root.getStruct(2);
  return { nodes, requestedFiles, capnpVersion: `${v.getUint16(0)}.${v.getUint8(2)}.${v.getUint8(3)}` };
}

/** The list element size a type is encoded with. */
export function elementSizeOf(type: SchemaType): ElementSize {
  switch (type.kind) {
    case 'void': return ElementSize.VOID;
    case 'bool': return ElementSize.BIT;
    case 'int8': case 'uint8': return ElementSize.BYTE;
    case 'int16': case 'uint16': case 'enum': return ElementSize.TWO_BYTES;
    case 'int32': case 'uint32': case 'float32': return ElementSize.FOUR_BYTES;
    case 'int64': case 'uint64': case 'float64': return ElementSize.EIGHT_BYTES;
    case 'struct': return ElementSize.INLINE_COMPOSITE;
    default: return ElementSize.POINTER;
  }
}
