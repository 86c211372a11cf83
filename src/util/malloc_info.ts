// glibc's malloc_info for getmemoryinfo "mallocinfo", through the support addon (Core's RPCMallocInfo).
import { supportAddon } from './support_addon.js';

/** The XML heap report, or undefined where there is none (no glibc, or the addon was not built). */
export function mallocInfo(): string | undefined {
  return supportAddon()?.mallocInfo?.();
}
