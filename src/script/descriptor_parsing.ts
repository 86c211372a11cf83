// Text helpers of the descriptor parser (Core's script/parsing.cpp: Const, Func, Expr, Split).

/** A cursor over descriptor text; parsers consume it from the front. */
export class Span {
  constructor(public s: string) {}

  get size(): number {
    return this.s.length;
  }

  /** Consumes `str` if the text starts with it (Const). */
  const(str: string, skip = true): boolean {
    if (!this.s.startsWith(str)) return false;
    if (skip) this.s = this.s.slice(str.length);
    return true;
  }

  /** If the whole text is `name(...)`, replaces it by the arguments (Func). */
  func(name: string): boolean {
    const s = this.s;
    if (s.length >= name.length + 2 && s[name.length] === '(' && s[s.length - 1] === ')' && s.startsWith(name)) {
      this.s = s.slice(name.length + 1, s.length - 1);
      return true;
    }
    return false;
  }

  /** Consumes one expression: up to a top-level ',', ')' or '}' (Expr). */
  expr(): Span {
    let level = 0;
    let i = 0;
    for (; i < this.s.length; i++) {
      const c = this.s[i];
      if (c === '(' || c === '{') level++;
      else if (level && (c === ')' || c === '}')) level--;
      else if (level === 0 && (c === ')' || c === '}' || c === ',')) break;
    }
    const ret = new Span(this.s.slice(0, i));
    this.s = this.s.slice(i);
    return ret;
  }

  toString(): string {
    return this.s;
  }
}

/** Core's IsSpace (C locale). */
export function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';
}
