// Loads the project's N-API addons from <jsroot>/native/<name>.node, where the build writes them.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const requireAddon = createRequire(import.meta.url);

/** The compiled tree's root: this file is <jsroot>/src/util/native_addon.js. */
function jsRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
}

/** Where the addon called `name` is looked for. */
export function nativeAddonPath(name: string): string {
  return path.join(jsRoot(), 'native', `${name}.node`);
}

/** Raised when an addon file exists but cannot be loaded (wrong architecture, missing library…). */
export class NativeAddonError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NativeAddonError';
  }
}

/**
 * Loads the addon `name`, or returns null when the build did not produce it (addons such as the
 * IPC codec are optional). Any other failure throws: a present but broken addon is a build bug
 * that must not be silently replaced by a slower fallback.
 */
export function loadNativeAddon<T>(name: string): T | null {
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new NativeAddonError(`invalid native addon name: ${name}`);
  const file = nativeAddonPath(name);
  if (!fs.existsSync(file)) return null;
  try {
    return requireAddon(file) as T;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new NativeAddonError(`cannot load native addon ${file}: ${reason}`, { cause: err });
  }
}
