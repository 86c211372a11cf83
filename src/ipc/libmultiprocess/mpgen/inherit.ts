// Interface inheritance for generated code: the methods an interface answers (its own and, transitively, its
// superclasses', each superclass once even when reached twice) and the rule that lets the TS API map them by name.
import type { NameScope } from './names.js';
import { SchemaError, type SchemaMethod, type SchemaNode } from './schema.js';

/** A method as an interface has it: declared by `owner` (the interface itself or a superclass). */
export interface Member {
  owner: SchemaNode;
  method: SchemaMethod;
}

/**
 * Methods that may come from several interfaces of one inheritance graph: the runtime answers them by name
 * (construct: the ThreadMap exchange; destroy: the object's end), so one implementation serves them all.
 */
const SHARED_NAMES: ReadonlySet<string> = new Set(['construct', 'destroy']);

/** The superclasses of `iface`, transitively, each once; a superclass comes before the interfaces extending it. */
export function ancestorsOf(names: NameScope, iface: SchemaNode): SchemaNode[] {
  const out: SchemaNode[] = [];
  const seen = new Set<bigint>([iface.id]);
  const visit = (n: SchemaNode): void => {
    for (const id of n.superclasses ?? []) {
      if (seen.has(id)) continue;
      seen.add(id);
      const s = names.node(id);
      if (s.kind !== 'interface') throw new SchemaError(`${n.displayName}: superclass ${s.displayName} is not an interface`);
      if (s.isGeneric) throw new SchemaError(`${n.displayName}: generic superclass ${s.displayName} is not supported by mpgen`);
      visit(s);
      out.push(s);
    }
  };
  visit(iface);
  return out;
}

/**
 * Every method of `iface`, inherited ones first (in the order libmultiprocess's mpgen lists them: superclasses
 * before their subclasses, then the interface's own). Fails when two different methods would share a TS name,
 * except the runtime's construct and destroy (the caller checks that those agree in signature).
 */
export function membersOf(names: NameScope, iface: SchemaNode): Member[] {
  const out: Member[] = [];
  const byName = new Map<string, Member>();
  for (const owner of [...ancestorsOf(names, iface), iface]) {
    for (const method of owner.methods ?? []) {
      const m = { owner, method };
      const first = byName.get(method.name);
      if (first === undefined) byName.set(method.name, m);
      else if (!SHARED_NAMES.has(method.name)) {
        throw new SchemaError(`${iface.displayName}: ${first.owner.shortName}.${method.name} and ` +
          `${owner.shortName}.${method.name} share a name; generated code maps methods by name, so an interface ` +
          'cannot have two methods of the same name (construct and destroy excepted)');
      }
      out.push(m);
    }
  }
  return out;
}

/** The first member of each name, in order: what a TS API and dispatcher keyed by method name see. */
export function firstByName(members: readonly Member[]): Member[] {
  const seen = new Set<string>();
  return members.filter((m) => !seen.has(m.method.name) && seen.add(m.method.name));
}
