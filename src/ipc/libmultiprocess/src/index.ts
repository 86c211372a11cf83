// Public API of @smithcoin/libmultiprocess: message layer, RPC, proxy conventions, transports, codecs, logging.
export * from './message/index.js';
export * from './rpc/index.js';
export * from './proxy/index.js';
export * from './transport/index.js';
export * from './codec/index.js';
export { Logger, LogLevel, RequestCounter, logEscape, type LogOptions, type LogLevelName } from './log.js';
