// Opcode-boundary walking over raw script bytes, for FindAndDelete and the legacy scriptCode serializer.
// Kept here (not in script.ts) because both must reproduce Core's iterator position after a failed parse.
import { concatBytes } from '../crypto/bytes.js';
import type { ByteWriter } from '../util/serialize.js';
import { Opcode, pushDataBytes } from './script.js';

/** One step of Core's GetScriptOp: `next` is where the iterator stands afterwards, also when `ok` is false. */
export interface ScriptStep {
  ok: boolean;
  opcode: number;
  next: number;
}

/**
 * Core's GetScriptOp without the push data copy. On a truncated push the position has already moved past
 * the opcode (and past the length bytes when those were complete), exactly as Core's iterator does.
 */
export function stepScriptOp(script: Uint8Array, pc: number): ScriptStep {
  const end = script.length;
  if (pc >= end) return { ok: false, opcode: 0xff, next: pc };
  const opcode = script[pc++]!;
  if (opcode <= Opcode.OP_PUSHDATA4) {
    let size: number;
    if (opcode < Opcode.OP_PUSHDATA1) {
      size = opcode;
    } else if (opcode === Opcode.OP_PUSHDATA1) {
      if (end - pc < 1) return { ok: false, opcode: 0xff, next: pc };
      size = script[pc++]!;
    } else if (opcode === Opcode.OP_PUSHDATA2) {
      if (end - pc < 2) return { ok: false, opcode: 0xff, next: pc };
      size = script[pc]! | (script[pc + 1]! << 8);
      pc += 2;
    } else {
      if (end - pc < 4) return { ok: false, opcode: 0xff, next: pc };
      size = (script[pc]! | (script[pc + 1]! << 8) | (script[pc + 2]! << 16) | (script[pc + 3]! << 24)) >>> 0;
      pc += 4;
    }
    if (end - pc < size) return { ok: false, opcode: 0xff, next: pc };
    pc += size;
  }
  return { ok: true, opcode, next: pc };
}

function startsWithAt(script: Uint8Array, pc: number, needle: Uint8Array): boolean {
  if (script.length - pc < needle.length) return false;
  for (let i = 0; i < needle.length; i++) if (script[pc + i] !== needle[i]) return false;
  return true;
}

/**
 * FindAndDelete of the push of `data` (what the legacy checksig opcodes remove from the scriptCode). The push is
 * only built when `data` occurs in the script at all: it cannot match otherwise, and for most scripts it does not.
 */
export function findAndDeletePush(script: Uint8Array, data: Uint8Array): { script: Uint8Array; found: number } {
  if (!containsBytes(script, data)) return { script, found: 0 };
  return findAndDelete(script, pushDataBytes(data));
}

function containsBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
  for (let at = 0; at + needle.length <= haystack.length; at++) if (startsWithAt(haystack, at, needle)) return true;
  return false;
}

/**
 * Core's FindAndDelete: removes every occurrence of `needle` that starts on an opcode boundary (repeated
 * back-to-back matches included). Returns the (possibly unchanged) script and the number of removals.
 */
export function findAndDelete(script: Uint8Array, needle: Uint8Array): { script: Uint8Array; found: number } {
  if (needle.length === 0) return { script, found: 0 };
  let found = 0;
  const kept: Uint8Array[] = [];
  let pc = 0;
  let copyFrom = 0;
  for (;;) {
    if (pc > copyFrom) kept.push(script.subarray(copyFrom, pc));
    while (startsWithAt(script, pc, needle)) {
      pc += needle.length;
      found++;
    }
    copyFrom = pc;
    const step = stepScriptOp(script, pc);
    pc = step.next;
    if (!step.ok) break;
  }
  if (found === 0) return { script, found };
  kept.push(script.subarray(copyFrom));
  return { script: concatBytes(...kept), found };
}

/**
 * The legacy sighash serialization of scriptCode: OP_CODESEPARATORs are dropped. As in Core, the length
 * prefix is computed from separators seen before any parse failure, and the bytes written stop at the
 * iterator's position at that failure (so a truncated trailing push is cut short, length unchanged).
 */
export function writeScriptCodeLegacy(w: ByteWriter, script: Uint8Array): void {
  let separators = 0;
  let pc = 0;
  for (;;) {
    const step = stepScriptOp(script, pc);
    pc = step.next;
    if (!step.ok) break;
    if (step.opcode === Opcode.OP_CODESEPARATOR) separators++;
  }
  w.writeCompactSize(script.length - separators);
  if (separators === 0 && pc === script.length) {
    w.writeBytes(script);
    return;
  }
  let begin = 0;
  pc = 0;
  for (;;) {
    const step = stepScriptOp(script, pc);
    pc = step.next;
    if (!step.ok) break;
    if (step.opcode === Opcode.OP_CODESEPARATOR) {
      w.writeBytes(script.subarray(begin, pc - 1));
      begin = pc;
    }
  }
  if (begin !== script.length) w.writeBytes(script.subarray(begin, pc));
}
