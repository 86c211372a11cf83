// Public surface of the libmultiprocess conventions layer used by generated code.
export {
  ProxyConnection, ThreadHandle, MAKE_POOL_TWICE, MAX_POOL_SIZE, makePoolTooLarge, type ConnectionOptions,
  type ConnectionLimits,
} from './connection.js';
export { ProxyClient, IpcError, CLIENT_TEXT } from './client.js';
export { ProxyServer, ServerContext, TEXT as SERVER_TEXT, type Handler, type ProxyServerOptions } from './server.js';
export { ThreadServer, type LaneTask } from './thread.js';
export {
  ContextCodec, ThreadMapInterface, ThreadInterface, THREAD_MAP_ID, THREAD_ID, CONTEXT_ID,
  makeThread as ThreadMap_makeThread, makePool as ThreadMap_makePool, getName as Thread_getName,
} from './proxy-schema.js';
export { methodTable, methodKey, type StructCodec, type MethodSpec, type InterfaceSpec, type CapRef,
  type ContextValue } from './spec.js';
