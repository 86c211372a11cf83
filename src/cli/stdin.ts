// Lines from standard input for -stdin, -stdinrpcpass and -stdinwalletpassphrase, read as Core's
// std::getline does (a final line without a newline counts, '\r' is kept), with the echo off on a
// terminal while a password is typed.

export interface LineSource {
  /** The next line, or undefined at end of input. */
  readLine(options?: { hidden?: boolean }): Promise<string | undefined>;
  /** Every remaining line. */
  readAll(): Promise<string[]>;
  /** True when standard input is a terminal (Core's StdinTerminal). */
  readonly isTerminal: boolean;
}

/** Upper bound on one line, so that endless input without a newline cannot exhaust memory. */
export const MAX_LINE_LENGTH = 64 * 1024 * 1024;

export class StdinLines implements LineSource {
  private buffer = '';
  private ended = false;
  private waiter: (() => void) | undefined;
  private started = false;
  readonly isTerminal: boolean;

  constructor(private readonly input: NodeJS.ReadStream = process.stdin) {
    this.isTerminal = input.isTTY === true;
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.input.setEncoding('utf8');
    this.input.on('data', (chunk: string) => {
      this.buffer += chunk;
      this.wake();
    });
    this.input.on('end', () => {
      this.ended = true;
      this.wake();
    });
    this.input.on('error', () => {
      this.ended = true;
      this.wake();
    });
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  async readLine(options: { hidden?: boolean } = {}): Promise<string | undefined> {
    const raw = options.hidden === true && this.isTerminal;
    if (raw) this.input.setRawMode(true);
    this.start();
    this.input.resume();
    try {
      for (;;) {
        const line = this.takeLine(raw);
        if (line !== undefined) return line;
        if (this.ended) {
          const rest = this.buffer;
          this.buffer = '';
          return rest === '' ? undefined : rest;
        }
        if (this.buffer.length > MAX_LINE_LENGTH) throw new Error('standard input line too long');
        await new Promise<void>((resolve) => { this.waiter = resolve; });
      }
    } finally {
      this.input.pause();
      if (raw) this.input.setRawMode(false);
    }
  }

  /** A complete line from the buffer; in raw terminal mode Enter is '\r' and Ctrl-D ends input. */
  private takeLine(raw: boolean): string | undefined {
    if (raw) {
      if (this.buffer.startsWith('\x04')) {
        this.ended = true;
        this.buffer = '';
        return undefined;
      }
      if (this.buffer.includes('\x03')) process.kill(process.pid, 'SIGINT');
      this.buffer = applyBackspaces(this.buffer);
    }
    const end = raw ? this.buffer.search(/[\r\n]/) : this.buffer.indexOf('\n');
    if (end === -1) return undefined;
    const line = this.buffer.slice(0, end);
    this.buffer = this.buffer.slice(end + 1);
    return line;
  }

  /** Every remaining line (for -stdin). */
  async readAll(): Promise<string[]> {
    const lines: string[] = [];
    for (let line = await this.readLine(); line !== undefined; line = await this.readLine()) lines.push(line);
    return lines;
  }
}

function applyBackspaces(s: string): string {
  let out = '';
  for (const ch of s) {
    if (ch === '\x7f' || ch === '\b') out = out.slice(0, -1);
    else out += ch;
  }
  return out;
}
