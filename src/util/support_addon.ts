// The support addon (native/support): process and file facts only native code reads cheaply. Loaded on first use;
// null when the build has no addons.
import { loadNativeAddon } from './native_addon.js';

export interface SupportAddon {
  /** Present only when the addon was built against glibc (Core's HAVE_MALLOC_INFO). */
  mallocInfo?: () => string;
  /** Whether `path` names the file with that device and inode; false when nothing is there, undefined on other errors. */
  sameFile?: (path: string, dev: bigint, ino: bigint) => boolean | undefined;
}

let addon: SupportAddon | null | undefined;

export function supportAddon(): SupportAddon | null {
  if (addon === undefined) addon = loadNativeAddon<SupportAddon>('support');
  return addon;
}
