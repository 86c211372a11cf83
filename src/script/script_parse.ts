// The human-readable script format of Core's test vectors and bitcoin-tx (Core's ParseScript in core_read.cpp).
import { isHex, hexToBytes } from '../util/hex.js';
import { MAX_OPCODE, Opcode, ScriptBuilder, getOpName } from './script.js';

/** Thrown for text ParseScript rejects, with Core's message. */
export class ScriptParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScriptParseError';
  }
}

// Opcode names as GetOpName spells them, plus the same without "OP_". Numbers and push opcodes are excluded
// (they are written as numbers or hex), except OP_RESERVED.
const OPCODE_NAMES: ReadonlyMap<string, number> = (() => {
  const m = new Map<string, number>();
  for (let op = 0; op <= MAX_OPCODE; op++) {
    if (op < Opcode.OP_NOP && op !== Opcode.OP_RESERVED) continue;
    const name = getOpName(op);
    if (name === 'OP_UNKNOWN') continue;
    m.set(name, op);
    if (name.startsWith('OP_')) m.set(name.slice(3), op);
  }
  return m;
})();

const DECIMAL = /^-?[0-9]+$/;
const LIMIT = 0xffffffff;

/**
 * Parses words separated by spaces, tabs or newlines: decimal numbers (pushed as script numbers, limited to
 * ±0xFFFFFFFF), 0x-prefixed hex inserted raw, 'quoted strings' pushed as data, and opcode names with or
 * without the OP_ prefix.
 */
export function parseScript(text: string): Uint8Array {
  const b = new ScriptBuilder();
  for (const w of text.split(/[ \t\n]/)) {
    if (w === '') continue;
    if (DECIMAL.test(w) && w !== '-') {
      const n = Number(w);
      if (!Number.isSafeInteger(n) || n > LIMIT || n < -LIMIT) {
        throw new ScriptParseError('script parse error: decimal numeric value only allowed in the range -0xFFFFFFFF...0xFFFFFFFF');
      }
      b.pushInt(n);
    } else if (w.startsWith('0x') && w.length > 2 && isHex(w.slice(2))) {
      b.raw(hexToBytes(w.slice(2)));
    } else if (w.length >= 2 && w.startsWith("'") && w.endsWith("'")) {
      b.pushData(new TextEncoder().encode(w.slice(1, -1)));
    } else {
      const op = OPCODE_NAMES.get(w);
      if (op === undefined) throw new ScriptParseError(`script parse error: unknown opcode`);
      b.op(op);
    }
  }
  return b.build();
}
