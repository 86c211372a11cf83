// Connects the IPC runtime's injected logging ({logFn, logLevel}, src/ipc/libmultiprocess/src/log.ts) to
// the node's Logger as Core's ipc/capnp/protocol.cpp does: debug and trace lines under -debug=ipc, and
// info/warning/error lines always, prefixed "ipc: ".
import { LogFlags, type Logger } from './logging.js';

/** The IPC runtime's level names (its LogLevelName). */
export type IpcLogLevelName = 'trace' | 'debug' | 'info' | 'warning' | 'error';

/** The shape of the IPC runtime's LogOptions that the node fills in. */
export interface IpcLogOptions {
  logFn: (level: IpcLogLevelName, message: string) => void;
  logLevel: IpcLogLevelName;
}

/** The lowest level the runtime should format: trace or debug when -debug=ipc allows, else info. */
export function requestedIpcLogLevel(logger: Logger): IpcLogLevelName {
  if (logger.shouldTraceLog(LogFlags.IPC)) return 'trace';
  if (logger.shouldDebugLog(LogFlags.IPC)) return 'debug';
  // Info, warning and error are logged whatever the categories.
  return 'info';
}

/** Routes one runtime line to the logger at the matching level. */
export function ipcLogFn(logger: Logger): IpcLogOptions['logFn'] {
  return (level, message) => {
    switch (level) {
      case 'trace':
        logger.trace(LogFlags.IPC, message);
        return;
      case 'debug':
        logger.debug(LogFlags.IPC, message);
        return;
      case 'info':
        logger.info(`ipc: ${message}`);
        return;
      case 'warning':
        logger.warning(`ipc: ${message}`);
        return;
      case 'error':
        logger.error(`ipc: ${message}`);
        return;
    }
    // A level the runtime may add later shows only at the most verbose setting, as in Core.
    logger.trace(LogFlags.IPC, message);
  };
}

/** `{logFn, logLevel}` for the IPC runtime, read from the logger's current -debug/-loglevel state. */
export function ipcLogOptions(logger: Logger): IpcLogOptions {
  return { logFn: ipcLogFn(logger), logLevel: requestedIpcLogLevel(logger) };
}
