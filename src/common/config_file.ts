// Parses smithcoin.conf text the way Core's ReadConfigStream does: `key=value` lines, `#` comments,
// `[section]` headers and `section.key=value` shorthands.

export interface ConfigEntry {
  /** '' for the top of the file, otherwise the chain section name (main, test, regtest, ...). */
  section: string;
  key: string;
  value: string;
}

export class ConfigParseError extends Error {
  override name = 'ConfigParseError';
}

function trim(s: string): string {
  return s.replace(/^[ \f\n\r\t\v]+|[ \f\n\r\t\v]+$/g, '');
}

/** Returns the entries in file order; throws ConfigParseError with Core's message on a bad line. */
export function parseConfigText(text: string): ConfigEntry[] {
  const entries: ConfigEntry[] = [];
  let section = '';
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    const hash = line.indexOf('#');
    if (hash !== -1) {
      const comment = line.slice(hash);
      line = line.slice(0, hash);
      if (/rpcpassword/.test(comment)) {
        // Core refuses '#' inside rpcpassword, because everything after it would be cut silently.
        if (/^\s*rpcpassword\s*=/.test(line)) {
          throw new ConfigParseError(`parse error on line ${i + 1}, using # in rpcpassword can be ambiguous and should be avoided`);
        }
      }
    }
    line = trim(line);
    if (line === '') continue;
    if (line.startsWith('[') && line.endsWith(']')) {
      section = line.slice(1, -1);
      continue;
    }
    if (line.startsWith('-')) {
      throw new ConfigParseError(`parse error on line ${i + 1}: ${line}, options in configuration file must be specified without leading -`);
    }
    const eq = line.indexOf('=');
    if (eq === -1) {
      const hint = line.startsWith('no') ? `, if you intended to specify a negated option, use ${line}=1 instead` : '';
      throw new ConfigParseError(`parse error on line ${i + 1}: ${line}${hint}`);
    }
    let key = trim(line.slice(0, eq));
    const value = trim(line.slice(eq + 1));
    let entrySection = section;
    const dot = key.indexOf('.');
    if (dot !== -1) {
      entrySection = key.slice(0, dot);
      key = key.slice(dot + 1);
    }
    entries.push({ section: entrySection, key, value });
  }
  return entries;
}
