// Public surface of the transports.
export {
  SocketTransport, PARTIAL_FRAME_TIMEOUT_TEXT, CLOSE_LINGER_MS, DEFAULT_SEND_LIMITS, type SendLimits, type StreamOptions,
} from './stream.js';
export {
  connectUnix, listenUnix, socketFromFd, parseIpcFd, connectionRefusedText, DEFAULT_MAX_CONNECTIONS, type ListenOptions,
} from './unix.js';
export { spawnProcess, type SpawnedProcess, type SpawnOptions } from './spawn.js';
