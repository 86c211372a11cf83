// How an RPC documents itself: its arguments (RPCArg) and results (RPCResult) as Core declares them,
// and their rendering into the help text with Core's layout (two padded columns, nested JSON shapes).
import type { JSONValue } from './request.js';
import { writeJSON } from './util_value.js';

export type RPCArgType =
  | 'OBJ' | 'ARR' | 'STR' | 'NUM' | 'BOOL' | 'OBJ_NAMED_PARAMS' | 'OBJ_USER_KEYS' | 'AMOUNT' | 'STR_HEX' | 'RANGE';

/** Core's RPCArg::Optional: NO (required) or OMITTED (optional, no default shown). */
export const Optional = { NO: 'no', OMITTED: 'omitted' } as const;
/** Required, omitted, a hint shown as the default, or a default value (used when the arg is null). */
export type ArgFallback = (typeof Optional)[keyof typeof Optional] | { hint: string } | { default: JSONValue };

export interface RPCArgOptions {
  skipTypeCheck?: boolean;
  /** Replaces the generated summary-line text. */
  onelineDescription?: string;
  /** [type in a key-value line, type in the description]. */
  typeStr?: readonly [string, string];
  /** For testing only: this and all following args are left out of the help. */
  hidden?: boolean;
  /** A named-only option that may also be a top-level parameter of the same name. */
  alsoPositional?: boolean;
}

export interface RPCArg {
  /** The name, with `a|b` aliases for named requests (empty for array elements). */
  names: string;
  type: RPCArgType;
  fallback: ArgFallback;
  description: string;
  /** Elements of ARR, keys of OBJ / OBJ_USER_KEYS / OBJ_NAMED_PARAMS. */
  inner?: readonly RPCArg[];
  opts?: RPCArgOptions;
}

export type RPCResultType =
  | 'OBJ' | 'ARR' | 'STR' | 'NUM' | 'BOOL' | 'NONE' | 'ANY' | 'STR_AMOUNT' | 'STR_HEX' | 'OBJ_DYN' | 'ARR_FIXED' | 'NUM_TIME';

export interface RPCResult {
  type: RPCResultType;
  /** The key inside an object (empty at the top and inside arrays). */
  key?: string;
  optional?: boolean;
  description?: string;
  inner?: readonly RPCResult[];
  /** Shown as `Result (cond):` when a method has several result shapes. */
  cond?: string;
  skipTypeCheck?: boolean;
  /** 'skip' hides the field; a summary prints `...` with it instead of the field. */
  elision?: 'skip' | { summary: string };
}

export function isOptionalArg(arg: RPCArg): boolean {
  return arg.fallback !== Optional.NO;
}

export function firstName(arg: RPCArg): string {
  const bar = arg.names.indexOf('|');
  return bar < 0 ? arg.names : arg.names.slice(0, bar);
}

/** The single name of an arg inside an object (aliases are only for top-level args). */
export function argName(arg: RPCArg): string {
  if (arg.names.includes('|')) throw new Error(`Internal bug detected: RPC arg "${arg.names}" has aliases where a single name is needed`);
  return arg.names;
}

/** One row of the help: a left column padded to the widest left text plus four, then the right text. */
interface Section {
  left: string;
  right: string;
}

/** Rows collected for one help block; the pad is the widest left text seen when a row was pushed. */
export class Sections {
  readonly rows: Section[] = [];
  maxPad = 0;

  push(left: string, right: string): void {
    this.maxPad = Math.max(this.maxPad, left.length);
    this.rows.push({ left, right });
  }

  /** Drops the trailing comma of the last row (the pad keeps its earlier width, as Core's does). */
  popComma(): void {
    const last = this.rows[this.rows.length - 1];
    if (last !== undefined) last.left = last.left.slice(0, -1);
  }

  /** The nested rows of an arg's inner elements (top level args only add rows for objects and arrays). */
  pushArg(arg: RPCArg, indentWidth = 5, outer: 'none' | 'obj' | 'arr' = 'none'): void {
    const indent = ' '.repeat(indentWidth);
    const pushName = outer === 'obj';
    const topLevel = outer === 'none';
    const right = topLevel ? '' : argDescription(arg, pushName);
    switch (arg.type) {
      case 'OBJ':
      case 'OBJ_USER_KEYS':
        this.push(`${indent}${pushName ? `"${argName(arg)}": ` : ''}{`, right);
        for (const inner of arg.inner ?? []) this.pushArg(inner, indentWidth + 2, 'obj');
        if (arg.type !== 'OBJ') this.push(`${indent}  ...`, '');
        this.push(`${indent}}${topLevel ? '' : ','}`, '');
        return;
      case 'ARR':
        this.push(`${indent}${pushName ? `"${argName(arg)}": ` : ''}[`, right);
        for (const inner of arg.inner ?? []) this.pushArg(inner, indentWidth + 2, 'arr');
        this.push(`${indent}  ...`, '');
        this.push(`${indent}]${topLevel ? '' : ','}`, '');
        return;
      default: {
        if (topLevel) return;
        const typeStr = arg.opts?.typeStr;
        const left = typeStr !== undefined && pushName
          ? `"${argName(arg)}": ${typeStr[0]}`
          : pushName ? argToStringObj(arg, false) : argToString(arg, false);
        this.push(`${indent}${left},`, right);
      }
    }
  }

  toString(): string {
    const pad = this.maxPad + 4;
    let out = '';
    for (const { left, right } of this.rows) {
      if (left.includes('\n')) throw new Error('Internal bug detected: a help section spans lines');
      out += right === '' ? `${left}\n` : `${left.padEnd(pad, ' ')}${indentContinuation(right, pad)}\n`;
    }
    return out;
  }
}

/** Continuation lines of the right column start at the pad, with their own leading spaces dropped. */
function indentContinuation(text: string, pad: number): string {
  const padding = ' '.repeat(pad);
  let out = '';
  let begin = 0;
  let nl = text.indexOf('\n');
  for (;;) {
    out += nl < 0 ? text.slice(begin) : text.slice(begin, nl);
    if (nl < 0) break;
    out += `\n${padding}`;
    begin = firstNotSpace(text, nl + 1);
    if (begin < 0) break;
    // The search starts after `begin`, so a blank line's newline is kept as text (Core does the same).
    nl = text.indexOf('\n', begin + 1);
  }
  return out;
}

function firstNotSpace(text: string, from: number): number {
  for (let i = from; i < text.length; i++) if (text[i] !== ' ') return i;
  return -1;
}

const ARG_TYPE_TEXT: Record<RPCArgType, string> = {
  STR_HEX: 'string', STR: 'string', NUM: 'numeric', AMOUNT: 'numeric or string', RANGE: 'numeric or array',
  BOOL: 'boolean', OBJ: 'json object', OBJ_NAMED_PARAMS: 'json object', OBJ_USER_KEYS: 'json object',
  ARR: 'json array',
};

/** `(type, required|optional[, default=...]) description`, as the right column of an arg. */
export function argDescription(arg: RPCArg, isNamedArg: boolean): string {
  let ret = `(${arg.opts?.typeStr?.[1] ?? ARG_TYPE_TEXT[arg.type]}`;
  const fb = arg.fallback;
  if (typeof fb === 'object') {
    ret += `, optional, default=${'hint' in fb ? fb.hint : writeJSON(fb.default)}`;
  } else if (fb === Optional.NO) {
    ret += ', required';
  } else if (isNamedArg) {
    ret += ', optional'; // a named arg without a default is null
  }
  ret += ')';
  if (arg.type === 'OBJ_NAMED_PARAMS') ret += ' Options object that can be used to pass named arguments, listed below.';
  return arg.description === '' ? ret : `${ret} ${arg.description}`;
}

/** The arg in the summary line (oneline) or as an element line. */
export function argToString(arg: RPCArg, oneline: boolean): string {
  const custom = arg.opts?.onelineDescription;
  if (oneline && custom !== undefined && custom !== '') return custom;
  switch (arg.type) {
    case 'STR_HEX':
    case 'STR':
      return `"${firstName(arg)}"`;
    case 'NUM':
    case 'RANGE':
    case 'AMOUNT':
    case 'BOOL':
      return firstName(arg);
    case 'OBJ':
    case 'OBJ_NAMED_PARAMS':
    case 'OBJ_USER_KEYS': {
      const body = (arg.inner ?? []).map((i) => argToStringObj(i, oneline)).join(',');
      return arg.type === 'OBJ' ? `{${body}}` : `{${body},...}`;
    }
    case 'ARR':
      return `[${(arg.inner ?? []).map((i) => `${argToString(i, oneline)},`).join('')}...]`;
  }
}

/** The arg as a key-value pair inside an object. */
export function argToStringObj(arg: RPCArg, oneline: boolean): string {
  const res = `"${firstName(arg)}":${oneline ? '' : ' '}`;
  switch (arg.type) {
    case 'STR': return `${res}"str"`;
    case 'STR_HEX': return `${res}"hex"`;
    case 'NUM': return `${res}n`;
    case 'RANGE': return `${res}n or [n,n]`;
    case 'AMOUNT': return `${res}amount`;
    case 'BOOL': return `${res}bool`;
    case 'ARR': return `${res}[${(arg.inner ?? []).map((i) => `${argToString(i, oneline)},`).join('')}...]`;
    default: throw new Error(`Internal bug detected: object arg "${arg.names}" nested in an object`);
  }
}

const RESULT_LEFT: Partial<Record<RPCResultType, [string, string]>> = {
  STR: ['"str"', 'string'], STR_AMOUNT: ['n', 'numeric'], STR_HEX: ['"hex"', 'string'], NUM: ['n', 'numeric'],
  NUM_TIME: ['xxx', 'numeric'], BOOL: ['true|false', 'boolean'],
};

/** Appends the rows of a result (Core's RPCResult::ToSections). */
export function pushResult(sections: Sections, r: RPCResult, outer: 'none' | 'obj' | 'arr' = 'none', indentWidth = 0): void {
  const indent = ' '.repeat(indentWidth);
  const sep = outer !== 'none' ? ',' : '';
  const key = outer === 'obj' ? `"${r.key ?? ''}" : ` : '';
  const describe = (type: string): string =>
    `(${type}${r.optional ? ', optional' : ''})${r.description ? ` ${r.description}` : ''}`;
  if (r.elision === 'skip') return;
  if (r.elision !== undefined) {
    sections.push(`${indent}...${sep}`, r.elision.summary);
    return;
  }
  const inner = r.inner ?? [];
  const simple = RESULT_LEFT[r.type];
  if (simple !== undefined) {
    sections.push(`${indent}${key}${simple[0]}${sep}`, describe(simple[1]));
    return;
  }
  switch (r.type) {
    case 'NONE':
      sections.push(`${indent}null${sep}`, describe('json null'));
      return;
    case 'ARR':
    case 'ARR_FIXED': {
      sections.push(`${indent}${key}[`, describe('json array'));
      for (const i of inner) pushResult(sections, i, 'arr', indentWidth + 2);
      const last = inner[inner.length - 1];
      if (r.type === 'ARR' && !(typeof last?.elision === 'object')) sections.push(`${indent}  ...`, '');
      else sections.popComma();
      sections.push(`${indent}]${sep}`, '');
      return;
    }
    case 'OBJ':
    case 'OBJ_DYN':
      if (inner.length === 0) {
        sections.push(`${indent}${key}{}`, describe('empty JSON object'));
        return;
      }
      sections.push(`${indent}${key}{`, describe('json object'));
      for (const i of inner) pushResult(sections, i, 'obj', indentWidth + 2);
      if (r.type === 'OBJ_DYN') sections.push(`${indent}  ...`, '');
      else sections.popComma();
      sections.push(`${indent}}${sep}`, '');
      return;
    default:
      throw new Error('Internal bug detected: an ANY result has no help layout');
  }
}

/** The Result sections of the help (ANY results are for testing and are not shown). */
export function resultsDescription(results: readonly RPCResult[]): string {
  let out = '';
  for (const r of results) {
    if (r.type === 'ANY') continue;
    out += r.cond === undefined || r.cond === '' ? '\nResult:\n' : `\nResult (${r.cond}):\n`;
    const sections = new Sections();
    pushResult(sections, r);
    out += sections.toString();
  }
  return out;
}
