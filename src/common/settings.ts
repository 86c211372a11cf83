// Where each setting comes from and how the sources merge (Core's common/settings): forced values, the
// command line, settings.json and the config file's network and default sections, with Core's
// backwards-compatible precedence quirks.
import type { SettingsValue } from './settings_json.js';

export type { SettingsValue } from './settings_json.js';

/** All sources of settings, as Core's common::Settings. */
export interface Settings {
  /** Values set by SoftSetArg/ForceSetArg. */
  forcedSettings: Map<string, SettingsValue>;
  /** Every value given on the command line, in order (negations as `false`). */
  commandLineOptions: Map<string, SettingsValue[]>;
  /** settings.json (read-write) values. */
  rwSettings: Map<string, SettingsValue>;
  /** Config file values by section ('' is the top of the file) and name, in file order. */
  roConfig: Map<string, Map<string, SettingsValue[]>>;
}

export function emptySettings(): Settings {
  return { forcedSettings: new Map(), commandLineOptions: new Map(), rwSettings: new Map(), roConfig: new Map() };
}

const enum Source {
  FORCED,
  COMMAND_LINE,
  RW_SETTINGS,
  CONFIG_FILE_NETWORK_SECTION,
  CONFIG_FILE_DEFAULT_SECTION,
}

/**
 * A list of values seen through Core's SettingsSpan: the last `false` and everything before it are
 * negated; the rest are the live values.
 */
export class SettingsSpan {
  constructor(readonly data: readonly SettingsValue[]) {}
  /** Number of negated values (position after the last `false`). */
  negated(): number {
    for (let i = this.data.length; i > 0; i--) if (this.data[i - 1] === false) return i;
    return 0;
  }
  lastNegated(): boolean {
    return this.data.length > 0 && this.data[this.data.length - 1] === false;
  }
  empty(): boolean {
    return this.data.length === 0 || this.lastNegated();
  }
  values(): readonly SettingsValue[] {
    return this.data.slice(this.negated());
  }
}

function isConfig(source: Source): boolean {
  return source === Source.CONFIG_FILE_NETWORK_SECTION || source === Source.CONFIG_FILE_DEFAULT_SECTION;
}

/** Visits the sources of `name` from highest to lowest precedence. */
function mergeSettings(settings: Settings, section: string, name: string, fn: (span: SettingsSpan, source: Source) => void): void {
  const forced = settings.forcedSettings.get(name);
  if (forced !== undefined) fn(new SettingsSpan([forced]), Source.FORCED);
  const cli = settings.commandLineOptions.get(name);
  if (cli !== undefined) fn(new SettingsSpan(cli), Source.COMMAND_LINE);
  const rw = settings.rwSettings.get(name);
  if (rw !== undefined) fn(new SettingsSpan([rw]), Source.RW_SETTINGS);
  if (section !== '') {
    const values = settings.roConfig.get(section)?.get(name);
    if (values !== undefined) fn(new SettingsSpan(values), Source.CONFIG_FILE_NETWORK_SECTION);
  }
  const values = settings.roConfig.get('')?.get(name);
  if (values !== undefined) fn(new SettingsSpan(values), Source.CONFIG_FILE_DEFAULT_SECTION);
}

export interface GetSettingOptions {
  /** Skip the config file's default section (network-only options on a non-main chain). */
  ignoreDefaultSectionConfig: boolean;
  /** Only the config file and settings.json count (forced and command-line values are skipped). */
  ignoreNonpersistent: boolean;
  /** The chain-flag rules: config files take the last value, negated command-line flags are skipped. */
  getChainType: boolean;
}

/** The effective value of one setting (Core's common::GetSetting), or null when unset. */
export function getSetting(settings: Settings, section: string, name: string, opts: GetSettingOptions): SettingsValue {
  let result: SettingsValue = null;
  let done = false;
  mergeSettings(settings, section, name, (span, source) => {
    if (done) return;
    // A negated default-section value still applies to network-only options (Core keeps this quirk).
    const neverIgnoreNegated = span.lastNegated();
    // Config files keep their first value, except for the chain flags.
    const reversePrecedence = isConfig(source) && !opts.getChainType;
    if (opts.ignoreDefaultSectionConfig && source === Source.CONFIG_FILE_DEFAULT_SECTION && !neverIgnoreNegated) return;
    if (opts.ignoreNonpersistent && (source === Source.COMMAND_LINE || source === Source.FORCED)) return;
    // Negated -regtest/-testnet on the command line are accepted but ignored when picking the chain.
    if (opts.getChainType && span.lastNegated()) return;
    if (!span.empty()) {
      const live = span.values();
      result = reversePrecedence ? live[0]! : live[live.length - 1]!;
      done = true;
    } else if (span.lastNegated()) {
      result = false;
      done = true;
    }
  });
  return result;
}

/** Every value of a multi-value setting (Core's common::GetSettingsList), arrays flattened. */
export function getSettingsList(settings: Settings, section: string, name: string, ignoreDefaultSectionConfig: boolean): SettingsValue[] {
  const result: SettingsValue[] = [];
  let done = false;
  let prevNegatedEmpty = false;
  mergeSettings(settings, section, name, (span, source) => {
    // Config values come back after a command-line negation unless that negation left nothing (Core's
    // "zombie" values).
    const addZombieConfigValues = isConfig(source) && !prevNegatedEmpty;
    if (ignoreDefaultSectionConfig && source === Source.CONFIG_FILE_DEFAULT_SECTION) return;
    if (!done || addZombieConfigValues) {
      for (const value of span.values()) {
        if (Array.isArray(value)) result.push(...value);
        else result.push(value);
      }
    }
    done ||= span.negated() > 0 || source === Source.FORCED;
    prevNegatedEmpty ||= span.lastNegated() && result.length === 0;
  });
  return result;
}

/** True when only the config file's default section sets `name` (Core warns that it is ignored). */
export function onlyHasDefaultSectionSetting(settings: Settings, section: string, name: string): boolean {
  let hasDefault = false;
  let hasOther = false;
  mergeSettings(settings, section, name, (span, source) => {
    if (span.empty()) return;
    if (source === Source.CONFIG_FILE_DEFAULT_SECTION) hasDefault = true;
    else hasOther = true;
  });
  return hasDefault && !hasOther;
}
