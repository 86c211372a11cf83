// JS source the addon compiles once per codec: the generator of each struct plan's gatherer (object ->
// call arguments) and builder (call arguments + scalar cells -> object), so that the JS engine, not
// one Node-API call per property, reads and creates the properties.
#pragma once

namespace capnp_codec {

// Evaluates to { compile(descriptor), cap(index), anyStruct(type, value) }.
// descriptor: { name, root, child, cells: ArrayBuffer, slots: [[name, kind, scope, opens, inUnion]],
// scopes: [slot that opens the scope (-1 for the struct)] }; kinds: f number, b bool, i int64,
// u uint64 (read from cells), v void, g group, p Text/Data/List, o struct/AnyPointer (absent when
// null), c capability ({cap}).
inline constexpr const char* JS_GENERATOR = R"JS(({
  compile(d) {
    'use strict';
    const F = new Float64Array(d.cells), I = new BigInt64Array(d.cells), U = new BigUint64Array(d.cells);
    const q = JSON.stringify;
    const slots = d.slots;
    const value = (i) => {
      switch (slots[i][1]) {
        case 'f': return `F[${i}]`;
        case 'b': return `F[${i}] !== 0`;
        case 'i': return `I[${i}]`;
        case 'u': return `U[${i}]`;
        case 'v': return 'null';
        case 'g': return `g${i}`;
        case 'c': return `{ cap: a${i} }`;
        default: return `a${i}`;
      }
    };
    // Statements that make `v`, the object of scope `s`, from the arguments a0..aN.
    const scope = (s, v) => {
      const mine = [];
      for (let i = 0; i < slots.length; i++) if (slots[i][2] === s) mine.push(i);
      const out = [];
      for (const i of mine) if (slots[i][1] === 'g' && !slots[i][4]) out.push(...scope(slots[i][3], `g${i}`));
      const always = mine.filter((i) => !slots[i][4] && 'fbiupg'.includes(slots[i][1]));
      out.push(`const ${v} = {${always.map((i) => `${q(slots[i][0])}: ${value(i)}`).join(', ')}};`);
      for (const i of mine) {
        const [name, kind, , opens, inUnion] = slots[i];
        if (inUnion && kind === 'g') {
          out.push(`if (a${i} !== undefined) {`, ...scope(opens, `g${i}`), `${v}[${q(name)}] = g${i};`, '}');
        } else if (inUnion || kind === 'o' || kind === 'c') {
          out.push(`if (a${i} !== undefined) ${v}[${q(name)}] = ${value(i)};`);
        }
      }
      return out;
    };
    const params = slots.map((_, i) => `a${i}`).join(', ');
    const build = new Function('F', 'I', 'U',
      `return function build(${params}) {\n${scope(0, 'o').join('\n')}\nreturn o;\n};`)(F, I, U);
    const read = (i) => {
      const s = slots[i][2];
      return s === 0 ? `o[${q(slots[i][0])}]` : `g${d.scopes[s]}?.[${q(slots[i][0])}]`;
    };
    const groups = [];
    const args = [];
    for (let i = 0; i < slots.length; i++) {
      if (slots[i][1] === 'g') groups.push(`const g${i} = ${read(i)};`);
      args.push(slots[i][1] === 'g' ? `g${i}` : slots[i][1] === 'v' && !slots[i][4] ? 'undefined' : read(i));
    }
    const gather = new Function(
      `return function gather(fn, o, x, y) {\n${groups.join('\n')}\nreturn fn(x, y${args.map((a) => `, ${a}`).join('')});\n};`)();
    const notObject = `capnp codec: ${d.name}: expected an object`;
    const ctx = d;
    return {
      build,
      gather,
      encoder: {
        encode(value) {
          if (typeof value !== 'object' || value === null) throw new TypeError(notObject);
          return gather(ctx.root, value, undefined, 0);
        },
        encodeInto(value, target, offset = 0) {
          if (typeof value !== 'object' || value === null) throw new TypeError(notObject);
          if (!(target instanceof Uint8Array)) throw new TypeError('capnp codec: encodeInto needs a Uint8Array');
          if (!Number.isSafeInteger(offset) || offset < 0 || offset > target.length) {
            throw new RangeError('capnp codec: encodeInto offset out of range');
          }
          return gather(ctx.root, value, target, offset);
        },
      },
    };
  },
  cap(index) { return { cap: index }; },
  anyStruct(type, value) { return { type, value }; },
}))JS";

} // namespace capnp_codec
