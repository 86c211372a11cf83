// Help text layout as Core prints it for -help: group headers, option lines indented by 2 and
// descriptions wrapped to 79 columns at an indent of 7 (Core's HelpMessageGroup/HelpMessageOpt).

const SCREEN_WIDTH = 79;
const OPT_INDENT = 2;
const MSG_INDENT = 7;

/** `message` followed by a blank line. */
export function helpMessageGroup(message: string): string {
  return message + '\n\n';
}

/** One option: name and help parameter, then the wrapped description and a blank line. */
export function helpMessageOpt(option: string, helpParam: string, message: string, subopt = false): string {
  let optIndent = OPT_INDENT;
  let msgIndent = MSG_INDENT;
  if (subopt) {
    // Sub-options (a command's options) move both columns right by one step.
    const bump = msgIndent - optIndent;
    optIndent += bump;
    msgIndent += bump;
  }
  const msgWidth = SCREEN_WIDTH - msgIndent;
  return `${' '.repeat(optIndent)}${option}${helpParam}\n${' '.repeat(msgIndent)}${formatParagraph(message, msgWidth, msgIndent)}\n\n`;
}

function lastIndexOfAny(s: string, chars: string, from: number): number {
  for (let i = Math.min(from, s.length - 1); i >= 0; i--) if (chars.includes(s[i]!)) return i;
  return -1;
}

function indexOfAny(s: string, chars: string, from: number): number {
  for (let i = from; i < s.length; i++) if (chars.includes(s[i]!)) return i;
  return -1;
}

/**
 * Core's FormatParagraph: wraps `text` at spaces so that lines fit `width` columns (the first line
 * counts from 0, later lines start after `indent` spaces). Words longer than a line stay whole, and
 * existing newlines restart the count without indenting.
 */
export function formatParagraph(text: string, width = 79, indent = 0): string {
  if (width < indent) throw new RangeError('formatParagraph: width < indent');
  let out = '';
  let ptr = 0;
  let indented = 0;
  while (ptr < text.length) {
    let lineEnd = text.indexOf('\n', ptr);
    if (lineEnd === -1) lineEnd = text.length;
    const lineLen = lineEnd - ptr;
    const remWidth = width - indented;
    if (lineLen <= remWidth) {
      out += text.slice(ptr, lineEnd + 1);
      ptr = lineEnd + 1;
      indented = 0;
      continue;
    }
    let finalSpace = lastIndexOfAny(text, ' \n', ptr + remWidth);
    if (finalSpace === -1 || finalSpace < ptr) {
      // No place to break within the width: keep the whole word.
      finalSpace = indexOfAny(text, '\n ', ptr);
      if (finalSpace === -1) {
        out += text.slice(ptr);
        break;
      }
    }
    out += text.slice(ptr, finalSpace) + '\n';
    if (text[finalSpace] === '\n') {
      indented = 0;
    } else if (indent) {
      out += ' '.repeat(indent);
      indented = indent;
    }
    ptr = finalSpace + 1;
  }
  return out;
}
