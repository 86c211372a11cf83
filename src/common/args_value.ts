// How one command-line or config key and value become a setting (Core's InterpretKey/InterpretValue),
// and how settings values read back as strings, integers and booleans (Core's SettingTo*).
import { interpretBool, localeIndependentAtoi } from './chaintype.js';
import { getStr, JsonNumber, writeJson, type SettingsValue } from './settings_json.js';

/** Core's ArgsManager::Flags. ALLOW_BOOL/INT/STRING/LIST are reserved in Core and change nothing yet. */
export const ArgsFlags = {
  ALLOW_ANY: 0x01,
  ALLOW_BOOL: 0x02,
  ALLOW_INT: 0x04,
  ALLOW_STRING: 0x08,
  ALLOW_LIST: 0x10,
  DISALLOW_NEGATION: 0x20,
  DISALLOW_ELISION: 0x40,
  DEBUG_ONLY: 0x100,
  NETWORK_ONLY: 0x200,
  SENSITIVE: 0x400,
  COMMAND: 0x800,
} as const;

/** Errors with Core's exact texts from parsing arguments, config files and chain selection. */
export class ArgsError extends Error {
  override name = 'ArgsError';
}

export interface KeyInfo {
  name: string;
  section: string;
  negated: boolean;
}

/** Splits `section.name` at the first dot and strips a leading `no` (negation). */
export function interpretKey(key: string): KeyInfo {
  let section = '';
  const dot = key.indexOf('.');
  if (dot !== -1) {
    section = key.slice(0, dot);
    key = key.slice(dot + 1);
  }
  const negated = key.startsWith('no');
  return { name: negated ? key.slice(2) : key, section, negated };
}

/**
 * The stored value of one occurrence: negations become `false` (or `true` for a double negative such as
 * -nofoo=0), a bare -foo becomes ''. Throws ArgsError with Core's text when the flags forbid the form.
 */
export function interpretValue(key: KeyInfo, value: string | undefined, flags: number, warn: (msg: string) => void): SettingsValue {
  if (key.negated) {
    if (flags & ArgsFlags.DISALLOW_NEGATION) {
      throw new ArgsError(`Negating of -${key.name} is meaningless and therefore forbidden`);
    }
    if (value !== undefined && !interpretBool(value)) {
      warn(`Parsed potentially confusing double-negative -${key.name}=${value}`);
      return true;
    }
    return false;
  }
  if (value === undefined && flags & ArgsFlags.DISALLOW_ELISION) {
    throw new ArgsError(`Can not set -${key.name} with no value. Please specify value with -${key.name}=value.`);
  }
  return value ?? '';
}

/** Core's SettingToString: false → "0", true → "1", numbers as written. */
export function settingToString(value: SettingsValue): string | undefined {
  if (value === null) return undefined;
  if (value === false) return '0';
  if (value === true) return '1';
  if (value instanceof JsonNumber) return value.text;
  return getStr(value);
}

/** Core's SettingTo<int64_t>: strings go through LocaleIndependentAtoi (saturating, 0 when unreadable). */
export function settingToInt(value: SettingsValue): bigint | undefined {
  if (value === null) return undefined;
  if (value === false) return 0n;
  if (value === true) return 1n;
  if (value instanceof JsonNumber) return jsonNumberToInt(value);
  return localeIndependentAtoi(getStr(value), 64);
}

function jsonNumberToInt(value: JsonNumber): bigint {
  // UniValue's getInt accepts only integral text that fits int64.
  if (!/^-?[0-9]+$/.test(value.text)) throw new ArgsError(`JSON integer out of range`);
  const n = BigInt(value.text);
  if (n > 0x7fffffffffffffffn || n < -0x8000000000000000n) throw new ArgsError('JSON integer out of range');
  return n;
}

/** Core's SettingToBool: booleans as they are, everything else through InterpretBool. */
export function settingToBool(value: SettingsValue): boolean | undefined {
  if (value === null) return undefined;
  if (typeof value === 'boolean') return value;
  return interpretBool(getStr(value));
}

/** GetArgs' rendering of one value. */
export function settingToArg(value: SettingsValue): string {
  return value === false ? '0' : value === true ? '1' : getStr(value);
}

export { writeJson };
