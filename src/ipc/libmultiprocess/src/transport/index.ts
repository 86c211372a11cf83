// Public surface of the transports.
export { SocketTransport, PARTIAL_FRAME_TIMEOUT_TEXT, type StreamOptions } from './stream.js';
export { connectUnix, listenUnix, socketFromFd, parseIpcFd, type ListenOptions } from './unix.js';
export { spawnProcess, type SpawnedProcess, type SpawnOptions } from './spawn.js';
