// Process set-up that every program does first (Core's SetupEnvironment).

/**
 * Files and directories a program creates are its owner's only (umask 077), as Core's are: the datadir holds the
 * chain, the cookie and the logs, and none of it is for other users. -rpccookieperms widens the cookie afterwards.
 */
export function setupEnvironment(): void {
  process.umask(0o077);
}
