// Parses smithcoin.conf text the way Core's GetConfigOptions does: `key=value` lines, `#` comments,
// `[section]` headers that prefix later keys with `section.`, and `section.key=value` shorthands.

/** One `name=value` line; `name` carries its section prefix (`regtest.port`). */
export interface ConfigOption {
  name: string;
  value: string;
}

/** A section seen in a file (a `[name]` header or a `name.key=` shorthand), for Core's warnings. */
export interface SectionInfo {
  name: string;
  file: string;
  line: number;
}

export interface ConfigEntry {
  /** '' for the top of the file, otherwise the section name (main, test, regtest, ...). */
  section: string;
  key: string;
  value: string;
}

export class ConfigParseError extends Error {
  override name = 'ConfigParseError';
}

/** Core trims config lines of these characters only (" \t\r\n"). */
function trim(s: string): string {
  return s.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
}

/**
 * Returns the options in file order and appends the sections found to `sections`. Throws
 * ConfigParseError with Core's message on a bad line.
 */
export function getConfigOptions(text: string, file: string, sections: SectionInfo[] = []): ConfigOption[] {
  const options: ConfigOption[] = [];
  let prefix = '';
  const lines = text.split('\n');
  // A final newline ends the last line; it does not start another one (std::getline).
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const lineNr = i + 1;
    let str = lines[i]!;
    const hash = str.indexOf('#');
    const usedHash = hash !== -1;
    if (usedHash) str = str.slice(0, hash);
    str = trim(str);
    if (str === '') continue;
    if (str.startsWith('[') && str.endsWith(']')) {
      const section = str.slice(1, -1);
      sections.push({ name: section, file, line: lineNr });
      prefix = section + '.';
    } else if (str.startsWith('-')) {
      throw new ConfigParseError(`parse error on line ${lineNr}: ${str}, options in configuration file must be specified without leading -`);
    } else if (str.includes('=')) {
      const eq = str.indexOf('=');
      const name = prefix + trim(str.slice(0, eq));
      const value = trim(str.slice(eq + 1));
      // Everything after '#' was dropped, which would silently cut a password.
      if (usedHash && name.includes('rpcpassword')) {
        throw new ConfigParseError(`parse error on line ${lineNr}, using # in rpcpassword can be ambiguous and should be avoided`);
      }
      options.push({ name, value });
      const dot = name.lastIndexOf('.');
      if (dot !== -1 && prefix.length <= dot) sections.push({ name: name.slice(0, dot), file, line: lineNr });
    } else {
      const hint = str.length >= 2 && str.startsWith('no') ? `, if you intended to specify a negated option, use ${str}=1 instead` : '';
      throw new ConfigParseError(`parse error on line ${lineNr}: ${str}${hint}`);
    }
  }
  return options;
}

/** Splits `section.key` at the first dot, as Core's InterpretKey does. */
export function splitSection(name: string): { section: string; key: string } {
  const dot = name.indexOf('.');
  return dot === -1 ? { section: '', key: name } : { section: name.slice(0, dot), key: name.slice(dot + 1) };
}

/** The options with their section split off (used by the `smithcoin` wrapper's multiprocess detection). */
export function parseConfigText(text: string): ConfigEntry[] {
  return getConfigOptions(text, '').map(({ name, value }) => ({ ...splitSection(name), value }));
}
