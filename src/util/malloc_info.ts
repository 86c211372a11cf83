// glibc's malloc_info for getmemoryinfo "mallocinfo", through the support addon (Core's RPCMallocInfo).
import { loadNativeAddon } from './native_addon.js';

interface SupportAddon {
  /** Present only when the addon was built against glibc (Core's HAVE_MALLOC_INFO). */
  mallocInfo?: () => string;
}

let addon: SupportAddon | null | undefined;

/** The XML heap report, or undefined where there is none (no glibc, or the addon was not built). */
export function mallocInfo(): string | undefined {
  if (addon === undefined) addon = loadNativeAddon<SupportAddon>('support');
  return addon?.mallocInfo?.();
}
